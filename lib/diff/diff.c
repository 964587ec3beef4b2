// SPDX-License-Identifier: GPL-2.0
/* diff.c - the object differ's entry point: load, correlate, compare, classify. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

void diff_buf_addmem(struct diff_buf *b, const void *p, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = 0;
}

void diff_buf_add(struct diff_buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	diff_buf_addmem(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

const char *hs_diff_class_name(enum hs_diff_class cls)
{
	static const char *const names[] = {
		[HS_DIFF_UNCHANGED] = "unchanged",
		[HS_DIFF_CHANGED_FUNC] = "changed-function",
		[HS_DIFF_NEW_FUNC] = "new-function",
		[HS_DIFF_REMOVED_FUNC] = "removed-function",
		[HS_DIFF_CHANGED_DATA] = "changed-data",
		[HS_DIFF_NEW_DATA] = "new-data",
		[HS_DIFF_CHANGED_INIT] = "changed-init",
		[HS_DIFF_CHANGED_SPECIAL] = "changed-special",
		[HS_DIFF_CHANGED_TYPE] = "changed-type",
	};

	return cls < HS_DIFF_NCLASSES ? names[cls] : "?";
}

const char *hs_diff_ref_kind_name(enum hs_diff_ref_kind kind)
{
	static const char *const names[] = {
		[HS_REF_INCLUDED] = "included",
		[HS_REF_KERNEL] = "kernel",
		[HS_REF_EXTERN] = "extern",
		[HS_REF_CONST] = "const",
		[HS_REF_REGION] = "region",
	};

	return kind <= HS_REF_REGION ? names[kind] : "?";
}

const struct hs_diff_sym *hs_diff_find(const struct hs_diff *d, const char *name)
{
	for (size_t i = 0; i < d->nsyms; i++)
		if (!strcmp(d->syms[i].name, name))
			return &d->syms[i];
	return NULL;
}

static int load(const struct hs_ctx *ctx, struct hs_diff *d)
{
	struct hs_diff_priv *p = d->priv;
	int err = diff_side_load(ctx, &d->pre, &p->pre);

	err = err ?: diff_side_load(ctx, &d->post, &p->post);
	if (err)
		return err;
	p->pre.other = &p->post;
	p->pre.is_pre = true;
	p->post.other = &p->pre;
	return 0;
}

int hs_diff_objects(const struct hs_ctx *ctx, const struct hs_kfacts *facts, const char *objname,
		    const char *pre_path, const char *post_path, struct hs_diff *d)
{
	struct hs_diff_priv *p;
	int err;

	memset(d, 0, sizeof(*d));
	d->objname = objname;
	d->pre.fd = d->post.fd = -1;
	p = d->priv = calloc(1, sizeof(*d->priv));
	if (!p)
		return -ENOMEM;
	p->ctx = ctx;
	p->facts = facts;
	p->objname = objname;
	err = hs_elf_open(ctx, pre_path, &d->pre);
	err = err ?: hs_elf_open(ctx, post_path, &d->post);
	err = err ?: load(ctx, d);
	err = err ?: diff_correlate(p);
	err = err ?: diff_special_collect(p, &p->pre);
	err = err ?: diff_special_collect(p, &p->post);
	err = err ?: diff_classify(p, d);
	if (err == -ENOMEM)
		hs_err(ctx, "'%s': out of memory", objname);
	return err;
}

void hs_diff_free(struct hs_diff *d)
{
	for (size_t i = 0; i < d->nsyms; i++)
		free(d->syms[i].refs);
	free(d->syms);
	if (d->priv) {
		if (d->priv->pre.e)
			diff_side_free(&d->priv->pre);
		if (d->priv->post.e)
			diff_side_free(&d->priv->post);
		free(d->priv);
	}
	hs_elf_close(&d->pre);
	hs_elf_close(&d->post);
	memset(d, 0, sizeof(*d));
}
