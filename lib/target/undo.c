// SPDX-License-Identifier: GPL-2.0
/* undo.c - take applied updates back out of the running kernel and the state. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/apply.h"
#include "core/cache.h"
#include "target/cumulative.h"
#include "target/livepatch.h"
#include "target/state.h"
#include "target/status.h"

int hs_funcs_overlap(const char *a, const char *b)
{
	char *copy = strdup(a), *save = NULL;
	int found = 0;

	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !found;
	     t = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(t);

		for (const char *p = strstr(b, t); p && !found; p = strstr(p + 1, t))
			found = (p == b || p[-1] == ',') && (p[n] == 0 || p[n] == ',');
	}
	free(copy);
	return found;
}

static int undo_one(const struct hs_ctx *ctx, const struct hs_lp_env *env, struct hs_state *st,
		    const char *entry_id, int forget)
{
	const struct hs_state_entry *e = hs_state_find(st, entry_id);
	char *module = strdup(e->module), id[HS_PKG_ID_MAX + 1];
	int err = 0;

	/* @entry_id may be the entry's own string, freed when the entry is removed */
	snprintf(id, sizeof(id), "%s", entry_id);
	if (!module)
		return -ENOMEM;
	if (hs_lp_exists(env, module) && hs_lp_read(env, module, "enabled") == 1)
		err = hs_lp_undo(ctx, env, module);
	else if (hs_lp_exists(env, module))	/* disabled earlier: finish that */
		err = hs_lp_disable_unload(ctx, env, module);
	else
		hs_warn(ctx, "update '%s': its livepatch '%s' was not loaded; forgetting it", id,
			module);
	free(module);
	if (err) {
		hs_err(ctx, "update '%s' could not be undone; it stays applied", id);
		return err;
	}
	err = forget ? hs_state_forget(ctx, st, id) : hs_state_remove(ctx, st, id);
	if (!err)
		hs_mark(ctx, "recorded");
	if (!err)
		hs_info(ctx, "update '%s' undone", id);
	else
		hs_err(ctx, "update '%s' is out of the kernel but still recorded (replay would apply it again): run 'hotsplice undo %s' again to forget it",
		       id, id);
	return err;
}

static int supersedes(const struct hs_state *st, const char *id)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].superseded_by && !strcmp(st->v[i].superseded_by, id))
			return 1;
	return 0;
}

/*
 * A cumulative update: the updates it superseded are loaded again under it
 * first, then it is taken out, so that no fix is ever absent; when either
 * step fails, it stays applied alone, as before.
 */
static int undo_cumulative(const struct hs_ctx *ctx, const struct hs_lp_env *env,
			   struct hs_state *st, const char *id)
{
	int err = hs_cumul_restore(ctx, st, id, env->timeout);

	if (err) {
		hs_err(ctx, "update '%s' stays applied: the updates it replaced cannot be applied "
		       "again (see above)", id);
		return err;
	}
	err = undo_one(ctx, env, st, id, 0);
	if (err)
		hs_cumul_unrestore(ctx, st, id);
	return err;
}

/* The newest update applied to this kernel and live (not superseded), or NULL. */
static const char *newest_live(const struct hs_state *st)
{
	for (size_t i = st->n; i-- > 0;)
		if (!st->v[i].superseded_by && hs_state_entry_is_running(&st->v[i]))
			return st->v[i].id;
	return NULL;
}

/* Forget the updates recorded for another kernel; the running one is not touched. */
static int purge(const struct hs_ctx *ctx, struct hs_state *st)
{
	size_t i = 0, gone = 0;
	int err = 0;

	while (i < st->n && !err) {
		const struct hs_state_entry *e = &st->v[i];
		char *id, *release;

		if (hs_state_entry_is_running(e)) {
			i++;
			continue;
		}
		id = strdup(e->id);
		release = strdup(e->release);
		err = id && release ? hs_state_remove(ctx, st, id) : -ENOMEM;
		if (!err) {
			hs_info(ctx, "update '%s' (recorded for kernel %s) purged", id, release);
			gone++;
		}
		free(id);
		free(release);
	}
	if (!err && !gone) {
		hs_info(ctx, "no update is recorded for another kernel");
		err = -HS_ENOCHANGE;
	}
	return err;
}

int hs_undo(const struct hs_ctx *ctx, const struct hs_undo_opts *o)
{
	struct hs_lp_env env;
	struct hs_state st;
	size_t i;
	int err;

	hs_mark(ctx, "start");
	hs_lp_env_init(&env);
	if (o->timeout > 0)
		env.timeout = o->timeout;
	err = hs_state_open(ctx, o->state_root ?: hs_state_default_root(), &st);
	if (err)
		return err;
	if (o->purge) {
		err = purge(ctx, &st);
		goto out;
	}
	err = hs_reconcile(ctx, &env, &st);
	if (err)
		goto out;
	if (o->all) {
		const char *id;

		/* newest first, with what each superseded; other kernels' are left to --purge */
		while (!err && (id = newest_live(&st)))
			err = undo_one(ctx, &env, &st, id, 1);
		goto out;
	}
	for (i = 0; i < st.n && strcmp(st.v[i].id, o->id); i++)
		;
	if (i == st.n) {
		hs_err(ctx, "no applied update '%s' (see 'hotsplice list')", o->id);
		err = -ENOENT;
		goto out;
	}
	if (!hs_state_entry_is_running(&st.v[i])) {
		hs_err(ctx, "update '%s' was applied to another kernel (%s), not to this one; 'hotsplice undo --purge' forgets it",
		       o->id, st.v[i].release);
		err = -HS_EREFUSED;
		goto out;
	}
	if (st.v[i].superseded_by) {
		hs_err(ctx, "update '%s' was replaced by cumulative update '%s', which includes it: undo '%s' (then '%s' is live again), or use --all",
		       o->id, st.v[i].superseded_by, st.v[i].superseded_by, o->id);
		err = -HS_EREFUSED;
		goto out;
	}
	for (size_t k = i + 1; k < st.n; k++)
		if (!st.v[k].superseded_by && hs_funcs_overlap(st.v[i].funcs, st.v[k].funcs)) {
			hs_err(ctx, "update '%s' cannot be undone before '%s', which replaces the same functions; undo '%s' first, or use --all",
			       o->id, st.v[k].id, st.v[k].id);
			err = -HS_EREFUSED;
		}
	if (!err && supersedes(&st, o->id))
		err = undo_cumulative(ctx, &env, &st, o->id);
	else
		err = err ?: undo_one(ctx, &env, &st, o->id, 0);
out:
	hs_state_close(&st);
	return err;
}
