// SPDX-License-Identifier: GPL-2.0
/* cache.c - cache location, keys, locks and atomic file writes. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/fsutil.h"

uint64_t hs_hash64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *hs_strdupf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

double hs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int hs_cache_dir(const struct hs_ctx *ctx, char **out)
{
	const char *env = getenv("HOTSPLICE_CACHE");
	const char *home = getenv("HOME");

	if (env && *env)
		*out = strdup(env);
	else if (home && *home)
		*out = hs_strdupf("%s/.cache/hotsplice", home);
	else {
		hs_err(ctx, "cannot find the cache directory: neither $HOTSPLICE_CACHE nor $HOME is set");
		return -ENOENT;
	}
	return *out ? 0 : -ENOMEM;
}

int hs_mkdir_p(const struct hs_ctx *ctx, const char *path)
{
	char *p = strdup(path);
	int err = 0;

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = 0;
		if (mkdir(p, 0755) && errno != EEXIST) {
			err = -errno;
			hs_err(ctx, "cannot create directory '%s': %s", p, strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return err;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) ? -errno : 0;
	return unlink(path) ? -errno : 0;
}

/* $TMPDIR if it is an absolute path, else /tmp. */
static const char *tmp_root(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && tmp[0] == '/' ? tmp : "/tmp";
}

/*
 * The directories hs_mkdtemp() made, each with the process that made it, until
 * removed or kept; a signal handler reads them (hs_tmpdirs_remove_after_exit()).
 */
static struct {
	char *volatile path;
	volatile pid_t pid;
} tmpdirs[16];

static void tmpdir_forget(const char *path)
{
	for (size_t i = 0; path && i < sizeof(tmpdirs) / sizeof(tmpdirs[0]); i++) {
		char *p = tmpdirs[i].path;

		if (p && tmpdirs[i].pid == getpid() && !strcmp(p, path)) {
			tmpdirs[i].pid = 0;
			tmpdirs[i].path = NULL;
			free(p);
		}
	}
}

char *hs_mkdtemp(const char *name)
{
	char *path = hs_strdupf("%s/hotsplice-%s.XXXXXX", tmp_root(), name);

	if (path && !mkdtemp(path)) {
		int e = errno;

		free(path);
		errno = e;
		return NULL;
	}
	for (size_t i = 0; path && i < sizeof(tmpdirs) / sizeof(tmpdirs[0]); i++) {
		if (tmpdirs[i].path && tmpdirs[i].pid == getpid())
			continue;
		free(tmpdirs[i].path);	/* NULL, or a parent's entry in a forked child */
		tmpdirs[i].pid = 0;
		tmpdirs[i].path = strdup(path);
		tmpdirs[i].pid = getpid();
		break;
	}
	return path;
}

void hs_tmpdir_remove(const char *path)
{
	hs_rm_rf(path);
	tmpdir_forget(path);
}

void hs_tmpdir_keep(const char *path)
{
	tmpdir_forget(path);
}

void hs_tmpdirs_remove_after_exit(void)
{
	char *argv[3 + sizeof(tmpdirs) / sizeof(tmpdirs[0]) + 1] = { "rm", "-rf", "--" };
	pid_t self = getpid(), child;
	size_t n = 3;

	for (size_t i = 0; i < sizeof(tmpdirs) / sizeof(tmpdirs[0]); i++)
		if (tmpdirs[i].path && tmpdirs[i].pid == self)
			argv[n++] = tmpdirs[i].path;
	if (n == 3 || fork() != 0)
		return;
	/*
	 * The remover: once this process is gone, and its children with it
	 * (PR_SET_PDEATHSIG: a release's runs, the compiles), rm -rf, again while
	 * a dying child still writes.
	 */
	for (int i = 0; i < 50 && getppid() == self; i++) {
		struct timespec pause = { 0, 100 * 1000 * 1000 };

		nanosleep(&pause, NULL);
	}
	for (int try = 0; try < 50; try++) {
		struct timespec pause = { 0, 200 * 1000 * 1000 };
		bool left = false;

		child = fork();
		if (child == 0) {
			execv("/bin/rm", argv);
			_exit(127);
		}
		if (child > 0)
			waitpid(child, NULL, 0);
		for (size_t i = 3; i < n; i++)
			left |= !access(argv[i], F_OK);
		if (!left)
			break;
		nanosleep(&pause, NULL);
	}
	_exit(0);
}

int hs_tmpdir_err(const struct hs_ctx *ctx)
{
	int err = -(errno ?: ENOMEM);

	hs_err(ctx, "cannot create a temporary directory under '%s' ($TMPDIR, or /tmp): %s",
	       tmp_root(), strerror(-err));
	return err;
}

int hs_rm_rf(const char *path)
{
	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int hs_read_file(const struct hs_ctx *ctx, const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = 65536, n = 0, got;
	char *b;

	*buf = NULL;
	if (!f) {
		int err = -errno;

		hs_err(ctx, "cannot open '%s': %s", path, strerror(errno));
		return err;
	}
	b = malloc(cap);
	while (b && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0) {
			char *nb = realloc(b, cap * 2);

			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	if (b && ferror(f)) {
		hs_err(ctx, "cannot read '%s': %s", path, strerror(errno));
		free(b);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	if (!b)
		return -ENOMEM;
	b[n] = 0;
	*buf = b;
	if (len)
		*len = n;
	return 0;
}

int hs_write_file_atomic(const struct hs_ctx *ctx, const char *path, const void *data,
			 size_t len)
{
	struct hs_atomic_file af;
	int err;

	err = hs_atomic_open(ctx, path, 0644, &af);
	if (err)
		return err;
	err = hs_write_all(af.fd, data, len);
	if (err) {
		hs_err(ctx, "cannot write '%s': %s", af.tmp, strerror(-err));
		hs_atomic_abort(&af);
		return err;
	}
	return hs_atomic_commit(ctx, &af);
}

int hs_copy_file(const struct hs_ctx *ctx, const char *from, const char *to)
{
	char *buf;
	size_t len;
	int err;

	err = hs_read_file(ctx, from, &buf, &len);
	if (err)
		return err;
	unlink(to);
	err = hs_write_file_atomic(ctx, to, buf, len);
	free(buf);
	return err;
}

int hs_lock(const struct hs_ctx *ctx, const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		int err = -errno;

		hs_err(ctx, "cannot open lock '%s': %s", path, strerror(errno));
		return err;
	}
	if (!flock(fd, LOCK_EX | LOCK_NB))
		return fd;
	hs_info(ctx, "waiting for another hotsplice holding '%s'", path);
	while (flock(fd, LOCK_EX)) {
		if (errno == EINTR)
			continue;
		int err = -errno;

		hs_err(ctx, "cannot lock '%s': %s", path, strerror(errno));
		close(fd);
		return err;
	}
	return fd;
}

void hs_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
