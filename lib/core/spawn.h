/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spawn.h - run external tools (make, gcc, patch) without a shell, with
 * their output passed line by line to the caller or kept in a log file.
 */
#ifndef HS_SPAWN_H
#define HS_SPAWN_H

#include <sys/types.h>

#include "core/hotsplice.h"

/* Called with each line (no newline) a child printed on stdout or stderr. */
typedef void (*hs_line_fn)(void *arg, const char *line);

/*
 * Run @argv (argv[0] looked up in $PATH) in directory @cwd (NULL: ours), with
 * stdin from /dev/null and stdout+stderr passed to @line (NULL: discarded).
 * Returns the exit status (0-255, 128+N for signal N), or -errno when the
 * program could not be started (logged, naming it).
 */
int hs_spawn_run(const struct hs_ctx *ctx, char *const argv[], const char *cwd,
		 hs_line_fn line, void *arg);

/*
 * Start @argv in @cwd without waiting, stdout+stderr appended to @log
 * (created). The pid goes to *@pid. Returns 0 or -errno.
 */
int hs_spawn_start(const struct hs_ctx *ctx, char *const argv[], const char *cwd,
		   const char *log, pid_t *pid);

/* Wait for @pid from hs_spawn_start(). Returns its status as hs_spawn_run() does. */
int hs_spawn_wait(pid_t pid);

#endif
