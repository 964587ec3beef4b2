// SPDX-License-Identifier: GPL-2.0
/* status.c - reconcile the state store with the running kernel's livepatches. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "target/cumulative.h"
#include "target/livepatch.h"
#include "target/status.h"

const char *hs_item_state_name(enum hs_item_state st)
{
	static const char *const names[] = {
		[HS_ITEM_APPLIED] = "applied",
		[HS_ITEM_NOT_LOADED] = "not-loaded",
		[HS_ITEM_OTHER_KERNEL] = "other-kernel",
		[HS_ITEM_UNRECORDED] = "unrecorded",
		[HS_ITEM_TRANSITION] = "in-transition",
		[HS_ITEM_SUPERSEDED] = "replaced",
	};
	return names[st];
}

int hs_status_for_this_kernel(const struct hs_status *s, const struct hs_state_entry *e)
{
	return hs_state_entry_matches(e, s->release, s->version);
}

static int add_item(struct hs_status *s, const struct hs_state_entry *e, const char *lp,
		    enum hs_item_state state)
{
	struct hs_item *v = realloc(s->items, (s->nitems + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->items = v;
	v[s->nitems].e = e;
	v[s->nitems].livepatch = lp ? strdup(lp) : NULL;
	v[s->nitems].state = state;
	s->nitems++;
	return 0;
}

static enum hs_item_state entry_state(const struct hs_status *s, const struct hs_lp_env *env,
				      const struct hs_state_entry *e)
{
	if (!hs_status_for_this_kernel(s, e))
		return HS_ITEM_OTHER_KERNEL;
	if (e->superseded_by && !hs_lp_exists(env, e->module))
		return HS_ITEM_SUPERSEDED;
	if (!hs_lp_exists(env, e->module))
		return HS_ITEM_NOT_LOADED;
	if (hs_lp_read(env, e->module, "enabled") != 1 ||
	    hs_lp_read(env, e->module, "transition") != 0)
		return HS_ITEM_TRANSITION;
	return HS_ITEM_APPLIED;
}

static int add_unrecorded(struct hs_status *s, const struct hs_lp_env *env)
{
	DIR *d = opendir(env->sysfs);
	struct dirent *de;
	int err = 0;

	if (!d)
		return 0;	/* no livepatch loaded, or no livepatch support */
	while ((de = readdir(d)) && !err) {
		int known = 0;

		if (de->d_name[0] == '.')
			continue;
		for (size_t i = 0; i < s->st.n; i++)
			known |= !strcmp(s->st.v[i].module, de->d_name) &&
				 hs_status_for_this_kernel(s, &s->st.v[i]);
		if (!known)
			err = add_item(s, NULL, de->d_name, HS_ITEM_UNRECORDED);
	}
	closedir(d);
	return err;
}

/* True if livepatch @name is recorded in @st for the kernel running now. */
static int recorded_here(const struct hs_state *st, const char *name)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].module, name) && hs_state_entry_is_running(&st->v[i]))
			return 1;
	return 0;
}

/* Does the intent note name update @id as one its cumulative update replaces? */
static bool in_intent_base(const struct hs_state *st, const char *id)
{
	for (size_t i = 0; i < st->nintent_base; i++)
		if (!strcmp(st->intent_base[i], id))
			return true;
	return false;
}

/*
 * The recorded, live updates of this kernel that the unrecorded cumulative
 * update @name replaced (atomic replace) before its apply could record it: the
 * intent note lists them, and their livepatches are gone. Marked superseded by
 * @name in memory (for hs_cumul_restore()); returns how many.
 */
static size_t mark_replaced(const struct hs_ctx *ctx, const struct hs_lp_env *env,
			    struct hs_state *st, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < st->n; i++) {
		struct hs_state_entry *e = &st->v[i];

		if (!hs_state_entry_is_running(e) || e->superseded_by ||
		    !in_intent_base(st, e->id) || hs_lp_exists(env, e->module))
			continue;
		e->superseded_by = strdup(name);
		n += e->superseded_by != NULL;
		/* a replaced patch cannot be enabled again: its module has to be loaded anew */
		if (hs_lp_module_loaded(env, e->module))
			hs_lp_unload_module(ctx, e->module);
	}
	return n;
}

static void unmark_replaced(struct hs_state *st, const char *name)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].superseded_by && !strcmp(st->v[i].superseded_by, name)) {
			free(st->v[i].superseded_by);
			st->v[i].superseded_by = NULL;
		}
}

/*
 * Before the unrecorded livepatch @name goes: the recorded updates it replaced
 * come back first (never lose a live fix). 0 when there were none or they are
 * live again; else an error, and @name stays.
 */
static int restore_replaced(const struct hs_ctx *ctx, const struct hs_lp_env *env,
			    struct hs_state *st, const char *name)
{
	size_t n = mark_replaced(ctx, env, st, name);
	int err = 0;

	if (n) {
		hs_warn(ctx, "livepatch '%s' replaced %zu recorded update%s before it was recorded: applying %s again first",
			name, n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
		err = hs_cumul_restore(ctx, st, name, env->timeout);
	}
	unmark_replaced(st, name);
	return err;
}

int hs_reconcile(const struct hs_ctx *ctx, const struct hs_lp_env *env, struct hs_state *st)
{
	const char *name = st->intent;
	int err;

	if (!name)
		return 0;
	if ((hs_lp_exists(env, name) || hs_lp_module_loaded(env, name)) &&
	    !recorded_here(st, name)) {
		hs_warn(ctx, "livepatch '%s' is loaded but not recorded (an apply was interrupted or could not roll back): taking it out",
			name);
		if (hs_lp_exists(env, name) && restore_replaced(ctx, env, st, name)) {
			hs_err(ctx, "livepatch '%s' stays loaded, unrecorded: the updates it replaced could not be applied again, and without it their fixes would be lost; the next apply, undo or replay tries again",
			       name);
			return 0;
		}
		err = hs_lp_disable_unload(ctx, env, name);
		if (err) {
			hs_err(ctx, "livepatch '%s' could not be taken out: %s; it stays loaded, retry later",
			       name, hs_strerror(err));
			return err;
		}
		hs_info(ctx, "livepatch '%s' taken out: the kernel is as the state records", name);
	}
	return hs_state_intent_clear(ctx, st);
}

int hs_status_load(const struct hs_ctx *ctx, const char *root, struct hs_status *s)
{
	struct hs_lp_env env;
	struct utsname u;
	int err;

	memset(s, 0, sizeof(*s));
	s->st.lockfd = -1;
	uname(&u);
	snprintf(s->release, sizeof(s->release), "%s", u.release);
	snprintf(s->version, sizeof(s->version), "%s", u.version);
	err = hs_state_open_ro(ctx, root, &s->st);
	if (err)
		return err;
	hs_lp_env_init(&env);
	for (size_t i = 0; i < s->st.n && !err; i++) {
		const struct hs_state_entry *e = &s->st.v[i];
		enum hs_item_state state = entry_state(s, &env, e);

		err = add_item(s, e, state == HS_ITEM_OTHER_KERNEL || state == HS_ITEM_NOT_LOADED ?
			       NULL : e->module, state);
	}
	err = err ?: add_unrecorded(s, &env);
	if (err)
		hs_status_free(s);
	return err;
}

void hs_status_free(struct hs_status *s)
{
	for (size_t i = 0; i < s->nitems; i++)
		free(s->items[i].livepatch);
	free(s->items);
	hs_state_close(&s->st);
	memset(s, 0, sizeof(*s));
	s->st.lockfd = -1;
}

void hs_status_effective(const struct hs_status *s, char *buf, size_t size)
{
	const char *deb;

	for (size_t i = s->nitems; i-- > 0;)
		if (s->items[i].state == HS_ITEM_APPLIED && s->items[i].e->effective) {
			snprintf(buf, size, "%s", s->items[i].e->effective);
			return;
		}
	deb = strstr(s->version, "Debian ");
	if (deb) {
		snprintf(buf, size, "%s", deb + strlen("Debian "));
		buf[strcspn(buf, " ")] = 0;
		return;
	}
	snprintf(buf, size, "%s", s->release);
}
