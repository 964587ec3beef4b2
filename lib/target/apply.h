/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apply.h - verify an update package against the running kernel and switch the
 * kernel to it; take updates back out. The stages, in order:
 *
 *   read     package format, digests, manifest fields (the bytes read once);
 *            its signature against the trusted certificates (trust.h); a
 *            module this kernel would refuse to load (unsigned under
 *            sig_enforce/lockdown)
 *   kernel   target release and version string against uname(2)
 *   module   the module registers under the MANIFEST's module name
 *   state    lock the state store; refuse an update already applied
 *   runpre   run-pre match every replaced function; prove the symbol positions
 *            create decided (prove.h): the module is loaded as it is
 *   live     refuse a function a loaded livepatch already replaces, unless the
 *            update is cumulative over exactly the live ones (cumulative.h)
 *   --- nothing has changed until here; `check` stops before this line ---
 *   enable   note the intent in the state, load the module, wait for the
 *            transition (reversed on failure)
 *   record   store the package and the new state, clear the intent (taken back
 *            out on failure; a livepatch that could not be taken back out, or
 *            an apply killed before this stage, leaves the intent, and the next
 *            apply, undo or replay takes that livepatch out: hs_reconcile())
 */
#ifndef HS_APPLY_H
#define HS_APPLY_H

#include <signal.h>

#include "core/hotsplice.h"

struct hs_apply_opts {
	const char *package;	/* path of the update package */
	const char *state_root;	/* NULL: hs_state_default_root() */
	double timeout;		/* transition timeout in seconds (0: 60) */
	int check_only;		/* verify only, change nothing */
	const char *kallsyms;	/* NULL: /proc/kallsyms */
	const char *kcore;	/* NULL: /proc/kcore */
	const char *trusted;	/* NULL: hs_trust_default_dir() */
	const volatile sig_atomic_t *cancel; /* set by a signal handler: give up the
				 * transition (it is reversed, as on a timeout) */
	int replaying;		/* replay: the package is a recorded update (the state
				 * lists it, with the same module, kernel and functions);
				 * it is verified and enabled but not recorded again */
	int restoring;		/* undo of a cumulative update: a recorded update it
				 * superseded, loaded again stacked on it (replace=0);
				 * the state is the caller's: not opened, not recorded */
};

/*
 * Verify (and unless check_only, apply) one update. Returns 0,
 * -HS_EMISMATCH / -HS_EREFUSED when it does not fit this kernel (reasons
 * logged), -HS_ENOCHANGE when it is already applied (when replaying: its
 * livepatch is already loaded), -ETIMEDOUT when the transition did not finish
 * (the kernel is back as before), or another error. When replaying, a package
 * that disagrees with its record in the state is -HS_EFORMAT and an update no
 * longer recorded is -ENOENT.
 */
int hs_apply(const struct hs_ctx *ctx, const struct hs_apply_opts *o);

struct hs_undo_opts {
	const char *id;		/* NULL with all or purge */
	int all;		/* every update, newest first */
	int purge;		/* forget the updates recorded for other kernels */
	const char *state_root;
	double timeout;
};

/*
 * Take one update (or all, newest first) back out of the running kernel and
 * the state. Refuses an update that a later one stacks on (same function)
 * unless undoing all. With purge, only remove from the state (and its
 * package copies) the updates recorded for another kernel, never touching the
 * running kernel or its updates. Returns 0, -ENOENT (no such update),
 * -HS_EREFUSED, -HS_ENOCHANGE (purge: nothing recorded for another kernel),
 * or another error.
 */
int hs_undo(const struct hs_ctx *ctx, const struct hs_undo_opts *o);

/*
 * True if the comma-separated function lists @a and @b (a state entry's
 * funcs, "vmlinux:foo,ext4:bar") name a common function: a later update
 * replacing one of them stacks on the earlier one.
 */
int hs_funcs_overlap(const char *a, const char *b);

#endif
