// SPDX-License-Identifier: GPL-2.0
/*
 * test_cumulative.c - what loaded livepatches hold, read from a livepatch
 * sysfs tree made here, and the refusals of an update on top of them: a
 * function already replaced (hotsplice's or another tool's), a cumulative
 * update whose base is not what is live.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "unit.h"
#include "core/cache.h"
#include "target/cumulative.h"

static char top[] = "/tmp/hs-test-cumul.XXXXXX";
static char sysfs[300];

static void put(const char *rel, const char *text)
{
	char *path = hs_strdupf("%s/%s", sysfs, rel), *slash = strrchr(path, '/');
	FILE *f;

	*slash = 0;
	assert_int_equal(hs_mkdir_p(NULL, path), 0);
	*slash = '/';
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* Livepatch @name, enabled or not, replacing function dirs @funcs ("obj/func,pos"). */
static void livepatch(const char *name, int enabled, const char *const *funcs)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "%s/enabled", name);
	put(rel, enabled ? "1\n" : "0\n");
	snprintf(rel, sizeof(rel), "%s/transition", name);
	put(rel, "0\n");
	for (; *funcs; funcs++) {
		char *d = hs_strdupf("%s/%s/%s", sysfs, name, *funcs);

		assert_int_equal(hs_mkdir_p(NULL, d), 0);
		free(d);
	}
}

/* A package of update @id (module hs_<id>) for the running kernel replacing vmlinux @func. */
static void fake_pkg(struct hs_pkg *pkg, const char *id, const char *module, const char *func)
{
	static struct utsname u;
	static struct hs_pkg_func f;

	uname(&u);
	memset(pkg, 0, sizeof(*pkg));
	f = (struct hs_pkg_func){ .obj = (char *)"pre/fs/proc/cmdline.o",
				  .klp_obj = (char *)"vmlinux", .name = (char *)func,
				  .new_name = (char *)func };
	pkg->id = (char *)id;
	pkg->module = (char *)module;
	pkg->target_release = u.release;
	pkg->target_version = u.version;
	pkg->description = (char *)"test";
	pkg->funcs = &f;
	pkg->nfuncs = 1;
}

static int check(const struct hs_state *st, const struct hs_pkg *pkg)
{
	struct hs_lp_env env;
	struct hs_lp_live live;
	int err;

	hs_lp_env_init(&env);
	env.sysfs = sysfs;
	assert_int_equal(hs_lp_live_scan(&env, &live), 0);
	err = hs_cumul_check(unit_ctx(), &live, st, pkg, NULL, 0);
	hs_lp_live_free(&live);
	return err;
}

static void scan_reads_enabled_livepatches(void **state)
{
	struct hs_lp_env env;
	struct hs_lp_live live;

	(void)state;
	snprintf(sysfs, sizeof(sysfs), "%s/scan", top);
	livepatch("hs_a", 1, (const char *const[]){ "vmlinux/cmdline_proc_show,1",
						    "ext4/ext4_mb_load_buddy_gfp,2", NULL });
	livepatch("gone", 0, (const char *const[]){ "vmlinux/version_proc_show,1", NULL });
	hs_lp_env_init(&env);
	env.sysfs = sysfs;
	assert_int_equal(hs_lp_live_scan(&env, &live), 0);
	assert_int_equal(live.npatches, 1);
	assert_string_equal(live.patches[0], "hs_a");
	assert_int_equal(live.nheld, 2);
	for (size_t i = 0; i < live.nheld; i++)
		if (!strcmp(live.held[i].obj, "ext4")) {
			assert_string_equal(live.held[i].func, "ext4_mb_load_buddy_gfp");
			assert_int_equal(live.held[i].sympos, 2);
		}
	hs_lp_live_free(&live);
	env.sysfs = "/nonexistent/livepatch";	/* no CONFIG_LIVEPATCH: nothing loaded */
	assert_int_equal(hs_lp_live_scan(&env, &live), 0);
	assert_int_equal(live.npatches, 0);
}

static void stacking_is_refused_with_the_holder(void **state)
{
	struct hs_state st;
	struct hs_pkg a, b;
	char root[320];

	(void)state;
	snprintf(sysfs, sizeof(sysfs), "%s/stack", top);
	snprintf(root, sizeof(root), "%s/stack-state", top);
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	fake_pkg(&a, "mark1", "hs_mark1", "cmdline_proc_show");
	assert_int_equal(hs_state_add(unit_ctx(), &st, &a), 0);
	livepatch("hs_mark1", 1, (const char *const[]){ "vmlinux/cmdline_proc_show,1", NULL });
	livepatch("other_tool", 1, (const char *const[]){ "vmlinux/cmdline_proc_show,1", NULL });

	fake_pkg(&b, "mark2", "hs_mark2", "cmdline_proc_show");
	unit_messages();
	assert_int_equal(check(&st, &b), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "vmlinux: function 'cmdline_proc_show' is already "
				"replaced by livepatch 'hs_mark1' (hotsplice update 'mark1')"));
	assert_int_equal(check(&st, &b), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "livepatch 'other_tool' (not a hotsplice update)"));
	fake_pkg(&b, "other", "hs_other", "version_proc_show");	/* another function: fine */
	assert_int_equal(check(&st, &b), 0);
	hs_state_close(&st);
}

static void cumulative_base_must_be_what_is_live(void **state)
{
	char *base[] = { (char *)"mark1" };
	struct hs_state st;
	struct hs_pkg a, c;
	char root[320];

	(void)state;
	snprintf(sysfs, sizeof(sysfs), "%s/base", top);
	snprintf(root, sizeof(root), "%s/base-state", top);
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	fake_pkg(&c, "cumul", "hs_cumul", "cmdline_proc_show");
	c.base = base;
	c.nbase = 1;
	unit_messages();
	assert_int_equal(check(&st, &c), -HS_EREFUSED);	/* its base is not applied */
	assert_non_null(strstr(unit_messages(), "built on top of update 'mark1', which is not applied"));

	fake_pkg(&a, "mark1", "hs_mark1", "cmdline_proc_show");
	assert_int_equal(hs_state_add(unit_ctx(), &st, &a), 0);
	livepatch("hs_mark1", 1, (const char *const[]){ "vmlinux/cmdline_proc_show,1", NULL });
	assert_int_equal(check(&st, &c), 0);		/* exactly its base: replaced */

	fake_pkg(&a, "extra", "hs_extra", "version_proc_show");
	assert_int_equal(hs_state_add(unit_ctx(), &st, &a), 0);
	livepatch("hs_extra", 1, (const char *const[]){ "vmlinux/version_proc_show,1", NULL });
	unit_messages();
	assert_int_equal(check(&st, &c), -HS_EREFUSED);	/* it would take 'extra' out */
	assert_non_null(strstr(unit_messages(), "update 'extra' is applied, but cumulative update "
				"'cumul' was not built on top of it"));
	hs_state_close(&st);
	hs_state_open(unit_ctx(), root, &st);
	assert_int_equal(hs_state_remove(unit_ctx(), &st, "extra"), 0);
	hs_rm_rf(sysfs);
	livepatch("hs_mark1", 1, (const char *const[]){ "vmlinux/cmdline_proc_show,1", NULL });
	livepatch("kpatch_x", 1, (const char *const[]){ "vmlinux/meminfo_proc_show,1", NULL });
	unit_messages();
	assert_int_equal(check(&st, &c), -HS_EREFUSED);	/* another tool's livepatch */
	assert_non_null(strstr(unit_messages(), "livepatch 'kpatch_x' is loaded and is not a "
				"hotsplice update"));
	hs_state_close(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scan_reads_enabled_livepatches),
		cmocka_unit_test(stacking_is_refused_with_the_holder),
		cmocka_unit_test(cumulative_base_must_be_what_is_live),
	};
	int rc;

	if (!mkdtemp(top))
		return 1;
	rc = cmocka_run_group_tests_name("cumulative", tests, NULL, NULL);
	hs_rm_rf(top);
	return rc;
}
