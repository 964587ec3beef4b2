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
#include "core/strv.h"
#include "build/kbuild_priv.h"

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
	char *narrow;		/* a post job: its narrow key's entry, or NULL */
	bool want_deps;		/* a pre job: taken from the cache only with its .deps */
	bool hit;		/* taken from the cache: nothing to run */
	bool again;		/* a post job that read an unpatched file: to run again */
	pid_t pid;
	double start;
};

/*
 * In the keys of post objects: those made before the shadow's paths with ".."
 * were checked (kbuild_shadow.c) may have read a patched header unpatched (v2),
 * or were compiled without POST_WERROR (v3).
 */
#define POST_VERSION " v3"

/*
 * Warnings that are errors in the post compile: an integer where a pointer is
 * expected is what a file compiled against the other half of its fix left out
 * gives (6.1.190's request_key_auth.c with rka->pid a struct pid *, its header
 * unpatched: "put_pid(rka->pid)" passed an int and went live). kbuild already
 * makes implicit declarations and incompatible pointers errors.
 */
#define POST_WERROR "-Werror=int-conversion"

/* @cmd with @flags after its first word (the compiler), or NULL. */
static char *add_flags(const char *cmd, const char *flags)
{
	size_t lead = strspn(cmd, " \t"), word = strcspn(cmd + lead, " \t");

	return hs_strdupf("%.*s %s%s", (int)(lead + word), cmd, flags, cmd + lead + word);
}

/*
 * The object cache: <tree>/objcache/<key>.o, where the key is a digest of the
 * side (pre/post), the object, kbuild's command line for it, the extra flags,
 * and for post objects the patch text. The tree itself is keyed by source,
 * .config and compiler, so an entry can only be the object that would be built.
 */
static char *cache_path(struct hs_kbuild *kb, const struct job *j, const char *patch_text)
{
	bool post = !strcmp(j->kind, "post");
	char *text = hs_strdupf("%s%s\n%s\n%s\n%s\n%s", j->kind, post ? POST_VERSION : "",
				j->un->obj, j->un->cmd, HS_KBUILD_EXTRA_CFLAGS,
				post ? patch_text : "");

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

/*
 * A second key for post objects, narrower than the whole patch: the files
 * the unit read pre (its dependency file, kept in the cache next to the pre
 * object as "<key>.deps", one source-relative path a line) decide which
 * patched files can matter; the key is the digest of the unit's command
 * line and the patched text of those files and of the new ones. A post
 * object is stored under it only when it read nothing else of the source
 * (hs_kbuild_compile() checks its dependency file), so an entry is the object
 * any patch that patches those files the same way would build: a release
 * update's groups and its final build reuse the objects of each file made
 * alone. The screen keeps its summaries of the includers' post text the
 * same way (hs_kbuild_narrow_key(), kbuild_screen.c).
 */

static bool deps_has(const struct hs_strv *d, const char *path)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i], path))
			return true;
	return false;
}

const char *hs_kbuild_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(path, prefix, n) && path[n] == '/' ? path + n + 1 : NULL;
}

int hs_kbuild_read_path(const struct hs_kbuild *kb, const char *shadow, const char *path,
			char *out, size_t size)
{
	const char *rel = hs_kbuild_under(path, kb->source) ?:
			  shadow ? hs_kbuild_under(path, shadow) : NULL;

	if (rel) {	/* "vmx/../x86.h" is x86.h: a patched file is known by its own path */
		hs_kbuild_path_join(out, size, "", 0, rel);
		return 1;
	}
	if (path[0] == '/' && strncmp(path, "/usr/", 5) && !hs_kbuild_under(path, kb->tree))
		return -ENOENT;
	return 0;
}

/*
 * Read the make rule @path (gcc -MMD) of unit @un into @d: the prerequisites
 * under the source tree or the shadow @shadow, relative to it. Files of the
 * prepared tree (relative paths: generated ones) and the compiler's own
 * headers (under /usr) are left out: the tree's key covers them. Anything
 * else, or a rule that does not name the unit's own source, makes the
 * dependencies unknown: -ENOENT.
 */
static int deps_read_rule(struct hs_kbuild *kb, const char *path, const char *shadow,
			  const struct hs_kbuild_unit *un, struct hs_strv *d)
{
	char *text = NULL, *tok, *save = NULL, norm[4096];
	int err = hs_read_file(kb->ctx, path, &text, NULL);
	bool target = true;

	for (tok = err ? NULL : strtok_r(text, " \t\n\\", &save); tok && !err;
	     tok = strtok_r(NULL, " \t\n\\", &save)) {
		int in;

		if (target) {		/* "out.o:" */
			target = tok[strlen(tok) - 1] != ':';
			continue;
		}
		in = hs_kbuild_read_path(kb, shadow, tok, norm, sizeof(norm));
		if (in < 0)
			err = in;
		else if (in && !deps_has(d, norm))
			err = hs_strv_push(d, norm, strlen(norm));
	}
	free(text);
	if (!err && !deps_has(d, un->src))
		err = -ENOENT;
	if (err)
		hs_strv_free(d);
	return err;
}

/* The pre dependencies kept in the cache for @pre (a pre job): 0 or -ENOENT. */
static int deps_cached(struct hs_kbuild *kb, const struct job *pre, struct hs_strv *d)
{
	char *path = pre->cached ? hs_strdupf("%s.deps", pre->cached) : NULL;
	char *text = NULL, *line, *save = NULL, norm[4096];
	int err = path && !access(path, R_OK) ? hs_read_file(kb->ctx, path, &text, NULL) : -ENOENT;

	for (line = err ? NULL : strtok_r(text, "\n", &save); line && !err;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(line, "-")) {
			err = -ENOENT;
			break;
		}
		hs_kbuild_path_join(norm, sizeof(norm), "", 0, line);	/* kept before it was */
		err = hs_strv_push(d, norm, strlen(norm));
	}
	free(text);
	free(path);
	if (!err && !d->n)
		err = -ENOENT;
	if (err)
		hs_strv_free(d);
	return err;
}

/* Keep the dependencies of the pre job @j (just compiled) next to its cached object. */
static void deps_keep(struct hs_kbuild *kb, const struct job *j)
{
	struct hs_strv d = { 0 };
	char *rule = hs_strdupf("%s.d", j->out), *path = hs_strdupf("%s.deps", j->cached);
	char *tmp = path ? hs_strdupf("%s.tmp.%d", path, (int)getpid()) : NULL;
	FILE *f = NULL;

	/* unknown ones are kept as "-", so that the object is not compiled again for them */
	if (rule && tmp && (f = fopen(tmp, "w"))) {
		if (deps_read_rule(kb, rule, NULL, j->un, &d))
			fprintf(f, "-\n");
		for (size_t i = 0; i < d.n; i++)
			fprintf(f, "%s\n", d.v[i]);
		if (fclose(f) || rename(tmp, path))
			unlink(tmp);
	}
	hs_strv_free(&d);
	free(rule);
	free(path);
	free(tmp);
}

/* Does the patch file @f touch one of @d, or add a file? */
static bool touches(const struct hs_patch_file *f, const struct hs_strv *d)
{
	return f->is_new || (f->old_path && deps_has(d, f->old_path)) ||
	       (f->new_path && deps_has(d, f->new_path));
}

/* Do @a and @b (@na, @nb bytes) have the same lines, those @da and @db leave out taken as empty? */
static bool same_live_lines(const char *a, size_t na, const bool *da, const char *b, size_t nb,
			    const bool *db)
{
	size_t i = 0, k = 0, ln = 0;

	while (i <= na && k <= nb) {
		size_t ea = i, eb = k;
		bool out_a, out_b;

		while (ea < na && a[ea] != '\n')
			ea++;
		while (eb < nb && b[eb] != '\n')
			eb++;
		out_a = da && da[ln];
		out_b = db && db[ln];
		if (out_a != out_b || (!out_a && (ea - i != eb - k || memcmp(a + i, b + k, ea - i))))
			return false;
		if ((ea == na) != (eb == nb))
			return false;	/* one has more lines */
		if (ea == na)
			return true;
		i = ea + 1, k = eb + 1, ln++;
	}
	return false;
}

/*
 * Is the change of patch file @pf (its text after the patch: @post, @len
 * bytes) only in blocks that the configuration leaves out (cppcond.h), with
 * every line where it was? Then what reads it compiles as from the pristine
 * file, and its text stays out of a narrow key: a not-needed-live header
 * that a release's group rounds carry (6.1.190's lockdep.h, read by nearly
 * every file, changed under CONFIG_LOCKDEP) would otherwise make every
 * includer of the group compile again. Judged once per text (kb->priv).
 */
static bool dead_only_change(struct hs_kbuild *kb, const struct hs_patch_file *pf,
			     const char *post, size_t len)
{
	struct hs_kbuild_priv *p = kb->priv;
	const struct hs_cppcfg *cfg = p && p->incl ? &p->incl->cfg : NULL;
	struct hs_kbuild_dead_memo *m;
	char hex[65], *path, *pre = NULL;
	bool *dpre = NULL, *dpost = NULL, out = false;
	size_t plen = 0, n;

	if (!cfg || !cfg->loaded || !pf->old_path || !pf->new_path || pf->is_new)
		return false;
	hs_sha256_hex(post, len, hex);
	for (size_t i = 0; i < p->nmemo; i++)
		if (!strcmp(p->memo[i].path, pf->new_path) && !strcmp(p->memo[i].post, hex))
			return p->memo[i].dead_only;
	path = hs_strdupf("%s/%s", kb->source, pf->old_path);
	if (path && !hs_read_file(kb->ctx, path, &pre, &plen) &&
	    !hs_cpp_dead_lines(cfg, pre, plen, &dpre, &n) &&
	    !hs_cpp_dead_lines(cfg, post, len, &dpost, &n))
		out = same_live_lines(pre, plen, dpre, post, len, dpost);
	free(path);
	free(pre);
	free(dpre);
	free(dpost);
	m = realloc(p->memo, (p->nmemo + 1) * sizeof(*m));
	if (m) {
		p->memo = m;
		m += p->nmemo;
		if ((m->path = strdup(pf->new_path))) {
			memcpy(m->post, hex, sizeof(hex));
			m->dead_only = out;
			p->nmemo++;
		}
	}
	return out;
}

char *hs_kbuild_narrow_key(struct hs_kbuild *kb, const struct hs_kbuild_unit *un,
			   const struct hs_patch *p, const char *shadow, const struct hs_strv *pre,
			   const char *tag, const char *dir, const char *ext)
{
	char *text = NULL, *body = NULL, hex[65];
	size_t len = 0, blen;
	FILE *f = open_memstream(&text, &len);
	int err = f ? 0 : -ENOMEM;

	if (f)
		fprintf(f, "post-narrow\n%s\n%s\n%s\n", un->obj, un->cmd, tag);
	for (size_t i = 0; f && i < p->nfiles && !err; i++) {
		const struct hs_patch_file *pf = &p->files[i];
		char *path;

		if (!touches(pf, pre))
			continue;
		if (!pf->new_path) {
			fprintf(f, "%s /dev/null\n", pf->old_path ?: "/dev/null");
			continue;
		}
		path = hs_strdupf("%s/%s", shadow, pf->new_path);
		err = path ? hs_read_file(kb->ctx, path, &body, &blen) : -ENOMEM;
		if (!err && !dead_only_change(kb, pf, body, blen))
			fprintf(f, "%s %s\n%zu\n", pf->old_path ?: "/dev/null", pf->new_path, blen),
				fwrite(body, 1, blen, f);
		free(body);
		body = NULL;
		free(path);
	}
	if (f && fclose(f))
		err = -ENOMEM;
	if (!err)
		hs_sha256_hex(text, len, hex);
	free(text);
	return err ? NULL : hs_strdupf("%s/%s/%.32s%s", kb->tree, dir, hex, ext);
}

bool hs_kbuild_narrow_covers(struct hs_kbuild *kb, const struct hs_kbuild_unit *un,
			     const struct hs_patch *p, const struct hs_strv *pre,
			     const struct hs_strv *post)
{
	for (size_t k = 0; k < post->n; k++) {
		const struct hs_patch_file *f = hs_patch_find(p, post->v[k]);

		if (!deps_has(pre, post->v[k]) && !(f && f->is_new)) {
			hs_debug(kb->ctx, "'%s': post read '%s', which pre did not: its output "
				 "is cached for this whole patch only", un->obj, post->v[k]);
			return false;
		}
	}
	return true;
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

/* Does the cache keep the dependencies of pre job @j? */
static bool has_deps(const struct job *j)
{
	char *path = hs_strdupf("%s.deps", j->cached);
	bool has = path && !access(path, R_OK);

	free(path);
	return has;
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
			 (!j->want_deps || has_deps(j)) &&
			 !hs_copy_file(kb->ctx, j->cached, j->out);
		j->hit = j->hit || (!err && j->narrow && !access(j->narrow, R_OK) &&
				    !hs_copy_file(kb->ctx, j->narrow, j->out));
		if (!err && !j->hit)
			err = hs_spawn_start(kb->ctx, argv, kb->tree, j->log, &j->pid);
	}
	j->start = hs_now();
	free(dir);
	free(cmd);
	return err;
}

struct compile_jobs {
	struct hs_kbuild *kb;
	struct job *jobs;	/* pre and post of each unit, in turn */
	const struct hs_patch *p;
	const char *shadow;
	const size_t *map;	/* when running some jobs again: their indexes */
	struct hs_strv misread;	/* paths that reached unpatched files (the shadow's fix) */
	size_t failed;		/* jobs that failed: each is reported, the others go on */
};

/* Did post job @j read a file of the patch unpatched? Those paths go to c->misread. */
static bool misread(struct compile_jobs *c, const struct job *j)
{
	char *rule = hs_strdupf("%s.d", j->out);
	size_t n = rule ? hs_kbuild_shadow_misread_rule(c->kb, c->p, c->shadow, rule,
							&c->misread) : 0;

	free(rule);
	return n > 0;
}

static int finish_job(struct compile_jobs *c, struct job *j)
{
	struct hs_kbuild *kb = c->kb;
	int status = j->hit ? 0 : hs_spawn_wait(j->pid);
	char *text = NULL, *blamed;

	if (status == 0) {
		if (j->hit) {
			hs_info(kb->ctx, "  compiled %-4s %s (cached)", j->kind, j->un->obj);
			return 0;
		}
		if (!strcmp(j->kind, "post") && misread(c, j)) {
			j->again = true;	/* not kept: made again with the shadow fixed */
			return 0;
		}
		hs_info(kb->ctx, "  compiled %-4s %s (%.1f s)", j->kind, j->un->obj,
			hs_now() - j->start);
		if (j->cached)	/* best effort: a failed copy only costs a compile later */
			copy_atomic(kb, j->out, j->cached);
		if (j->cached && !strcmp(j->kind, "pre"))
			deps_keep(kb, j);
		return 0;
	}
	if (kb->keep_going)
		return 0;
	/*
	 * Every failed file is named, not the first only (as make -k): a run of
	 * many changed files together learns in one compile which of them do not
	 * build (a whole-release update's group took one file out a round).
	 */
	c->failed++;
	if (hs_read_file(kb->ctx, j->log, &text, NULL))
		text = NULL;
	/*
	 * An includer names the patched headers that bring it in, those its errors
	 * name if any: the changes to refuse.
	 */
	blamed = hs_kbuild_via_blamed(j->un->via, text);
	if (!blamed && j->un->via && text && strstr(j->un->via, HS_NAMES_SEP))
		blamed = hs_kbuild_via_by_names(kb, c->p, j->un->via, text);
	hs_err(kb->ctx, "'%s'%s%s%s: %s compile failed (exit status %d); log '%s':", j->un->src,
	       j->un->via ? " (includes '" : "", blamed ? blamed : j->un->via ? j->un->via : "",
	       j->un->via ? "')" : "", j->kind, status, j->log);
	/* a patched file is compiled from the shadow copy: name it from the tree's top */
	if (text)
		hs_buildlog_report(kb->ctx, "  ", text, "/shadow/", 16);
	free(blamed);
	free(text);
	return 0;
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

/* The narrow key of post job @i (c->jobs[i - 1] is its pre job), or NULL. */
static char *narrow_of(struct compile_jobs *c, size_t i, struct hs_strv *pre)
{
	if (!c->jobs[i].cached || deps_cached(c->kb, &c->jobs[i - 1], pre))
		return NULL;
	return hs_kbuild_narrow_key(c->kb, c->jobs[i].un, c->p, c->shadow, pre,
				    HS_KBUILD_EXTRA_CFLAGS POST_VERSION, "objcache", ".o");
}

/* Keep post job @i's object under its narrow key if it read only what that key covers. */
static void keep_narrow(struct compile_jobs *c, size_t i)
{
	struct job *j = &c->jobs[i];
	struct hs_strv pre = { 0 }, post = { 0 };
	char *rule = hs_strdupf("%s.d", j->out), *key = narrow_of(c, i, &pre);
	bool covered = key && rule && !deps_read_rule(c->kb, rule, c->shadow, j->un, &post) &&
		       hs_kbuild_narrow_covers(c->kb, j->un, c->p, &pre, &post);

	if (!key || !rule)
		hs_debug(c->kb->ctx, "'%s': pre dependencies unknown: post object cached for "
			 "this whole patch only", j->un->obj);
	if (covered)
		copy_atomic(c->kb, j->out, key);
	hs_strv_free(&pre);
	hs_strv_free(&post);
	free(rule);
	free(key);
}

static int start_nth(void *arg, size_t n)
{
	struct compile_jobs *c = arg;
	struct hs_strv pre = { 0 };
	size_t i = c->map ? c->map[n] : n;

	if (i % 2 && !c->jobs[i].narrow)
		c->jobs[i].narrow = narrow_of(c, i, &pre);
	hs_strv_free(&pre);
	return start_job(c->kb, &c->jobs[i]);
}

static int finish_nth(void *arg, size_t n)
{
	struct compile_jobs *c = arg;
	size_t i = c->map ? c->map[n] : n;
	int err = finish_job(c, &c->jobs[i]);

	if (!err && i % 2 && !c->jobs[i].hit && !c->jobs[i].again &&
	    !access(c->jobs[i].out, R_OK))
		keep_narrow(c, i);
	return err;
}

/*
 * The post jobs that read a patched file unpatched through the shadow's
 * links (hs_kbuild_shadow_misread()) run again once the directories on
 * those paths are real; a round may find more (deeper "..").
 */
static int run_again(struct compile_jobs *c, size_t n)
{
	size_t *map = calloc(n + 1, sizeof(*map)), m;
	int err = map ? 0 : -ENOMEM;

	for (int round = 0; !err && c->misread.n; round++) {
		err = hs_kbuild_shadow_fix_all(c->kb, c->shadow, &c->misread, round);
		m = 0;
		for (size_t i = 0; i < n; i++)
			if (c->jobs[i].again) {
				c->jobs[i].again = false;
				map[m++] = i;
			}
		c->map = map;
		err = err ?: hs_kbuild_run_jobs(m, c->kb->jobs, start_nth, finish_nth, c);
		c->map = NULL;
	}
	hs_strv_free(&c->misread);
	free(map);
	return err;
}

/*
 * Every job of @u, those of the units of each tier of kb->first before the
 * next tier and the rest: when one of a tier fails, the others are not run
 * (their count in @skipped).
 */
static int run_first_then_rest(struct compile_jobs *c, const struct hs_kbuild_units *u,
			       size_t *skipped)
{
	const struct hs_kbuild *kb = c->kb;
	size_t n = 2 * u->n, *map, m = 0;
	bool *placed;
	int err = 0;

	*skipped = 0;
	if (!kb->nfirst)
		return hs_kbuild_run_jobs(n, kb->jobs, start_nth, finish_nth, c);
	map = calloc(n + 1, sizeof(*map));
	placed = calloc(u->n + 1, sizeof(*placed));
	if (!map || !placed)
		err = -ENOMEM;
	for (size_t t = 0; t <= kb->nfirst && !err; t++) {
		size_t from = m;

		for (size_t i = 0; i < u->n; i++)
			if (!placed[i] && (t == kb->nfirst ||
			    bsearch(&u->u[i].src, kb->first[t].v, kb->first[t].n,
				    sizeof(*kb->first[t].v), hs_strv_cmp))) {
				placed[i] = true;
				map[m++] = 2 * i;
				map[m++] = 2 * i + 1;
			}
		if (m == from)
			continue;
		if (t < kb->nfirst)
			hs_info(kb->ctx, "compiling %zu unit(s) %s: " HS_KBUILD_FIRST, (m - from) / 2,
				from ? "next" : "first");
		c->map = map + from;
		err = hs_kbuild_run_jobs(m - from, kb->jobs, start_nth, finish_nth, c);
		if (!err && c->failed && t < kb->nfirst) {
			*skipped = n - m;
			break;
		}
	}
	c->map = NULL;
	free(placed);
	free(map);
	return err;
}

int hs_kbuild_compile(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		      struct hs_kbuild_units *u, const char *outdir)
{
	struct job *jobs = calloc(2 * u->n + 1, sizeof(*jobs));
	char *shadow = NULL, *abs = NULL, *patch_text = NULL, *cachedir = NULL;
	struct compile_jobs c = { .kb = kb, .p = p };
	size_t skipped = 0;
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
	err = err ?: hs_kbuild_shadow(kb, patch_path, p, shadow);
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
		if (j->cmd && i % 2) {
			char *c = add_flags(j->cmd, POST_WERROR);

			free(j->cmd);
			j->cmd = c;
		}
		j->cached = patch_text ? cache_path(kb, j, patch_text) : NULL;
		j->want_deps = !(i % 2);
		if (!j->out || !j->log || !j->cmd)
			err = -ENOMEM;
	}
	c.jobs = jobs;
	c.shadow = shadow;
	err = err ?: run_first_then_rest(&c, u, &skipped);
	err = err ?: run_again(&c, 2 * u->n);
	if (!err && c.failed) {
		hs_err(kb->ctx, "%zu of %zu compile(s) failed", c.failed, 2 * u->n - skipped);
		if (skipped)
			hs_err(kb->ctx, "%zu other compile(s) " HS_KBUILD_FIRST_FAILED, skipped);
		err = -EIO;
	}
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
		free(jobs[i].narrow);
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

char *hs_kbuild_unit_cmd(struct hs_kbuild *kb, const struct hs_kbuild_unit *un, const char *out,
			 const char *shadow)
{
	return unit_cmd(kb, un, out, shadow);
}
