// SPDX-License-Identifier: GPL-2.0
/* replay.c - re-apply the recorded updates for the running kernel at boot. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "target/apply.h"
#include "core/cache.h"
#include "target/livepatch.h"
#include "target/replay.h"
#include "target/state.h"
#include "target/status.h"

#define DISABLE_FILE "/etc/hotsplice/disable"
#define CMDLINE_OFF "hotsplice=off"

/* Messages of one apply: errors are kept for the outcome line, the rest passed on. */
struct capture {
	const struct hs_ctx *up;
	char errors[2048];	/* every error but the last, one per line */
	char last[1024];	/* the last error */
};

struct replay {
	const struct hs_ctx *ctx;
	const struct hs_replay_opts *o;
	struct hs_replay_result *r;
	struct utsname u;
	struct hs_state st;	/* a copy of the recorded updates (not locked) */
	unsigned char *bad;	/* per entry: failed or skipped because of a failure */
};

const char *hs_replay_run_dir(void)
{
	const char *r = getenv("HOTSPLICE_RUN");

	return r && *r ? r : "/run/hotsplice";
}

/* True if the kernel command line in @path holds the word hotsplice=off. */
static int cmdline_off(const char *path)
{
	char *text, *save = NULL;
	int off = 0;

	if (hs_read_file(NULL, path, &text, NULL))
		return 0;
	for (char *w = strtok_r(text, " \t\n", &save); w && !off; w = strtok_r(NULL, " \t\n", &save))
		off = !strcmp(w, CMDLINE_OFF);
	free(text);
	return off;
}

int hs_replay_disabled(const struct hs_replay_opts *o, char *why, size_t size)
{
	const char *file = o->disable_file ?: DISABLE_FILE;

	if (cmdline_off(o->cmdline ?: "/proc/cmdline")) {
		snprintf(why, size, "%s on the kernel command line", CMDLINE_OFF);
		return 1;
	}
	if (!access(file, F_OK)) {
		snprintf(why, size, "%s exists", file);
		return 1;
	}
	return 0;
}

/* Write one line to the kernel log, best effort: the boot goes on without it. */
static void kmsg(const struct replay *rp, enum hs_level level, const char *msg)
{
	static const char prio[] = { [HS_ERROR] = '3', [HS_WARN] = '4', [HS_INFO] = '6',
				     [HS_DEBUG] = '7' };
	const char *path = rp->o->kmsg ?: "/dev/kmsg";
	char line[1024];
	int fd, n;

	if (!*path)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "<%c>hotsplice: %s\n", prio[level], msg);
	if (n > 0 && write(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1) < 0)
		hs_debug(rp->ctx, "cannot write to '%s': %s", path, strerror(errno));
	close(fd);
}

/* One outcome line: to the command's log and to the kernel log. */
__attribute__((format(printf, 3, 4)))
static void outcome(const struct replay *rp, enum hs_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hs_log(rp->ctx, level, "%s", msg);
	kmsg(rp, level, msg);
}

/* Write the marker /run/hotsplice/replay (best effort). */
static void mark(const struct replay *rp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void mark(const struct replay *rp, const char *fmt, ...)
{
	const char *dir = rp->o->run_dir ?: hs_replay_run_dir();
	char line[1024], *path = hs_strdupf("%s/replay", dir);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (path && !hs_mkdir_p(NULL, dir))
		hs_write_file_atomic(NULL, path, line, (size_t)n);
	free(path);
}

int hs_replay_marker(const char *run_dir, char *buf, size_t size)
{
	char *path = hs_strdupf("%s/replay", run_dir ?: hs_replay_run_dir()), *text;
	int err;

	if (!path)
		return -ENOMEM;
	err = hs_read_file(NULL, path, &text, NULL);
	free(path);
	if (err)
		return err;
	text[strcspn(text, "\n")] = 0;
	snprintf(buf, size, "%s", text);
	free(text);
	return 0;
}

static void capture_print(void *arg, enum hs_level level, const char *msg)
{
	struct capture *c = arg;
	size_t n;

	if (level == HS_ERROR) {
		if (c->last[0]) {
			n = strlen(c->errors);
			snprintf(c->errors + n, sizeof(c->errors) - n, "%s\n", c->last);
		}
		snprintf(c->last, sizeof(c->last), "%s", msg);
		return;
	}
	/* apply's progress lines are details here: shown with -v */
	if (level == HS_INFO && c->up->verbosity < HS_DEBUG)
		return;
	if (c->up->print && level <= c->up->verbosity)
		c->up->print(c->up->print_arg, level, msg);
}

/* Which earlier update for this kernel, that did not make it, @i stacks on; -1 if none. */
static long stacks_on_failed(const struct replay *rp, size_t i)
{
	for (size_t k = i; k-- > 0;)
		if (rp->bad[k] && hs_funcs_overlap(rp->st.v[k].funcs, rp->st.v[i].funcs))
			return (long)k;
	return -1;
}

/* Apply recorded update @i through the verified apply path. */
static void replay_one(struct replay *rp, size_t i)
{
	const struct hs_state_entry *e = &rp->st.v[i];
	struct capture cap = { .up = rp->ctx };
	struct hs_ctx quiet = { .print = capture_print, .print_arg = &cap,
				.verbosity = HS_DEBUG };
	struct hs_apply_opts ao = { .state_root = rp->st.root, .timeout = rp->o->timeout,
				    .replaying = 1 };
	char *path = hs_state_package_path(&rp->st, e->id);
	int err;

	if (!path) {
		err = -ENOMEM;
	} else {
		ao.package = path;
		err = hs_apply(&quiet, &ao);
		free(path);
	}
	if (!err) {
		outcome(rp, HS_INFO, "replay: update '%s' applied", e->id);
		rp->r->applied++;
		return;
	}
	if (err == -HS_ENOCHANGE) {
		outcome(rp, HS_INFO, "replay: update '%s' skipped: already applied", e->id);
		rp->r->already++;
		return;
	}
	for (char *l = cap.errors, *nl; l && *l; l = nl ? nl + 1 : NULL) {
		nl = strchr(l, '\n');	/* NULL on the last line when the buffer filled up */
		if (nl)
			*nl = 0;
		hs_err(rp->ctx, "%s", l);
	}
	outcome(rp, HS_ERROR, "replay: update '%s' failed: %s", e->id,
		cap.last[0] ? cap.last : hs_strerror(err));
	rp->bad[i] = 1;
	rp->r->failed++;
}

/* Go through the recorded updates in order. */
static void replay_all(struct replay *rp)
{
	for (size_t i = 0; i < rp->st.n; i++) {
		const struct hs_state_entry *e = &rp->st.v[i];
		long dep;

		if (!hs_state_entry_matches(e, rp->u.release, rp->u.version)) {
			outcome(rp, HS_INFO, "replay: update '%s' skipped: recorded for kernel %s%s",
				e->id, e->release,
				strcmp(e->release, rp->u.release) ? "" : " with another version string");
			rp->r->other_kernel++;
			continue;
		}
		if (e->superseded_by) {
			outcome(rp, HS_INFO, "replay: update '%s' skipped: replaced by cumulative update '%s'",
				e->id, e->superseded_by);
			rp->r->superseded++;
			continue;
		}
		dep = stacks_on_failed(rp, i);
		if (dep >= 0) {
			outcome(rp, HS_ERROR, "replay: update '%s' skipped: it replaces functions of '%s', which was not applied",
				e->id, rp->st.v[dep].id);
			rp->bad[i] = 1;
			rp->r->failed++;
			continue;
		}
		replay_one(rp, i);
	}
}

/* Read the recorded updates, then let go of the lock: each apply takes it again. */
static int read_state(struct replay *rp)
{
	const char *root = rp->o->state_root ?: hs_state_default_root();
	struct capture cap = { .up = rp->ctx };
	struct hs_ctx quiet = { .print = capture_print, .print_arg = &cap,
				.verbosity = HS_DEBUG };
	struct hs_lp_env env;
	int fd, err;

	err = hs_state_open(&quiet, root, &rp->st);
	if (err) {
		outcome(rp, HS_ERROR, "replay: nothing applied: %s",
			cap.last[0] ? cap.last : hs_strerror(err));
		return err;
	}
	/* even with nothing to replay, a livepatch an interrupted apply left goes */
	hs_lp_env_init(&env);
	if (rp->o->timeout > 0)
		env.timeout = rp->o->timeout;
	if (hs_reconcile(rp->ctx, &env, &rp->st))
		outcome(rp, HS_ERROR, "replay: livepatch '%s', left by an interrupted apply, could not be taken out",
			rp->st.intent);
	fd = rp->st.lockfd;
	rp->st.lockfd = -1;
	hs_unlock(fd);
	rp->bad = calloc(rp->st.n + 1, 1);
	return rp->bad ? 0 : -ENOMEM;
}

int hs_replay(const struct hs_ctx *ctx, const struct hs_replay_opts *o,
	      struct hs_replay_result *r)
{
	struct replay rp = { .ctx = ctx, .o = o, .r = r, .st = { .lockfd = -1 } };
	char why[512];
	int err;

	memset(r, 0, sizeof(*r));
	if (hs_replay_disabled(o, why, sizeof(why))) {
		outcome(&rp, HS_INFO, "replay: disabled (%s); no update applied", why);
		mark(&rp, "disabled: %s", why);
		r->disabled = 1;
		return 0;
	}
	if (uname(&rp.u))
		return -errno;
	err = read_state(&rp);
	if (err) {
		mark(&rp, "failed: the state store cannot be read; nothing applied");
		goto out;
	}
	replay_all(&rp);
	outcome(&rp, r->failed ? HS_ERROR : HS_INFO,
		"replay: %zu applied, %zu already applied, %zu for another kernel, %zu failed",
		r->applied, r->already, r->other_kernel, r->failed);
	mark(&rp, "%zu applied, %zu already applied, %zu for another kernel, %zu failed",
	     r->applied, r->already, r->other_kernel, r->failed);
	err = r->failed ? -HS_EREFUSED : 0;
out:
	free(rp.bad);
	hs_state_close(&rp.st);
	return err;
}
