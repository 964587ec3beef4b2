// SPDX-License-Identifier: GPL-2.0
/* test_kbuild_names.c - lib/build/kbuild_names.c: the names a header change defines, the files naming them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "core/cache.h"
#include "build/kbuild_priv.h"

static char top[] = "/tmp/hs-test-kbuild-names.XXXXXX";

static const char a_h[] =
	"#ifndef A_H\n"			/* 1 */
	"#define A_H\n"			/* 2 */
	"\n"				/* 3 */
	"void a_one(int x);\n"		/* 4 */
	"int a_two(void);\n"		/* 5 */
	"\n"				/* 6 */
	"#endif\n";			/* 7 */

/* The configuration names() judges #if blocks by (NULL: none). */
static const struct hs_cppcfg *names_cfg;

/* The names of @old's change by the one-file @patch, space-separated ("!why" when not ok). */
static const char *names(const char *old, const char *patch, struct hs_kbuild_names *nm)
{
	static char out[1024];
	struct hs_patch p;
	size_t len = 0;

	assert_int_equal(hs_patch_parse(unit_ctx(), "t.diff", patch, strlen(patch), &p), 0);
	assert_int_equal(hs_kbuild_names_of(old, strlen(old), patch, strlen(patch), &p.files[0],
					    names_cfg, nm), 0);
	hs_patch_free(&p);
	if (!nm->ok)
		snprintf(out, sizeof(out), "!%s", nm->why);
	else
		out[0] = 0;
	for (size_t i = 0; nm->ok && i < nm->n; i++)
		len += snprintf(out + len, sizeof(out) - len, "%s%s", i ? " " : "", nm->names[i]);
	return out;
}

static bool kept(const struct hs_kbuild_names *nm, const char *name)
{
	for (size_t i = 0; i < nm->nkept; i++)
		if (!strcmp(nm->kept[i], name))
			return true;
	return false;
}

#define EXPECT(old, patch, want) do {					\
	struct hs_kbuild_names nm_;					\
	assert_string_equal(names(old, patch, &nm_), want);		\
	hs_kbuild_names_free(&nm_);					\
} while (0)

#define EXPECT_NOT(old, patch, why) do {				\
	struct hs_kbuild_names nm_;					\
	const char *got_ = names(old, patch, &nm_);			\
	if (!strstr(got_, why))						\
		fail_msg("'%s' does not say '%s'", got_, why);		\
	hs_kbuild_names_free(&nm_);					\
} while (0)

static void added_prototype(void **state)
{
	struct hs_kbuild_names nm;

	(void)state;
	assert_string_equal(names(a_h,
		"--- a/include/a.h\n+++ b/include/a.h\n"
		"@@ -4,3 +4,4 @@\n"
		" void a_one(int x);\n"
		" int a_two(void);\n"
		"+extern __printf(1, 2) void a_new(const char *fmt, ...);\n"
		" \n", &nm), "a_new");
	assert_true(kept(&nm, "a_one") && kept(&nm, "A_H") && !kept(&nm, "a_new"));
	hs_kbuild_names_free(&nm);
}

static void renamed_static_inline(void **state)
{
	(void)state;
	EXPECT(a_h,
	       "--- a/include/a.h\n+++ b/include/a.h\n"
	       "@@ -4,2 +4,2 @@\n"
	       "-void a_one(int x);\n"
	       "+static inline void a_renamed(int x) { }\n"
	       " int a_two(void);\n", "a_one a_renamed");
}

static void added_conditional_block_of_defines(void **state)
{
	(void)state;
	EXPECT(a_h,
	       "--- a/include/a.h\n+++ b/include/a.h\n"
	       "@@ -5,2 +5,8 @@\n"
	       " int a_two(void);\n"
	       "+\n"
	       "+#if __has_attribute(__no_stack_protector__)\n"
	       "+# define __no_stack_protector __attribute__((__no_stack_protector__))\n"
	       "+#else\n"
	       "+# define __no_stack_protector\n"
	       "+#endif\n"
	       " \n", "__no_stack_protector");
}

static void multi_line_define(void **state)
{
	const char *old = "#define WQ(name, flags)\t\t\\\n"
			  "\talloc(name,\t\t\\\n"
			  "\t      flags)\n"
			  "int other(void);\n";
	struct hs_kbuild_names nm;

	(void)state;
	assert_string_equal(names(old,
		"--- a/include/w.h\n+++ b/include/w.h\n"
		"@@ -1,4 +1,4 @@\n"
		" #define WQ(name, flags)\t\t\\\n"
		" \talloc(name,\t\t\\\n"
		"-\t      flags)\n"
		"+\t      flags | 1)\n"
		" int other(void);\n", &nm), "WQ");
	assert_true(kept(&nm, "other") && !kept(&nm, "WQ"));
	hs_kbuild_names_free(&nm);
}

static void struct_member_is_the_tag(void **state)
{
	const char *old = "struct foo {\n"
			  "\tint a;\n"
			  "\tlong b;\n"
			  "};\n"
			  "\n"
			  "static inline int foo_a(struct foo *f) { return f->a; }\n";
	struct hs_kbuild_names nm;

	(void)state;
	assert_string_equal(names(old,
		"--- a/include/f.h\n+++ b/include/f.h\n"
		"@@ -2,3 +2,3 @@\n"
		" \tint a;\n"
		"-\tlong b;\n"
		"+\tlong b, c;\n"
		" };\n", &nm), "foo");
	/* the unchanged inline names the tag: the caller cannot narrow this one */
	assert_true(kept(&nm, "foo") && kept(&nm, "foo_a"));
	hs_kbuild_names_free(&nm);
}

static void enum_values_and_tag(void **state)
{
	(void)state;
	EXPECT("enum e { E_A, E_B = 2 };\nint e_user(enum e x);\n",
	       "--- a/include/e.h\n+++ b/include/e.h\n"
	       "@@ -1 +1 @@\n"
	       "-enum e { E_A, E_B = 2 };\n"
	       "+enum e { E_A, E_B = 3, E_C };\n", "E_A E_B E_C e");
	/* a #define inside the enum defines a name too */
	EXPECT("enum e {\n\tE_A,\n#define E_ALIAS E_A\n};\n",
	       "--- a/include/e.h\n+++ b/include/e.h\n"
	       "@@ -3 +3 @@\n"
	       "-#define E_ALIAS E_A\n"
	       "+#define E_ALIAS (E_A + 1)\n", "E_A E_ALIAS e");
}

/*
 * A struct or enum defined inside a struct's body is declared at file scope,
 * as are the enumerators: a file can name them without naming the outer tag.
 */
static void nested_tags_and_enumerators(void **state)
{
	const char *old = "struct outer {\n"
			  "\tstruct inner { int a; } in;\n"
			  "\tenum mode { M_A, M_B } m;\n"
			  "\tunion { int u; };\n"
			  "};\n"
			  "static inline int outer_fn(void) { struct local { int l; } x = { 0 }; return x.l; }\n";

	(void)state;
	EXPECT(old,
	       "--- a/include/n.h\n+++ b/include/n.h\n"
	       "@@ -2,2 +2,2 @@\n"
	       "-\tstruct inner { int a; } in;\n"
	       "-\tenum mode { M_A, M_B } m;\n"
	       "+\tstruct inner { long a; } in;\n"
	       "+\tenum mode { M_A, M_NEW, M_B } m;\n", "M_A M_B M_NEW inner mode outer");
	/* a function body's struct is its own: the function is the name */
	EXPECT(old,
	       "--- a/include/n.h\n+++ b/include/n.h\n"
	       "@@ -6 +6 @@\n"
	       "-static inline int outer_fn(void) { struct local { int l; } x = { 0 }; return x.l; }\n"
	       "+static inline int outer_fn(void) { struct local { long l; } x = { 0 }; return x.l; }\n",
	       "outer_fn");
}

static void changed_include_is_not_names_only(void **state)
{
	(void)state;
	EXPECT_NOT(a_h,
		   "--- a/include/a.h\n+++ b/include/a.h\n"
		   "@@ -2,2 +2,3 @@\n"
		   " #define A_H\n"
		   "+#include <linux/types.h>\n"
		   " \n", "line 3: an #include changes");
}

static void partial_conditional_is_not_names_only(void **state)
{
	const char *old = "#ifdef CONFIG_X\nint x_on(void);\n#endif\nint y(void);\n";

	(void)state;
	EXPECT_NOT(old,
		   "--- a/include/x.h\n+++ b/include/x.h\n"
		   "@@ -1,2 +1,2 @@\n"
		   "-#ifdef CONFIG_X\n"
		   "+#if defined(CONFIG_X) || defined(CONFIG_Y)\n"
		   " int x_on(void);\n", "changes part of the conditional block at line 1");
	/* wrapping lines the patch keeps */
	EXPECT_NOT(old,
		   "--- a/include/x.h\n+++ b/include/x.h\n"
		   "@@ -3,2 +3,4 @@\n"
		   " #endif\n"
		   "+#ifdef CONFIG_Y\n"
		   " int y(void);\n"
		   "+#endif\n", "conditional block");
}

static void comment_and_spacing_only(void **state)
{
	const char *old = "/* one */\nstatic inline int f(void)\n{\n\treturn 1;\n}\n";

	(void)state;
	EXPECT(old,
	       "--- a/include/c.h\n+++ b/include/c.h\n"
	       "@@ -1,4 +1,4 @@\n"
	       "-/* one */\n"
	       "+/* two */\n"
	       " static inline int f(void)\n"
	       " {\n"
	       "-\treturn 1;\n"
	       "+\treturn  1; /* still one */\n", "");
}

static void hunk_found_at_an_offset(void **state)
{
	(void)state;
	EXPECT(a_h,
	       "--- a/include/a.h\n+++ b/include/a.h\n"
	       "@@ -1,2 +1,2 @@\n"
	       " void a_one(int x);\n"
	       "-int a_two(void);\n"
	       "+long a_two(void);\n", "a_two");
	EXPECT_NOT(a_h,
		   "--- a/include/a.h\n+++ b/include/a.h\n"
		   "@@ -4,1 +4,1 @@\n"
		   "-void a_three(int x);\n"
		   "+void a_four(int x);\n", "hunk 1 does not match");
}

static void code_in_every_includer_is_not_names_only(void **state)
{
	(void)state;
	EXPECT_NOT(a_h,
		   "--- a/include/a.h\n+++ b/include/a.h\n"
		   "@@ -5,1 +5,2 @@\n"
		   " int a_two(void);\n"
		   "+int a_counter = 1;\n", "defines 'a_counter' in every includer");
	EXPECT_NOT(a_h,
		   "--- a/include/a.h\n+++ b/include/a.h\n"
		   "@@ -5,1 +5,2 @@\n"
		   " int a_two(void);\n"
		   "+static void __used a_hook(void) { }\n", "'__used'");
	EXPECT_NOT(a_h,
		   "--- a/include/a.h\n+++ b/include/a.h\n"
		   "@@ -5,1 +5,2 @@\n"
		   " int a_two(void);\n"
		   "+asm(\".pushsection .x\");\n", "top-level asm");
}

static void macro_calls(void **state)
{
	const char *old = "#define FLAG(n) static inline int Page##n(void) { return 0; }\n"
			  "FLAG(Locked)\n";

	(void)state;
	EXPECT_NOT(old,
		   "--- a/include/p.h\n+++ b/include/p.h\n"
		   "@@ -2 +2,2 @@\n"
		   " FLAG(Locked)\n"
		   "+FLAG(Dirty)\n", "macro 'FLAG' of the header pastes names together");
	EXPECT(a_h,
	       "--- a/include/a.h\n+++ b/include/a.h\n"
	       "@@ -5,1 +5,2 @@\n"
	       " int a_two(void);\n"
	       "+DECLARE_PER_CPU(int, a_count);\n", "DECLARE_PER_CPU a_count");
}

/* @files, space-separated, into @out (@size bytes). */
static void join_files(char *out, size_t size, char *const *files, size_t n)
{
	size_t len = 0;

	out[0] = 0;
	for (size_t i = 0; i < n; i++)
		len += snprintf(out + len, size - len, "%s%s", i ? " " : "", files[i]);
}

/* join_files(), then free @files. */
static void join_free(char *out, size_t size, char **files, size_t n)
{
	join_files(out, size, files, n);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

/*
 * The tests change the source under one tree; a real tree's source never
 * changes (the tree's key names it): the kept include index is left out.
 */
static void forget_index(void)
{
	char idx[600];

	snprintf(idx, sizeof(idx), "%s/tree/.hotsplice/includes", top);
	unlink(idx);
}

/* @top's source and tree directories, into @source and @tree (600 bytes each). */
static void tree_dirs(char *source, char *tree)
{
	snprintf(source, 600, "%s/source", top);
	snprintf(tree, 600, "%s/tree", top);
}

/* The .c files reached by the change of include/a.h in @top/a.diff ("!" if not narrowed). */
static const char *reach_of(int nincluders)
{
	static char out[512];
	char source[600], tree[600], patch[600];
	struct hs_kbuild kb = { .ctx = unit_ctx(), .source = source, .tree = tree };
	struct hs_kbuild_reach r;
	struct hs_patch p;
	char **users;
	int n;

	tree_dirs(source, tree);
	snprintf(patch, sizeof(patch), "%s/a.diff", top);
	forget_index();
	assert_int_equal(hs_patch_load(unit_ctx(), patch, &p), 0);
	n = hs_kbuild_includers(&kb, "include/a.h", &users);
	assert_int_equal(n, nincluders);
	for (int i = 0; i < n; i++)
		free(users[i]);
	free(users);
	assert_int_equal(hs_kbuild_names_reach(&kb, &p, "include/a.h", &r), 0);
	if (r.ok)
		join_files(out, sizeof(out), r.files, r.nfiles);
	else
		snprintf(out, sizeof(out), "!");
	hs_kbuild_reach_free(&r);
	hs_patch_free(&p);
	hs_kbuild_priv_free(&kb);
	return out;
}

static const char *reach(void)
{
	return reach_of(3);
}

static void files_naming_the_names(void **state)
{
	(void)state;
	unit_write_file(top, "source/include/a.h", a_h);
	unit_write_file(top, "source/include/b.h", "#include <a.h>\n#define B_NEW() a_new()\n");
	unit_write_file(top, "source/x.c", "#include <b.h>\n");
	unit_write_file(top, "source/y.c", "#include <a.h>\nvoid y(void) { a_new(); }\n");
	unit_write_file(top, "source/z.c", "#include <a.h>\nvoid z(void) { a_new_not(); }\n");
	unit_write_file(top, "source/w.c", "void w(void) { /* a_new, but no header */ }\n");
	unit_write_file(top, "tree/include/generated/g.h", "#define G 1\n");
	unit_write_file(top, "a.diff", "--- a/include/a.h\n+++ b/include/a.h\n"
		   "@@ -5,1 +5,2 @@\n"
		   " int a_two(void);\n"
		   "+void a_new(void);\n");
	assert_string_equal(reach(), "w.c x.c y.c");
	/* a generated header naming it: the files whose #include lines name that one */
	unit_write_file(top, "tree/include/generated/g.h", "#define G a_new\n");
	unit_write_file(top, "source/v.c", "#include <generated/g.h>\n");
	assert_string_equal(reach(), "v.c w.c x.c y.c");
	/* ... and when kbuild's -include gives it to every file, no narrowing */
	unit_write_file(top, "source/include/linux/kconfig.h", "#include <generated/g.h>\n");
	assert_string_equal(reach(), "!");
	assert_non_null(strstr(unit_messages(), "'include/linux/kconfig.h', which kbuild's "
			       "-include gives every file, includes a file naming one"));
	unit_write_file(top, "tree/include/generated/g.h", "#define G 1\n");
	assert_string_equal(reach(), "w.c x.c y.c");
	/* the header itself names it outside the change */
	unit_write_file(top, "a.diff", "--- a/include/a.h\n+++ b/include/a.h\n"
		   "@@ -4,1 +4,1 @@\n"
		   "-void a_one(int x);\n"
		   "+void a_one(long x);\n");
	unit_write_file(top, "source/include/a.h", "void a_one(int x);\n#define A1 a_one\n");
	assert_string_equal(reach(), "!");
	assert_non_null(strstr(unit_messages(), "'a_one' is named by a part of it the patch "
			       "leaves alone"));
}

/*
 * A failed includer whose log names none of the patched headers that bring it
 * in blames those whose change names a word of the log (the failing line
 * under the error), and those whose change is more than names; none or all
 * of them blamed so is no answer (NULL: all are to blame).
 */
static void includer_blames_the_headers_its_line_names(void **state)
{
	char source[600], tree[600], patch[600], *b;
	struct hs_kbuild kb = { .ctx = unit_ctx(), .source = source, .tree = tree };
	struct hs_patch p;
	const char *log = "x.c:3:17: error: initialization of 'int (*)(int)' from incompatible "
			  "pointer type 'int (*)(int,  _Bool)'\n    3 |         .dump = r_dump,\n";

	(void)state;
	tree_dirs(source, tree);
	snprintf(patch, sizeof(patch), "%s/v.diff", top);
	unit_write_file(top, "source/include/r.h", "int r_dump(int a);\n");
	unit_write_file(top, "source/include/t.h", "int t_one(void);\n");
	unit_write_file(top, "source/include/u.h", "#include <r.h>\n");
	unit_write_file(top, "source/x.c", "#include <r.h>\n#include <t.h>\n#include <u.h>\n");
	unit_write_file(top, "v.diff", "--- a/include/r.h\n+++ b/include/r.h\n@@ -1,1 +1,1 @@\n"
			"-int r_dump(int a);\n+int r_dump(int a, bool reset);\n"
			"--- a/include/t.h\n+++ b/include/t.h\n@@ -1,1 +1,2 @@\n"
			" int t_one(void);\n+int t_two(void);\n");
	forget_index();
	assert_int_equal(hs_patch_load(unit_ctx(), patch, &p), 0);
	b = hs_kbuild_via_by_names(&kb, &p, "include/r.h" HS_NAMES_SEP "include/t.h", log);
	assert_string_equal(b, "include/r.h");
	free(b);
	/* only names t.h's change that the log names nothing of: none, so all */
	assert_null(hs_kbuild_via_by_names(&kb, &p, "include/t.h" HS_NAMES_SEP "include/t.h", log));
	hs_patch_free(&p);
	/* a change that is more than names (an #include) is blamed too */
	unit_write_file(top, "v.diff", "--- a/include/u.h\n+++ b/include/u.h\n@@ -1,1 +1,1 @@\n"
			"-#include <r.h>\n+#include <t.h>\n"
			"--- a/include/t.h\n+++ b/include/t.h\n@@ -1,1 +1,2 @@\n"
			" int t_one(void);\n+int t_two(void);\n");
	assert_int_equal(hs_patch_load(unit_ctx(), patch, &p), 0);
	b = hs_kbuild_via_by_names(&kb, &p, "include/t.h" HS_NAMES_SEP "include/u.h", log);
	assert_string_equal(b, "include/u.h");
	free(b);
	hs_patch_free(&p);
	hs_kbuild_priv_free(&kb);
}

/* The .c files of @top/source including @header, space-separated. */
static const char *includers(const char *header)
{
	static char out[512];
	char source[600], tree[600], **users;
	struct hs_kbuild kb = { .ctx = unit_ctx(), .source = source, .tree = tree };
	int n;

	tree_dirs(source, tree);
	forget_index();
	n = hs_kbuild_includers(&kb, header, &users);
	assert_true(n >= 0);
	join_free(out, sizeof(out), users, (size_t)n);
	hs_kbuild_priv_free(&kb);
	return out;
}

/*
 * Includes the #include index resolves beyond kbuild's global -I directories:
 * <asm/X.h> that x86 lacks is kbuild's generated wrapper of <asm-generic/X.h>
 * (checked against the dependency files of 2,095 real compiles of 6.1: it was
 * most of the 46,660 includes the index missed), and <name> with no '/' from
 * a directory's own -I flags (drivers/cxl/core/region.c's <cxlmem.h>).
 */
static void includes_through_wrappers_and_own_dirs(void **state)
{
	char dir[600];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/source", top);
	assert_int_equal(hs_rm_rf(dir), 0);
	unit_write_file(top, "source/include/asm-generic/unaligned.h", "int u;\n");
	unit_write_file(top, "source/include/uapi/asm-generic/errno.h", "#define E 1\n");
	unit_write_file(top, "source/arch/x86/include/asm/io.h", "#include <asm-generic/io.h>\n");
	unit_write_file(top, "source/include/asm-generic/io.h", "int io;\n");
	unit_write_file(top, "source/a.c", "#include <asm/unaligned.h>\n");
	unit_write_file(top, "source/b.c", "#include <asm/errno.h>\n");
	unit_write_file(top, "source/c.c", "#include <asm/io.h>\n");
	unit_write_file(top, "source/drivers/cxl/cxlmem.h", "int m;\n");
	unit_write_file(top, "source/drivers/cxl/core/region.c", "#include <cxlmem.h>\n");
	assert_string_equal(includers("include/asm-generic/unaligned.h"), "a.c");
	assert_string_equal(includers("include/uapi/asm-generic/errno.h"), "b.c");
	assert_string_equal(includers("include/asm-generic/io.h"), "c.c");
	assert_string_equal(includers("drivers/cxl/cxlmem.h"), "drivers/cxl/core/region.c");
}

/*
 * The blocks the configuration leaves out (cppcond.c): an #include there is
 * no edge, a name there is no mention, a change there changes nothing.
 */
static void configuration_leaves_out_blocks(void **state)
{
	static const struct hs_cppcfg none;
	char dir[600];
	struct hs_cppcfg cfg = { 0 };
	const char *autoconf = "#define CONFIG_ON 1\n";
	struct hs_kbuild_names nm;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/source", top);
	assert_int_equal(hs_rm_rf(dir), 0);
	snprintf(dir, sizeof(dir), "%s/tree", top);
	assert_int_equal(hs_rm_rf(dir), 0);
	unit_write_file(top, "source/include/a.h", a_h);
	unit_write_file(top, "source/include/b.h", "#ifdef CONFIG_OFF\n#include <a.h>\n#endif\n");
	unit_write_file(top, "source/include/s.h", "#include <a.h>\n#if IS_ENABLED(CONFIG_OFF)\n"
			"#define S a_new\n#endif\n");
	unit_write_file(top, "source/x.c", "#include <b.h>\n");
	unit_write_file(top, "source/y.c", "#include <a.h>\nvoid y(void) { a_new(); }\n");
	unit_write_file(top, "source/z.c", "#ifdef CONFIG_ON\n#include <a.h>\n#endif\n");
	unit_write_file(top, "source/v.c", "#include <s.h>\n");
	unit_write_file(top, "a.diff", "--- a/include/a.h\n+++ b/include/a.h\n"
		   "@@ -5,1 +5,2 @@\n"
		   " int a_two(void);\n"
		   "+void a_new(void);\n");
	/* no autoconf.h in the tree: every #include and every mention counts */
	assert_string_equal(includers("include/a.h"), "v.c x.c y.c z.c");
	assert_string_equal(reach_of(4), "v.c y.c");
	unit_write_file(top, "tree/include/generated/autoconf.h", autoconf);
	assert_string_equal(includers("include/a.h"), "v.c y.c z.c");
	assert_string_equal(reach_of(3), "y.c");
	/* ... but not when a makefile sets the name itself */
	unit_write_file(top, "source/Makefile", "ccflags-y += -DCONFIG_OFF\n");
	assert_string_equal(includers("include/a.h"), "v.c x.c y.c z.c");
	snprintf(dir, sizeof(dir), "%s/source/Makefile", top);
	assert_int_equal(unlink(dir), 0);

	/* a change only in a left-out block names nothing; around it, it names */
	assert_int_equal(hs_cppcfg_load(&cfg, autoconf, strlen(autoconf)), 0);
	names_cfg = &cfg;
	assert_string_equal(names("#ifdef CONFIG_OFF\nstruct lock_class { int a; };\n#endif\n",
		"--- a/include/l.h\n+++ b/include/l.h\n"
		"@@ -1,3 +1,4 @@\n"
		" #ifdef CONFIG_OFF\n"
		"+struct lockdep_map;\n"
		"-struct lock_class { int a; };\n"
		"+struct lock_class { int a, b; };\n"
		" #endif\n", &nm), "");
	hs_kbuild_names_free(&nm);
	names_cfg = &none;	/* loaded false: judged as before */
	assert_string_equal(names("#ifdef CONFIG_OFF\nstruct lock_class { int a; };\n#endif\n",
		"--- a/include/l.h\n+++ b/include/l.h\n"
		"@@ -1,3 +1,4 @@\n"
		" #ifdef CONFIG_OFF\n"
		"+struct lockdep_map;\n"
		"-struct lock_class { int a; };\n"
		"+struct lock_class { int a, b; };\n"
		" #endif\n", &nm), "lock_class lockdep_map");
	hs_kbuild_names_free(&nm);
	names_cfg = NULL;
	hs_cppcfg_free(&cfg);
}

/* The files hs_kbuild_callers() finds for @name in a fresh tree @dir ("!why" when it refuses). */
static const char *callers(const char *dir, const char *name)
{
	static char out[512];
	char source[600], tree[600], why[256], **files;
	struct hs_kbuild kb = { .ctx = unit_ctx(), .source = source, .tree = tree };
	char *names[] = { (char *)name };
	size_t n;
	int err;

	snprintf(source, sizeof(source), "%s/%s", top, dir);
	snprintf(tree, sizeof(tree), "%s/tree", top);
	forget_index();
	err = hs_kbuild_callers(&kb, names, 1, &files, &n, why, sizeof(why));
	if (err == -HS_EREFUSED)
		snprintf(out, sizeof(out), "!%s", why);
	else
		assert_int_equal(err, 0);
	if (!err)
		join_free(out, sizeof(out), files, n);
	hs_kbuild_priv_free(&kb);
	return out;
}

/* The narrow key of unit x.c (which read include/l.h) under the patch @diff, post text @post. */
static char *narrow_key_of(const char *diff, const char *post)
{
	char source[600], tree[600], patch[600], shadow[600], **users, list[512];
	struct hs_kbuild kb = { .ctx = unit_ctx(), .source = source, .tree = tree };
	struct hs_kbuild_unit un = { .src = "x.c", .obj = "x.o", .cmd = "gcc -c x.c" };
	struct hs_strv pre = { 0 };
	struct hs_patch p = { 0 };
	char *key;
	int n;

	tree_dirs(source, tree);
	snprintf(patch, sizeof(patch), "%s/l.diff", top);
	snprintf(shadow, sizeof(shadow), "%s/shadow", top);
	unit_write_file(top, "l.diff", diff);
	unit_write_file(top, "shadow/include/l.h", post);
	forget_index();
	n = hs_kbuild_includers(&kb, "include/l.h", &users);	/* the index, and its configuration */
	assert_true(n >= 0);
	join_free(list, sizeof(list), users, (size_t)n);
	assert_int_equal(hs_patch_load(unit_ctx(), patch, &p), 0);
	assert_int_equal(hs_strv_push(&pre, "x.c", 3), 0);
	assert_int_equal(hs_strv_push(&pre, "include/l.h", 11), 0);
	key = hs_kbuild_narrow_key(&kb, &un, &p, shadow, &pre, "post", "objcache", ".o");
	assert_non_null(key);
	hs_strv_free(&pre);
	hs_patch_free(&p);
	hs_kbuild_priv_free(&kb);
	return key;
}

/*
 * A change only in blocks the configuration leaves out, every line where it
 * was, compiles as the pristine file: it stays out of the narrow key (the key
 * of a patch that touches nothing the unit reads). Lines added there, or a
 * change around them, go in.
 */
static void narrow_key_leaves_out_changes_the_configuration_drops(void **state)
{
	const char *pre = "#ifdef CONFIG_OFF\nint a;\n#endif\nint b;\n";
	const char *hunk = "--- a/include/l.h\n+++ b/include/l.h\n@@ -1,4 +1,%d @@\n #ifdef CONFIG_OFF\n";
	char head[128];
	char diff[512], *none, *dead, *longer, *live;

	(void)state;
	unit_write_file(top, "source/include/l.h", pre);
	unit_write_file(top, "tree/include/generated/autoconf.h", "#define CONFIG_ON 1\n");
	snprintf(diff, sizeof(diff), "--- a/y.c\n+++ b/y.c\n@@ -1,1 +1,1 @@\n-x\n+y\n");
	unit_write_file(top, "shadow/y.c", "y\n");
	none = narrow_key_of(diff, pre);
	snprintf(head, sizeof(head), hunk, 4);
	snprintf(diff, sizeof(diff), "%s-int a;\n+long a, c;\n #endif\n int b;\n", head);
	dead = narrow_key_of(diff, "#ifdef CONFIG_OFF\nlong a, c;\n#endif\nint b;\n");
	assert_string_equal(dead, none);
	snprintf(head, sizeof(head), hunk, 5);
	snprintf(diff, sizeof(diff), "%s-int a;\n+int a;\n+int c;\n #endif\n int b;\n", head);
	longer = narrow_key_of(diff, "#ifdef CONFIG_OFF\nint a;\nint c;\n#endif\nint b;\n");
	assert_string_not_equal(longer, none);	/* the lines after it move: __LINE__ */
	snprintf(head, sizeof(head), hunk, 4);
	snprintf(diff, sizeof(diff), "%s int a;\n #endif\n-int b;\n+int c;\n", head);
	live = narrow_key_of(diff, "#ifdef CONFIG_OFF\nint a;\n#endif\nint c;\n");
	assert_string_not_equal(live, none);
	assert_string_not_equal(live, longer);
	free(none);
	free(dead);
	free(longer);
	free(live);
}

static void files_that_can_call_a_function(void **state)
{
	(void)state;
	unit_write_file(top, "c1/include/f.h", "#ifndef F_H\n#define F_H\n"
			"extern int fx(int x);\nint g(void);\n#endif\n");
	unit_write_file(top, "c1/include/w.h", "#include <f.h>\n"
			"static inline int w(void) { return fx(1); }\n");
	unit_write_file(top, "c1/include/m.h", "#define CALL_F(x) \\\n\tfx(x)\n");
	unit_write_file(top, "c1/a.c", "#include <f.h>\nint a(void) { return fx(2); }\n");
	unit_write_file(top, "c1/b.c", "#include <f.h>\nint b(void) { return g(); }\n");
	unit_write_file(top, "c1/c.c", "#include <w.h>\nint c(void) { return w(); }\n");
	unit_write_file(top, "c1/d.c", "#include <m.h>\n");
	unit_write_file(top, "c1/e.c", "int e(void) { return ff(1); }\n");
	/* f.h only declares fx: b.c is no caller; w.h's inline and m.h's macro bring theirs */
	assert_string_equal(callers("c1", "fx"), "a.c c.c d.c");
	/* a quoted include found through a directory's own -I flag counts */
	unit_write_file(top, "c1/sec/lsm/include/av.h", "static inline int av(void) { return fx(3); }\n");
	unit_write_file(top, "c1/sec/lsm/hooks.c", "#include \"av.h\"\n");
	assert_string_equal(callers("c1", "fx"), "a.c c.c d.c sec/lsm/hooks.c");
	/* assembly naming it: its callers cannot all be found */
	unit_write_file(top, "c1/arch/x86/entry/e.S", "\tcall fx\n");
	assert_string_equal(callers("c1", "fx"), "!the assembly file 'arch/x86/entry/e.S' names it");
	/* ... other architectures do not count */
	unit_write_file(top, "c1/arch/x86/entry/e.S", "\tcall fy\n");
	unit_write_file(top, "c1/arch/arm64/e.S", "\tbl fx\n");
	assert_string_equal(callers("c1", "fx"), "a.c c.c d.c sec/lsm/hooks.c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(added_prototype),
		cmocka_unit_test(renamed_static_inline),
		cmocka_unit_test(added_conditional_block_of_defines),
		cmocka_unit_test(multi_line_define),
		cmocka_unit_test(struct_member_is_the_tag),
		cmocka_unit_test(enum_values_and_tag),
		cmocka_unit_test(nested_tags_and_enumerators),
		cmocka_unit_test(changed_include_is_not_names_only),
		cmocka_unit_test(partial_conditional_is_not_names_only),
		cmocka_unit_test(comment_and_spacing_only),
		cmocka_unit_test(hunk_found_at_an_offset),
		cmocka_unit_test(code_in_every_includer_is_not_names_only),
		cmocka_unit_test(macro_calls),
		cmocka_unit_test(files_naming_the_names),
		cmocka_unit_test(includer_blames_the_headers_its_line_names),
		cmocka_unit_test(includes_through_wrappers_and_own_dirs),
		cmocka_unit_test(configuration_leaves_out_blocks),
		cmocka_unit_test(narrow_key_leaves_out_changes_the_configuration_drops),
		cmocka_unit_test(files_that_can_call_a_function),
	};
	int rc;

	if (!mkdtemp(top))
		return 1;
	rc = cmocka_run_group_tests_name("kbuild_names", tests, NULL, NULL);
	if (hs_rm_rf(top))
		rc = 1;
	return rc;
}
