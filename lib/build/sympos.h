/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sympos.h - decide, on the build host, the kallsyms position (sympos) of the
 * symbols an update names, from the exact target build: vmlinux's order is
 * the order of boot/System.map-<release> (kallsyms sorts vmlinux's symbols by
 * address, as System.map is), a module's is the order of its .ko's symbol
 * table (the kernel keeps it, less undefined, unnamed, non-allocated and init
 * symbols). The livepatch core counts same-named symbols of one object in
 * that order: sympos N is the N-th, 0 means "the name is unique".
 *
 * Which of several same-named symbols is the one of the patched file is told
 * by its neighbours: the symbols around the right copy are the file's own
 * (functions and data of one object file are laid out together), so the copy
 * with the most neighbours that the file's pre object defines, and that are
 * unique in the target, is taken. A tie is refused. Better evidence comes
 * first when vmlinux is read from its image: the code of a function of the
 * file that is unique in the target refers to the copy (a relocation of the
 * pre object to the symbol, its value read from the image's bytes at that
 * place: the address of the copy), the target's own proof done at build time.
 *
 * Run-pre matching on the target proves every position decided here
 * (see prove.h).
 */
#ifndef HS_SYMPOS_H
#define HS_SYMPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/elf.h"
#include "core/hotsplice.h"
#include "klp/klp.h"
#include "build/vmlinuz.h"

/* One object's symbols in kallsyms order. */
struct hs_symorder {
	char *obj;		/* "vmlinux" or a module name */
	char *text;		/* System.map text, or the names of a module's symbols */
	struct hs_symord_ent {
		const char *name;
		bool global;
		uint64_t addr;	/* vmlinux: link-time address (from the image), 0: unknown;
				 * a module: section index << 32 | offset in the .ko */
	} *ents;
	size_t n;
	size_t *by_name;	/* indexes of ents sorted by (name, index) */
	bool missing;		/* the object's file was not found: positions unknown */
	struct hs_vmlinuz *vz;	/* vmlinux read from its image: addresses and code */
	struct hs_elf *ko;	/* a module: its .ko (kobuf its bytes), with relocations */
	void *kobuf;
};

/* The copies of @name in @o, in kallsyms order: *@first points into o->by_name. */
size_t hs_symorder_copies(const struct hs_symorder *o, const char *name, const size_t **first);

/*
 * Among the @n copies of @name at @idx in @o, the one the code of the patched
 * file refers to (sympos_code.c): a relocation of pre object @pre to @name, in a
 * function that is unique in the target, read back from the target build at
 * the same place of that function: from vmlinux's image bytes (the address it
 * holds), or from the module's own relocation there (the symbol it names).
 * 1-based; 0 if no code tells, or two places disagree.
 */
unsigned long hs_sympos_by_code(const struct hs_symorder *o, const size_t *idx, size_t n,
				const struct hs_elf *pre, const char *name);

struct hs_sympos {
	const struct hs_ctx *ctx;
	char *root;		/* the target's root: boot/, lib/modules/ */
	char *release;
	struct hs_symorder *objs;
	size_t nobjs;
};

/*
 * Prepare to decide positions for kernel @release whose image package is
 * unpacked (or installed) under @root. Nothing is read yet. Returns 0 or -ENOMEM.
 */
int hs_sympos_open(const struct hs_ctx *ctx, const char *root, const char *release,
		   struct hs_sympos *sp);

void hs_sympos_close(struct hs_sympos *sp);

/*
 * The target root that kbuild headers @headers belong to: for
 * ROOT/usr/src/linux-headers-RELEASE (a symlink is followed), ROOT when
 * ROOT/boot/System.map-RELEASE exists. Malloc'd, or NULL.
 */
char *hs_sympos_root_of_headers(const char *headers, const char *release);

/*
 * Decide the position of symbol @name of object @obj ("vmlinux" or a module)
 * that the patched file, whose pre object is @pre, defines (@global false:
 * a static of the file) or refers to (@global true). *@pos is 0 when the
 * name is unique in the target. Returns 0, -HS_EREFUSED when the symbol is
 * not in the target or its copy cannot be told (named), or another error.
 * When the object's symbols cannot be read (no System.map or .ko under the
 * root), *@pos is 0 after a warning: the target refuses a name that is not
 * unique there.
 */
int hs_sympos_decide(struct hs_sympos *sp, const char *obj, const char *name, bool global,
		     const struct hs_elf *pre, unsigned long *pos);

/* The units of one update, for hs_sympos_klp_resolve(): post object i has pre object i. */
struct hs_sympos_units {
	struct hs_sympos *sp;
	const char *const *post;	/* as in hs_klp_opts.post */
	const struct hs_elf *const *pre;
	size_t n;
};

/*
 * Decide the positions of the @n functions @funcs of klp object @obj that
 * the file of pre object @pre replaces (their old names), into their sympos.
 * Returns 0, -HS_EREFUSED (every undecidable one named) or another error.
 */
int hs_sympos_decide_funcs(struct hs_sympos *sp, const char *obj, const struct hs_elf *pre,
			   struct hs_klp_func *funcs, size_t n);

/*
 * hs_klp_opts.resolve_sympos with @arg a struct hs_sympos_units: a module's
 * reference to a vmlinux symbol it may not import sets *@obj to "vmlinux".
 */
int hs_sympos_klp_resolve(void *arg, const struct hs_klp_opts *unit, const char **obj,
			  const char *name, bool global, unsigned long *pos);

#endif
