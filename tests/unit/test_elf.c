// SPDX-License-Identifier: GPL-2.0
/* test_elf.c - lib/elf/elf.c on objects compiled from tests/unit/fixtures. */
#include <string.h>

#include "unit.h"
#include "elf/elf.h"

static void open_indexes_sections_and_symbols(void **state)
{
	const struct hs_elf_sym *entry, *helper, *counter;
	struct hs_elf e;

	(void)state;
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("basic"), &e), 0);
	entry = hs_elf_sym_by_name(&e, "entry");
	helper = hs_elf_sym_by_name(&e, "helper");
	counter = hs_elf_sym_by_name(&e, "counter");
	assert_non_null(entry);
	assert_non_null(helper);
	assert_non_null(counter);
	assert_true(hs_elf_sym_is_func(entry));
	assert_true(hs_elf_sym_is_func(helper));
	assert_false(hs_elf_sym_is_func(counter));
	assert_int_equal(GELF_ST_BIND(helper->sym.st_info), STB_LOCAL);
	/* -ffunction-sections: each function in its own section */
	assert_string_equal(e.secs[entry->sym.st_shndx].name, ".text.entry");
	assert_string_equal(e.secs[counter->sym.st_shndx].name, ".data.counter");
	assert_null(hs_elf_sec_by_name(&e, ".text.nosuch"));
	hs_elf_close(&e);
}

static void relocations_name_their_targets(void **state)
{
	const struct hs_elf_sec *text;
	int saw_counter = 0;
	struct hs_elf e;

	(void)state;
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("basic"), &e), 0);
	/* a global is referenced by name; helper() lives in .text.helper */
	text = hs_elf_sec_by_name(&e, ".text.helper");
	assert_non_null(text);
	assert_true(hs_elf_nrelas(&e, text) > 0);
	for (size_t i = 0; i < hs_elf_nrelas(&e, text); i++) {
		GElf_Rela r;

		assert_int_equal(hs_elf_rela(&e, text, i, &r), 0);
		if (!strcmp(e.syms[GELF_R_SYM(r.r_info)].name, "counter"))
			saw_counter = 1;
	}
	assert_true(saw_counter);
	hs_elf_close(&e);
}

static void missing_file_is_named(void **state)
{
	struct hs_elf e;

	(void)state;
	assert_int_equal(hs_elf_open(unit_ctx(), "/nonexistent/x.o", &e), -2 /* -ENOENT */);
	assert_non_null(strstr(unit_messages(), "cannot open '/nonexistent/x.o'"));
	hs_elf_close(&e);
}

static void non_elf_is_refused(void **state)
{
	struct hs_elf e;

	(void)state;
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("not-elf"), &e), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "not an ELF file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_indexes_sections_and_symbols),
		cmocka_unit_test(relocations_name_their_targets),
		cmocka_unit_test(missing_file_is_named),
		cmocka_unit_test(non_elf_is_refused),
	};

	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
