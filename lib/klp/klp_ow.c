// SPDX-License-Identifier: GPL-2.0
/* klp_ow.c - build a relocatable ELF object in memory and write it with libelf. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "klp/klp_ow.h"

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (!np)
		return -ENOMEM;
	memset((char *)np + *cap * elem, 0, (ncap - *cap) * elem);
	*p = np;
	*cap = ncap;
	return 0;
}

int hs_ow_init(struct hs_ow *ow)
{
	memset(ow, 0, sizeof(*ow));
	if (grow((void **)&ow->secs, &ow->cap_secs, 1, sizeof(*ow->secs)) ||
	    grow((void **)&ow->syms, &ow->cap_syms, 1, sizeof(*ow->syms))) {
		hs_ow_free(ow);
		return -ENOMEM;
	}
	ow->nsecs = 1;
	ow->nsyms = 1;
	return 0;
}

void hs_ow_free(struct hs_ow *ow)
{
	for (size_t i = 0; i < ow->nsecs; i++) {
		free(ow->secs[i].name);
		free(ow->secs[i].buf);
		free(ow->secs[i].relas);
	}
	for (size_t i = 0; i < ow->nsyms; i++)
		free(ow->syms[i].name);
	free(ow->secs);
	free(ow->syms);
	memset(ow, 0, sizeof(*ow));
}

long hs_ow_add_sec(struct hs_ow *ow, const char *name, GElf_Word type, GElf_Xword flags,
		   GElf_Xword align, GElf_Xword entsize, size_t info)
{
	struct hs_ow_sec *s;

	if (grow((void **)&ow->secs, &ow->cap_secs, ow->nsecs + 1, sizeof(*ow->secs)))
		return -ENOMEM;
	s = &ow->secs[ow->nsecs];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name)
		return -ENOMEM;
	s->type = type;
	s->flags = flags;
	s->align = align ? align : 1;
	s->entsize = entsize;
	s->info = info;
	return (long)ow->nsecs++;
}

int hs_ow_append(struct hs_ow *ow, size_t sec, const void *data, size_t len, size_t align,
		 size_t *off)
{
	struct hs_ow_sec *s = &ow->secs[sec];
	size_t start = s->size;

	if (align > 1)
		start = (start + align - 1) / align * align;
	if (align > s->align)
		s->align = align;
	if (s->type != SHT_NOBITS) {
		if (grow((void **)&s->buf, &s->cap, start + len, 1))
			return -ENOMEM;
		memset(s->buf + s->size, 0, start - s->size);
		if (data)
			memcpy(s->buf + start, data, len);
		else
			memset(s->buf + start, 0, len);
	}
	s->size = start + len;
	if (off)
		*off = start;
	return 0;
}

long hs_ow_add_sym(struct hs_ow *ow, const char *name, unsigned char info, unsigned char other,
		   size_t shndx, GElf_Addr value, GElf_Xword size)
{
	struct hs_ow_sym *s;

	if (grow((void **)&ow->syms, &ow->cap_syms, ow->nsyms + 1, sizeof(*ow->syms)))
		return -ENOMEM;
	s = &ow->syms[ow->nsyms];
	s->name = strdup(name ? name : "");
	if (!s->name)
		return -ENOMEM;
	s->info = info;
	s->other = other;
	s->shndx = shndx;
	s->value = value;
	s->size = size;
	return (long)ow->nsyms++;
}

int hs_ow_add_rela(struct hs_ow *ow, size_t rsec, GElf_Addr off, uint32_t type, size_t sym,
		   GElf_Sxword addend)
{
	struct hs_ow_sec *s = &ow->secs[rsec];

	if (grow((void **)&s->relas, &s->cap_relas, s->nrelas + 1, sizeof(*s->relas)))
		return -ENOMEM;
	s->relas[s->nrelas++] = (struct hs_ow_rela){ off, type, sym, addend };
	return 0;
}

size_t hs_ow_sec_by_name(const struct hs_ow *ow, const char *name)
{
	for (size_t i = 1; i < ow->nsecs; i++)
		if (!strcmp(ow->secs[i].name, name))
			return i;
	return 0;
}

/* A string table under construction. */
struct strtab {
	char *buf;
	size_t size, cap;
};

static long strtab_add(struct strtab *t, const char *s)
{
	size_t len, at = t->size;

	if (!s)
		s = "";
	len = strlen(s) + 1;

	if (!*s && t->size)
		return 0;
	if (grow((void **)&t->buf, &t->cap, t->size + len, 1))
		return -ENOMEM;
	memcpy(t->buf + at, s, len);
	t->size += len;
	return (long)at;
}

/* Everything hs_ow_write() allocates for libelf, freed after elf_end(). */
struct owbufs {
	struct strtab str, shstr;
	size_t *symmap;		/* builder symbol index -> output index */
	Elf64_Sym *syms;
	size_t nlocal;
	Elf64_Rela **relas;	/* per builder section */
};

static int order_symbols(const struct hs_ow *ow, struct owbufs *b)
{
	size_t out = 0;

	b->symmap = calloc(ow->nsyms, sizeof(*b->symmap));
	b->syms = calloc(ow->nsyms, sizeof(*b->syms));
	if (!b->symmap || !b->syms)
		return -ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ow->nsyms; i++) {
			const struct hs_ow_sym *s = &ow->syms[i];
			bool local = i == 0 || GELF_ST_BIND(s->info) == STB_LOCAL;
			Elf64_Sym *d = &b->syms[out];
			long name;

			if (local != (pass == 0))
				continue;
			name = strtab_add(&b->str, s->name);
			if (name < 0)
				return (int)name;
			d->st_name = (Elf64_Word)name;
			d->st_info = s->info;
			d->st_other = s->other;
			d->st_shndx = (Elf64_Section)s->shndx;
			d->st_value = s->value;
			d->st_size = s->size;
			b->symmap[i] = out++;
		}
		if (pass == 0)
			b->nlocal = out;
	}
	return 0;
}

static int fill_relas(const struct hs_ow *ow, struct owbufs *b)
{
	b->relas = calloc(ow->nsecs, sizeof(*b->relas));
	if (!b->relas)
		return -ENOMEM;
	for (size_t i = 1; i < ow->nsecs; i++) {
		const struct hs_ow_sec *s = &ow->secs[i];

		if (s->type != SHT_RELA || !s->nrelas)
			continue;
		b->relas[i] = calloc(s->nrelas, sizeof(Elf64_Rela));
		if (!b->relas[i])
			return -ENOMEM;
		for (size_t r = 0; r < s->nrelas; r++) {
			const struct hs_ow_rela *ra = &s->relas[r];

			if (ra->sym >= ow->nsyms)
				HS_BUG("relocation against a symbol that does not exist");
			b->relas[i][r].r_offset = ra->off;
			b->relas[i][r].r_info = ELF64_R_INFO(b->symmap[ra->sym], ra->type);
			b->relas[i][r].r_addend = ra->addend;
		}
	}
	return 0;
}

static int add_scn(Elf *elf, long name, GElf_Word type, GElf_Xword flags, GElf_Xword align,
		   GElf_Xword entsize, size_t link, size_t info, void *buf, size_t size)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf64_Shdr *sh = scn ? elf64_getshdr(scn) : NULL;
	Elf_Data *d = scn ? elf_newdata(scn) : NULL;

	if (!sh || !d)
		return -HS_EFORMAT;
	sh->sh_name = (Elf64_Word)name;
	sh->sh_type = type;
	sh->sh_flags = flags;
	sh->sh_addralign = align;
	sh->sh_entsize = entsize;
	sh->sh_link = (Elf64_Word)link;
	sh->sh_info = (Elf64_Word)info;
	d->d_buf = buf;
	d->d_size = size;
	d->d_type = ELF_T_BYTE;
	d->d_align = align ? align : 1;
	d->d_version = EV_CURRENT;
	return 0;
}

static int write_sections(const struct hs_ow *ow, struct owbufs *b, Elf *elf)
{
	size_t symtab = ow->nsecs, strtab = symtab + 1;
	long names[3];
	int err = 0;

	for (size_t i = 1; i < ow->nsecs && !err; i++) {
		const struct hs_ow_sec *s = &ow->secs[i];
		long name = strtab_add(&b->shstr, s->name);

		if (name < 0)
			return (int)name;
		if (s->type == SHT_RELA)
			err = add_scn(elf, name, s->type, s->flags | SHF_INFO_LINK, 8,
				      sizeof(Elf64_Rela), symtab, s->info, b->relas[i],
				      s->nrelas * sizeof(Elf64_Rela));
		else
			err = add_scn(elf, name, s->type, s->flags, s->align, s->entsize,
				      s->link, s->info, s->buf, s->size);
	}
	names[0] = strtab_add(&b->shstr, ".symtab");
	names[1] = strtab_add(&b->shstr, ".strtab");
	names[2] = strtab_add(&b->shstr, ".shstrtab");
	if (names[0] < 0 || names[1] < 0 || names[2] < 0)
		return -ENOMEM;
	err = err ?: add_scn(elf, names[0], SHT_SYMTAB, 0, 8, sizeof(Elf64_Sym), strtab,
			     b->nlocal, b->syms, ow->nsyms * sizeof(Elf64_Sym));
	err = err ?: add_scn(elf, names[1], SHT_STRTAB, 0, 1, 0, 0, 0, b->str.buf, b->str.size);
	err = err ?: add_scn(elf, names[2], SHT_STRTAB, 0, 1, 0, 0, 0, b->shstr.buf,
			     b->shstr.size);
	return err;
}

static int write_elf(const struct hs_ctx *ctx, const struct hs_ow *ow, struct owbufs *b,
		     int fd, const char *path)
{
	Elf64_Ehdr *eh;
	Elf *elf;
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -HS_EFORMAT;
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	eh = elf ? elf64_newehdr(elf) : NULL;
	if (!eh) {
		hs_err(ctx, "'%s': cannot create ELF: %s", path, elf_errmsg(-1));
		if (elf)
			elf_end(elf);
		return -HS_EFORMAT;
	}
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_REL;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_shstrndx = (Elf64_Half)(ow->nsecs + 2);
	err = write_sections(ow, b, elf);
	if (!err && elf_update(elf, ELF_C_WRITE) < 0)
		err = -HS_EFORMAT;
	if (err)
		hs_err(ctx, "'%s': cannot write ELF: %s", path, elf_errmsg(-1));
	elf_end(elf);
	return err;
}

int hs_ow_write(const struct hs_ctx *ctx, const struct hs_ow *ow, const char *path)
{
	struct owbufs b;
	int fd, err;

	memset(&b, 0, sizeof(b));
	err = strtab_add(&b.str, "") < 0 || strtab_add(&b.shstr, "") < 0 ? -ENOMEM : 0;
	err = err ?: order_symbols(ow, &b);
	err = err ?: fill_relas(ow, &b);
	if (!err) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			err = -errno;
			hs_err(ctx, "cannot create '%s': %s", path, strerror(errno));
		} else {
			err = write_elf(ctx, ow, &b, fd, path);
			if (close(fd) && !err)
				err = -errno;
		}
	}
	for (size_t i = 0; b.relas && i < ow->nsecs; i++)
		free(b.relas[i]);
	free(b.relas);
	free(b.symmap);
	free(b.syms);
	free(b.str.buf);
	free(b.shstr.buf);
	return err;
}
