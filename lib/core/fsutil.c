// SPDX-License-Identifier: GPL-2.0
/* fsutil.c - crash-safe (atomic) file replacement. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fault.h"
#include "core/fsutil.h"

int hs_atomic_open(const struct hs_ctx *ctx, const char *path, mode_t mode,
		   struct hs_atomic_file *af)
{
	int n;

	n = snprintf(af->path, sizeof(af->path), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(af->path))
		return -ENAMETOOLONG;
	n = snprintf(af->tmp, sizeof(af->tmp), "%s.tmp.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(af->tmp))
		return -ENAMETOOLONG;
	af->fd = mkostemp(af->tmp, O_CLOEXEC);
	if (af->fd < 0) {
		int err = -errno;

		hs_err(ctx, "cannot create '%s': %s", af->tmp, strerror(errno));
		return err;
	}
	fchmod(af->fd, mode);
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char buf[4096];
	int fd, err = 0;

	snprintf(buf, sizeof(buf), "%s", path);
	fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		err = -errno;
	close(fd);
	return err;
}

int hs_atomic_commit(const struct hs_ctx *ctx, struct hs_atomic_file *af)
{
	int err = 0;

	if (fsync(af->fd))
		err = -errno;
	if (close(af->fd) && !err)
		err = -errno;
	af->fd = -1;
	if (!err && rename(af->tmp, af->path))
		err = -errno;
	if (err) {
		hs_err(ctx, "cannot write '%s': %s", af->path, strerror(-err));
		unlink(af->tmp);
		return err;
	}
	/*
	 * The new file is in place and every reader sees it: failing now would
	 * make the caller undo what the file already says (unload a livepatch the
	 * state lists). Only its durability across a power cut is in doubt.
	 */
	err = hs_fault(ctx, "DIR_FSYNC") ?: fsync_dir_of(af->path);
	if (err)
		hs_warn(ctx, "'%s' is written but its directory cannot be synced (%s): a power cut now may bring back the previous version",
			af->path, strerror(-err));
	return 0;
}

void hs_atomic_abort(struct hs_atomic_file *af)
{
	if (af->fd >= 0)
		close(af->fd);
	af->fd = -1;
	unlink(af->tmp);
}

int hs_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
