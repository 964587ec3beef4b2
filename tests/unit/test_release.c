// SPDX-License-Identifier: GPL-2.0
/* test_release.c - a refused run of a whole release refuses the files its errors name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "core/cache.h"
#include "build/kbuild_priv.h"
#include "build/release_priv.h"
#include "diff/diff.h"
#include "klp/klp.h"

static struct rfile files[] = {
	{ .path = (char *)"arch/x86/include/asm/pkeys.h", .v = V_PENDING },
	{ .path = (char *)"arch/x86/kvm/hyperv.c", .v = V_LIVE },
	{ .path = (char *)"arch/x86/kvm/emulate.c", .v = V_PENDING },
	{ .path = (char *)"fs/proc/base.c", .v = V_LIVE },
	{ .path = (char *)"include/net/dst.h", .v = V_NOT_NEEDED },
};

static void reset(void)
{
	files[0].v = V_PENDING;
	files[1].v = V_LIVE;
	files[2].v = V_PENDING;
	files[3].v = V_LIVE;
	files[4].v = V_NOT_NEEDED;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		files[i].detail[0] = 0;
		files[i].left_out = false;
	}
}

static size_t refuse(const char *errors, enum verdict v)
{
	struct release r = { .ctx = unit_ctx(), .f = files, .n = sizeof(files) / sizeof(files[0]) };

	reset();
	return hs_release_refuse_named(&r, errors, v);
}

/*
 * A file the screen failed to preprocess is an includer, not a file of the
 * release: the header that brought it in is the one refused (the whole
 * group was refused when vmx.c failed for asm/pkeys.h).
 */
static void screen_error_refuses_the_header(void **state)
{
	(void)state;
	assert_int_equal(refuse("error: 'arch/x86/kvm/vmx/vmx.c' (includes "
				"'arch/x86/include/asm/pkeys.h'): preprocessing before the patch "
				"failed (exit status 1):\n", V_PENDING), 1);
	assert_int_equal(files[0].v, V_REFUSED);
	assert_non_null(strstr(files[0].detail, "with the other changes too: error: "
			       "'arch/x86/kvm/vmx/vmx.c' (includes"));
	assert_int_equal(files[2].v, V_PENDING);
}

/* An object named by its path in a work directory names its .c file. */
static void work_directory_object_names_its_file(void **state)
{
	(void)state;
	assert_int_equal(refuse("error: '/tmp/hotsplice-create.PpfuNI/post/arch/x86/kvm/hyperv.o': "
				"section '__jump_table': symbol '__tracepoint_kvm_hv_stimer_start_"
				"one_shot': special-section entries of a module patch cannot use a "
				"livepatch relocation\n", V_LIVE), 1);
	assert_int_equal(files[1].v, V_REFUSED);
	assert_int_equal(files[3].v, V_LIVE);
	/* an object of the same name elsewhere is another file */
	assert_int_equal(refuse("error: '/tmp/w/post/arch/x86/kvm/vmx/hyperv.o': x\n", V_LIVE), 0);
	assert_int_equal(refuse("error: 'fs/proc/base.o': symbol 'x': changed-data\n", V_LIVE), 1);
	assert_int_equal(files[3].v, V_REFUSED);
}

static void errors_naming_nothing_refuse_nothing(void **state)
{
	(void)state;
	assert_int_equal(refuse("error: the patched headers change the code of 30 built files "
				"(more than 20): refused\n", V_PENDING), 0);
	assert_int_equal(files[0].v, V_PENDING);
	assert_int_equal(files[2].v, V_PENDING);
}

static size_t round_refuse(const char *errors, size_t *pending)
{
	struct release r = { .ctx = unit_ctx(), .f = files, .n = sizeof(files) / sizeof(files[0]) };

	reset();
	return hs_release_round_refuse(&r, errors, pending);
}

/*
 * A group round whose errors name only a live file (it went live alone, not with
 * the others: run 6's fs/nfs/internal.h) refuses that file and goes on; one that
 * names a pending file refuses the pending file and keeps the live ones.
 */
static void round_naming_only_a_live_file_refuses_it(void **state)
{
	size_t pending = 9;

	(void)state;
	assert_int_equal(round_refuse("error: 'fs/nfs/pnfs_nfs.c' (includes 'fs/proc/base.c'): "
				      "post compile failed (exit status 1):\n", &pending), 1);
	assert_int_equal(pending, 0);
	assert_int_equal(files[3].v, V_REFUSED);
	assert_int_equal(files[0].v, V_PENDING);
	assert_int_equal(files[2].v, V_PENDING);

	assert_int_equal(round_refuse("error: 'fs/proc/base.o': x\nerror: 'arch/x86/kvm/"
				      "emulate.c': post compile failed\n", &pending), 1);
	assert_int_equal(pending, 1);
	assert_int_equal(files[2].v, V_REFUSED);
	assert_int_equal(files[3].v, V_LIVE);

	assert_int_equal(round_refuse("error: 30 files\n", &pending), 0);
	assert_int_equal(pending, 0);

	/* a caller of a function no file of the group defines (run 11's round 8) */
	assert_int_equal(round_refuse("error: undefined symbol 'x' (in 'arch/x86/kvm/emulate.o') is "
				      "new in the patch\n", &pending), 1);
	assert_int_equal(pending, 1);
	assert_int_equal(files[2].v, V_REFUSED);
}

/*
 * Errors that name only a not-needed-live file (carried to help partners) leave it out
 * of the runs that follow; it stays not-needed-live, and once out it ends the rounds
 * (run 8's build: includers of 'include/net/dst.h' refused, no package).
 */
/* Old and new sources of a release's changed files, for release_needs.c. */
struct needs_tree {
	char top[40], old[600], new[600], tree[600];
};

static void needs_tree_open(struct needs_tree *t, struct hs_create_opts *o, struct release *r)
{
	snprintf(t->top, sizeof(t->top), "/tmp/hs-unit-needs.XXXXXX");
	assert_non_null(mkdtemp(t->top));
	snprintf(t->old, sizeof(t->old), "%s/old", t->top);
	snprintf(t->new, sizeof(t->new), "%s/new", t->top);
	snprintf(t->tree, sizeof(t->tree), "%s/tree", t->top);
	o->source = t->old;
	r->new_src = t->new;
	r->kb = (struct hs_kbuild){ .ctx = unit_ctx(), .source = t->old, .tree = t->tree };
}

/* File @path of the tree, @old before and @new after. */
static void needs_tree_file(struct needs_tree *t, const char *path, const char *old, const char *new)
{
	char p[700];

	snprintf(p, sizeof(p), "old/%s", path);
	unit_write_file(t->top, p, old);
	snprintf(p, sizeof(p), "new/%s", path);
	unit_write_file(t->top, p, new);
}

static void needs_tree_close(struct needs_tree *t, struct release *r)
{
	hs_release_cache_free(r);
	hs_kbuild_priv_free(&r->kb);
	assert_int_equal(hs_rm_rf(t->top), 0);
}

/* The files @src (path, old, new; @n of them) of the tree. */
static void needs_tree_files(struct needs_tree *t, const char *const (*src)[3], size_t n)
{
	for (size_t k = 0; k < n; k++)
		needs_tree_file(t, src[k][0], src[k][1], src[k][2]);
}

/* @f[k]'s detail: the compile error @err[k] (what failed, its file, the error), @n of them. */
static void compile_errors(struct rfile *f, const char *const (*err)[3], size_t n)
{
	for (size_t k = 0; k < n; k++)
		snprintf(f[k].detail, sizeof(f[k].detail), "'%s': post compile failed (exit status 1): "
			 "%s:1:29: error: %s", err[k][0], err[k][1], err[k][2]);
}

/*
 * A file refused for a compile error is refused, first of all, for the refused
 * changes it needs: a refused header it includes, a refused file whose diff
 * names what the compiler quoted. A file whose error names nothing refused
 * keeps its error alone.
 */
static void compile_failures_name_the_refused_changes_they_need(void **state)
{
	struct needs_tree t;
	struct hs_create_opts o = { 0 };
	struct rfile f[] = {
		{ .path = (char *)"drv/alone.c", .v = V_REFUSED },
		{ .path = (char *)"drv/main.c", .v = V_REFUSED },
		{ .path = (char *)"drv/other.c", .v = V_REFUSED },
		{ .path = (char *)"include/nb.h", .v = V_REFUSED },
		{ .path = (char *)"lib/helper.c", .v = V_REFUSED },
		{ .path = (char *)"lib/live.c", .v = V_LIVE },
	};
	struct release r = { .ctx = unit_ctx(), .o = &o, .f = f, .n = 6 };

	(void)state;
	needs_tree_open(&t, &o, &r);
	needs_tree_file(&t, "include/nb.h", "struct nb { int a; };\n",
			"struct nb { int a; int shared_tags; };\n");
	needs_tree_file(&t, "drv/main.c", "#include <nb.h>\nint m(struct nb *n) { return 0; }\n",
			"#include <nb.h>\nint m(struct nb *n) { return n->shared_tags; }\n");
	needs_tree_file(&t, "lib/helper.c", "int h = 1;\n", "int h = 2;\nint nb_new_helper(void) { return h; }\n");
	needs_tree_file(&t, "lib/live.c", "int l(void) { return 1; }\n", "int l(void) { return nb_gone(); }\n");
	needs_tree_file(&t, "drv/other.c", "int o(void) { return 0; }\n", "int o(void) { return nb_new_helper(); }\n");
	needs_tree_file(&t, "drv/alone.c", "int a(void) { return 0; }\n", "int a(void) { return nb_gone(); }\n");
	snprintf(f[0].detail, sizeof(f[0].detail), "'drv/alone.c': post compile failed (exit status 1): "
		 "drv/alone.c:1:29: error: implicit declaration of function \u2018nb_gone\u2019");
	snprintf(f[1].detail, sizeof(f[1].detail), "'drv/main.c': post compile failed (exit status 1): "
		 "drv/main.c:2:38: error: \u2018struct nb\u2019 has no member named \u2018shared_tags\u2019; "
		 "with the other changes too: 'drv/main.c': post compile failed");
	snprintf(f[2].detail, sizeof(f[2].detail), "'drv/other.c': post compile failed (exit status 1): "
		 "drv/other.c:1:29: error: implicit declaration of function 'nb_new_helper'");
	snprintf(f[3].detail, sizeof(f[3].detail), "'drv/main.o': type 'nb': changed-type: layout changed");
	snprintf(f[4].detail, sizeof(f[4].detail), "'lib/helper.o': symbol 'h': changed-data");
	hs_release_note_needs(&r);
	assert_string_equal(f[0].detail, "'drv/alone.c': post compile failed (exit status 1): "
			    "drv/alone.c:1:29: error: implicit declaration of function \u2018nb_gone\u2019");
	assert_non_null(strstr(f[1].detail, "needs the change of refused 'include/nb.h': 'drv/main.c': "
			       "post compile failed"));
	assert_non_null(strstr(f[2].detail, "needs the change of refused 'lib/helper.c': 'drv/other.c'"));
	assert_string_equal(f[3].detail, "'drv/main.o': type 'nb': changed-type: layout changed");
	/* once */
	hs_release_note_needs(&r);
	assert_null(strstr(f[1].detail + 1, "needs the change"));
	needs_tree_close(&t, &r);
}

/*
 * Before the group runs, a pending file whose run alone failed on a name that
 * only refused changes provide is refused, naming them (it would fail a round
 * of its own: 6.1.190's null_blk/main.c and the member 'shared_tags' of
 * refused null_blk.h), and so is a file that needs one refused so. Another .c
 * file that names it only uses it too (fs/nfs/client.c and pnfs_nfs.c). A
 * file whose name a header of the group provides, or the includer its error
 * is about, or nothing refused provides, stays pending for the group.
 */
static void pending_files_needing_refused_changes_are_refused_first(void **state)
{
	struct needs_tree t;
	struct hs_create_opts o = { 0 };
	struct rfile f[] = {
		{ .path = (char *)"drv/both.c", .v = V_PENDING },
		{ .path = (char *)"drv/main.c", .v = V_PENDING },
		{ .path = (char *)"drv/noone.c", .v = V_PENDING },
		{ .path = (char *)"drv/ok.c", .v = V_PENDING },
		{ .path = (char *)"drv/user.c", .v = V_PENDING },
		{ .path = (char *)"drv/user2.c", .v = V_PENDING },
		{ .path = (char *)"include/hdr.h", .v = V_PENDING },
		{ .path = (char *)"drv/inc.c", .v = V_PENDING },
		{ .path = (char *)"include/nb.h", .v = V_REFUSED },
		{ .path = (char *)"lib/helper.c", .v = V_REFUSED },
		{ .path = (char *)"include/prov.h", .v = V_PENDING },
		{ .path = (char *)"lib/live.h", .v = V_LIVE },
	};
	struct release r = { .ctx = unit_ctx(), .o = &o, .f = f, .n = 12 };
	static const char *const src[][3] = {
		{ "include/nb.h", "struct nb { int a; };\n", "struct nb { int a; int shared_tags; };\n" },
		{ "drv/main.c", "#include <nb.h>\nint m(struct nb *n) { return 0; }\n",
		  "#include <nb.h>\nint m(struct nb *n) { return n->shared_tags; }\n"
		  "int main_helper(void) { return 1; }\n" },
		{ "drv/user2.c", "#include <nb.h>\nint m2(struct nb *n) { return 0; }\n",
		  "#include <nb.h>\nint m2(struct nb *n) { return n->shared_tags; }\n" },
		{ "drv/user.c", "int u(void) { return 0; }\n", "int u(void) { return main_helper(); }\n" },
		{ "lib/helper.c", "int h = 1;\n", "int h = 2;\nint nb_helper(void) { return h; }\n" },
		{ "include/prov.h", "\n", "int nb_helper(void);\n" },
		{ "drv/both.c", "int b(void) { return 0; }\n", "int b(void) { return nb_helper(); }\n" },
		{ "lib/live.h", "\n", "int live_new(void);\n" },
		{ "drv/ok.c", "int k(void) { return 0; }\n", "int k(void) { return live_new(); }\n" },
		{ "drv/noone.c", "int z(void) { return 0; }\n", "int z(void) { return nobody(); }\n" },
		{ "include/hdr.h", "int hdr_fn(int);\n", "int hdr_fn(long);\n" },
		{ "drv/inc.c", "#include <hdr.h>\nint hdr_fn(int a) { return a; }\n",
		  "#include <hdr.h>\nint hdr_fn(long a) { return a; }\n" },
	};
	static const char *const err[][3] = {
		{ "drv/both.c", "drv/both.c", "implicit declaration of function \u2018nb_helper\u2019" },
		{ "drv/main.c", "drv/main.c", "\u2018struct nb\u2019 has no member named \u2018shared_tags\u2019" },
		{ "drv/noone.c", "drv/noone.c", "implicit declaration of function \u2018nobody\u2019" },
		{ "drv/ok.c", "drv/ok.c", "implicit declaration of function \u2018live_new\u2019" },
		{ "drv/user.c", "drv/user.c", "implicit declaration of function \u2018main_helper\u2019" },
		{ "drv/user2.c", "drv/user2.c", "\u2018struct nb\u2019 has no member named \u2018shared_tags\u2019" },
		{ "drv/inc.c' (includes 'include/hdr.h')", "drv/inc.c", "conflicting types for \u2018hdr_fn\u2019" },
		{ "drv/inc.c", "drv/inc.c", "conflicting types for \u2018hdr_fn\u2019" },
	};

	(void)state;
	needs_tree_open(&t, &o, &r);
	needs_tree_files(&t, src, sizeof(src) / sizeof(src[0]));
	compile_errors(f, err, sizeof(err) / sizeof(err[0]));
	snprintf(f[8].detail, sizeof(f[8].detail), "'drv/main.o': type 'nb': changed-type: layout changed");
	snprintf(f[9].detail, sizeof(f[9].detail), "'lib/helper.o': symbol 'h': changed-data");

	assert_int_equal(hs_release_refuse_unprovided(&r), 3);
	assert_int_equal(f[1].v, V_REFUSED);
	assert_non_null(strstr(f[1].detail, "needs the change of refused 'include/nb.h': 'drv/main.c': "
			       "post compile failed"));
	assert_int_equal(f[4].v, V_REFUSED);
	assert_non_null(strstr(f[4].detail, "needs the change of refused 'drv/main.c': 'drv/user.c'"));
	assert_int_equal(f[5].v, V_REFUSED);	/* drv/main.c names shared_tags: a user too */
	assert_int_equal(f[0].v, V_PENDING);	/* pending include/prov.h declares nb_helper */
	assert_int_equal(f[2].v, V_PENDING);	/* nothing refused names nobody */
	assert_int_equal(f[3].v, V_PENDING);	/* live lib/live.h declares live_new */
	assert_int_equal(f[6].v, V_PENDING);	/* its includer drv/inc.c changes hdr_fn */
	assert_int_equal(f[7].v, V_PENDING);	/* include/hdr.h changes it: nothing refused */
	/* the report does not name the changes twice */
	hs_release_note_needs(&r);
	assert_null(strstr(f[1].detail + 1, "needs the change"));
	assert_int_equal(hs_release_refuse_unprovided(&r), 0);
	needs_tree_close(&t, &r);
}

/*
 * A compile that lacks a member needs a file that may declare it: a carried
 * header that calls a function of that name (6.1.192's apparmor cred.h and
 * might_sleep()), uses a member of that name or names a struct tag so gives it
 * nothing, and the file is refused before the group run for the refused header
 * that declares it. One that declares it (a field, a function pointer, a
 * macro alias) keeps it pending.
 */
static void member_errors_need_a_declaring_line(void **state)
{
	struct needs_tree t;
	struct hs_create_opts o = { 0 };
	struct rfile f[] = {
		{ .path = (char *)"kernel/lsm.c", .v = V_PENDING },
		{ .path = (char *)"drv/fp.c", .v = V_PENDING },
		{ .path = (char *)"drv/alias.c", .v = V_PENDING },
		{ .path = (char *)"include/bpf.h", .v = V_REFUSED },
		{ .path = (char *)"include/cred.h", .v = V_PENDING },
		{ .path = (char *)"include/ops.h", .v = V_PENDING },
		{ .path = (char *)"include/sock.h", .v = V_PENDING },
	};
	struct release r = { .ctx = unit_ctx(), .o = &o, .f = f, .n = 7 };
	static const char *const src[][3] = {
		{ "include/bpf.h", "struct proto { int a; };\n",
		  "struct proto { int a; bool might_sleep; struct cb *cb; };\n" },
		{ "include/cred.h", "static inline void c(void)\n{\n\tmight_sleep ();\n}\n",
		  "static inline void c(void)\n{\n}\n" },
		{ "include/ops.h", "\n",
		  "#define P(p) ((p)->might_sleep)\nstatic struct might_sleep *x;\n"
		  "static int y = { .might_sleep = 1 };\nstruct ops { void (*cb)(int); };\n" },
		{ "include/sock.h", "\n", "#define sk_alias __common.skc_alias\n" },
		{ "kernel/lsm.c", "#include <bpf.h>\nint l;\n",
		  "#include <bpf.h>\nstatic const struct proto p = { .might_sleep = true };\n" },
		{ "drv/fp.c", "int f;\n", "int f(struct ops *o) { o->cb(1); return 0; }\n" },
		{ "drv/alias.c", "int a;\n", "int a(struct sock *s) { return s->sk_alias; }\n" },
	};
	static const char *const err[][3] = {
		{ "kernel/lsm.c", "kernel/lsm.c",
		  "\u2018const struct proto\u2019 has no member named \u2018might_sleep\u2019" },
		{ "drv/fp.c", "drv/fp.c", "\u2018struct ops\u2019 has no member named \u2018cb\u2019" },
		{ "drv/alias.c", "drv/alias.c",
		  "\u2018struct sock\u2019 has no member named \u2018sk_alias\u2019" },
	};

	(void)state;
	needs_tree_open(&t, &o, &r);
	needs_tree_files(&t, src, sizeof(src) / sizeof(src[0]));
	compile_errors(f, err, sizeof(err) / sizeof(err[0]));
	snprintf(f[3].detail, sizeof(f[3].detail), "'kernel/lsm.o': type 'proto': changed-type: layout changed");

	assert_int_equal(hs_release_refuse_unprovided(&r), 1);
	assert_int_equal(f[0].v, V_REFUSED);
	assert_non_null(strstr(f[0].detail, "needs the change of refused 'include/bpf.h': 'kernel/lsm.c'"));
	assert_int_equal(f[1].v, V_PENDING);	/* include/ops.h declares the pointer cb */
	assert_int_equal(f[2].v, V_PENDING);	/* include/sock.h defines sk_alias */
	needs_tree_close(&t, &r);
}

static void round_naming_a_not_needed_file_leaves_it_out(void **state)
{
	struct release r = { .ctx = unit_ctx(), .f = files, .n = sizeof(files) / sizeof(files[0]) };
	const char *err = "error: 'drivers/infiniband/core/nldev.c' (includes 'include/net/dst.h', "
			  "'include/rdma/restrack.h'): post compile failed (exit status 1):\n";
	size_t pending = 9;

	(void)state;
	reset();
	assert_true(hs_release_carried(&files[4], V_PENDING, V_LIVE));
	assert_int_equal(hs_release_round_refuse(&r, err, &pending), 1);
	assert_int_equal(pending, 0);
	assert_int_equal(files[4].v, V_NOT_NEEDED);
	assert_true(files[4].left_out);
	assert_false(hs_release_carried(&files[4], V_PENDING, V_LIVE));
	assert_non_null(strstr(files[4].detail, "not carried in the update"));
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(files[i].v, i % 2 ? V_LIVE : V_PENDING);
	assert_int_equal(hs_release_round_refuse(&r, err, &pending), 0);
}

/*
 * What the build leaves off goes into the report line of the live file that
 * made it: a module's tracepoint of its new code, an export change; once
 * each, after one lead each.
 */
static void live_files_say_what_is_left_off(void **state)
{
	struct release r = { .ctx = unit_ctx(), .f = files, .n = sizeof(files) / sizeof(files[0]) };
	const char *warn =
		"'/tmp/hotsplice-create.x/post/arch/x86/kvm/hyperv.o': function 'stimer_start': "
		"tracepoint 'kvm_hv_stimer_start_one_shot' " HS_KLP_TRACEPOINT_OFF ": the kernel ...\n"
		"'arch/x86/kvm/hyperv.o': symbol '___ksymtab_gpl+kvm_hv_x': the exports change "
		"(EXPORT_SYMBOL; added: 'kvm_hv_x'), " HS_DIFF_EXPORT_NOT_LIVE ": ...\n"
		"'arch/x86/kvm/hyperv.o': symbol '___ksymtab+kvm_hv_y': the exports change "
		"(EXPORT_SYMBOL; removed: 'kvm_hv_y'), " HS_DIFF_EXPORT_NOT_LIVE ": ...\n"
		"'arch/x86/kvm/emulate.o': symbol '___ksymtab+em_z': the exports change "
		"(EXPORT_SYMBOL; added: 'em_z'), " HS_DIFF_EXPORT_NOT_LIVE ": ...\n";

	(void)state;
	reset();
	hs_release_note_silent(&r, warn);
	hs_release_note_silent(&r, warn);	/* a second build says it again */
	assert_string_equal(files[1].detail, "tracepoints that do not fire in the new code while "
			    "the update is live (a module's jump labels cannot be relocated in "
			    "time): kvm_hv_stimer_start_one_shot in stimer_start; exports that "
			    "change only after a reboot: added: 'kvm_hv_x', removed: 'kvm_hv_y'");
	assert_string_equal(files[2].detail, "");	/* pending: not live */
	assert_string_equal(files[3].detail, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(screen_error_refuses_the_header),
		cmocka_unit_test(work_directory_object_names_its_file),
		cmocka_unit_test(errors_naming_nothing_refuse_nothing),
		cmocka_unit_test(round_naming_only_a_live_file_refuses_it),
		cmocka_unit_test(round_naming_a_not_needed_file_leaves_it_out),
		cmocka_unit_test(compile_failures_name_the_refused_changes_they_need),
		cmocka_unit_test(pending_files_needing_refused_changes_are_refused_first),
		cmocka_unit_test(member_errors_need_a_declaring_line),
		cmocka_unit_test(live_files_say_what_is_left_off),
	};

	return cmocka_run_group_tests_name("release", tests, NULL, NULL);
}
