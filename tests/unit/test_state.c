// SPDX-License-Identifier: GPL-2.0
/* test_state.c - the state store: round trip, damaged state, crash leftovers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "target/state.h"

static char top[] = "/tmp/hs-test-state.XXXXXX";
static char root[300];	/* one store per test, so a failed test leaves no lock held */

static void new_root(const char *name)
{
	snprintf(root, sizeof(root), "%s/%s", top, name);
}

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int exists(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	return !access(path, F_OK);
}

static void fake_pkg(struct hs_pkg *pkg, const char *id)
{
	memset(pkg, 0, sizeof(*pkg));
	pkg->id = (char *)id;
	pkg->module = (char *)"hs_mod";
	pkg->target_release = (char *)"6.1.0-55-cloud-amd64";
	pkg->target_version = (char *)"#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1 (2026-11-14)";
	pkg->description = (char *)"two\nlines";
}

static void add_remove_round_trip(void **state)
{
	struct hs_state st;
	struct hs_pkg pkg;

	(void)state;
	new_root("round-trip");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	fake_pkg(&pkg, "fix-1");
	assert_int_equal(hs_state_store_package(unit_ctx(), &st, "fix-1", "pkg", 3), 0);
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	fake_pkg(&pkg, "fix-2");
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	hs_state_close(&st);

	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_int_equal(st.n, 2);
	assert_string_equal(st.v[0].id, "fix-1");
	assert_string_equal(st.v[1].id, "fix-2");
	assert_string_equal(st.v[0].description, "two lines");
	assert_true(hs_state_entry_matches(&st.v[0], "6.1.0-55-cloud-amd64",
					   "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1 (2026-11-14)"));
	assert_false(hs_state_entry_matches(&st.v[0], "6.1.0-55-cloud-amd64", "#2"));
	assert_true(exists("updates/fix-1.hsu"));
	assert_int_equal(hs_state_remove(unit_ctx(), &st, "fix-1"), 0);
	assert_false(exists("updates/fix-1.hsu"));
	assert_int_equal(hs_state_remove(unit_ctx(), &st, "fix-1"), -2 /* -ENOENT */);
	assert_int_equal(hs_state_remove(unit_ctx(), &st, "fix-2"), 0);
	hs_state_close(&st);
}

/*
 * A cumulative update supersedes its base (recorded in the same save); removing
 * it makes them live again; forgetting it removes them with it.
 */
static void cumulative_supersedes_and_revives(void **state)
{
	char *base_c[] = { (char *)"fix-a", (char *)"fix-b" }, *base_d[] = { (char *)"fix-c" };
	struct hs_state st;
	struct hs_pkg pkg;

	(void)state;
	new_root("cumulative");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	fake_pkg(&pkg, "fix-a");
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	fake_pkg(&pkg, "fix-b");
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	fake_pkg(&pkg, "fix-c");
	pkg.base = base_c;
	pkg.nbase = 2;
	assert_int_equal(hs_state_store_package(unit_ctx(), &st, "fix-a", "pkg", 3), 0);
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	hs_state_close(&st);

	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_int_equal(st.n, 3);
	assert_string_equal(st.v[0].superseded_by, "fix-c");
	assert_string_equal(st.v[1].superseded_by, "fix-c");
	assert_null(st.v[2].superseded_by);
	assert_int_equal(hs_state_remove(unit_ctx(), &st, "fix-c"), 0);
	hs_state_close(&st);

	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_int_equal(st.n, 2);
	assert_null(st.v[0].superseded_by);
	assert_null(st.v[1].superseded_by);
	fake_pkg(&pkg, "fix-c");
	pkg.base = base_c;
	pkg.nbase = 2;
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	fake_pkg(&pkg, "fix-d");	/* on top of the cumulative one */
	pkg.base = base_d;
	pkg.nbase = 1;
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	assert_string_equal(st.v[2].superseded_by, "fix-d");
	assert_string_equal(st.v[0].superseded_by, "fix-c");
	assert_int_equal(hs_state_forget(unit_ctx(), &st, "fix-d"), 0);
	assert_int_equal(st.n, 0);
	assert_false(exists("updates/fix-a.hsu"));
	hs_state_close(&st);
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_int_equal(st.n, 0);
	hs_state_close(&st);
}

static void superseded_by_unknown_is_damaged(void **state)
{
	struct hs_state st;

	(void)state;
	new_root("superseded-damaged");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	hs_state_close(&st);
	write_file("state", "hotsplice-state 1\nsuperseded fix-a fix-c\n");
	unit_messages();
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "is damaged at line 2"));
}

static void leftovers_of_a_crash_are_removed(void **state)
{
	struct hs_state st;
	struct hs_pkg pkg;

	(void)state;
	new_root("leftovers");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	fake_pkg(&pkg, "kept");
	assert_int_equal(hs_state_store_package(unit_ctx(), &st, "kept", "pkg", 3), 0);
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	hs_state_close(&st);
	write_file("updates/orphan.hsu", "stored, never recorded");
	write_file("updates/x.hsu.tmp.Ab12Cd", "half-written");
	write_file("state.tmp.Zz9Yy8", "half-written");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_true(exists("updates/kept.hsu"));
	assert_false(exists("updates/orphan.hsu"));
	assert_false(exists("updates/x.hsu.tmp.Ab12Cd"));
	assert_false(exists("state.tmp.Zz9Yy8"));
	assert_int_equal(hs_state_remove(unit_ctx(), &st, "kept"), 0);
	hs_state_close(&st);
}

static void damaged_state_is_refused_and_kept(void **state)
{
	struct hs_state st;
	char *before = NULL, path[512];
	FILE *f;
	char buf[256] = "";

	(void)state;
	new_root("damaged");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);	/* creates it */
	hs_state_close(&st);
	write_file("state", "hotsplice-state 1\napplied only three fields\n");
	unit_messages();
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), -HS_EFORMAT);
	before = strstr(unit_messages(), "is damaged at line 2");
	assert_non_null(before);
	snprintf(path, sizeof(path), "%s/state", root);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "hotsplice-state 1\n");
	unlink(path);
}

/* A value with a space is refused before it is written; the state stays readable. */
static void unwritable_field_is_refused(void **state)
{
	struct hs_state st;
	struct hs_pkg pkg;

	(void)state;
	new_root("unwritable");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	fake_pkg(&pkg, "fix-1");
	pkg.effective_version = (char *)"6.1 192";
	unit_messages();
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), -EINVAL);
	assert_non_null(strstr(unit_messages(), "update 'fix-1': a field cannot be written"));
	assert_int_equal(st.n, 0);
	pkg.effective_version = (char *)"6.1.192-2";
	pkg.description = (char *)"esc \033[2J and tab\t";
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	hs_state_close(&st);
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_int_equal(st.n, 1);
	assert_string_equal(st.v[0].effective, "6.1.192-2");
	assert_string_equal(st.v[0].description, "esc  [2J and tab ");
	hs_state_close(&st);
}

/* Fields longer than any fixed buffer read back whole. */
static void long_fields_round_trip(void **state)
{
	char rel[201], eff[256];
	struct hs_state st;
	struct hs_pkg pkg;

	(void)state;
	memset(rel, 'r', sizeof(rel) - 1);
	rel[sizeof(rel) - 1] = 0;
	memset(eff, 'e', sizeof(eff) - 1);
	eff[sizeof(eff) - 1] = 0;
	new_root("long");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	fake_pkg(&pkg, "fix-1");
	pkg.module = (char *)"hs_m234567890123456789012345678901234567890123456789012";
	pkg.target_release = rel;
	pkg.effective_version = eff;
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	hs_state_close(&st);
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_int_equal(st.n, 1);
	assert_string_equal(st.v[0].module, pkg.module);
	assert_string_equal(st.v[0].release, rel);
	assert_string_equal(st.v[0].effective, eff);
	assert_string_equal(st.v[0].description, "two lines");
	hs_state_close(&st);
}

/* Reading only creates, changes and removes nothing. */
static void read_only_open_changes_nothing(void **state)
{
	struct hs_state st;
	struct hs_pkg pkg;
	struct stat sb;

	(void)state;
	new_root("read-only");
	assert_int_equal(hs_state_open_ro(unit_ctx(), root, &st), 0);	/* missing: empty */
	assert_int_equal(st.n, 0);
	hs_state_close(&st);
	assert_int_equal(access(root, F_OK), -1);
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	fake_pkg(&pkg, "kept");
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	hs_state_close(&st);
	write_file("updates/orphan.hsu", "left by a crash");
	assert_int_equal(chmod(root, 0755), 0);
	assert_int_equal(hs_state_open_ro(unit_ctx(), root, &st), 0);
	assert_int_equal(st.n, 1);
	assert_string_equal(st.v[0].id, "kept");
	hs_state_close(&st);
	assert_true(exists("updates/orphan.hsu"));
	assert_int_equal(stat(root, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0755);
}

/* A directory fsync failing after the rename: the record stands (and is on disk). */
static void failed_directory_sync_keeps_the_record(void **state)
{
	struct hs_state st;
	struct hs_pkg pkg;

	(void)state;
	new_root("dir-fsync");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	fake_pkg(&pkg, "fix-1");
	setenv("HS_FAULT_DIR_FSYNC", "fail", 1);
	unit_messages();
	assert_int_equal(hs_state_add(unit_ctx(), &st, &pkg), 0);
	unsetenv("HS_FAULT_DIR_FSYNC");
	assert_non_null(strstr(unit_messages(), "is written but its directory cannot be synced"));
	assert_int_equal(st.n, 1);
	hs_state_close(&st);
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_int_equal(st.n, 1);
	hs_state_close(&st);
}

/* The intent note survives a reopen (a killed apply) until it is cleared. */
static void intent_note_survives_until_cleared(void **state)
{
	struct hs_state st;

	(void)state;
	new_root("intent");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_null(st.intent);
	assert_int_equal(hs_state_intent_set(unit_ctx(), &st, "hs_fix_1", NULL, 0), 0);
	hs_state_close(&st);
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_non_null(st.intent);
	assert_string_equal(st.intent, "hs_fix_1");
	assert_int_equal(st.nintent_base, 0);
	assert_int_equal(hs_state_intent_clear(unit_ctx(), &st), 0);
	assert_null(st.intent);
	hs_state_close(&st);
	assert_false(exists("intent"));
	write_file("intent", "../../not a module\n");
	unit_messages();
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_null(st.intent);
	assert_non_null(strstr(unit_messages(), "does not name a module; ignored"));
	hs_state_close(&st);
}

/* A cumulative update's intent note names the updates it replaces, for the reconcile. */
static void intent_note_names_what_a_cumulative_update_replaces(void **state)
{
	char *base[] = { "fix-a", "fix-b" };
	struct hs_state st;

	(void)state;
	new_root("intent-base");
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_int_equal(hs_state_intent_set(unit_ctx(), &st, "hs_cumul", base, 2), 0);
	assert_int_equal(st.nintent_base, 2);
	hs_state_close(&st);
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_string_equal(st.intent, "hs_cumul");
	assert_int_equal(st.nintent_base, 2);
	assert_string_equal(st.intent_base[0], "fix-a");
	assert_string_equal(st.intent_base[1], "fix-b");
	hs_state_close(&st);
	write_file("intent", "hs_cumul\nfix-a\n../bad id\n");
	unit_messages();
	assert_int_equal(hs_state_open(unit_ctx(), root, &st), 0);
	assert_int_equal(st.nintent_base, 1);
	assert_non_null(strstr(unit_messages(), "is not an update id; ignored"));
	hs_state_close(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_remove_round_trip),
		cmocka_unit_test(cumulative_supersedes_and_revives),
		cmocka_unit_test(superseded_by_unknown_is_damaged),
		cmocka_unit_test(leftovers_of_a_crash_are_removed),
		cmocka_unit_test(damaged_state_is_refused_and_kept),
		cmocka_unit_test(unwritable_field_is_refused),
		cmocka_unit_test(long_fields_round_trip),
		cmocka_unit_test(read_only_open_changes_nothing),
		cmocka_unit_test(failed_directory_sync_keeps_the_record),
		cmocka_unit_test(intent_note_survives_until_cleared),
		cmocka_unit_test(intent_note_names_what_a_cumulative_update_replaces),
	};
	int rc;

	if (!mkdtemp(top))
		return 1;
	rc = cmocka_run_group_tests_name("state", tests, NULL, NULL);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
		if (system(cmd))
			rc = 1;
	}
	return rc;
}
