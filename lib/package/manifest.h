/* SPDX-License-Identifier: GPL-2.0 */
/* manifest.h - a package's MANIFEST: its text, parsed and checked (for package.c). */
#ifndef HS_MANIFEST_H
#define HS_MANIFEST_H

#include "core/strbuf.h"
#include "package/package.h"

/* Append @pkg's MANIFEST text to @b. Returns b->err: 0, -ENOMEM or -EINVAL. */
int hs_pkg_manifest_text(const struct hs_pkg *pkg, struct hs_strbuf *b);

/*
 * Fill @pkg from the MANIFEST @text (split in place) of the package @pkgpath.
 * 0, -ENOMEM or -HS_EFORMAT (the line named).
 */
int hs_pkg_manifest_parse(const struct hs_ctx *ctx, const char *pkgpath, struct hs_pkg *pkg,
			  char *text);

/*
 * Whether @pkg, as parsed, has what a package needs (id, release, module,
 * functions whose objects it carries), each value valid. 0 or -HS_EFORMAT.
 */
int hs_pkg_manifest_check(const struct hs_ctx *ctx, const char *path, const struct hs_pkg *pkg);

#endif
