/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cache.h - the on-disk cache of prepared trees: its location, keys, locks,
 * atomic file writes and small file helpers.
 */
#ifndef HS_CACHE_H
#define HS_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/hotsplice.h"

/*
 * FNV-1a 64-bit hash of @len bytes, continuing from @h (start with
 * HS_HASH_INIT). A cache key, not a cryptographic digest.
 */
#define HS_HASH_INIT 0xcbf29ce484222325ULL
uint64_t hs_hash64(uint64_t h, const void *data, size_t len);

/*
 * The cache directory: $HOTSPLICE_CACHE, else ~/.cache/hotsplice. Returns a
 * malloc'd string in *@out, or -ENOMEM / -ENOENT (no $HOME).
 */
int hs_cache_dir(const struct hs_ctx *ctx, char **out);

/* mkdir -p @path (mode 0755). Returns 0 or -errno, naming the path. */
int hs_mkdir_p(const struct hs_ctx *ctx, const char *path);

/*
 * A new private directory hotsplice-@name.XXXXXX under $TMPDIR (an absolute
 * path) or /tmp, malloc'd; NULL with errno set. Until hs_tmpdir_remove() or
 * hs_tmpdir_keep(), hs_tmpdirs_remove_after_exit() removes it (a command killed
 * by a signal leaves no work directory behind: a release's is gigabytes).
 */
char *hs_mkdtemp(const char *name);

/* rm -rf @path, a directory of hs_mkdtemp(), and forget it (@path stays allocated). */
void hs_tmpdir_remove(const char *path);

/* Forget @path, a directory of hs_mkdtemp(), and leave it (a failed compile's logs). */
void hs_tmpdir_keep(const char *path);

/*
 * Async-signal-safe (a signal handler's, before the process dies): fork a process
 * that, once this one has exited, removes every directory hs_mkdtemp() made in it
 * and not yet removed or kept (a forked child's are its parent's, not its own).
 */
void hs_tmpdirs_remove_after_exit(void);

/* After hs_mkdtemp() failed: say where it could not create it (errno); -errno. */
int hs_tmpdir_err(const struct hs_ctx *ctx);

/* rm -rf @path, best effort (for temporary directories). Returns 0 or -errno. */
int hs_rm_rf(const char *path);

/*
 * Read the whole file @path into a malloc'd NUL-terminated buffer *@buf
 * (length in *@len if not NULL). Returns 0 or -errno, naming the file.
 */
int hs_read_file(const struct hs_ctx *ctx, const char *path, char **buf, size_t *len);

/*
 * Write @len bytes to @path atomically and durably (mode 0644, within a
 * directory the caller controls): a temporary file next to it, fsync, rename,
 * fsync of the directory (see fsutil.h). Returns 0 or -errno, naming the file.
 */
int hs_write_file_atomic(const struct hs_ctx *ctx, const char *path, const void *data,
			 size_t len);

/* Copy regular file @from to @to (mode 0644, replaced if present). 0 or -errno. */
int hs_copy_file(const struct hs_ctx *ctx, const char *from, const char *to);

/*
 * Take an exclusive lock on @path (created if missing), waiting for it.
 * Logs once at info level when another process holds it. Returns the lock's
 * file descriptor (>= 0), or -errno; release with hs_unlock().
 */
int hs_lock(const struct hs_ctx *ctx, const char *path);
void hs_unlock(int fd);

/* malloc'd printf, or NULL when out of memory. */
__attribute__((format(printf, 1, 2)))
char *hs_strdupf(const char *fmt, ...);

/* Monotonic time in seconds, for stage durations. */
double hs_now(void);

#endif
