// SPDX-License-Identifier: GPL-2.0
/* test_cppcond.c - lib/build/cppcond.c: the lines a configuration leaves out. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "build/cppcond.h"

static const char autoconf[] =
	"/* Automatically generated file; DO NOT EDIT. */\n"
	"#define CONFIG_TREE_RCU 1\n"
	"#define CONFIG_NR_CPUS 8192\n"
	"#define CONFIG_PHYSICAL_START 0x1000000\n"
	"#define CONFIG_EXT4_FS_MODULE 1\n"
	"#define CONFIG_LOCALVERSION \"\"\n"
	"#define CONFIG_SET_BY_A_FILE 1\n";

static void load(struct hs_cppcfg *c)
{
	memset(c, 0, sizeof(*c));
	assert_int_equal(hs_cppcfg_load(c, autoconf, strlen(autoconf)), 0);
}

/* One character per line of @text: 'D' left out, '.' kept. */
static const char *judge(const struct hs_cppcfg *c, const char *text)
{
	static char out[256];
	bool *dead;
	size_t n;

	assert_int_equal(hs_cpp_dead_lines(c, text, strlen(text), &dead, &n), 0);
	assert_true(n < sizeof(out));
	for (size_t i = 0; i < n; i++)
		out[i] = dead[i] ? 'D' : '.';
	out[n] = 0;
	free(dead);
	return out;
}

static void branches_by_the_configuration(void **state)
{
	struct hs_cppcfg c;

	(void)state;
	load(&c);
	assert_string_equal(judge(&c,
		"#if defined(CONFIG_TREE_RCU)\n"	/* . */
		"#include <linux/rcutree.h>\n"	/* . */
		"#elif defined(CONFIG_TINY_RCU)\n"	/* . */
		"#include <linux/rcutiny.h>\n"	/* D */
		"#else\n"			/* . */
		"#error no RCU\n"		/* D */
		"#endif\n"),			/* . */
		"...D.D.");
	assert_string_equal(judge(&c,
		"#ifdef CONFIG_LOCKDEP\n"
		"struct held_lock;\n"
		"#ifdef CONFIG_TREE_RCU\n"	/* inside a left-out block: left out */
		"int x;\n"
		"#endif\n"
		"#else\n"
		"int y;\n"
		"#endif\n"
		"#ifndef CONFIG_LOCKDEP\n"
		"int z;\n"
		"#endif\n"),
		".DDDD......");
	/* values, =m, IS_*() of include/linux/kconfig.h, #if 0 */
	assert_string_equal(judge(&c,
		"#if CONFIG_NR_CPUS > 1 && CONFIG_PHYSICAL_START == 0x1000000\na\n#endif\n"
		"#if CONFIG_NR_CPUS < 64\nb\n#endif\n"
		"#ifdef CONFIG_EXT4_FS\nc\n#endif\n"
		"#if IS_ENABLED(CONFIG_EXT4_FS) && !IS_BUILTIN(CONFIG_EXT4_FS)\nd\n#endif\n"
		"#if IS_MODULE(CONFIG_TREE_RCU) || IS_ENABLED(CONFIG_NOPE)\ne\n#endif\n"
		"#if IS_REACHABLE(CONFIG_EXT4_FS)\nf\n#endif\n"
		"#if 0\ng\n#elif 1\nh\n#else\ni\n#endif\n"
		"#if (CONFIG_NR_CPUS / 0) || 1 ? 0 : 1\nj\n#endif\n"),
		"....D..D.....D.....D...D..D.");
	hs_cppcfg_free(&c);
}

static void what_is_not_known_is_kept(void **state)
{
	struct hs_cppcfg c, none = { 0 };
	const char *setters = "# define CONFIG_SET_BY_A_FILE 0\n";
	const char *makefile = "ccflags-y += -DCONFIG_MAKE_SET -U CONFIG_TREE_RCU\n";

	(void)state;
	load(&c);
	/* another macro, MODULE, a guard, a function-like macro, a string value */
	assert_string_equal(judge(&c,
		"#ifndef _A_H\n#if BITS_PER_LONG == 64\na\n#endif\n"
		"#if defined(MODULE) && defined(CONFIG_NOPE)\nb\n#endif\n"
		"#if defined(MODULE) || defined(CONFIG_NOPE)\nc\n#endif\n"
		"#if __has_include(<x.h>)\nd\n#endif\n"
		"#if CONFIG_LOCALVERSION\ne\n#endif\n#endif\n"),
		".....D...........");
	/* names some file or makefile sets itself are not known */
	assert_int_equal(hs_cppcfg_scan_setters(&c, setters, strlen(setters), false), 0);
	assert_int_equal(hs_cppcfg_scan_setters(&c, makefile, strlen(makefile), true), 0);
	assert_int_equal(c.nunknown, 3);
	assert_string_equal(judge(&c,
		"#ifndef CONFIG_SET_BY_A_FILE\na\n#endif\n"
		"#ifdef CONFIG_MAKE_SET\nb\n#endif\n"
		"#if !IS_ENABLED(CONFIG_TREE_RCU)\nc\n#endif\n"
		"#ifdef CONFIG_NOPE\nd\n#endif\n"),
		"..........D.");
	/* no configuration: nothing left out */
	assert_string_equal(judge(&none, "#ifdef CONFIG_NOPE\nd\n#endif\n#if 0\ne\n#endif\n"),
			    "......");
	hs_cppcfg_free(&c);
}

static void comments_continuations_and_broken_nesting(void **state)
{
	struct hs_cppcfg c;

	(void)state;
	load(&c);
	/* a directive in a comment is not one; a continued or commented directive is one */
	assert_string_equal(judge(&c,
		"/*\n#if 0\n*/\n"
		"#if defined(CONFIG_NOPE) && \\\n    defined(CONFIG_TREE_RCU)\nx\n#endif\n"
		"#if 1 /* a comment\n   over lines */ && defined(CONFIG_NOPE)\ny\n#endif\n"
		"char *s = \"/*\";\n#ifdef CONFIG_NOPE\nz\n#endif\n"
		"// #if 0\nw\n"),
		".....D...D...D...");
	/* a comment opener in a directive's string is none */
	assert_string_equal(judge(&c, "#ifdef CONFIG_NOPE\n#define X \"/*\"\na\n#else\nb\n#endif\n"),
			    ".DD...");
	/* #endif missing, an #else too many, a directive after a comment ending on its line */
	assert_string_equal(judge(&c, "#ifdef CONFIG_NOPE\na\n"), "..");
	assert_string_equal(judge(&c, "#ifdef CONFIG_NOPE\na\n#else\nb\n#else\nc\n#endif\n"),
			    ".......");
	assert_string_equal(judge(&c, "#ifdef CONFIG_NOPE\na\n#endif\n/*\n*/ #if 0\nb\n#endif\n"),
			    ".......");
	hs_cppcfg_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(branches_by_the_configuration),
		cmocka_unit_test(what_is_not_known_is_kept),
		cmocka_unit_test(comments_continuations_and_broken_nesting),
	};

	return cmocka_run_group_tests_name("cppcond", tests, NULL, NULL);
}
