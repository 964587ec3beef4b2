// SPDX-License-Identifier: GPL-2.0
/* cumulative.c - what loaded livepatches replace; may an update go on top of them. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "target/apply.h"
#include "core/cache.h"
#include "target/cumulative.h"

void hs_lp_live_free(struct hs_lp_live *l)
{
	for (size_t i = 0; i < l->npatches; i++)
		free(l->patches[i]);
	for (size_t i = 0; i < l->nheld; i++) {
		free(l->held[i].patch);
		free(l->held[i].obj);
		free(l->held[i].func);
	}
	free(l->patches);
	free(l->held);
	memset(l, 0, sizeof(*l));
}

static int is_dir(const char *dir, const char *name)
{
	char *path = hs_strdupf("%s/%s", dir, name);
	struct stat sb;
	int yes = path && !stat(path, &sb) && S_ISDIR(sb.st_mode);

	free(path);
	return yes;
}

/* Add "func,sympos" of object @obj of livepatch @patch. */
static int add_held(struct hs_lp_live *l, const char *patch, const char *obj, const char *ent)
{
	const char *comma = strrchr(ent, ',');
	struct hs_lp_held *h;

	if (!comma)
		return 0;
	h = realloc(l->held, (l->nheld + 1) * sizeof(*h));
	if (!h)
		return -ENOMEM;
	l->held = h;
	h = &h[l->nheld];
	h->patch = strdup(patch);
	h->obj = strdup(obj);
	h->func = strndup(ent, (size_t)(comma - ent));
	h->sympos = strtoul(comma + 1, NULL, 10);
	l->nheld++;
	return h->patch && h->obj && h->func ? 0 : -ENOMEM;
}

/* The function directories under every object directory of livepatch @patch. */
static int scan_patch(const struct hs_lp_env *env, const char *patch, struct hs_lp_live *l)
{
	char *pdir = hs_strdupf("%s/%s", env->sysfs, patch);
	DIR *d = pdir ? opendir(pdir) : NULL;
	struct dirent *de;
	int err = 0;

	while (d && !err && (de = readdir(d))) {
		char *odir;
		DIR *o;
		struct dirent *fe;

		if (de->d_name[0] == '.' || !is_dir(pdir, de->d_name))
			continue;
		odir = hs_strdupf("%s/%s", pdir, de->d_name);
		o = odir ? opendir(odir) : NULL;
		while (o && !err && (fe = readdir(o)))
			if (fe->d_name[0] != '.' && is_dir(odir, fe->d_name))
				err = add_held(l, patch, de->d_name, fe->d_name);
		if (o)
			closedir(o);
		free(odir);
	}
	if (d)
		closedir(d);
	free(pdir);
	return err;
}

int hs_lp_live_scan(const struct hs_lp_env *env, struct hs_lp_live *out)
{
	DIR *d = opendir(env->sysfs);
	struct dirent *de;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!err && (de = readdir(d))) {
		char **p;

		if (de->d_name[0] == '.' || !is_dir(env->sysfs, de->d_name) ||
		    (hs_lp_read(env, de->d_name, "enabled") != 1 &&
		     hs_lp_read(env, de->d_name, "transition") != 1))
			continue;
		p = realloc(out->patches, (out->npatches + 1) * sizeof(*p));
		if (!p) {
			err = -ENOMEM;
			break;
		}
		out->patches = p;
		p[out->npatches] = strdup(de->d_name);
		err = p[out->npatches] ? 0 : -ENOMEM;
		out->npatches += !err;
		err = err ?: scan_patch(env, de->d_name, out);
	}
	closedir(d);
	if (err)
		hs_lp_live_free(out);
	return err;
}

const struct hs_state_entry *hs_cumul_owner(const struct hs_state *st, const char *module)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].module, module) && hs_state_entry_is_running(&st->v[i]))
			return &st->v[i];
	return NULL;
}

/* "hotsplice update 'ID'" or "not a hotsplice update", for livepatch @patch. */
static void owner_name(const struct hs_state *st, const char *patch, char *buf, size_t size)
{
	const struct hs_state_entry *e = hs_cumul_owner(st, patch);

	if (e)
		snprintf(buf, size, "hotsplice update '%s'", e->id);
	else
		snprintf(buf, size, "not a hotsplice update");
}

/* Does held function @h stand for function @i of @pkg (same object, name and copy)? */
static int same_func(const struct hs_lp_held *h, const struct hs_pkg *pkg, size_t i,
		     const struct hs_runpre *rp)
{
	const struct hs_pkg_func *f = &pkg->funcs[i];
	const struct hs_runpre_func *v = rp && i < rp->nfuncs ? &rp->funcs[i] : NULL;

	if (strcmp(h->obj, f->klp_obj) || strcmp(h->func, f->name))
		return 0;
	/* a position not known here (module not loaded): the name decides */
	return !v || !v->matched || (v->sympos ? v->sympos : 1) == h->sympos;
}

/* A non-cumulative update: no function of it may be replaced already. */
static int check_stacking(const struct hs_ctx *ctx, const struct hs_lp_live *live,
			  const struct hs_state *st, const struct hs_pkg *pkg,
			  const struct hs_runpre *rp)
{
	int refused = 0;
	char who[128];

	for (size_t i = 0; i < pkg->nfuncs; i++)
		for (size_t k = 0; k < live->nheld; k++) {
			const struct hs_lp_held *h = &live->held[k];

			if (!strcmp(h->patch, pkg->module) || !same_func(h, pkg, i, rp))
				continue;
			owner_name(st, h->patch, who, sizeof(who));
			hs_err(ctx, "%s: function '%s' is already replaced by livepatch '%s' (%s): "
			       "loaded on top, update '%s' would silently revert that fix",
			       h->obj, h->func, h->patch, who, pkg->id);
			refused = 1;
		}
	if (refused)
		hs_err(ctx, "update '%s' refused: build it with 'hotsplice create --on-top-of' the "
		       "applied updates (a cumulative update), or undo them first; nothing was changed",
		       pkg->id);
	return refused ? -HS_EREFUSED : 0;
}

static int is_live(const struct hs_lp_live *live, const char *patch)
{
	return hs_pkg_has_str(live->patches, live->npatches, patch);
}

/*
 * A cumulative update: atomic replace takes out every other livepatch, so
 * each must be one of its base, and (but when replaying, where the state's
 * order decides) each of its base must be live.
 */
static int check_base(const struct hs_ctx *ctx, const struct hs_lp_live *live,
		      const struct hs_state *st, const struct hs_pkg *pkg, int replaying)
{
	int refused = 0;

	for (size_t i = 0; i < live->npatches; i++) {
		const struct hs_state_entry *e = hs_cumul_owner(st, live->patches[i]);

		if (!strcmp(live->patches[i], pkg->module))
			continue;
		if (!e)
			hs_err(ctx, "livepatch '%s' is loaded and is not a hotsplice update: cumulative "
			       "update '%s' would replace it without carrying its fix",
			       live->patches[i], pkg->id);
		else if (!hs_pkg_has_str(pkg->base, pkg->nbase, e->id))
			hs_err(ctx, "update '%s' is applied, but cumulative update '%s' was not built "
			       "on top of it: it would take it out", e->id, pkg->id);
		refused |= !e || !hs_pkg_has_str(pkg->base, pkg->nbase, e->id);
	}
	for (size_t i = 0; i < pkg->nbase && !replaying; i++) {
		const struct hs_state_entry *e = hs_state_find(st, pkg->base[i]);

		if (e && !e->superseded_by && hs_state_entry_is_running(e) && is_live(live, e->module))
			continue;
		hs_err(ctx, "cumulative update '%s' is built on top of update '%s', which is not "
		       "applied%s%s%s", pkg->id, pkg->base[i], e && e->superseded_by ?
		       " (replaced by '" : "", e && e->superseded_by ? e->superseded_by : "",
		       e && e->superseded_by ? "')" : "");
		refused = 1;
	}
	if (refused)
		hs_err(ctx, "update '%s' refused: what it was built on is not what is applied; "
		       "nothing was changed", pkg->id);
	return refused ? -HS_EREFUSED : 0;
}

int hs_cumul_check(const struct hs_ctx *ctx, const struct hs_lp_live *live,
		   const struct hs_state *st, const struct hs_pkg *pkg,
		   const struct hs_runpre *rp, int replaying)
{
	if (hs_pkg_cumulative(pkg))
		return check_base(ctx, live, st, pkg, replaying);
	return check_stacking(ctx, live, st, pkg, rp);
}

void hs_cumul_unload_replaced(const struct hs_ctx *ctx, const struct hs_state *st,
			      const struct hs_pkg *pkg)
{
	struct hs_lp_env env;

	hs_lp_env_init(&env);
	for (size_t i = 0; i < pkg->nbase; i++) {
		const struct hs_state_entry *e = hs_state_find(st, pkg->base[i]);

		if (!e)
			continue;
		/* the kernel frees a replaced patch after the transition, asynchronously */
		for (int k = 0; k < 200 && hs_lp_exists(&env, e->module); k++)
			usleep(25000);
		if (hs_lp_unload_module(ctx, e->module))
			hs_warn(ctx, "update '%s': its livepatch '%s' was replaced by '%s' but its module "
				"stays loaded", e->id, e->module, pkg->id);
		else
			hs_info(ctx, "update '%s' replaced: livepatch '%s' unloaded", e->id, e->module);
	}
}

int hs_cumul_restore(const struct hs_ctx *ctx, const struct hs_state *st, const char *id,
		     double timeout)
{
	int err = 0;

	for (size_t i = 0; i < st->n && !err; i++) {
		const struct hs_state_entry *e = &st->v[i];
		struct hs_apply_opts o = { .timeout = timeout, .restoring = 1 };
		char *path;

		if (!e->superseded_by || strcmp(e->superseded_by, id))
			continue;
		path = hs_state_package_path(st, e->id);
		if (!path)
			return -ENOMEM;
		hs_lp_unload_module(ctx, e->module);	/* a leftover of the replace */
		o.package = path;
		err = hs_apply(ctx, &o);
		free(path);
		if (err)
			hs_err(ctx, "update '%s' (replaced by '%s') cannot be applied again", e->id, id);
		else
			hs_info(ctx, "update '%s' live again under '%s'", e->id, id);
	}
	if (err)
		hs_cumul_unrestore(ctx, st, id);
	return err;
}

void hs_cumul_unrestore(const struct hs_ctx *ctx, const struct hs_state *st, const char *id)
{
	struct hs_lp_env env;

	hs_lp_env_init(&env);
	for (size_t i = st->n; i-- > 0;) {
		const struct hs_state_entry *e = &st->v[i];

		if (!e->superseded_by || strcmp(e->superseded_by, id) ||
		    !hs_lp_exists(&env, e->module))
			continue;
		if (hs_lp_disable_unload(ctx, &env, e->module))
			hs_err(ctx, "livepatch '%s' of update '%s' stays loaded: see 'hotsplice list'",
			       e->module, e->id);
	}
}
