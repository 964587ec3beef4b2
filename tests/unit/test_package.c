// SPDX-License-Identifier: GPL-2.0
/* test_package.c - update packages: round trip, and refusal of damaged ones. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "unit.h"
#include "package/package.h"

static char dir[] = "/tmp/hs-test-package.XXXXXX";

static const char *tmp_path(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

/* Write a small package to @path, changed by @edit (if not NULL) before it is written. */
static void make_package_edited(const char *path, void (*edit)(struct hs_pkg *pkg))
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
	if (edit)
		edit(&pkg);
	assert_int_equal(hs_pkg_write(unit_ctx(), path, &pkg), 0);
	hs_pkg_free(&pkg);
}

static void make_package(const char *path)
{
	make_package_edited(path, NULL);
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

static void replace(char **field, const char *val)
{
	free(*field);
	*field = strdup(val);
}

static void bad_module(struct hs_pkg *p) { replace(&p->module, "../../../tmp/x"); }
static void long_module(struct hs_pkg *p)
{
	replace(&p->module, "m2345678901234567890123456789012345678901234567890123456");
}
static void spaced_effective(struct hs_pkg *p) { replace(&p->effective_version, "6.1 192"); }
static void control_description(struct hs_pkg *p) { replace(&p->description, "a\033[2Jb"); }
static void comma_function(struct hs_pkg *p) { replace(&p->funcs[0].name, "a,b"); }
static void bad_klp_object(struct hs_pkg *p) { replace(&p->funcs[0].klp_obj, "../x"); }

static void many_funcs(struct hs_pkg *p)
{
	for (int i = 0; i < HS_PKG_MEMBERS_MAX; i++)
		assert_int_equal(hs_pkg_add_func(p, "pre/kernel/sys.o", "vmlinux", "f", "f"), 0);
}

static void many_files(struct hs_pkg *p)
{
	char name[32];

	for (int i = 0; i < HS_PKG_MEMBERS_MAX; i++) {
		snprintf(name, sizeof(name), "pre/%d.o", i);
		assert_int_equal(hs_pkg_add_file(p, name, "", 0), 0);
	}
}

/* MANIFEST values end up in paths, module parameters and the state's lines: checked. */
static void manifest_values_are_checked(void **state)
{
	static const struct {
		void (*edit)(struct hs_pkg *pkg);
		const char *why;
	} cases[] = {
		{ bad_module, "invalid module name '../../../tmp/x'" },
		{ long_module, "invalid module name" },
		{ spaced_effective, "effective-version must be one word" },
		{ control_description, "the description one line of text" },
		{ comma_function, "invalid function entry 'a,b'" },
		{ bad_klp_object, "invalid function entry 'override_release' (../x)" },
		{ many_funcs, "more than 4096 'func' entries" },
		{ many_files, "more than 4096 'file' entries" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_package_edited(tmp_path("m.hsu"), cases[i].edit);
		refuse(tmp_path("m.hsu"), cases[i].why);
	}
	assert_true(hs_pkg_modname_valid("hs_fix-1"));
	assert_true(hs_pkg_word_valid("6.1.192-2+hs1"));
	assert_false(hs_pkg_word_valid("a\tb"));
	assert_true(hs_pkg_text_valid("fix for CVE-2026-1 (ext4)"));
	assert_false(hs_pkg_text_valid("two\nlines"));
}

/* An archive of more members than any package has (here directories) is refused. */
static void too_many_members_is_refused(void **state)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ent = archive_entry_new();
	char name[32];

	(void)state;
	archive_write_set_format_ustar(a);
	assert_int_equal(archive_write_open_filename(a, tmp_path("n.hsu")), ARCHIVE_OK);
	archive_entry_set_pathname(ent, "MANIFEST");
	archive_entry_set_filetype(ent, AE_IFREG);
	archive_entry_set_size(ent, 26);
	archive_entry_set_perm(ent, 0644);
	assert_int_equal(archive_write_header(a, ent), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, "format hotsplice-update 1\n", 26), 26);
	for (int i = 0; i <= HS_PKG_MEMBERS_MAX + 1; i++) {	/* besides MANIFEST and MANIFEST.sig */
		archive_entry_clear(ent);
		snprintf(name, sizeof(name), "d%d/", i);
		archive_entry_set_pathname(ent, name);
		archive_entry_set_filetype(ent, AE_IFDIR);
		archive_entry_set_perm(ent, 0755);
		assert_int_equal(archive_write_header(a, ent), ARCHIVE_OK);
	}
	archive_entry_free(ent);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	refuse(tmp_path("n.hsu"), "more than 4096 members");
}

/* A file larger than any package is refused before it is read. */
static void oversized_is_refused(void **state)
{
	int fd = open(tmp_path("big.hsu"), O_CREAT | O_TRUNC | O_WRONLY, 0600);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)HS_PKG_SIZE_MAX + 1), 0);	/* sparse */
	close(fd);
	refuse(tmp_path("big.hsu"), "larger than a package can be");
}

/* The package bytes in memory are what is verified (what apply loads and stores). */
static void parses_the_bytes_given(void **state)
{
	unsigned char *data;
	struct hs_pkg pkg;
	size_t len;

	(void)state;
	make_package(tmp_path("a.hsu"));
	assert_int_equal(hs_pkg_read_bytes(unit_ctx(), tmp_path("a.hsu"), &data, &len), 0);
	unlink(tmp_path("a.hsu"));	/* the path is not read again */
	assert_int_equal(hs_pkg_parse(unit_ctx(), "mem", data, len, &pkg), 0);
	assert_string_equal(pkg.id, "fix-1");
	hs_pkg_free(&pkg);
	((unsigned char *)memmem(data, len, "pre code", 8))[0] = 'P';
	unit_messages();
	assert_int_equal(hs_pkg_parse(unit_ctx(), "mem", data, len, &pkg), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "'mem': member 'pre/kernel/sys.o' is corrupted"));
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(truncated_is_refused),
		cmocka_unit_test(corrupted_member_is_refused),
		cmocka_unit_test(empty_is_refused),
		cmocka_unit_test(ids_are_checked),
		cmocka_unit_test(manifest_values_are_checked),
		cmocka_unit_test(too_many_members_is_refused),
		cmocka_unit_test(oversized_is_refused),
		cmocka_unit_test(parses_the_bytes_given),
	};
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests_name("package", tests, NULL, NULL);
	for (const char *n = "a.hsu\0t.hsu\0c.hsu\0e.hsu\0m.hsu\0big.hsu\0n.hsu\0"; *n; n += strlen(n) + 1)
		unlink(tmp_path(n));
	rmdir(dir);
	return rc;
}
