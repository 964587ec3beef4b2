/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cumulative.h - what the running kernel's livepatches already replace, and
 * whether an update may go on top of them.
 *
 * Two livepatches that replace the same function stack: the newer one runs,
 * and since every update is built on the pristine source, it silently
 * reverts the older one's fix. So an update that replaces a function some
 * loaded livepatch (hotsplice's or any other tool's, as listed in
 * /sys/kernel/livepatch/<patch>/<object>/<function,sympos>) already replaces
 * is refused, unless it is cumulative: built on top of exactly the updates
 * that are live (`create --on-top-of`), carrying their functions, loaded
 * with the livepatch core's atomic replace so that it takes their place in
 * one transition.
 */
#ifndef HS_CUMULATIVE_H
#define HS_CUMULATIVE_H

#include <stddef.h>

#include "core/hotsplice.h"
#include "target/livepatch.h"
#include "package/package.h"
#include "target/runpre.h"
#include "target/state.h"

/* One function a loaded livepatch replaces. */
struct hs_lp_held {
	char *patch;		/* the livepatch (its module's name) */
	char *obj;		/* "vmlinux" or a module name */
	char *func;		/* the replaced function */
	unsigned long sympos;	/* its position as sysfs shows it (1: the first or only one) */
};

/* The livepatches loaded now: enabled, or in a transition. */
struct hs_lp_live {
	char **patches;
	size_t npatches;
	struct hs_lp_held *held;
	size_t nheld;
};

/*
 * Read env->sysfs (/sys/kernel/livepatch) into @out. A livepatch that is
 * disabled and not in a transition replaces nothing and is left out. No
 * livepatch directory (no CONFIG_LIVEPATCH) is an empty list. Returns 0 or
 * -errno; free with hs_lp_live_free().
 */
int hs_lp_live_scan(const struct hs_lp_env *env, struct hs_lp_live *out);
void hs_lp_live_free(struct hs_lp_live *l);

/* The applied update of @st (for the running kernel) whose livepatch is @module, or NULL. */
const struct hs_state_entry *hs_cumul_owner(const struct hs_state *st, const char *module);

/*
 * May @pkg go on top of the livepatches in @live? @rp holds run-pre's verdict
 * for each of @pkg's functions (their running positions). Refuses
 * (-HS_EREFUSED, one message per function: the function, its object, the
 * livepatch holding it and the update it belongs to) a non-cumulative update
 * that replaces a function a loaded livepatch replaces; refuses a cumulative
 * update whose base is not exactly what is live (a missing or extra update,
 * a livepatch of another tool), since atomic replace would take them out.
 * When @replaying, the state's order decides what is live: the base is not
 * compared, but other tools' livepatches still are. Returns 0 or -HS_EREFUSED.
 */
int hs_cumul_check(const struct hs_ctx *ctx, const struct hs_lp_live *live,
		   const struct hs_state *st, const struct hs_pkg *pkg,
		   const struct hs_runpre *rp, int replaying);

/*
 * After cumulative update @pkg took the place of its base: unload the
 * replaced livepatches' modules (the kernel disabled them; best effort,
 * warned about).
 */
void hs_cumul_unload_replaced(const struct hs_ctx *ctx, const struct hs_state *st,
			      const struct hs_pkg *pkg);

/*
 * Undo of cumulative update @id, first half: load the updates it superseded
 * again from their stored packages, in order, stacked on it (replace=0),
 * each verified by run-pre matching as apply does. On failure the ones
 * loaded are taken out again, so @id alone is live as before. Returns 0 or
 * the error.
 */
int hs_cumul_restore(const struct hs_ctx *ctx, const struct hs_state *st, const char *id,
		     double timeout);

/* Take out again the livepatches hs_cumul_restore() loaded for @id, newest first. */
void hs_cumul_unrestore(const struct hs_ctx *ctx, const struct hs_state *st, const char *id);

#endif
