// SPDX-License-Identifier: GPL-2.0
/* diff_correlate.c - index both objects' symbols and pair each pre symbol with its post twin. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

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

/* By section, then place: the order of symbols in an object. */
static int cmp_by_place(const void *a, const void *b, void *arg)
{
	const struct hs_elf *e = arg;
	const GElf_Sym *x = &e->syms[*(const size_t *)a].sym;
	const GElf_Sym *y = &e->syms[*(const size_t *)b].sym;

	if (x->st_shndx != y->st_shndx)
		return x->st_shndx < y->st_shndx ? -1 : 1;
	return cmp_by_value(a, b, arg);
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

/*
 * The length of a name made with __COUNTER__ without its number, or 0 for another
 * name: __UNIQUE_ID_<stem><N> (include/linux/compiler_types.h) and the BTF ids'
 * __BTF_ID__<kind>__<name>__<N><line> (include/linux/btf_ids.h: data, in .BTF_ids).
 */
static size_t counted_stem(const char *name)
{
	size_t n = strlen(name), p;

	if (!strncmp(name, "__UNIQUE_ID_", 12))
		p = 12;
	else if (!strncmp(name, "__BTF_ID__", 10))
		p = 10;
	else
		return 0;
	while (n > p && isdigit((unsigned char)name[n - 1]))
		n--;
	return n < strlen(name) ? n : 0;
}

/*
 * Local data: compiler-named variables whose names say nothing about which
 * they are. A function-local static ("count.35", "__func__.7"; gcc numbers
 * them per compile), a __UNIQUE_ID_ variable (a per-compile counter), and a
 * dynamic-debug descriptor (section __dyndbg) of any name.
 */
static bool is_local_data(const struct diff_side *s, size_t i)
{
	const struct diff_symi *si = &s->si[i];

	return si->kind == DK_DATA &&
	       (si->numbered || !strncmp(si->key, "__UNIQUE_ID_", 12) ||
		diff_sec_is_ddebug(&s->e->secs[s->e->syms[i].sym.st_shndx]));
}

/*
 * The group of local data: what the name says of its kind once the counters
 * are gone ("count", "__func__", "__UNIQUE_ID___addressable_foo"); all
 * dynamic-debug descriptors are one group, "__dyndbg". Per-call-site data
 * (descriptors, __func__ strings) is a site: its identity is its content.
 */
static int set_group(struct diff_side *s, size_t i)
{
	struct diff_symi *si = &s->si[i];
	size_t n = strlen(si->key), stem;

	if (diff_sec_is_ddebug(&s->e->secs[s->e->syms[i].sym.st_shndx])) {
		si->group = strdup("__dyndbg");
		si->site = true;
		return si->group ? 0 : -ENOMEM;
	}
	stem = strncmp(si->key, "__UNIQUE_ID_", 12) ? 0 : counted_stem(si->key);
	if (stem)
		n = stem;
	si->group = strndup(si->key, n);
	si->site = !strcmp(si->key, "__func__") || !strcmp(si->key, "__FUNCTION__") ||
		   !strcmp(si->key, "__PRETTY_FUNCTION__");
	return si->group ? 0 : -ENOMEM;
}

struct owner_ref {
	size_t t, f;	/* local data @t is used by the code of function @f */
};

static int cmp_owner_ref(const void *a, const void *b, void *arg)
{
	const struct diff_side *s = arg;
	const struct owner_ref *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(s->si[x->f].key, s->si[y->f].key);
}

/* The local data that relocation @r of code section @i points to, with its function. */
static bool owner_of(const struct diff_side *s, size_t i, const GElf_Rela *r,
		     struct owner_ref *o)
{
	const struct hs_elf_sym *ts = &s->e->syms[GELF_R_SYM(r->r_info)];

	o->f = diff_sym_at(s, i, (long)r->r_offset);
	o->t = ts->idx;
	if (GELF_ST_TYPE(ts->sym.st_info) == STT_SECTION)
		o->t = diff_sym_for(s, ts->sym.st_shndx, (long)ts->sym.st_value + r->r_addend,
				    diff_is_pcrel(GELF_R_TYPE(r->r_info)));
	if (!o->f || !o->t || !s->si[o->t].local)
		return false;
	if (s->si[o->f].is_cold && s->si[o->f].parent)
		o->f = s->si[o->f].parent;
	return true;
}

/* Join the sorted owner keys of each local datum into its owners string. */
static int join_owners(struct diff_side *s, const struct owner_ref *o, size_t n)
{
	for (size_t k = 0; k < n;) {
		struct diff_buf b = { 0 };
		size_t t = o[k].t;

		for (const char *last = NULL; k < n && o[k].t == t; k++) {
			const char *key = s->si[o[k].f].key;

			if (!last || strcmp(last, key))
				diff_buf_add(&b, "%s%s", last ? "," : "", key);
			last = key;
		}
		if (b.oom) {
			free(b.s);
			return -ENOMEM;
		}
		s->si[t].owners = b.s;
	}
	return 0;
}

/* Which functions use each local datum (through relocations in their code): its owners. */
static int find_owners(struct diff_side *s)
{
	const struct hs_elf *e = s->e;
	struct owner_ref *o = NULL;
	size_t n = 0, cap = 0;
	int err;

	for (size_t i = 1; i < e->nsecs; i++) {
		const struct hs_elf_sec *sec = &e->secs[i];

		if (!diff_sec_is_text(sec) || !s->secsyms[i].n)
			continue;
		for (size_t k = 0; k < hs_elf_nrelas(e, sec); k++) {
			GElf_Rela r;

			if (hs_elf_rela(e, sec, k, &r))
				continue;
			if (n == cap) {
				struct owner_ref *no = realloc(o, (cap = cap * 2 + 64) * sizeof(*o));

				if (!no) {
					free(o);
					return -ENOMEM;
				}
				o = no;
			}
			if (owner_of(s, i, &r, &o[n]))
				n++;
		}
	}
	if (n)
		qsort_r(o, n, sizeof(*o), cmp_owner_ref, s);
	err = join_owners(s, o, n);
	free(o);
	return err;
}

/* Mark local data, with its group and content. */
static int load_locals(struct diff_side *s)
{
	for (size_t i = 1; i < s->e->nsyms; i++) {
		struct diff_symi *si = &s->si[i];
		int err;

		if (!is_local_data(s, i))
			continue;
		si->local = true;
		err = set_group(s, i);
		if (err)
			return err;
		si->content = diff_local_content(s, i, false);
		si->loose = diff_local_content(s, i, true);
		if (!si->content || !si->loose)
			return -ENOMEM;
	}
	return 0;
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
	err = load_locals(s);
	return err ?: find_owners(s);
}

void diff_side_free(struct diff_side *s)
{
	if (s->si)
		for (size_t i = 0; i < s->e->nsyms; i++) {
			free(s->si[i].key);
			free(s->si[i].special);
			free(s->si[i].group);
			free(s->si[i].owners);
			free(s->si[i].content);
			free(s->si[i].loose);
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

void diff_pair(struct hs_diff_priv *p, size_t pre, size_t post)
{
	p->pre.si[pre].match = post;
	p->post.si[post].match = pre;
}

static bool correlatable(const struct diff_side *s, size_t i)
{
	return s->si[i].kind != DK_NONE && !(s->si[i].is_cold && s->si[i].parent) &&
	       !s->si[i].match;
}

/*
 * The length of the stem of symbol @i of @s if it is named by __COUNTER__ and
 * paired by match_counted(), else 0: functions (asm stubs) and BTF ids (local
 * data named __UNIQUE_ID_ is match_locals()'s).
 */
static size_t by_counter(const struct diff_side *s, size_t i)
{
	const char *name = s->e->syms[i].name;
	size_t stem = counted_stem(name);

	return stem && (s->si[i].kind == DK_FUNC ||
			(s->si[i].kind == DK_DATA && !strncmp(name, "__BTF_ID__", 10))) ? stem : 0;
}

/* Pass 1: the same name and kind on both sides (not a name made by __COUNTER__). */
static int match_exact(struct hs_diff_priv *p)
{
	const struct hs_elf *pre = p->pre.e, *post = p->post.e;
	size_t *idx = malloc(pre->nsyms * sizeof(*idx)), n = 0;

	if (!idx)
		return -ENOMEM;
	for (size_t i = 1; i < pre->nsyms; i++)
		if (correlatable(&p->pre, i) && !p->pre.si[i].local && !by_counter(&p->pre, i))
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_by_name, (void *)pre);
	for (size_t j = 1; j < post->nsyms; j++) {
		size_t lo = 0, hi = n;

		if (!correlatable(&p->post, j) || p->post.si[j].local || by_counter(&p->post, j))
			continue;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(pre->syms[idx[mid]].name, post->syms[j].name);

			if (!c) {
				if (p->pre.si[idx[mid]].kind == p->post.si[j].kind &&
				    !p->pre.si[idx[mid]].match)
					diff_pair(p, idx[mid], j);
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

/* Same normalised name and kind (local data is paired by match_locals()). */
static bool same_group(const struct diff_symi *a, const struct diff_symi *b)
{
	return a->kind == b->kind && !a->local && !b->local && !strcmp(a->key, b->key);
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

/*
 * Unmatched symbols of @s of @kind named @stem<counter> (@n: the stem's length) to
 * @out, in the order of their places; how many.
 */
static size_t counted_group(const struct diff_side *s, enum diff_kind kind, const char *stem,
			    size_t n, size_t *out)
{
	size_t k = 0;

	for (size_t i = 1; i < s->e->nsyms; i++)
		if (s->si[i].kind == kind && correlatable(s, i) && by_counter(s, i) == n &&
		    !strncmp(s->e->syms[i].name, stem, n))
			out[k++] = i;
	qsort_r(out, k, sizeof(*out), cmp_by_place, (void *)s->e);
	return k;
}

/*
 * Symbols named by __COUNTER__ (by_counter(): kvm's FOPNOP() stubs, written in
 * asm; the BTF ids of the BPF helpers): one more counter used above them
 * renumbers them all (6.1.190's emulate.c took a new #include, and
 * __UNIQUE_ID_nop380 became ..383; a patched header renumbered
 * __BTF_ID__struct__inode__653241 to ..658241), so the tables that point at them
 * looked changed. The name says nothing: with more stubs than the shift, pre's
 * ..383 (the fourth stub) and post's ..383 (the first) are two stubs, and pairing
 * them by name made kvm's group8 table look changed. So they never pair by name:
 * with as many of a stem on both sides, they pair in the order of their places;
 * with a different number, none does (the code changed around them: pre's are
 * gone, post's are new, and what points at them is changed).
 */
static int match_counted(struct hs_diff_priv *p)
{
	size_t *a = malloc(p->pre.e->nsyms * sizeof(*a));
	size_t *b = malloc(p->post.e->nsyms * sizeof(*b));
	int err = a && b ? 0 : -ENOMEM;

	for (size_t j = 1; !err && j < p->post.e->nsyms; j++) {
		size_t n = by_counter(&p->post, j), na, nb;

		if (!n || !correlatable(&p->post, j))
			continue;
		na = counted_group(&p->pre, p->post.si[j].kind, p->post.e->syms[j].name, n, a);
		nb = counted_group(&p->post, p->post.si[j].kind, p->post.e->syms[j].name, n, b);
		for (size_t k = 0; na == nb && k < na; k++)
			diff_pair(p, a[k], b[k]);
	}
	free(a);
	free(b);
	return err;
}

/*
 * Pass 2, symbol correlation by normalised name. After pass 1 (equal names),
 * a post symbol left over is paired with a pre symbol of the same group: the
 * same kind and normalised name (diff_sym_key()). Example: "do_sysinfo.isra.0"
 * in pre is "do_sysinfo.isra.1" in post. A group with one member on each side
 * pairs them; with several members it is ambiguous. Local data is paired by
 * match_locals() instead. A .cold part follows its parent.
 */
int diff_correlate(struct hs_diff_priv *p)
{
	const struct hs_elf *post = p->post.e;
	size_t a[64], b[64];
	int err = match_exact(p);

	err = err ?: diff_match_locals(p);
	err = err ?: match_counted(p);
	for (size_t j = 1; !err && j < post->nsyms; j++) {
		const struct diff_symi *ref = &p->post.si[j];
		size_t na, nb;

		if (!correlatable(&p->post, j) || ref->local || by_counter(&p->post, j))
			continue;
		na = group(&p->pre, ref, a, 64);
		if (!na)
			continue;
		nb = group(&p->post, ref, b, 64);
		if (na == 1 && nb == 1) {
			diff_pair(p, a[0], j);
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
			diff_pair(p, p->pre.si[pre_par].cold, j);
	}
	return err;
}
