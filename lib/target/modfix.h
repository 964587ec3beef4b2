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

#include "core/hotsplice.h"

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

/* Room for a module name: the kernel's MODULE_NAME_LEN. */
#define HS_MODNAME_SIZE 56

/*
 * The name the kernel registers module image @ko under: the name field of its
 * struct module (.gnu.linkonce.this_module), which its .modinfo "name=" must
 * repeat when present. Returns 0 with the name in @name, or -HS_EFORMAT with a
 * message when the image has none or the two disagree.
 */
int hs_modfix_name(const struct hs_ctx *ctx, const void *ko, size_t len,
		   char name[HS_MODNAME_SIZE]);

#endif
