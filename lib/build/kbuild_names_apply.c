// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_names_apply.c - the new version of a header from the old one and the
 * patch's hunks, applied in memory as patch does, with the lines each version
 * has that the other does not marked (for kbuild_names_parse.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/kbuild_priv.h"

__attribute__((format(printf, 2, 3)))
static int say(char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, HS_KBUILD_WHY, fmt, ap);
	va_end(ap);
	return 1;
}

/* Start offsets of the lines of @s, from 1; off[n + 1] is the end. */
struct lines {
	size_t n;
	size_t *off;
};

static int line_index(const char *s, size_t len, struct lines *l)
{
	size_t n = len && s[len - 1] != '\n', k = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	l->n = n;
	l->off = malloc((n + 2) * sizeof(*l->off));
	if (!l->off)
		return -ENOMEM;
	l->off[0] = 0;
	if (n)
		l->off[++k] = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' && k < n)
			l->off[++k] = i + 1;
	l->off[n + 1] = len;
	return 0;
}

static size_t line_len(const char *s, const struct lines *l, size_t k)
{
	size_t a = l->off[k], b = l->off[k + 1];

	return b - a - (b > a && s[b - 1] == '\n');
}

/* The hunk @h's lines in the patch text: each starts with ' ', '-', '+' or '\'. */
struct hunk_text {
	const char *patch;
	const struct lines *pl;
	size_t first, n;	/* patch lines */
};

static bool hunk_matches(const struct hunk_text *h, const char *old, const struct lines *ol,
			 size_t at)
{
	for (size_t i = h->first, k = at; i < h->first + h->n; i++) {
		const char *p = h->patch + h->pl->off[i];
		size_t len = line_len(h->patch, h->pl, i);

		if (len && (*p == '+' || *p == '\\'))
			continue;
		if (k > ol->n || line_len(old, ol, k) != (len ? len - 1 : 0) ||
		    memcmp(old + ol->off[k], p + !!len, len ? len - 1 : 0))
			return false;
		k++;
	}
	return true;
}

/* The new text being built, with its lines' marks. */
struct out {
	char *s;
	size_t len, cap, nl;
	bool *mark, *gap;
};

static int emit(struct out *o, const char *s, size_t len, bool added)
{
	if (o->len + len + 2 > o->cap) {
		size_t cap = (o->len + len + 2) * 2;
		char *n = realloc(o->s, cap);

		if (!n)
			return -ENOMEM;
		o->s = n;
		o->cap = cap;
	}
	memcpy(o->s + o->len, s, len);
	o->len += len;
	o->s[o->len++] = '\n';
	o->s[o->len] = 0;
	o->mark[++o->nl] = added;
	return 0;
}

/* Apply hunk @h at old line @at: marks of both versions, new lines out. */
static int apply_hunk(const struct hunk_text *h, const char *old, const struct lines *ol,
		      size_t at, struct hs_kbuild_hunks *r, struct out *o)
{
	int err = 0;

	for (size_t i = h->first; !err && i < h->first + h->n; i++) {
		const char *p = h->patch + h->pl->off[i];
		size_t len = line_len(h->patch, h->pl, i);

		if (len && *p == '\\')
			continue;
		if (len && *p == '+') {
			err = emit(o, p + 1, len - 1, true);
			r->old_gap[at - 1] = true;
		} else if (len && *p == '-') {
			r->old_mark[at++] = true;
			o->gap[o->nl] = true;
		} else {
			err = emit(o, old + ol->off[at], line_len(old, ol, at), false);
			at++;
		}
	}
	return err;
}

/* The patch line range of @f's hunk @k: from after its "@@" line, as long as it counts. */
static int hunk_lines(char *why, const struct hs_patch_hunk *hk, const char *patch,
		      const struct lines *pl, struct hunk_text *h)
{
	unsigned long nold = 0, nnew = 0;

	*h = (struct hunk_text){ patch, pl, hk->line + 1, 0 };
	while ((nold < hk->old_count || nnew < hk->new_count) && h->first + h->n <= pl->n) {
		const char *p = patch + pl->off[h->first + h->n++];

		nold += *p != '+' && *p != '\\';
		nnew += *p != '-' && *p != '\\';
	}
	if (h->first + h->n <= pl->n && patch[pl->off[h->first + h->n]] == '\\')
		h->n++;
	return nold == hk->old_count && nnew == hk->new_count ? 0 :
	       say(why, "the hunk at line %zu of the patch is cut short", hk->line);
}

/* The new version from the old text and @f's hunks (found near their lines, as patch does). */
static int apply(const char *old, const struct hs_patch_file *f, const char *patch,
		 const struct lines *pl, const struct lines *ol, struct hs_kbuild_hunks *r,
		 struct out *o, char *why)
{
	size_t cur = 1;
	long offset = 0;
	int err = 0;

	for (size_t k = 0; !err && k < f->nhunks; k++) {
		const struct hs_patch_hunk *hk = &f->hunks[k];
		long base = (long)hk->old_start + !hk->old_count + offset, at = -1;
		struct hunk_text h;

		err = hunk_lines(why, hk, patch, pl, &h);
		for (long d = 0; !err && at < 0 && (base - d >= (long)cur || base + d <= (long)ol->n + 1);
		     d++) {
			if (base - d >= (long)cur && hunk_matches(&h, old, ol, base - d))
				at = base - d;
			else if (d && base + d >= (long)cur && hunk_matches(&h, old, ol, base + d))
				at = base + d;
		}
		if (!err && at < 0)
			return say(why, "hunk %zu does not match the header", k + 1);
		for (; !err && cur < (size_t)at; cur++)
			err = emit(o, old + ol->off[cur], line_len(old, ol, cur), false);
		err = err ?: apply_hunk(&h, old, ol, at, r, o);
		offset += at - base;
		cur = (size_t)at + hk->old_count;
	}
	for (; !err && cur <= ol->n; cur++)
		err = emit(o, old + ol->off[cur], line_len(old, ol, cur), false);
	return err;
}

int hs_kbuild_hunks_apply(const char *old, size_t oldlen, const struct hs_patch_file *f,
			  const char *patch, size_t patchlen, struct hs_kbuild_hunks *r, char *why)
{
	struct lines pl = { 0 }, ol = { 0 };
	struct out o = { 0 };
	int err;

	memset(r, 0, sizeof(*r));
	err = line_index(patch, patchlen, &pl);
	err = err ?: line_index(old, oldlen, &ol);
	if (!err) {
		r->old_mark = calloc(ol.n + 2, sizeof(bool));
		r->old_gap = calloc(ol.n + 2, sizeof(bool));
		o.mark = calloc(ol.n + f->added + 2, sizeof(bool));
		o.gap = calloc(ol.n + f->added + 2, sizeof(bool));
		o.s = calloc(1, o.cap = 1);
		if (!r->old_mark || !r->old_gap || !o.mark || !o.gap || !o.s)
			err = -ENOMEM;
	}
	err = err ?: apply(old, f, patch, &pl, &ol, r, &o, why);
	r->text = o.s;
	r->len = o.len;
	r->new_mark = o.mark;
	r->new_gap = o.gap;
	free(pl.off);
	free(ol.off);
	return err;
}
