/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klp.h - build a livepatch kernel module from a post object and a list of functions.
 *
 * How a module is made (hs_klp_build() runs these stages in order):
 *
 *  1. extract (hs_klp_extract): from the post object, copy the sections of the
 *     functions to replace and the new functions (with their ".cold" parts),
 *     the new local data they need (string literals, __func__, WARN_ONCE flags,
 *     dynamic-debug descriptors, and data the caller names as new), and
 *     exactly the special-section entries (bug table, exception table,
 *     alternatives, jump labels, static calls, retpoline/return sites, mcount,
 *     ORC, smp locks, paravirt) that point into copied code. Each reference
 *     from copied code to anything not copied becomes
 *       - an undefined symbol of the same name when Module.symvers says it is
 *         exported (by another object than the patched one), or
 *       - an undefined symbol named ".klp.sym.<obj>.<name>,<sympos>" otherwise
 *         (static functions and variables, non-exported globals).
 *     Included functions keep their names but become local to the module, so
 *     they never clash with the kernel's; a global alias __hotsplice_func_<i>
 *     is what the glue points klp_func.new_func at.
 *  2. kbuild (hs_klp_kbuild): write the klp_func/klp_object/klp_patch glue and
 *     a Kbuild file, and let kbuild link the glue and the extracted object into
 *     a module against the target headers, so vermagic, modversions CRCs and
 *     .modinfo are the kernel's own. modpost only warns about the ".klp.sym."
 *     placeholders (KBUILD_MODPOST_WARN=1); ld keeps them undefined.
 *  3. finalize (hs_klp_finalize): rewrite the linked .ko with libelf into the
 *     format of Documentation/livepatch/module-elf-format.rst: every
 *     ".klp.sym." symbol gets st_shndx = SHN_LIVEPATCH, and every relocation
 *     against one moves from ".rela<sec>" to ".klp.rela.<obj>.<sec without its
 *     leading dot>" (SHF_ALLOC | SHF_RELA_LIVEPATCH), <obj> being the code's
 *     object, or vmlinux for a symbol of vmlinux (a module's sections may
 *     name only that module's symbols), which the kernel applies when the
 *     livepatch module loads (vmlinux) or the patched module loads.
 *
 * Several objects: units of different klp objects (vmlinux, modules) give one
 * klp_object each. A module's code sections are renamed by
 * hs_klp_code_sec_name(), which is how finalize knows their <obj>; a module's
 * code reaches its own symbols and other modules' exports through klp symbols
 * (those modules may load after the patch), vmlinux's exports by name and
 * the rest of vmlinux through vmlinux's klp symbols (resolve_sympos says so).
 *
 * Symbol positions: a local symbol's position is written as given in
 * hs_klp_opts.sympos, else as resolve_sympos decides (create decides it from
 * the target build, see sympos.h), else 0 ("unique"); a replaced function's
 * is hs_klp_func.sympos, written into its klp_func. The module is final when
 * built: the target proves the positions and never rewrites it (it may be signed).
 */
#ifndef HS_KLP_H
#define HS_KLP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/hotsplice.h"
#include "elf/kfacts.h"

/*
 * What the builder's warning says of a tracepoint in a module patch's new code,
 * whose jump-label entry it leaves out (klp_special.c): a release notes it in
 * the report of the file that brought the code in.
 */
#define HS_KLP_TRACEPOINT_OFF "does not fire in its new code while the update is live"

/* SHF_RELA_LIVEPATCH and SHN_LIVEPATCH from include/uapi/linux/elf.h. */
#define HS_SHF_RELA_LIVEPATCH	0x00100000
#define HS_SHN_LIVEPATCH	0xff20

/* One function to replace: @name in the post object, @old_name in the running kernel. */
struct hs_klp_func {
	const char *name;
	const char *old_name;	/* NULL: same as @name */
	unsigned long sympos;	/* position among same-named kallsyms symbols, 0 = unique */
	const char *objname;	/* multi-unit builds: its unit's klp object (set by the builder) */
};

/*
 * A symbol of the running kernel that the post object names differently: gcc
 * numbers static locals and clones per compile ("__key.12" in post may be
 * "__key.11" in the running kernel). References use @old_name.
 */
struct hs_klp_rename {
	const char *name;	/* in the post object */
	const char *old_name;	/* in the running kernel (the pre object) */
};

/* The known kallsyms position of a local symbol the new code references. */
struct hs_klp_sympos {
	const char *name;
	unsigned long pos;
};

struct hs_klp_opts {
	const char *post;		/* post object (function/data sections, objtool run) */
	const char *objname;		/* "vmlinux" or the patched module's name */
	const struct hs_klp_func *funcs; /* functions to replace (klp_funcs) */
	size_t nfuncs;
	const char *const *new_funcs;	/* new functions: included, not registered */
	size_t nnew_funcs;
	const char *const *new_data;	/* new variables: copied into the module */
	size_t nnew_data;
	const struct hs_klp_sympos *sympos; /* known positions of local symbols */
	size_t nsympos;
	const struct hs_klp_rename *renames; /* kernel symbols named differently in post */
	size_t nrenames;
	/*
	 * Decides the position of a local symbol the new code uses when @sympos
	 * does not list it (NULL: 0): 0 or a negative error (refusals named).
	 * It may set *@obj (the patched object) to "vmlinux": a module's code
	 * reaching a vmlinux symbol the module may not import goes through
	 * vmlinux's livepatch relocations.
	 */
	int (*resolve_sympos)(void *arg, const struct hs_klp_opts *unit, const char **obj,
			      const char *name, bool global, unsigned long *pos);
	void *resolve_arg;
	const char *headers;		/* target kbuild headers (Module.symvers, .config) */
	const struct hs_kfacts *facts;	/* NULL: chosen from @headers (hs_kfacts_for_headers) */
	const struct hs_klp_symvers *symvers; /* set by the builder: the glue imports namespaces */
	const char *modname;		/* module name: [a-z0-9_], at most 55 characters */
	const char *out;		/* the .ko to write */
	const char *workdir;		/* NULL: a temporary directory, removed afterwards */
	const char *cc;			/* NULL: "gcc-12" */
	const char *make_var;		/* NULL, or one more VAR=value for kbuild's make */
	size_t func_base;		/* multi-unit builds: index of funcs[0] among all */
	size_t ncode;			/* multi-unit builds: code objects to link (0: one) */
	const struct hs_klp_opts *units; /* multi-unit builds: all units (set by the builder) */
	size_t nunits;
	bool replace;			/* cumulative: the glue's klp_patch.replace (atomic replace) */
	const char *via;		/* NULL, or the patched headers that brought this unit in (HS_NAMES_SEP) */
};

/* Exported symbols from a Module.symvers file. */
struct hs_klp_symvers {
	char *buf;			/* the file, names and modules point into it */
	struct hs_klp_export {
		const char *name;
		const char *module;	/* "vmlinux" or a module name */
		const char *ns;		/* symbol namespace (EXPORT_SYMBOL_NS), NULL if none */
	} *exports;
	size_t nexports;		/* sorted by name */
};

/* Load @path (Module.symvers format) into @sv. Returns 0 or -errno/-HS_EFORMAT. */
int hs_klp_symvers_load(const struct hs_ctx *ctx, const char *path, struct hs_klp_symvers *sv);

/* Free @sv. Safe on a zeroed struct. */
void hs_klp_symvers_free(struct hs_klp_symvers *sv);

/* The namespace @name is exported in (EXPORT_SYMBOL_NS), or NULL. */
const char *hs_klp_symvers_ns(const struct hs_klp_symvers *sv, const char *name);

/* The object exporting @name ("vmlinux" or a module name), or NULL if none does. */
const char *hs_klp_symvers_find(const struct hs_klp_symvers *sv, const char *name);

/*
 * Stage 1: write to @out the relocatable object holding what @o selects from
 * o->post, with exported references by name per @sv and the others as
 * ".klp.sym." placeholders. Returns 0, -HS_EREFUSED (named via hs_err) when
 * something cannot be patched safely, or -errno/-HS_EFORMAT.
 */
int hs_klp_extract(const struct hs_ctx *ctx, const struct hs_klp_opts *o,
		   const struct hs_klp_symvers *sv, const char *out);

/*
 * Stage 2: in directory @dir, which holds the extracted object as
 * "<modname>_code.o_shipped", write the glue and Kbuild file and run kbuild
 * against o->headers. On success @dir holds "<modname>.ko". Returns 0 or
 * -errno/-HS_EFORMAT (with the tail of kbuild's output logged).
 */
int hs_klp_kbuild(const struct hs_ctx *ctx, const struct hs_klp_opts *o, const char *dir);

/*
 * Stage 3: rewrite module @in into @out with livepatch relocation sections and
 * symbols (see the top of this file); a relocation section's object is
 * vmlinux, or the module whose code section it relocates (named by
 * hs_klp_code_sec_name()). @in and @out may not be the same file. Returns 0
 * or -errno/-HS_EFORMAT.
 */
int hs_klp_finalize(const struct hs_ctx *ctx, const char *in, const char *out);

/* All three stages; writes o->out. Returns 0, -HS_EREFUSED or another error. */
int hs_klp_build(const struct hs_ctx *ctx, const struct hs_klp_opts *o);

/*
 * One module from several post objects (a patch that touches several .c
 * files): @units[i] names post object i, its klp object and its functions;
 * headers, modname, out, workdir and cc are taken from @units[0]. Units of
 * different klp objects (vmlinux and modules) give one klp_object each.
 * Returns 0, -HS_EREFUSED or another error.
 */
int hs_klp_build_units(const struct hs_ctx *ctx, const struct hs_klp_opts *units, size_t n);

/* The ".klp.rela." section name for section @sec of object @obj, malloc'd or NULL. */
char *hs_klp_rela_name(const char *obj, const char *sec);

/*
 * The name a module object's code section @sec gets in the livepatch module:
 * ".text..hotsplice.<obj>.<sec after its first dot>" (no function's
 * section is named ".text..*"), so that sections of different objects never merge and finalize knows which object's relocations they take.
 * Malloc'd, or NULL.
 */
char *hs_klp_code_sec_name(const char *obj, const char *sec);

/* The klp object of code section @sec named as above (at most @size bytes), or "vmlinux". */
const char *hs_klp_code_sec_obj(const char *sec, char *buf, size_t size);

/* The ".klp.sym." symbol name for symbol @name of @obj at @sympos, malloc'd or NULL. */
char *hs_klp_sym_name(const char *obj, const char *name, unsigned long sympos);

#endif
