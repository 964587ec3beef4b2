// SPDX-License-Identifier: GPL-2.0
/*
 * sympos_code.c - which of several same-named symbols the patched file's code
 * refers to, told by the target build itself: Ksplice's trick (a function
 * that is unique refers to the copy), done at build time from the image's
 * bytes (vmlinux) or the module's relocations.
 */
#include <string.h>

#include "build/sympos.h"
#include "core/le.h"

/*
 * vmlinux: the address the image's code gives through pre relocation @r of
 * function @f, at @delta from what @r points at. 0 when the image does not tell.
 */
static uint64_t image_place(const struct hs_symorder *o, const struct hs_elf_sym *f,
			    const GElf_Rela *r, int64_t delta)
{
	const size_t *idx;
	const unsigned char *b;
	uint64_t p, s;

	if (!o->vz || !o->vz->nsecs || hs_symorder_copies(o, f->name, &idx) != 1 ||
	    !o->ents[idx[0]].addr || r->r_offset < f->sym.st_value)
		return 0;
	p = o->ents[idx[0]].addr + (r->r_offset - f->sym.st_value);
	switch (GELF_R_TYPE(r->r_info)) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		b = hs_vmlinuz_bytes(o->vz, p, 4);
		s = b ? p + (uint64_t)(int64_t)(int32_t)hs_le(b, 4) : 0;
		break;
	case R_X86_64_32S:
		b = hs_vmlinuz_bytes(o->vz, p, 4);
		s = b ? (uint64_t)(int64_t)(int32_t)hs_le(b, 4) : 0;
		break;
	case R_X86_64_64:
		b = hs_vmlinuz_bytes(o->vz, p, 8);
		s = b ? hs_le(b, 8) : 0;
		break;
	default:
		return 0;
	}
	/* the value is S + A (- P): S + A is what @r points at */
	return s ? s + (uint64_t)delta : 0;
}

/* The one function of @e named @name, or NULL. */
static const struct hs_elf_sym *unique_func(const struct hs_elf *e, const char *name)
{
	const struct hs_elf_sym *found = NULL;

	for (size_t i = 1; i < e->nsyms; i++)
		if (hs_elf_sym_is_func(&e->syms[i]) && e->syms[i].name &&
		    !strcmp(e->syms[i].name, name)) {
			if (found)
				return NULL;
			found = &e->syms[i];
		}
	return found;
}

/*
 * A module: the place (section << 32 | offset) the .ko's own relocation at the
 * same spot of function @f names, at @delta from what it points at; 0 if none.
 */
static uint64_t module_place(const struct hs_symorder *o, const struct hs_elf_sym *f,
			     const GElf_Rela *r, int64_t delta)
{
	const struct hs_elf *ko = o->ko;
	const struct hs_elf_sym *kf = ko ? unique_func(ko, f->name) : NULL;
	const struct hs_elf_sec *sec;
	uint64_t off;
	size_t nr;

	if (!kf || kf->sym.st_shndx >= ko->nsecs || r->r_offset < f->sym.st_value)
		return 0;
	sec = &ko->secs[kf->sym.st_shndx];
	off = kf->sym.st_value + (r->r_offset - f->sym.st_value);
	nr = hs_elf_nrelas(ko, sec);
	for (size_t j = 0; j < nr; j++) {
		const struct hs_elf_sym *t;
		GElf_Rela kr;
		int64_t at;

		if (hs_elf_rela(ko, sec, j, &kr) || kr.r_offset != off ||
		    GELF_R_TYPE(kr.r_info) != GELF_R_TYPE(r->r_info) ||
		    GELF_R_SYM(kr.r_info) >= ko->nsyms)
			continue;
		t = &ko->syms[GELF_R_SYM(kr.r_info)];
		if (t->sym.st_shndx == SHN_UNDEF || t->sym.st_shndx >= SHN_LORESERVE)
			return 0;
		at = (int64_t)t->sym.st_value + kr.r_addend + delta;
		return at < 0 ? 0 : (uint64_t)t->sym.st_shndx << 32 | (uint64_t)at;
	}
	return 0;
}

/* The function of @pre whose bytes hold offset @off of section @shndx, or NULL. */
static const struct hs_elf_sym *func_at(const struct hs_elf *pre, size_t shndx, uint64_t off)
{
	for (size_t i = 1; i < pre->nsyms; i++) {
		const struct hs_elf_sym *s = &pre->syms[i];

		if (hs_elf_sym_is_func(s) && s->sym.st_shndx == shndx && s->name &&
		    off >= s->sym.st_value && off < s->sym.st_value + s->sym.st_size)
			return s;
	}
	return NULL;
}

/* The symbol @name defines in @pre, or NULL. */
static const struct hs_elf_sym *defined(const struct hs_elf *pre, const char *name)
{
	for (size_t i = 1; i < pre->nsyms; i++)
		if (pre->syms[i].name && !strcmp(pre->syms[i].name, name) &&
		    pre->syms[i].sym.st_shndx != SHN_UNDEF && pre->syms[i].sym.st_shndx < pre->nsecs)
			return &pre->syms[i];
	return NULL;
}

unsigned long hs_sympos_by_code(const struct hs_symorder *o, const size_t *idx, size_t n,
				const struct hs_elf *pre, const char *name)
{
	const struct hs_elf_sym *d = pre ? defined(pre, name) : NULL;
	unsigned long found = 0;

	for (size_t i = 1; d && (o->vz || o->ko) && i < pre->nsecs; i++) {
		const struct hs_elf_sec *sec = &pre->secs[i];
		size_t nr = hs_elf_nrelas(pre, sec);

		for (size_t j = 0; (sec->shdr.sh_flags & SHF_EXECINSTR) && j < nr; j++) {
			const struct hs_elf_sym *t, *f;
			GElf_Rela r;
			uint64_t at;
			unsigned long k;
			int64_t delta;

			if (hs_elf_rela(pre, sec, j, &r) || GELF_R_SYM(r.r_info) >= pre->nsyms)
				continue;
			t = &pre->syms[GELF_R_SYM(r.r_info)];
			if (t != d && !(GELF_ST_TYPE(t->sym.st_info) == STT_SECTION &&
					t->sym.st_shndx == d->sym.st_shndx))
				continue;
			/* where @name lies from what @r points at (its section's start + addend) */
			delta = (int64_t)d->sym.st_value - (int64_t)t->sym.st_value - r.r_addend;
			f = func_at(pre, i, r.r_offset);
			at = !f ? 0 : o->vz ? image_place(o, f, &r, delta) : module_place(o, f, &r, delta);
			for (k = 0; at && k < n && o->ents[idx[k]].addr != at; k++)
				;
			if (!at || k == n)
				continue;
			if (found && found != k + 1)
				return 0;
			found = k + 1;
		}
	}
	return found;
}
