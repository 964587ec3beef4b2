/* SPDX-License-Identifier: GPL-2.0 */
/*
 * create_base.h - `create --on-top-of`: the earlier updates a cumulative
 * update is built on.
 *
 * Each earlier package carries its own patch (patch.diff) and, when it is
 * cumulative itself, the patches of the updates it carries
 * (includes/ID.diff). Applied in order to the pristine source, with the new
 * patch last, they give the post source; the one patch from the pristine
 * source to it (made here with diff -u) is what the rest of create compiles
 * and diffs, so the update carries every function of the earlier ones plus
 * the new ones, and its pre objects are the running kernel's code.
 */
#ifndef HS_CREATE_BASE_H
#define HS_CREATE_BASE_H

#include <stddef.h>
#include <stdio.h>

#include "core/hotsplice.h"
#include "build/create.h"
#include "package/package.h"

struct hs_create_base {
	struct hs_pkg *pkgs;	/* the --on-top-of packages, in order */
	size_t npkgs;
	char **ids;		/* every earlier update carried, oldest first */
	char **texts;		/* its patch */
	size_t *lens;
	size_t n;
	char **tops;		/* the packages no other one of them includes: the base */
	size_t ntops;
};

/*
 * Read the packages @paths (@n of them) and check that each is for the
 * kernel @release / @version; collect the updates they carry. Returns 0,
 * -HS_EREFUSED (named: another kernel, the same update twice) or an error.
 */
int hs_create_base_load(const struct hs_ctx *ctx, const char *const *paths, size_t n,
			const char *release, const char *version, struct hs_create_base *b);

/*
 * Write to @out the patch from the tree @source to @source with every
 * earlier patch of @b and then @patch applied (made in @workdir/combine).
 * Returns 0, -EINVAL (a patch does not apply on top of the earlier ones,
 * logged) or another error.
 */
int hs_create_base_combine(const struct hs_ctx *ctx, const struct hs_create_base *b,
			   const char *source, const char *patch, const char *workdir,
			   const char *out);

/* Record @b in @pkg: its base and includes lines and includes/ID.diff members. */
int hs_create_base_fill(const struct hs_create_base *b, struct hs_pkg *pkg);

void hs_create_base_free(struct hs_create_base *b);

/*
 * A release update (release.h): record in @pkg its atomic replace, the updates
 * it replaces (o->replaces), its two versions and its report member.
 */
int hs_create_release_fill(const struct hs_create_opts *o, struct hs_pkg *pkg);

/*
 * Append to @f the unified diff (diff -u -N, labels a/@rel and b/@rel) of
 * file @rel between the trees @a and @b; a file missing on one side is
 * empty there. Returns 0 or a negative error.
 */
int hs_diff_u(const struct hs_ctx *ctx, const char *a, const char *b, const char *rel, FILE *f);

#endif
