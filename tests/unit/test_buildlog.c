// SPDX-License-Identifier: GPL-2.0
/* test_buildlog.c - the lines of a failed build's output that say why it failed. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "build/buildlog.h"

/* A -j2 compile: the error sits between another job's lines, make's line at the end. */
static const char interleaved[] =
	"  CC      kernel/a.o\n"
	"/tmp/hotsplice-create.X/shadow/kernel/sys.c: In function 'f':\n"
	"  CC      kernel/b.o\n"
	"/tmp/hotsplice-create.X/shadow/kernel/sys.c:12:9: error: 'x' undeclared\n"
	"  CC      kernel/c.o\n"
	"  CC      kernel/d.o\n"
	"make[2]: *** [scripts/Makefile.build:250: kernel/sys.o] Error 1\n"
	"make[2]: *** Waiting for unfinished jobs....\n"
	"  CC      kernel/e.o\n";

static void interleaved_errors_are_found(void **state)
{
	struct hs_ctx *ctx = unit_ctx();
	const char *m;

	(void)state;
	unit_messages();
	assert_int_equal(hs_buildlog_report(ctx, "  ", interleaved, "/shadow/", 4), 2);
	m = unit_messages();
	assert_non_null(strstr(m, "  kernel/sys.c:12:9: error: 'x' undeclared"));
	assert_non_null(strstr(m, "kernel/sys.o] Error 1"));
	assert_null(strstr(m, "Waiting"));
	assert_null(strstr(m, "kernel/e.o"));
}

static void without_a_reason_the_tail_is_shown(void **state)
{
	struct hs_ctx *ctx = unit_ctx();
	const char *m;

	(void)state;
	unit_messages();
	assert_int_equal(hs_buildlog_report(ctx, "", "one\ntwo\nthree\nfour\n", NULL, 2), 0);
	m = unit_messages();
	assert_null(strstr(m, "two"));
	assert_non_null(strstr(m, "three"));
	assert_non_null(strstr(m, "four"));
}

static void each_reason_once_and_bounded(void **state)
{
	struct hs_buildlog_why why = { .n = 0 };
	char line[64];

	(void)state;
	hs_buildlog_add(&why, "/usr/bin/env: 'python3': No such file or directory");
	hs_buildlog_add(&why, "/usr/bin/env: 'python3': No such file or directory");
	hs_buildlog_add(&why, "  GEN     bpf_helper_defs.h");
	assert_int_equal(why.n, 1);
	for (int i = 0; i < 3 * HS_BUILDLOG_WHY_MAX; i++) {
		snprintf(line, sizeof(line), "f%d.c:1:1: error: e", i);
		hs_buildlog_add(&why, line);
	}
	assert_int_equal(why.n, HS_BUILDLOG_WHY_MAX);
	assert_true(hs_buildlog_is_why("make: *** [Makefile:8: x] Error 127"));
	assert_false(hs_buildlog_is_why("  CC      kernel/Error.o"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(interleaved_errors_are_found),
		cmocka_unit_test(without_a_reason_the_tail_is_shown),
		cmocka_unit_test(each_reason_once_and_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
