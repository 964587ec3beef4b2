/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modfix.h - read the livepatch symbols ".klp.sym.<obj>.<name>,<pos>" of a
 * livepatch module: create records them in the MANIFEST, the target proves
 * their positions (prove.h). The module itself is never changed after it is
 * built (it may be signed).
 */
#ifndef HS_MODFIX_H
#define HS_MODFIX_H

#include <stddef.h>

#include "hotsplice.h"

/* One livepatch symbol of a module. */
struct hs_klpsym {
	char *obj;		/* "vmlinux" or a module name */
	char *name;
	unsigned long pos;
};

/*
 * List the ".klp.sym." symbols of the module image @ko (@len bytes).
 * Returns the count (>= 0) with a malloc'd array in *@syms, or a negative error.
 */
int hs_modfix_list(const struct hs_ctx *ctx, const void *ko, size_t len,
		   struct hs_klpsym **syms);

void hs_modfix_free(struct hs_klpsym *syms, int n);

#endif
