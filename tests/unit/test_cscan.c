// SPDX-License-Identifier: GPL-2.0
/* test_cscan.c - lib/build/cscan.c: which declarations of a preprocessed unit reach its object. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "build/cscan.h"

/* The changes from @pre to @post, as "name[*]" words (* for an aggregate), in order. */
static char *changes(const char *pre, const char *post)
{
	struct hs_csum a, b;
	const struct hs_cdecl **ch = NULL;
	char *out = calloc(1, 4096);
	int n;

	assert_non_null(out);
	assert_int_equal(hs_csum_scan(pre, strlen(pre), NULL, &a), 0);
	assert_int_equal(hs_csum_scan(post, strlen(post), NULL, &b), 0);
	n = hs_csum_changes(&a, &b, &ch);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), 4096 - strlen(out), "%s%s%s", i ? " " : "",
			 ch[i]->name ? ch[i]->name : "-", ch[i]->aggregate ? "*" : "");
	free(ch);
	hs_csum_free(&a);
	hs_csum_free(&b);
	return out;
}

#define EXPECT(pre, post, want)                                                     \
	do {                                                                        \
		char *got = changes(pre, post);                                     \
		assert_string_equal(got, want);                                     \
		free(got);                                                          \
	} while (0)

static void inline_functions(void **state)
{
	const char *user = "int user(int x) { return helper(x); }\n";
	char pre[512], post[512];

	(void)state;
	/* an unused static inline emits nothing: its change cannot reach the object */
	EXPECT("static inline __attribute__((always_inline)) int other(int x) { return x; }\n",
	       "static inline __attribute__((always_inline)) int other(int x) { return x + 1; }\n",
	       "");
	/* used by a function with external linkage: it does */
	snprintf(pre, sizeof(pre), "static inline int helper(int x) { return x; }\n%s", user);
	snprintf(post, sizeof(post), "static inline int helper(int x) { return x * 2; }\n%s", user);
	EXPECT(pre, post, "helper helper");
	/* a new helper nothing calls, and a changed prototype of a called function */
	EXPECT("extern int f(int);\nint g(void) { return f(1); }\n",
	       "extern int f(long);\nstatic inline int h(void) { return 2; }\n"
	       "int g(void) { return f(1); }\n", "f f");
	/* transitively: used through another inline function */
	EXPECT("static inline int a(void) { return 1; }\nstatic inline int b(void) { return a(); }\n"
	       "int c(void) { return b(); }\n",
	       "static inline int a(void) { return 2; }\nstatic inline int b(void) { return a(); }\n"
	       "int c(void) { return b(); }\n", "a a");
}

static void data_and_types(void **state)
{
	(void)state;
	/* static data: only when something live uses it; marked used: always */
	EXPECT("static int table[2] = { 1, 2 };\nint x;\n", "static int table[2] = { 1, 3 };\nint x;\n",
	       "");
	EXPECT("static int table[2] = { 1, 2 };\nint get(int i) { return table[i]; }\n",
	       "static int table[2] = { 1, 3 };\nint get(int i) { return table[i]; }\n",
	       "table table");
	EXPECT("static int k __attribute__((__used__)) = 1;\n",
	       "static int k __attribute__((__used__)) = 2;\n", "k k");
	/* a struct definition: an aggregate change, deferred by the screen */
	EXPECT("struct s { int a; };\nint get(struct s *p) { return p->a; }\n",
	       "struct s { union { int a; int b; }; };\nint get(struct s *p) { return p->a; }\n",
	       "s* s*");
	EXPECT("struct s { int a; };\nint z;\n", "struct s { long a; };\nint z;\n", "");
	/* an enum's values reach code without a layout: not an aggregate */
	EXPECT("enum e { A, B };\nint get(void) { return B; }\n",
	       "enum e { A, C, B };\nint get(void) { return B; }\n", "e e");
	/* a struct that declares enumerators is not a plain aggregate either */
	EXPECT("struct t { enum { X = 1 } k; };\nint v(void) { return X; }\n",
	       "struct t { enum { X = 2 } k; };\nint v(void) { return X; }\n", "t t");
	/* global objects are emitted: a function-pointer object and an anonymous struct one */
	EXPECT("int (*fp)(void);\n", "long (*fp)(void);\n", "fp fp");
	EXPECT("struct __attribute__((packed)) { int a; } obj;\n",
	       "struct __attribute__((packed)) { int a; int b; } obj;\n", "obj obj");
}

static void counter_names_and_pragmas(void **state)
{
	const char *a = "static inline void f(void) { g(\"arp\", 1); }\n";
	const char *b = "static inline void f(void) { g(\"route\", 1); }\n";
	struct hs_csum x, y;

	(void)state;
	/* KBUILD_MODNAME's string: the same declaration in two files */
	assert_int_equal(hs_csum_scan(a, strlen(a), "\"arp\"", &x), 0);
	assert_int_equal(hs_csum_scan(b, strlen(b), "\"route\"", &y), 0);
	assert_int_equal(x.d[0].hash, y.d[0].hash);
	hs_csum_free(&y);
	assert_int_equal(hs_csum_scan(b, strlen(b), NULL, &y), 0);
	assert_int_not_equal(x.d[0].hash, y.d[0].hash);
	{	/* x's declaration is gone from y (live or not), not from x itself */
		uint64_t *gone = NULL;

		assert_int_equal(hs_csum_gone(&x, &y, &gone), 1);
		assert_int_equal(gone[0], x.d[0].hash);
		free(gone);
		assert_int_equal(hs_csum_gone(&x, &x, &gone), 0);
		free(gone);
	}
	hs_csum_free(&x);
	hs_csum_free(&y);
	/* __COUNTER__ renumbering is not a change */
	EXPECT("static int __UNIQUE_ID_ddebug12 __attribute__((used));\n",
	       "static int __UNIQUE_ID_ddebug13 __attribute__((used));\n", "");
	/* a pragma is kept as it is: a changed one reaches the object */
	EXPECT("#pragma GCC diagnostic push\nint a;\n", "#pragma GCC diagnostic pop\nint a;\n",
	       "- -");
}

static void origins_macros_and_cache(void **state)
{
	const char *text =
		"# 1 \"/src/kernel/x.c\"\n"
		"# 1 \"/src/include/h.h\" 1\n"
		"#define USED(x) x\n"
		"static inline int h(void) { return 1; }\n"
		"#undef TESTED\n"
		"# 3 \"/src/kernel/x.c\" 2\n"
		"int f(void) { return h(); }\n";
	struct hs_csum s, back;
	char *fmt = NULL, *fmt2 = NULL;
	size_t len, len2;

	(void)state;
	assert_int_equal(hs_csum_scan(text, strlen(text), NULL, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.norigins, 2);
	assert_string_equal(s.origins[s.d[0].origin].path, "/src/include/h.h");
	assert_string_equal(s.origins[s.d[1].origin].path, "/src/kernel/x.c");
	assert_true(s.d[0].live && s.d[1].live);
	assert_true(hs_csum_uses_macro(&s, "USED"));
	assert_true(hs_csum_uses_macro(&s, "TESTED"));
	assert_false(hs_csum_uses_macro(&s, "OTHER"));
	/* the compact form keeps live declarations, origins and macros */
	assert_int_equal(hs_csum_format(&s, &fmt, &len), 0);
	fmt = realloc(fmt, len + 1);
	fmt[len] = 0;
	assert_int_equal(hs_csum_parse(fmt, &back), 0);
	assert_int_equal(back.n, 2);
	assert_int_equal(back.d[0].hash, s.d[0].hash);
	assert_int_equal(back.origins[1].digest, s.origins[1].digest);
	assert_true(hs_csum_uses_macro(&back, "TESTED"));
	assert_int_equal(hs_csum_format(&back, &fmt2, &len2), 0);
	assert_int_equal(len2, len);
	assert_memory_equal(fmt2, fmt, len);
	hs_csum_free(&back);
	/* a damaged cache entry is refused, not half read */
	assert_int_equal(hs_csum_parse("D zz 1 a\n", &back), -EINVAL);
	hs_csum_free(&s);
	free(fmt);
	free(fmt2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inline_functions),
		cmocka_unit_test(data_and_types),
		cmocka_unit_test(counter_names_and_pragmas),
		cmocka_unit_test(origins_macros_and_cache),
	};

	return cmocka_run_group_tests_name("cscan", tests, NULL, NULL);
}
