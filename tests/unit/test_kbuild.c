// SPDX-License-Identifier: GPL-2.0
/* test_kbuild.c - a patch changing an input of a file kbuild generated for a unit is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "core/cache.h"
#include "core/strv.h"
#include "build/kbuild_priv.h"

static char top[] = "/tmp/hs-test-kbuild.XXXXXX";
static char source[64], tree[64];

/*
 * A tree as kbuild leaves it: sec/flask.h made by the host program
 * tool/gen, which was compiled from tool/gen.c and include/classmap.h.
 */
static void fake_tree(void)
{
	char text[1024];

	snprintf(source, sizeof(source), "%s/source", top);
	snprintf(tree, sizeof(tree), "%s/tree", top);
	unit_write_file(source, "include/classmap.h", "\n");
	unit_write_file(tree, "sec/flask.h", "\n");
	unit_write_file(tree, "sec/.flask.h.cmd",
		   "cmd_sec/flask.h := tool/gen sec/flask.h sec/av_permissions.h\n");
	snprintf(text, sizeof(text), "cmd_tool/gen := gcc -Wp,-MMD,tool/.gen.d -o tool/gen "
		 "%s/tool/gen.c\n\nsource_tool/gen := %s/tool/gen.c\n\ndeps_tool/gen := \\\n"
		 "  %s/include/classmap.h \\\n\ntool/gen: $(deps_tool/gen)\n", source, source,
		 source);
	unit_write_file(tree, "tool/.gen.cmd", text);
	unit_write_file(tree, "tool/gen", "#!/bin/sh\n");
	/* an object kbuild compiled there is an output, not a generated input */
	snprintf(text, sizeof(text), "cmd_sec/other.o := gcc -c %s/sec/other.c\n", source);
	unit_write_file(tree, "sec/.other.o.cmd", text);
}

static int check(const char *patched)
{
	struct hs_kbuild kb = { .ctx = unit_ctx(), .source = source, .tree = tree };
	struct hs_kbuild_unit un = { .src = (char *)"sec/avc.c", .obj = (char *)"sec/avc.o" };
	struct hs_kbuild_units u = { .n = 1, .u = &un };
	struct hs_patch_file f = { .path = patched };
	struct hs_patch p = { .nfiles = 1, .files = &f };

	return hs_kbuild_prereq_inputs(&kb, &u, &p);
}

static void input_of_generated_header_is_refused(void **state)
{
	(void)state;
	fake_tree();
	unit_messages();
	assert_int_equal(check("include/classmap.h"), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "'include/classmap.h': kbuild generates "
			       "'sec/flask.h' from it before compiling 'sec/avc.o'"));
	assert_int_equal(check("tool/gen.c"), -HS_EREFUSED);
}

static void other_files_are_fine(void **state)
{
	(void)state;
	fake_tree();
	assert_int_equal(check("sec/avc.c"), 0);
	assert_int_equal(check("sec/other.c"), 0);
	assert_int_equal(check("include/classmap"), 0);
}

/*
 * Command lines are read again for units that have theirs (create asked
 * twice; a whole-release create asks for thousands of units in each run):
 * each unit keeps the one it has, nothing is read and lost (64 KiB a unit,
 * 7.5 GB by the 420th file of the 6.1.190 release).
 */
static void command_lines_are_read_once(void **state)
{
	struct hs_kbuild kb = { .ctx = unit_ctx(), .source = source, .tree = tree };
	struct hs_kbuild_unit un = { .src = strdup("sec/avc.c"), .obj = strdup("sec/avc.o"),
				     .where = HS_UNIT_MODULE };
	struct hs_kbuild_units u = { .n = 1, .u = &un };
	char *cmd, *obj;

	(void)state;
	fake_tree();
	unit_write_file(tree, ".hotsplice/cmd/sec/avc.o.cmd",
			"gcc -DMODULE -DKBUILD_MODNAME='\"avc\"' -c -o sec/avc.o sec/avc.c");
	assert_int_equal(hs_kbuild_cmdlines(&kb, &u), 0);
	assert_non_null(un.cmd);
	assert_string_equal(un.klp_object, "avc");
	cmd = un.cmd;
	obj = un.klp_object;
	assert_int_equal(hs_kbuild_cmdlines(&kb, &u), 0);
	assert_ptr_equal(un.cmd, cmd);
	assert_ptr_equal(un.klp_object, obj);
	hs_kbuild_unit_free(&un);
}

/*
 * An includer that several patched headers bring in names them all, each once, so that a
 * failed compile of it names the one whose change broke it (6.1.190's nldev.c named only
 * net/dst.h, not rdma/restrack.h).
 */
static void includer_names_every_header(void **state)
{
	struct hs_kbuild_unit un = { .via = strdup("include/net/dst.h") };
	char big[HS_KBUILD_VIA_MAX];

	(void)state;
	assert_int_equal(hs_kbuild_unit_via_add(&un, "include/rdma/restrack.h"), 0);
	assert_int_equal(hs_kbuild_unit_via_add(&un, "include/net/dst.h"), 0);
	assert_int_equal(hs_kbuild_unit_via_add(&un, "include/rdma/restrack.h"), 0);
	/* a name inside another is another header */
	assert_int_equal(hs_kbuild_unit_via_add(&un, "net/dst.h"), 0);
	assert_int_equal(hs_kbuild_unit_via_add(&un, "dst.h"), 0);
	assert_string_equal(un.via, "include/net/dst.h', 'include/rdma/restrack.h', 'net/dst.h', "
			    "'dst.h");
	assert_string_equal(hs_names_noun(un.via, "header", "headers"), "headers");
	assert_string_equal(hs_names_noun("dst.h", "header", "headers"), "header");
	/* bounded */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(hs_kbuild_unit_via_add(&un, big), 0);
	assert_null(strstr(un.via, "aaaa"));
	free(un.via);
}

/* A failed includer blames the patched headers its compiler's log names, else all. */
static void includer_blames_the_headers_its_errors_name(void **state)
{
	const char *via = "fs/nfs/pnfs.h', 'include/net/dst.h', 'include/net/inet_connection_sock.h";
	const char *log = "In file included from /src/fs/nfs/pnfs_nfs.c:17:\n"
			  "/src/fs/nfs/pnfs_nfs.c:766:1: error: conflicting types for 'nfs4_pnfs_ds_add'\n"
			  "/tmp/w/shadow/fs/nfs/pnfs.h:410:22: note: previous declaration of "
			  "'nfs4_pnfs_ds_add'\n";
	char *b = hs_kbuild_via_blamed(via, log);

	(void)state;
	assert_non_null(b);
	assert_string_equal(b, "fs/nfs/pnfs.h");
	free(b);
	b = hs_kbuild_via_blamed(via, "In file included from /s/include/net/dst.h:12,\n"
				 "/s/include/net/inet_connection_sock.h:40: error: x\n");
	assert_non_null(b);
	assert_string_equal(b, "include/net/dst.h', 'include/net/inet_connection_sock.h");
	free(b);
	/* the end of another path is not the header */
	assert_null(hs_kbuild_via_blamed(via, "/s/xfs/nfs/pnfs.h:1: error: x\n/s/fs/nfs/pnfs.hh:1\n"));
	assert_null(hs_kbuild_via_blamed(via, "cc1: out of memory\n"));
	assert_null(hs_kbuild_via_blamed(NULL, "fs/nfs/pnfs.h:1: error\n"));
	assert_null(hs_kbuild_via_blamed(via, NULL));
}

/* How many 'x' the fakes wrote to @dir/@name: each time they ran. */
static int times_run(const char *dir, const char *name)
{
	char path[128], *text = NULL;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!hs_read_file(NULL, path, &text, NULL))
		for (const char *c = text; *c; c++)
			n += *c == 'x';
	free(text);
	return n;
}

/* How many times make read fs/Makefile (the fake Makefile.build counts them). */
static int makes_run(void)
{
	return times_run(source, "count");
}

/*
 * A directory's object lists are kept in the prepared tree: the next command
 * does not run make for them again (a header's includers ask for all ~2000
 * directories, 90 s of makes in each create), until its Makefile changes.
 */
static void directory_lists_are_kept_for_the_next_command(void **state)
{
	char cache[64], mk[256];
	enum hs_unit_where where;

	(void)state;
	snprintf(source, sizeof(source), "%s/dl-source", top);
	snprintf(tree, sizeof(tree), "%s/dl-tree", top);
	snprintf(cache, sizeof(cache), "%s/dl-cache", top);
	/* a stand-in for kbuild's Makefile.build: the lists of $(obj)/Makefile */
	unit_write_file(source, "scripts/Makefile.build",
			"include $(srctree)/$(obj)/Makefile\n"
			"$(shell echo x >> $(srctree)/count)\n"
			"real-obj-y := $(addprefix $(obj)/,$(obj-y))\n"
			"real-obj-m := $(addprefix $(obj)/,$(obj-m))\n"
			"subdir-ym :=\n");
	unit_write_file(source, "fs/Makefile", "obj-y += a.o\n");
	unit_write_file(tree, ".keep", "");
	unit_write_file(cache, "trees/tools/.keep", "");	/* made with the first tree */
	for (int run = 0; run < 2; run++) {
		struct hs_kbuild kb = { .ctx = unit_ctx(), .source = source, .tree = tree,
					.cache = cache, .cc = (char *)"gcc", .config = (char *)"" };

		assert_int_equal(hs_kbuild_where(&kb, "fs/a.o", &where), 0);
		assert_int_equal(where, HS_UNIT_VMLINUX);
		assert_int_equal(hs_kbuild_where(&kb, "fs/b.o", &where), 0);
		assert_int_equal(where, HS_UNIT_NOT_BUILT);
		hs_kbuild_priv_free(&kb);
		assert_int_equal(makes_run(), 1);
	}
	/* a changed Makefile is asked again */
	snprintf(mk, sizeof(mk), "%s/fs/Makefile", source);
	unlink(mk);
	/* (another size: the inode and the clock tick may be the same) */
	unit_write_file(source, "fs/Makefile", "obj-m += a.o  # a module now\n");
	{
		struct hs_kbuild kb = { .ctx = unit_ctx(), .source = source, .tree = tree,
					.cache = cache, .cc = (char *)"gcc", .config = (char *)"" };

		assert_int_equal(hs_kbuild_where(&kb, "fs/a.o", &where), 0);
		assert_int_equal(where, HS_UNIT_MODULE);
		hs_kbuild_priv_free(&kb);
	}
	assert_int_equal(makes_run(), 2);
}

static void keep_output(void *arg, const char *line)
{
	snprintf(arg, 128, "%s", line);
}

/* Run the fake top Makefile in @dir as hotsplice runs kbuild; its output in @out. */
static void run_top(const char *dir, const char *cache, char out[128])
{
	char mk[128];
	const char *const lead[] = { "-s", "-f", mk, NULL }, *const none[] = { NULL };
	struct hs_kbuild kb = { .ctx = unit_ctx(), .source = (char *)dir, .tree = (char *)dir,
				.cache = (char *)cache, .cc = (char *)"gcc" };

	snprintf(mk, sizeof(mk), "%s/Makefile", dir);
	out[0] = 0;
	assert_int_equal(hs_kbuild_make_in(&kb, lead, dir, none, keep_output, out), 0);
	assert_non_null(kb.try_run);
	free(kb.try_run);
}

/*
 * kbuild's compiler probes (try-run: cc-option, as-instr...) are answered
 * from the cache after the first make: each costs a compiler run, ~30 of them
 * in every make that reads the top Makefile. The answers are kbuild's own,
 * a quoted command keeps its meaning, and a damaged answer is probed again.
 */
static void compiler_probes_are_answered_once(void **state)
{
	char dir[64], cache[64], text[1024], out[128], answers[256];
	const char *want = "ok-yes no-no q-yes";
	int n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tr-top", top);
	snprintf(cache, sizeof(cache), "%s/tr-cache", top);
	/* kbuild's try-run (scripts/Makefile.compiler) and three probes */
	snprintf(text, sizeof(text),
		 "TMPOUT = .tmp_$$$$\n"
		 "try-run = $(shell set -e; TMP=$(TMPOUT)/tmp; trap \"rm -rf $(TMPOUT)\" EXIT; "
		 "mkdir -p $(TMPOUT); if ($(1)) >/dev/null 2>&1; then echo \"$(2)\"; "
		 "else echo \"$(3)\"; fi)\n"
		 "yes := $(call try-run,echo x >> %s/probes; : > \"$$TMP\",ok-yes,no-yes)\n"
		 "no := $(call try-run,echo x >> %s/probes; false,ok-no,no-no)\n"
		 "quoted := $(call try-run,echo x >> %s/probes; test 'a b' = \"a b\",q-yes,q-no)\n"
		 "all: ; @echo \"$(yes) $(no) $(quoted)\"\n", dir, dir, dir);
	unit_write_file(dir, "Makefile", text);
	run_top(dir, cache, out);
	assert_string_equal(out, want);
	assert_int_equal(times_run(dir, "probes"), 3);
	run_top(dir, cache, out);	/* a later command: no probe runs */
	assert_string_equal(out, want);
	assert_int_equal(times_run(dir, "probes"), 3);
	/* damaged answers are probed again, and kept again */
	snprintf(text, sizeof(text), "for f in %s/trees/tools/try-run-1/*/*; do echo ? > $f; done",
		 cache);
	assert_int_equal(system(text), 0);
	run_top(dir, cache, out);
	assert_string_equal(out, want);
	assert_int_equal(times_run(dir, "probes"), 6);
	run_top(dir, cache, out);
	assert_int_equal(times_run(dir, "probes"), 6);
	/* no answer from the script at all: make probes as kbuild does */
	snprintf(answers, sizeof(answers), "%s/trees/tools/try-run-1.sh", cache);
	assert_int_equal(chmod(answers, 0644), 0);
	run_top(dir, cache, out);
	assert_string_equal(out, want);
	n = times_run(dir, "probes");
	assert_int_equal(n, 9);
	assert_int_equal(chmod(answers, 0755), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(input_of_generated_header_is_refused),
		cmocka_unit_test(other_files_are_fine),
		cmocka_unit_test(command_lines_are_read_once),
		cmocka_unit_test(includer_names_every_header),
		cmocka_unit_test(includer_blames_the_headers_its_errors_name),
		cmocka_unit_test(directory_lists_are_kept_for_the_next_command),
		cmocka_unit_test(compiler_probes_are_answered_once),
	};
	int rc;

	if (!mkdtemp(top))
		return 1;
	rc = cmocka_run_group_tests_name("kbuild", tests, NULL, NULL);
	if (hs_rm_rf(top))
		rc = 1;
	return rc;
}
