// SPDX-License-Identifier: GPL-2.0
/* diff_correlate.c - index both objects' symbols and pair each pre symbol with its post twin. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

bool diff_sec_is_text(const struct hs_elf_sec *sec)
{
	return (sec->shdr.sh_flags & SHF_EXECINSTR) != 0;
}

bool diff_sec_is_merge(const struct hs_elf_sec *sec)
{
	return (sec->shdr.sh_flags & SHF_MERGE) != 0;
}

bool diff_sec_is_init(const char *name)
{
	return !strncmp(name, ".init.", 6) || !strncmp(name, ".exit.", 6) ||
	       !strcmp(name, ".init") || !strcmp(name, ".exit");
}

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * The normalised name of a symbol: C names contain no '.', so everything from
 * the first '.' on was added by the compiler. Numbers are dropped (they are
 * per-object counters that change when unrelated code changes), the kind of
 * clone is kept (a .isra/.constprop/.part clone has another calling
 * convention than the original, so "foo" and "foo.isra" are different
 * functions):
 *     foo.constprop.0.isra.0  -> foo.constprop.isra
 *     foo.part.3.cold         -> foo.part.cold
 *     offsets.35 (static local) -> offsets
 * *@numbered tells whether a number was dropped. NULL on allocation failure.
 */
char *diff_sym_key(const char *name, bool *numbered)
{
	const char *dot = name[0] == '.' ? NULL : strchr(name, '.');
	size_t len = strlen(name), o;
	char *key = malloc(len + 1);

	*numbered = false;
	if (!key)
		return NULL;
	if (!dot) {
		memcpy(key, name, len + 1);
		return key;
	}
	o = (size_t)(dot - name);
	memcpy(key, name, o);
	while (*dot == '.') {
		const char *next = strchr(dot + 1, '.');
		size_t n = next ? (size_t)(next - dot - 1) : strlen(dot + 1);

		if (all_digits(dot + 1, n)) {
			*numbered = true;
		} else {
			memcpy(key + o, dot, n + 1);
			o += n + 1;
		}
		dot += n + 1;
	}
	key[o] = 0;
	return key;
}

static int cmp_by_value(const void *a, const void *b, void *arg)
{
	const struct hs_elf *e = arg;
	const GElf_Sym *x = &e->syms[*(const size_t *)a].sym;
	const GElf_Sym *y = &e->syms[*(const size_t *)b].sym;

	if (x->st_value != y->st_value)
		return x->st_value < y->st_value ? -1 : 1;
	return x->st_size < y->st_size ? 1 : x->st_size > y->st_size ? -1 : 0;
}

static enum diff_kind sym_kind(const struct hs_elf *e, const struct hs_elf_sym *s)
{
	unsigned int type = GELF_ST_TYPE(s->sym.st_info);
	const struct hs_elf_sec *sec;

	if (s->sym.st_shndx == SHN_UNDEF || s->sym.st_shndx >= SHN_LORESERVE || !s->name[0] ||
	    s->name[0] == '.')
		return DK_NONE;
	sec = &e->secs[s->sym.st_shndx];
	if (!(sec->shdr.sh_flags & SHF_ALLOC) || diff_sec_is_merge(sec))
		return DK_NONE;
	if (type == STT_FUNC)
		return DK_FUNC;
	if (type == STT_OBJECT || type == STT_TLS)
		return DK_DATA;
	return DK_NONE;
}

static int index_sections(struct diff_side *s)
{
	const struct hs_elf *e = s->e;

	for (size_t i = 1; i < e->nsyms; i++) {
		struct diff_secsyms *ss;
		size_t *n;

		if (s->si[i].kind == DK_NONE)
			continue;
		ss = &s->secsyms[e->syms[i].sym.st_shndx];
		n = realloc(ss->idx, (ss->n + 1) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		ss->idx = n;
		ss->idx[ss->n++] = i;
	}
	for (size_t i = 1; i < e->nsecs; i++)
		if (s->secsyms[i].n > 1)
			qsort_r(s->secsyms[i].idx, s->secsyms[i].n, sizeof(size_t), cmp_by_value,
				(void *)e);
	return 0;
}

/* A .cold part's parent: the function named like it without ".cold[.N]". */
static void link_cold(struct diff_side *s, size_t i)
{
	const struct hs_elf *e = s->e;
	const char *name = e->syms[i].name, *c = strstr(name, ".cold");
	size_t n = c ? (size_t)(c - name) : 0;

	for (size_t j = 1; c && j < e->nsyms; j++) {
		if (s->si[j].kind != DK_FUNC || s->si[j].is_cold || j == i)
			continue;
		if (!strncmp(e->syms[j].name, name, n) && !e->syms[j].name[n]) {
			s->si[i].parent = j;
			s->si[j].cold = i;
			return;
		}
	}
}

/* Which functions use each numbered (static local) variable: its owner. */
static void find_owners(struct diff_side *s)
{
	const struct hs_elf *e = s->e;

	for (size_t i = 1; i < e->nsecs; i++) {
		const struct hs_elf_sec *sec = &e->secs[i];

		if (!diff_sec_is_text(sec) || !s->secsyms[i].n)
			continue;
		for (size_t k = 0; k < hs_elf_nrelas(e, sec); k++) {
			GElf_Rela r;
			size_t f, t;
			const struct hs_elf_sym *ts;

			if (hs_elf_rela(e, sec, k, &r))
				continue;
			f = diff_sym_at(s, i, (long)r.r_offset);
			ts = &e->syms[GELF_R_SYM(r.r_info)];
			t = ts->idx;
			if (GELF_ST_TYPE(ts->sym.st_info) == STT_SECTION)
				t = diff_sym_for(s, ts->sym.st_shndx, (long)ts->sym.st_value + r.r_addend,
						 diff_is_pcrel(GELF_R_TYPE(r.r_info)));
			if (!f || !t || s->si[t].kind != DK_DATA || !s->si[t].numbered)
				continue;
			if (s->si[f].is_cold && s->si[f].parent)
				f = s->si[f].parent;
			if (!s->si[t].owner) {
				s->si[t].owner = s->si[f].key;
				s->si[t].nowners = 1;
			} else if (strcmp(s->si[t].owner, s->si[f].key)) {
				s->si[t].nowners++;
			}
		}
	}
}

int diff_side_load(const struct hs_ctx *ctx, const struct hs_elf *e, struct diff_side *s)
{
	int err;

	(void)ctx;
	memset(s, 0, sizeof(*s));
	s->e = e;
	s->si = calloc(e->nsyms, sizeof(*s->si));
	s->secsyms = calloc(e->nsecs, sizeof(*s->secsyms));
	if (!s->si || !s->secsyms)
		return -ENOMEM;
	for (size_t i = 1; i < e->nsyms; i++) {
		struct diff_symi *si = &s->si[i];

		si->entry = -1;
		si->key = diff_sym_key(e->syms[i].name, &si->numbered);
		if (!si->key)
			return -ENOMEM;
		si->kind = sym_kind(e, &e->syms[i]);
		if (si->kind == DK_NONE)
			continue;
		si->init = diff_sec_is_init(e->secs[e->syms[i].sym.st_shndx].name);
		si->is_cold = si->kind == DK_FUNC && strstr(e->syms[i].name, ".cold");
	}
	err = index_sections(s);
	if (err)
		return err;
	for (size_t i = 1; i < e->nsyms; i++)
		if (s->si[i].is_cold)
			link_cold(s, i);
	find_owners(s);
	return 0;
}

void diff_side_free(struct diff_side *s)
{
	if (s->si)
		for (size_t i = 0; i < s->e->nsyms; i++) {
			free(s->si[i].key);
			free(s->si[i].special);
		}
	if (s->secsyms)
		for (size_t i = 0; i < s->e->nsecs; i++) {
			free(s->secsyms[i].idx);
			free(s->secsyms[i].bounds);
		}
	free(s->si);
	free(s->secsyms);
	free(s->unowned);
	memset(s, 0, sizeof(*s));
}

static int cmp_by_name(const void *a, const void *b, void *arg)
{
	const struct hs_elf *e = arg;

	return strcmp(e->syms[*(const size_t *)a].name, e->syms[*(const size_t *)b].name);
}

static void pair(struct hs_diff_priv *p, size_t pre, size_t post)
{
	p->pre.si[pre].match = post;
	p->post.si[post].match = pre;
}

static bool correlatable(const struct diff_side *s, size_t i)
{
	return s->si[i].kind != DK_NONE && !(s->si[i].is_cold && s->si[i].parent) &&
	       !s->si[i].match;
}

/* Pass 1: the same name and kind on both sides. */
static int match_exact(struct hs_diff_priv *p)
{
	const struct hs_elf *pre = p->pre.e, *post = p->post.e;
	size_t *idx = malloc(pre->nsyms * sizeof(*idx)), n = 0;

	if (!idx)
		return -ENOMEM;
	for (size_t i = 1; i < pre->nsyms; i++)
		if (correlatable(&p->pre, i))
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_by_name, (void *)pre);
	for (size_t j = 1; j < post->nsyms; j++) {
		size_t lo = 0, hi = n;

		if (!correlatable(&p->post, j))
			continue;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(pre->syms[idx[mid]].name, post->syms[j].name);

			if (!c) {
				if (p->pre.si[idx[mid]].kind == p->post.si[j].kind &&
				    !p->pre.si[idx[mid]].match)
					pair(p, idx[mid], j);
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	free(idx);
	return 0;
}

/* Same normalised name and kind, and for a static local the same owner function. */
static bool same_group(const struct diff_symi *a, const struct diff_symi *b)
{
	if (a->kind != b->kind || strcmp(a->key, b->key))
		return false;
	if (a->kind != DK_DATA || !a->numbered)
		return true;
	if (!a->owner || !b->owner)
		return a->owner == b->owner;
	return !strcmp(a->owner, b->owner);
}

/* Unmatched symbols of @s in @ref's group; the first @max go to @out. */
static size_t group(const struct diff_side *s, const struct diff_symi *ref, size_t *out,
		    size_t max)
{
	size_t n = 0;

	for (size_t i = 1; i < s->e->nsyms; i++)
		if (correlatable(s, i) && same_group(&s->si[i], ref)) {
			if (n < max)
				out[n] = i;
			n++;
		}
	return n;
}

/* Once-only flags (WARN_ONCE, printk_once): harmless to pair by order. */
static bool is_once_flag(const char *key)
{
	return !strcmp(key, "__already_done") || !strcmp(key, "__warned") ||
	       !strcmp(key, "__print_once");
}

/*
 * Pass 2, symbol correlation by normalised name. After pass 1 (equal names),
 * a post symbol left over is paired with a pre symbol of the same group: the
 * same kind and normalised name (diff_sym_key()), and for a static local the
 * same owner (the first function that references it). Example: pre has
 * "offsets.35" used by prctl_set_auxv, post renumbered it "offsets.36": both
 * are group ("offsets", owner "prctl_set_auxv") and are paired, so the new
 * code uses the running kernel's variable. A group with one member on each
 * side pairs them; with several members it is ambiguous: once-only flags are
 * paired in order (their identity does not matter), anything else is marked
 * ambiguous and refused later if used by changed code. A .cold part follows
 * its parent.
 */
int diff_correlate(struct hs_diff_priv *p)
{
	const struct hs_elf *post = p->post.e;
	size_t a[64], b[64];
	int err = match_exact(p);

	for (size_t j = 1; !err && j < post->nsyms; j++) {
		const struct diff_symi *ref = &p->post.si[j];
		size_t na, nb;

		if (!correlatable(&p->post, j))
			continue;
		na = group(&p->pre, ref, a, 64);
		if (!na)
			continue;
		nb = group(&p->post, ref, b, 64);
		if (na == 1 && nb == 1) {
			pair(p, a[0], j);
		} else if (na == nb && na <= 64 && ref->kind == DK_DATA && is_once_flag(ref->key)) {
			for (size_t k = 0; k < na; k++)
				pair(p, a[k], b[k]);
		} else {
			for (size_t k = 0; k < nb && k < 64; k++)
				p->post.si[b[k]].ambiguous = true;
		}
	}
	for (size_t j = 1; !err && j < post->nsyms; j++) {
		size_t par = p->post.si[j].parent, pre_par;

		if (!p->post.si[j].is_cold || !par || !(pre_par = p->post.si[par].match))
			continue;
		if (p->pre.si[pre_par].cold)
			pair(p, p->pre.si[pre_par].cold, j);
	}
	return err;
}
