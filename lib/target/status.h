/* SPDX-License-Identifier: GPL-2.0 */
/*
 * status.h - what is applied: the state store reconciled with the kernel's
 * /sys/kernel/livepatch, and the effective kernel version.
 */
#ifndef HS_STATUS_H
#define HS_STATUS_H

#include <stddef.h>

#include "target/livepatch.h"
#include "target/state.h"

enum hs_item_state {
	HS_ITEM_APPLIED,	/* recorded and loaded and enabled */
	HS_ITEM_NOT_LOADED,	/* recorded for this kernel, but not in the kernel */
	HS_ITEM_OTHER_KERNEL,	/* recorded for another kernel */
	HS_ITEM_UNRECORDED,	/* a livepatch in the kernel that the state does not know */
	HS_ITEM_TRANSITION,	/* recorded and loaded, transition running or disabled */
	HS_ITEM_SUPERSEDED,	/* replaced by a cumulative update that includes it: not loaded */
};

struct hs_item {
	const struct hs_state_entry *e;	/* NULL for HS_ITEM_UNRECORDED */
	char *livepatch;		/* the kernel's name for it, if loaded */
	enum hs_item_state state;
};

struct hs_status {
	struct hs_state st;
	struct hs_item *items;
	size_t nitems;
	char release[128];		/* this kernel's uname -r */
	char version[256];		/* and uname -v */
};

/*
 * Bring the kernel back to what the state @st records, after an apply that was
 * killed between enabling its livepatch and recording it, or whose rollback
 * could not finish: the livepatch the state's intent note names (see
 * state.h), if loaded but not recorded for this kernel, is disabled (its
 * transition waited for, @env's timeout) and unloaded, saying so; then the
 * note is removed. Recording it instead is neither possible (its package may
 * not have been stored) nor safe (the record is what apply writes last, after
 * every check). Livepatches hotsplice did not note are left alone. Call with
 * the state locked for writing. Returns 0, or an error (the livepatch is named,
 * stays, and the note with it).
 */
int hs_reconcile(const struct hs_ctx *ctx, const struct hs_lp_env *env, struct hs_state *st);

/* Load and reconcile. Returns 0 or a negative error (the state is damaged, ...). */
int hs_status_load(const struct hs_ctx *ctx, const char *root, struct hs_status *s);

void hs_status_free(struct hs_status *s);

/* Short word for an item state ("applied", "not-loaded", ...). */
const char *hs_item_state_name(enum hs_item_state st);

/*
 * The effective kernel version: the declared effective version of the newest
 * applied update, else this kernel's own Debian version ("Debian X" in uname -v),
 * else its release. Written into @buf.
 */
void hs_status_effective(const struct hs_status *s, char *buf, size_t size);

/* True if @e was recorded for the running kernel. */
int hs_status_for_this_kernel(const struct hs_status *s, const struct hs_state_entry *e);

#endif
