// SPDX-License-Identifier: GPL-2.0
/*
 * diff_locals.c - pair the local data of both objects (static variables,
 * string literals, once-flags, dynamic-debug descriptors), whose names gcc
 * numbers per compile, by their owners, content and place (diff_correlate()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

/*
 * Data whose identity does not matter, harmless to pair by order: once-only
 * flags (WARN_ONCE, printk_once: at worst a message is printed again),
 * ratelimit states (_rs of the *_ratelimited() printers: at worst the limit
 * starts again),
 * lockdep class keys (__key: lockdep's bookkeeping only), and anything of
 * size 0 (no state at all: a lock_class_key without CONFIG_LOCKDEP).
 */
static bool is_harmless(const struct diff_side *s, size_t i)
{
	const char *g = s->si[i].group;

	return !strcmp(g, "__already_done") || !strcmp(g, "__warned") ||
	       !strcmp(g, "__print_once") || !strcmp(g, "__key") || !strcmp(g, "_rs") ||
	       !s->e->syms[i].sym.st_size;
}

/*
 * Read-only local data (a netlink message's __msg, a constant table): no
 * state, only its content matters. It pairs only with a twin of the same
 * content; one whose content changed is new data, the module's own copy,
 * never the running kernel's old text under a new name, nor ambiguous.
 */
static bool is_readonly(const struct diff_side *s, size_t i)
{
	const GElf_Sym *sym = &s->e->syms[i].sym;

	return sym->st_shndx != SHN_UNDEF && sym->st_shndx < SHN_LORESERVE &&
	       !(s->e->secs[sym->st_shndx].shdr.sh_flags & SHF_WRITE);
}

/* Do two owners strings (see find_owners()) name a common function? */
static bool owners_meet(const char *a, const char *b)
{
	if (!a || !b)
		return !a && !b;
	for (const char *t = a; *t;) {
		size_t n = strcspn(t, ",");

		for (const char *u = b; *u;) {
			size_t m = strcspn(u, ",");

			if (n == m && !strncmp(t, u, n))
				return true;
			u += m + (u[m] == ',');
		}
		t += n + (t[n] == ',');
	}
	return false;
}

/* The rounds of match_locals(), strongest evidence first. */
enum local_round {
	LR_CONTENT,	/* group, owners, content */
	LR_LOOSE,	/* group, owners, content but a descriptor's line */
	LR_SITE,	/* sites: group, content (the owner was renamed or inlined elsewhere) */
	LR_SITE_LOOSE,	/* sites: group, content but the line */
	LR_OWNERS,	/* other data: group, owners; a changed value is then reported */
	LR_ORDER,	/* equal lots: sites by owners and loose content, is_harmless() by owners
			 * and content */
	LR_NAME,	/* other data: group alone, one on each side sharing an owner */
	LR_NROUNDS,
};

/* Append a field of a local datum's key. */
static void key_field(struct diff_buf *b, const char *v)
{
	diff_buf_addmem(b, "\n", 1);
	diff_buf_addmem(b, v, strlen(v));
}

/* The key of unmatched local datum @i in round @r, or false if it takes no part. */
static bool local_key(const struct diff_side *s, size_t i, enum local_round r,
		      struct diff_buf *b)
{
	const struct diff_symi *si = &s->si[i];

	if (!si->local || si->match)
		return false;
	if ((r == LR_SITE || r == LR_SITE_LOOSE) && !si->site)
		return false;
	if ((r == LR_OWNERS || r == LR_NAME) && si->site)
		return false;
	if ((r == LR_OWNERS || r == LR_ORDER || r == LR_NAME) && !si->site && is_readonly(s, i))
		return false;
	if ((r == LR_OWNERS || r == LR_NAME) && !si->site && is_harmless(s, i))
		return false;	/* by order and content: a changed limit is a new state */
	if (r == LR_ORDER && !si->site && !is_harmless(s, i))
		return false;
	diff_buf_add(b, "%s", si->group);
	if (r == LR_CONTENT || r == LR_LOOSE || r == LR_OWNERS || r == LR_ORDER)
		key_field(b, si->owners ? si->owners : "");
	if (r == LR_CONTENT || r == LR_SITE || (r == LR_ORDER && !si->site))
		key_field(b, si->content);
	if (r == LR_LOOSE || r == LR_SITE_LOOSE || (r == LR_ORDER && si->site))
		key_field(b, si->loose);
	return true;
}

struct local_key {
	char *k;
	size_t idx;
	GElf_Addr value;
};

static int cmp_local_key(const void *a, const void *b)
{
	const struct local_key *x = a, *y = b;
	int c = strcmp(x->k, y->k);

	if (c)
		return c;
	return x->value < y->value ? -1 : x->value > y->value;
}

static void free_keys(struct local_key *k, size_t n)
{
	for (size_t i = 0; k && i < n; i++)
		free(k[i].k);
	free(k);
}

/* The keys of side @s's unmatched local data in round @r, sorted. */
static int local_keys(const struct diff_side *s, enum local_round r, struct local_key **out,
		      size_t *n)
{
	struct local_key *k = calloc(s->e->nsyms, sizeof(*k));

	*out = k;
	*n = 0;
	if (!k)
		return -ENOMEM;
	for (size_t i = 1; i < s->e->nsyms; i++) {
		struct diff_buf b = { 0 };

		if (!local_key(s, i, r, &b))
			continue;
		if (b.oom || !b.s) {
			free(b.s);
			return -ENOMEM;
		}
		k[(*n)++] = (struct local_key){ b.s, i, s->e->syms[i].sym.st_value };
	}
	qsort(k, *n, sizeof(*k), cmp_local_key);
	return 0;
}

static bool same_name(const struct hs_diff_priv *p, size_t pre, size_t post)
{
	return !strcmp(p->pre.e->syms[pre].name, p->post.e->syms[post].name);
}

/*
 * A lot of data that nothing tells apart (e.g. the _rs states of several
 * pr_*_ratelimited() calls in one function) is paired by full name when the
 * names are the same on both sides: the numbers did not move.
 */
static void pair_by_name(struct hs_diff_priv *p, const struct local_key *a,
			 const struct local_key *b, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		size_t m = 0;

		while (m < n && !same_name(p, a[k].idx, b[m].idx))
			m++;
		if (m == n)
			return;
	}
	for (size_t k = 0; k < n; k++)
		for (size_t m = 0; m < n; m++)
			if (same_name(p, a[k].idx, b[m].idx))
				diff_pair(p, a[k].idx, b[m].idx);
}

/* Pair the lots @a[0..na) and @b[0..nb) of equal keys if round @r allows it. */
static void pair_lots(struct hs_diff_priv *p, enum local_round r, const struct local_key *a,
		      size_t na, const struct local_key *b, size_t nb)
{
	if (r == LR_ORDER && na == nb) {
		for (size_t k = 0; k < na; k++)
			diff_pair(p, a[k].idx, b[k].idx);
		return;
	}
	if ((r == LR_CONTENT || r == LR_OWNERS) && na == nb && na > 1) {
		pair_by_name(p, a, b, na);
		return;
	}
	if (na != 1 || nb != 1)
		return;
	if (r == LR_NAME && !owners_meet(p->pre.si[a->idx].owners, p->post.si[b->idx].owners) &&
	    !same_name(p, a->idx, b->idx))
		return;
	diff_pair(p, a->idx, b->idx);
}

/* One round: walk both sorted key lists and pair the lots with equal keys. */
static int local_round(struct hs_diff_priv *p, enum local_round r)
{
	struct local_key *a = NULL, *b = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0;
	int err = local_keys(&p->pre, r, &a, &na);

	err = err ?: local_keys(&p->post, r, &b, &nb);
	while (!err && i < na && j < nb) {
		int c = strcmp(a[i].k, b[j].k);
		size_t ei = i, ej = j;

		if (c) {
			c < 0 ? i++ : j++;
			continue;
		}
		while (ei < na && !strcmp(a[ei].k, a[i].k))
			ei++;
		while (ej < nb && !strcmp(b[ej].k, b[j].k))
			ej++;
		pair_lots(p, r, a + i, ei - i, b + j, ej - j);
		i = ei;
		j = ej;
	}
	free_keys(a, na);
	free_keys(b, nb);
	return err;
}

/*
 * Unmatched post local data that is no site but has an unmatched pre twin in
 * its group sharing an owner: which of them it is cannot be told, refused
 * later if changed code uses it. Data of size 0 has no state to tell apart.
 */
static void mark_ambiguous(struct hs_diff_priv *p)
{
	for (size_t j = 1; j < p->post.e->nsyms; j++) {
		struct diff_symi *b = &p->post.si[j];

		/* a harmless one left over (a new WARN_ONCE flag) is new data: the module's own */
		if (!b->local || b->site || b->match || !p->post.e->syms[j].sym.st_size ||
		    is_harmless(&p->post, j) || is_readonly(&p->post, j))
			continue;
		for (size_t i = 1; i < p->pre.e->nsyms && !b->ambiguous; i++) {
			const struct diff_symi *a = &p->pre.si[i];

			b->ambiguous = a->local && !a->match && !strcmp(a->group, b->group) &&
				       owners_meet(a->owners, b->owners);
		}
	}
}

/*
 * Correlation of local data (is_local_data()): its name is a per-compile
 * counter, so it is paired through the functions whose code uses it (its
 * owners) and what it holds, in rounds from the strongest evidence to the
 * weakest; each round pairs only what its key singles out on both sides.
 * Example: a patch adds a pr_debug() to foo(), and the descriptors of all
 * later sites are renumbered (__UNIQUE_ID_ddebug374 is now ..376): bar()'s
 * descriptor is still the one used by bar() with bar's function name, file
 * and format, and pairs with its pre twin in the first round (or the second,
 * if its line moved); foo()'s new descriptor has no twin and is new data,
 * which the module carries. A site whose content changed (its format) is new
 * too, and the function using it changed. Other data (counters, lockdep
 * keys) pairs by owners even when its value changed, so that the change is
 * reported, and by name only when one is left on each side with a common
 * owner, or the same full name. A lot that nothing tells apart pairs by its
 * full names if they did not change (pair_by_name()), or in order when
 * identity does not matter (is_harmless(), then also by content: a state
 * with a new limit is a new state); otherwise it is ambiguous. Read-only data
 * (is_readonly()) and harmless data never pair by owners or name alone.
 */
int diff_match_locals(struct hs_diff_priv *p)
{
	int err = 0;

	for (enum local_round r = 0; !err && r < LR_NROUNDS; r++)
		err = local_round(p, r);
	if (!err)
		mark_ambiguous(p);
	return err;
}
