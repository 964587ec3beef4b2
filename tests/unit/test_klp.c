// SPDX-License-Identifier: GPL-2.0
/* test_klp.c - the livepatch module builder (extract + finalize) on fixture objects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "elf/elf.h"
#include "klp/klp.h"

static char symvers[] = "/tmp/hs-test-klp-symvers.XXXXXX";
static char xobj[64], fobj[64];

static int setup(void **state)
{
	int fd = mkstemp(symvers);
	const char *text = "0x00000000\text_exported\tvmlinux\tEXPORT_SYMBOL\t\n"
			   "0x00000000\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n"
			   "0x00000000\tboot_cpu_data\tvmlinux\tEXPORT_SYMBOL\t\n"
			   "0x00000000\tgvar\tdrivers/md/my-mod\tEXPORT_SYMBOL_GPL\t\n"
			   "0x00000000\tdma_buf_put\tvmlinux\tEXPORT_SYMBOL_GPL\tDMA_BUF\n"
			   "0x00000000\text_for_kvm\tvmlinux\tEXPORT_SYMBOL_GPL\tmodule:kvm\n";

	(void)state;
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -1;
	close(fd);
	snprintf(xobj, sizeof(xobj), "%s.x.o", symvers);
	snprintf(fobj, sizeof(fobj), "%s.f.o", symvers);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(symvers);
	unlink(xobj);
	unlink(fobj);
	return 0;
}

/* Extract @funcs from fixture @fix for @obj, then finalize; returns extract's result. */
static int build(const char *fix, const char *obj, struct hs_klp_opts *o)
{
	struct hs_klp_symvers sv;
	int err;

	o->post = unit_fixture(fix);
	o->objname = obj;
	o->facts = o->facts ?: hs_kfacts_series("6.1");	/* the fixtures' tables are 6.1's */
	assert_int_equal(hs_klp_symvers_load(unit_ctx(), symvers, &sv), 0);
	err = hs_klp_extract(unit_ctx(), o, &sv, xobj);
	hs_klp_symvers_free(&sv);
	if (!err)
		assert_int_equal(hs_klp_finalize(unit_ctx(), xobj, fobj), 0);
	return err;
}

static const struct hs_klp_func entry_func = { .name = "entry" };

static size_t sec_size(const struct hs_elf *e, const char *name)
{
	const struct hs_elf_sec *s = hs_elf_sec_by_name(e, name);

	assert_non_null(s);
	return s->shdr.sh_size;
}

static void keeps_only_the_entries_of_included_code(void **state)
{
	struct hs_klp_opts o = { .funcs = &entry_func, .nfuncs = 1 };
	struct hs_elf e;

	(void)state;
	assert_int_equal(build("klp-basic", "vmlinux", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	assert_non_null(hs_elf_sec_by_name(&e, ".text.entry"));
	assert_non_null(hs_elf_sec_by_name(&e, ".text.unlikely.entry"));	/* entry.cold */
	assert_null(hs_elf_sec_by_name(&e, ".text.helper"));
	assert_null(hs_elf_sec_by_name(&e, ".text.other"));
	assert_null(hs_elf_sec_by_name(&e, ".data.counter"));	/* existing data is not copied */
	assert_non_null(hs_elf_sec_by_name(&e, ".rodata.entry.str1.1"));
	assert_int_equal(sec_size(&e, "__bug_table"), 12);	/* 1 of 3 entries */
	assert_int_equal(sec_size(&e, "__ex_table"), 12);
	assert_int_equal(sec_size(&e, "__mcount_loc"), 8);	/* 1 of 3 */
	assert_int_equal(sec_size(&e, ".return_sites"), 4);	/* 1 of 2 */
	assert_int_equal(sec_size(&e, ".orc_unwind_ip"), 8);	/* entry and entry+1 */
	assert_int_equal(sec_size(&e, ".orc_unwind"), 12);
	/* the kept ORC entries are the 1st and 4th: parallel arrays stay parallel */
	assert_int_equal(((const short *)hs_elf_sec_by_name(&e, ".orc_unwind")->data->d_buf)[0], 1);
	assert_int_equal(((const short *)hs_elf_sec_by_name(&e, ".orc_unwind")->data->d_buf)[3], 4);
	hs_elf_close(&e);
}

static void writes_klp_relocations_as_documented(void **state)
{
	struct hs_klp_opts o = { .funcs = &entry_func, .nfuncs = 1 };
	const struct hs_elf_sec *klp, *plain, *text;
	const struct hs_elf_sym *f, *alias;
	struct hs_elf e;
	int nklp = 0;

	(void)state;
	assert_int_equal(build("klp-basic", "vmlinux", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	text = hs_elf_sec_by_name(&e, ".text.entry");
	klp = hs_elf_sec_by_name(&e, ".klp.rela.vmlinux.text.entry");
	plain = hs_elf_sec_by_name(&e, ".rela.text.entry");
	assert_non_null(klp);
	assert_non_null(plain);
	assert_int_equal(klp->shdr.sh_type, SHT_RELA);
	assert_int_equal(klp->shdr.sh_flags, SHF_ALLOC | SHF_INFO_LINK | HS_SHF_RELA_LIVEPATCH);
	assert_int_equal(klp->shdr.sh_info, text->idx);
	assert_int_equal(klp->shdr.sh_link, e.symtab_idx);
	for (size_t i = 0; i < klp->shdr.sh_size / sizeof(Elf64_Rela); i++) {
		GElf_Rela r;
		const struct hs_elf_sym *s;

		assert_non_null(gelf_getrela(klp->data, (int)i, &r));
		s = &e.syms[GELF_R_SYM(r.r_info)];
		assert_int_equal(s->sym.st_shndx, HS_SHN_LIVEPATCH);
		assert_int_equal(strncmp(s->name, ".klp.sym.vmlinux.", 17), 0);
		nklp++;
	}
	assert_int_equal(nklp, 5);	/* helper, gvar, counter, ext_hidden, twin_b */
	for (size_t i = 0; i < plain->shdr.sh_size / sizeof(Elf64_Rela); i++) {
		GElf_Rela r;

		assert_non_null(gelf_getrela(plain->data, (int)i, &r));
		assert_int_not_equal(e.syms[GELF_R_SYM(r.r_info)].sym.st_shndx, HS_SHN_LIVEPATCH);
	}
	/* static helper, static counter, unexported global, a static found by offset */
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.helper,0"));
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.counter,0"));
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.gvar,0"));
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.twin_b,0"));
	assert_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.twin_a,0"));
	/* exported: an ordinary undefined symbol */
	assert_int_equal(hs_elf_sym_by_name(&e, "ext_exported")->sym.st_shndx, SHN_UNDEF);
	/* the included function is local to the module; the glue uses the alias */
	f = hs_elf_sym_by_name(&e, "entry");
	alias = hs_elf_sym_by_name(&e, "__hotsplice_func_0");
	assert_int_equal(GELF_ST_BIND(f->sym.st_info), STB_LOCAL);
	assert_int_equal(GELF_ST_BIND(alias->sym.st_info), STB_GLOBAL);
	assert_int_equal(f->sym.st_shndx, alias->sym.st_shndx);
	hs_elf_close(&e);
}

static void sympos_and_new_data_are_honoured(void **state)
{
	static const struct hs_klp_sympos pos[] = { { "helper", 2 } };
	static const char *const data[] = { "counter" };
	struct hs_klp_opts o = { .funcs = &entry_func, .nfuncs = 1, .sympos = pos, .nsympos = 1,
				 .new_data = data, .nnew_data = 1 };
	struct hs_elf e;

	(void)state;
	assert_int_equal(build("klp-basic", "vmlinux", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.helper,2"));
	assert_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.counter,0"));
	assert_int_equal(sec_size(&e, ".data.counter"), 4);
	assert_int_equal(hs_elf_sym_by_name(&e, "counter")->sym.st_shndx,
			 hs_elf_sec_by_name(&e, ".data.counter")->idx);
	hs_elf_close(&e);
}

static void renamed_kernel_symbols_use_the_running_name(void **state)
{
	/* gcc numbered a static local differently in post: use the running kernel's name */
	static const struct hs_klp_rename ren[] = { { "counter", "counter.7" } };
	struct hs_klp_opts o = { .funcs = &entry_func, .nfuncs = 1, .renames = ren, .nrenames = 1 };
	struct hs_elf e;

	(void)state;
	assert_int_equal(build("klp-basic", "vmlinux", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.counter.7,0"));
	assert_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.counter,0"));
	hs_elf_close(&e);
}

static void module_object_uses_its_own_name(void **state)
{
	struct hs_klp_opts o = { .funcs = &entry_func, .nfuncs = 1 };
	struct hs_elf e;

	(void)state;
	assert_int_equal(build("klp-basic", "my_mod", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	/* the module's code section is named after it, and so is its klp section */
	assert_null(hs_elf_sec_by_name(&e, ".text.entry"));
	assert_non_null(hs_elf_sec_by_name(&e, ".text..hotsplice.my_mod.text.entry"));
	assert_non_null(hs_elf_sec_by_name(&e, ".klp.rela.my_mod.text..hotsplice.my_mod.text.entry"));
	assert_null(hs_elf_sec_by_name(&e, ".klp.rela.vmlinux.text..hotsplice.my_mod.text.entry"));
	/* exported by the patched module itself: still a klp symbol (late loading) */
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.my_mod.gvar,0"));
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.my_mod.helper,0"));
	/* exported by vmlinux: by name, resolved when the patch loads */
	assert_int_equal(hs_elf_sym_by_name(&e, "ext_exported")->sym.st_shndx, SHN_UNDEF);
	hs_elf_close(&e);
}

static void module_code_reaches_another_modules_export_through_klp(void **state)
{
	struct hs_klp_opts o = { .funcs = &entry_func, .nfuncs = 1 };
	struct hs_elf e;

	(void)state;
	assert_int_equal(build("klp-basic", "othermod", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	/*
	 * gvar is my-mod's export (Module.symvers names the module by its path): a
	 * placeholder of module my_mod, as the livepatch core finds it
	 */
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.my_mod.gvar,0"));
	assert_null(hs_elf_sym_by_name(&e, "gvar"));
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.othermod.helper,0"));
	assert_non_null(hs_elf_sec_by_name(&e, ".klp.rela.othermod.text..hotsplice.othermod.text.entry"));
	hs_elf_close(&e);
}

/* A resolve_sympos that says "helper" is vmlinux's, as for a function vmlinux does not export. */
static int helper_in_vmlinux(void *arg, const struct hs_klp_opts *unit, const char **obj,
			     const char *name, bool global, unsigned long *pos)
{
	(void)arg, (void)unit, (void)global;
	*pos = 0;
	if (!strcmp(name, "helper"))
		*obj = "vmlinux";
	return 0;
}

/* Every relocation of livepatch section @name is against a ".klp.sym.<obj>." symbol; how many. */
static size_t klp_relas_of(const struct hs_elf *e, const char *name, const char *obj,
			   size_t code_idx)
{
	const struct hs_elf_sec *k = hs_elf_sec_by_name(e, name);
	char prefix[64];
	size_t n;

	assert_non_null(k);
	assert_int_equal(k->shdr.sh_info, code_idx);
	assert_int_equal(k->shdr.sh_flags & HS_SHF_RELA_LIVEPATCH, HS_SHF_RELA_LIVEPATCH);
	snprintf(prefix, sizeof(prefix), ".klp.sym.%s.", obj);
	n = k->shdr.sh_size / sizeof(Elf64_Rela);
	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;

		assert_non_null(gelf_getrela(k->data, (int)i, &r));
		assert_int_equal(strncmp(e->syms[GELF_R_SYM(r.r_info)].name, prefix,
					 strlen(prefix)), 0);
	}
	return n;
}

/*
 * A module's code that reaches a vmlinux symbol no module may import: the
 * livepatch core refuses a vmlinux symbol in a module's relocation section,
 * so the reference goes to vmlinux's own section for the same code (applied
 * when the livepatch module loads); the module's symbols stay in the module's.
 */
static void module_code_reaches_vmlinux_through_vmlinux_relocations(void **state)
{
	struct hs_klp_opts o = { .funcs = &entry_func, .nfuncs = 1,
				 .resolve_sympos = helper_in_vmlinux };
	const char *code = ".text..hotsplice.my_mod.text.entry";
	struct hs_elf e;
	size_t idx;

	(void)state;
	assert_int_equal(build("klp-basic", "my_mod", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	idx = hs_elf_sec_by_name(&e, code)->idx;
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.helper,0"));
	assert_null(hs_elf_sym_by_name(&e, ".klp.sym.my_mod.helper,0"));
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.my_mod.counter,0"));
	assert_true(klp_relas_of(&e, ".klp.rela.vmlinux.text..hotsplice.my_mod.text.entry",
				 "vmlinux", idx) >= 1);
	assert_true(klp_relas_of(&e, ".klp.rela.my_mod.text..hotsplice.my_mod.text.entry",
				 "my_mod", idx) >= 1);
	hs_elf_close(&e);
}

static int build_key_facts(const char *func, const char *obj, const char *series)
{
	struct hs_klp_func f = { .name = func };
	struct hs_klp_opts o = { .funcs = &f, .nfuncs = 1, .facts = hs_kfacts_series(series) };

	unit_messages();
	return build("klp-keys", obj, &o);
}

static int build_key(const char *func, const char *obj)
{
	return build_key_facts(func, obj, "6.1");
}

/* Does function @func of the built module hold the 5-byte or 2-byte site NOP? */
static bool code_has_nop(const char *func)
{
	struct hs_elf e;
	const struct hs_elf_sym *s;
	const Elf_Data *d;
	bool found = false;

	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	s = hs_elf_sym_by_name(&e, func);
	assert_non_null(s);
	d = e.secs[s->sym.st_shndx].data;
	for (size_t i = 0; i + 2 <= d->d_size && !found; i++)
		found = hs_kfacts_is_site_nop((const unsigned char *)d->d_buf + i, 2) ||
			(i + 5 <= d->d_size &&
			 hs_kfacts_is_site_nop((const unsigned char *)d->d_buf + i, 5));
	hs_elf_close(&e);
	return found;
}

static size_t sec_size_or_0(const char *name)
{
	struct hs_elf e;
	const struct hs_elf_sec *s;
	size_t n;

	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	s = hs_elf_sec_by_name(&e, name);
	n = s ? s->shdr.sh_size : 0;
	hs_elf_close(&e);
	return n;
}

/*
 * A module patch's jump label or static call whose key is a module's symbol
 * would need a livepatch relocation, applied after the kernel reads the entry
 * (jump_label_add_module(), static_call_add_module() run when the livepatch
 * module loads). A disabled tracepoint's site is left out, and said; a static
 * call site is left out (the call goes through the trampoline); any other key
 * is refused, naming it. vmlinux's keys are relocated in time: kept.
 */
static void module_keys_need_no_late_relocation(void **state)
{
	(void)state;
	assert_int_equal(build_key("traced", "my_mod"), 0);
	assert_int_equal(sec_size_or_0("__jump_table"), 0);
	assert_non_null(strstr(unit_messages(), "function 'traced': tracepoint 'foo_event' "
			       HS_KLP_TRACEPOINT_OFF));
	assert_int_equal(build_key("traced", "vmlinux"), 0);
	assert_int_equal(sec_size_or_0("__jump_table"), 16);
	assert_null(strstr(unit_messages(), HS_KLP_TRACEPOINT_OFF));

	assert_int_equal(build_key("keyed", "my_mod"), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "symbol 'my_key': special-section entries of a "
			       "module patch cannot use a livepatch relocation (a module's static key"));
	/* a tracepoint whose site jumps by default: its entry is needed, and refused */
	assert_int_equal(build_key("jumped", "my_mod"), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "symbol '__tracepoint_foo_event'"));

	/*
	 * on 6.12, objtool has not run on a module's objects (unless it is one):
	 * the jmp it would make a NOP is made one here, and the entry left out
	 */
	assert_int_equal(build_key("hacked", "my_mod"), -HS_EREFUSED);	/* 6.1: objtool ran */
	assert_int_equal(build_key_facts("hacked", "my_mod", "6.12"), 0);
	assert_int_equal(sec_size_or_0("__jump_table"), 0);
	assert_true(code_has_nop("hacked"));
	assert_non_null(strstr(unit_messages(), "function 'hacked': tracepoint 'foo_event'"));

	assert_int_equal(build_key("scalled", "my_mod"), 0);
	assert_int_equal(sec_size_or_0(".static_call_sites"), 0);
	assert_int_equal(build_key("scalled", "vmlinux"), 0);
	assert_int_equal(sec_size_or_0(".static_call_sites"), 8);
}

static void code_section_names_carry_the_object(void **state)
{
	char buf[64], *name = hs_klp_code_sec_name("br_netfilter", ".text.unlikely.foo");

	(void)state;
	assert_string_equal(name, ".text..hotsplice.br_netfilter.text.unlikely.foo");
	assert_string_equal(hs_klp_code_sec_obj(name, buf, sizeof(buf)), "br_netfilter");
	assert_string_equal(hs_klp_code_sec_obj(".text.foo", buf, sizeof(buf)), "vmlinux");
	assert_string_equal(hs_klp_code_sec_obj(".text..hotsplice.x", buf, sizeof(buf)), "vmlinux");
	assert_string_equal(hs_klp_code_sec_obj(".text.hs.constprop.0", buf, sizeof(buf)), "vmlinux");
	free(name);
}

static void unknown_special_section_is_refused(void **state)
{
	struct hs_klp_opts o = { .funcs = &entry_func, .nfuncs = 1 };

	(void)state;
	unit_messages();
	assert_int_equal(build("klp-unknown", "vmlinux", &o), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "section '.hs_mystery'"));
}

/*
 * The number of relocations in rela section @rela that land in section @to
 * (rel32 in code: at the end of the field); each landing place is checked to
 * start with byte @first when @first >= 0.
 */
static size_t relas_into(const struct hs_elf *e, const char *rela, const char *to, int first)
{
	const struct hs_elf_sec *s = hs_elf_sec_by_name(e, rela), *t = hs_elf_sec_by_name(e, to);
	size_t n = 0;

	assert_non_null(s);
	assert_non_null(t);
	for (size_t i = 0; i < s->shdr.sh_size / sizeof(Elf64_Rela); i++) {
		const struct hs_elf_sym *y;
		GElf_Rela r;
		long at;

		assert_non_null(gelf_getrela(s->data, (int)i, &r));
		y = &e->syms[GELF_R_SYM(r.r_info)];
		if (y->sym.st_shndx != t->idx)
			continue;
		at = (long)y->sym.st_value + r.r_addend + 4;
		assert_true(at >= 0 && (size_t)at < t->shdr.sh_size);
		if (first >= 0)
			assert_int_equal(((const unsigned char *)t->data->d_buf)[at], first);
		n++;
	}
	return n;
}

static void carries_the_aux_code_of_kept_functions(void **state)
{
	static const struct hs_klp_func keep = { .name = "keep_me" };
	struct hs_klp_opts o = { .funcs = &keep, .nfuncs = 1 };
	struct hs_elf e;

	(void)state;
	assert_int_equal(build("klp-aux", "vmlinux", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	/* keep_me's two pieces (testb 7 + jnz 6 + jmp 5 bytes each), not drop_me's or tangled's */
	assert_int_equal(sec_size(&e, ".altinstr_aux"), 36);
	assert_int_equal(sec_size(&e, ".altinstructions"), 24);
	/* both jumps of keep_me land on the start of a piece: "testb" (f6 05) */
	assert_int_equal(relas_into(&e, ".rela.text.keep_me", ".altinstr_aux", 0xf6), 2);
	/* every piece jumps back into keep_me only (twice), and tests boot_cpu_data by name */
	assert_int_equal(relas_into(&e, ".rela.altinstr_aux", ".text.keep_me", -1), 4);
	assert_int_equal(sec_size(&e, ".rela.altinstr_aux"), 6 * sizeof(Elf64_Rela));
	assert_null(hs_elf_sec_by_name(&e, ".text.drop_me"));
	assert_null(hs_elf_sec_by_name(&e, ".klp.rela.vmlinux.altinstr_aux"));
	assert_int_equal(hs_elf_sym_by_name(&e, "boot_cpu_data")->sym.st_shndx, SHN_UNDEF);
	hs_elf_close(&e);
}

static void aux_code_of_two_functions_is_refused(void **state)
{
	static const struct hs_klp_func tangled = { .name = "tangled" };
	static const struct hs_klp_func drop = { .name = "drop_me" };
	struct hs_klp_opts o = { .funcs = &tangled, .nfuncs = 1 };

	(void)state;
	unit_messages();
	assert_int_equal(build("klp-aux", "vmlinux", &o), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "section '.altinstr_aux': code at 0x0 cannot be attributed to one function: it belongs to 'tangled' (in the module) and 'drop_me' (not in the module)"));
	o.funcs = &drop;
	assert_int_equal(build("klp-aux", "vmlinux", &o), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "belongs to 'drop_me' (in the module) and 'tangled' (not in the module)"));
}

static void aux_code_shared_by_kept_functions_is_carried(void **state)
{
	static const struct hs_klp_func both[] = { { .name = "tangled" }, { .name = "drop_me" } };
	struct hs_klp_opts o = { .funcs = both, .nfuncs = 2 };
	struct hs_elf e;

	(void)state;
	assert_int_equal(build("klp-aux", "vmlinux", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	/* tangled's piece (jmp drop_me, 5 bytes) and drop_me's own (18 bytes) */
	assert_int_equal(sec_size(&e, ".altinstr_aux"), 23);
	assert_int_equal(relas_into(&e, ".rela.text.tangled", ".altinstr_aux", 0xe9), 1);
	assert_int_equal(relas_into(&e, ".rela.text.drop_me", ".altinstr_aux", 0xf6), 1);
	hs_elf_close(&e);
}

/* and a vmlinux export for named modules only, which the livepatch module is not */
static void references_by_place_name_a_symbol(void **state)
{
	struct hs_klp_opts o = { .funcs = &entry_func, .nfuncs = 1 };
	const struct hs_elf_sec *klp;
	int end = 0, label = 0;
	struct hs_elf e;

	(void)state;
	assert_int_equal(build("klp-places", "vmlinux", &o), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), fobj, &e), 0);
	klp = hs_elf_sec_by_name(&e, ".klp.rela.vmlinux.text.entry");
	assert_non_null(klp);
	for (size_t i = 0; i < klp->shdr.sh_size / sizeof(Elf64_Rela); i++) {
		GElf_Rela r;
		const char *name;

		assert_non_null(gelf_getrela(klp->data, (int)i, &r));
		name = e.syms[GELF_R_SYM(r.r_info)].name;
		/* one past the end of table[]: table + 80, not "no symbol" */
		if (!strcmp(name, ".klp.sym.vmlinux.table,0") &&
		    r.r_addend + (GELF_R_TYPE(r.r_info) == R_X86_64_PC32 ? 4 : 0) == 80)
			end++;
		/* the label, not the entry whose generated name differs between builds */
		label += !strcmp(name, ".klp.sym.vmlinux.hs_ids_list,0");
		assert_null(strstr(name, "__hs_id__"));
	}
	assert_int_equal(end, 1);
	assert_int_equal(label, 1);
	/* an export for the module kvm alone: a livepatch symbol, no namespace import */
	assert_non_null(hs_elf_sym_by_name(&e, ".klp.sym.vmlinux.ext_for_kvm,0"));
	assert_null(hs_elf_sym_by_name(&e, "ext_for_kvm"));
	hs_elf_close(&e);
}

static void missing_function_is_named(void **state)
{
	static const struct hs_klp_func nosuch = { .name = "nosuch" };
	struct hs_klp_opts o = { .funcs = &nosuch, .nfuncs = 1 };

	(void)state;
	unit_messages();
	assert_int_equal(build("klp-basic", "vmlinux", &o), -2 /* -ENOENT */);
	assert_non_null(strstr(unit_messages(), "symbol 'nosuch': no such function"));
}

static void names_follow_the_kernel_document(void **state)
{
	char *a = hs_klp_rela_name("vmlinux", ".text.cmdline_proc_show");
	char *b = hs_klp_sym_name("btrfs", "can_modify_feature.isra.3", 0);
	char *c = hs_klp_rela_name("vmlinux", "__jump_table");

	(void)state;
	assert_string_equal(a, ".klp.rela.vmlinux.text.cmdline_proc_show");
	assert_string_equal(b, ".klp.sym.btrfs.can_modify_feature.isra.3,0");
	assert_string_equal(c, ".klp.rela.vmlinux.__jump_table");
	free(a);
	free(b);
	free(c);
}

/* EXPORT_SYMBOL_NS: the module must import the namespace (the glue's MODULE_INFO). */
static void symvers_namespaces_are_read(void **state)
{
	struct hs_klp_symvers sv;

	(void)state;
	assert_int_equal(hs_klp_symvers_load(unit_ctx(), symvers, &sv), 0);
	assert_string_equal(hs_klp_symvers_ns(&sv, "dma_buf_put"), "DMA_BUF");
	assert_string_equal(hs_klp_symvers_find(&sv, "dma_buf_put"), "vmlinux");
	assert_null(hs_klp_symvers_ns(&sv, "gvar"));
	assert_string_equal(hs_klp_symvers_find(&sv, "gvar"), "my_mod");	/* drivers/md/my-mod */
	assert_null(hs_klp_symvers_ns(&sv, "nonexistent"));
	hs_klp_symvers_free(&sv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keeps_only_the_entries_of_included_code),
		cmocka_unit_test(writes_klp_relocations_as_documented),
		cmocka_unit_test(sympos_and_new_data_are_honoured),
		cmocka_unit_test(renamed_kernel_symbols_use_the_running_name),
		cmocka_unit_test(module_object_uses_its_own_name),
		cmocka_unit_test(module_code_reaches_another_modules_export_through_klp),
		cmocka_unit_test(module_code_reaches_vmlinux_through_vmlinux_relocations),
		cmocka_unit_test(module_keys_need_no_late_relocation),
		cmocka_unit_test(code_section_names_carry_the_object),
		cmocka_unit_test(unknown_special_section_is_refused),
		cmocka_unit_test(carries_the_aux_code_of_kept_functions),
		cmocka_unit_test(aux_code_of_two_functions_is_refused),
		cmocka_unit_test(aux_code_shared_by_kept_functions_is_carried),
		cmocka_unit_test(references_by_place_name_a_symbol),
		cmocka_unit_test(missing_function_is_named),
		cmocka_unit_test(names_follow_the_kernel_document),
		cmocka_unit_test(symvers_namespaces_are_read),
	};

	return cmocka_run_group_tests_name("klp", tests, setup, teardown);
}
