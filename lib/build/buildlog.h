/* SPDX-License-Identifier: GPL-2.0 */
/* buildlog.h - find the lines of a failed build's output that say why it failed. */
#ifndef HS_BUILDLOG_H
#define HS_BUILDLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/hotsplice.h"

/* How many lines that say why a build failed are kept and shown, at most. */
#define HS_BUILDLOG_WHY_MAX 20

/*
 * True when @line of a compiler's or make's output says why a build failed:
 * a compiler's "error:", make's "*** ... Error N" naming the failing target,
 * "No such file or directory", "not found", "Permission denied", a linker's
 * "undefined reference", a crash ("Segmentation fault", "Killed").
 */
bool hs_buildlog_is_why(const char *line);

/*
 * The lines of a build's output that say why it failed, remembered as they
 * stream past (with -j, make interleaves the output of several jobs: the
 * lines that matter can be anywhere), each distinct line once.
 */
struct hs_buildlog_why {
	char line[HS_BUILDLOG_WHY_MAX][512];
	size_t n;
};

/* Remember @line in @why when it says why a build failed. */
void hs_buildlog_add(struct hs_buildlog_why *why, const char *line);

/*
 * Log as errors, each prefixed with @prefix, the lines of @text (a failed
 * build's whole output) that say why it failed. When @strip is non-NULL, a
 * line holding it is shown from after it (e.g. a shadow tree's path). When no
 * line says why, the last @tail lines are shown instead. Returns how many
 * lines said why.
 */
size_t hs_buildlog_report(const struct hs_ctx *ctx, const char *prefix, const char *text,
			  const char *strip, size_t tail);

#endif
