/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotsplice.h - the library's shared context, error codes and logging.
 *
 * Conventions for every lib/ function:
 *  - return 0 (or a count) on success and a negative value on failure:
 *    -errno, or one of the HS_E* codes below;
 *  - never exit() and never print directly: report through hs_log();
 *  - no mutable globals: state lives in struct hs_ctx and per-task structs.
 */
#ifndef HOTSPLICE_H
#define HOTSPLICE_H

#include <stdarg.h>
#include <stddef.h>

#define HS_VERSION "0.1.0"

/* Project error codes, beyond -errno (returned negated: -HS_EREFUSED). */
enum {
	HS_EBASE = 4096,
	HS_EREFUSED,	/* the change cannot be applied safely */
	HS_ENOCHANGE,	/* nothing to do: no code change */
	HS_EFORMAT,	/* malformed input: ELF, package, patch */
	HS_EMISMATCH,	/* running kernel does not match */
};

enum hs_level {
	HS_ERROR,
	HS_WARN,
	HS_INFO,
	HS_DEBUG,
};

typedef void (*hs_print_fn)(void *arg, enum hs_level level, const char *msg);

/* One per command invocation: where messages go and how many. */
struct hs_ctx {
	hs_print_fn print;	/* NULL: messages are dropped */
	void *print_arg;
	enum hs_level verbosity; /* messages above this level are dropped */
	int timing;		/* print stage marks (hs_mark), whatever the verbosity */
};

/* Initialise @ctx to print errors, warnings and info to stderr. */
void hs_ctx_init(struct hs_ctx *ctx);

/* Report one message through @ctx's print callback, printf-style. */
__attribute__((format(printf, 3, 4)))
void hs_log(const struct hs_ctx *ctx, enum hs_level level, const char *fmt, ...);

#define hs_err(ctx, ...)   hs_log(ctx, HS_ERROR, __VA_ARGS__)
#define hs_warn(ctx, ...)  hs_log(ctx, HS_WARN, __VA_ARGS__)
#define hs_info(ctx, ...)  hs_log(ctx, HS_INFO, __VA_ARGS__)
#define hs_debug(ctx, ...) hs_log(ctx, HS_DEBUG, __VA_ARGS__)

/*
 * Mark the end of stage @stage of a command, when @ctx->timing is set (HS_TIMING=1):
 * prints "timing: STAGE SECONDS", CLOCK_MONOTONIC, through the print callback at the
 * info level, so that a benchmark subtracts consecutive marks (see bench/).
 */
void hs_mark(const struct hs_ctx *ctx, const char *stage);

/* Describe a negative return value: strerror() or the HS_E* meaning. */
const char *hs_strerror(int err);

/* An internal bug: print where and abort. Never for user errors. */
#define HS_BUG(msg) hs_bug(__FILE__, __LINE__, msg)
__attribute__((noreturn)) void hs_bug(const char *file, int line, const char *msg);

#endif
