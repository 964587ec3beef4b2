// SPDX-License-Identifier: GPL-2.0
/* diff_special.c - attribute special-section entries to their functions; compare other sections. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"
#include "diff/diff_int.h"

/*
 * The special sections and their entry layouts are the target kernel's
 * (lib/elf/kfacts.c). Every entry starts with a reference to the instruction it
 * describes (plus the row's bias: padding entries point before the
 * function); that reference says which function the entry belongs to.
 */
/* The function an entry's first field points into, and the offset in it. */
static size_t entry_owner(struct diff_side *s, const GElf_Rela *r, long bias, long *off,
			  bool *in_code)
{
	const struct hs_elf_sym *t = &s->e->syms[GELF_R_SYM(r->r_info)];
	long place = (long)t->sym.st_value + r->r_addend + bias;
	size_t f;

	*in_code = false;
	if (t->sym.st_shndx == SHN_UNDEF || t->sym.st_shndx >= SHN_LORESERVE)
		return 0;
	*in_code = diff_sec_is_text(&s->e->secs[t->sym.st_shndx]);
	f = s->si[t->idx].kind == DK_FUNC ? t->idx : diff_sym_at(s, t->sym.st_shndx, place);
	if (!f || s->si[f].kind != DK_FUNC)
		return 0;
	*off = place - (long)s->e->syms[f].sym.st_value;
	return f;
}

struct entry_ctx {
	const struct hs_special *sp;
	const struct hs_elf_sec *sec, *par;
	GElf_Rela *r;
	size_t nr, next;	/* relocations, sorted; first not yet used */
	struct diff_buf *bufs;	/* per symbol */
};

/* Append the signature of entry @i of @c->sec to its owner's buffer. */
static void add_entry(struct diff_side *s, struct entry_ctx *c, size_t i)
{
	const struct hs_special *sp = c->sp;
	GElf_Addr start = i * sp->entsize, end = start + sp->entsize;
	const unsigned char *d = c->sec->data ? c->sec->data->d_buf : NULL;
	struct diff_buf *b;
	size_t f = 0, k = c->next;
	long off = 0;
	bool in_code = false;

	while (k < c->nr && c->r[k].r_offset < start)
		k++;
	if (k < c->nr && c->r[k].r_offset == start)
		f = entry_owner(s, &c->r[k], sp->owner_bias, &off, &in_code);
	if (!f && in_code)
		return;	/* code without a function: alternative replacements */
	if (f && s->si[f].is_cold && s->si[f].parent) {
		f = s->si[f].parent;
		off = -1 - off;	/* distinct from offsets in the main part */
	}
	b = f ? &c->bufs[f] : &c->bufs[0];
	diff_buf_add(b, "%s %ld:", sp->name, f ? off : 0L);
	for (GElf_Addr o = start; d && o < end; o++) {
		bool masked = sp->mask_len && (long)(o - start) >= sp->mask_off &&
			      (long)(o - start) < sp->mask_off + sp->mask_len;

		diff_buf_add(b, "%02x", masked ? 0 : d[o]);
	}
	for (; k < c->nr && c->r[k].r_offset < end; k++) {
		if (f && c->r[k].r_offset == start)
			continue;
		diff_buf_add(b, " %u:%u:", (unsigned int)(c->r[k].r_offset - start),
			     (unsigned int)GELF_R_TYPE(c->r[k].r_info));
		diff_target_id(s, c->sec, &c->r[k], b);
	}
	c->next = k;
	if (c->par && c->par->data && (i + 1) * sp->parallel_size <= c->par->data->d_size) {
		diff_buf_add(b, " |");
		for (size_t o = 0; o < sp->parallel_size; o++)
			diff_buf_add(b, "%02x", ((const unsigned char *)c->par->data->d_buf)
					       [i * sp->parallel_size + o]);
	}
	diff_buf_add(b, "\n");
}

static int collect_section(struct diff_side *s, const struct hs_elf_sec *sec,
			   const struct hs_special *sp, struct diff_buf *bufs)
{
	struct entry_ctx c = { .sp = sp, .sec = sec, .bufs = bufs };
	size_t es = sec->shdr.sh_entsize ? sec->shdr.sh_entsize : sp->entsize;
	int err;

	if (es != sp->entsize || sec->shdr.sh_size % es)
		return -HS_EFORMAT;
	if (sp->parallel)
		c.par = hs_elf_sec_by_name(s->e, sp->parallel);
	err = diff_relas(s->e, sec, 0, sec->shdr.sh_size, &c.r, &c.nr);
	for (size_t i = 0; !err && i < sec->shdr.sh_size / es; i++)
		add_entry(s, &c, i);
	free(c.r);
	return err;
}

/*
 * Give every function of @s the signature of its special-section entries
 * (diff_symi.special): per entry the section, the offset of the instruction
 * in the function, the other bytes (line numbers masked) and what the other
 * fields point to. A WARN that became WARN_ONCE changes only its bug_entry
 * flags, a changed static key only a __jump_table relocation: either makes
 * the function changed. Entries that belong to no function go to
 * @s->unowned.
 */
int diff_special_collect(struct hs_diff_priv *p, struct diff_side *s)
{
	const struct hs_elf *e = s->e;
	struct diff_buf *bufs = calloc(e->nsyms, sizeof(*bufs));
	int err = 0;

	if (!bufs)
		return -ENOMEM;
	for (size_t i = 1; !err && i < e->nsecs; i++) {
		const struct hs_special *sp = hs_kfacts_special(p->facts, e->secs[i].name);

		if (!sp || !e->secs[i].shdr.sh_size)
			continue;
		err = collect_section(s, &e->secs[i], sp, bufs);
		if (err == -HS_EFORMAT)
			hs_err(p->ctx, "'%s': section '%s': entry size is not %u (Linux %s)",
			       e->path, e->secs[i].name, sp->entsize, p->facts->series);
	}
	for (size_t i = 0; i < e->nsyms; i++) {
		if (bufs[i].oom)
			err = err ?: -ENOMEM;
		if (i)
			s->si[i].special = bufs[i].s;
		else
			s->unowned = bufs[i].s;
	}
	free(bufs);
	return err;
}

/* Sections whose contents are compared elsewhere or do not matter. */
static bool skip_section(const struct hs_diff_priv *p, const struct diff_side *s,
			 const struct hs_elf_sec *sec)
{
	static const char *const prefixes[] = {
		".discard", ".note", ".comment", ".orc_unwind", ".altinstr_replacement",
		".init.", ".exit.", ".modinfo", ".gnu.",
	};

	if (!(sec->shdr.sh_flags & SHF_ALLOC) || diff_sec_is_text(sec) || diff_sec_is_merge(sec) ||
	    sec->shdr.sh_type == SHT_RELA || hs_kfacts_special(p->facts, sec->name) || s->secsyms[sec->idx].n)
		return true;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(sec->name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* Contents of a section without symbols: bytes and relocation targets. */
static int section_sig(struct diff_side *s, const struct hs_elf_sec *sec, struct diff_buf *b)
{
	const unsigned char *d = sec->data ? sec->data->d_buf : NULL;
	GElf_Rela *r;
	size_t n;
	int err;

	diff_buf_add(b, "%lu:", (unsigned long)sec->shdr.sh_size);
	for (size_t i = 0; d && i < sec->data->d_size; i++)
		diff_buf_add(b, "%02x", d[i]);
	err = diff_relas(s->e, sec, 0, sec->shdr.sh_size, &r, &n);
	for (size_t i = 0; !err && i < n; i++) {
		diff_buf_add(b, " %lu:%u:", (unsigned long)r[i].r_offset,
			     (unsigned int)GELF_R_TYPE(r[i].r_info));
		diff_target_id(s, sec, &r[i], b);
	}
	free(r);
	return err ?: b->oom ? -ENOMEM : 0;
}

/* The symbols the relocations of export table @sec (NULL: none) point at, but its strings. */
static int export_targets(const struct hs_elf *e, const struct hs_elf_sec *sec,
			  struct hs_strv *out)
{
	size_t n = sec ? hs_elf_nrelas(e, sec) : 0;
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		GElf_Rela r;
		const struct hs_elf_sym *t;

		if (hs_elf_rela(e, sec, i, &r) || !GELF_R_SYM(r.r_info))
			continue;
		t = &e->syms[GELF_R_SYM(r.r_info)];
		if (t->name && t->name[0] && strncmp(t->name, "__kstrtab", 9) &&
		    GELF_ST_TYPE(t->sym.st_info) != STT_SECTION)
			err = hs_strv_push(out, t->name, strlen(t->name));
	}
	hs_strv_sort_uniq(out);
	return err;
}

/* Append to @buf the names of @a that @b lacks, after @lead: "; added a, b". */
static void names_missing(const struct hs_strv *a, const struct hs_strv *b, const char *lead,
			  char *buf, size_t size)
{
	bool first = true;

	for (size_t i = 0; i < a->n; i++) {
		size_t len = strlen(buf);

		if (b->n && bsearch(&a->v[i], b->v, b->n, sizeof(*b->v), hs_strv_cmp))
			continue;
		snprintf(buf + len, size - len, "%s'%s'", first ? lead : ", ", a->v[i]);
		first = false;
	}
}

/*
 * An export table's change (EXPORT_SYMBOL added, removed, made _GPL) stays out
 * of the update, said and not refused: the running kernel's code and its
 * loaded modules were built against the exports it has, so none uses an added
 * one, and a removed one stays for the modules that may use it. What is not
 * live: a module that needs the new export loads only after a reboot. Its
 * reason names the exports (6.1: a section each, 6.12: one .export_symbol).
 */
static int export_reason(struct hs_diff_priv *p, struct hs_diff_sym *ds,
			 const struct hs_elf_sec *a, const struct hs_elf_sec *b)
{
	struct hs_strv pre = { 0 }, post = { 0 };
	char names[112] = "";
	int err = export_targets(p->pre.e, a, &pre) ?: export_targets(p->post.e, b, &post);

	names_missing(&post, &pre, "; added: ", names, sizeof(names));
	names_missing(&pre, &post, "; removed: ", names, sizeof(names));
	snprintf(ds->reason, sizeof(ds->reason), "the exports change (EXPORT_SYMBOL%s), %s: the "
		 "running kernel's code and modules were built against its exports", names,
		 HS_DIFF_EXPORT_NOT_LIVE);
	hs_strv_free(&pre);
	hs_strv_free(&post);
	return err;
}

static int compare_section(struct hs_diff_priv *p, struct hs_diff *d, const char *name)
{
	const struct hs_elf_sec *a = hs_elf_sec_by_name(p->pre.e, name);
	const struct hs_elf_sec *b = hs_elf_sec_by_name(p->post.e, name);
	struct diff_buf x = { 0 }, y = { 0 };
	int err = 0;

	if ((a && skip_section(p, &p->pre, a)) || (b && skip_section(p, &p->post, b)))
		return 0;
	if (a)
		err = section_sig(&p->pre, a, &x);
	if (b && !err)
		err = section_sig(&p->post, b, &y);
	if (!err && (x.len != y.len || (x.len && memcmp(x.s, y.s, x.len)))) {
		err = diff_add_entry(d, name, HS_DIFF_CHANGED_SPECIAL);
		if (err >= 0) {
			struct hs_diff_sym *ds = &d->syms[err];

			ds->refused = !hs_elf_export_section(name);
			snprintf(ds->reason, sizeof(ds->reason), "%s", !a ? "new section" :
				 !b ? "section removed" : "section changed");
			err = ds->refused ? 0 : export_reason(p, ds, a, b);
		}
	}
	free(x.s);
	free(y.s);
	return err;
}

/*
 * Sections holding neither functions nor variables nor known special
 * entries (export tables, tracepoint and syscall metadata, ...) cannot be
 * changed by a live update: compare them whole, by name. Also report
 * special-section entries that belong to no function.
 */
int diff_other_sections(struct hs_diff_priv *p, struct hs_diff *d)
{
	int err = 0;

	bool changed;

	for (size_t i = 1; !err && i < p->post.e->nsecs; i++)
		err = compare_section(p, d, p->post.e->secs[i].name);
	for (size_t i = 1; !err && i < p->pre.e->nsecs; i++)
		if (!hs_elf_sec_by_name(p->post.e, p->pre.e->secs[i].name))
			err = compare_section(p, d, p->pre.e->secs[i].name);
	if (err)
		return err;
	changed = !p->pre.unowned != !p->post.unowned ||
		  (p->pre.unowned && strcmp(p->pre.unowned, p->post.unowned));
	if (!changed)
		return 0;
	err = diff_add_entry(d, "(special entries)", HS_DIFF_CHANGED_SPECIAL);
	if (err < 0)
		return err;
	d->syms[err].refused = true;
	snprintf(d->syms[err].reason, sizeof(d->syms[err].reason),
		 "entries that belong to no function changed");
	return 0;
}
