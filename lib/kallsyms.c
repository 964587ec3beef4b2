// SPDX-License-Identifier: GPL-2.0
/* kallsyms.c - load and search /proc/kallsyms. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "kallsyms.h"

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n + 1;
}

/* Parse "ffffffff81000000 T _stext" or "... t foo\t[mod]" in place. */
static int parse_line(char *line, struct hs_ksym *k)
{
	char *end, *name, *mod;

	k->addr = strtoull(line, &end, 16);
	if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
		return -1;
	k->type = end[1];
	name = end + 3;
	mod = strchr(name, '\t');
	k->mod = NULL;
	if (mod) {
		*mod++ = 0;
		if (*mod == '[') {
			mod++;
			mod[strcspn(mod, "]")] = 0;
			k->mod = mod;
		}
	}
	k->name = name;
	return 0;
}

static int cmp_mod(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;	/* vmlinux (NULL) sorts first */
	return strcmp(a, b);
}

static int by_name_cmp(const void *pa, const void *pb, void *arg)
{
	const struct hs_ksym *syms = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = cmp_mod(syms[a].mod, syms[b].mod);

	c = c ?: strcmp(syms[a].name, syms[b].name);
	return c ?: (a > b) - (a < b);
}

int hs_kallsyms_load(const struct hs_ctx *ctx, const char *path, struct hs_kallsyms *ks)
{
	int err, nonzero = 0;
	char *save = NULL;

	memset(ks, 0, sizeof(*ks));
	err = hs_read_file(ctx, path, &ks->text, NULL);
	if (err)
		return err;
	ks->syms = calloc((size_t)count_lines(ks->text), sizeof(*ks->syms));
	if (!ks->syms) {
		hs_kallsyms_free(ks);
		return -ENOMEM;
	}
	for (char *l = strtok_r(ks->text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (parse_line(l, &ks->syms[ks->nsyms]))
			continue;
		nonzero |= ks->syms[ks->nsyms].addr != 0;
		ks->nsyms++;
	}
	if (!nonzero) {
		hs_err(ctx, "'%s': all addresses are zero: run as root (and check kernel.kptr_restrict)",
		       path);
		hs_kallsyms_free(ks);
		return -EPERM;
	}
	ks->by_name = malloc(ks->nsyms * sizeof(*ks->by_name));
	if (!ks->by_name) {
		hs_kallsyms_free(ks);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ks->nsyms; i++)
		ks->by_name[i] = i;
	qsort_r(ks->by_name, ks->nsyms, sizeof(*ks->by_name), by_name_cmp, ks->syms);
	return 0;
}

void hs_kallsyms_free(struct hs_kallsyms *ks)
{
	free(ks->syms);
	free(ks->text);
	free(ks->by_name);
	memset(ks, 0, sizeof(*ks));
}

size_t hs_kallsyms_find(const struct hs_kallsyms *ks, const char *mod, const char *name,
			const size_t **first)
{
	size_t lo = 0, hi = ks->nsyms, n = 0;

	while (lo < hi) {	/* first entry not less than (mod, name) */
		size_t mid = lo + (hi - lo) / 2;
		const struct hs_ksym *k = &ks->syms[ks->by_name[mid]];
		int c = cmp_mod(k->mod, mod) ?: strcmp(k->name, name);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < ks->nsyms) {
		const struct hs_ksym *k = &ks->syms[ks->by_name[lo + n]];

		if (cmp_mod(k->mod, mod) || strcmp(k->name, name))
			break;
		n++;
	}
	*first = ks->by_name + lo;
	return n;
}

const struct hs_ksym *hs_kallsyms_at(const struct hs_kallsyms *ks, uint64_t addr)
{
	const struct hs_ksym *best = NULL;

	for (size_t i = 0; i < ks->nsyms; i++) {
		const struct hs_ksym *k = &ks->syms[i];

		if (k->addr <= addr && (!best || k->addr > best->addr))
			best = k;
	}
	return best;
}
