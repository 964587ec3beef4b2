/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diff.h - the object differ: correlate, compare and classify the symbols of
 * the pre and post object of one kernel .c file.
 *
 * Input: two relocatable objects compiled by kbuild with -ffunction-sections
 * -fdata-sections (objtool already run), before (pre) and after (post) the
 * patch. Output: one struct hs_diff_sym per symbol, each with a class:
 *
 *   unchanged         same code/value in pre and post (or only in pre, data)
 *   changed-function  code, relocation targets or special-section entries
 *                     (bug table, exception table, alternatives, ...) differ
 *   new-function      only in post
 *   removed-function  only in pre (the running kernel keeps the old one)
 *   changed-data      an existing variable's size or initial value changed:
 *                     refused, unless it is a file-local read-only table
 *                     that only this object's code reads (diff_tables.c):
 *                     then the module carries the new one and its readers
 *                     are replaced (changed-function)
 *   new-data          a variable only in post (fine: the module carries it),
 *                     refused when it is a static local that cannot be
 *                     matched unambiguously with one of pre
 *   changed-init      code or data in .init.* / .exit.* changed: refused
 *   changed-special   a special-section entry that belongs to no function, or
 *                     another section without symbols (exports, trace
 *                     metadata) changed: refused
 *   changed-type      the layout (size, member names, offsets, bit fields,
 *                     member sizes) of a struct or union described in the
 *                     objects' DWARF changed: refused, because the new code
 *                     would use new offsets on objects the running kernel
 *                     made. Not a symbol: name is the struct/union tag (or
 *                     the typedef or variable naming an anonymous one), all
 *                     indices 0. Checked only when something else changed.
 *
 * For the module builder: a changed-function (the running kernel's copy is
 * pre_idx in pre, the replacement post_idx in post) and a new-function
 * (post_idx) come with refs[], the symbols their code (and .cold part)
 * references, deduplicated, each saying whether the module must carry it
 * (HS_REF_INCLUDED: changed/new function, new data, a carried table; HS_REF_CONST: an
 * anonymous constant such as a string literal) or use the running kernel's
 * copy (HS_REF_KERNEL: defined in this object and unchanged or existing data,
 * named by its pre symbol; HS_REF_EXTERN: undefined in the object).
 * Static locals and file-scope statics of pre are never HS_REF_INCLUDED: the
 * new code must use the running kernel's variable.
 *
 * Names: hs_diff_sym.name is the normalised name, i.e. the symbol name with
 * gcc's numbers removed but the kind of clone kept ("do_sysinfo.isra.0" ->
 * "do_sysinfo.isra", static local "offsets.35" -> "offsets"). A .cold part
 * is folded into its parent function (pre_cold/post_cold).
 *
 * Pairing: functions and global data pair by name. Local data whose name is
 * a per-compile counter (static locals, __func__, __UNIQUE_ID_* variables,
 * dynamic-debug descriptors in __dyndbg) pairs through the functions whose
 * code uses it and its content; a descriptor or __func__ string whose
 * content changed is new data, and the function using it changed.
 */
#ifndef HS_DIFF_H
#define HS_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "elf/elf.h"
#include "elf/kfacts.h"

enum hs_diff_class {
	HS_DIFF_UNCHANGED,
	HS_DIFF_CHANGED_FUNC,
	HS_DIFF_NEW_FUNC,
	HS_DIFF_REMOVED_FUNC,
	HS_DIFF_CHANGED_DATA,
	HS_DIFF_NEW_DATA,
	HS_DIFF_CHANGED_INIT,
	HS_DIFF_CHANGED_SPECIAL,
	HS_DIFF_CHANGED_TYPE,
	HS_DIFF_NCLASSES,
};

enum hs_diff_ref_kind {
	HS_REF_INCLUDED,	/* a changed/new function or new data: the module's copy */
	HS_REF_KERNEL,		/* defined in pre and post, reused: the running kernel's copy */
	HS_REF_EXTERN,		/* undefined in the object: resolved by name */
	HS_REF_CONST,		/* anonymous constant (string literal, merged constant) */
	HS_REF_REGION,		/* a piece of a section without a symbol (rare) */
};

/* One symbol referenced by a changed or new function. */
struct hs_diff_ref {
	const char *name;	/* post symbol name (a section name for CONST/REGION) */
	size_t post_sym;	/* symbol index in post used by the relocation */
	size_t pre_sym;		/* HS_REF_KERNEL: the same symbol in pre, else 0 */
	enum hs_diff_ref_kind kind;
};

/* One symbol (a function with its .cold part, a variable) or special section. */
struct hs_diff_sym {
	const char *name;	/* normalised name (see above) */
	size_t pre_idx;		/* symbol index in pre, 0 if none */
	size_t post_idx;	/* symbol index in post, 0 if none */
	size_t pre_cold;	/* index of the .cold part in pre, 0 if none */
	size_t post_cold;	/* index of the .cold part in post, 0 if none */
	bool is_func;
	enum hs_diff_class cls;
	bool refused;
	bool via_callers;	/* changed but notrace: carried, reached through its replaced callers */
	bool callers_outside;	/* ... global: other files' callers must be replaced too */
	const char *alias_of;	/* changed function at the same place as this one: replaced once, as it */
	char reason[256];	/* why changed/refused, "" if nothing to say */
	struct hs_diff_ref *refs; /* changed/new functions only */
	size_t nrefs;
};

struct hs_diff_priv;

/*
 * In the warning for a change of the exported symbols (EXPORT_SYMBOL added,
 * removed or changed), which a live update leaves as it is: the running
 * kernel's code and its loaded modules were built against its exports. A
 * release notes it in the report of the file that made the change.
 */
#define HS_DIFF_EXPORT_NOT_LIVE "not made live"

/* The result of hs_diff_objects(); free with hs_diff_free(). */
struct hs_diff {
	const char *objname;	/* as given, owned by the caller */
	struct hs_elf pre, post; /* both objects stay open for the module builder */
	struct hs_diff_sym *syms; /* sorted by class, then name */
	size_t nsyms;
	size_t nfuncs;		/* changed + new functions: what the module carries */
	size_t nrefused;
	size_t nexports;	/* export changes left as they are (HS_DIFF_EXPORT_NOT_LIVE) */
	struct hs_diff_priv *priv;
};

/*
 * Diff @pre_path against @post_path, both objects of @objname (e.g.
 * "kernel/sys.o", used in messages and output), special sections as the target
 * kernel's @facts lay them out (lib/elf/kfacts.h). Fills @d even when the result
 * is a refusal, so that it can be printed. Returns 0 when there are functions
 * to patch, -HS_ENOCHANGE when there is no code change, -HS_EREFUSED (after
 * one hs_err line per reason: object, symbol, reason) when the change cannot
 * be applied safely, or -errno / -HS_EFORMAT. Call hs_diff_free() in every case.
 */
int hs_diff_objects(const struct hs_ctx *ctx, const struct hs_kfacts *facts, const char *objname,
		    const char *pre_path, const char *post_path, struct hs_diff *d);

/*
 * For the struct/union tags @tags (@n of them): are they described in both
 * objects of @d, with the same layout and member types? verdict[i] is 1
 * (yes, or only aliases of existing members added), -1 (changed), 0 (not
 * described in both). Returns 0 or -errno.
 */
int hs_diff_types_same(const struct hs_ctx *ctx, const struct hs_diff *d, char *const *tags,
		       size_t n, int *verdict);

/*
 * Built-in (vmlinux) code: what is in .init.* ran at boot and was freed, what
 * is in .exit.* was discarded at link time, so a change there needs nothing
 * live. When every refusal of @d is such a change (changed-init), take those
 * refusals back and return how many; else change nothing and return 0. Only
 * for vmlinux objects: a module's init code runs whenever it loads.
 */
size_t hs_diff_accept_builtin_init(struct hs_diff *d);

/* Release everything in @d, including both open objects. Safe on a zeroed struct. */
void hs_diff_free(struct hs_diff *d);

/*
 * Another object's share of a global notrace function @name that changed
 * (callers_outside in its own diff): mark every function of @d that calls
 * @name as changed (the module carries it, so the new @name is what it
 * calls). Returns 0 (also when @d does not use @name), -HS_EREFUSED with
 * the reason in @why (@name's address is taken in @d, or a caller has no
 * __fentry__ call), or -ENOMEM.
 */
int hs_diff_reach_callers(struct hs_diff *d, const char *name, char *why, size_t whylen);

/* The class's name as printed ("changed-function"). */
const char *hs_diff_class_name(enum hs_diff_class cls);

/* The reference kind's name as printed in JSON ("kernel"). */
const char *hs_diff_ref_kind_name(enum hs_diff_ref_kind kind);

/*
 * Write the classification as text, one line per symbol that is not
 * unchanged, sorted by class then name:
 *     <objname>: [refused ]<class> <name>[: <reason>]
 * Returns 0 or -EIO.
 */
int hs_diff_print(const struct hs_diff *d, FILE *f);

/* Write the line of one symbol of @d as hs_diff_print() does (nothing if unchanged). */
void hs_diff_print_sym(const struct hs_diff *d, const struct hs_diff_sym *s, FILE *f);

/* Write the same as one JSON object, with indices and refs. Returns 0 or -EIO. */
int hs_diff_print_json(const struct hs_diff *d, FILE *f);

/* The symbol entry of @d whose normalised name is @name, or NULL. */
const struct hs_diff_sym *hs_diff_find(const struct hs_diff *d, const char *name);

#endif
