/* SPDX-License-Identifier: GPL-2.0 */
/*
 * patch.h - unified diffs: which files a patch touches, its hunks, and
 * whether it applies cleanly to a source tree.
 *
 * Paths are taken with one leading component stripped, as `patch -p1`
 * does: "a/kernel/sys.c" and "linux.orig/kernel/sys.c" both name
 * "kernel/sys.c". Git's extended headers (new/deleted file, rename, copy,
 * binary) are understood.
 */
#ifndef HS_PATCH_H
#define HS_PATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/hotsplice.h"

struct hs_patch_hunk {
	unsigned long old_start, old_count;
	unsigned long new_start, new_count;
	unsigned long added, removed;	/* '+' and '-' lines */
	size_t line;			/* line of the "@@" in the patch, from 1 */
};

struct hs_patch_file {
	char *old_path;		/* NULL for a new file (/dev/null) */
	char *new_path;		/* NULL for a deleted file */
	const char *path;	/* new_path, else old_path: the file that matters */
	bool is_new, is_deleted, is_rename, is_copy, is_binary;
	bool is_git;		/* from a "diff --git" section */
	size_t nhunks;
	struct hs_patch_hunk *hunks;
	unsigned long added, removed;	/* over all hunks */
	size_t line;		/* where its header starts in the patch, from 1 */
};

struct hs_patch {
	char *name;		/* as given to hs_patch_parse() */
	size_t nfiles;
	struct hs_patch_file *files;
};

/*
 * Parse the unified diff @text (@len bytes) named @name (for messages) into
 * @p. Text outside file sections (mail headers, commit message, "diff -u"
 * command lines, "Index:" lines) is ignored. Returns 0, -ENOMEM, or
 * -HS_EFORMAT for malformed input (no file changes, a truncated hunk, a hunk
 * outside a file, an absolute or ".." path), logged with the patch's line.
 * Free @p with hs_patch_free() whatever the result.
 */
int hs_patch_parse(const struct hs_ctx *ctx, const char *name, const char *text, size_t len,
		   struct hs_patch *p);

/* Read and parse the patch file @path (see hs_patch_parse()). */
int hs_patch_load(const struct hs_ctx *ctx, const char *path, struct hs_patch *p);

/* Free what hs_patch_parse() allocated; @p may be zeroed or partly filled. */
void hs_patch_free(struct hs_patch *p);

/* The file entry of @p whose path (old or new) is @path, or NULL. */
const struct hs_patch_file *hs_patch_find(const struct hs_patch *p, const char *path);

/*
 * Check that the patch file @patch_path applies cleanly to the tree @dir
 * without changing it (GNU patch --dry-run -p1 --forward --fuzz=0: offsets
 * are accepted, fuzz is not). Returns 0, or -EINVAL when it does not apply,
 * with every failing file and hunk logged as an error.
 */
int hs_patch_check(const struct hs_ctx *ctx, const char *patch_path, const char *dir);

/*
 * Apply the patch file @patch_path to @dir for real, with the same options
 * as hs_patch_check(). Returns 0, or -EINVAL when a hunk failed (logged).
 */
int hs_patch_apply(const struct hs_ctx *ctx, const char *patch_path, const char *dir);

#endif
