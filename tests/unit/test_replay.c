// SPDX-License-Identifier: GPL-2.0
/*
 * test_replay.c - replay's opt-outs, outcome lines, marker and refusals, and
 * undo --purge, on state stores in a temporary directory. No update here can
 * reach the kernel: the recorded packages are either for another kernel or
 * not packages at all, so every apply stops at reading them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "unit.h"
#include "target/apply.h"
#include "core/cache.h"
#include "target/replay.h"
#include "target/state.h"

static char dir[] = "/tmp/hs-test-replay.XXXXXX";

static const char *tmp_path(const char *name)
{
	static char p[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(tmp_path(name), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *get(const char *name)
{
	char *text = NULL;

	if (hs_read_file(NULL, tmp_path(name), &text, NULL))
		return strdup("");
	return text;
}

/* A fresh state store "state" holding @lines, options pointing into the temp dir. */
static struct hs_replay_opts setup(const char *lines, const char *cmdline)
{
	static char paths[5][256];
	static const char *const names[] = { "state", "disable", "cmdline", "kmsg", "run" };
	struct hs_replay_opts o = {
		.state_root = paths[0], .disable_file = paths[1], .cmdline = paths[2],
		.kmsg = paths[3], .run_dir = paths[4],
	};
	for (int i = 0; i < 5; i++)
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, names[i]);
	char *cmd = hs_strdupf("rm -rf '%s/state' '%s/run' '%s/disable' '%s/kmsg' && mkdir -p '%s/state/updates'",
			       dir, dir, dir, dir, dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	put("state/state", lines);
	put("cmdline", cmdline);
	put("kmsg", "");
	unit_messages();
	return o;
}

/* "applied ID MOD 0 RELEASE DIGEST - FUNCS desc" for the running kernel. */
static char *this_kernel(const char *id, const char *funcs)
{
	struct utsname u;
	char vd[17];

	uname(&u);
	hs_state_version_digest(u.version, vd);
	return hs_strdupf("applied %s hs_%s 1700000000 %s %s - %s a test update\n", id, id,
			  u.release, vd, funcs);
}

static const char *other = "applied old-1 hs_old_1 1700000000 6.1.0-55-cloud-amd64 0123456789abcdef 6.1.192-2 vmlinux:cmdline_proc_show fix one\n";

static void cmdline_off_disables(void **state)
{
	struct hs_replay_opts o = setup("hotsplice-state 1\n", "quiet hotsplice=off panic=-1\n");
	struct hs_replay_result r;
	char buf[256], *k;

	(void)state;
	assert_int_equal(hs_replay(unit_ctx(), &o, &r), 0);
	assert_true(r.disabled);
	assert_non_null(strstr(unit_messages(), "replay: disabled (hotsplice=off on the kernel command line)"));
	assert_int_equal(hs_replay_marker(o.run_dir, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "disabled: hotsplice=off on the kernel command line");
	k = get("kmsg");
	assert_non_null(strstr(k, "<6>hotsplice: replay: disabled"));
	free(k);
}

static void disable_file_disables(void **state)
{
	struct hs_replay_opts o = setup("hotsplice-state 1\n", "quiet hotsplice=offx\n");
	struct hs_replay_result r;
	char why[256];

	(void)state;
	assert_int_equal(hs_replay_disabled(&o, why, sizeof(why)), 0);
	put("disable", "");
	assert_int_equal(hs_replay_disabled(&o, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "/disable exists"));
	assert_int_equal(hs_replay(unit_ctx(), &o, &r), 0);
	assert_true(r.disabled);
}

static void other_kernel_is_kept(void **state)
{
	char *lines = hs_strdupf("hotsplice-state 1\n%s", other);
	struct hs_replay_opts o = setup(lines, "quiet\n");
	struct hs_replay_result r;
	char buf[256], *k;

	(void)state;
	free(lines);
	assert_int_equal(hs_replay_marker(o.run_dir, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(hs_replay(unit_ctx(), &o, &r), 0);
	assert_int_equal(r.other_kernel, 1);
	assert_int_equal(r.applied + r.already + r.failed, 0);
	assert_non_null(strstr(unit_messages(), "replay: update 'old-1' skipped: recorded for kernel 6.1.0-55-cloud-amd64"));
	k = get("state/state");
	assert_non_null(strstr(k, "applied old-1 "));
	free(k);
	assert_int_equal(hs_replay_marker(o.run_dir, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0 applied, 0 already applied, 1 for another kernel, 0 failed");
}

static void damaged_state_applies_nothing(void **state)
{
	char *lines = hs_strdupf("hotsplice-state 1\n%sapplied x\n", other);
	struct hs_replay_opts o = setup(lines, "quiet\n");
	struct hs_replay_result r;
	char buf[256], *k;

	(void)state;
	free(lines);
	assert_int_equal(hs_replay(unit_ctx(), &o, &r), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "replay: nothing applied: the state '"));
	k = get("kmsg");
	assert_non_null(strstr(k, "<3>hotsplice: replay: nothing applied: the state '"));
	assert_non_null(strstr(k, "is damaged at line 3"));
	free(k);
	assert_int_equal(hs_replay_marker(o.run_dir, buf, sizeof(buf)), 0);
	assert_non_null(strstr(buf, "failed"));
	put("state/state", "hotsplice-st\xfe\xfe");
	assert_int_equal(hs_replay(unit_ctx(), &o, &r), -HS_EFORMAT);
	put("state/state", "");
	assert_int_equal(hs_replay(unit_ctx(), &o, &r), -HS_EFORMAT);
}

/*
 * a and c are for this kernel but their packages are damaged: both fail;
 * b replaces a function of a, so it is skipped; d (another kernel) is kept.
 */
static void failure_skips_dependents_only(void **state)
{
	char *a = this_kernel("a", "vmlinux:f1,vmlinux:f2"), *b = this_kernel("b", "vmlinux:f2");
	char *c = this_kernel("c", "vmlinux:f3");
	char *lines = hs_strdupf("hotsplice-state 1\n%s%s%s%s", a, b, other, c);
	struct hs_replay_opts o = setup(lines, "quiet\n");
	struct hs_replay_result r;
	const char *m;

	(void)state;
	free(a), free(b), free(c), free(lines);
	put("state/updates/a.hsu", "not a package");
	assert_int_equal(hs_replay(unit_ctx(), &o, &r), -HS_EREFUSED);
	m = unit_messages();
	assert_non_null(strstr(m, "replay: update 'a' failed: "));
	assert_non_null(strstr(m, "replay: update 'b' skipped: it replaces functions of 'a', which was not applied"));
	assert_non_null(strstr(m, "replay: update 'old-1' skipped: recorded for kernel"));
	assert_non_null(strstr(m, "replay: update 'c' failed: "));
	assert_non_null(strstr(m, "c.hsu"));
	assert_int_equal(r.failed, 3);
	assert_int_equal(r.other_kernel, 1);
	assert_int_equal(r.applied, 0);
}

static void purge_forgets_other_kernels_only(void **state)
{
	char *mine = this_kernel("mine", "vmlinux:f1");
	char *lines = hs_strdupf("hotsplice-state 1\n%s%s", other, mine);
	struct hs_replay_opts o = setup(lines, "quiet\n");
	struct hs_undo_opts u = { .purge = 1 };
	char *k;

	(void)state;
	free(mine), free(lines);
	put("state/updates/old-1.hsu", "package");
	put("state/updates/mine.hsu", "package");
	u.state_root = o.state_root;
	assert_int_equal(hs_undo(unit_ctx(), &u), 0);
	assert_non_null(strstr(unit_messages(), "update 'old-1' (recorded for kernel 6.1.0-55-cloud-amd64) purged"));
	k = get("state/state");
	assert_null(strstr(k, "old-1"));
	assert_non_null(strstr(k, "applied mine "));
	free(k);
	assert_int_equal(access(tmp_path("state/updates/old-1.hsu"), F_OK), -1);
	assert_int_equal(access(tmp_path("state/updates/mine.hsu"), F_OK), 0);
	assert_int_equal(hs_undo(unit_ctx(), &u), -HS_ENOCHANGE);
}

static void funcs_overlap(void **state)
{
	(void)state;
	assert_true(hs_funcs_overlap("vmlinux:a,vmlinux:b", "vmlinux:b"));
	assert_true(hs_funcs_overlap("vmlinux:b", "ext4:x,vmlinux:b"));
	assert_false(hs_funcs_overlap("vmlinux:b", "vmlinux:bb,vmlinux:ab"));
	assert_false(hs_funcs_overlap("vmlinux:a", "ext4:a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cmdline_off_disables),
		cmocka_unit_test(disable_file_disables),
		cmocka_unit_test(other_kernel_is_kept),
		cmocka_unit_test(damaged_state_applies_nothing),
		cmocka_unit_test(failure_skips_dependents_only),
		cmocka_unit_test(purge_forgets_other_kernels_only),
		cmocka_unit_test(funcs_overlap),
	};
	char *cmd;
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests_name("replay", tests, NULL, NULL);
	cmd = hs_strdupf("rm -rf '%s'", dir);
	if (cmd && system(cmd))
		rc = 1;
	free(cmd);
	return rc;
}
