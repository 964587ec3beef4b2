// SPDX-License-Identifier: GPL-2.0
/* livepatch.c - load, switch, reverse and unload livepatch modules. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/fsutil.h"
#include "target/livepatch.h"

void hs_lp_env_init(struct hs_lp_env *env)
{
	env->sysfs = "/sys/kernel/livepatch";
	env->proc = "/proc";
	env->timeout = 60;
	env->signal_after = 1.5;
	env->cancel = NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static const char *load_error(int err)
{
	switch (err) {
	case EEXIST:
		return "a module of that name is already loaded";
	case ENOEXEC:
		return "the module is not valid for this kernel (see dmesg)";
	case EPERM:
		return "not allowed (root needed; modules disabled or kernel locked down?)";
	case EKEYREJECTED:
	case ENOKEY:
		return "the kernel loads only modules signed with a key in its keyrings, and this one's is not (see dmesg)";
	case EINVAL:
		return "invalid module or parameters (see dmesg)";
	}
	return strerror(err);
}

int hs_lp_load_module(const struct hs_ctx *ctx, const char *name, const void *image,
		      size_t len, const char *params)
{
	int fd, err;

	fd = memfd_create("hotsplice-module", MFD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		hs_err(ctx, "module '%s': memfd_create: %s", name, strerror(errno));
		return err;
	}
	err = hs_write_all(fd, image, len);
	if (!err && syscall(SYS_finit_module, fd, params ? params : "", 0)) {
		err = -errno;
		hs_err(ctx, "cannot load module '%s': %s", name, load_error(errno));
	}
	close(fd);
	return err;
}

int hs_lp_unload_module(const struct hs_ctx *ctx, const char *name)
{
	for (int i = 0; i < 200; i++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if (errno == ENOENT)
			return 0;
		if (errno != EBUSY && errno != EAGAIN)
			break;
		sleep_ms(25);
	}
	hs_err(ctx, "cannot unload module '%s': %s", name, strerror(errno));
	return -errno;
}

static int lp_path(char *buf, size_t size, const struct hs_lp_env *env, const char *name,
		   const char *file)
{
	int n = snprintf(buf, size, "%s/%s%s%s", env->sysfs, name, file ? "/" : "", file ?: "");

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int hs_lp_module_loaded(const struct hs_lp_env *env, const char *name)
{
	char *path = hs_strdupf("%s/modules", env->proc), *text = NULL, *save = NULL;
	size_t n = strlen(name);
	int found = 0;

	if (path && !hs_read_file(NULL, path, &text, NULL))
		for (char *l = strtok_r(text, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save))
			found = !strncmp(l, name, n) && l[n] == ' ';
	free(text);
	free(path);
	return found;
}

int hs_lp_exists(const struct hs_lp_env *env, const char *name)
{
	char path[512];

	return !lp_path(path, sizeof(path), env, name, NULL) && !access(path, F_OK);
}

int hs_lp_read(const struct hs_lp_env *env, const char *name, const char *file)
{
	char path[512], *buf;
	int err, v;

	err = lp_path(path, sizeof(path), env, name, file);
	err = err ?: hs_read_file(NULL, path, &buf, NULL);
	if (err)
		return err;
	v = atoi(buf);
	free(buf);
	return v;
}

static int lp_write(const struct hs_ctx *ctx, const struct hs_lp_env *env, const char *name,
		    const char *file, const char *val)
{
	char path[512];
	int fd, err = 0;

	err = lp_path(path, sizeof(path), env, name, file);
	if (err)
		return err;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		err = -errno;
	if (fd >= 0)
		close(fd);
	if (err)
		hs_err(ctx, "cannot write '%s' to '%s': %s", val, path, strerror(-err));
	return err;
}

/* Name the tasks not yet in the transition's target state, with their stack tops. */
static void report_stragglers(const struct hs_ctx *ctx, const struct hs_lp_env *env, int target,
			      enum hs_level level)
{
	DIR *d = opendir(env->proc);
	struct dirent *de;
	int shown = 0;

	if (!d)
		return;
	while ((de = readdir(d)) && shown < 20) {
		char path[300], *state = NULL, *comm = NULL, *stack = NULL;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s/patch_state", env->proc, de->d_name);
		if (hs_read_file(NULL, path, &state, NULL))
			continue;
		if (atoi(state) != target && atoi(state) != -1) {
			snprintf(path, sizeof(path), "%s/%s/comm", env->proc, de->d_name);
			hs_read_file(NULL, path, &comm, NULL);
			snprintf(path, sizeof(path), "%s/%s/stack", env->proc, de->d_name);
			hs_read_file(NULL, path, &stack, NULL);
			if (comm)
				comm[strcspn(comm, "\n")] = 0;
			if (stack)
				stack[strcspn(stack, "\n")] = 0;
			hs_log(ctx, level, "task '%s' (pid %s) has not switched: kernel stack top: %s",
			       comm ?: "?", de->d_name,
			       stack && *stack ? stack : "(unknown: running, or no /proc/PID/stack)");
			shown++;
		}
		free(state);
		free(comm);
		free(stack);
	}
	closedir(d);
}

int hs_lp_wait(const struct hs_ctx *ctx, const struct hs_lp_env *env, const char *name)
{
	double t0 = hs_now(), waited;
	int signalled = 0, target, v;

	target = hs_lp_read(env, name, "enabled");
	for (long ms = 2;; ms = ms < 64 ? ms * 2 : 64) {
		v = hs_lp_read(env, name, "transition");
		if (v == 0 || v == -ENOENT)
			return 0;
		if (ms == 2 && ctx && ctx->verbosity >= HS_DEBUG) {
			hs_debug(ctx, "livepatch '%s': tasks not switched at the first look:", name);
			report_stragglers(ctx, env, target == 1 ? 1 : 0, HS_DEBUG);
		}
		waited = hs_now() - t0;
		if (env->cancel && *env->cancel) {
			hs_err(ctx, "livepatch '%s': interrupted while the transition was running", name);
			return -EINTR;
		}
		if (waited >= env->timeout)
			break;
		if (!signalled && waited >= env->signal_after) {
			/* 'signal' exists on kernels that do not signal stragglers themselves */
			if (hs_lp_read(env, name, "signal") != -ENOENT) {
				hs_info(ctx, "livepatch '%s': transition still running after %.1f s; signalling the remaining tasks",
					name, waited);
				lp_write(ctx, env, name, "signal", "1");
			}
			signalled = 1;
		}
		sleep_ms(ms);
	}
	hs_err(ctx, "livepatch '%s': transition not finished after %.0f s", name, env->timeout);
	report_stragglers(ctx, env, target == 1 ? 1 : 0, HS_ERROR);
	return -ETIMEDOUT;
}

int hs_lp_disable_unload(const struct hs_ctx *ctx, const struct hs_lp_env *env,
			 const char *name)
{
	int err;

	if (hs_lp_exists(env, name) && hs_lp_read(env, name, "enabled") == 1) {
		err = lp_write(ctx, env, name, "enabled", "0");
		if (err)
			return err;
	}
	if (hs_lp_exists(env, name)) {
		struct hs_lp_env back = *env;

		back.cancel = NULL;	/* going back to the old code is never given up */
		err = hs_lp_wait(ctx, &back, name);
		if (err)
			return err;
	}
	err = hs_lp_unload_module(ctx, name);
	if (!err && hs_lp_exists(env, name)) {
		/* delete_module() found no module of that name, yet the livepatch is there */
		hs_err(ctx, "livepatch '%s' is still registered after unloading module '%s'", name,
		       name);
		err = -EBUSY;
	}
	return err;
}

int hs_lp_undo(const struct hs_ctx *ctx, const struct hs_lp_env *env, const char *name)
{
	struct hs_lp_env back = *env;
	int err;

	err = lp_write(ctx, env, name, "enabled", "0");
	err = err ?: hs_lp_wait(ctx, env, name);
	if (!err)
		hs_mark(ctx, "switched");
	if (err == -ETIMEDOUT || err == -EINTR) {
		/* roll back: reverse the unpatching transition, the patch stays as it was */
		hs_err(ctx, "livepatch '%s': reversing the transition: it stays enabled", name);
		back.cancel = NULL;
		if (!lp_write(ctx, env, name, "enabled", "1") && !hs_lp_wait(ctx, &back, name))
			return err;
		hs_err(ctx, "livepatch '%s' is left in a transition; see 'hotsplice list' and retry",
		       name);
		return err;
	}
	err = err ?: hs_lp_unload_module(ctx, name);
	if (!err)
		hs_mark(ctx, "unloaded");
	return err;
}

int hs_lp_enable(const struct hs_ctx *ctx, const struct hs_lp_env *env, const char *name,
		 const void *image, size_t len, const char *params)
{
	int err;

	err = hs_lp_load_module(ctx, name, image, len, params);
	if (err)
		return err;
	hs_mark(ctx, "loaded");
	if (!hs_lp_exists(env, name)) {
		hs_err(ctx, "module '%s' loaded but registered no livepatch; unloading it", name);
		hs_lp_unload_module(ctx, name);
		return -EINVAL;
	}
	err = hs_lp_wait(ctx, env, name);
	if (!err) {
		hs_mark(ctx, "switched");
		return 0;
	}
	hs_err(ctx, "livepatch '%s': reversing the transition and unloading", name);
	if (hs_lp_disable_unload(ctx, env, name))
		hs_err(ctx, "livepatch '%s' could not be taken back out: it stays loaded", name);
	return err;
}
