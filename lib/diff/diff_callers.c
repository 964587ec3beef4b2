// SPDX-License-Identifier: GPL-2.0
/*
 * diff_callers.c - a changed function that livepatch cannot redirect, for
 * want of a __fentry__ call, is reached through its callers instead.
 *
 * The kernel's "inline" carries notrace, and gcc may still keep an inline
 * function out of line (security/selinux/avc.c's avc_has_perm_noaudit), so
 * its change cannot be redirected. When such a function is local to its
 * object and only called directly (its address is taken nowhere: no running
 * pointer can reach the old copy), every function of the object that calls
 * it is replaced too, and the module carries the new copy, which the
 * replaced callers call. A caller without __fentry__ itself is handled the
 * same way, in turn. Callers in init code are left: it no longer runs.
 *
 * A global such function is handled so within its object, and marked
 * callers_outside: the update must also replace its callers in the other
 * files that name it (hs_diff_reach_callers(), driven by create), and
 * refuses if it is exported (modules may call it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

/* Is @sec a section whose relocations store an address for later use (data, not code)? */
static bool diff_stores_addresses(const struct hs_elf_sec *sec)
{
	static const char *const prefixes[] = { ".data", ".rodata", ".init.data", ".ref.data",
						 "__param", ".bss" };

	if (!sec->name || diff_sec_is_text(sec))
		return false;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(sec->name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* Is symbol @t of side @s @f, or @f's .cold part? */
static bool is_target(const struct diff_side *s, size_t t, size_t f)
{
	return t == f || (s->si[f].cold && t == s->si[f].cold);
}

/*
 * How the code of function @j of side @s refers to symbol @f: 1 by direct
 * calls or jumps only, -1 otherwise too (its address is taken, or it is
 * data), 0 not at all.
 */
int diff_code_refs(const struct diff_side *s, size_t j, size_t f)
{
	const struct hs_elf *e = s->e;
	const GElf_Sym *sym = &e->syms[j].sym;
	const struct hs_elf_sec *sec = &e->secs[sym->st_shndx];
	const unsigned char *code = sec->data ? sec->data->d_buf : NULL;
	size_t n;
	GElf_Rela *r;
	int how = 0;

	if (!code || diff_relas(e, sec, sym->st_value, sym->st_value + sym->st_size, &r, &n))
		return -1;
	for (size_t i = 0; i < n && how >= 0; i++) {
		enum hs_diff_ref_kind kind;
		size_t t = diff_side_target(s, sec, &r[i], &kind);
		unsigned char op = r[i].r_offset ? code[r[i].r_offset - 1] : 0;

		if (is_target(s, t, f))
			how = op == 0xe8 || op == 0xe9 ? 1 : -1;
	}
	free(r);
	return how;
}

/* Is @f's address stored in data (a function pointer the running kernel may call)? */
static bool address_in_data(struct hs_diff_priv *p, size_t f)
{
	const struct hs_elf *e = p->post.e;

	for (size_t k = 1; k < e->nsecs; k++) {
		const struct hs_elf_sec *sec = &e->secs[k];

		if (!diff_stores_addresses(sec))
			continue;
		for (size_t i = 0; i < hs_elf_nrelas(e, sec); i++) {
			GElf_Rela r;
			enum hs_diff_ref_kind kind;

			if (!hs_elf_rela(e, sec, i, &r) &&
			    is_target(&p->post, diff_ref_target(p, sec, &r, &kind), f))
				return true;
		}
	}
	return false;
}

/* The callers of post symbol @f into @callers (post symbol indexes); their number, or -1. */
static long callers_of(struct hs_diff_priv *p, size_t f, size_t *callers)
{
	size_t n = 0;

	if (address_in_data(p, f))
		return -1;
	for (size_t j = 1; j < p->post.e->nsyms; j++) {
		const struct diff_symi *si = &p->post.si[j];
		int how;

		if (si->kind != DK_FUNC || si->is_cold || j == f || si->init)
			continue;
		how = diff_code_refs(&p->post, j, f);
		if (!how && si->cold)
			how = diff_code_refs(&p->post, si->cold, f);
		if (how < 0)
			return -1;
		if (how)
			callers[n++] = j;
	}
	return (long)n;
}

/*
 * Replace the @n @callers (post symbols) of @name; a caller without __fentry__
 * is refused as notrace (and set *@more, to be reached in turn). How many were
 * not replaced yet.
 */
static size_t replace_callers(struct hs_diff_priv *p, struct hs_diff *d, const char *name,
			      const size_t *callers, long n, bool *more)
{
	size_t fresh = 0;

	for (long k = 0; k < n; k++) {
		long e = p->post.si[callers[k]].entry;
		struct hs_diff_sym *c = e >= 0 ? &d->syms[e] : NULL;

		if (!c || c->cls != HS_DIFF_UNCHANGED)
			continue;
		fresh++;
		c->cls = HS_DIFF_CHANGED_FUNC;
		snprintf(c->reason, sizeof(c->reason), "calls '%s', which changed but has no "
			 "__fentry__ call", name);
		if (!diff_has_fentry(p->pre.e, c->pre_idx)) {
			diff_refuse(d, (int)e, DIFF_NOTRACE_REASON);
			*more = true;
		}
	}
	return fresh;
}

/* Replace the callers of notrace entry @ent, carry it; false when that cannot be done. */
static bool reach_through_callers(struct hs_diff_priv *p, struct hs_diff *d, size_t ent,
				  size_t *callers, bool *more)
{
	struct hs_diff_sym *ds = &d->syms[ent];
	bool global = GELF_ST_BIND(p->pre.e->syms[ds->pre_idx].sym.st_info) != STB_LOCAL;
	long n = callers_of(p, ds->post_idx, callers);

	if (n < 0 || (!n && !global)) {
		snprintf(ds->reason, sizeof(ds->reason), "%s; %s", DIFF_NOTRACE_REASON,
			 n ? "its address is taken, so it cannot be reached through its callers"
			   : "nothing calls it directly");
		return false;
	}
	replace_callers(p, d, ds->name, callers, n, more);
	ds->refused = false;
	ds->via_callers = true;
	ds->callers_outside = global;
	if (global)
		snprintf(ds->reason, sizeof(ds->reason), "no __fentry__ call: carried in the "
			 "module and reached through its replaced callers, %ld here and those in "
			 "the files that name it", n);
	else
		snprintf(ds->reason, sizeof(ds->reason), "no __fentry__ call: carried in the "
			 "module and reached through its %ld replaced caller(s), e.g. '%s'", n,
			 p->post.e->syms[callers[0]].name);
	return true;
}

int diff_notrace_callers(struct hs_diff_priv *p, struct hs_diff *d)
{
	size_t *callers = calloc(p->post.e->nsyms + 1, sizeof(*callers));
	bool more = true;

	if (!callers)
		return -ENOMEM;
	while (more) {
		more = false;
		for (size_t i = 0; i < d->nsyms; i++) {
			const struct hs_diff_sym *ds = &d->syms[i];

			if (!ds->is_func || ds->cls != HS_DIFF_CHANGED_FUNC || !ds->refused ||
			    strcmp(ds->reason, DIFF_NOTRACE_REASON) || !ds->pre_idx ||
			    !ds->post_idx)
				continue;
			reach_through_callers(p, d, i, callers, &more);
		}
	}
	free(callers);
	return 0;
}

int hs_diff_reach_callers(struct hs_diff *d, const char *name, char *why, size_t whylen)
{
	struct hs_diff_priv *p = d->priv;
	size_t f = 0, *callers = calloc(p->post.e->nsyms + 1, sizeof(*callers)), fresh = 0;
	bool more = false;	/* (a refused caller is reported below) */
	bool *was_refused = calloc(d->nsyms + 1, sizeof(*was_refused));
	long n = 0;
	int err = callers && was_refused ? 0 : -ENOMEM;

	for (size_t i = 0; !err && i < d->nsyms; i++)
		was_refused[i] = d->syms[i].refused;

	for (size_t j = 1; j < p->post.e->nsyms && !f; j++)
		if (p->post.e->syms[j].name && !strcmp(p->post.e->syms[j].name, name) &&
		    GELF_ST_BIND(p->post.e->syms[j].sym.st_info) != STB_LOCAL)
			f = j;
	if (!err && f && (n = callers_of(p, f, callers)) < 0) {
		snprintf(why, whylen, "'%s' takes the address of '%s'", d->objname, name);
		err = -HS_EREFUSED;
	}
	if (!err && n > 0)
		fresh = replace_callers(p, d, name, callers, n, &more);
	for (long k = 0; !err && fresh && k < n; k++) {
		long i = p->post.si[callers[k]].entry;
		struct hs_diff_sym *ds = i >= 0 ? &d->syms[i] : NULL;

		if (!ds || ds->cls != HS_DIFF_CHANGED_FUNC || ds->nrefs)
			continue;	/* (replaced for another name already: has its refs) */
		if (ds->refused) {
			snprintf(why, whylen, "'%s': its caller '%s' has no __fentry__ call either",
				 d->objname, ds->name);
			err = -HS_EREFUSED;
		}
		err = err ?: diff_refs_of(p, d, (size_t)i, ds->post_idx);
		if (!err && ds->post_cold)
			err = diff_refs_of(p, d, (size_t)i, ds->post_cold);
		d->nfuncs++;
	}
	for (size_t i = 0; !err && i < d->nsyms; i++)	/* what diff_refs_of() refused */
		if (d->syms[i].refused && !was_refused[i]) {
			snprintf(why, whylen, "'%s': '%s': %s", d->objname, d->syms[i].name,
				 d->syms[i].reason);
			err = -HS_EREFUSED;
		}
	free(was_refused);
	free(callers);
	return err;
}
