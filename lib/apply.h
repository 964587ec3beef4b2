/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apply.h - verify an update package against the running kernel and switch the
 * kernel to it; take updates back out. The stages, in order:
 *
 *   read     package format, digests, manifest fields
 *   kernel   target release and version string against uname(2)
 *   state    lock the state store; refuse an update already applied
 *   runpre   run-pre match every replaced function; resolve symbol positions
 *   fit      rewrite the module's livepatch symbols with those positions
 *   --- nothing has changed until here; `check` stops before this line ---
 *   enable   load the module, wait for the transition (reversed on failure)
 *   record   store the package and the new state (module unloaded on failure)
 */
#ifndef HS_APPLY_H
#define HS_APPLY_H

#include "hotsplice.h"

struct hs_apply_opts {
	const char *package;	/* path of the update package */
	const char *state_root;	/* NULL: hs_state_default_root() */
	double timeout;		/* transition timeout in seconds (0: 60) */
	int check_only;		/* verify only, change nothing */
	const char *kallsyms;	/* NULL: /proc/kallsyms */
	const char *kcore;	/* NULL: /proc/kcore */
};

/*
 * Verify (and unless check_only, apply) one update. Returns 0,
 * -HS_EMISMATCH / -HS_EREFUSED when it does not fit this kernel (reasons
 * logged), -HS_ENOCHANGE when it is already applied, -ETIMEDOUT when the
 * transition did not finish (the kernel is back as before), or another error.
 */
int hs_apply(const struct hs_ctx *ctx, const struct hs_apply_opts *o);

struct hs_undo_opts {
	const char *id;		/* NULL with all: every update, newest first */
	int all;
	const char *state_root;
	double timeout;
};

/*
 * Take one update (or all, newest first) back out of the running kernel and
 * the state. Refuses an update that a later one stacks on (same function)
 * unless undoing all. Returns 0, -ENOENT (no such update), -HS_EREFUSED, or
 * another error.
 */
int hs_undo(const struct hs_ctx *ctx, const struct hs_undo_opts *o);

#endif
