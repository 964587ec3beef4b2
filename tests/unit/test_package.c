// SPDX-License-Identifier: GPL-2.0
/* test_package.c - update packages: round trip, and refusal of damaged ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "../../lib/package.h"

static char dir[] = "/tmp/hs-test-package.XXXXXX";

static const char *tmp_path(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void make_package(const char *path)
{
	struct hs_pkg pkg = { 0 };

	pkg.id = strdup("fix-1");
	pkg.description = strdup("a test\nwith two lines");
	pkg.target_release = strdup("6.1.0-55-cloud-amd64");
	pkg.target_version = strdup("#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1 (2026-11-14)");
	pkg.effective_version = strdup("6.1.192-2");
	pkg.compiler = strdup("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0");
	pkg.module = strdup("hs_fix_1");
	assert_int_equal(hs_pkg_add_file(&pkg, "hs_fix_1.ko", "\177ELF module", 11), 0);
	assert_int_equal(hs_pkg_add_file(&pkg, "pre/kernel/sys.o", "pre code", 8), 0);
	assert_int_equal(hs_pkg_add_func(&pkg, "pre/kernel/sys.o", "vmlinux", "override_release",
					 "override_release"), 0);
	assert_int_equal(hs_pkg_add_str(&pkg.base, &pkg.nbase, "fix-0"), 0);
	assert_int_equal(hs_pkg_add_str(&pkg.includes, &pkg.nincludes, "fix-00"), 0);
	assert_int_equal(hs_pkg_add_str(&pkg.includes, &pkg.nincludes, "fix-0"), 0);
	assert_int_equal(hs_pkg_write(unit_ctx(), path, &pkg), 0);
	hs_pkg_free(&pkg);
}

static void round_trip(void **state)
{
	const struct hs_pkg_file *f;
	struct hs_pkg pkg;

	(void)state;
	make_package(tmp_path("a.hsu"));
	assert_int_equal(hs_pkg_read(unit_ctx(), tmp_path("a.hsu"), &pkg), 0);
	assert_string_equal(pkg.id, "fix-1");
	assert_string_equal(pkg.description, "a test with two lines");
	assert_string_equal(pkg.target_version, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1 (2026-11-14)");
	assert_non_null(pkg.created);
	assert_int_equal(pkg.nfuncs, 1);
	assert_string_equal(pkg.funcs[0].name, "override_release");
	assert_true(hs_pkg_cumulative(&pkg));
	assert_int_equal(pkg.nbase, 1);
	assert_string_equal(pkg.base[0], "fix-0");
	assert_int_equal(pkg.nincludes, 2);
	assert_string_equal(pkg.includes[0], "fix-00");
	assert_true(hs_pkg_has_str(pkg.includes, pkg.nincludes, "fix-0"));
	f = hs_pkg_file(&pkg, "pre/kernel/sys.o");
	assert_non_null(f);
	assert_int_equal(f->size, 8);
	assert_memory_equal(f->data, "pre code", 8);
	hs_pkg_free(&pkg);
}

static void refuse(const char *path, const char *expect)
{
	struct hs_pkg pkg;

	unit_messages();
	assert_int_equal(hs_pkg_read(unit_ctx(), path, &pkg), -HS_EFORMAT);
	if (!strstr(unit_messages(), expect))
		fail_msg("message does not say '%s'", expect);
}

static void truncated_is_refused(void **state)
{
	struct stat st;

	(void)state;
	make_package(tmp_path("t.hsu"));
	assert_int_equal(stat(tmp_path("t.hsu"), &st), 0);
	assert_int_equal(truncate(tmp_path("t.hsu"), 1536), 0);
	refuse(tmp_path("t.hsu"), "t.hsu");
}

static void corrupted_member_is_refused(void **state)
{
	FILE *f;
	char buf[8192];
	size_t n;
	char *p;

	(void)state;
	make_package(tmp_path("c.hsu"));
	f = fopen(tmp_path("c.hsu"), "r+b");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	p = memmem(buf, n, "pre code", 8);
	assert_non_null(p);
	p[0] = 'P';
	fseek(f, 0, SEEK_SET);
	fwrite(buf, 1, n, f);
	fclose(f);
	refuse(tmp_path("c.hsu"), "member 'pre/kernel/sys.o' is corrupted");
}

static void empty_is_refused(void **state)
{
	FILE *f = fopen(tmp_path("e.hsu"), "w");

	(void)state;
	fclose(f);
	refuse(tmp_path("e.hsu"), "e.hsu");
}

static void ids_are_checked(void **state)
{
	(void)state;
	assert_true(hs_pkg_id_valid("cve-2026-1234_a"));
	assert_false(hs_pkg_id_valid(""));
	assert_false(hs_pkg_id_valid("../etc"));
	assert_false(hs_pkg_id_valid("a b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(truncated_is_refused),
		cmocka_unit_test(corrupted_member_is_refused),
		cmocka_unit_test(empty_is_refused),
		cmocka_unit_test(ids_are_checked),
	};
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests_name("package", tests, NULL, NULL);
	for (const char *n = "a.hsu\0t.hsu\0c.hsu\0e.hsu\0"; *n; n += strlen(n) + 1)
		unlink(tmp_path(n));
	rmdir(dir);
	return rc;
}
