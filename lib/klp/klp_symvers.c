// SPDX-License-Identifier: GPL-2.0
/* klp_symvers.c - which symbols the target kernel exports (Module.symvers), and klp names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "klp/klp.h"

static int cmp_export(const void *a, const void *b)
{
	return strcmp(((const struct hs_klp_export *)a)->name,
		      ((const struct hs_klp_export *)b)->name);
}

/* Split one "crc\tname\tmodule\ttype[\tnamespace]" line in place (the module by its name). */
static int parse_line(char *line, struct hs_klp_export *x)
{
	char *name = strchr(line, '\t'), *mod, *end;

	if (!name)
		return -1;
	*name++ = 0;
	mod = strchr(name, '\t');
	if (!mod)
		return -1;
	*mod++ = 0;
	end = strchr(mod, '\t');
	if (end)
		*end = 0;
	x->name = name;
	/*
	 * Module.symvers names a module by its path ("drivers/virtio/virtio",
	 * "drivers/md/persistent-data/dm-persistent-data"); the livepatch core
	 * knows it by its name, KBUILD_MODNAME's '_' for '-'
	 */
	mod = strrchr(mod, '/') ? strrchr(mod, '/') + 1 : mod;
	for (char *c = mod; *c; c++)
		*c = *c == '-' ? '_' : *c;
	x->module = mod;
	x->ns = NULL;
	end = end ? strchr(end + 1, '\t') : NULL;	/* after the export type */
	if (end && end[1])
		x->ns = end + 1;
	return 0;
}

int hs_klp_symvers_load(const struct hs_ctx *ctx, const char *path, struct hs_klp_symvers *sv)
{
	size_t len, lines = 0, lineno = 0;
	char *p, *next;
	int err;

	memset(sv, 0, sizeof(*sv));
	err = hs_read_file(ctx, path, &sv->buf, &len);
	if (err)
		return err;
	for (p = sv->buf; *p; p++)
		lines += *p == '\n';
	sv->exports = calloc(lines + 1, sizeof(*sv->exports));
	if (!sv->exports) {
		hs_klp_symvers_free(sv);
		return -ENOMEM;
	}
	for (p = sv->buf; *p; p = next) {
		next = strchr(p, '\n');
		next = next ? (*next = 0, next + 1) : p + strlen(p);
		lineno++;
		if (!*p)
			continue;
		if (parse_line(p, &sv->exports[sv->nexports])) {
			hs_err(ctx, "'%s': line %zu: not in Module.symvers format", path, lineno);
			hs_klp_symvers_free(sv);
			return -HS_EFORMAT;
		}
		sv->nexports++;
	}
	qsort(sv->exports, sv->nexports, sizeof(*sv->exports), cmp_export);
	return 0;
}

void hs_klp_symvers_free(struct hs_klp_symvers *sv)
{
	free(sv->exports);
	free(sv->buf);
	memset(sv, 0, sizeof(*sv));
}

static const struct hs_klp_export *lookup(const struct hs_klp_symvers *sv, const char *name)
{
	struct hs_klp_export key = { .name = name };

	if (!sv->nexports)
		return NULL;
	return bsearch(&key, sv->exports, sv->nexports, sizeof(key), cmp_export);
}

const char *hs_klp_symvers_ns(const struct hs_klp_symvers *sv, const char *name)
{
	const struct hs_klp_export *x = lookup(sv, name);

	return x ? x->ns : NULL;
}

const char *hs_klp_symvers_find(const struct hs_klp_symvers *sv, const char *name)
{
	const struct hs_klp_export *x = lookup(sv, name);

	return x ? x->module : NULL;
}

char *hs_klp_rela_name(const char *obj, const char *sec)
{
	char *s;

	if (asprintf(&s, ".klp.rela.%s.%s", obj, sec[0] == '.' ? sec + 1 : sec) < 0)
		return NULL;
	return s;
}

char *hs_klp_code_sec_name(const char *obj, const char *sec)
{
	char *s;

	if (asprintf(&s, ".text..hotsplice.%s.%s", obj, sec[0] == '.' ? sec + 1 : sec) < 0)
		return NULL;
	return s;
}

const char *hs_klp_code_sec_obj(const char *sec, char *buf, size_t size)
{
	const size_t len = strlen(".text..hotsplice.");
	size_t n;

	if (strncmp(sec, ".text..hotsplice.", len))
		return "vmlinux";
	n = strcspn(sec + len, ".");
	if (!n || n >= size || !sec[len + n])
		return "vmlinux";
	memcpy(buf, sec + len, n);
	buf[n] = 0;
	return buf;
}

char *hs_klp_sym_name(const char *obj, const char *name, unsigned long sympos)
{
	char *s;

	if (asprintf(&s, ".klp.sym.%s.%s,%lu", obj, name, sympos) < 0)
		return NULL;
	return s;
}
