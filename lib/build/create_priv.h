/* SPDX-License-Identifier: GPL-2.0 */
/* create_priv.h - what the create*.c files share and nobody else needs. */
#ifndef HS_CREATE_PRIV_H
#define HS_CREATE_PRIV_H

#include "build/create.h"
#include "build/create_base.h"
#include "build/kbuild.h"
#include "build/patch.h"
#include "build/sympos.h"
#include "diff/diff.h"
#include "klp/klp.h"
#include "ship/sign.h"

/* One run of the pipeline (hs_create()). */
/*
 * One unit's diff messages, held while its refusals may still be accepted
 * (a release update's init code of built-in objects): an accepted refusal
 * prints no error (create_diff.c).
 */
struct held_msgs {
	struct hs_ctx ctx;		/* what the diff logs through */
	const struct hs_ctx *to;
	struct held_msg {
		enum hs_level level;
		char *msg;
	} *v;
	size_t n;
	bool through;			/* not held (any more): straight to @to */
};

struct create {
	const struct hs_ctx *ctx;
	const struct hs_create_opts *o;
	struct hs_kbuild kb;
	const struct hs_kfacts *facts;	/* the target kernel's, from its headers */
	struct hs_patch patch;
	struct hs_kbuild_units units;
	struct hs_diff *diffs;		/* one per unit */
	size_t ndiffs;			/* how many of them hs_diff_objects() filled */
	char **paths;			/* pre and post object of each unit (diffs point here) */
	char *work;
	char *id;
	char *modname;
	char *target_release;
	char *target_version;
	char *out;
	char *patch_path;		/* what is compiled: o->patch, or the combined patch */
	struct hs_create_base base;	/* --on-top-of: the earlier updates */
	struct hs_sympos sp;		/* symbol positions of the target build */
	struct hs_signer *signer;	/* NULL: unsigned */
	struct held_msgs held;		/* the diff's messages of a unit whose init may be accepted */
	double t0, t;
};

/* The klp builder's view of one unit's diff: what to replace, add and carry. */
struct unit_sel {
	struct hs_klp_func *funcs;
	const char **new_funcs;
	const char **new_data;
	struct hs_klp_rename *renames;
	size_t nfuncs, nnew_funcs, nnew_data, nrenames;
};

/* Log that the stage @what is done, with the time it took (unless quiet). */
void hs_create_stage(struct create *c, const char *what);

/*
 * Diff every unit, reach the callers of changed notrace functions, and run
 * the refusal checks (create_diff.c). The result is the worst of them:
 * -HS_EREFUSED > another error > 0 (changes) > -HS_ENOCHANGE.
 */
int hs_create_diff_units(struct create *c);

/* The classification of all units, as text or JSON (--dry-run), on stdout. */
void hs_create_print_classification(const struct create *c);

/*
 * Compile units @u that create adds after the first compile (callers to
 * replace, a file to read a type from), pre and post: their command lines,
 * then both objects under the work directory. 0 or -errno (none: 0).
 */
int hs_create_compile_units(struct create *c, struct hs_kbuild_units *u);

/*
 * Refuse a function of the @n @names (the unit of each in @owner) that the
 * target exports: modules may call its old copy. 0, -HS_EREFUSED or -errno.
 */
int hs_create_refuse_exported(struct create *c, char **names, const size_t *owner, size_t n);

/*
 * The checks after the diff (create_checks.c): removed globals that other files
 * may call, new symbols nothing defines, unused partner files, and the types
 * that deferred files wait for. 0, -HS_EREFUSED (reasons logged) or -errno.
 */
int hs_create_check_refusals(struct create *c);

/* Choose what the module replaces, adds and carries (@sels, one per unit), build it as *@ko. */
int hs_create_build_module(struct create *c, struct unit_sel *sels, char **ko);

/* Free @sels and what its @n entries hold. */
void hs_create_free_sels(struct unit_sel *sels, size_t n);

/* Write the package c->out: manifest, module @ko, patch, the pre objects of @sels. */
int hs_create_write_package(struct create *c, const struct unit_sel *sels, const char *ko);

#endif
