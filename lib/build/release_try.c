// SPDX-License-Identifier: GPL-2.0
/*
 * release_try.c - the whole-release update's runs of create: each changed
 * file alone, then those that need partners together with the live ones.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/fsutil.h"
#include "build/release_priv.h"
#include "diff/diff.h"
#include "klp/klp.h"
#include "core/strv.h"

/*
 * "...; log '/.../x.o.log':" ends a failed compile's error: the run's work
 * directory is removed after it, so the report keeps the compiler's word instead.
 */
static void cut_log(char *line)
{
	char *log = strstr(line, "; log '");

	if (log && hs_str_ends(log, "':"))
		strcpy(log, ":");
}

/* Append to @line the first line of @next, without its indent (a compiler's error). */
static void add_detail(char *line, size_t size, const char *next)
{
	size_t len = strlen(line);

	next += strspn(next, " ");
	snprintf(line + len, size - len, " %.*s", (int)strcspn(next, "\n"), next);
}

/*
 * The symbol or type a refusal line of the diff is about ("'x.o': symbol 'y':
 * class: reason"), in @key, and where its "symbol 'y'..." begins; NULL if @msg
 * is none.
 */
static const char *refusal(const char *msg, char key[96])
{
	const char *at = msg[0] == '\'' ? strstr(msg, "': ") : NULL, *end;

	if (!at || (strncmp(at + 3, "symbol '", 8) && strncmp(at + 3, "type '", 6)))
		return NULL;
	at += 3;
	end = strstr(strchr(at, '\'') + 1, "': ");
	if (!end || end - at >= 95)
		return NULL;
	snprintf(key, 96, "%.*s", (int)(end + 1 - at), at);
	return at;
}

/* Add to @c->first, a refusal, the other refusal @msg of the same run: once each. */
static void capture_also(struct capture *c, const char *msg)
{
	char key[96];
	const char *what = refusal(msg, key);
	size_t len;

	if (!what || !c->nseen)
		return;
	for (size_t k = 0; k < c->nseen; k++)
		if (!strcmp(c->seen[k], key))
			return;
	if (c->nseen < CAPTURE_SEEN)
		memcpy(c->seen[c->nseen++], key, sizeof(key));
	else
		c->over = true;	/* no longer told apart: counted no more */
	len = strlen(c->first);
	if (!c->also_end) {
		snprintf(c->first + len, sizeof(c->first) - len, "; also refused: %s", what);
		hs_utf8_cut(c->first);
		c->also_end = strlen(c->first);
		return;
	}
	c->more += !c->over;
	snprintf(c->first + c->also_end, sizeof(c->first) - c->also_end,
		 c->over ? " (and more than %zu more)" : " (and %zu more)", c->more);
}

static void capture_print(void *arg, enum hs_level level, const char *msg)
{
	struct capture *c = arg;

	if (!strncmp(msg, "timing: ", 8)) {
		if (c->timing)
			hs_info(c->out, "timing: %s: %s", c->path ? c->path : "the build", msg + 8);
		return;
	}
	if (c->echo)
		hs_log(c->out, level, "%s", msg);
	if (level == HS_INFO && strstr(msg, "not needed live") && !c->not_needed[0])
		snprintf(c->not_needed, sizeof(c->not_needed), "%s", msg);
	if (c->out && c->path && ((level == HS_INFO && (!strncmp(msg, "  preprocessed ", 15) ||
	    strstr(msg, "built files: screening") || strstr(msg, HS_KBUILD_FIRST))) ||
	    strstr(msg, HS_KBUILD_FIRST_FAILED)))
		hs_info(c->out, "  %s: %s", c->path, msg + strspn(msg, " "));
	if (level == HS_WARN && c->silent &&
	    (strstr(msg, HS_KLP_TRACEPOINT_OFF) || strstr(msg, HS_DIFF_EXPORT_NOT_LIVE)))
		hs_strbuf_printf(c->silent, "%s\n", msg);
	if (level != HS_ERROR)
		return;
	if (strstr(msg, "needs its partner files") || strstr(msg, "does not compile"))
		c->partner = 1;
	if (c->all)
		hs_strbuf_printf(c->all, "%s\n", msg);
	if (c->first[0] && c->detail && msg[0] == ' ') {
		/* the compiler's first error after "... compile failed:": the log is gone */
		add_detail(c->first, sizeof(c->first), msg);
		c->detail = false;
	}
	if (c->first[0]) {
		capture_also(c, msg);
		return;
	}
	snprintf(c->first, sizeof(c->first), "%s", msg);
	c->nseen = refusal(msg, c->seen[0]) ? 1 : 0;
	c->more = c->also_end = 0;
	c->over = false;
	cut_log(c->first);
	c->detail = c->first[0] && c->first[strlen(c->first) - 1] == ':';
	for (char *p = c->first; *p; p++)	/* one report line */
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
}

/* The built includers one header may bring alone (--max-header-files). */
static size_t per_header(const struct release *r)
{
	return r->o->max_header_files ? r->o->max_header_files : HS_KBUILD_HEADER_USERS;
}

/* Run create (classification only unless @build) on @patch; errors into @cap (and on if it echoes). */
int hs_release_try_create(struct release *r, const char *patch, struct hs_create_opts *co,
			  struct capture *cap, bool build)
{
	struct hs_ctx quiet = { .print = capture_print, .print_arg = cap,
				.timing = cap->timing && r->ctx->timing,
				.verbosity = cap->echo && r->ctx->verbosity > HS_INFO ?
					     r->ctx->verbosity : HS_INFO };
	char *work;
	int err;

	/* a work directory of its own, removed after: a failed compile's logs do not pile up */
	work = hs_strdupf("%s/run-%ld", r->work, (long)getpid());
	if (!work)
		return -ENOMEM;
	co->workdir = work;
	co->patch = patch;
	co->on_top_of = NULL;	/* the release diff is from the pristine OLD already */
	co->non_top_of = 0;
	co->dry_run = !build || r->o->dry_run;
	co->builtin_init_ok = true;
	/* each header narrowed as it was alone, whatever the run's budget (rtnetlink.h) */
	co->narrow_header_over = per_header(r);
	co->no_print = true;
	co->quiet = true;
	err = hs_create(&quiet, co);
	hs_rm_rf(work);
	free(work);
	co->workdir = NULL;
	/*
	 * A create frees what it took, but a screen of a thousand includers leaves
	 * the heap gigabytes wide (2.8 GB by the 343rd file of 6.1.190, 0.4 GB in
	 * use): give it back between runs.
	 */
	malloc_trim(0);
	return err;
}

/* What one file's run alone says, sent back from its process. */
struct alone {
	int rc;
	int partner;
	char first[512];
	char not_needed[512];
};

/* A run alone in its own process: a child per file, @jobs of them at a time. */
struct runner {
	pid_t pid;
	int fd;		/* the read end of the child's result */
	size_t i;	/* the file */
};

/* Start file @i's run alone in a child; its result comes through @w->fd. */
static int start_alone(struct release *r, size_t i, struct runner *w)
{
	char *patch = hs_strdupf("%s/file-%zu.diff", r->work, i);
	size_t n;
	int p[2] = { -1, -1 }, err;

	err = patch ? hs_release_write_patch(r, V_NV, V_NV, i, patch, &n) : -ENOMEM;
	if (!err && pipe(p))
		err = -errno;
	fflush(NULL);
	w->pid = err ? -1 : fork();
	if (!err && w->pid < 0)
		err = -errno;
	if (!err && w->pid == 0) {
		struct hs_create_opts co = *r->o;
		struct capture cap = { .out = r->ctx, .path = r->f[i].path };
		struct alone a = { 0 };

		/* a release killed by a signal takes its runs with it (its work directory goes) */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		close(p[0]);
		a.rc = hs_release_try_create(r, patch, &co, &cap, false);
		a.partner = cap.partner;
		memcpy(a.first, cap.first, sizeof(a.first));
		memcpy(a.not_needed, cap.not_needed, sizeof(a.not_needed));
		_exit(hs_write_all(p[1], &a, sizeof(a)) ? 1 : 0);
	}
	if (p[1] >= 0)
		close(p[1]);
	if (err && p[0] >= 0)
		close(p[0]);
	w->fd = err ? -1 : p[0];
	w->i = i;
	free(patch);
	return err;
}

/* The result of @w's child (which has exited with wait status @status). */
static void read_alone(const struct runner *w, int status, struct alone *a)
{
	ssize_t got = read(w->fd, a, sizeof(*a));

	close(w->fd);
	if (got == (ssize_t)sizeof(*a) && WIFEXITED(status) && !WEXITSTATUS(status))
		return;
	memset(a, 0, sizeof(*a));
	a->rc = -EIO;
	snprintf(a->first, sizeof(a->first), "the create run of this file ended without a "
		 "result (%s %d)", WIFSIGNALED(status) ? "signal" : "exit status",
		 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* File @i's verdict from its run alone. */
static void judge_alone(struct release *r, size_t i, const struct alone *a, size_t done,
			size_t total)
{
	struct rfile *f = &r->f[i];

	r->tries++;
	if (!a->rc)
		f->v = V_LIVE;
	else if (a->rc == -HS_ENOCHANGE)
		f->v = V_NOT_NEEDED,
		snprintf(f->detail, sizeof(f->detail), "%s", a->not_needed[0] ?
			 a->not_needed : "no change to the compiled objects");
	else if (a->rc == -HS_EREFUSED && !a->partner)
		f->v = V_REFUSED;
	if (f->v != V_LIVE && f->v != V_NOT_NEEDED)
		snprintf(f->detail, sizeof(f->detail), "%s",
			 a->first[0] ? a->first : hs_strerror(a->rc));
	hs_info(r->ctx, "[%zu/%zu] %s: %s%s%s", done, total, f->path,
		f->v == V_PENDING ? "not alone; tried with the others later" :
		hs_release_verdict_names[f->v], f->v == V_REFUSED ? ": " : "",
		f->v == V_REFUSED ? f->detail : "");
}

/*
 * Each pending file alone, as many at a time as the compile's jobs: a run is
 * mostly one core's work (classification, the screen's reading), and the runs
 * do not depend on each other. Each runs in a process of its own (create's
 * memory and its failures stay there); the verdicts are the same in any order.
 */
int hs_release_try_alone(struct release *r)
{
	int max = r->kb.jobs > 0 ? r->kb.jobs : 1, running = 0, err = 0;
	struct runner *w = calloc(max, sizeof(*w));
	size_t next = 0, done = 0, total = 0;

	for (size_t i = 0; i < r->n; i++)
		total += r->f[i].v == V_PENDING;
	err = w ? 0 : -ENOMEM;
	while (!err || running) {
		struct alone a;
		int status, k;
		pid_t pid;

		while (!err && running < max && next < r->n) {
			if (r->f[next].v == V_PENDING) {
				for (k = 0; w[k].pid > 0; k++)
					;
				err = start_alone(r, next, &w[k]);
				running += !err;
			}
			next++;
		}
		if (!running)
			break;
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		for (k = 0; k < max && (pid <= 0 || w[k].pid != pid); k++)
			;
		if (k == max) {
			err = err ?: -ECHILD;	/* cannot happen: every child is ours */
			break;
		}
		read_alone(&w[k], status, &a);
		judge_alone(r, w[k].i, &a, ++done, total);
		w[k].pid = 0;
		running--;
	}
	free(w);
	if (!err)
		hs_release_stage(r, "made each file alone");
	return err;
}

/*
 * The header budget of a run of several files (the group, the build): each
 * patched header of it may bring the includers one header may bring alone
 * (--max-header-files), so that headers that went live one by one still do
 * together (6.1.190's live headers changed the code of 22 built files, one
 * more than 20 in all: the whole update was refused at its build).
 */
size_t hs_release_header_budget(const struct release *r, enum verdict a, enum verdict b)
{
	size_t per = per_header(r), n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += hs_release_carried(&r->f[i], a, b) && hs_str_ends(r->f[i].path, ".h");
	return per * (n ? n : 1);
}

/* The error line of @all that names file @path ('path', or its object, also under a directory), or NULL. */
static const char *names(const char *all, const char *path, char *line, size_t size)
{
	char quoted[600], obj[600];
	size_t n = strlen(path);
	const char *at;

	snprintf(quoted, sizeof(quoted), "'%s'", path);
	snprintf(obj, sizeof(obj), "'%.*s.o'", (int)(n > 2 ? n - 2 : n), path);
	at = strstr(all, quoted);
	if (!at && hs_str_ends(path, ".c"))
		at = strstr(all, obj);
	if (!at && hs_str_ends(path, ".c")) {
		obj[0] = '/';	/* the object by its path in a work directory: '/tmp/.../post/x.o' */
		at = strstr(all, obj);
	}
	if (!at)
		return NULL;
	while (at > all && at[-1] != '\n')
		at--;
	n = strcspn(at, "\n");
	snprintf(line, size, "%.*s", (int)n, at);
	cut_log(line);
	at += n + !!at[n];
	if (line[0] && line[strlen(line) - 1] == ':' && at[0] == ' ')
		add_detail(line, size, at);	/* a failed compile's: the compiler's first line */
	return line;
}

/* Add @said to the detail of each live file warning @one names, once, the first after @lead. */
static void note_live(struct release *r, const char *one, const char *lead, const char *said)
{
	char line[512];

	for (size_t i = 0; i < r->n; i++) {
		size_t len = strlen(r->f[i].detail);

		/* once each: a function may hold two sites of one tracepoint */
		if (r->f[i].v != V_LIVE || !names(one, r->f[i].path, line, sizeof(line)) ||
		    strstr(r->f[i].detail, said))
			continue;
		if (len && strstr(r->f[i].detail, lead))
			snprintf(r->f[i].detail + len, sizeof(r->f[i].detail) - len, ", %s", said);
		else
			snprintf(r->f[i].detail + len, sizeof(r->f[i].detail) - len, "%s%s%s",
				 len ? "; " : "", lead, said);
	}
}

void hs_release_note_silent(struct release *r, const char *silent)
{
	char fn[256], tp[256], ex[256], said[520];

	for (const char *l = silent; l && *l; l += strcspn(l, "\n"), l += !!*l) {
		char one[1024];
		const char *at;

		snprintf(one, sizeof(one), "%.*s", (int)strcspn(l, "\n"), l);
		at = strstr(one, "': function '");
		if (at && sscanf(at, "': function '%255[^']': tracepoint '%255[^']'", fn, tp) == 2) {
			snprintf(said, sizeof(said), "%s in %s", tp, fn);
			note_live(r, one, "tracepoints that do not fire in the new code while the "
				  "update is live (a module's jump labels cannot be relocated in "
				  "time): ", said);
		}
		at = strstr(one, "(EXPORT_SYMBOL; ");
		if (at && sscanf(at, "(EXPORT_SYMBOL; %255[^)])", ex) == 1)
			note_live(r, one, "exports that change only after a reboot: ", ex);
	}
}

/*
 * The files of verdict @v that the errors @all name: refused, or (@leave_out, of the
 * not-needed-live ones) left out of the runs that follow; each with the error line.
 */
static size_t on_named(struct release *r, const char *all, enum verdict v, bool leave_out)
{
	char line[512];
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++) {
		size_t len = strlen(r->f[i].detail);

		if (r->f[i].v != v || (leave_out && r->f[i].left_out) ||
		    !names(all, r->f[i].path, line, sizeof(line)))
			continue;
		if (leave_out)
			r->f[i].left_out = true;
		else
			r->f[i].v = V_REFUSED;
		snprintf(r->f[i].detail + len, sizeof(r->f[i].detail) - len, "%s%s%s%s",
			 len ? "; " : "", leave_out ? "not carried in the update (the other "
			 "changes' errors name it: " : "with the other changes too: ", line,
			 leave_out ? ")" : "");
		n++;
	}
	return n;
}

size_t hs_release_refuse_named(struct release *r, const char *all, enum verdict v)
{
	return on_named(r, all, v, false);
}

size_t hs_release_leave_out_named(struct release *r, const char *all)
{
	return on_named(r, all, V_NOT_NEEDED, true);
}

size_t hs_release_round_refuse(struct release *r, const char *all, size_t *pending)
{
	/*
	 * No pending file named, but a live one: it went live alone, not with the
	 * others (6.1.190's fs/nfs/internal.h, whose includer pnfs_nfs.c needs the
	 * change of a refused file); it is refused, not all of the pending ones.
	 */
	size_t n;

	if ((*pending = hs_release_refuse_named(r, all, V_PENDING)))
		return *pending;
	if ((n = hs_release_refuse_named(r, all, V_LIVE)))
		return n;
	return hs_release_leave_out_named(r, all);
}

/*
 * The sources a group round compiles first, in two tiers (each sorted): the
 * files the last round carried and this one does not (@was: carried then),
 * taken out by its errors or refused before this round, then their
 * includers. Their old text with the rest's new text is what is likely not
 * to compile (6.1.192's block/bfq-cgroup.c, taken out, with the carried
 * bfq-iosched.h): a few compiles say so before thousands run.
 */
static int suspects(struct release *r, const bool *was, struct hs_strv tier[2])
{
	int err = 0;

	for (size_t i = 0; i < r->n && !err; i++) {
		char *const *users;
		size_t n;

		if (!was[i] || hs_release_carried(&r->f[i], V_PENDING, V_LIVE))
			continue;
		err = hs_strv_push(&tier[0], r->f[i].path, strlen(r->f[i].path));
		n = err ? 0 : hs_release_includers(r, i, &users);
		for (size_t k = 0; k < n && !err; k++)
			err = hs_strv_push(&tier[1], users[k], strlen(users[k]));
	}
	hs_strv_sort_uniq(&tier[0]);
	hs_strv_sort_uniq(&tier[1]);
	return err;
}

/*
 * The pending files with every live one, in rounds: a round that is refused
 * refuses the pending files its errors name, and the others are tried again
 * without them (one file whose partner needs a reboot no longer takes the
 * whole group with it; hs_release_round_refuse()). When the errors name no
 * file at all, the rest are refused. Before each round, the pending files
 * that need what only refused changes provide are refused
 * (hs_release_refuse_unprovided()): each would fail a round of its own.
 */
int hs_release_try_together(struct release *r)
{
	struct hs_create_opts co = *r->o;
	struct hs_strbuf all = { .s = malloc(256), .cap = 256 };
	struct capture cap = { .out = r->ctx, .path = "the files together", .all = &all,
			       .timing = true };
	char *patch = hs_strdupf("%s/together.diff", r->work);
	bool *was = calloc(r->n + 1, sizeof(*was));	/* carried by the last round */
	struct hs_strv first[2] = { { 0 }, { 0 } };
	size_t n = 0, pending = 0, named = 0, took = 1;
	int err = patch && all.s && was ? 0 : -ENOMEM, rc = 0;

	for (size_t i = 0; i < r->n; i++)
		pending += r->f[i].v == V_PENDING;
	for (int round = 1; !err && took && round <= HS_RELEASE_GROUP_ROUNDS; round++) {
		/* those a refused change takes with it for sure: a round less each */
		pending -= hs_release_refuse_unprovided(r);
		if (!pending)
			break;
		all.len = 0;
		all.s[0] = 0;
		cap.first[0] = 0;
		hs_strv_free(&first[0]);
		hs_strv_free(&first[1]);
		err = err ?: suspects(r, was, first);
		for (size_t i = 0; i < r->n && !err; i++)
			was[i] = hs_release_carried(&r->f[i], V_PENDING, V_LIVE);
		co.first = first;
		co.nfirst = 2;
		err = err ?: hs_release_write_patch(r, V_PENDING, V_LIVE, (size_t)-1, patch, &n);
		co.max_header_files = hs_release_header_budget(r, V_PENDING, V_LIVE);
		rc = err ? 0 : hs_release_try_create(r, patch, &co, &cap, false);
		r->tries++;
		named = 0;
		took = rc && !all.err ? hs_release_round_refuse(r, all.s, &named) : 0;
		hs_info(r->ctx, "round %d: %zu file(s) that need partners, with the %zu live and "
			"not-needed-live: %s%s%s", round, pending, n - pending, !rc ? "live" : took ?
			"refused; tried again without the files the errors name" : "refused",
			rc ? ": " : "", rc ? cap.first[0] ? cap.first : hs_strerror(rc) : "");
		pending -= named;
		hs_release_stage(r, "made the group");
		if (!rc)
			break;
	}
	for (size_t i = 0; i < r->n && !err; i++)
		if (r->f[i].v == V_PENDING && !rc) {
			r->f[i].v = V_LIVE;
			r->f[i].detail[0] = 0;
		} else if (r->f[i].v == V_PENDING) {
			size_t len = strlen(r->f[i].detail);

			r->f[i].v = V_REFUSED;
			snprintf(r->f[i].detail + len, sizeof(r->f[i].detail) - len,
				 "; with the other changes too: %s", cap.first[0] ? cap.first :
				 hs_strerror(rc));
		}
	hs_strv_free(&first[0]);
	hs_strv_free(&first[1]);
	free(was);
	free(all.s);
	free(patch);
	return err;
}
