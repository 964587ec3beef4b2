/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runpre.h - run-pre matching: compare the pre code of every function an update
 * replaces with the code the running kernel really executes, before anything is
 * changed, and learn from the pre code's relocations where the symbols it uses
 * really are (which resolves same-named local symbols to a sympos).
 */
#ifndef HS_RUNPRE_H
#define HS_RUNPRE_H

#include <stdint.h>
#include <stddef.h>

#include "elf/elf.h"
#include "target/kallsyms.h"
#include "elf/kfacts.h"

/* Reads @len bytes of kernel memory at @addr; 0 or -errno. */
typedef int (*hs_kmem_read_fn)(void *arg, uint64_t addr, void *buf, size_t len);

struct hs_runpre_env {
	const struct hs_kfacts *facts;	/* the running kernel's: what it rewrites */
	const struct hs_kallsyms *ks;
	hs_kmem_read_fn read;
	void *read_arg;
	/*
	 * The position create decided for the function (0: none): when several
	 * running copies match, this one is the verdict (matched, its address and
	 * the symbols its relocations resolved); when it is not among them, the
	 * verdict names the first match and prove.h refuses.
	 */
	unsigned long sympos;
};

/* A symbol referenced by pre code, resolved to the running kernel's copy. */
struct hs_runpre_sym {
	char *name;
	char *mod;		/* NULL: vmlinux */
	/*
	 * A local (static) symbol: the pre object whose code refers to it. Two
	 * objects' statics of one name are different symbols (each file's own
	 * 'helper'), so they resolve apart; NULL for a global symbol.
	 */
	char *obj;
	uint64_t addr;
	unsigned long sympos;	/* 0 when the name is unique in its object */
};

/* The verdict for one function. */
struct hs_runpre_func {
	char *name;
	char *mod;		/* NULL: vmlinux */
	int matched;		/* 1: exactly one running copy matched */
	int not_loaded;		/* 1: its module is not loaded, nothing to match */
	size_t nmatch;		/* how many running copies matched (> 1: ambiguous) */
	uint64_t addr;
	unsigned long sympos;
	char why[512];		/* when not matched: the reason, with the first differing offset */
};

struct hs_runpre {
	struct hs_runpre_func *funcs;
	size_t nfuncs;
	struct hs_runpre_sym *syms;
	size_t nsyms;
};

/*
 * Match function @name of the pre object @pre against every running copy of
 * the same name in object @mod (NULL: vmlinux), and append the verdict to
 * @out (and, on a match, the symbols its relocations resolved to).
 *
 * Returns 0 when it matched, -HS_EMISMATCH (verdict in the last out->funcs
 * entry) when it did not, other negative values on errors.
 */
int hs_runpre_match_func(const struct hs_ctx *ctx, const struct hs_runpre_env *env,
			 const struct hs_elf *pre, const char *mod, const char *name,
			 struct hs_runpre *out);

/*
 * Append the verdict for function @name of module @mod that is not loaded:
 * there is no running code to match; the livepatch core replaces the function
 * when the module loads. Returns 0 or -ENOMEM.
 */
int hs_runpre_not_loaded(struct hs_runpre *out, const char *mod, const char *name);

/*
 * A resolved symbol @name of @mod, or NULL: the copy at @sympos if matched
 * code refers to that one, else the first (local symbols of one name in
 * several objects resolve once per object).
 */
const struct hs_runpre_sym *hs_runpre_sym(const struct hs_runpre *rp, const char *mod,
					  const char *name, unsigned long sympos);

void hs_runpre_free(struct hs_runpre *rp);

#endif
