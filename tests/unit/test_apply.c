// SPDX-License-Identifier: GPL-2.0
/* test_apply.c - pieces of the apply pipeline that need no kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "../../lib/apply.h"
#include "../../lib/runpre.h"

/* 300 functions at large positions: far beyond 1,024 characters, none cut. */
static void sympos_parameter_is_never_cut(void **state)
{
	struct hs_runpre rp = { 0 };
	char *p, *end;

	(void)state;
	rp.nfuncs = 300;
	rp.funcs = calloc(rp.nfuncs, sizeof(*rp.funcs));
	assert_non_null(rp.funcs);
	for (size_t i = 0; i < rp.nfuncs; i++)
		rp.funcs[i].sympos = 4000000000UL + i;
	p = hs_sympos_param(&rp);
	assert_non_null(p);
	assert_true(strlen(p) > 1024);
	assert_int_equal(strncmp(p, "sympos=", 7), 0);
	end = p + 7;
	for (size_t i = 0; i < rp.nfuncs; i++) {
		assert_int_equal(strtoul(end, &end, 10), 4000000000UL + i);
		assert_int_equal(*end, i + 1 < rp.nfuncs ? ',' : 0);
		end++;
	}
	free(p);
	free(rp.funcs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sympos_parameter_is_never_cut),
	};

	return cmocka_run_group_tests_name("apply", tests, NULL, NULL);
}
