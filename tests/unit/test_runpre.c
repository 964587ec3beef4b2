// SPDX-License-Identifier: GPL-2.0
/*
 * test_runpre.c - run-pre matching against a fake running kernel: the fixture
 * object is "linked" here at chosen addresses (relocations applied, the ftrace
 * call turned into a NOP as the kernel does), and a kallsyms file lists it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "core/cache.h"
#include "target/runpre.h"

#define BASE 0xffffffff81000000ULL

struct fake {
	unsigned char mem[0x4000];	/* kernel memory at BASE */
	uint64_t entry, helper, other_helper, counter, fentry;
	char kallsyms[64];
};

static int fake_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	struct fake *f = arg;

	if (addr < BASE || addr + len > BASE + sizeof(f->mem))
		return -14;	/* -EFAULT */
	memcpy(buf, f->mem + (addr - BASE), len);
	return 0;
}

static uint64_t sym_addr(const struct fake *f, const struct hs_elf *e, const struct hs_elf_sym *s)
{
	const char *n = GELF_ST_TYPE(s->sym.st_info) == STT_SECTION ?
			e->secs[s->sym.st_shndx].name : s->name;

	if (!strcmp(n, ".text.helper") || !strcmp(n, "helper"))
		return f->helper;
	if (!strcmp(n, ".data.counter") || !strcmp(n, "counter"))
		return f->counter;
	if (!strcmp(n, "__fentry__"))
		return f->fentry;
	return 0;
}

/*
 * Copy .text.entry to f->entry and apply its relocations; @call_other: 1 call the
 * other helper, 2 call 10 bytes before helper (a call-depth thunk in its padding).
 */
static void link_entry(struct fake *f, const struct hs_elf *e, int call_other)
{
	const struct hs_elf_sec *sec = hs_elf_sec_by_name(e, ".text.entry");
	unsigned char *p = f->mem + (f->entry - BASE);

	memcpy(p, sec->data->d_buf, sec->data->d_size);
	for (size_t i = 0; i < hs_elf_nrelas(e, sec); i++) {
		const struct hs_elf_sym *s;
		uint64_t target;
		int32_t v;
		GElf_Rela r;

		assert_int_equal(hs_elf_rela(e, sec, i, &r), 0);
		s = &e->syms[GELF_R_SYM(r.r_info)];
		target = sym_addr(f, e, s);
		if (call_other == 1 && target == f->helper)
			target = f->other_helper;
		else if (call_other == 2 && target == f->helper)
			target = f->helper - 10;
		v = (int32_t)(target + (uint64_t)r.r_addend - (f->entry + r.r_offset));
		memcpy(p + r.r_offset, &v, 4);
	}
	memcpy(p, "\x0f\x1f\x44\x00\x00", 5);	/* ftrace_init: call __fentry__ -> NOP */
}

static void setup_fake(struct fake *f)
{
	FILE *k;

	memset(f, 0xcc, sizeof(*f));
	f->other_helper = BASE + 0x100;
	f->entry = BASE + 0x1000;
	f->helper = BASE + 0x2000;
	f->fentry = BASE + 0x3000;
	f->counter = BASE + 0x3800;
	snprintf(f->kallsyms, sizeof(f->kallsyms), "/tmp/hs-test-kallsyms.XXXXXX");
	close(mkstemp(f->kallsyms));
	k = fopen(f->kallsyms, "w");
	fprintf(k, "%llx t helper\n%llx T entry\n%llx t helper\n%llx T __fentry__\n%llx D counter\n",
		(unsigned long long)f->other_helper, (unsigned long long)f->entry,
		(unsigned long long)f->helper, (unsigned long long)f->fentry,
		(unsigned long long)f->counter);
	fclose(k);
}

static int match_on(struct fake *f, const struct hs_elf *e, struct hs_runpre *rp,
		    const char *series)
{
	struct hs_kallsyms ks;
	struct hs_runpre_env env = { .facts = hs_kfacts_series(series), .ks = &ks,
				     .read = fake_read, .read_arg = f };
	int err;

	assert_int_equal(hs_kallsyms_load(unit_ctx(), f->kallsyms, &ks), 0);
	err = hs_runpre_match_func(unit_ctx(), &env, e, NULL, "entry", rp);
	hs_kallsyms_free(&ks);
	return err;
}

static int match(struct fake *f, const struct hs_elf *e, struct hs_runpre *rp)
{
	return match_on(f, e, rp, "6.1");
}

static void matches_and_resolves_sympos(void **state)
{
	struct hs_runpre rp = { 0 };
	const struct hs_runpre_sym *h;
	struct fake f;
	struct hs_elf e;

	(void)state;
	setup_fake(&f);
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("runpre"), &e), 0);
	link_entry(&f, &e, 0);
	assert_int_equal(match(&f, &e, &rp), 0);
	assert_true(rp.funcs[0].matched);
	assert_int_equal(rp.funcs[0].addr, f.entry);
	assert_int_equal(rp.funcs[0].sympos, 0);
	h = hs_runpre_sym(&rp, NULL, "helper", 0);
	assert_non_null(h);
	assert_int_equal(h->addr, f.helper);
	assert_int_equal(h->sympos, 2);	/* the second 'helper' in kallsyms order */
	hs_runpre_free(&rp);
	hs_elf_close(&e);
	unlink(f.kallsyms);
}

static void traced_function_matches(void **state)
{
	struct hs_runpre rp = { 0 };
	struct fake f;
	struct hs_elf e;
	int32_t v;

	(void)state;
	setup_fake(&f);
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("runpre"), &e), 0);
	link_entry(&f, &e, 0);
	f.mem[f.entry - BASE] = 0xe8;	/* ftrace on: a call to a trampoline */
	v = 0x1234;
	memcpy(f.mem + (f.entry - BASE) + 1, &v, 4);
	assert_int_equal(match(&f, &e, &rp), 0);
	hs_runpre_free(&rp);
	hs_elf_close(&e);
	unlink(f.kallsyms);
}

static void changed_byte_is_named(void **state)
{
	struct hs_runpre rp = { 0 };
	struct fake f;
	struct hs_elf e;
	const struct hs_elf_sec *sec;
	size_t last;

	(void)state;
	setup_fake(&f);
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("runpre"), &e), 0);
	link_entry(&f, &e, 0);
	sec = hs_elf_sec_by_name(&e, ".text.entry");
	last = sec->data->d_size - 1;	/* the ret */
	f.mem[f.entry - BASE + last] ^= 0xff;
	assert_int_equal(match(&f, &e, &rp), -HS_EMISMATCH);
	assert_false(rp.funcs[0].matched);
	{
		char want[32];

		snprintf(want, sizeof(want), "+0x%zx: expected", last);
		if (!strstr(rp.funcs[0].why, want))
			fail_msg("'%s' does not name offset +0x%zx", rp.funcs[0].why, last);
	}
	hs_runpre_free(&rp);
	hs_elf_close(&e);
	unlink(f.kallsyms);
}

static void call_to_wrong_symbol_is_refused(void **state)
{
	struct hs_runpre rp = { 0 };
	struct fake f;
	struct hs_elf e;

	(void)state;
	setup_fake(&f);
	f.other_helper = BASE + 0x180;	/* no longer a 'helper' in kallsyms */
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("runpre"), &e), 0);
	link_entry(&f, &e, 1);
	assert_int_equal(match(&f, &e, &rp), -HS_EMISMATCH);
	if (!strstr(rp.funcs[0].why, "not to 'helper'"))
		fail_msg("unexpected reason: %s", rp.funcs[0].why);
	hs_runpre_free(&rp);
	hs_elf_close(&e);
	unlink(f.kallsyms);
}

/*
 * Two objects' statics of one name are two symbols: object a.o's 'entry' calls
 * the second running 'helper', b.o's (the same code, linked to call the first)
 * the first; both match. The same object resolving 'helper' to two places does
 * not.
 */
static void statics_of_two_objects_resolve_apart(void **state)
{
	struct hs_runpre rp = { 0 };
	struct hs_elf a, b;
	struct fake f;

	(void)state;
	setup_fake(&f);
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("runpre"), &a), 0);
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("runpre"), &b), 0);
	a.path = "pre/a.o";
	b.path = "pre/b.o";
	link_entry(&f, &a, 0);
	assert_int_equal(match(&f, &a, &rp), 0);
	link_entry(&f, &b, 1);
	assert_int_equal(match(&f, &b, &rp), 0);
	assert_true(rp.funcs[1].matched);
	assert_int_equal(hs_runpre_sym(&rp, NULL, "helper", 1)->addr, f.other_helper);
	assert_int_equal(hs_runpre_sym(&rp, NULL, "helper", 2)->addr, f.helper);
	assert_int_equal(hs_runpre_sym(&rp, NULL, "helper", 0)->sympos, 2);	/* the first seen */
	assert_int_equal(hs_runpre_sym(&rp, NULL, "counter", 0)->addr, f.counter);
	assert_int_equal(match(&f, &a, &rp), -HS_EMISMATCH);
	assert_false(rp.funcs[2].matched);
	if (!strstr(rp.funcs[2].why, "refers to 'helper' at 0xffffffff81000100, another function of the update to 0xffffffff81002000"))
		fail_msg("unexpected reason: %s", rp.funcs[2].why);
	hs_runpre_free(&rp);
	hs_elf_close(&a);
	hs_elf_close(&b);
	unlink(f.kallsyms);
}

/* A module with no symbols in kallsyms is not loaded: its function gets a verdict, not a match. */
static void module_not_loaded_has_its_own_verdict(void **state)
{
	struct hs_runpre rp = { 0 };
	struct hs_kallsyms ks;
	struct fake f;
	FILE *k;

	(void)state;
	setup_fake(&f);
	k = fopen(f.kallsyms, "a");
	fprintf(k, "%llx t loop_show\t[loop]\n", (unsigned long long)BASE + 0x9000);
	fclose(k);
	assert_int_equal(hs_kallsyms_load(unit_ctx(), f.kallsyms, &ks), 0);
	assert_true(hs_kallsyms_has_mod(&ks, "loop"));
	assert_false(hs_kallsyms_has_mod(&ks, "binfmt_misc"));
	assert_false(hs_kallsyms_has_mod(&ks, "vmlinux"));	/* vmlinux has no [mod] */
	assert_int_equal(hs_runpre_not_loaded(&rp, "binfmt_misc", "bm_status_read"), 0);
	assert_int_equal(rp.nfuncs, 1);
	assert_false(rp.funcs[0].matched);
	assert_true(rp.funcs[0].not_loaded);
	assert_int_equal(rp.funcs[0].sympos, 0);
	assert_string_equal(rp.funcs[0].mod, "binfmt_misc");
	hs_runpre_free(&rp);
	hs_kallsyms_free(&ks);
	unlink(f.kallsyms);
}

/* Run-pre matching of 'entry' in the runpre fixture with its symbol mutated by @mutate. */
static int match_mutated(void (*mutate)(Elf64_Sym *s))
{
	struct hs_runpre rp = { 0 };
	struct fake f;
	struct hs_elf e;
	char *img;
	size_t len;
	int err;

	setup_fake(&f);
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("runpre"), &e), 0);
	link_entry(&f, &e, 0);
	hs_elf_close(&e);
	assert_int_equal(hs_read_file(unit_ctx(), unit_fixture("runpre"), &img, &len), 0);
	mutate(unit_elf_sym(img, "entry"));
	unit_messages();
	err = hs_elf_open_mem(unit_ctx(), "hostile.o", img, len, &e);
	if (!err)
		err = match(&f, &e, &rp);
	hs_runpre_free(&rp);
	hs_elf_close(&e);
	free(img);
	unlink(f.kallsyms);
	return err;
}

static void to_abs(Elf64_Sym *s) { s->st_shndx = SHN_ABS; }
static void to_common(Elf64_Sym *s) { s->st_shndx = SHN_COMMON; }
static void to_xindex(Elf64_Sym *s) { s->st_shndx = SHN_XINDEX; }
static void wrap_around(Elf64_Sym *s) { s->st_value = ~0ULL - 7; s->st_size = 0x20; }
static void past_end(Elf64_Sym *s) { s->st_size += 1; }

/* A function symbol outside any section, or running past its section, is refused. */
static void hostile_function_symbol_is_refused(void **state)
{
	(void)state;
	assert_int_equal(match_mutated(to_abs), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "'entry' not found"));
	assert_int_equal(match_mutated(to_common), -HS_EFORMAT);
	assert_int_equal(match_mutated(to_xindex), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "extended section indexes"));
	assert_int_equal(match_mutated(wrap_around), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "not inside section '.text.entry'"));
	assert_int_equal(match_mutated(past_end), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "not inside section '.text.entry'"));
}

/* 6.12 with call-depth tracking: a direct call enters the thunk in the callee's padding. */
static void call_into_padding_is_the_callee_on_6_12(void **state)
{
	struct hs_runpre rp = { 0 };
	const struct hs_runpre_sym *h;
	struct fake f;
	struct hs_elf e;

	(void)state;
	setup_fake(&f);
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("runpre"), &e), 0);
	link_entry(&f, &e, 2);
	assert_int_equal(match(&f, &e, &rp), -HS_EMISMATCH);	/* 6.1 has no padding */
	hs_runpre_free(&rp);
	memset(&rp, 0, sizeof(rp));
	assert_int_equal(match_on(&f, &e, &rp, "6.12"), 0);
	assert_true(rp.funcs[0].matched);
	h = hs_runpre_sym(&rp, NULL, "helper", 0);
	assert_non_null(h);
	assert_int_equal(h->sympos, 2);
	assert_int_equal(h->addr, f.helper);	/* the function, not its thunk */
	hs_runpre_free(&rp);
	hs_elf_close(&e);
	unlink(f.kallsyms);
}

/*
 * Link the 6.12-like fixture (ENDBR64, 16 bytes of padding, return thunk) as 6.12
 * runs it: the ENDBR sealed, the ftrace call at +4 a NOP, the return thunk jump a
 * ret. Calls to the static helper go through its section symbol (+16 for padding).
 */
static void link_ibt(struct fake *f, const struct hs_elf *e, const unsigned char *endbr)
{
	const struct hs_elf_sec *sec = hs_elf_sec_by_name(e, ".text.entry");
	unsigned char *p = f->mem + (f->entry - 16 - BASE);	/* entry is at +16 */

	memcpy(p, sec->data->d_buf, sec->data->d_size);
	for (size_t i = 0; i < hs_elf_nrelas(e, sec); i++) {
		const struct hs_elf_sym *s;
		uint64_t target;
		int32_t v;
		GElf_Rela r;

		assert_int_equal(hs_elf_rela(e, sec, i, &r), 0);
		s = &e->syms[GELF_R_SYM(r.r_info)];
		target = sym_addr(f, e, s);
		if (GELF_ST_TYPE(s->sym.st_info) == STT_SECTION && target == f->helper)
			target -= 16;			/* the section starts with the padding */
		if (!strcmp(s->name, "__x86_return_thunk")) {
			memcpy(p + r.r_offset - 1, "\xc3\xcc\xcc\xcc\xcc", 5);
			continue;
		}
		v = (int32_t)(target + (uint64_t)r.r_addend - (f->entry - 16 + r.r_offset));
		memcpy(p + r.r_offset, &v, 4);
	}
	memcpy(p + 16, endbr, 4);
	memcpy(p + 20, "\x0f\x1f\x44\x00\x00", 5);	/* ftrace_init: the call at +4 */
}

static void ibt_function_matches_on_6_12(void **state)
{
	struct hs_runpre rp = { 0 };
	const struct hs_runpre_sym *h;
	struct fake f;
	struct hs_elf e;

	(void)state;
	setup_fake(&f);
	assert_int_equal(hs_elf_open(unit_ctx(), unit_fixture("runpre-ibt"), &e), 0);
	link_ibt(&f, &e, (const unsigned char *)"\x66\x0f\x1f\x00");	/* sealed */
	assert_int_equal(match_on(&f, &e, &rp, "6.12"), 0);
	assert_true(rp.funcs[0].matched);
	h = hs_runpre_sym(&rp, NULL, "helper", 0);	/* through .text.helper+16 */
	assert_non_null(h);
	assert_int_equal(h->sympos, 2);
	assert_int_equal(h->addr, f.helper);
	hs_runpre_free(&rp);
	memset(&rp, 0, sizeof(rp));
	link_ibt(&f, &e, (const unsigned char *)"\xf3\x0f\x1e\xfa");	/* kept */
	assert_int_equal(match_on(&f, &e, &rp, "6.12"), 0);
	hs_runpre_free(&rp);
	memset(&rp, 0, sizeof(rp));
	link_ibt(&f, &e, (const unsigned char *)"\x90\x90\x90\x90");	/* neither */
	assert_int_equal(match_on(&f, &e, &rp, "6.12"), -HS_EMISMATCH);
	if (!strstr(rp.funcs[0].why, "+0x0: ENDBR site differs"))
		fail_msg("unexpected reason: %s", rp.funcs[0].why);
	hs_runpre_free(&rp);
	hs_elf_close(&e);
	unlink(f.kallsyms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_and_resolves_sympos),
		cmocka_unit_test(traced_function_matches),
		cmocka_unit_test(changed_byte_is_named),
		cmocka_unit_test(call_to_wrong_symbol_is_refused),
		cmocka_unit_test(module_not_loaded_has_its_own_verdict),
		cmocka_unit_test(statics_of_two_objects_resolve_apart),
		cmocka_unit_test(hostile_function_symbol_is_refused),
		cmocka_unit_test(call_into_padding_is_the_callee_on_6_12),
		cmocka_unit_test(ibt_function_matches_on_6_12),
	};

	return cmocka_run_group_tests_name("runpre", tests, NULL, NULL);
}
