/* SPDX-License-Identifier: GPL-2.0 */
/*
 * livepatch.h - drive the kernel's livepatch subsystem: load a patch module,
 * wait for its transition (naming the tasks that hold it back), disable,
 * reverse and unload. All paths are relative to a root so tests can point
 * them elsewhere.
 */
#ifndef HS_LIVEPATCH_H
#define HS_LIVEPATCH_H

#include <signal.h>
#include <stddef.h>

#include "core/hotsplice.h"

struct hs_lp_env {
	const char *sysfs;	/* "/sys/kernel/livepatch" */
	const char *proc;	/* "/proc" */
	double timeout;		/* seconds to wait for a transition */
	double signal_after;	/* seconds before sending the 'signal' nudge */
	/* set (by the caller's signal handler) to give up waiting, like a timeout */
	const volatile sig_atomic_t *cancel;
};

/* Default paths and timeouts (60 s, nudge after 1.5 s). */
void hs_lp_env_init(struct hs_lp_env *env);

/*
 * Load the module image @image (@len bytes) with finit_module(2), passing
 * @params. Returns 0 or -errno with a message naming @name.
 */
int hs_lp_load_module(const struct hs_ctx *ctx, const char *name, const void *image,
		      size_t len, const char *params);

/* Unload module @name with delete_module(2), retrying briefly while it is busy. */
int hs_lp_unload_module(const struct hs_ctx *ctx, const char *name);

/*
 * 1 if module @name is loaded (a line of @env's /proc/modules), 0 if not. A
 * livepatch whose disabling finished has left /sys/kernel/livepatch while its
 * module stays loaded.
 */
int hs_lp_module_loaded(const struct hs_lp_env *env, const char *name);

/* 1 if /sys/kernel/livepatch/@name exists, 0 if not. */
int hs_lp_exists(const struct hs_lp_env *env, const char *name);

/* Read the integer in /sys/kernel/livepatch/@name/@file; -errno on failure. */
int hs_lp_read(const struct hs_lp_env *env, const char *name, const char *file);

/*
 * Wait until @name's transition is over. While waiting, send the kernel's
 * 'signal' nudge once and, on timeout, name each task still in the old state
 * and the function at the top of its kernel stack. Returns 0 when done,
 * -ETIMEDOUT when it was not, -EINTR when env->cancel was set.
 */
int hs_lp_wait(const struct hs_ctx *ctx, const struct hs_lp_env *env, const char *name);

/*
 * Disable livepatch @name (or reverse its running transition), wait for that
 * transition, then unload the module. Returns 0 or a negative error.
 */
int hs_lp_disable_unload(const struct hs_ctx *ctx, const struct hs_lp_env *env,
			 const char *name);

/*
 * Take livepatch @name out: disable it, wait for the transition, unload the
 * module. If the transition does not finish in time (or env->cancel is set),
 * it is reversed, so the patch stays enabled exactly as before, and
 * -ETIMEDOUT (or -EINTR) is returned. Returns 0 or a negative error.
 */
int hs_lp_undo(const struct hs_ctx *ctx, const struct hs_lp_env *env, const char *name);

/*
 * Load a livepatch module and wait until the whole system runs the new code.
 * On any failure the kernel is brought back to where it was: the transition
 * is reversed and the module unloaded. Returns 0, -ETIMEDOUT or -errno.
 */
int hs_lp_enable(const struct hs_ctx *ctx, const struct hs_lp_env *env, const char *name,
		 const void *image, size_t len, const char *params);

#endif
