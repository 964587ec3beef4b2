// SPDX-License-Identifier: GPL-2.0
/* test_patch.c - lib/patch.c: parsing unified diffs, checking them with GNU patch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "core/cache.h"
#include "build/patch.h"

static int parse(const char *text, struct hs_patch *p)
{
	return hs_patch_parse(unit_ctx(), "t.diff", text, strlen(text), p);
}

static void git_modify(void **state)
{
	const char *text =
		"From 1234 Mon Sep 17 00:00:00 2001\n"
		"Subject: [PATCH] sys: change uname\n"
		"\n"
		"--- this commit message line is not a header\n"
		"---\n"
		" kernel/sys.c | 3 ++-\n"
		"\n"
		"diff --git a/kernel/sys.c b/kernel/sys.c\n"
		"index 1111111..2222222 100644\n"
		"--- a/kernel/sys.c\n"
		"+++ b/kernel/sys.c\n"
		"@@ -10,4 +10,5 @@ static int override_release(char __user *release, size_t len)\n"
		" \tint ret = 0;\n"
		"-\tif (x)\n"
		"+\tif (y)\n"
		"+\t\tret = 1;\n"
		"\n"
		" \treturn ret;\n"
		"@@ -100 +101 @@\n"
		"-a\n"
		"+b\n"
		"-- \n"
		"2.39.2\n";
	struct hs_patch p;

	(void)state;
	assert_int_equal(parse(text, &p), 0);
	assert_int_equal(p.nfiles, 1);
	assert_string_equal(p.files[0].path, "kernel/sys.c");
	assert_string_equal(p.files[0].old_path, "kernel/sys.c");
	assert_true(p.files[0].is_git);
	assert_false(p.files[0].is_new || p.files[0].is_deleted || p.files[0].is_rename);
	assert_int_equal(p.files[0].nhunks, 2);
	assert_int_equal(p.files[0].hunks[0].old_start, 10);
	assert_int_equal(p.files[0].hunks[0].new_count, 5);
	assert_int_equal(p.files[0].hunks[0].line, 12);
	assert_int_equal(p.files[0].hunks[1].old_count, 1);
	assert_int_equal(p.files[0].added, 3);
	assert_int_equal(p.files[0].removed, 2);
	assert_non_null(hs_patch_find(&p, "kernel/sys.c"));
	assert_null(hs_patch_find(&p, "kernel/fork.c"));
	hs_patch_free(&p);
}

static void new_deleted_and_plain_diff(void **state)
{
	const char *text =
		"diff --git a/kernel/new.c b/kernel/new.c\n"
		"new file mode 100644\n"
		"index 0000000..3333333\n"
		"--- /dev/null\n"
		"+++ b/kernel/new.c\n"
		"@@ -0,0 +1,2 @@\n"
		"+int a;\n"
		"+int b;\n"
		"diff --git a/kernel/old.c b/kernel/old.c\n"
		"deleted file mode 100644\n"
		"--- a/kernel/old.c\n"
		"+++ /dev/null\n"
		"@@ -1 +0,0 @@\n"
		"-int c;\n"
		"diff -urN linux.orig/fs/proc/cmdline.c linux/fs/proc/cmdline.c\n"
		"--- linux.orig/fs/proc/cmdline.c\t2024-01-01 00:00:00.000000000 +0000\n"
		"+++ linux/fs/proc/cmdline.c\t2024-01-02 00:00:00.000000000 +0000\n"
		"@@ -1,1 +1,1 @@\n"
		"-x\n"
		"\\ No newline at end of file\n"
		"+y\n"
		"\\ No newline at end of file\n";
	struct hs_patch p;

	(void)state;
	assert_int_equal(parse(text, &p), 0);
	assert_int_equal(p.nfiles, 3);
	assert_true(p.files[0].is_new);
	assert_null(p.files[0].old_path);
	assert_string_equal(p.files[0].path, "kernel/new.c");
	assert_true(p.files[1].is_deleted);
	assert_null(p.files[1].new_path);
	assert_string_equal(p.files[1].path, "kernel/old.c");
	assert_false(p.files[2].is_git);
	assert_string_equal(p.files[2].path, "fs/proc/cmdline.c");
	assert_int_equal(p.files[2].added, 1);
	assert_int_equal(p.files[2].removed, 1);
	hs_patch_free(&p);
}

static void renames_and_binary(void **state)
{
	const char *text =
		"diff --git a/lib/a.c b/lib/b.c\n"
		"similarity index 100%\n"
		"rename from lib/a.c\n"
		"rename to lib/b.c\n"
		"diff --git a/lib/c.c b/lib/d.c\n"
		"similarity index 90%\n"
		"rename from lib/c.c\n"
		"rename to lib/d.c\n"
		"--- a/lib/c.c\n"
		"+++ b/lib/d.c\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n"
		"diff --git a/fw.bin b/fw.bin\n"
		"index 1..2 100644\n"
		"Binary files a/fw.bin and b/fw.bin differ\n"
		"diff --git \"a/sp ace.c\" \"b/sp ace.c\"\n"
		"--- \"a/sp ace.c\"\n"
		"+++ \"b/sp ace.c\"\n"
		"@@ -1 +1 @@\n"
		"-1\n"
		"+2\n";
	struct hs_patch p;

	(void)state;
	assert_int_equal(parse(text, &p), 0);
	assert_int_equal(p.nfiles, 4);
	assert_true(p.files[0].is_rename);
	assert_int_equal(p.files[0].nhunks, 0);
	assert_string_equal(p.files[0].old_path, "lib/a.c");
	assert_string_equal(p.files[0].path, "lib/b.c");
	assert_true(p.files[1].is_rename);
	assert_int_equal(p.files[1].nhunks, 1);
	assert_string_equal(p.files[1].old_path, "lib/c.c");
	assert_string_equal(p.files[1].path, "lib/d.c");
	assert_true(p.files[2].is_binary);
	assert_string_equal(p.files[2].path, "fw.bin");
	assert_string_equal(p.files[3].path, "sp ace.c");
	assert_non_null(hs_patch_find(&p, "lib/c.c"));
	hs_patch_free(&p);
}

static void expect_malformed(const char *text, const char *message)
{
	struct hs_patch p;

	unit_messages();
	assert_int_equal(parse(text, &p), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), message));
	hs_patch_free(&p);
}

static void malformed_input(void **state)
{
	(void)state;
	expect_malformed("just some text\n", "no file changes found");
	expect_malformed("", "no file changes found");
	expect_malformed("--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n",
			 "line 6: malformed patch: truncated hunk");
	expect_malformed("--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n a\nxyz\n",
			 "truncated hunk: fewer lines");
	expect_malformed("@@ -1 +1 @@\n-a\n+b\n", "hunk outside a file");
	expect_malformed("--- a/x.c\n+++ b/x.c\n@@ -1 +1 @ bad\n", "bad hunk header");
	expect_malformed("--- a/../etc/passwd\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n",
			 "'..' in a file name");
	expect_malformed("--- a/x.c\n+++ b/x.c\n", "file header without hunks");
	expect_malformed("--- x.c\n+++ x.c\n@@ -1 +1 @@\n-a\n+b\n", "no leading directory");
}

/* A scratch tree with one file, and a patch file against it. */
static char *scratch(const char *content, const char *patch)
{
	char *dir = strdup("/tmp/hs-test-patch-XXXXXX");
	char *path;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	path = hs_strdupf("%s/src/kernel", dir);
	assert_int_equal(hs_mkdir_p(unit_ctx(), path), 0);
	free(path);
	path = hs_strdupf("%s/src/kernel/sys.c", dir);
	f = fopen(path, "w");
	fputs(content, f);
	fclose(f);
	free(path);
	path = hs_strdupf("%s/p.diff", dir);
	f = fopen(path, "w");
	fputs(patch, f);
	fclose(f);
	free(path);
	return dir;
}

static void check_with_gnu_patch(void **state)
{
	const char *good = "--- a/kernel/sys.c\n+++ b/kernel/sys.c\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
	const char *bad = "--- a/kernel/sys.c\n+++ b/kernel/sys.c\n@@ -1,3 +1,3 @@\n a\n-x\n+B\n c\n";
	char *dir, *src, *pf, *text;

	(void)state;
	dir = scratch("a\nb\nc\n", good);
	src = hs_strdupf("%s/src", dir);
	pf = hs_strdupf("%s/p.diff", dir);
	assert_int_equal(hs_patch_check(unit_ctx(), pf, src), 0);
	free(src);
	src = hs_strdupf("%s/src/kernel/sys.c", dir);
	assert_int_equal(hs_read_file(unit_ctx(), src, &text, NULL), 0);
	assert_string_equal(text, "a\nb\nc\n");	/* a dry run changes nothing */
	free(text);
	free(src);
	src = hs_strdupf("%s/src", dir);
	assert_int_equal(hs_patch_apply(unit_ctx(), pf, src), 0);
	/* applied once: a second check finds it already applied */
	unit_messages();
	assert_int_equal(hs_patch_check(unit_ctx(), pf, src), -22 /* -EINVAL */);
	assert_non_null(strstr(unit_messages(), "file 'kernel/sys.c': already applied"));
	assert_int_equal(hs_rm_rf(dir), 0);
	free(dir);
	free(src);
	free(pf);

	dir = scratch("a\nb\nc\n", bad);
	src = hs_strdupf("%s/src", dir);
	pf = hs_strdupf("%s/p.diff", dir);
	unit_messages();
	assert_int_equal(hs_patch_check(unit_ctx(), pf, src), -22);
	assert_non_null(strstr(unit_messages(), "file 'kernel/sys.c': hunk #1 does not apply at line 1"));
	assert_int_equal(hs_rm_rf(dir), 0);
	free(dir);
	free(src);
	free(pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(git_modify),
		cmocka_unit_test(new_deleted_and_plain_diff),
		cmocka_unit_test(renames_and_binary),
		cmocka_unit_test(malformed_input),
		cmocka_unit_test(check_with_gnu_patch),
	};

	return cmocka_run_group_tests_name("patch", tests, NULL, NULL);
}
