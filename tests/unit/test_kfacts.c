// SPDX-License-Identifier: GPL-2.0
/*
 * test_kfacts.c - the per-kernel facts table: which kernels have a row, and
 * that anything else (another series, another architecture, a config without
 * CONFIG_LIVEPATCH or with other IBT/padding settings) is refused by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "elf/kfacts.h"

static void rows_by_release(void **state)
{
	const struct hs_kfacts *f;

	(void)state;
	assert_int_equal(hs_kfacts_for_release(unit_ctx(), "6.1.0-55-cloud-amd64", &f), 0);
	assert_string_equal(f->series, "6.1");
	assert_false(f->ibt);
	assert_int_equal(hs_kfacts_special(f, ".altinstructions")->entsize, 12);
	assert_non_null(hs_kfacts_special(f, ".parainstructions"));
	assert_int_equal(hs_kfacts_for_release(unit_ctx(), "6.1.0-55-amd64", &f), 0);
	assert_int_equal(hs_kfacts_for_release(unit_ctx(), "6.12.113+deb12-cloud-amd64", &f), 0);
	assert_string_equal(f->series, "6.12");
	assert_true(f->ibt);
	assert_int_equal(f->padding, 16);
	assert_int_equal(hs_kfacts_special(f, ".altinstructions")->entsize, 14);
	assert_null(hs_kfacts_special(f, ".parainstructions"));
	assert_int_equal(hs_kfacts_special(f, "__patchable_function_entries")->owner_bias, 16);
	/* 6.12 added an inode argument before the line */
	assert_int_equal(hs_kfacts_line_arg(f, "__ext4_journal_start_sb"), 3);
	assert_int_equal(hs_kfacts_line_arg(hs_kfacts_series("6.1"), "__ext4_journal_start_sb"), 2);
	assert_int_equal(hs_kfacts_line_arg(f, "__might_sleep"), 2);
	assert_int_equal(hs_kfacts_line_arg(f, "printk"), 0);
	assert_int_equal(hs_kfacts_line_arg(f, NULL), 0);
	unit_messages();
}

static void unknown_kernels_are_refused(void **state)
{
	const struct hs_kfacts *f;

	(void)state;
	assert_int_equal(hs_kfacts_for_release(unit_ctx(), "5.10.0-30-amd64", &f), -HS_EREFUSED);
	assert_null(f);
	assert_non_null(strstr(unit_messages(), "knows no facts about Linux 5.10 (its special sections, what it rewrites at run time); supported series: 6.1, 6.12"));
	assert_int_equal(hs_kfacts_for_release(unit_ctx(), "vmlinux", &f), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "no MAJOR.MINOR version"));
}

/* A headers directory with @release and @config. */
static void headers(const char *dir, const char *release, const char *config)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "mkdir -p %s/include/generated", dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/include/generated/utsrelease.h", dir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "#define UTS_RELEASE \"%s\"\n", release);
	fclose(f);
	snprintf(path, sizeof(path), "%s/.config", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs(config, f);
	fclose(f);
}

static void headers_config_is_checked(void **state)
{
	char dir[] = "/tmp/hs-kfacts.XXXXXX", cmd[64];
	const struct hs_kfacts *f;
	const char *msg;

	(void)state;
	assert_non_null(mkdtemp(dir));
	headers(dir, "6.12.113+deb12-cloud-amd64", "CONFIG_X86_64=y\nCONFIG_LIVEPATCH=y\n"
		"CONFIG_X86_KERNEL_IBT=y\nCONFIG_FUNCTION_PADDING_BYTES=16\n");
	assert_int_equal(hs_kfacts_for_headers(unit_ctx(), dir, &f), 0);
	assert_string_equal(f->series, "6.12");
	headers(dir, "6.12.113+deb12-cloud-amd64", "CONFIG_X86_64=y\n# CONFIG_LIVEPATCH is not set\n"
		"CONFIG_FUNCTION_PADDING_BYTES=16\n");
	assert_int_equal(hs_kfacts_for_headers(unit_ctx(), dir, &f), -HS_EREFUSED);
	assert_null(f);
	msg = unit_messages();
	assert_non_null(strstr(msg, "CONFIG_LIVEPATCH is not set: this kernel cannot be live-patched"));
	assert_non_null(strstr(msg, "CONFIG_X86_KERNEL_IBT is not set, but hotsplice knows Linux 6.12 with it"));
	headers(dir, "6.1.0-55-cloud-amd64", "CONFIG_ARM64=y\nCONFIG_LIVEPATCH=y\n");
	assert_int_equal(hs_kfacts_for_headers(unit_ctx(), dir, &f), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "not an x86_64 kernel (CONFIG_X86_64 is not set)"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void fentry_after_endbr(void **state)
{
	static const unsigned char ibt[] = { 0xf3, 0x0f, 0x1e, 0xfa, 0xe8, 0, 0, 0, 0, 0xc3 };
	static const unsigned char plain[] = { 0xe8, 0, 0, 0, 0, 0xc3, 0xcc, 0xcc, 0xcc, 0xcc };
	static const unsigned char sealed[] = { 0x66, 0x0f, 0x1f, 0x00 };

	(void)state;
	assert_int_equal(hs_kfacts_fentry_off(ibt, sizeof(ibt)), 4);
	assert_int_equal(hs_kfacts_fentry_off(plain, sizeof(plain)), 0);
	assert_true(hs_kfacts_is_endbr(ibt, false));
	assert_false(hs_kfacts_is_endbr(sealed, false));
	assert_true(hs_kfacts_is_endbr(sealed, true));
	assert_false(hs_kfacts_is_endbr(plain, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_by_release),
		cmocka_unit_test(unknown_kernels_are_refused),
		cmocka_unit_test(headers_config_is_checked),
		cmocka_unit_test(fentry_after_endbr),
	};

	return cmocka_run_group_tests_name("kfacts", tests, NULL, NULL);
}
