// SPDX-License-Identifier: GPL-2.0
/* modfix.c - list a livepatch module's .klp.sym symbols (read only). */
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "modfix.h"

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
};

static void modelf_close(struct modelf *m)
{
	if (m->elf)
		elf_end(m->elf);
	if (m->fd >= 0)
		close(m->fd);
}

static int modelf_open(const struct hs_ctx *ctx, const void *ko, size_t len, struct modelf *m)
{
	Elf_Scn *scn = NULL;

	memset(m, 0, sizeof(*m));
	m->fd = memfd_create("hotsplice-modfix", MFD_CLOEXEC);
	if (m->fd < 0 || write(m->fd, ko, len) != (ssize_t)len)
		return m->fd < 0 ? -errno : -EIO;
	elf_version(EV_CURRENT);
	m->elf = elf_begin(m->fd, ELF_C_READ, NULL);
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
	return 0;
}

int hs_modfix_list(const struct hs_ctx *ctx, const void *ko, size_t len,
		   struct hs_klpsym **syms)
{
	struct hs_klpsym *v = NULL, s;
	struct modelf m;
	size_t nsyms;
	int n = 0, err;

	err = modelf_open(ctx, ko, len, &m);
	if (err)
		goto out;
	nsyms = m.symsh.sh_size / m.symsh.sh_entsize;
	for (size_t i = 1; i < nsyms; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(m.symdata, (int)i, &sym))
			continue;
		name = elf_strptr(m.elf, m.symsh.sh_link, sym.st_name);
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
