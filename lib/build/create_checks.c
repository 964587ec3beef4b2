// SPDX-License-Identifier: GPL-2.0
/* create_checks.c - what create refuses after the diff: changes that need more files. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "build/create_priv.h"
#include "build/partner.h"

/* Does a unit other than @self reference @name without defining it (in pre)? */
static bool called_by_other_unit(const struct create *c, size_t self, const char *name)
{
	for (size_t i = 0; i < c->units.n; i++) {
		const struct hs_elf *pre = &c->diffs[i].pre;

		for (size_t k = 1; i != self && k < pre->nsyms; k++)
			if (pre->syms[k].sym.st_shndx == SHN_UNDEF && pre->syms[k].name &&
			    !strcmp(pre->syms[k].name, name))
				return true;
	}
	return false;
}

/*
 * A global function only in pre may still be called from files the patch
 * does not touch: those keep calling the running kernel's copy, so the
 * change is incomplete. Its callers among the patch's own units are fine.
 */
static int check_removed_globals(struct create *c)
{
	int err = 0;

	for (size_t i = 0; i < c->units.n; i++) {
		const struct hs_diff *d = &c->diffs[i];

		for (size_t k = 0; k < d->nsyms; k++) {
			const struct hs_diff_sym *y = &d->syms[k];
			const struct hs_elf_sym *s = &d->pre.syms[y->pre_idx];

			if (y->cls != HS_DIFF_REMOVED_FUNC || !y->pre_idx || !s->name ||
			    GELF_ST_BIND(s->sym.st_info) != STB_GLOBAL ||
			    called_by_other_unit(c, i, s->name))
				continue;
			hs_err(c->ctx, "'%s': removes global function '%s' that other files may "
			       "call; the change needs its partner files", d->objname, s->name);
			err = -HS_EREFUSED;
		}
	}
	return err;
}

/* Whether @name is a whole word of a line the patch text @t adds. */
static bool patch_adds_word(const char *t, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = t; (p = strstr(p, name)); p += len) {
		const char *bol = p;

		while (bol > t && bol[-1] != '\n')
			bol--;
		if (*bol == '+' && strncmp(bol, "+++ ", 4) &&
		    (p == t || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
		    !(isalnum((unsigned char)p[len]) || p[len] == '_'))
			return true;
	}
	return false;
}

/* Whether some post object of the update defines @name, or the pre of unit @i uses it. */
static bool provided(const struct create *c, size_t i, const char *name)
{
	for (size_t u = 0; u < c->units.n; u++) {
		const struct hs_elf *e = &c->diffs[u].post;

		for (size_t k = 1; k < e->nsyms; k++)
			if (e->syms[k].name && e->syms[k].sym.st_shndx != SHN_UNDEF &&
			    !strcmp(e->syms[k].name, name))
				return true;
	}
	for (size_t k = 1; k < c->diffs[i].pre.nsyms; k++)
		if (c->diffs[i].pre.syms[k].name && !strcmp(c->diffs[i].pre.syms[k].name, name))
			return true;
	return false;
}

/* For each of the @n @names, whether the target exports it (its Module.symvers). */
static int exported(struct create *c, char *const *names, size_t n, bool *out)
{
	char *path = hs_strdupf("%s/Module.symvers", c->kb.headers);
	struct hs_klp_symvers sv;
	int err = path ? hs_klp_symvers_load(c->ctx, path, &sv) : -ENOMEM;

	for (size_t m = 0; !err && m < n; m++)
		out[m] = hs_klp_symvers_find(&sv, names[m]) != NULL;
	if (!err)
		hs_klp_symvers_free(&sv);
	free(path);
	return err;
}

/* Drop the names the target exports: the running kernel has them. */
static int drop_exported(struct create *c, char **names, const char **objs, size_t *n)
{
	bool exp[64];
	size_t kept = 0;
	int err = exported(c, names, *n, exp);

	for (size_t m = 0; !err && m < *n; m++)
		if (!exp[m])
			objs[kept] = objs[m], names[kept++] = names[m];
	if (!err)
		*n = kept;
	return err;
}

/*
 * A symbol the new code refers to that the patch itself introduces (its added
 * lines name it), that no object of the update defines, and that the source
 * of the running kernel names nowhere, cannot be in the running kernel: the
 * file defining it is missing from the patch. Refuse now rather than let
 * `hotsplice check` find it missing on the target.
 */
static int check_new_symbols(struct create *c)
{
	char *text = NULL, **names = calloc(64, sizeof(*names));
	const char *objs[64];
	size_t n = 0;
	bool named[64];
	int err = names ? hs_read_file(c->ctx, c->patch_path, &text, NULL) : -ENOMEM;

	for (size_t i = 0; !err && i < c->units.n; i++) {
		const struct hs_elf *e = &c->diffs[i].post;

		for (size_t k = 1; k < e->nsyms && n < 64; k++) {
			const char *name = e->syms[k].name;
			bool seen = false;

			if (!name || !*name || e->syms[k].sym.st_shndx != SHN_UNDEF ||
			    GELF_ST_TYPE(e->syms[k].sym.st_info) == STT_SECTION ||
			    !patch_adds_word(text, name) || provided(c, i, name))
				continue;
			for (size_t m = 0; m < n && !seen; m++)
				seen = !strcmp(names[m], name);
			if (!seen)
				objs[n] = c->diffs[i].objname, names[n++] = (char *)name;
		}
	}
	err = err ?: n ? drop_exported(c, names, objs, &n) : 0;
	err = err ?: n ? hs_kbuild_named(&c->kb, names, n, named) : 0;
	for (size_t m = 0; !err && m < n; m++)
		if (!named[m]) {
			hs_err(c->ctx, "undefined symbol '%s' (in '%s') is new in the patch and no file of "
			       "it defines it: the running kernel, whose source names it nowhere, "
			       "cannot have it; the change needs its partner files", names[m], objs[m]);
			err = -HS_EREFUSED;
		}
	free(names);
	free(text);
	return err;
}

/* The distinct types the deferred files of @u wait for, into @out; their number. */
static size_t deferred_types(const struct hs_kbuild_units *u, char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < u->ndeferred; i++)
		for (size_t k = 0; k < u->deferred[i].ntypes; k++) {
			bool seen = false;

			for (size_t m = 0; m < n && !seen; m++)
				seen = !strcmp(out[m], u->deferred[i].types[k]);
			if (!seen)
				out[n++] = u->deferred[i].types[k];
		}
	return n;
}

/* How many deferred files wait for type @t, and the first of them. */
static size_t waiting_for(const struct hs_kbuild_units *u, const char *t, const char **first)
{
	size_t n = 0;

	for (size_t i = 0; i < u->ndeferred; i++)
		for (size_t k = 0; k < u->deferred[i].ntypes; k++)
			if (!strcmp(u->deferred[i].types[k], t) && !n++)
				*first = u->deferred[i].src;
	return n;
}

/*
 * No compiled object describes some of the @n @types (@v[k] 0): compile the
 * first file waiting for each such type, pre and post, to read their layout
 * there (@v[k] becomes 1 or -1). If that file's code changes after all, it
 * is -1: the change reaches it beyond the layouts. 0 or an error.
 */
static int describe_by_compiling(struct create *c, char **types, size_t n, int *v)
{
	int *w = calloc(n + 1, sizeof(*w)), err = w ? 0 : -ENOMEM;

	for (size_t k = 0; k < n && !err; k++) {
		struct hs_kbuild_units one = { 0 };
		struct hs_diff d = { 0 };
		enum hs_unit_where where;
		const char *src = NULL;
		char *pre = NULL, *post = NULL;
		int rc;

		if (v[k] || !waiting_for(&c->units, types[k], &src))
			continue;
		hs_info(c->ctx, "type '%s': no compiled file describes it: compiling '%s'", types[k],
			src);
		err = hs_kbuild_unit_add(&c->kb, &one, src, &where);
		err = err ?: one.n ? hs_create_compile_units(c, &one) : -ENOENT;
		if (!err) {
			pre = hs_strdupf("%s/pre/%s", c->work, one.u[0].obj);
			post = hs_strdupf("%s/post/%s", c->work, one.u[0].obj);
			err = pre && post ? 0 : -ENOMEM;
		}
		rc = err ? err : hs_diff_objects(c->ctx, c->facts, one.u[0].obj, pre, post, &d);
		err = rc == -HS_ENOCHANGE ? hs_diff_types_same(c->ctx, &d, types, n, w) : 0;
		for (size_t m = 0; !err && m < n; m++)
			if (!v[m] && (m == k || (rc == -HS_ENOCHANGE && w[m])))
				v[m] = rc == -HS_ENOCHANGE ? w[m] : -1;
		if (rc == -ENOMEM)
			err = rc;	/* else: not built, does not compile, or changes: refused */
		hs_diff_free(&d);
		hs_kbuild_units_free(&one);
		free(pre);
		free(post);
	}
	free(w);
	return err;
}

/*
 * Files that a patched header reaches only through struct/union definitions
 * were not compiled (hs_kbuild_screen()): their code is the same only if
 * those types keep their layout and member types. Check each type in the
 * objects that were compiled (one of the files is compiled for a type none
 * describes); refuse when one changed.
 */
static int check_deferred(struct create *c)
{
	const struct hs_kbuild_units *u = &c->units;
	size_t total = 0;
	char **types = NULL;
	int *v = NULL, *verdict = NULL, err = 0;

	for (size_t i = 0; i < u->ndeferred; i++)
		total += u->deferred[i].ntypes;
	if (!total)
		return 0;
	types = calloc(total, sizeof(*types));
	v = calloc(total, sizeof(*v));
	verdict = calloc(total, sizeof(*verdict));
	if (!types || !v || !verdict)
		err = -ENOMEM;
	total = err ? 0 : deferred_types(u, types);
	for (size_t i = 0; i < c->units.n && !err; i++) {
		err = hs_diff_types_same(c->ctx, &c->diffs[i], types, total, v);
		for (size_t k = 0; k < total && !err; k++)
			verdict[k] = v[k] == -1 ? -1 : verdict[k] ?: v[k];
	}
	err = err ?: describe_by_compiling(c, types, total, verdict);
	for (size_t k = 0; k < total && !err; k++) {
		const char *first = "";
		size_t n = waiting_for(u, types[k], &first);

		if (verdict[k] == 1)
			hs_info(c->ctx, "type '%s' keeps its layout: the %zu file(s) that use it "
				"and nothing else the patch changes (e.g. '%s') are unchanged",
				types[k], n, first);
		else
			hs_err(c->ctx, "type '%s' %s: the %zu file(s) that use it (e.g. '%s') were "
			       "not compiled: refused", types[k], verdict[k] ? "changes its layout or "
			       "member types" : "changes and no compiled file describes it", n, first);
	}
	for (size_t k = 0; k < total && !err; k++)
		if (verdict[k] != 1)
			err = -HS_EREFUSED;
	free(types);
	free(v);
	free(verdict);
	return err;
}

int hs_create_refuse_exported(struct create *c, char **names, const size_t *owner, size_t n)
{
	bool exp[16];
	int err = exported(c, names, n, exp), refused = 0;

	for (size_t m = 0; !err && m < n; m++)
		if (exp[m]) {
			hs_err(c->ctx, "'%s': symbol '%s': changed, has no __fentry__ call and is "
			       "exported: the callers of its old copy in modules cannot all be "
			       "replaced", c->diffs[owner[m]].objname, names[m]);
			refused = 1;
		}
	return err ?: refused ? -HS_EREFUSED : 0;
}

int hs_create_check_refusals(struct create *c)
{
	int refused = check_removed_globals(c) != 0, err;

	err = check_new_symbols(c);
	if (err && err != -HS_EREFUSED)
		return err;
	refused |= err == -HS_EREFUSED;
	err = hs_partner_check_unused(c->ctx, &c->kb, c->diffs, c->ndiffs);
	if (err && err != -HS_EREFUSED)
		return err;
	refused |= err == -HS_EREFUSED;
	err = check_deferred(c);
	if (err && err != -HS_EREFUSED)
		return err;
	refused |= err == -HS_EREFUSED;
	return refused ? -HS_EREFUSED : 0;
}
