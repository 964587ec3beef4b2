// SPDX-License-Identifier: GPL-2.0
/* test_modfix.c - listing the .klp.sym symbols of a module. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "core/cache.h"
#include "target/modfix.h"

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

/* A symbol table with entry size 0 is refused, not divided by. */
static void zero_entry_size_is_refused(void **state)
{
	struct hs_klpsym *syms = NULL;
	char *ko;
	size_t len;

	(void)state;
	assert_int_equal(hs_read_file(unit_ctx(), unit_fixture("modfix"), &ko, &len), 0);
	unit_elf_shdr(ko, ".symtab")->sh_entsize = 0;
	unit_messages();
	assert_int_equal(hs_modfix_list(unit_ctx(), ko, len, &syms), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "bad entry size 0"));
	free(ko);
}

/*
 * A name running off the end of .strtab (no NUL) makes the module damaged: the
 * string table is moved to the end of the image, its last string unterminated.
 */
static void unterminated_name_is_refused(void **state)
{
	static const char tail[] = ".klp.sym.ext4._rs.24,0";
	struct hs_klpsym *syms = NULL;
	Elf64_Shdr *str;
	size_t len;
	char *ko, *img;

	(void)state;
	assert_int_equal(hs_read_file(unit_ctx(), unit_fixture("modfix"), &ko, &len), 0);
	str = unit_elf_shdr(ko, ".strtab");
	img = malloc(len + str->sh_size + strlen(tail));
	assert_non_null(img);
	memcpy(img, ko, len);
	memcpy(img + len, ko + str->sh_offset, str->sh_size);
	memcpy(img + len + str->sh_size, tail, strlen(tail));	/* no NUL */
	unit_elf_sym(img, tail)->st_name = (Elf64_Word)str->sh_size;
	str = unit_elf_shdr(img, ".strtab");
	str->sh_offset = len;
	str->sh_size += strlen(tail);
	len += str->sh_size;
	unit_messages();
	assert_int_equal(hs_modfix_list(unit_ctx(), img, len, &syms), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "symbol 3: name outside the string table"));
	free(img);
	free(ko);
}

/* The fixture's name, or the error, after @edit changed the image. */
static int name_of_edited(void (*edit)(char *ko), char name[HS_MODNAME_SIZE])
{
	size_t len;
	char *ko;
	int err;

	assert_int_equal(hs_read_file(unit_ctx(), unit_fixture("modname"), &ko, &len), 0);
	if (edit)
		edit(ko);
	unit_messages();
	err = hs_modfix_name(unit_ctx(), ko, len, name);
	free(ko);
	return err;
}

static char *section(char *ko, const char *name)
{
	return ko + unit_elf_shdr(ko, name)->sh_offset;
}

static void other_info_name(char *ko) { section(ko, ".modinfo")[strlen("license=GPL") + 13] = '2'; }
static void unterminated(char *ko) { memset(section(ko, ".gnu.linkonce.this_module") + 24, 'a', 56); }
static void no_info_name(char *ko) { section(ko, ".modinfo")[strlen("license=GPL") + 1] = 'N'; }

/* The name the kernel registers (struct module), and .modinfo agreeing with it. */
static void module_name_is_read_and_checked(void **state)
{
	char name[HS_MODNAME_SIZE];

	(void)state;
	assert_int_equal(name_of_edited(NULL, name), 0);
	assert_string_equal(name, "hs_fix_1");
	assert_int_equal(name_of_edited(no_info_name, name), 0);
	assert_string_equal(name, "hs_fix_1");
	assert_int_equal(name_of_edited(other_info_name, name), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "named 'hs_fix_1' in .gnu.linkonce.this_module but 'hs_fix_2' in .modinfo"));
	assert_int_equal(name_of_edited(unterminated, name), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "no module name"));
	assert_int_equal(hs_modfix_name(unit_ctx(), "not an ELF image", 16, name), -HS_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists_positions),
		cmocka_unit_test(not_elf_is_an_error),
		cmocka_unit_test(zero_entry_size_is_refused),
		cmocka_unit_test(unterminated_name_is_refused),
		cmocka_unit_test(module_name_is_read_and_checked),
	};

	return cmocka_run_group_tests_name("modfix", tests, NULL, NULL);
}
