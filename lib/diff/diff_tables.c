// SPDX-License-Identifier: GPL-2.0
/*
 * diff_tables.c - a changed constant table that only this object's code
 * reads goes live with its readers.
 *
 * A variable whose initial value changed cannot be changed in the running
 * kernel (changed-data), but a file-local read-only one that nothing else can
 * reach needs no change in place: the module carries the new table, and every
 * function of the object that reads it is replaced by one that reads the new
 * copy. Example: a netlink policy (static const struct nla_policy[]) that a
 * fix makes stricter, read by the function that parses the message.
 *
 * Nothing else can reach it when, on both sides: it is local to the object
 * (no other file names it), in a section that is not writable (no one changed
 * it since boot), outside init data; no data holds its address (no ops
 * structure, no registered table points to it: only code names it); it holds
 * no code address itself (an ops table, which a caller would keep and call
 * through after the update); every function that reads it before the patch
 * is there after it too (each is replaced); and none of its readers is init
 * code (that ran at boot, with the old table).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

/* Is symbol @i of side @s local, not writable, not init? */
static bool local_readonly(const struct diff_side *s, size_t i)
{
	const GElf_Sym *sym = &s->e->syms[i].sym;

	return GELF_ST_BIND(sym->st_info) == STB_LOCAL && sym->st_shndx != SHN_UNDEF &&
	       sym->st_shndx < SHN_LORESERVE && !s->si[i].init &&
	       !(s->e->secs[sym->st_shndx].shdr.sh_flags & SHF_WRITE);
}

/* Is symbol @to of @e within @t (itself, or an alias of it)? */
static bool within(const struct hs_elf *e, size_t to, size_t t)
{
	const GElf_Sym *a = &e->syms[to].sym, *b = &e->syms[t].sym;

	return to == t || (a->st_shndx == b->st_shndx && a->st_value >= b->st_value &&
			   a->st_value < b->st_value + (b->st_size ? b->st_size : 1));
}

/* Does data of side @s hold the address of @t, or does @t hold a code address? */
static bool reachable_otherwise(const struct diff_side *s, size_t t)
{
	const struct hs_elf *e = s->e;
	const GElf_Sym *ts = &e->syms[t].sym;

	for (size_t k = 1; k < e->nsecs; k++) {
		const struct hs_elf_sec *sec = &e->secs[k];

		if (!(sec->shdr.sh_flags & SHF_ALLOC) || diff_sec_is_text(sec))
			continue;
		for (size_t i = 0; i < hs_elf_nrelas(e, sec); i++) {
			enum hs_diff_ref_kind kind;
			GElf_Rela r;
			size_t to;

			if (hs_elf_rela(e, sec, i, &r))
				return true;
			to = diff_side_target(s, sec, &r, &kind);
			if (within(e, to, t))
				return true;	/* data holds its address */
			if (k == ts->st_shndx && r.r_offset >= ts->st_value &&
			    r.r_offset < ts->st_value + ts->st_size &&
			    (s->si[to].kind == DK_FUNC ||
			     diff_sec_is_text(&e->secs[e->syms[to].sym.st_shndx])))
				return true;	/* it holds a code address */
		}
	}
	return false;
}

/*
 * The functions of side @s whose code names @t into @users (indexes, a .cold
 * part's parent): their number, or -1 when one is init code.
 */
static long readers(const struct diff_side *s, size_t t, size_t *users)
{
	size_t n = 0;

	for (size_t j = 1; j < s->e->nsyms; j++) {
		const struct diff_symi *si = &s->si[j];

		if (si->kind != DK_FUNC || (si->is_cold && si->parent) ||
		    (!diff_code_refs(s, j, t) && !(si->cold && diff_code_refs(s, si->cold, t))))
			continue;
		if (si->init)
			return -1;
		users[n++] = j;
	}
	return (long)n;
}

/* Can changed-data entry @ds go live with its readers? Their post indexes in @users. */
static long goes_live(struct hs_diff_priv *p, const struct hs_diff_sym *ds, size_t *users)
{
	size_t pre = ds->pre_idx, post = ds->post_idx;
	long n;

	if (!pre || !post || !local_readonly(&p->pre, pre) || !local_readonly(&p->post, post) ||
	    reachable_otherwise(&p->pre, pre) || reachable_otherwise(&p->post, post))
		return -1;
	n = readers(&p->pre, pre, users);
	if (n < 0)
		return -1;
	for (long k = 0; k < n; k++)
		if (!p->pre.si[users[k]].match)
			return -1;	/* a reader the update cannot replace */
	n = readers(&p->post, post, users);
	return n > 0 ? n : -1;
}

/* Replace the readers @users[0..n) of table @ds. */
static void replace_readers(struct hs_diff_priv *p, struct hs_diff *d, struct hs_diff_sym *ds,
			    const size_t *users, long n)
{
	for (long k = 0; k < n; k++) {
		long e = p->post.si[users[k]].entry;
		struct hs_diff_sym *c = e >= 0 ? &d->syms[e] : NULL;

		if (!c || c->cls != HS_DIFF_UNCHANGED)
			continue;
		c->cls = HS_DIFF_CHANGED_FUNC;
		snprintf(c->reason, sizeof(c->reason), "reads '%s', a changed read-only table",
			 ds->name);
		if (!diff_has_fentry(p->pre.e, c->pre_idx))
			diff_refuse(d, (int)e, DIFF_NOTRACE_REASON);	/* reached in turn */
	}
	ds->refused = false;
	snprintf(ds->reason, sizeof(ds->reason), "read-only, read by this file's code alone: the "
		 "module carries the new value and %ld reader(s) are replaced, e.g. '%s'", n,
		 p->post.e->syms[users[0]].name);
}

int diff_readonly_tables(struct hs_diff_priv *p, struct hs_diff *d)
{
	size_t *users = calloc(p->post.e->nsyms + p->pre.e->nsyms + 1, sizeof(*users));

	if (!users)
		return -ENOMEM;
	for (size_t i = 0; i < d->nsyms; i++) {
		struct hs_diff_sym *ds = &d->syms[i];
		long n;

		if (ds->cls != HS_DIFF_CHANGED_DATA || !ds->refused)
			continue;
		n = goes_live(p, ds, users);
		if (n > 0)
			replace_readers(p, d, ds, users, n);
	}
	free(users);
	return 0;
}
