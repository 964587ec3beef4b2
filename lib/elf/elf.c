// SPDX-License-Identifier: GPL-2.0
/* elf.c - open and index relocatable ELF objects through libelf. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf/elf.h"

static int read_sections(const struct hs_ctx *ctx, struct hs_elf *e)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrnum(e->elf, &e->nsecs) || elf_getshdrstrndx(e->elf, &shstrndx)) {
		hs_err(ctx, "'%s': cannot read section headers: %s", e->path, elf_errmsg(-1));
		return -HS_EFORMAT;
	}
	e->secs = calloc(e->nsecs, sizeof(*e->secs));
	if (!e->secs)
		return -ENOMEM;
	while ((scn = elf_nextscn(e->elf, scn))) {
		size_t idx = elf_ndxscn(scn);
		struct hs_elf_sec *s = &e->secs[idx];

		if (!gelf_getshdr(scn, &s->shdr)) {
			hs_err(ctx, "'%s': section %zu: %s", e->path, idx, elf_errmsg(-1));
			return -HS_EFORMAT;
		}
		s->idx = idx;
		s->name = elf_strptr(e->elf, shstrndx, s->shdr.sh_name);
		if (!s->name) {
			hs_err(ctx, "'%s': section %zu: bad name: %s", e->path, idx, elf_errmsg(-1));
			return -HS_EFORMAT;
		}
		s->data = s->shdr.sh_type == SHT_NOBITS ? NULL : elf_getdata(scn, NULL);
		if (s->shdr.sh_type == SHT_SYMTAB)
			e->symtab_idx = idx;
	}
	return 0;
}

static int link_relas(const struct hs_ctx *ctx, struct hs_elf *e)
{
	for (size_t i = 1; i < e->nsecs; i++) {
		const struct hs_elf_sec *s = &e->secs[i];

		if (s->shdr.sh_type == SHT_REL) {
			hs_err(ctx, "'%s': section '%s': SHT_REL is not supported on x86-64",
			       e->path, s->name);
			return -HS_EFORMAT;
		}
		if (s->shdr.sh_type != SHT_RELA)
			continue;
		if (s->shdr.sh_info >= e->nsecs || s->shdr.sh_link != e->symtab_idx) {
			hs_err(ctx, "'%s': section '%s': bad sh_info/sh_link", e->path, s->name);
			return -HS_EFORMAT;
		}
		e->secs[s->shdr.sh_info].rela_idx = i;
	}
	return 0;
}

static int read_symbols(const struct hs_ctx *ctx, struct hs_elf *e)
{
	const struct hs_elf_sec *st;

	if (!e->symtab_idx) {
		hs_err(ctx, "'%s': no symbol table", e->path);
		return -HS_EFORMAT;
	}
	st = &e->secs[e->symtab_idx];
	if (!st->data || !st->shdr.sh_entsize) {
		hs_err(ctx, "'%s': empty symbol table", e->path);
		return -HS_EFORMAT;
	}
	e->nsyms = st->shdr.sh_size / st->shdr.sh_entsize;
	e->syms = calloc(e->nsyms, sizeof(*e->syms));
	if (!e->syms)
		return -ENOMEM;
	for (size_t i = 0; i < e->nsyms; i++) {
		struct hs_elf_sym *s = &e->syms[i];

		if (!gelf_getsym(st->data, (int)i, &s->sym)) {
			hs_err(ctx, "'%s': symbol %zu: %s", e->path, i, elf_errmsg(-1));
			return -HS_EFORMAT;
		}
		s->idx = i;
		s->name = elf_strptr(e->elf, st->shdr.sh_link, s->sym.st_name);
		if (!s->name)
			s->name = "";
		if (s->sym.st_shndx == SHN_XINDEX) {
			hs_err(ctx, "'%s': symbol '%s': extended section indexes are not supported",
			       e->path, s->name);
			return -HS_EFORMAT;
		}
		if (s->sym.st_shndx != SHN_UNDEF && s->sym.st_shndx < SHN_LORESERVE &&
		    s->sym.st_shndx >= e->nsecs) {
			hs_err(ctx, "'%s': symbol '%s': bad section index %u", e->path,
			       s->name, s->sym.st_shndx);
			return -HS_EFORMAT;
		}
	}
	return 0;
}

/* Check the header and index sections and symbols of e->elf. */
static int index_elf(const struct hs_ctx *ctx, struct hs_elf *e)
{
	GElf_Ehdr eh;
	int err;

	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF || !gelf_getehdr(e->elf, &eh)) {
		hs_err(ctx, "'%s': not an ELF file", e->path);
		return -HS_EFORMAT;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64 ||
	    eh.e_type != ET_REL) {
		hs_err(ctx, "'%s': not an x86-64 relocatable object", e->path);
		return -HS_EFORMAT;
	}
	err = read_sections(ctx, e);
	err = err ?: link_relas(ctx, e);
	return err ?: read_symbols(ctx, e);
}

int hs_elf_open(const struct hs_ctx *ctx, const char *path, struct hs_elf *e)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->path = path;
	e->fd = -1;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		hs_err(ctx, "libelf is too old: %s", elf_errmsg(-1));
		return -HS_EFORMAT;
	}
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0) {
		err = -errno;
		hs_err(ctx, "cannot open '%s': %s", path, strerror(errno));
		return err;
	}
	e->elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	err = index_elf(ctx, e);
	if (err)
		hs_elf_close(e);
	return err;
}

int hs_elf_open_mem(const struct hs_ctx *ctx, const char *name, const void *data, size_t size,
		    struct hs_elf *e)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->path = name;
	e->fd = -1;
	elf_version(EV_CURRENT);
	e->elf = elf_memory((char *)data, size);
	err = index_elf(ctx, e);
	if (err)
		hs_elf_close(e);
	return err;
}

void hs_elf_close(struct hs_elf *e)
{
	free(e->secs);
	free(e->syms);
	if (e->elf)
		elf_end(e->elf);
	if (e->fd >= 0)
		close(e->fd);
	memset(e, 0, sizeof(*e));
	e->fd = -1;
}

const struct hs_elf_sec *hs_elf_sec_by_name(const struct hs_elf *e, const char *name)
{
	for (size_t i = 1; i < e->nsecs; i++)
		if (!strcmp(e->secs[i].name, name))
			return &e->secs[i];
	return NULL;
}

const struct hs_elf_sym *hs_elf_sym_by_name(const struct hs_elf *e, const char *name)
{
	for (size_t i = 1; i < e->nsyms; i++)
		if (!strcmp(e->syms[i].name, name))
			return &e->syms[i];
	return NULL;
}

size_t hs_elf_nrelas(const struct hs_elf *e, const struct hs_elf_sec *sec)
{
	const struct hs_elf_sec *r;

	if (!sec->rela_idx)
		return 0;
	r = &e->secs[sec->rela_idx];
	if (!r->data || !r->shdr.sh_entsize)
		return 0;
	return r->shdr.sh_size / r->shdr.sh_entsize;
}

int hs_elf_rela(const struct hs_elf *e, const struct hs_elf_sec *sec, size_t i,
		GElf_Rela *rela)
{
	const struct hs_elf_sec *r = &e->secs[sec->rela_idx];

	if (!sec->rela_idx || !gelf_getrela(r->data, (int)i, rela))
		return -HS_EFORMAT;
	if (GELF_R_SYM(rela->r_info) >= e->nsyms)
		return -HS_EFORMAT;
	return 0;
}

bool hs_elf_export_section(const char *name)
{
	static const char *const prefixes[] = { "___ksymtab", "__ksymtab", "__kcrctab",
						".export_symbol" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

bool hs_elf_sym_is_func(const struct hs_elf_sym *s)
{
	/* read_symbols() checked that an index below SHN_LORESERVE is a section of e */
	return GELF_ST_TYPE(s->sym.st_info) == STT_FUNC && s->sym.st_shndx != SHN_UNDEF &&
	       s->sym.st_shndx < SHN_LORESERVE;
}

int hs_elf_func_bytes(const struct hs_ctx *ctx, const struct hs_elf *e,
		      const struct hs_elf_sym *s, const struct hs_elf_sec **sec,
		      const unsigned char **code)
{
	const struct hs_elf_sec *in;
	uint64_t start = s->sym.st_value, size = s->sym.st_size;

	if (!hs_elf_sym_is_func(s) || s->sym.st_shndx >= e->nsecs) {
		hs_err(ctx, "'%s': symbol '%s' is not a function defined in a section", e->path,
		       s->name);
		return -HS_EFORMAT;
	}
	in = &e->secs[s->sym.st_shndx];
	if (!in->data || !in->data->d_buf || !size || start > in->data->d_size ||
	    size > in->data->d_size - start) {
		hs_err(ctx, "'%s': function '%s': %" PRIu64 " bytes at 0x%" PRIx64 " are not inside section '%s'",
		       e->path, s->name, size, start, in->name ?: "?");
		return -HS_EFORMAT;
	}
	*sec = in;
	*code = (const unsigned char *)in->data->d_buf + start;
	return 0;
}
