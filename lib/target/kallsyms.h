/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kallsyms.h - the running kernel's symbols, from /proc/kallsyms (root sees real
 * addresses). Entries keep the file's order, which is the order the kernel's
 * livepatch core counts in for a symbol's position (sympos).
 */
#ifndef HS_KALLSYMS_H
#define HS_KALLSYMS_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "core/hotsplice.h"

struct hs_ksym {
	uint64_t addr;
	char type;		/* 't', 'T', 'd', ... as in nm */
	const char *name;
	const char *mod;	/* NULL for vmlinux, else the module's name */
};

struct hs_kallsyms {
	struct hs_ksym *syms;
	size_t nsyms;
	char *text;		/* the file's contents; names point into it */
	size_t *by_name;	/* indexes of syms grouped by (mod, name), file order within */
	size_t *group;		/* per symbol: where its group starts in by_name */
	size_t *glen;		/* per symbol: its group's length */
	size_t *head;		/* hash table of (mod, name): first symbol of each chain */
	size_t *next;		/* per symbol: the next one in its chain (SIZE_MAX: end) */
	size_t hmask;
};

/*
 * Read @path (normally "/proc/kallsyms") into @ks. Refuses a file whose
 * addresses are all zero (not root, or kptr_restrict). Returns 0 or -errno.
 */
int hs_kallsyms_load(const struct hs_ctx *ctx, const char *path, struct hs_kallsyms *ks);

void hs_kallsyms_free(struct hs_kallsyms *ks);

/*
 * The symbols named @name in object @mod (NULL: vmlinux), in kallsyms order:
 * *@first receives a pointer into ks->by_name, the return value the count.
 * The kernel's sympos of the i-th of them is i + 1.
 */
size_t hs_kallsyms_find(const struct hs_kallsyms *ks, const char *mod, const char *name,
			const size_t **first);

/* Whether module @mod is loaded (has symbols in @ks). */
bool hs_kallsyms_has_mod(const struct hs_kallsyms *ks, const char *mod);

/* The symbol containing @addr (the last one at or below it in @mod), or NULL. */
const struct hs_ksym *hs_kallsyms_at(const struct hs_kallsyms *ks, uint64_t addr);

#endif
