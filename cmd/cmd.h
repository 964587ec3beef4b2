/* SPDX-License-Identifier: GPL-2.0 */
/* cmd.h - the subcommand table and the helpers every subcommand shares. */
#ifndef HS_CMD_H
#define HS_CMD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/hotsplice.h"

/* Exit codes shared by every subcommand (see hotsplice(1)). */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_NOTHING = 3,
	EXIT_REFUSED = 4,
};

struct hs_cmd {
	const char *name;
	int (*run)(struct hs_ctx *ctx, int argc, char **argv); /* NULL: not built yet */
	const char *summary;
	const char *usage;	/* identical to the man page's SYNOPSIS */
};

/* `hotsplice diff-objects` (cmd/diff.c). */
int cmd_diff_objects(struct hs_ctx *ctx, int argc, char **argv);

/* hotsplice match-objects (cmd/match.c). */
int cmd_match_objects(struct hs_ctx *ctx, int argc, char **argv);

/* The verbs of the running kernel (cmd/apply.c, undo.c, list.c, uname.c). */
int cmd_create(struct hs_ctx *ctx, int argc, char **argv);
int cmd_show(struct hs_ctx *ctx, int argc, char **argv);
int cmd_apply(struct hs_ctx *ctx, int argc, char **argv);
int cmd_check(struct hs_ctx *ctx, int argc, char **argv);
int cmd_undo(struct hs_ctx *ctx, int argc, char **argv);
int cmd_list(struct hs_ctx *ctx, int argc, char **argv);
int cmd_uname(struct hs_ctx *ctx, int argc, char **argv);

/* The subcommand named @name, or NULL. */
const struct hs_cmd *hs_cmd_find(const char *name);

/* Print @cmd's usage to stdout (for --help) or stderr (after a usage error). */
void hs_cmd_usage(const struct hs_cmd *cmd, int to_stderr);

/* hotsplice build-module (cmd/build_module.c). */
int cmd_build_module(struct hs_ctx *ctx, int argc, char **argv);

/* hotsplice build-objects (cmd/build_objects.c). */
int cmd_build_objects(struct hs_ctx *ctx, int argc, char **argv);

/* hotsplice replay (cmd/replay.c). */
int cmd_replay(struct hs_ctx *ctx, int argc, char **argv);

/* hotsplice deb (cmd/deb.c). */
int cmd_deb(struct hs_ctx *ctx, int argc, char **argv);

/* hotsplice where (cmd/where.c). */
int cmd_where(struct hs_ctx *ctx, int argc, char **argv);

/*
 * Catch SIGINT, SIGTERM and SIGHUP from now on: instead of killing the command
 * half-way through a change, they set the returned flag, which the library
 * checks while it waits (an apply then reverses its transition and unloads).
 */
const volatile sig_atomic_t *hs_cmd_catch_signals(void);

/*
 * From now on, SIGINT, SIGTERM and SIGHUP first leave a process that removes the
 * temporary work directories of this one once it is gone (hs_tmpdirs_remove_after_exit()),
 * then kill it as before: create and the build commands change nothing on the machine,
 * but a work directory can be gigabytes.
 */
void hs_cmd_remove_tmpdirs_on_signal(void);

/* Parse @arg, the value of option @opt, as a positive number of seconds. 0 or -1 (logged). */
int hs_cmd_seconds(const struct hs_ctx *ctx, const char *opt, const char *arg, double *out);

/* Parse @arg, the value of option @opt, as a positive count. 0 or -1 (logged). */
int hs_cmd_parse_count(const struct hs_ctx *ctx, const char *opt, const char *arg, size_t *out);

/* Map a negative library error to the exit codes above. */
int hs_exit_code(int err);

/* Whether the environment variable @name is set to something other than "" or "0". */
bool hs_cmd_env_flag(const char *name);

#endif
