// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_compile.c - compile each unit pre (source tree) and post (patched
 * shadow tree) with kbuild's own command line, in parallel.
 *
 * The shadow tree holds symbolic links to the source tree's entries, except
 * along the paths of the patched files, where directories are real and the
 * patched files are copies with the patch applied. For example, patching
 * kernel/sys.c gives shadow/kernel/sys.c (a patched copy), shadow/kernel/
 * fork.c -> source/kernel/fork.c and shadow/include -> source/include. The
 * post command line is the pre one with the source path replaced by the
 * shadow's, so "local.h" next to a .c file and patched headers resolve as in
 * a patched tree, and __FILE__ (-fmacro-prefix-map) stays the same.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/digest.h"
#include "build/kbuild_priv.h"

/* Turn @shadow/@rel (a symlink or missing) into a directory of symlinks. */
static int shadow_dir(struct hs_kbuild *kb, const char *shadow, const char *rel)
{
	char *dst = *rel ? hs_strdupf("%s/%s", shadow, rel) : strdup(shadow);
	char *src = *rel ? hs_strdupf("%s/%s", kb->source, rel) : strdup(kb->source);
	struct stat st;
	struct dirent *e;
	DIR *d;
	int err = 0;

	if (!dst || !src) {
		err = -ENOMEM;
		goto out;
	}
	if (!lstat(dst, &st) && S_ISDIR(st.st_mode))
		goto out;	/* done already */
	unlink(dst);
	if (mkdir(dst, 0755)) {
		err = -errno;
		hs_err(kb->ctx, "cannot create '%s': %s", dst, strerror(errno));
		goto out;
	}
	d = opendir(src);
	while (d && !err && (e = readdir(d))) {
		char *from, *to;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		from = hs_strdupf("%s/%s", src, e->d_name);
		to = hs_strdupf("%s/%s", dst, e->d_name);
		if (!from || !to)
			err = -ENOMEM;
		else if (symlink(from, to))
			err = -errno;
		free(from);
		free(to);
	}
	if (d)
		closedir(d);
out:
	free(dst);
	free(src);
	return err;
}

/* Make @rel (a file path) patchable in the shadow: real dirs, a real copy. */
static int shadow_file(struct hs_kbuild *kb, const char *shadow, const char *rel)
{
	char *path = strdup(rel), *from, *to;
	struct stat st;
	int err = 0;

	if (!path)
		return -ENOMEM;
	err = shadow_dir(kb, shadow, "");
	for (char *s = strchr(path, '/'); s && !err; s = strchr(s + 1, '/')) {
		*s = 0;
		err = shadow_dir(kb, shadow, path);
		*s = '/';
	}
	from = hs_strdupf("%s/%s", kb->source, rel);
	to = hs_strdupf("%s/%s", shadow, rel);
	if (!err && (!from || !to))
		err = -ENOMEM;
	if (!err && !lstat(to, &st) && S_ISLNK(st.st_mode))
		err = hs_copy_file(kb->ctx, from, to);
	free(path);
	free(from);
	free(to);
	return err;
}

static int make_shadow(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		       const char *shadow)
{
	int err = 0;

	hs_rm_rf(shadow);
	for (size_t i = 0; i < p->nfiles && !err; i++) {
		if (p->files[i].old_path)
			err = shadow_file(kb, shadow, p->files[i].old_path);
		if (!err && p->files[i].new_path)
			err = shadow_file(kb, shadow, p->files[i].new_path);
	}
	return err ?: hs_patch_apply(kb->ctx, patch_path, shadow);
}

/* @s with every @from replaced by @to; @token: only whole words. */
static char *replace(const char *s, const char *from, const char *to, bool token)
{
	size_t nf = strlen(from), nt = strlen(to), cap = strlen(s) + 1, o = 0;
	char *out;

	for (const char *q = s; (q = strstr(q, from)); q += nf)
		cap += nt;
	out = malloc(cap);
	if (!out)
		return NULL;
	while (*s) {
		bool word = !token || ((o == 0 || out[o - 1] == ' ') &&
				       (s[nf] == ' ' || s[nf] == ';' || !s[nf]));

		if (!strncmp(s, from, nf) && word) {
			memcpy(out + o, to, nt);
			o += nt;
			s += nf;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = 0;
	return out;
}

/* @s quoted for the shell: 'a'\''b'. */
static char *sq(const char *s)
{
	char *out = malloc(4 * strlen(s) + 3), *o = out;

	if (!out)
		return NULL;
	*o++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *s;
		}
	}
	*o++ = '\'';
	*o = 0;
	return out;
}

/* The shell command compiling @un into @out (dependency file next to it). */
static char *unit_cmd(struct hs_kbuild *kb, const struct hs_kbuild_unit *un, const char *out,
		      const char *shadow)
{
	const char *base = strrchr(un->obj, '/') ? strrchr(un->obj, '/') + 1 : un->obj;
	char *dep = hs_strdupf("-Wp,-MMD,%.*s.%s.d", (int)(base - un->obj), un->obj, base);
	char *qout = hs_strdupf("%s.d", out), *qdep = qout ? sq(qout) : NULL;
	char *newdep = qdep ? hs_strdupf("-Wp,-MMD,%s", qdep) : NULL;
	char *a = NULL, *b = NULL, *c = NULL, *qshadow = sq(shadow ? shadow : "");
	char *src = hs_strdupf("%s/", kb->source), *dst = hs_strdupf("%s/", qshadow);

	free(qout);
	qout = sq(out);
	if (dep && newdep && src && qshadow && dst && qout) {
		a = replace(un->cmd, dep, newdep, false);
		b = a ? replace(a, un->obj, qout, true) : NULL;
		c = b && shadow ? replace(b, src, dst, false) : b;
	}
	free(qout);
	free(qdep);
	free(qshadow);
	if (c != b)
		free(b);
	free(a);
	free(dep);
	free(newdep);
	free(src);
	free(dst);
	return c;
}

struct job {
	const struct hs_kbuild_unit *un;
	const char *kind;	/* "pre" or "post" */
	char *out, *log, *cmd;
	char *cached;		/* where the object cache keeps this job's object */
	bool hit;		/* taken from the cache: nothing to run */
	pid_t pid;
	double start;
};

/*
 * The object cache: <tree>/objcache/<key>.o, where the key is a digest of the
 * side (pre/post), the object, kbuild's command line for it, the extra flags,
 * and for post objects the patch text. The tree itself is keyed by source,
 * .config and compiler, so an entry can only be the object that would be built.
 */
static char *cache_path(struct hs_kbuild *kb, const struct job *j, const char *patch_text)
{
	char *text = hs_strdupf("%s\n%s\n%s\n%s\n%s", j->kind, j->un->obj, j->un->cmd,
				HS_KBUILD_EXTRA_CFLAGS, strcmp(j->kind, "post") ? "" : patch_text);

	return hs_kbuild_cache_file(kb, "objcache", text, ".o");
}

char *hs_kbuild_cache_file(const struct hs_kbuild *kb, const char *dir, char *key,
			   const char *ext)
{
	char hex[65];

	if (!key)
		return NULL;
	hs_sha256_hex(key, strlen(key), hex);
	free(key);
	return hs_strdupf("%s/%s/%.32s%s", kb->tree, dir, hex, ext);
}

/* Copy @from to @to through a temporary file, so a reader never sees half of it. */
static int copy_atomic(struct hs_kbuild *kb, const char *from, const char *to)
{
	char *tmp = hs_strdupf("%s.tmp.%d", to, (int)getpid());
	int err = tmp ? hs_copy_file(kb->ctx, from, tmp) : -ENOMEM;

	if (!err && rename(tmp, to))
		err = -errno;
	if (err && tmp)
		unlink(tmp);
	free(tmp);
	return err;
}

static int start_job(struct hs_kbuild *kb, struct job *j)
{
	char *dir = strdup(j->out), *cmd = hs_strdupf("set -e; %s", j->cmd);
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	int err = dir && cmd ? 0 : -ENOMEM;

	if (!err) {
		*strrchr(dir, '/') = 0;
		unlink(j->log);
		unlink(j->out);
		err = hs_mkdir_p(kb->ctx, dir);
		j->hit = !err && j->cached && !access(j->cached, R_OK) &&
			 !hs_copy_file(kb->ctx, j->cached, j->out);
		if (!err && !j->hit)
			err = hs_spawn_start(kb->ctx, argv, kb->tree, j->log, &j->pid);
	}
	j->start = hs_now();
	free(dir);
	free(cmd);
	return err;
}

static int finish_job(struct hs_kbuild *kb, struct job *j)
{
	int status = j->hit ? 0 : hs_spawn_wait(j->pid);
	char *text = NULL;

	if (status == 0) {
		if (j->hit) {
			hs_info(kb->ctx, "  compiled %-4s %s (cached)", j->kind, j->un->obj);
			return 0;
		}
		hs_info(kb->ctx, "  compiled %-4s %s (%.1f s)", j->kind, j->un->obj,
			hs_now() - j->start);
		if (j->cached)	/* best effort: a failed copy only costs a compile later */
			copy_atomic(kb, j->out, j->cached);
		return 0;
	}
	hs_err(kb->ctx, "'%s': %s compile failed (exit status %d); log '%s':", j->un->src,
	       j->kind, status, j->log);
	/* a patched file is compiled from the shadow copy: name it from the tree's top */
	if (!hs_read_file(kb->ctx, j->log, &text, NULL))
		hs_buildlog_report(kb->ctx, "  ", text, "/shadow/", 16);
	free(text);
	return -EIO;
}

int hs_kbuild_run_jobs(size_t n, int max, int (*start)(void *arg, size_t i),
		       int (*finish)(void *arg, size_t i), void *arg)
{
	size_t started = 0, done = 0;
	int err = 0;

	while (done < n) {
		while (!err && started < n && started - done < (size_t)(max > 0 ? max : 1)) {
			err = start(arg, started);
			started += !err;
		}
		if (done == started)
			break;
		err = finish(arg, done++) ?: err;
	}
	return err;
}

struct compile_jobs {
	struct hs_kbuild *kb;
	struct job *jobs;
};

static int start_nth(void *arg, size_t i)
{
	struct compile_jobs *c = arg;

	return start_job(c->kb, &c->jobs[i]);
}

static int finish_nth(void *arg, size_t i)
{
	struct compile_jobs *c = arg;

	return finish_job(c->kb, &c->jobs[i]);
}

int hs_kbuild_compile(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		      struct hs_kbuild_units *u, const char *outdir)
{
	struct job *jobs = calloc(2 * u->n + 1, sizeof(*jobs));
	char *shadow = NULL, *abs = NULL, *patch_text = NULL, *cachedir = NULL;
	int err = jobs ? hs_mkdir_p(kb->ctx, outdir) : -ENOMEM;

	/* the compiler runs in the tree: every path given to it is absolute */
	if (!err && !(abs = realpath(outdir, NULL)))
		err = -errno;
	if (!err && !(shadow = hs_strdupf("%s/shadow", abs)))
		err = -ENOMEM;
	outdir = abs;
	if (!err && strpbrk(outdir, " \t\n")) {
		/* gcc cannot take a dependency file (-Wp,-MMD,FILE) whose path has a space */
		hs_err(kb->ctx, "'%s': the work directory must not contain spaces", outdir);
		err = -EINVAL;
	}
	err = err ?: hs_kbuild_prereqs(kb, u);
	err = err ?: hs_kbuild_prereq_inputs(kb, u, p);
	err = err ?: make_shadow(kb, patch_path, p, shadow);
	if (!err && !hs_read_file(kb->ctx, patch_path, &patch_text, NULL)) {
		cachedir = hs_strdupf("%s/objcache", kb->tree);
		if (!cachedir || hs_mkdir_p(kb->ctx, cachedir)) {
			free(patch_text);	/* no cache: compile everything */
			patch_text = NULL;
		}
	}
	for (size_t i = 0; i < 2 * u->n && !err; i++) {
		struct job *j = &jobs[i];

		j->un = &u->u[i / 2];
		j->kind = i % 2 ? "post" : "pre";
		j->out = hs_strdupf("%s/%s/%s", outdir, j->kind, j->un->obj);
		j->log = hs_strdupf("%s.log", j->out ? j->out : "");
		j->cmd = j->out ? unit_cmd(kb, j->un, j->out, i % 2 ? shadow : NULL) : NULL;
		j->cached = patch_text ? cache_path(kb, j, patch_text) : NULL;
		if (!j->out || !j->log || !j->cmd)
			err = -ENOMEM;
	}
	err = err ?: hs_kbuild_run_jobs(2 * u->n, kb->jobs, start_nth, finish_nth,
					&(struct compile_jobs){ kb, jobs });
	for (size_t i = 0; i < 2 * u->n; i++) {
		if (!err && jobs[i].out) {
			char *dep = hs_strdupf("%s.d", jobs[i].out);

			unlink(jobs[i].log);
			if (dep)
				unlink(dep);
			free(dep);
		}
		free(jobs[i].out);
		free(jobs[i].log);
		free(jobs[i].cmd);
		free(jobs[i].cached);
	}
	free(patch_text);
	free(cachedir);
	if (!err)
		hs_rm_rf(shadow);
	free(jobs);
	free(shadow);
	free(abs);
	return err;
}

int hs_kbuild_shadow(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		     const char *shadow)
{
	return make_shadow(kb, patch_path, p, shadow);
}

char *hs_kbuild_unit_cmd(struct hs_kbuild *kb, const struct hs_kbuild_unit *un, const char *out,
			 const char *shadow)
{
	return unit_cmd(kb, un, out, shadow);
}
