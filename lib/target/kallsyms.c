// SPDX-License-Identifier: GPL-2.0
/* kallsyms.c - load and search /proc/kallsyms. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "target/kallsyms.h"

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

	k->addr = 0;
	for (end = line; ; end++) {
		unsigned int v = (unsigned char)*end;

		if (v - '0' < 10)
			v -= '0';
		else if ((v | 0x20) - 'a' < 6)
			v = (v | 0x20) - 'a' + 10;
		else
			break;
		k->addr = k->addr << 4 | v;
	}
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

static size_t hash_sym(const char *mod, const char *name)
{
	uint64_t h = mod ? hs_hash64(HS_HASH_INIT, mod, strlen(mod)) : HS_HASH_INIT;

	h = hs_hash64(h, "\xff", 1);
	return (size_t)hs_hash64(h, name, strlen(name));
}

static int same_sym(const struct hs_ksym *k, const char *mod, const char *name)
{
	return !cmp_mod(k->mod, mod) && !strcmp(k->name, name);
}

/*
 * Group the symbols by (module, name) in linear time: a hash table chains each
 * name's symbols in file order, and each group is laid out contiguously in
 * by_name, so a look-up returns all same-named symbols in kallsyms order.
 */
static int index_syms(struct hs_kallsyms *ks)
{
	size_t n = ks->nsyms, size = 16, placed = 0;

	while (size < 2 * n)
		size <<= 1;
	ks->hmask = size - 1;
	ks->head = malloc(size * sizeof(*ks->head));
	ks->next = malloc((n + 1) * sizeof(*ks->next));
	ks->by_name = malloc((n + 1) * sizeof(*ks->by_name));
	ks->group = malloc((n + 1) * sizeof(*ks->group));
	ks->glen = calloc(n + 1, sizeof(*ks->glen));
	if (!ks->head || !ks->next || !ks->by_name || !ks->group || !ks->glen)
		return -ENOMEM;
	memset(ks->head, 0xff, size * sizeof(*ks->head));
	memset(ks->group, 0xff, (n + 1) * sizeof(*ks->group));
	for (size_t i = n; i-- > 0;) {
		size_t h = hash_sym(ks->syms[i].mod, ks->syms[i].name) & ks->hmask;

		ks->next[i] = ks->head[h];
		ks->head[h] = i;
	}
	for (size_t i = 0; i < n; i++) {
		const struct hs_ksym *k = &ks->syms[i];
		size_t start = placed;

		if (ks->group[i] != SIZE_MAX)
			continue;
		for (size_t j = i; j != SIZE_MAX; j = ks->next[j])
			if (j == i || same_sym(&ks->syms[j], k->mod, k->name)) {
				ks->group[j] = start;
				ks->by_name[placed++] = j;
			}
		ks->glen[i] = placed - start;
	}
	return 0;
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
	err = index_syms(ks);
	if (err)
		hs_kallsyms_free(ks);
	return err;
}

void hs_kallsyms_free(struct hs_kallsyms *ks)
{
	free(ks->syms);
	free(ks->text);
	free(ks->by_name);
	free(ks->group);
	free(ks->glen);
	free(ks->head);
	free(ks->next);
	memset(ks, 0, sizeof(*ks));
}

size_t hs_kallsyms_find(const struct hs_kallsyms *ks, const char *mod, const char *name,
			const size_t **first)
{
	*first = ks->by_name;
	if (!ks->nsyms)
		return 0;
	for (size_t j = ks->head[hash_sym(mod, name) & ks->hmask]; j != SIZE_MAX; j = ks->next[j])
		if (same_sym(&ks->syms[j], mod, name)) {
			*first = ks->by_name + ks->group[j];
			return ks->glen[ks->by_name[ks->group[j]]];
		}
	return 0;
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

bool hs_kallsyms_has_mod(const struct hs_kallsyms *ks, const char *mod)
{
	for (size_t i = 0; i < ks->nsyms; i++)
		if (ks->syms[i].mod && !strcmp(ks->syms[i].mod, mod))
			return true;
	return false;
}
