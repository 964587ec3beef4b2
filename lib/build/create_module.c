// SPDX-License-Identifier: GPL-2.0
/* create_module.c - create's livepatch module: what each unit's diff gives the klp builder. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "build/create_priv.h"

/* The running kernel's symbols that the new code uses under another name. */
static int select_renames(const struct hs_diff *d, struct unit_sel *s)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nsyms; i++)
		n += d->syms[i].nrefs;
	s->renames = calloc(n + 1, sizeof(*s->renames));
	if (!s->renames)
		return -ENOMEM;
	for (size_t i = 0; i < d->nsyms; i++)
		for (size_t k = 0; k < d->syms[i].nrefs; k++) {
			const struct hs_diff_ref *r = &d->syms[i].refs[k];
			const char *old;

			if (r->kind != HS_REF_KERNEL || !r->pre_sym)
				continue;
			old = d->pre.syms[r->pre_sym].name;
			if (strcmp(old, d->post.syms[r->post_sym].name))
				s->renames[s->nrenames++] = (struct hs_klp_rename){
					.name = d->post.syms[r->post_sym].name, .old_name = old };
		}
	return 0;
}

static int select_unit(const struct hs_diff *d, struct unit_sel *s)
{
	s->funcs = calloc(d->nsyms + 1, sizeof(*s->funcs));
	s->new_funcs = calloc(d->nsyms + 1, sizeof(*s->new_funcs));
	s->new_data = calloc(d->nsyms + 1, sizeof(*s->new_data));
	if (!s->funcs || !s->new_funcs || !s->new_data)
		return -ENOMEM;
	for (size_t i = 0; i < d->nsyms; i++) {
		const struct hs_diff_sym *y = &d->syms[i];

		if (y->refused || y->alias_of)	/* an alias is replaced as its first name */
			continue;
		if (y->cls == HS_DIFF_CHANGED_FUNC && y->via_callers)	/* carried, not redirected */
			s->new_funcs[s->nnew_funcs++] = d->post.syms[y->post_idx].name;
		else if (y->cls == HS_DIFF_CHANGED_FUNC)
			s->funcs[s->nfuncs++] = (struct hs_klp_func){
				.name = d->post.syms[y->post_idx].name,
				.old_name = d->pre.syms[y->pre_idx].name,
			};
		else if (y->cls == HS_DIFF_NEW_FUNC)
			s->new_funcs[s->nnew_funcs++] = d->post.syms[y->post_idx].name;
		else if (y->cls == HS_DIFF_NEW_DATA || y->cls == HS_DIFF_CHANGED_DATA)
			/* changed and not refused: a read-only table, carried with its readers */
			s->new_data[s->nnew_data++] = d->post.syms[y->post_idx].name;
	}
	return select_renames(d, s);
}

void hs_create_free_sels(struct unit_sel *sels, size_t n)
{
	for (size_t i = 0; sels && i < n; i++) {
		free(sels[i].funcs);
		free(sels[i].new_funcs);
		free(sels[i].new_data);
		free(sels[i].renames);
	}
	free(sels);
}

/*
 * Is unit @i part of the module? When it replaces functions; or when it only
 * adds new ones (or data) that another unit of the same livepatch object uses
 * (a new global function that only a partner file calls): its code is linked
 * in, and its livepatch relocations belong to an object the patch lists.
 */
static bool carried(const struct create *c, const struct unit_sel *sels, size_t i)
{
	if (sels[i].nfuncs)
		return true;
	if (!sels[i].nnew_funcs && !sels[i].nnew_data)
		return false;
	for (size_t k = 0; k < c->units.n; k++)
		if (k != i && sels[k].nfuncs &&
		    !strcmp(c->units.u[k].klp_object, c->units.u[i].klp_object))
			return true;
	return false;
}

int hs_create_build_module(struct create *c, struct unit_sel *sels, char **ko)
{
	struct hs_klp_opts *units = calloc(c->units.n + 1, sizeof(*units));
	const char **post = calloc(c->units.n + 1, sizeof(*post));
	const struct hs_elf **pre = calloc(c->units.n + 1, sizeof(*pre));
	struct hs_sympos_units su = { .sp = &c->sp, .post = post, .pre = pre };
	size_t n = 0;
	int err = 0, refused = 0;

	*ko = hs_strdupf("%s/%s.ko", c->work, c->modname);
	if (!units || !*ko || !post || !pre) {
		free(units);
		free(post);
		free(pre);
		return -ENOMEM;
	}
	for (size_t i = 0; i < c->units.n && !err; i++)
		err = select_unit(&c->diffs[i], &sels[i]);
	for (size_t i = 0; i < c->units.n && !err; i++) {
		if (!carried(c, sels, i))
			continue;
		err = hs_sympos_decide_funcs(&c->sp, c->units.u[i].klp_object, &c->diffs[i].pre,
					     sels[i].funcs, sels[i].nfuncs);
		refused |= err == -HS_EREFUSED;
		err = err == -HS_EREFUSED ? 0 : err;
		post[su.n] = c->diffs[i].post.path;
		pre[su.n++] = &c->diffs[i].pre;
		units[n++] = (struct hs_klp_opts){
			.post = c->diffs[i].post.path,
			.objname = c->units.u[i].klp_object,
			.funcs = sels[i].funcs, .nfuncs = sels[i].nfuncs,
			.new_funcs = sels[i].new_funcs, .nnew_funcs = sels[i].nnew_funcs,
			.new_data = sels[i].new_data, .nnew_data = sels[i].nnew_data,
			.renames = sels[i].renames, .nrenames = sels[i].nrenames,
			.headers = c->kb.headers, .facts = c->facts, .modname = c->modname, .out = *ko,
			.cc = c->kb.cc, .make_var = hs_kbuild_try_run(&c->kb), .replace = c->base.npkgs > 0 || c->o->replace,
			.resolve_sympos = hs_sympos_klp_resolve, .resolve_arg = &su,
			.via = c->units.u[i].via,
		};
	}
	if (!err && refused)
		err = -HS_EREFUSED;
	if (!err && !n) {
		hs_err(c->ctx, "'%s': only new functions, nothing calls them: no function to replace",
		       c->o->patch);
		err = -HS_ENOCHANGE;
	}
	err = err ?: hs_klp_build_units(c->ctx, units, n);
	free(units);
	free(post);
	free(pre);
	if (!err)
		hs_create_stage(c, "built module");
	return err;
}
