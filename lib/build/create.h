/* SPDX-License-Identifier: GPL-2.0 */
/*
 * create.h - `hotsplice create`: from a source patch to an update package.
 *
 * Stages: check the patch; prepare the tree (cached); find and compile the
 * touched units pre and post; diff each; refuse what is unsafe; decide the
 * symbol positions from the target build (sympos.h); build one livepatch
 * module; sign it; write the package (manifest, module, patch, pre objects),
 * signed when a key is given (sign.h).
 */
#ifndef HS_CREATE_H
#define HS_CREATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/hotsplice.h"

struct hs_create_opts {
	const char *patch;
	const char *source;
	const char *headers;
	const char *id;			/* NULL: from the patch file name */
	const char *description;	/* NULL: the patch's Subject: or file name */
	const char *effective;		/* declared effective kernel version, or NULL */
	const char *out;		/* NULL: hotsplice-<id>.hsu in the current directory */
	const char *workdir;		/* NULL: a temporary directory, removed afterwards */
	const char *const *on_top_of;	/* cumulative: earlier update packages, in order */
	size_t non_top_of;
	const char *target_root;	/* the target's image package unpacked (boot/System.map-R,
					 * lib/modules/R): NULL: found next to the headers */
	const char *sign_key;		/* PEM private key and X.509 certificate signing the */
	const char *sign_cert;		/* module and the package; NULL: unsigned */
	int jobs;
	size_t max_header_files;	/* 0: hs_kbuild's default */
	size_t narrow_header_over;	/* 0: max_header_files (hs_kbuild.narrow_over) */
	bool dry_run;			/* stop after the diff, print the classification */
	bool json;			/* with dry_run: print it as JSON */
	bool quiet;
	bool no_name_narrowing;		/* for diagnosis: hs_kbuild's no_name_narrowing */
	bool no_print;			/* with dry_run: classify only, print nothing */
	bool replace;			/* atomic replace without a base (a release update) */
	/*
	 * A release update's report (member release-report), made when the module
	 * is built (what its build said may go into it): malloc'd text, NULL on error.
	 */
	char *(*report)(void *arg, size_t *len);
	void *report_arg;
	const char *release_from, *release_to; /* a release update's two versions */
	bool builtin_init_ok;		/* a release update: changed init/exit code or data of
					 * built-in code needs nothing live (hs_diff.h) */
	char *const *replaces;		/* a release update: the updates it replaces (base) */
	size_t nreplaces;
	const struct hs_strv *first;	/* tiers of sources compiled first; one failing */
	size_t nfirst;			/* stops the compile there (hs_kbuild.first) */
};

/*
 * Run the pipeline. Returns 0 (package written, or dry run with changes),
 * -HS_ENOCHANGE (no code change), -HS_EREFUSED (unsafe change, reasons
 * logged), or another negative error.
 */
int hs_create(const struct hs_ctx *ctx, const struct hs_create_opts *o);

/* The default update id for patch file @path: its base name without extension. */
char *hs_create_default_id(const char *path);

#endif
