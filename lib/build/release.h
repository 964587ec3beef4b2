/* SPDX-License-Identifier: GPL-2.0 */
/*
 * release.h - `create --kernel OLD --release NEW`: one update carrying every
 * change between two Debian versions of a kernel series that can go live on
 * OLD, with a verdict for each changed file.
 *
 * The changed files come from comparing the two source trees. Each is one of
 *
 *   live             its code change is in the update
 *   not-needed-live  nothing that runs changes: no change to the compiled objects
 *   refused          cannot go live (the reasons create gives: data layout,
 *                    initial values, init code, a partner file refused, ...)
 *   not-built        a .c file this configuration does not build, or another
 *                    architecture's
 *   not-code         documentation, tools, scripts, build files (listed apart)
 *
 * The built .c files are compiled pre and post in one batch first, into
 * the tree's object cache. Every code file (.c built here, header, assembly)
 * is then made alone (create's classification, nothing written), finding
 * its objects there. Those that do not compile
 * alone or need their partner files are then tried together with all the
 * live ones; what still fails is refused. The update is built from the
 * combined patch of the live files, loaded with atomic replace (it is the
 * one update of the machine). Its package holds the report
 * ("release-report": one "VERDICT<TAB>PATH<TAB>DETAIL" line per file); its
 * effective version is NEW only when no change is refused.
 */
#ifndef HS_RELEASE_H
#define HS_RELEASE_H

#include "build/create.h"

/*
 * Build the whole-release update from @o (o->source and o->headers: OLD's
 * tree and headers; o->patch is not used) to version @to whose source tree
 * is @to_source, @from being OLD's version. Prints the report. Returns 0
 * (package written), -HS_ENOCHANGE (no change can or needs to go live),
 * -HS_EREFUSED (nothing live but something refused) or another error.
 */
int hs_release_create(const struct hs_ctx *ctx, const struct hs_create_opts *o,
		      const char *from, const char *to, const char *to_source);

#endif
