// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_screen.c - a patched header with many built includers: keep only
 * the includers whose object the change can reach (cscan.h), instead of
 * compiling them all.
 *
 * One includer, the representative, is preprocessed before and after the
 * patch (gcc -E -dU, with line markers; and -dM for the macro tables): its
 * declarations that the patch changes, and the macros it changes, are known
 * from it. Every other includer is preprocessed before the patch only (the
 * summaries are cached in <tree>/ppcache/): when the patched headers expand
 * in it to the same declarations as in the representative (same digest per
 * patched file) and it uses no changed macro, its text after the patch is
 * its text before with those declarations replaced, so the change reaches
 * its object exactly when one of its live declarations is among them. An
 * includer for which that does not hold is preprocessed after the patch too
 * (that summary is cached as well: kbuild_screen_cache.c; what the
 * representative says is read in kbuild_screen_macros.c).
 *
 * An includer that the change reaches only through the definition of a
 * struct or union is set aside as deferred: if the type's layout is the same
 * (the differ checks it in the objects that are compiled), its code is the
 * same; if not, the update is refused for the layout change anyway.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/strv.h"
#include "build/cscan.h"
#include "build/kbuild_priv.h"
#include "build/kbuild_screen_priv.h"

/* kbuild's command for the unit, made to preprocess into j->out. */
static int job_cmd(struct screen *s, struct pp_job *j)
{
	const struct hs_kbuild_unit *un = &s->u->u[j->unit];
	bool post = j->kind == PP_POST || j->kind == PP_MACROS_POST;
	char *cmd = hs_kbuild_unit_cmd(s->kb, un, j->out, post ? s->shadow : NULL);
	char *semi, *c;

	if (!cmd)
		return -ENOMEM;
	semi = strstr(cmd, " ; ");	/* objtool and the like come after the compile */
	if (semi)
		*semi = 0;
	c = strstr(cmd, " -c -o ");
	if (!c) {
		hs_err(s->kb->ctx, "'%s': kbuild's command line has no '-c -o': cannot preprocess",
		       un->src);
		free(cmd);
		return -EINVAL;
	}
	*c = 0;
	/*
	 * __LINE__ as 0: a header that moves lines changes only the line numbers
	 * of WARN/BUG sites, which the differ does not count as a change either.
	 * gcc warns of the redefinition whatever -Wno-builtin-macro-redefined
	 * says, and files built with -Werror (kvm's CONFIG_KVM_WERROR) would
	 * fail: -Wno-error, as only the preprocessed text is read.
	 */
	j->cmd = hs_strdupf("%s -Wno-error -Wno-builtin-macro-redefined -D__LINE__=0 -E %s -o %s",
			    cmd,
			    j->kind >= PP_MACROS_PRE ? "-dM" : "-dU", c + strlen(" -c -o "));
	free(cmd);
	return j->cmd ? 0 : -ENOMEM;
}

static int start(struct screen *s, struct pp_job *j)
{
	char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	char *log = hs_strdupf("%s.log", j->out);
	int err = log ? 0 : -ENOMEM;

	if (!err && !(argv[2] = hs_strdupf("set -e; %s", j->cmd)))
		err = -ENOMEM;
	err = err ?: hs_spawn_start(s->kb->ctx, argv, s->kb->tree, log, &j->pid);
	free(argv[2]);
	free(log);
	return err;
}

/* Every 5 s (also when quiet: a release update forwards it from its quiet create runs). */
static void progress(struct screen *s)
{
	if (hs_now() - s->last_progress < 5)
		return;
	s->last_progress = hs_now();
	hs_info(s->kb->ctx, "  preprocessed %zu of %zu", s->done, s->todo);
}

/* The string literal KBUILD_MODNAME is for unit @un ("\"arp\""), malloc'd, or NULL. */
static char *modname_literal(const struct hs_kbuild_unit *un)
{
	const char *m = strstr(un->cmd, "-DKBUILD_MODNAME='\"");

	return m ? hs_strdupf("\"%.*s\"", (int)strcspn(m + 19, "\"'"), m + 19) : NULL;
}

/* What a finished job made: a summary, or the representative's macro table. */
static int take_result(struct screen *s, struct pp_job *j, char *text, size_t len)
{
	char *mod = j->kind <= PP_POST ? modname_literal(&s->u->u[j->unit]) : NULL;
	int err;

	switch (j->kind) {
	case PP_PRE:
		err = hs_csum_scan(text, len, mod, &s->pre[j->unit]);
		if (!err && j->unit != s->rep)
			hs_screen_save_pre(s, j->unit);
		break;
	case PP_POST:
		err = hs_csum_scan(text, len, mod, &s->post[j->unit]);
		if (!err && s->post_key && s->post_key[j->unit])
			hs_screen_save_post(s, j->unit);
		break;
	case PP_MACROS_PRE:
		err = hs_screen_read_macros(text, &s->mpre);
		break;
	default:
		err = hs_screen_read_macros(text, &s->mpost);
	}
	free(mod);
	return err;
}

static int verdict_both(struct screen *s, size_t i, bool record);
static int verdict_fast(struct screen *s, size_t i, bool record);

/*
 * Count unit @i if the change reaches it (by its post summary if @both):
 * whether more are reached than create compiles for a header. The count
 * only grows, so the screen stops there: the change is refused anyway.
 */
static bool count_reached(struct screen *s, size_t i, bool both)
{
	int v = both ? verdict_both(s, i, false) : verdict_fast(s, i, false);

	if (v == 1 && !s->reached[i]) {
		s->reached[i] = true;
		s->nreached++;
	}
	return s->nreached > s->kb->max_header_users;
}

static int finish(struct screen *s, struct pp_job *j)
{
	int status = hs_spawn_wait(j->pid);
	char *text = NULL, *log = hs_strdupf("%s.log", j->out), *dep = hs_strdupf("%s.d", j->out);
	const struct hs_kbuild_unit *un = &s->u->u[j->unit];
	size_t len = 0;
	int err = log && dep ? 0 : -ENOMEM;

	if (!err && status && !j->retried) {
		/* a generated header kbuild makes first (prerequisites): make it, run again */
		struct hs_kbuild_units one = { .n = 1, .u = &s->u->u[j->unit] };

		j->retried = true;
		err = hs_kbuild_prereqs(s->kb, &one) ?: start(s, j);
		if (!err)
			status = hs_spawn_wait(j->pid);
	}
	if (!err && status) {
		char *blamed;

		if (hs_read_file(s->kb->ctx, log, &text, &len))
			text = NULL;
		/* the headers that bring the file in (its errors') are named: a release refuses them */
		blamed = hs_kbuild_via_blamed(un->via, text);
		hs_err(s->kb->ctx, "'%s' (includes '%s'): preprocessing %s the patch failed "
		       "(exit status %d):", un->src, blamed ? blamed : un->via ? un->via : "?",
		       j->kind == PP_POST || j->kind == PP_MACROS_POST ? "after" : "before", status);
		if (text)
			hs_buildlog_report(s->kb->ctx, "  ", text, "/shadow/", 16);
		free(blamed);
		free(text);
		text = NULL;
		err = -EIO;
	}
	if (!err && (j->kind == PP_POST || j->kind == PP_MACROS_POST) &&
	    hs_kbuild_shadow_misread_rule(s->kb, s->p, s->shadow, dep, &s->misread)) {
		j->again = true;	/* its text is not the patched one: made again */
		unlink(j->out);
		unlink(log);
		unlink(dep);
		free(log);
		free(dep);
		return 0;
	}
	err = err ?: hs_read_file(s->kb->ctx, j->out, &text, &len);
	err = err ?: take_result(s, j, text, len);
	if (!err && s->counting && j->kind == PP_POST && count_reached(s, j->unit, true))
		err = -HS_EREFUSED;	/* no need to screen the rest (screen_units()) */
	if (!err) {
		unlink(j->out);
		unlink(log);
		s->done++;
		progress(s);
	}
	if (dep)
		unlink(dep);
	free(text);
	free(log);
	free(dep);
	return err;
}

static void free_jobs(struct pp_job *jobs, size_t n)
{
	for (size_t i = 0; jobs && i < n; i++) {
		free(jobs[i].out);
		free(jobs[i].cmd);
	}
	free(jobs);
}

static int start_nth(void *arg, size_t i)
{
	struct screen *s = arg;

	return start(s, &s->jobs[i]);
}

static int finish_nth(void *arg, size_t i)
{
	struct screen *s = arg;

	return finish(s, &s->jobs[i]);
}

static int add_job(struct screen *s, struct pp_job *jobs, size_t *n, size_t unit,
		   enum pp_kind kind);

/*
 * The jobs of @jobs that read a patched file unpatched (through a link of the
 * shadow and ".."), into @again once the shadow's directories on those
 * paths are real (round @round of them); how many in *@m.
 */
static int fix_shadow(struct screen *s, const struct pp_job *jobs, size_t n, int round,
		      struct pp_job *again, size_t *m)
{
	int err = hs_kbuild_shadow_fix_all(s->kb, s->shadow, &s->misread, round);

	for (size_t i = 0; i < n && !err; i++)
		if (jobs[i].again)
			err = add_job(s, again, m, jobs[i].unit, jobs[i].kind);
	return err;
}

/* Run @jobs, one more than kb->jobs at a time; free them. */
static int run(struct screen *s, struct pp_job *jobs, size_t n)
{
	/* one more than the jobs: the next runs while this process reads a result */
	int max = (s->kb->jobs > 0 ? s->kb->jobs : 1) + 1, err;

	for (int round = 0; ; round++) {
		struct pp_job *again = NULL;
		size_t m = 0;

		s->todo += n;
		s->jobs = jobs;
		err = hs_kbuild_run_jobs(n, max, start_nth, finish_nth, s);
		s->jobs = NULL;
		if (!err && s->misread.n) {
			again = calloc(n + 1, sizeof(*again));
			err = again ? fix_shadow(s, jobs, n, round, again, &m) : -ENOMEM;
		}
		free_jobs(jobs, n);
		if (err || !m) {
			free_jobs(again, m);
			hs_strv_free(&s->misread);
			return err;
		}
		jobs = again;
		n = m;
	}
}

static int add_job(struct screen *s, struct pp_job *jobs, size_t *n, size_t unit,
		   enum pp_kind kind)
{
	static const char *const dir[] = { "pre", "post", "macros-pre", "macros-post" };
	struct pp_job *j = &jobs[(*n)++];
	char *d;
	int err;

	j->unit = unit;
	j->kind = kind;
	j->out = hs_strdupf("%s/%s/%s.i", s->dir, dir[kind], s->u->u[unit].obj);
	d = j->out ? strdup(j->out) : NULL;
	if (!d)
		return -ENOMEM;
	*strrchr(d, '/') = 0;
	err = hs_mkdir_p(s->kb->ctx, d);
	free(d);
	return err ?: job_cmd(s, j);
}

/* Phase 1: the representative both ways, every other includer before the patch. */
static int run_first(struct screen *s, const bool *sel)
{
	struct pp_job *jobs = calloc(s->u->n + 4, sizeof(*jobs));
	size_t n = 0;
	int err = jobs ? 0 : -ENOMEM;

	for (int k = PP_PRE; k <= PP_MACROS_POST && !err; k++)
		err = add_job(s, jobs, &n, s->rep, k);
	for (size_t i = 0; i < s->u->n && !err; i++) {
		if (!sel[i] || i == s->rep)
			continue;
		hs_screen_load_pre(s, i);
		if (!s->have_pre[i])
			err = add_job(s, jobs, &n, i, PP_PRE);
	}
	if (err) {
		free_jobs(jobs, n);
		return err;
	}
	return run(s, jobs, n);
}
static int add_deferred(struct hs_kbuild_units *u, const struct hs_kbuild_unit *un,
			const struct hs_cdecl *const *ch, int n)
{
	struct hs_kbuild_deferred *d = realloc(u->deferred, (u->ndeferred + 1) * sizeof(*d));

	if (!d)
		return -ENOMEM;
	u->deferred = d;
	d = &u->deferred[u->ndeferred++];
	*d = (struct hs_kbuild_deferred){ .src = strdup(un->src),
					  .types = calloc((size_t)n + 1, sizeof(char *)) };
	if (!d->src || !d->types)
		return -ENOMEM;
	for (int k = 0; k < n; k++) {
		bool seen = false;

		for (size_t m = 0; m < d->ntypes && !seen; m++)
			seen = !strcmp(d->types[m], ch[k]->name);
		if (!seen && !(d->types[d->ntypes++] = strdup(ch[k]->name)))
			return -ENOMEM;
	}
	return 0;
}

/*
 * What changes @ch (@n of them) do to unit @i: 0 nothing (drop it), 1 its
 * code may change (keep it), 2 only struct/union layouts it uses (defer it;
 * recorded only if @record).
 */
static int verdict(struct screen *s, size_t i, const struct hs_cdecl **ch, int n, bool record)
{
	int v = n ? 2 : 0;

	for (int k = 0; k < n && v == 2; k++)
		v = ch[k]->aggregate && ch[k]->name ? 2 : 1;
	if (!record)
		return v;
	if (v == 1) {
		const struct hs_cdecl *why = ch[0];

		for (int k = 0; k < n && why->aggregate; k++)
			why = ch[k];
		hs_debug(s->kb->ctx, "'%s': the change reaches it through '%s'", s->u->u[i].src,
			 why->name ? why->name : "(unnamed)");
	} else if (v == 2) {
		hs_debug(s->kb->ctx, "'%s': the change reaches it only through struct/union '%s'",
			 s->u->u[i].src, ch[0]->name);
	}
	return v == 2 ? add_deferred(s->u, &s->u->u[i], ch, n) ?: 2 : v;
}

/* The verdict for a unit preprocessed both ways. */
static int verdict_both(struct screen *s, size_t i, bool record)
{
	const struct hs_cdecl **ch = NULL;
	int n = hs_csum_changes(&s->pre[i], &s->post[i], &ch), v = n;

	if (n >= 0)
		v = verdict(s, i, ch, n, record);
	free(ch);
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The verdict for an includer like the representative: its live declarations the patch changes. */
static int verdict_fast(struct screen *s, size_t i, bool record)
{
	const struct hs_csum *x = &s->pre[i];
	const struct hs_cdecl **ch = calloc(x->n + 1, sizeof(*ch));
	int n = 0, v;

	if (!ch)
		return -ENOMEM;
	for (size_t k = 0; k < x->n; k++)
		if (x->d[k].live &&
		    bsearch(&x->d[k].hash, s->changed, s->nchanged, sizeof(uint64_t), cmp_u64))
			ch[n++] = &x->d[k];
	v = verdict(s, i, ch, n, record);
	free(ch);
	return v;
}

/* Is @path (as a line marker names it) a file of the patch? */
static bool patched(const struct screen *s, const char *path)
{
	size_t n = strlen(s->kb->source);

	if (strncmp(path, s->kb->source, n) || path[n] != '/')
		return false;
	for (size_t i = 0; i < s->p->nfiles; i++)
		if ((s->p->files[i].old_path && !strcmp(path + n + 1, s->p->files[i].old_path)) ||
		    (s->p->files[i].new_path && !strcmp(path + n + 1, s->p->files[i].new_path)))
			return true;
	return false;
}

static const struct hs_corigin *find_origin(const struct hs_csum *c, const char *path)
{
	for (size_t i = 0; i < c->norigins; i++)
		if (!strcmp(c->origins[i].path, path))
			return &c->origins[i];
	return NULL;
}

/* Does the representative's change tell what the patch does to includer @i? */
static bool like_rep(const struct screen *s, size_t i)
{
	const struct hs_csum *x = &s->pre[i], *r = &s->pre[s->rep];
	const char *src = s->u->u[i].src;

	if (s->all_slow)
		return false;
	for (size_t k = 0; k < s->nchanged_macros; k++)
		if (hs_csum_uses_macro(x, s->changed_macros[k])) {
			hs_debug(s->kb->ctx, "'%s': uses changed macro '%s'", src,
				 s->changed_macros[k]);
			return false;
		}
	for (size_t k = 0; k < x->norigins; k++) {	/* the patched files expand alike */
		const struct hs_corigin *o;

		if (!patched(s, x->origins[k].path))
			continue;
		o = find_origin(r, x->origins[k].path);
		if (!o || o->digest != x->origins[k].digest) {
			hs_debug(s->kb->ctx, "'%s': '%s' expands otherwise than in '%s'", src,
				 x->origins[k].path, s->u->u[s->rep].src);
			return false;
		}
	}
	/*
	 * A patched file the representative includes and this one does not: the
	 * declarations it brings after the patch are new to this one, and nothing
	 * unchanged here can name them.
	 */
	return true;
}

/* Keep the units @keep says, in order; free the others. */
static void keep_units(struct hs_kbuild_units *u, const bool *keep)
{
	size_t n = 0;

	for (size_t i = 0; i < u->n; i++) {
		if (keep[i])
			u->u[n++] = u->u[i];
		else
			hs_kbuild_unit_free(&u->u[i]);
	}
	u->n = n;
}

static void free_screen(struct screen *s)
{
	for (size_t i = 0; i < s->n; i++) {	/* keep_units() may have made u->n smaller */
		if (s->pre)
			hs_csum_free(&s->pre[i]);
		if (s->post)
			hs_csum_free(&s->post[i]);
	}
	for (size_t i = 0; s->post_key && i < s->n; i++)
		free(s->post_key[i]);
	free(s->post_key);
	free(s->reached);
	free(s->pre);
	free(s->post);
	free(s->have_pre);
	hs_screen_free_macros(&s->mpre);
	hs_screen_free_macros(&s->mpost);
	free(s->changed);
	for (size_t i = 0; i < s->nchanged_macros; i++)
		free(s->changed_macros[i]);
	free(s->changed_macros);
}

/* Phase 2: the includers unlike the representative, after the patch. */
static int run_second(struct screen *s, const bool *sel, const bool *slow)
{
	struct pp_job *jobs = calloc(s->u->n + 1, sizeof(*jobs));
	size_t n = 0;
	int err = jobs ? 0 : -ENOMEM;

	for (size_t i = 0; i < s->u->n && !err; i++) {
		if (!sel[i] || !slow[i])
			continue;
		s->post_key[i] = hs_screen_post_path(s, i);
		if (s->post_key[i] && hs_screen_load_sum(s->post_key[i], &s->post[i]))
			s->post_hits++;
		else
			err = add_job(s, jobs, &n, i, PP_POST);
	}
	if (err) {
		free_jobs(jobs, n);
		return err;
	}
	return run(s, jobs, n);
}

/*
 * The screen stopped once more files were reached than create compiles:
 * refused. The reason first (a release reports a file's first error), then
 * some of the files.
 */
static int stopped_early(struct screen *s)
{
	size_t shown = 0;

	hs_err(s->kb->ctx, "the patched headers change the code of more than %zu built files "
	       "(%zu found before the screen stopped): refused", s->kb->max_header_users,
	       s->nreached);
	for (size_t i = 0; i < s->u->n && shown < 5; i++)
		if (s->reached[i])
			hs_err(s->kb->ctx, "'%s': the patched %s '%s' change%s its code",
			       s->u->u[i].src, hs_names_noun(s->u->u[i].via, "header", "headers"),
			       s->u->u[i].via, hs_names_noun(s->u->u[i].via, "s", "")), shown++;
	return -HS_EREFUSED;
}

/* Screen the units @sel marks; @keep gets the verdicts. */
static int screen_units(struct screen *s, const bool *sel, bool *keep, size_t *nkept)
{
	bool *slow = calloc(s->u->n + 1, sizeof(*slow));
	size_t ndropped = 0, nslow = 0;
	double t0 = hs_now();
	int err = slow ? 0 : -ENOMEM;

	err = err ?: run_first(s, sel) ?: hs_screen_analyze_rep(s);
	for (size_t i = 0; i < s->u->n && !err; i++)
		nslow += slow[i] = sel[i] && i != s->rep && !like_rep(s, i);
	for (size_t i = 0; i < s->u->n && !err && s->nreached <= s->kb->max_header_users; i++)
		if (sel[i] && !slow[i])
			count_reached(s, i, i == s->rep);
	s->counting = true;
	if (!err && s->nreached <= s->kb->max_header_users)
		err = run_second(s, sel, slow);
	if ((!err || err == -HS_EREFUSED) && s->nreached > s->kb->max_header_users)
		err = stopped_early(s);
	for (size_t i = 0; i < s->u->n && !err; i++) {
		int v = !sel[i] ? 1 : i == s->rep || slow[i] ? verdict_both(s, i, true) :
			verdict_fast(s, i, true);

		if (v < 0)
			err = v;
		keep[i] = v == 1;
		*nkept += sel[i] && v == 1;
		ndropped += sel[i] && v == 0;
	}
	free(slow);
	if (!err)
		hs_info(s->kb->ctx, "screened %zu includers of the patched headers in %.1f s "
			"(%zu preprocessed after the patch, %zu of them found in the cache): %zu "
			"reached, %zu only through struct layouts, %zu unchanged",
			*nkept + ndropped + s->u->ndeferred, hs_now() - t0, nslow + 1,
			s->post_hits, *nkept, s->u->ndeferred, ndropped);
	return err;
}

/* Refuse when the change reaches more built files than create compiles for a header. */
static int too_many(struct hs_kbuild *kb, const struct hs_kbuild_units *u, const bool *sel,
		    const bool *keep, size_t nkept)
{
	size_t shown = 0;

	if (nkept <= kb->max_header_users)
		return 0;
	hs_err(kb->ctx, "the patched headers change the code of %zu built files (more than %zu): "
	       "refused", nkept, kb->max_header_users);
	for (size_t i = 0; i < u->n && shown < 5; i++)
		if (sel[i] && keep[i])
			hs_err(kb->ctx, "'%s': the patched %s '%s' change%s its code",
			       u->u[i].src, hs_names_noun(u->u[i].via, "header", "headers"),
			       u->u[i].via, hs_names_noun(u->u[i].via, "s", "")), shown++;
	return -HS_EREFUSED;
}

int hs_kbuild_screen(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		     struct hs_kbuild_units *u, const char *workdir)
{
	struct screen s = { .kb = kb, .u = u, .p = p, .n = u->n };
	size_t nsel = 0, nkept = 0;
	bool *sel = calloc(u->n + 1, sizeof(*sel)), *keep = calloc(u->n + 1, sizeof(*keep));
	char *dir = hs_strdupf("%s/screen", workdir), *shadow = hs_strdupf("%s/screen/shadow", workdir);
	int err = sel && keep && dir && shadow ? 0 : -ENOMEM;

	for (size_t i = u->n; i > 0 && !err; i--) {
		nsel += sel[i - 1] = u->u[i - 1].via != NULL;
		s.rep = sel[i - 1] ? i - 1 : s.rep;	/* the first one */
	}
	if (err || nsel <= kb->max_header_users)
		goto out;
	if (nsel > HS_KBUILD_SCREEN_MAX) {
		hs_err(kb->ctx, "the patched headers are included by %zu built files (more than "
		       "%d): refused", nsel, HS_KBUILD_SCREEN_MAX);
		err = -HS_EREFUSED;
		goto out;
	}
	hs_info(kb->ctx, "the patched headers are included by %zu built files: screening them",
		nsel);
	s.dir = dir;
	s.shadow = shadow;
	s.pre = calloc(u->n, sizeof(*s.pre));
	s.post = calloc(u->n, sizeof(*s.post));
	s.have_pre = calloc(u->n, sizeof(bool));
	s.post_key = calloc(u->n, sizeof(char *));
	s.reached = calloc(u->n, sizeof(bool));
	err = s.pre && s.post && s.have_pre && s.post_key && s.reached ? 0 : -ENOMEM;
	err = err ?: hs_mkdir_p(kb->ctx, dir) ?: hs_kbuild_shadow(kb, patch_path, p, shadow);
	err = err ?: screen_units(&s, sel, keep, &nkept);
	err = err ?: too_many(kb, u, sel, keep, nkept);
	if (!err)
		keep_units(u, keep);
	free_screen(&s);
	if (!err)
		hs_rm_rf(dir);
out:
	free(sel);
	free(keep);
	free(dir);
	free(shadow);
	return err;
}
