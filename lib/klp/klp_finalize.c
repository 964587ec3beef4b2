// SPDX-License-Identifier: GPL-2.0
/* klp_finalize.c - turn ".klp.sym." placeholders of a linked module into livepatch relocations. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elf.h"
#include "klp/klp.h"
#include "klp/klp_ow.h"

#define KLP_SYM_PREFIX ".klp.sym."

struct fin {
	const struct hs_ctx *ctx;
	struct hs_elf e;
	struct hs_ow ow;
	size_t *secmap;		/* input section -> builder section */
	size_t nklp;
};

static bool is_klp_sym(const struct hs_elf_sym *s)
{
	return s->sym.st_shndx == SHN_UNDEF && !strncmp(s->name, KLP_SYM_PREFIX, 9);
}

static int copy_sections(struct fin *f)
{
	for (size_t i = 1; i < f->e.nsecs; i++) {
		const struct hs_elf_sec *s = &f->e.secs[i];
		long out;
		int err;

		if (i == f->e.symtab_idx || s->shdr.sh_type == SHT_RELA ||
		    i == f->e.secs[f->e.symtab_idx].shdr.sh_link)
			continue;
		if (s->shdr.sh_type == SHT_GROUP || s->shdr.sh_type == SHT_SYMTAB_SHNDX) {
			hs_err(f->ctx, "'%s': section '%s': unsupported section type", f->e.path, s->name);
			return -HS_EFORMAT;
		}
		if (s->shdr.sh_type == SHT_STRTAB && !strcmp(s->name, ".shstrtab"))
			continue;
		out = hs_ow_add_sec(&f->ow, s->name, s->shdr.sh_type, s->shdr.sh_flags,
				    s->shdr.sh_addralign, s->shdr.sh_entsize, 0);
		if (out < 0)
			return (int)out;
		err = hs_ow_append(&f->ow, (size_t)out, s->data ? s->data->d_buf : NULL,
				   s->shdr.sh_size, 1, NULL);
		if (err)
			return err;
		f->secmap[i] = (size_t)out;
	}
	for (size_t i = 1; i < f->e.nsecs; i++)
		if (f->secmap[i] && (f->e.secs[i].shdr.sh_flags & SHF_LINK_ORDER))
			f->ow.secs[f->secmap[i]].link = f->secmap[f->e.secs[i].shdr.sh_link];
	return 0;
}

/* Symbols keep their order (index i in the input is index i in the builder). */
static int copy_symbols(struct fin *f)
{
	for (size_t i = 1; i < f->e.nsyms; i++) {
		const struct hs_elf_sym *s = &f->e.syms[i];
		size_t shndx = s->sym.st_shndx;
		long out;

		if (is_klp_sym(s)) {
			shndx = HS_SHN_LIVEPATCH;
			f->nklp++;
		} else if (shndx != SHN_UNDEF && shndx < SHN_LORESERVE) {
			shndx = f->secmap[shndx];
			if (!shndx) {
				hs_err(f->ctx, "'%s': symbol '%s': defined in a section that is not kept",
				       f->e.path, s->name);
				return -HS_EFORMAT;
			}
		}
		out = hs_ow_add_sym(&f->ow, s->name, s->sym.st_info, s->sym.st_other, shndx,
				    s->sym.st_value, s->sym.st_size);
		if (out < 0)
			return (int)out;
		if ((size_t)out != i)
			HS_BUG("symbol order changed while copying");
	}
	return 0;
}

static long rela_sec(struct fin *f, const char *name, size_t target, GElf_Xword flags)
{
	return hs_ow_add_sec(&f->ow, name, SHT_RELA, flags, 8, sizeof(Elf64_Rela), target);
}

/*
 * The object whose livepatch relocation section holds a relocation against
 * klp symbol @s from section @tgt: vmlinux for vmlinux's symbols (the
 * livepatch core refuses them in a module's sections), else the object whose
 * code @tgt holds.
 */
static const char *rela_obj(const struct hs_elf_sym *s, const char *tgt, char *buf, size_t size)
{
	if (!strncmp(s->name + strlen(KLP_SYM_PREFIX), "vmlinux.", strlen("vmlinux.")))
		return "vmlinux";
	return hs_klp_code_sec_obj(tgt, buf, size);
}

/* The livepatch relocation section for @tgt and object @obj: @klp[0..1] cached by object. */
static long klp_rela_sec(struct fin *f, const struct hs_elf_sec *tgt, size_t target,
			 const char *obj, long klp[2])
{
	long *slot = &klp[!strcmp(obj, "vmlinux")];
	char *name;

	if (*slot)
		return *slot;
	name = hs_klp_rela_name(obj, tgt->name);
	if (!name)
		return -ENOMEM;
	*slot = rela_sec(f, name, target, SHF_ALLOC | HS_SHF_RELA_LIVEPATCH);
	free(name);
	return *slot;
}

/*
 * Split one input SHT_RELA section into its ordinary and its livepatch parts
 * (one per object its klp symbols belong to: the code's own, and vmlinux).
 */
static int split_relas(struct fin *f, const struct hs_elf_sec *rs)
{
	const struct hs_elf_sec *tgt = &f->e.secs[rs->shdr.sh_info];
	size_t target = f->secmap[tgt->idx], n = rs->shdr.sh_size / sizeof(Elf64_Rela);
	long plain, klp[2] = { 0, 0 }, out;
	int err = 0;

	if (!target)
		return 0;
	plain = rela_sec(f, rs->name, target, rs->shdr.sh_flags);
	for (size_t i = 0; i < n && plain > 0 && !err; i++) {
		GElf_Rela r;
		size_t sym;
		char obj[64];

		if (!gelf_getrela(rs->data, (int)i, &r) || GELF_R_SYM(r.r_info) >= f->e.nsyms)
			return -HS_EFORMAT;
		sym = GELF_R_SYM(r.r_info);
		out = plain;
		if (is_klp_sym(&f->e.syms[sym]))
			out = klp_rela_sec(f, tgt, target,
					   rela_obj(&f->e.syms[sym], tgt->name, obj, sizeof(obj)), klp);
		if (out < 0)
			return (int)out;
		err = hs_ow_add_rela(&f->ow, (size_t)out, r.r_offset,
				     (uint32_t)GELF_R_TYPE(r.r_info), sym, r.r_addend);
	}
	return plain < 0 ? (int)plain : err;
}

static int copy_relas(struct fin *f)
{
	int err = 0;

	for (size_t i = 1; i < f->e.nsecs && !err; i++)
		if (f->e.secs[i].shdr.sh_type == SHT_RELA)
			err = split_relas(f, &f->e.secs[i]);
	return err;
}

int hs_klp_finalize(const struct hs_ctx *ctx, const char *in, const char *out)
{
	struct fin f;
	int err;

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	err = hs_elf_open(ctx, in, &f.e);
	if (err)
		return err;
	err = hs_ow_init(&f.ow);
	f.secmap = calloc(f.e.nsecs, sizeof(*f.secmap));
	if (!err && !f.secmap)
		err = -ENOMEM;
	err = err ?: copy_sections(&f);
	err = err ?: copy_symbols(&f);
	err = err ?: copy_relas(&f);
	err = err ?: hs_ow_write(ctx, &f.ow, out);
	if (!err)
		hs_info(ctx, "'%s': %zu livepatch symbol(s)", out, f.nklp);
	free(f.secmap);
	hs_ow_free(&f.ow);
	hs_elf_close(&f.e);
	return err;
}
