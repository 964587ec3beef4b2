// SPDX-License-Identifier: GPL-2.0
/* test_modfix.c - listing the .klp.sym symbols of a module. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "../../lib/cache.h"
#include "../../lib/modfix.h"

static void lists_positions(void **state)
{
	struct hs_klpsym *syms;
	char *ko = NULL;
	size_t len;
	int n;

	(void)state;
	assert_int_equal(hs_read_file(unit_ctx(), unit_fixture("modfix"), &ko, &len), 0);
	n = hs_modfix_list(unit_ctx(), ko, len, &syms);
	assert_int_equal(n, 2);
	assert_string_equal(syms[0].obj, "vmlinux");
	assert_string_equal(syms[0].name, "counter");
	assert_int_equal(syms[0].pos, 0);
	assert_string_equal(syms[1].obj, "ext4");
	assert_string_equal(syms[1].name, "_rs.24");	/* a name with a dot */
	hs_modfix_free(syms, n);

	free(ko);
}

static void not_elf_is_an_error(void **state)
{
	struct hs_klpsym *syms = NULL;

	(void)state;
	assert_true(hs_modfix_list(unit_ctx(), "not an ELF image", 16, &syms) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists_positions),
		cmocka_unit_test(not_elf_is_an_error),
	};

	return cmocka_run_group_tests_name("modfix", tests, NULL, NULL);
}
