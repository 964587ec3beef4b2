/* SPDX-License-Identifier: GPL-2.0 */
/*
 * replay.h - at boot, re-apply the recorded updates that target the running
 * kernel, in their recorded order, through the same verified path as apply.
 *
 * Every recorded update gets one outcome line, logged and written to the
 * kernel log (/dev/kmsg):
 *
 *   replay: update 'ID' applied (N functions)
 *   replay: update 'ID' skipped: already applied
 *   replay: update 'ID' skipped: recorded for kernel RELEASE, not this one
 *   replay: update 'ID' skipped: it replaces functions of 'OLDER', which was not applied
 *   replay: update 'ID' skipped: replaced by cumulative update 'NEWER'
 *   replay: update 'ID' failed: REASON
 *
 * then one summary line. The opt-outs (the file /etc/hotsplice/disable, the
 * word hotsplice=off on the kernel command line) stop replay before it reads
 * anything. Replay leaves a one-line marker in /run/hotsplice/replay saying
 * what it did at this boot, which `hotsplice list` reports.
 */
#ifndef HS_REPLAY_H
#define HS_REPLAY_H

#include <stddef.h>

#include "core/hotsplice.h"

struct hs_replay_opts {
	const char *state_root;		/* NULL: hs_state_default_root() */
	const char *disable_file;	/* NULL: /etc/hotsplice/disable */
	const char *cmdline;		/* NULL: /proc/cmdline */
	const char *kmsg;		/* NULL: /dev/kmsg; "": no kernel log */
	const char *run_dir;		/* NULL: hs_replay_run_dir() */
	double timeout;			/* transition timeout per update (0: apply's default) */
};

struct hs_replay_result {
	int disabled;		/* an opt-out was in effect: nothing was read or applied */
	size_t applied;		/* applied now */
	size_t already;		/* already loaded, left alone */
	size_t other_kernel;	/* recorded for another kernel, kept */
	size_t failed;		/* failed, or skipped because an older one they stack on failed */
	size_t superseded;	/* replaced by a cumulative update: not live, not applied */
};

/* The directory of replay's marker: $HOTSPLICE_RUN, else /run/hotsplice. */
const char *hs_replay_run_dir(void);

/*
 * Why replay is disabled at this boot ("hotsplice=off on the kernel command
 * line", "/etc/hotsplice/disable exists"), written into @why; 0 when it is
 * not disabled, 1 when it is. Only @disable_file and @cmdline of @o are used.
 */
int hs_replay_disabled(const struct hs_replay_opts *o, char *why, size_t size);

/*
 * Replay the recorded updates (see above) and fill @r. Returns 0 when every
 * update for this kernel is applied (or replay is disabled), -HS_EREFUSED when
 * some failed or were skipped because of one that failed (the others were
 * still applied), the state store's error (e.g. -HS_EFORMAT) when it cannot be
 * read — then nothing is applied — or another negative error.
 */
int hs_replay(const struct hs_ctx *ctx, const struct hs_replay_opts *o,
	      struct hs_replay_result *r);

/*
 * The marker replay left at this boot in @run_dir (NULL: hs_replay_run_dir()),
 * one line such as "disabled: hotsplice=off on the kernel command line" or
 * "2 applied, 0 already applied, 1 for another kernel, 0 failed", written into
 * @buf. Returns 0, or -ENOENT when replay has not run since boot.
 */
int hs_replay_marker(const char *run_dir, char *buf, size_t size);

#endif
