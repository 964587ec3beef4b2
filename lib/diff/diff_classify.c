// SPDX-License-Identifier: GPL-2.0
/* diff_classify.c - give every correlated symbol its class, refusals and references. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

/* Append an entry to @d; returns its index or -ENOMEM. */
int diff_add_entry(struct hs_diff *d, const char *name, enum hs_diff_class cls)
{
	struct hs_diff_sym *n = realloc(d->syms, (d->nsyms + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	d->syms = n;
	n = &d->syms[d->nsyms];
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->cls = cls;
	return (int)d->nsyms++;
}

static int add_sym(struct hs_diff_priv *p, struct hs_diff *d, size_t pre, size_t post,
		   enum hs_diff_class cls)
{
	const struct diff_symi *si = post ? &p->post.si[post] : &p->pre.si[pre];
	int i = diff_add_entry(d, si->key, cls);

	if (i < 0)
		return i;
	d->syms[i].pre_idx = pre;
	d->syms[i].post_idx = post;
	d->syms[i].is_func = si->kind == DK_FUNC;
	d->syms[i].pre_cold = pre ? p->pre.si[pre].cold : 0;
	d->syms[i].post_cold = post ? p->post.si[post].cold : 0;
	if (pre)
		p->pre.si[pre].entry = i;
	if (post)
		p->post.si[post].entry = i;
	return i;
}

void diff_refuse(struct hs_diff *d, int i, const char *why)
{
	d->syms[i].refused = true;
	snprintf(d->syms[i].reason, sizeof(d->syms[i].reason), "%s", why);
}

/*
 * The running function can be redirected only through its "call __fentry__":
 * at offset 0, or at 4 after an ENDBR64 (CONFIG_X86_KERNEL_IBT, 6.12).
 */
bool diff_has_fentry(const struct hs_elf *e, size_t i)
{
	const GElf_Sym *s = &e->syms[i].sym;
	const struct hs_elf_sec *sec = &e->secs[s->st_shndx];
	const unsigned char *code = sec->data ? sec->data->d_buf : NULL;
	size_t at;

	if (!code || s->st_size < 5 || s->st_value + s->st_size > sec->data->d_size)
		return false;
	at = s->st_value + hs_kfacts_fentry_off(code + s->st_value, s->st_size);
	if (code[at] != 0xe8)
		return false;
	for (size_t k = 0; k < hs_elf_nrelas(e, sec); k++) {
		GElf_Rela r;

		if (!hs_elf_rela(e, sec, k, &r) && r.r_offset == at + 1)
			return !strcmp(e->syms[GELF_R_SYM(r.r_info)].name, "__fentry__");
	}
	return false;
}

static int classify_func(struct hs_diff_priv *p, struct hs_diff *d, size_t pre, size_t post)
{
	bool init = p->post.si[post].init, equal = false;
	int err = pre ? diff_func_equal(p, pre, post, &equal) : 0, i;

	if (err)
		return err;
	if (equal)
		return add_sym(p, d, pre, post, HS_DIFF_UNCHANGED) < 0 ? -ENOMEM : 0;
	i = add_sym(p, d, pre, post,
		    init || (pre && p->pre.si[pre].init) ? HS_DIFF_CHANGED_INIT :
		    pre ? HS_DIFF_CHANGED_FUNC : HS_DIFF_NEW_FUNC);
	if (i < 0)
		return i;
	if (d->syms[i].cls == HS_DIFF_CHANGED_INIT)
		diff_refuse(d, i, pre ? "init/exit code changed" : "new init/exit code");
	else if (pre && !diff_has_fentry(p->pre.e, pre))
		diff_refuse(d, i, DIFF_NOTRACE_REASON);
	return 0;
}

static int classify_data(struct hs_diff_priv *p, struct hs_diff *d, size_t pre, size_t post)
{
	bool init = p->post.si[post].init;
	char why[256] = "";
	int eq = pre ? diff_data_equal(p, pre, post, why, sizeof(why)) : 0, i;

	if (eq < 0)
		return eq;
	if (eq || (!pre && p->post.si[post].ambiguous))
		/* ambiguous: refused in refs_of() if changed code uses it */
		return add_sym(p, d, pre, post, HS_DIFF_UNCHANGED) < 0 ? -ENOMEM : 0;
	i = add_sym(p, d, pre, post,
		    init ? HS_DIFF_CHANGED_INIT : pre ? HS_DIFF_CHANGED_DATA : HS_DIFF_NEW_DATA);
	if (i < 0)
		return i;
	if (init)
		diff_refuse(d, i, pre ? "init/exit data changed" : "new init/exit data");
	else if (pre)
		diff_refuse(d, i, why);
	return 0;
}

static bool standalone(const struct diff_symi *si)
{
	return si->kind != DK_NONE && !(si->is_cold && si->parent);
}

static int classify_all(struct hs_diff_priv *p, struct hs_diff *d)
{
	int err = 0;

	for (size_t j = 1; !err && j < p->post.e->nsyms; j++) {
		const struct diff_symi *si = &p->post.si[j];

		if (!standalone(si))
			continue;
		if (si->kind == DK_FUNC)
			err = classify_func(p, d, si->match, j);
		else
			err = classify_data(p, d, si->match, j);
	}
	for (size_t i = 1; !err && i < p->pre.e->nsyms; i++) {
		const struct diff_symi *si = &p->pre.si[i];

		if (!standalone(si) || si->match)
			continue;
		err = add_sym(p, d, i, 0,
			      si->kind == DK_FUNC ? HS_DIFF_REMOVED_FUNC : HS_DIFF_UNCHANGED);
		err = err < 0 ? err : 0;
	}
	return err;
}

/* The symbol a relocation of side @s really points to (section symbols resolved). */
size_t diff_side_target(const struct diff_side *s, const struct hs_elf_sec *from,
			const GElf_Rela *r, enum hs_diff_ref_kind *kind)
{
	const struct hs_elf *e = s->e;
	const struct hs_elf_sym *ts = &e->syms[GELF_R_SYM(r->r_info)];
	const struct hs_elf_sec *tsec;
	size_t t;

	*kind = HS_REF_EXTERN;
	if (ts->sym.st_shndx == SHN_UNDEF || ts->sym.st_shndx >= SHN_LORESERVE)
		return ts->idx;
	if (s->si[ts->idx].kind != DK_NONE)
		return ts->idx;
	tsec = &e->secs[ts->sym.st_shndx];
	*kind = HS_REF_CONST;
	if (diff_sec_is_merge(tsec))
		return ts->idx;
	t = diff_sym_for(s, tsec->idx, (long)ts->sym.st_value + r->r_addend,
			 diff_is_pcrel(GELF_R_TYPE(r->r_info)) && diff_sec_is_text(from));
	*kind = HS_REF_REGION;
	return t ? t : ts->idx;
}

/* The same for a relocation of post code. */
size_t diff_ref_target(struct hs_diff_priv *p, const struct hs_elf_sec *from, const GElf_Rela *r,
			 enum hs_diff_ref_kind *kind)
{
	return diff_side_target(&p->post, from, r, kind);
}

static enum hs_diff_ref_kind ref_kind(struct hs_diff_priv *p, struct hs_diff *d, size_t t)
{
	const struct diff_symi *si = &p->post.si[t];
	long e;

	if (si->is_cold && si->parent)
		si = &p->post.si[si->parent];
	e = si->entry;
	if (e >= 0 && !d->syms[e].refused &&
	    (d->syms[e].cls == HS_DIFF_CHANGED_FUNC || d->syms[e].cls == HS_DIFF_NEW_FUNC ||
	     d->syms[e].cls == HS_DIFF_NEW_DATA || d->syms[e].cls == HS_DIFF_CHANGED_DATA))
		return HS_REF_INCLUDED;
	return si->match ? HS_REF_KERNEL : HS_REF_INCLUDED;
}

static int add_ref(struct hs_diff_sym *ds, const char *name, size_t post, size_t pre,
		   enum hs_diff_ref_kind kind)
{
	struct hs_diff_ref *n;

	for (size_t i = 0; i < ds->nrefs; i++)
		if (ds->refs[i].post_sym == post)
			return 0;
	n = realloc(ds->refs, (ds->nrefs + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	ds->refs = n;
	ds->refs[ds->nrefs++] = (struct hs_diff_ref){ name, post, pre, kind };
	return 0;
}

/* The references of post function @f (main or .cold part) into entry @ds. */
int diff_refs_of(struct hs_diff_priv *p, struct hs_diff *d, size_t ent, size_t f)
{
	const struct hs_elf *e = p->post.e;
	const GElf_Sym *s = &e->syms[f].sym;
	const struct hs_elf_sec *sec = &e->secs[s->st_shndx];
	size_t n, self = d->syms[ent].post_idx;
	GElf_Rela *r;
	int err = diff_relas(e, sec, s->st_value, s->st_value + s->st_size, &r, &n);

	for (size_t i = 0; !err && i < n; i++) {
		enum hs_diff_ref_kind kind;
		size_t t = diff_ref_target(p, sec, &r[i], &kind), pre = 0;
		const char *name = e->syms[t].name;

		if (t == self || t == f)
			continue;
		if (p->post.si[t].kind != DK_NONE) {
			kind = ref_kind(p, d, t);
			if (kind == HS_REF_KERNEL)
				pre = p->post.si[t].match;
			if (p->post.si[t].ambiguous && kind != HS_REF_KERNEL &&
			    p->post.si[t].entry >= 0) {
				int a = (int)p->post.si[t].entry;

				d->syms[a].cls = HS_DIFF_NEW_DATA;
				diff_refuse(d, a, "static local cannot be matched unambiguously");
			}
		} else if (GELF_ST_TYPE(e->syms[t].sym.st_info) == STT_SECTION) {
			name = e->secs[e->syms[t].sym.st_shndx].name;
		}
		err = add_ref(&d->syms[ent], name, t, pre, kind);
	}
	free(r);
	return err;
}

static int collect_refs(struct hs_diff_priv *p, struct hs_diff *d)
{
	int err = 0;

	for (size_t i = 0; !err && i < d->nsyms; i++) {
		struct hs_diff_sym *ds = &d->syms[i];

		if (ds->cls != HS_DIFF_CHANGED_FUNC && ds->cls != HS_DIFF_NEW_FUNC)
			continue;
		err = diff_refs_of(p, d, i, ds->post_idx);
		if (!err && ds->post_cold)
			err = diff_refs_of(p, d, i, ds->post_cold);
	}
	return err;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct hs_diff_sym *x = a, *y = b;

	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Changed functions at one place of the pre object are one function under
 * several names (__alias: a SYSCALL_DEFINE0's __x64_sys_X and __ia32_sys_X are
 * __do_sys_X): it is replaced once, under the first name. Two livepatch
 * functions at one address would stack on one ftrace site, and the livepatch
 * core's check of the stacks would take the list head for the function below
 * the last one: the transition would never end.
 */
static void mark_aliases(struct hs_diff *d)
{
	for (size_t i = 0; i < d->nsyms; i++) {
		struct hs_diff_sym *ds = &d->syms[i];
		const GElf_Sym *a = &d->pre.syms[ds->pre_idx].sym;

		if (ds->cls != HS_DIFF_CHANGED_FUNC || ds->refused || !ds->pre_idx)
			continue;
		for (size_t k = 0; k < i && !ds->alias_of; k++) {
			const struct hs_diff_sym *first = &d->syms[k];
			const GElf_Sym *b = &d->pre.syms[first->pre_idx].sym;

			if (first->cls == HS_DIFF_CHANGED_FUNC && !first->refused && !first->alias_of &&
			    first->pre_idx && b->st_shndx == a->st_shndx && b->st_value == a->st_value) {
				ds->alias_of = first->name;
				snprintf(ds->reason, sizeof(ds->reason),
					 "an alias of '%s' (the same code): replaced once, as '%s'",
					 first->name, first->name);
			}
		}
	}
}

/* Sort, count, and report each refusal; the result code of the whole diff. */
static int conclude(struct hs_diff_priv *p, struct hs_diff *d)
{
	qsort(d->syms, d->nsyms, sizeof(*d->syms), cmp_entry);
	mark_aliases(d);
	for (size_t i = 0; i < d->nsyms; i++) {
		struct hs_diff_sym *ds = &d->syms[i];

		if (ds->alias_of) {
			/* counted and replaced as its first name */
		} else if (ds->refused) {
			d->nrefused++;
			hs_err(p->ctx, "'%s': %s '%s': %s: %s", p->objname,
			       ds->cls == HS_DIFF_CHANGED_TYPE ? "type" : "symbol", ds->name,
			       hs_diff_class_name(ds->cls), ds->reason);
		} else if (ds->cls == HS_DIFF_CHANGED_FUNC || ds->cls == HS_DIFF_NEW_FUNC) {
			d->nfuncs++;
		} else if (ds->cls == HS_DIFF_CHANGED_SPECIAL && hs_elf_export_section(ds->name)) {
			d->nexports++;
			hs_warn(p->ctx, "'%s': symbol '%s': %s", p->objname, ds->name, ds->reason);
		}
		if (ds->pre_idx)
			p->pre.si[ds->pre_idx].entry = (long)i;
		if (ds->post_idx)
			p->post.si[ds->post_idx].entry = (long)i;
	}
	if (d->nrefused)
		return -HS_EREFUSED;
	if (!d->nfuncs && d->nexports)
		hs_info(p->ctx, "'%s': only its exported symbols change (EXPORT_SYMBOL), which the "
			"running kernel's code and loaded modules do not use: not needed live",
			p->objname);
	return d->nfuncs ? 0 : -HS_ENOCHANGE;
}

/*
 * Classify every symbol (see diff.h for the classes), collect what changed
 * and new functions reference, and conclude: 0, -HS_ENOCHANGE or
 * -HS_EREFUSED.
 */
int diff_classify(struct hs_diff_priv *p, struct hs_diff *d)
{
	int err = classify_all(p, d);

	err = err ?: diff_readonly_tables(p, d);
	err = err ?: diff_notrace_callers(p, d);
	err = err ?: collect_refs(p, d);
	err = err ?: diff_other_sections(p, d);
	err = err ?: diff_types(p, d);
	return err ?: conclude(p, d);
}

size_t hs_diff_accept_builtin_init(struct hs_diff *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nsyms; i++)
		if (d->syms[i].refused && d->syms[i].cls != HS_DIFF_CHANGED_INIT)
			return 0;
	for (size_t i = 0; i < d->nsyms; i++)
		if (d->syms[i].refused) {
			d->syms[i].refused = false;
			n++;
		}
	d->nrefused = 0;
	return n;
}
