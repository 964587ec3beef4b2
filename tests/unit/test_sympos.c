// SPDX-License-Identifier: GPL-2.0
/*
 * test_sympos.c - deciding kallsyms positions from a target build's symbols:
 * the patched file's copy of a same-named static by its neighbours, a global
 * among statics by its binding, refusals for a tie and a missing name, no
 * System.map at all, and a module's code that refers to vmlinux's unexported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "core/cache.h"
#include "elf/elf.h"
#include "build/sympos.h"
#include "klp/klp.h"

#define REL "0.0.0-unit"

/*
 * A System.map: 'show' twice, the second among the fixture's own symbols;
 * 'dup' twice, both among other files' symbols; fillers between.
 */
static char *make_root(void)
{
	char tmpl[] = "/tmp/hs-sympos.XXXXXX", *dir = strdup(mkdtemp(tmpl));
	size_t cap = 1 << 16, len = 0;
	char *map = malloc(cap);
	unsigned long addr = 0xffffffff81000000UL;

#define LINE(type, name) \
	len += (size_t)snprintf(map + len, cap - len, "%lx %c %s\n", addr += 0x10, type, name)
	LINE('T', "_stext");
	LINE('t', "dup");
	LINE('t', "show");		/* another file's */
	LINE('t', "gamma_value");	/* a static elsewhere of the global's name */
	for (int i = 0; i < 100; i++) {
		char n[32];

		snprintf(n, sizeof(n), "filler_%d", i);
		LINE('t', n);
	}
	LINE('t', "alpha_helper");
	LINE('t', "show");		/* the fixture's */
	LINE('t', "beta_helper");
	LINE('T', "gamma_value");
	for (int i = 0; i < 100; i++) {
		char n[32];

		snprintf(n, sizeof(n), "filler2_%d", i);
		LINE('t', n);
	}
	LINE('t', "dup");		/* as far from the fixture's symbols as the first */
#undef LINE
	unit_write_file(dir, "boot/System.map-" REL, map);
	free(map);
	return dir;
}

static void decides_by_neighbours_and_binding(void **state)
{
	char *root = make_root();
	struct hs_sympos sp;
	struct hs_elf pre;
	unsigned long pos = 99;

	(void)state;
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("sympos-pre"), &pre), 0);
	assert_int_equal(hs_sympos_open(unit_ctx(), root, REL, &sp), 0);
	assert_int_equal(hs_sympos_decide(&sp, "vmlinux", "show", false, &pre, &pos), 0);
	assert_int_equal(pos, 2);
	assert_int_equal(hs_sympos_decide(&sp, "vmlinux", "gamma_value", true, &pre, &pos), 0);
	assert_int_equal(pos, 2);
	assert_int_equal(hs_sympos_decide(&sp, "vmlinux", "alpha_helper", false, &pre, &pos), 0);
	assert_int_equal(pos, 0);	/* unique */
	unit_messages();
	assert_int_equal(hs_sympos_decide(&sp, "vmlinux", "dup", false, &pre, &pos),
			 -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "'dup': 2 copies in kernel " REL));
	assert_int_equal(hs_sympos_decide(&sp, "vmlinux", "nowhere", false, &pre, &pos),
			 -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "symbol 'nowhere' is not in the symbols of kernel"));
	hs_sympos_close(&sp);
	hs_elf_close(&pre);
	hs_rm_rf(root);
	free(root);
}

static void no_system_map_leaves_zero(void **state)
{
	struct hs_sympos sp;
	unsigned long pos = 99;

	(void)state;
	unit_messages();
	assert_int_equal(hs_sympos_open(unit_ctx(), "/nonexistent", REL, &sp), 0);
	assert_int_equal(hs_sympos_decide(&sp, "vmlinux", "show", false, NULL, &pos), 0);
	assert_int_equal(pos, 0);
	assert_int_equal(hs_sympos_decide(&sp, "ext4", "show", false, NULL, &pos), 0);
	assert_non_null(strstr(unit_messages(), "ext4: no module file of kernel " REL));
	hs_sympos_close(&sp);
}

/*
 * A module's new code refers to a global: the module's own (decided as
 * usual), or a function of vmlinux that the running kernel does not export
 * (reached through vmlinux's klp symbols: the object becomes vmlinux), or
 * nothing of either (refused, naming the unit's object).
 */
static void module_code_reaches_vmlinux_through_its_symbols(void **state)
{
	char *root = make_root(), *ko, path[512];
	size_t len;
	struct hs_sympos sp;
	struct hs_sympos_units su = { .sp = &sp };
	struct hs_klp_opts unit = { .post = "/w/post/net/netfilter/nfq.o" };
	unsigned long pos = 99;
	const char *obj = "nfq";

	(void)state;
	/* the fixture object stands for the module's .ko: it defines show and gamma_value */
	assert_int_equal(hs_read_file(NULL, unit_fixture("sympos-pre"), &ko, &len), 0);
	snprintf(path, sizeof(path), "%s/lib/modules/" REL "/kernel/net/netfilter/nfq.ko", root);
	unit_write_file(root, "lib/modules/" REL "/kernel/net/netfilter/.keep", "");
	assert_int_equal(hs_write_file_atomic(unit_ctx(), path, ko, len), 0);
	free(ko);
	assert_int_equal(hs_sympos_open(unit_ctx(), root, REL, &sp), 0);
	unit_messages();
	assert_int_equal(hs_sympos_klp_resolve(&su, &unit, &obj, "gamma_value", true, &pos), 0);
	assert_int_equal(pos, 0);
	assert_string_equal(obj, "nfq");
	assert_int_equal(hs_sympos_klp_resolve(&su, &unit, &obj, "filler_7", true, &pos), 0);
	assert_string_equal(obj, "vmlinux");
	assert_int_equal(pos, 0);
	/* vmlinux's global among statics of its name: its position there, not the module's */
	obj = "nfq";
	assert_int_equal(hs_sympos_klp_resolve(&su, &unit, &obj, "dup", true, &pos),
			 -HS_EREFUSED);
	assert_string_equal(obj, "vmlinux");
	assert_non_null(strstr(unit_messages(), "'dup': 2 copies in kernel " REL));
	obj = "nfq";
	assert_int_equal(hs_sympos_klp_resolve(&su, &unit, &obj, "nowhere", true, &pos),
			 -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "refers to 'nowhere', which neither the module "
			       "nor vmlinux of kernel " REL " has"));
	/* vmlinux's own code: decided as before */
	obj = "vmlinux";
	assert_int_equal(hs_sympos_klp_resolve(&su, &unit, &obj, "filler_7", true, &pos), 0);
	assert_string_equal(obj, "vmlinux");
	hs_sympos_close(&sp);
	hs_rm_rf(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decides_by_neighbours_and_binding),
		cmocka_unit_test(no_system_map_leaves_zero),
		cmocka_unit_test(module_code_reaches_vmlinux_through_its_symbols),
	};

	return cmocka_run_group_tests_name("sympos", tests, NULL, NULL);
}
