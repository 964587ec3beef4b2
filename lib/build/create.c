// SPDX-License-Identifier: GPL-2.0
/* create.c - the create pipeline: patch → objects → diff → module → package. */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/create.h"
#include "build/create_base.h"
#include "diff/diff.h"
#include "build/kbuild.h"
#include "klp/klp.h"
#include "package/package.h"
#include "build/partner.h"
#include "build/patch.h"
#include "ship/sign.h"
#include "core/spawn.h"
#include "build/sympos.h"

struct create {
	const struct hs_ctx *ctx;
	const struct hs_create_opts *o;
	struct hs_kbuild kb;
	const struct hs_kfacts *facts;	/* the target kernel's, from its headers */
	struct hs_patch patch;
	struct hs_kbuild_units units;
	struct hs_diff *diffs;		/* one per unit */
	size_t ndiffs;			/* how many of them hs_diff_objects() filled */
	char **paths;			/* pre and post object of each unit (diffs point here) */
	char *work;
	char *id;
	char *modname;
	char *target_release;
	char *target_version;
	char *out;
	char *patch_path;		/* what is compiled: o->patch, or the combined patch */
	struct hs_create_base base;	/* --on-top-of: the earlier updates */
	struct hs_sympos sp;		/* symbol positions of the target build */
	struct hs_signer *signer;	/* NULL: unsigned */
	double t0, t;
};

static void stage(struct create *c, const char *what)
{
	double now = hs_now();

	if (!c->o->quiet)
		hs_info(c->ctx, "%-16s %5.1f s", what, now - c->t);
	c->t = now;
}

char *hs_create_default_id(const char *path)
{
	char *copy = strdup(path), *base, *id, *dot;
	size_t n = 0;

	if (!copy)
		return NULL;
	base = basename(copy);
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = 0;
	id = calloc(1, HS_PKG_ID_MAX + 1);
	for (char *p = base; id && *p && n < HS_PKG_ID_MAX; p++)
		id[n++] = isalnum((unsigned char)*p) || *p == '-' || *p == '_' ? *p : '-';
	free(copy);
	return id;
}

/* "hs_" + id with '-' as '_': a valid module name. */
static char *module_name(const char *id)
{
	char *m = hs_strdupf("hs_%s", id);

	for (char *p = m; p && *p; p++)
		if (*p == '-')
			*p = '_';
	return m;
}

/* The quoted string of the one #define in the headers' include/generated/@file. */
static int read_generated(struct create *c, const char *file, char **out)
{
	char *path = hs_strdupf("%s/include/generated/%s", c->kb.headers, file), *text = NULL;
	char *q1, *q2;
	int err;

	if (!path)
		return -ENOMEM;
	err = hs_read_file(c->ctx, path, &text, NULL);
	q1 = text ? strchr(text, '"') : NULL;
	q2 = q1 ? strchr(q1 + 1, '"') : NULL;
	if (!err && !q2) {
		hs_err(c->ctx, "'%s': no quoted value", path);
		err = -HS_EFORMAT;
	}
	if (!err)
		*out = strndup(q1 + 1, (size_t)(q2 - q1 - 1));
	free(path);
	free(text);
	return err ?: (*out ? 0 : -ENOMEM);
}

/* The target's uname -r and uname -v, as the headers record them. */
static int read_target_version(struct create *c)
{
	int err = read_generated(c, "utsrelease.h", &c->target_release);

	return err ?: read_generated(c, "utsversion.h", &c->target_version);
}

static int setup(struct create *c)
{
	char tmpl[] = "/tmp/hotsplice-create.XXXXXX";
	int err;

	c->id = c->o->id ? strdup(c->o->id) : hs_create_default_id(c->o->patch);
	if (!c->id)
		return -ENOMEM;
	if (!hs_pkg_id_valid(c->id)) {
		hs_err(c->ctx, "'%s' is not a valid update id: use up to %d letters, digits, '-' and '_'",
		       c->id, HS_PKG_ID_MAX);
		return -EINVAL;
	}
	if (c->o->effective && !hs_pkg_word_valid(c->o->effective)) {
		hs_err(c->ctx, "--effective-version '%s': must be one word of at most %d printable characters (no spaces or control characters)",
		       c->o->effective, HS_PKG_WORD_MAX);
		return -EINVAL;
	}
	if (c->o->description && !hs_pkg_text_valid(c->o->description)) {
		hs_err(c->ctx, "--description: must be one line of at most %d characters (no newline or control characters)",
		       HS_PKG_TEXT_MAX);
		return -EINVAL;
	}
	c->modname = module_name(c->id);
	c->out = c->o->out ? strdup(c->o->out) : hs_strdupf("hotsplice-%s%s", c->id, HS_PKG_EXT);
	if (c->o->workdir) {
		c->work = strdup(c->o->workdir);
		err = c->work ? hs_mkdir_p(c->ctx, c->work) : -ENOMEM;
	} else {
		c->work = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
		err = c->work ? 0 : -errno;
	}
	if (!c->modname || !c->out)
		return -ENOMEM;
	if (!err && c->o->sign_key)
		err = hs_signer_load(c->ctx, c->o->sign_key, c->o->sign_cert, &c->signer);
	return err;
}

/* The target build's symbols: --target-root, else the root the headers belong to. */
static int open_target_build(struct create *c)
{
	char *root = c->o->target_root ? strdup(c->o->target_root) :
		     hs_sympos_root_of_headers(c->kb.headers, c->target_release);
	int err;

	if (c->o->target_root && !root)
		return -ENOMEM;
	if (!root)
		hs_warn(c->ctx, "no System.map-%s next to the headers '%s' (give --target-root)",
			c->target_release, c->kb.headers);
	err = hs_sympos_open(c->ctx, root, c->target_release, &c->sp);
	free(root);
	return err;
}

/*
 * --on-top-of: the update is built from the pristine source to the source
 * with every earlier update's patch and then this one applied (create_base.h).
 */
static int on_top(struct create *c)
{
	int err;

	if (!c->o->non_top_of) {
		c->patch_path = strdup(c->o->patch);
		return c->patch_path ? 0 : -ENOMEM;
	}
	c->patch_path = hs_strdupf("%s/combined.diff", c->work);
	if (!c->patch_path)
		return -ENOMEM;
	err = read_target_version(c);
	err = err ?: hs_create_base_load(c->ctx, c->o->on_top_of, c->o->non_top_of, c->target_release,
				  c->target_version, &c->base);
	err = err ?: hs_create_base_combine(c->ctx, &c->base, c->kb.source, c->o->patch, c->work,
					    c->patch_path);
	if (!err)
		hs_info(c->ctx, "cumulative: on top of %zu earlier update(s) (%s%s)", c->base.n,
			c->base.ids[0], c->base.n > 1 ? ", ..." : "");
	return err;
}

static int front_end(struct create *c)
{
	int err;

	err = hs_kbuild_open(c->ctx, c->o->source, c->o->headers, &c->kb);
	if (err)
		return err;
	c->kb.quiet = c->o->quiet;
	c->kb.no_name_narrowing = c->o->no_name_narrowing;
	if (c->o->jobs > 0)
		c->kb.jobs = c->o->jobs;
	if (c->o->max_header_files)
		c->kb.max_header_users = c->o->max_header_files;
	err = on_top(c);
	err = err ?: hs_patch_load(c->ctx, c->patch_path, &c->patch);
	err = err ?: hs_patch_check(c->ctx, c->patch_path, c->kb.source);
	if (!err)
		stage(c, "patch applies");
	/* a kernel hotsplice has no facts about is refused before anything is built */
	err = err ?: hs_kfacts_for_headers(c->ctx, c->kb.headers, &c->facts);
	err = err ?: c->target_release ? 0 : read_target_version(c);
	err = err ?: open_target_build(c);
	err = err ?: hs_kbuild_prepare(&c->kb);
	if (!err)
		stage(c, "prepared tree");
	err = err ?: hs_kbuild_units(&c->kb, &c->patch, &c->units);
	err = err ?: hs_kbuild_cmdlines(&c->kb, &c->units);
	err = err ?: hs_kbuild_screen(&c->kb, c->patch_path, &c->patch, &c->units, c->work);
	if (!err)
		stage(c, "found units");
	err = err ?: hs_kbuild_compile(&c->kb, c->patch_path, &c->patch, &c->units, c->work);
	if (!err)
		stage(c, "compiled");
	return err;
}

static char *unit_path(const struct create *c, const char *side, const struct hs_kbuild_unit *u)
{
	return hs_strdupf("%s/%s/%s", c->work, side, u->obj);
}

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
			hs_err(c->ctx, "undefined symbol '%s' (%s) is new in the patch and no file of "
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
 * Files that a patched header reaches only through struct/union definitions
 * were not compiled (hs_kbuild_screen()): their code is the same only if
 * those types keep their layout and member types. Check each type in the
 * objects that were compiled; refuse when one changed or none describes it.
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

/* Diff units @first.. of c->units; *@worst and *@refused sum up. 0 or an error. */
static int diff_from(struct create *c, size_t first, int *worst, int *refused)
{
	for (size_t i = first; i < c->units.n; i++) {
		char *pre = c->paths[2 * i] = unit_path(c, "pre", &c->units.u[i]);
		char *post = c->paths[2 * i + 1] = unit_path(c, "post", &c->units.u[i]);
		int err = pre && post ? hs_diff_objects(c->ctx, c->facts, c->units.u[i].obj, pre, post,
							&c->diffs[i]) : -ENOMEM;

		c->ndiffs = pre && post ? i + 1 : c->ndiffs;
		if (err == -HS_EREFUSED)
			*refused = 1;
		else if (err == 0 && *worst == -HS_ENOCHANGE)
			*worst = 0;
		else if (err && err != -HS_ENOCHANGE)
			return err;
	}
	return 0;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The global notrace functions that changed (callers_outside), at most @max
 * into @names (sorted) with the unit of each in @owner; how many (more than
 * @max: the rest were not stored).
 */
static size_t outside_names(const struct create *c, char **names, size_t *owner, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < c->units.n; i++)
		for (size_t k = 0; k < c->diffs[i].nsyms; k++)
			if (c->diffs[i].syms[k].callers_outside && !c->diffs[i].syms[k].refused &&
			    n++ < max)
				owner[n - 1] = i, names[n - 1] = (char *)c->diffs[i].post.syms[
					c->diffs[i].syms[k].post_idx].name;
	if (n > max)
		return n;
	for (size_t a = 1; a < n; a++)		/* sorted for hs_kbuild_callers(), owners along */
		for (size_t b = a; b > 0 && cmp_strp(&names[b - 1], &names[b]) > 0; b--) {
			char *t = names[b];
			size_t o = owner[b];

			names[b] = names[b - 1], owner[b] = owner[b - 1];
			names[b - 1] = t, owner[b - 1] = o;
		}
	return n;
}

/* Refuse a function of @names that the target exports: modules may call its old copy. */
static int refuse_exported(struct create *c, char **names, const size_t *owner, size_t n)
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

/* Add as units the built @files not units yet; 0, -HS_EREFUSED (too many) or -errno. */
static int add_caller_units(struct create *c, char **files, size_t nfiles,
			    const char *name, struct hs_kbuild_units *extra)
{
	int err = 0;

	for (size_t k = 0; k < nfiles && !err; k++) {
		enum hs_unit_where where;
		bool have = false;

		for (size_t i = 0; i < c->units.n && !have; i++)
			have = !strcmp(c->units.u[i].src, files[k]);
		if (!have)
			err = hs_kbuild_unit_add(&c->kb, extra, files[k], &where);
	}
	if (!err && extra->n > c->kb.max_header_users) {
		hs_err(c->ctx, "'%s' has no __fentry__ call: its callers may be in any of %zu more "
		       "built files (more than %zu): refused", name, extra->n,
		       c->kb.max_header_users);
		err = -HS_EREFUSED;
	}
	return err;
}

/* Move the units of @extra to the end of c->units. */
static int append_units(struct create *c, struct hs_kbuild_units *extra)
{
	struct hs_kbuild_unit *u = realloc(c->units.u, (c->units.n + extra->n + 1) * sizeof(*u));

	if (!u)
		return -ENOMEM;
	c->units.u = u;
	memcpy(u + c->units.n, extra->u, extra->n * sizeof(*u));
	c->units.n += extra->n;
	free(extra->u);
	extra->u = NULL;
	extra->n = 0;
	return 0;
}

/* Replace every caller of @names[m] in the units of its klp object but its own. */
static int replace_outside_callers(struct create *c, char **names, const size_t *owner,
				   size_t n)
{
	int err = 0, refused = 0;
	char why[512];

	for (size_t m = 0; m < n && !err; m++)
		for (size_t i = 0; i < c->units.n && !err; i++) {
			if (i == owner[m] || strcmp(c->units.u[i].klp_object,
						    c->units.u[owner[m]].klp_object))
				continue;
			err = hs_diff_reach_callers(&c->diffs[i], names[m], why, sizeof(why));
			if (err == -HS_EREFUSED) {
				hs_err(c->ctx, "'%s' has no __fentry__ call and cannot be reached "
				       "through its callers: %s", names[m], why);
				refused = 1;
				err = 0;
			}
		}
	return err ?: refused ? -HS_EREFUSED : 0;
}

/*
 * A changed global function without __fentry__ (an out-of-line "inline", or
 * a file built without ftrace) is carried in the module, and every function
 * that calls it is replaced: those of its own object (the differ saw to
 * them) and those of the other files that name it, compiled here as extra
 * units. It must not be exported, and its address must be taken nowhere.
 */
static int reach_outside_callers(struct create *c, int *worst)
{
	char *names[16], **files = NULL, why[512];
	size_t owner[16], n = outside_names(c, names, owner, 16), first = c->units.n, nfiles = 0;
	struct hs_kbuild_units extra = { 0 };
	int err, refused = 0;

	if (!n)
		return 0;
	if (n > 16) {
		hs_err(c->ctx, "%zu changed functions have no __fentry__ call (more than 16): "
		       "refused", n);
		return -HS_EREFUSED;
	}
	err = refuse_exported(c, names, owner, n);
	if (!err) {
		err = hs_kbuild_callers(&c->kb, names, n, &files, &nfiles, why, sizeof(why));
		if (err == -HS_EREFUSED)
			hs_err(c->ctx, "'%s' has no __fentry__ call, and its callers cannot all "
			       "be found: %s", names[0], why);
	}
	err = err ?: add_caller_units(c, files, nfiles, names[0], &extra);
	if (!err && extra.n)
		hs_info(c->ctx, "'%s' has no __fentry__ call: compiling %zu more file(s) that "
			"name it, to replace its callers", names[0], extra.n);
	err = err ?: extra.n ? hs_kbuild_cmdlines(&c->kb, &extra) : 0;
	err = err ?: extra.n ? hs_kbuild_compile(&c->kb, c->patch_path, &c->patch, &extra,
						 c->work) : 0;
	err = err ?: append_units(c, &extra);
	err = err ?: diff_from(c, first, worst, &refused);
	err = err ?: replace_outside_callers(c, names, owner, n);
	if (!err && *worst == -HS_ENOCHANGE)
		*worst = 0;
	if (!err)
		stage(c, "reached callers");
	for (size_t k = 0; k < nfiles; k++)
		free(files[k]);
	free(files);
	hs_kbuild_units_free(&extra);
	return err ?: refused ? -HS_EREFUSED : 0;
}

/* A release update: changes only to init/exit parts of built-in code need nothing live. */
static void accept_builtin_init(struct create *c, int *worst, int *refused)
{
	*refused = 0;
	for (size_t i = 0; i < c->ndiffs; i++) {
		struct hs_diff *d = &c->diffs[i];

		if (d->nrefused && !strcmp(c->units.u[i].klp_object, "vmlinux") &&
		    hs_diff_accept_builtin_init(d))
			hs_info(c->ctx, "'%s': only init/exit code or data of built-in code changed "
				"(it ran at boot and was freed, or was discarded): not needed live",
				d->objname);
		*refused |= d->nrefused > 0;
		if (!d->nrefused && d->nfuncs && *worst == -HS_ENOCHANGE)
			*worst = 0;
	}
}

/* Diff every unit; the result is the worst of them (refused > error > changed > none). */
static int diff_units(struct create *c)
{
	int worst = -HS_ENOCHANGE, refused = 0, err;

	/* room for the units reach_outside_callers() may add: the diffs cannot move */
	size_t cap = c->units.n + c->kb.max_header_users + 1;

	c->diffs = calloc(cap, sizeof(*c->diffs));
	c->paths = calloc(2 * cap, sizeof(*c->paths));
	if (!c->diffs || !c->paths)
		return -ENOMEM;
	err = diff_from(c, 0, &worst, &refused);
	if (err)
		return err;
	if (c->o->builtin_init_ok)
		accept_builtin_init(c, &worst, &refused);
	stage(c, "diffed");
	err = reach_outside_callers(c, &worst);
	if (err && err != -HS_EREFUSED)
		return err;
	refused |= err == -HS_EREFUSED;
	if (check_removed_globals(c))
		refused = 1;
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
	return refused ? -HS_EREFUSED : worst;
}

struct line_ref {
	const struct hs_diff *d;
	const struct hs_diff_sym *s;
};

static int line_cmp(const void *pa, const void *pb)
{
	const struct line_ref *a = pa, *b = pb;

	if (a->s->cls != b->s->cls)
		return a->s->cls < b->s->cls ? -1 : 1;
	return strcmp(a->s->name, b->s->name) ?: strcmp(a->d->objname, b->d->objname);
}

/* The classification of all units as one list, sorted by class then name. */
static void print_classification(const struct create *c)
{
	struct line_ref *lines;
	size_t n = 0, cap = 1;

	if (c->o->json) {
		printf("[");
		for (size_t i = 0; i < c->units.n; i++) {
			printf(i ? ",\n" : "\n");
			hs_diff_print_json(&c->diffs[i], stdout);
		}
		printf("]\n");
		return;
	}
	for (size_t i = 0; i < c->units.n; i++)
		cap += c->diffs[i].nsyms;
	lines = calloc(cap, sizeof(*lines));
	for (size_t i = 0; lines && i < c->units.n; i++)
		for (size_t k = 0; k < c->diffs[i].nsyms; k++)
			lines[n++] = (struct line_ref){ &c->diffs[i], &c->diffs[i].syms[k] };
	if (lines)
		qsort(lines, n, sizeof(*lines), line_cmp);
	for (size_t i = 0; i < n; i++)
		hs_diff_print_sym(lines[i].d, lines[i].s, stdout);
	free(lines);
}

/* The klp builder's view of one unit's diff: what to replace, add and carry. */
struct unit_sel {
	struct hs_klp_func *funcs;
	const char **new_funcs;
	const char **new_data;
	struct hs_klp_rename *renames;
	size_t nfuncs, nnew_funcs, nnew_data, nrenames;
};

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

		if (y->refused)
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
		else if (y->cls == HS_DIFF_NEW_DATA)
			s->new_data[s->nnew_data++] = d->post.syms[y->post_idx].name;
	}
	return select_renames(d, s);
}

static void free_sels(struct unit_sel *sels, size_t n)
{
	for (size_t i = 0; sels && i < n; i++) {
		free(sels[i].funcs);
		free(sels[i].new_funcs);
		free(sels[i].new_data);
		free(sels[i].renames);
	}
	free(sels);
}

static int build_module(struct create *c, struct unit_sel *sels, char **ko)
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
	for (size_t i = 0; i < c->units.n && !err; i++) {
		err = select_unit(&c->diffs[i], &sels[i]);
		if (err || !sels[i].nfuncs)
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
			.cc = c->kb.cc, .replace = c->base.npkgs > 0 || c->o->replace,
			.resolve_sympos = hs_sympos_klp_resolve, .resolve_arg = &su,
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
		stage(c, "built module");
	return err;
}

/* Add @path to the package as @member, without debug info (no build-host paths). */
static int add_stripped(struct create *c, struct hs_pkg *pkg, const char *path,
			const char *member)
{
	char *tmp = hs_strdupf("%s/strip.tmp", c->work), *data = NULL;
	char *argv[] = { "objcopy", "--strip-debug", "--remove-section=.comment",
			 (char *)path, tmp, NULL };
	size_t len;
	int err;

	if (!tmp)
		return -ENOMEM;
	err = hs_spawn_run(c->ctx, argv, NULL, NULL, NULL);
	if (err > 0) {
		hs_err(c->ctx, "'%s': objcopy --strip-debug failed", path);
		err = -EIO;
	}
	err = err ?: hs_read_file(c->ctx, tmp, &data, &len);
	err = err ?: hs_pkg_add_file(pkg, member, data, len);
	free(data);
	unlink(tmp);
	free(tmp);
	return err;
}

/* Add the built module as @member: stripped, then sealed (hs_pkg_seal_module()). */
static int add_module(struct create *c, struct hs_pkg *pkg, const char *ko, const char *member)
{
	int err = add_stripped(c, pkg, ko, member);

	return err ?: hs_pkg_seal_module(c->ctx, pkg, pkg->nfiles - 1, c->signer);
}

static int add_funcs(struct create *c, struct hs_pkg *pkg, const struct unit_sel *sels)
{
	int err = 0;

	for (size_t i = 0; i < c->units.n && !err; i++) {
		const struct hs_kbuild_unit *u = &c->units.u[i];
		char *member;

		if (!sels[i].nfuncs)
			continue;
		member = hs_strdupf("pre/%s", u->obj);
		err = member ? add_stripped(c, pkg, c->diffs[i].pre.path, member) : -ENOMEM;
		for (size_t k = 0; k < sels[i].nfuncs && !err; k++) {
			err = hs_pkg_add_func(pkg, member, u->klp_object, sels[i].funcs[k].old_name,
					      sels[i].funcs[k].name);
			if (!err)
				pkg->funcs[pkg->nfuncs - 1].sympos = sels[i].funcs[k].sympos;
		}
		free(member);
	}
	return err;
}

static char *default_description(const struct create *c)
{
	char *text = NULL, *subj, *d = NULL;

	if (c->o->description)
		return strdup(c->o->description);
	if (!hs_read_file(NULL, c->o->patch, &text, NULL) && (subj = strstr(text, "Subject: "))) {
		subj += strlen("Subject: ");
		d = strndup(subj, strcspn(subj, "\n"));
	}
	free(text);
	if (!d) {
		char *copy = strdup(c->o->patch);

		d = copy ? hs_strdupf("live update from %s", basename(copy)) : NULL;
		free(copy);
	}
	/* a Subject: or file name is one line of text, as the MANIFEST needs */
	for (char *p = d; p && *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = ' ';
	if (d && strlen(d) > HS_PKG_TEXT_MAX)
		d[HS_PKG_TEXT_MAX] = 0;
	return d;
}

static int write_package(struct create *c, const struct unit_sel *sels, const char *ko)
{
	struct hs_pkg pkg = { 0 };
	char *member = hs_strdupf("%s.ko", c->modname), *patch = NULL;
	size_t plen;
	int err;

	pkg.id = strdup(c->id);
	pkg.description = default_description(c);
	pkg.target_release = strdup(c->target_release);
	pkg.target_version = strdup(c->target_version);
	pkg.effective_version = c->o->effective ? strdup(c->o->effective) : NULL;
	pkg.compiler = strdup(c->kb.cc_text);
	pkg.module = strdup(c->modname);
	err = member && pkg.id && pkg.description && pkg.target_release && pkg.target_version &&
	      pkg.compiler && pkg.module ? 0 : -ENOMEM;
	err = err ?: add_module(c, &pkg, ko, member);
	err = err ?: hs_read_file(c->ctx, c->o->patch, &patch, &plen);
	err = err ?: hs_pkg_add_file(&pkg, "patch.diff", patch, plen);
	err = err ?: add_funcs(c, &pkg, sels);
	err = err ?: hs_create_base_fill(&c->base, &pkg);
	err = err ?: hs_create_release_fill(c->o, &pkg);
	pkg.sign = c->signer ? hs_sign_pkg_cb : NULL;
	pkg.sign_arg = c->signer;
	err = err ?: hs_pkg_write(c->ctx, c->out, &pkg);
	if (!err)
		hs_info(c->ctx, "wrote '%s': update '%s', %zu function%s, for %s%s%s", c->out,
			c->id, pkg.nfuncs, pkg.nfuncs == 1 ? "" : "s", c->target_release,
			c->signer ? ", signed by " : "",
			c->signer ? hs_signer_subject(c->signer) : "");
	hs_pkg_free(&pkg);
	free(member);
	free(patch);
	return err;
}

int hs_create(const struct hs_ctx *ctx, const struct hs_create_opts *o)
{
	struct create c = { .ctx = ctx, .o = o, .t0 = hs_now() };
	struct unit_sel *sels = NULL;
	char *ko = NULL;
	int err;

	c.t = c.t0;
	err = setup(&c);
	err = err ?: front_end(&c);
	err = err ?: diff_units(&c);
	if (o->dry_run && c.diffs && !o->no_print)
		print_classification(&c);
	if (!err && !o->dry_run) {
		sels = calloc(c.units.n + 1, sizeof(*sels));
		err = sels ? build_module(&c, sels, &ko) : -ENOMEM;
		err = err ?: write_package(&c, sels, ko);
		if (!err && !o->quiet)
			hs_info(ctx, "done in %.1f s", hs_now() - c.t0);
	}
	if (err == -HS_ENOCHANGE)
		hs_info(ctx, "'%s': no code change to patch", o->patch);
	free_sels(sels, c.units.n);
	for (size_t i = 0; c.diffs && i < c.ndiffs; i++)
		hs_diff_free(&c.diffs[i]);
	free(c.diffs);
	for (size_t i = 0; c.paths && i < 2 * c.units.n; i++)
		free(c.paths[i]);
	free(c.paths);
	hs_kbuild_units_free(&c.units);
	hs_kbuild_close(&c.kb);
	hs_sympos_close(&c.sp);
	hs_signer_free(c.signer);
	hs_patch_free(&c.patch);
	hs_create_base_free(&c.base);
	free(c.patch_path);
	if (c.work && !o->workdir && err == -EIO)	/* a failed compile: its log stays */
		hs_err(ctx, "the compile logs stay in '%s' (remove it when done)", c.work);
	else if (c.work && !o->workdir)
		hs_rm_rf(c.work);
	free(c.work);
	free(c.id);
	free(c.modname);
	free(c.target_release);
	free(c.target_version);
	free(c.out);
	free(ko);
	return err;
}
