/* SPDX-License-Identifier: GPL-2.0 */
/* fsutil.h - crash-safe (atomic) file replacement; other file helpers are in cache.h. */
#ifndef HS_FSUTIL_H
#define HS_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "core/hotsplice.h"

/*
 * A file being written atomically: data goes to a temporary file next to
 * @path; hs_atomic_commit() fsyncs it, renames it over @path and fsyncs the
 * directory, so a crash at any instant leaves either the old or the new file.
 */
struct hs_atomic_file {
	int fd;
	char path[4096];
	char tmp[4096];
};

/* Create the temporary file for @path with @mode. Returns 0 or -errno. */
int hs_atomic_open(const struct hs_ctx *ctx, const char *path, mode_t mode,
		   struct hs_atomic_file *af);

/*
 * fsync, rename into place, fsync the directory. Returns 0 or -errno; once
 * the rename is done it returns 0 (a failed directory fsync is only warned
 * about: the new file is what everyone reads from then on).
 */
int hs_atomic_commit(const struct hs_ctx *ctx, struct hs_atomic_file *af);

/* Remove the temporary file; @path is untouched. */
void hs_atomic_abort(struct hs_atomic_file *af);

/* Write all @len bytes of @data to @fd, again after EINTR. 0, -errno, or -EIO if none went. */
int hs_write_all(int fd, const void *data, size_t len);

#endif
