// SPDX-License-Identifier: GPL-2.0
/* test_release.c - a refused run of a whole release refuses the files its errors name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "build/release_priv.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(screen_error_refuses_the_header),
		cmocka_unit_test(work_directory_object_names_its_file),
		cmocka_unit_test(errors_naming_nothing_refuse_nothing),
		cmocka_unit_test(round_naming_only_a_live_file_refuses_it),
		cmocka_unit_test(round_naming_a_not_needed_file_leaves_it_out),
	};

	return cmocka_run_group_tests_name("release", tests, NULL, NULL);
}
