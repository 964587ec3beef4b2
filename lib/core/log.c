// SPDX-License-Identifier: GPL-2.0
/* log.c - the one print path of the library, and error descriptions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hotsplice.h"

static void print_stderr(void *arg, enum hs_level level, const char *msg)
{
	static const char *const prefix[] = {
		[HS_ERROR] = "error: ",
		[HS_WARN] = "warning: ",
		[HS_INFO] = "",
		[HS_DEBUG] = "debug: ",
	};

	(void)arg;
	fprintf(stderr, "%s%s\n", prefix[level], msg);
}

void hs_ctx_init(struct hs_ctx *ctx)
{
	ctx->print = print_stderr;
	ctx->print_arg = NULL;
	ctx->verbosity = HS_INFO;
	ctx->timing = 0;
}

void hs_mark(const struct hs_ctx *ctx, const char *stage)
{
	char buf[128];
	struct timespec ts;

	if (!ctx || !ctx->timing || !ctx->print)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, sizeof(buf), "timing: %s %lld.%06ld", stage, (long long)ts.tv_sec,
		 ts.tv_nsec / 1000);
	ctx->print(ctx->print_arg, HS_INFO, buf);
}

void hs_log(const struct hs_ctx *ctx, enum hs_level level, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	if (!ctx || !ctx->print || level > ctx->verbosity)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctx->print(ctx->print_arg, level, buf);
}

const char *hs_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case HS_EREFUSED:
		return "refused: cannot be applied safely";
	case HS_ENOCHANGE:
		return "no code change";
	case HS_EFORMAT:
		return "malformed input";
	case HS_EMISMATCH:
		return "running kernel does not match";
	}
	return strerror(err);
}

void hs_bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, msg);
	abort();
}
