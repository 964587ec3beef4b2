/* SPDX-License-Identifier: GPL-2.0 */
/*
 * partner.h - is the other half of a fix missing from the patch?
 *
 * A fix that spans files, given to create one file at a time, can be worse
 * than none: seen on a real Debian stable fix, the patch moved work out of a
 * function into a new global function whose only callers were in another
 * file of the same fix; applied alone, that work was no longer done at all.
 */
#ifndef HS_PARTNER_H
#define HS_PARTNER_H

#include <stddef.h>

#include "diff/diff.h"
#include "build/kbuild.h"

/*
 * Refuse (-HS_EREFUSED, one message naming each symbol and its object) a new
 * global function or variable of the @n diffs @d that no code of the update
 * uses (no relocation of any post object outside its own section, export
 * tables and debug information left aside) while no file of the running
 * kernel's source can use it either (hs_kbuild_callers(): none names it).
 * Returns 0, -HS_EREFUSED or -errno.
 */
int hs_partner_check_unused(const struct hs_ctx *ctx, struct hs_kbuild *kb,
			    const struct hs_diff *d, size_t n);

#endif
