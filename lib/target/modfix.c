// SPDX-License-Identifier: GPL-2.0
/* modfix.c - list a livepatch module's .klp.sym symbols (read only). */
#include <errno.h>
#include <limits.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "target/modfix.h"

#define KLP_SYM_PREFIX ".klp.sym."

/* Parse ".klp.sym.<obj>.<name>,<pos>" into @s. Returns 0, or -1 if it is not one. */
static int parse_klpsym(const char *full, struct hs_klpsym *s)
{
	const char *obj = full + strlen(KLP_SYM_PREFIX), *dot, *comma;
	char *end;

	if (strncmp(full, KLP_SYM_PREFIX, strlen(KLP_SYM_PREFIX)))
		return -1;
	dot = strchr(obj, '.');
	comma = strrchr(obj, ',');
	if (!dot || !comma || comma < dot || dot == obj || comma == dot + 1)
		return -1;
	s->pos = strtoul(comma + 1, &end, 10);
	if (*end || end == comma + 1)
		return -1;
	s->obj = strndup(obj, (size_t)(dot - obj));
	s->name = strndup(dot + 1, (size_t)(comma - dot - 1));
	if (!s->obj || !s->name) {
		free(s->obj);
		free(s->name);
		return -1;
	}
	return 0;
}

void hs_modfix_free(struct hs_klpsym *syms, int n)
{
	for (int i = 0; i < n; i++) {
		free(syms[i].obj);
		free(syms[i].name);
	}
	free(syms);
}

struct modelf {
	int fd;
	Elf *elf;
	Elf_Scn *symscn;
	GElf_Shdr symsh;
	Elf_Data *symdata;
	Elf_Scn *strscn;
	Elf_Data *strdata;
	size_t nsyms;
};

static void modelf_close(struct modelf *m)
{
	if (m->elf)
		elf_end(m->elf);
	if (m->fd >= 0)
		close(m->fd);
}

/* The name of symbol @sym, NUL-terminated inside the string table; NULL if not. */
static const char *sym_name(const struct modelf *m, const GElf_Sym *sym)
{
	return elf_strptr(m->elf, m->symsh.sh_link, sym->st_name);
}

/* Every symbol name must end inside the string table. */
static int check_names(const struct hs_ctx *ctx, const struct modelf *m)
{
	for (size_t i = 1; i < m->nsyms; i++) {
		GElf_Sym sym;

		if (!gelf_getsym(m->symdata, (int)i, &sym) || !sym_name(m, &sym)) {
			hs_err(ctx, "livepatch module: symbol %zu: name outside the string table", i);
			return -HS_EFORMAT;
		}
	}
	return 0;
}

/* Largest section alignment accepted: a page (a module needs no more). */
#define SEC_ALIGN_MAX 4096

/*
 * Every section lies inside the image and asks for at most a page's alignment
 * (a hostile module is refused before anything reads its sections).
 */
static int check_layout(const struct hs_ctx *ctx, Elf *elf, size_t len)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_addralign > SEC_ALIGN_MAX ||
		    (sh.sh_type != SHT_NOBITS &&
		     (sh.sh_offset > len || sh.sh_size > len - sh.sh_offset))) {
			hs_err(ctx, "livepatch module: section %zu lies outside the image or has a bad alignment",
			       elf_ndxscn(scn));
			return -HS_EFORMAT;
		}
	}
	return 0;
}

static int modelf_open(const struct hs_ctx *ctx, const void *ko, size_t len, struct modelf *m)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr strsh;

	memset(m, 0, sizeof(*m));
	m->fd = memfd_create("hotsplice-modfix", MFD_CLOEXEC);
	if (m->fd < 0 || write(m->fd, ko, len) != (ssize_t)len)
		return m->fd < 0 ? -errno : -EIO;
	elf_version(EV_CURRENT);
	m->elf = elf_begin(m->fd, ELF_C_READ, NULL);
	if (m->elf && check_layout(ctx, m->elf, len))
		return -HS_EFORMAT;
	while (m->elf && (scn = elf_nextscn(m->elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			m->symscn = scn;
			m->symsh = sh;
		}
	}
	if (!m->symscn || !(m->symdata = elf_getdata(m->symscn, NULL)) ||
	    !(m->strscn = elf_getscn(m->elf, m->symsh.sh_link)) ||
	    !(m->strdata = elf_getdata(m->strscn, NULL))) {
		hs_err(ctx, "livepatch module: no symbol table: %s", elf_errmsg(-1));
		return -HS_EFORMAT;
	}
	/* the string table is rewritten: a section of its own, of strings */
	if (!m->symsh.sh_link || m->symsh.sh_link == elf_ndxscn(m->symscn) ||
	    !gelf_getshdr(m->strscn, &strsh) || strsh.sh_type != SHT_STRTAB) {
		hs_err(ctx, "livepatch module: the symbol table's string table (section %u) is not one",
		       (unsigned)m->symsh.sh_link);
		return -HS_EFORMAT;
	}
	if (m->symsh.sh_entsize != gelf_fsize(m->elf, ELF_T_SYM, 1, EV_CURRENT) ||
	    m->symdata->d_size / m->symsh.sh_entsize > INT_MAX) {
		hs_err(ctx, "livepatch module: symbol table: bad entry size %llu",
		       (unsigned long long)m->symsh.sh_entsize);
		return -HS_EFORMAT;
	}
	m->nsyms = m->symdata->d_size / m->symsh.sh_entsize;
	return check_names(ctx, m);
}

int hs_modfix_list(const struct hs_ctx *ctx, const void *ko, size_t len,
		   struct hs_klpsym **syms)
{
	struct hs_klpsym *v = NULL, s;
	struct modelf m;
	int n = 0, err;

	err = modelf_open(ctx, ko, len, &m);
	if (err)
		goto out;
	for (size_t i = 1; i < m.nsyms; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(m.symdata, (int)i, &sym))
			continue;
		name = sym_name(&m, &sym);
		if (!name || parse_klpsym(name, &s))
			continue;
		struct hs_klpsym *nv = realloc(v, (size_t)(n + 1) * sizeof(*v));

		if (!nv) {
			free(s.obj);
			free(s.name);
			err = -ENOMEM;
			break;
		}
		v = nv;
		v[n++] = s;
	}
out:
	modelf_close(&m);
	if (err) {
		hs_modfix_free(v, n);
		return err;
	}
	*syms = v;
	return n;
}
/* Offset of 'name' in struct module (x86-64): after 'state' and the 'list' head. */
#define THIS_MODULE_NAME_OFF 24

/* The string after "name=" in the .modinfo data @d, or NULL; *@bad if unterminated. */
static const char *modinfo_name(const Elf_Data *d, int *bad)
{
	const char *p = d->d_buf, *end = p + d->d_size;

	while (p && p < end) {
		const char *nul = memchr(p, 0, (size_t)(end - p));

		if (!nul) {
			*bad = 1;
			return NULL;
		}
		if (!strncmp(p, "name=", 5))
			return p + 5;
		p = nul + 1;
	}
	return NULL;
}

/* The data of section @name of @elf, or NULL. */
static Elf_Data *sec_data(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name))
			return elf_getdata(scn, NULL);
	}
	return NULL;
}

int hs_modfix_name(const struct hs_ctx *ctx, const void *ko, size_t len,
		   char name[HS_MODNAME_SIZE])
{
	Elf *elf;
	Elf_Data *mod, *info;
	const char *n = NULL, *in_info = NULL;
	int bad = 0, err = 0;

	elf_version(EV_CURRENT);
	elf = elf_memory((char *)ko, len);
	mod = elf ? sec_data(elf, ".gnu.linkonce.this_module") : NULL;
	info = elf ? sec_data(elf, ".modinfo") : NULL;
	if (mod && mod->d_buf && mod->d_size >= THIS_MODULE_NAME_OFF + HS_MODNAME_SIZE) {
		n = (const char *)mod->d_buf + THIS_MODULE_NAME_OFF;
		if (!memchr(n, 0, HS_MODNAME_SIZE) || !*n)
			n = NULL;
	}
	if (info && info->d_buf)
		in_info = modinfo_name(info, &bad);
	if (!n || bad) {
		hs_err(ctx, "livepatch module: %s", !n ? "no module name in .gnu.linkonce.this_module" :
		       ".modinfo is not NUL-terminated");
		err = -HS_EFORMAT;
	} else if (in_info && strcmp(in_info, n)) {
		hs_err(ctx, "livepatch module: named '%s' in .gnu.linkonce.this_module but '%s' in .modinfo",
		       n, in_info);
		err = -HS_EFORMAT;
	} else {
		snprintf(name, HS_MODNAME_SIZE, "%s", n);
	}
	if (elf)
		elf_end(elf);
	return err;
}
