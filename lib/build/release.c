// SPDX-License-Identifier: GPL-2.0
/* release.c - the whole-release update: every live-able change between two versions. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/strv.h"
#include "build/create_base.h"
#include "build/kbuild.h"
#include "package/package.h"
#include "build/release.h"
#include "build/release_priv.h"

const char *const hs_release_verdict_names[V_NV] = {
	[V_LIVE] = "live", [V_NOT_NEEDED] = "not-needed-live", [V_REFUSED] = "refused",
	[V_NOT_BUILT] = "not-built", [V_NOT_CODE] = "not-code", [V_PENDING] = "pending",
};

static int add_file(struct release *r, const char *path)
{
	struct rfile *f = realloc(r->f, (r->n + 1) * sizeof(*f));

	if (!f)
		return -ENOMEM;
	r->f = f;
	memset(&f[r->n], 0, sizeof(*f));
	f[r->n].path = strdup(path);
	return f[r->n++].path ? 0 : -ENOMEM;
}

/* Do the regular files @a and @b hold the same bytes? */
static int same_bytes(const char *a, const char *b)
{
	char ba[65536], bb[65536];
	int fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_CLOEXEC), same = 1;

	while (fa >= 0 && fb >= 0 && same) {
		ssize_t na = read(fa, ba, sizeof(ba)), nb = read(fb, bb, sizeof(bb));

		if (na != nb || na < 0 || (na && memcmp(ba, bb, (size_t)na)))
			same = 0;
		if (na <= 0)
			break;
	}
	same &= fa >= 0 && fb >= 0;
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return 0;
	if (sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino)
		return 1;
	return sa.st_size == sb.st_size && same_bytes(a, b);
}

/* Are @a and @b symbolic links to the same (relative) target? */
static int same_link(const char *a, const char *b)
{
	char ta[4096], tb[4096];
	ssize_t na = readlink(a, ta, sizeof(ta)), nb = readlink(b, tb, sizeof(tb));

	struct stat sa, sb;

	if (na >= 0 && na == nb && !memcmp(ta, tb, (size_t)na))
		return 1;
	/* written differently, the same file or directory (e.g. absolute and relative) */
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * Walk @rel of tree @x; with @cmp, a file differing from (or missing in) tree
 * @y is changed; without, only the files missing in @y are (deleted ones).
 */
static int walk(struct release *r, const char *x, const char *y, const char *rel, int cmp)
{
	char *dir = hs_strdupf("%s/%s", x, rel);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;
	int err = dir ? 0 : -ENOMEM;

	while (d && !err && (de = readdir(d))) {
		char *sub, *px, *py;
		struct stat sx, sy;
		int in_y;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = *rel ? hs_strdupf("%s/%s", rel, de->d_name) : strdup(de->d_name);
		px = hs_strdupf("%s/%s", x, sub ? sub : "");
		py = hs_strdupf("%s/%s", y, sub ? sub : "");
		if (!sub || !px || !py)
			err = -ENOMEM;
		else if (lstat(px, &sx))
			err = -errno;
		in_y = !err && !lstat(py, &sy);
		if (err)
			;
		else if (S_ISLNK(sx.st_mode)) {
			if (!in_y || (cmp && !same_link(px, py)))
				err = add_file(r, sub);
		} else if (S_ISDIR(sx.st_mode))
			err = walk(r, x, y, sub, cmp && in_y && S_ISDIR(sy.st_mode));
		else if (!in_y || (cmp && !same_file(px, py)))
			err = add_file(r, sub);
		free(sub);
		free(px);
		free(py);
	}
	if (d)
		closedir(d);
	else if (!err)
		err = -errno;
	free(dir);
	return err;
}

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The verdict of a file before anything is compiled: code files are pending. */
static enum verdict categorize(struct release *r, struct rfile *f)
{
	static const char *const outside[] = { "Documentation/", "tools/", "samples/",
					       "scripts/", "LICENSES/", "usr/", "debian/" };
	const char *base = strrchr(f->path, '/') ? strrchr(f->path, '/') + 1 : f->path;
	const char *ext = strrchr(base, '.');
	enum hs_unit_where where;

	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++)
		if (starts(f->path, outside[i]))
			return snprintf(f->detail, sizeof(f->detail), "outside the kernel build"),
			       V_NOT_CODE;
	if (starts(f->path, "arch/") && !starts(f->path, "arch/x86/"))
		return snprintf(f->detail, sizeof(f->detail), "another architecture"), V_NOT_BUILT;
	if (starts(base, "Makefile") || starts(base, "Kconfig") || starts(base, "Kbuild"))
		return snprintf(f->detail, sizeof(f->detail), "a build file: changes nothing "
				"that runs, or needs the new kernel"), V_NOT_CODE;
	if (!ext || (strcmp(ext, ".c") && strcmp(ext, ".h") && strcmp(ext, ".S")))
		return snprintf(f->detail, sizeof(f->detail), "not C or assembly source"),
		       V_NOT_CODE;
	if (!strcmp(ext, ".c")) {
		char *obj = strdup(f->path);

		if (obj)
			obj[strlen(obj) - 1] = 'o';
		if (!obj || hs_kbuild_where(&r->kb, obj, &where))
			where = HS_UNIT_NOT_BUILT;
		free(obj);
		if (where == HS_UNIT_NOT_BUILT)
			return snprintf(f->detail, sizeof(f->detail), "not built for this "
					"configuration"), V_NOT_BUILT;
	}
	return V_PENDING;
}

/* Is @f in a run of the files whose verdict is @a or @b (release_priv.h)? */
bool hs_release_carried(const struct rfile *f, enum verdict a, enum verdict b)
{
	return f->v == a || f->v == b || (f->v == V_NOT_NEEDED && !f->left_out);
}

void hs_release_cache_free(struct release *r)
{
	for (size_t i = 0; r->diff && i < r->n; i++)
		free(r->diff[i]);
	free(r->diff);
	r->diff = NULL;
	hs_release_needs_free(r);
}

int hs_release_diff(struct release *r, size_t i, const char **text)
{
	char *t = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if (!r->diff && !(r->diff = calloc(r->n, sizeof(*r->diff))))
		return -ENOMEM;
	if (r->diff[i]) {
		*text = r->diff[i];
		return 0;
	}
	f = open_memstream(&t, &len);
	if (!f)
		return -ENOMEM;
	err = hs_diff_u(r->ctx, r->o->source, r->new_src, r->f[i].path, f);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (err) {
		free(t);
		return err;
	}
	*text = r->diff[i] = t;
	return 0;
}

/* The patch of the files of @r that a run of verdicts @a and @b carries into @path; how many. */
int hs_release_write_patch(struct release *r, enum verdict a, enum verdict b, size_t only,
			   const char *path, size_t *n)
{
	char *patch = NULL;
	const char *text;
	size_t len = 0;
	FILE *f = open_memstream(&patch, &len);
	int err = f ? 0 : -ENOMEM;

	*n = 0;
	for (size_t i = 0; i < r->n && !err; i++)
		if (only == i || (only == (size_t)-1 && hs_release_carried(&r->f[i], a, b)) ||
		    (only == (size_t)-2 && r->f[i].ahead)) {
			err = hs_release_diff(r, i, &text);
			if (!err)
				fputs(text, f);
			(*n)++;
		}
	if (f && fclose(f) && !err)
		err = -ENOMEM;
	err = err ?: hs_write_file_atomic(r->ctx, path, patch, len);
	free(patch);
	return err;
}

/* Progress: the end of stage @what, with its time and the time so far. */
void hs_release_stage(struct release *r, const char *what)
{
	double now = hs_now();

	hs_info(r->ctx, "release: %s (%.0f s; %.0f s so far)", what, now - r->t, now - r->t0);
	hs_mark(r->ctx, what);
	r->t = now;
}

/* The batch compile's messages: a progress line now and then, errors and warnings. */
struct ahead_progress {
	const struct hs_ctx *ctx;
	size_t done, total;
	double last;
};

static void ahead_print(void *arg, enum hs_level level, const char *msg)
{
	struct ahead_progress *a = arg;

	if (level <= HS_WARN)
		hs_log(a->ctx, level, "%s", msg);
	if (strncmp(msg, "  compiled ", 11) || ++a->done % 10 || hs_now() - a->last < 30)
		return;
	a->last = hs_now();
	hs_info(a->ctx, "release: compiled %zu of %zu objects", a->done, a->total);
}

/* Add to @to a copy of each unit of @from that it lacks (by object). */
static int merge_units(struct hs_kbuild_units *to, const struct hs_kbuild_units *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct hs_kbuild_unit *f = &from->u[i];
		struct hs_kbuild_unit *u;
		bool have = false;

		for (size_t k = 0; k < to->n && !have; k++)
			have = !strcmp(to->u[k].obj, f->obj);
		if (have)
			continue;
		u = realloc(to->u, (to->n + 1) * sizeof(*u));
		if (!u)
			return -ENOMEM;
		to->u = u;
		u = &to->u[to->n];
		memset(u, 0, sizeof(*u));
		u->where = f->where;
		u->src = strdup(f->src);
		u->obj = strdup(f->obj);
		if (!u->src || !u->obj) {
			free(u->src);
			free(u->obj);
			return -ENOMEM;
		}
		to->n++;
	}
	return 0;
}

/*
 * The .c files each changed header brings in (as its run alone will find
 * them, before screening), made ready in one go: the command lines of all
 * (hs_kbuild_cmdlines()), and the generated prerequisites of those of the
 * headers whose runs will compile them all (no more than max_header_users,
 * so not screened: hs_kbuild_ready()). A header's run then does not wait for
 * its own make -n and make under the tree's lock.
 */
static int header_units_ready(struct release *r)
{
	struct hs_kbuild_units all = { 0 }, few = { 0 };
	const struct hs_ctx *ctx = r->kb.ctx, silent = { 0 };
	size_t headers = 0;
	int err = 0, rc;

	for (size_t i = 0; i < r->n && !err; i++) {
		struct hs_kbuild_units u = { 0 };
		struct hs_patch p = { 0 };
		char *patch;
		size_t n;

		if (r->f[i].v != V_PENDING || hs_str_ends(r->f[i].path, ".c"))
			continue;
		patch = hs_strdupf("%s/header-%zu.diff", r->work, i);
		err = patch ? hs_release_write_patch(r, V_NV, V_NV, i, patch, &n) : -ENOMEM;
		rc = err ?: hs_patch_load(r->ctx, patch, &p);
		r->kb.ctx = &silent;	/* refusals: the header's run says why */
		rc = rc ?: hs_kbuild_units(&r->kb, &p, &u);
		r->kb.ctx = ctx;
		if (!rc && u.n <= r->kb.max_header_users)
			rc = merge_units(&few, &u);
		err = err ?: rc == -ENOMEM ? rc : merge_units(&all, &u);
		headers += !rc;
		hs_kbuild_units_free(&u);
		hs_patch_free(&p);
		if (patch)
			unlink(patch);
		free(patch);
	}
	if (!err && all.n)
		hs_info(r->ctx, "release: %zu changed headers bring %zu .c files: their command "
			"lines, and the generated prerequisites of %zu", headers, all.n, few.n);
	rc = err || !all.n ? 0 : hs_kbuild_cmdlines(&r->kb, &all);
	rc = rc ?: err || !few.n ? 0 : hs_kbuild_ready(&r->kb, &few);
	if (rc == -ENOMEM)
		err = rc;
	else if (rc)
		hs_warn(r->ctx, "release: the headers' units could not be made ready (%s): each "
			"header's run does it", hs_strerror(rc));
	hs_kbuild_units_free(&all);
	hs_kbuild_units_free(&few);
	return err;
}

/*
 * Compile every changed .c file that is built, pre and post, in one batch
 * (one "make -n" for the command lines, one for the generated prerequisites,
 * then -j parallel compiles), with the patch of those files together. Each
 * one's run alone then finds its objects in the tree's cache: pre by command
 * line, post by the patched text of the files it reads (kbuild.h), which is
 * the same alone as in the batch for a .c file that includes no other
 * changed .c file; the groups and the final build reuse them the same way.
 * A file that does not compile here is compiled (and reported) by its own
 * run; a failure of the batch as a whole only costs time.
 */
static int compile_ahead(struct release *r)
{
	struct hs_kbuild_units u = { 0 };
	struct hs_patch p = { 0 };
	char *patch = hs_strdupf("%s/ahead.diff", r->work), *out = hs_strdupf("%s/ahead", r->work);
	struct ahead_progress a = { .ctx = r->ctx, .last = hs_now() };
	struct hs_ctx counting = { .print = ahead_print, .print_arg = &a, .verbosity = HS_INFO };
	size_t n = 0;
	int err = patch && out ? 0 : -ENOMEM, rc;

	for (size_t i = 0; i < r->n && !err; i++) {
		enum hs_unit_where where;

		r->f[i].ahead = r->f[i].v == V_PENDING && hs_str_ends(r->f[i].path, ".c");
		if (r->f[i].ahead && hs_kbuild_unit_add(&r->kb, &u, r->f[i].path, &where) == -ENOMEM)
			err = -ENOMEM;
	}
	a.total = 2 * u.n;
	err = err ?: hs_release_write_patch(r, V_NV, V_NV, (size_t)-2, patch, &n);
	if (!err && u.n)
		hs_info(r->ctx, "release: compiling %zu changed files pre and post in one batch "
			"(-j%d)", u.n, r->kb.jobs);
	rc = err || !u.n ? 0 : hs_patch_load(r->ctx, patch, &p);
	r->kb.ctx = &counting;
	r->kb.keep_going = true;
	rc = rc ?: err || !u.n ? 0 : hs_kbuild_cmdlines(&r->kb, &u);
	rc = rc ?: err || !u.n ? 0 : hs_kbuild_compile(&r->kb, patch, &p, &u, out);
	r->kb.keep_going = false;
	if (rc == -ENOMEM)
		err = rc;
	else if (rc)
		hs_warn(r->ctx, "release: the batch compile failed (%s): each file is compiled "
			"by its own run", hs_strerror(rc));
	err = err ?: header_units_ready(r);
	r->kb.ctx = r->ctx;
	hs_patch_free(&p);
	hs_kbuild_units_free(&u);
	if (out)
		hs_rm_rf(out);
	free(patch);
	free(out);
	if (!err)
		hs_release_stage(r, "compiled ahead");
	return err;
}

static size_t count(const struct release *r, enum verdict v)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += r->f[i].v == v;
	return n;
}

/* @f's detail in @d (as large), without a character cut at its end (a compiler's ‘quote’). */
static const char *detail_of(const struct rfile *f, char *d)
{
	memcpy(d, f->detail, sizeof(f->detail));
	hs_utf8_cut(d);
	return d;
}

/* The report member: one "VERDICT<TAB>PATH<TAB>DETAIL" line per changed file. */
static char *report_text(const struct release *r, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < r->n; i++) {
		char d[sizeof(r->f[i].detail)];

		fprintf(f, "%s\t%s\t%s\n", hs_release_verdict_names[r->f[i].v], r->f[i].path,
			detail_of(&r->f[i], d));
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* "Debian OLD to NEW: L of C changed kernel files live; R need a reboot: a, b". */
static char *describe(const struct release *r)
{
	size_t live = count(r, V_LIVE), refused = count(r, V_REFUSED), len = 0, shown = 0;
	size_t code = live + refused + count(r, V_NOT_NEEDED);
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fprintf(f, "Debian %s to %s: %zu of %zu changed kernel files live", r->from, r->to, live,
		code);
	if (refused)
		fprintf(f, "; %zu need a reboot:", refused);
	for (size_t i = 0; i < r->n && refused; i++)
		if (r->f[i].v == V_REFUSED && shown++ < 8)
			fprintf(f, "%s %s", shown > 1 ? "," : "", r->f[i].path);
	if (shown > 8)
		fprintf(f, ", ...");
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/*
 * --on-top-of with --release: the earlier (release) updates this one replaces.
 * Its diff is from the pristine OLD already, so their patches are not applied
 * again; but each of their functions must be in this update, or applying it
 * would take that fix out.
 */
static int read_bases(struct release *r, struct hs_pkg *pkgs, char **ids)
{
	int err = 0;

	for (size_t i = 0; i < r->o->non_top_of && !err; i++) {
		err = hs_pkg_read(r->ctx, r->o->on_top_of[i], &pkgs[i]);
		ids[i] = err ? NULL : pkgs[i].id;
	}
	return err;
}

static int covers_bases(struct release *r, const char *out, const struct hs_pkg *bases)
{
	struct hs_pkg p;
	int err = hs_pkg_read(r->ctx, out, &p), missing = 0;

	for (size_t b = 0; b < r->o->non_top_of && !err; b++)
		for (size_t i = 0; i < bases[b].nfuncs; i++) {
			const struct hs_pkg_func *f = &bases[b].funcs[i];
			bool found = false;

			for (size_t k = 0; k < p.nfuncs && !found; k++)
				found = !strcmp(p.funcs[k].name, f->name) &&
					!strcmp(p.funcs[k].klp_obj, f->klp_obj);
			if (found)
				continue;
			hs_err(r->ctx, "%s: function '%s' of update '%s' is not in this update: "
			       "applied, it would take that fix out", f->klp_obj, f->name,
			       bases[b].id);
			missing = 1;
		}
	if (!err)
		hs_pkg_free(&p);
	if (!err && missing) {
		unlink(out);
		hs_err(r->ctx, "'%s' removed: it does not carry every fix of the updates it "
		       "replaces", out);
		err = -HS_EREFUSED;
	}
	return err;
}

struct built {
	struct release *r;
	struct capture *cap;
};

/* The report of the update just built: with what its build said of the live files. */
static char *built_report(void *arg, size_t *len)
{
	struct built *b = arg;

	hs_release_note_silent(b->r, b->cap->silent->s);
	hs_release_note_needs(b->r);
	return report_text(b->r, len);
}

/* One build of the update of the live files, with the report; the errors into @cap. */
static int build_once(struct release *r, struct hs_create_opts *co, struct capture *cap)
{
	char *patch = hs_strdupf("%s/live.diff", r->work), *desc = describe(r);
	struct built b = { r, cap };
	size_t n;
	int err;

	err = patch && desc ? 0 : -ENOMEM;
	err = err ?: hs_release_write_patch(r, V_LIVE, V_LIVE, (size_t)-1, patch, &n);
	co->description = r->o->description ?: desc;
	co->effective = count(r, V_REFUSED) ? NULL : r->o->effective ?: r->to;
	co->report = built_report;
	co->report_arg = &b;
	co->max_header_files = hs_release_header_budget(r, V_LIVE, V_LIVE);
	cap->silent->len = 0;
	cap->silent->s[0] = 0;
	err = err ?: hs_release_try_create(r, patch, co, cap, true);
	co->report = NULL;
	co->report_arg = NULL;
	free(patch);
	free(desc);
	return err;
}

/*
 * The update of the live files, with the report. A build refused for what the
 * files do together (their errors name some of them) is made again without
 * those, refused now with that error (at most HS_RELEASE_GROUP_ROUNDS times):
 * what went live file by file still goes live.
 */
static int build(struct release *r)
{
	struct hs_pkg *bases = calloc(r->o->non_top_of + 1, sizeof(*bases));
	char **base_ids = calloc(r->o->non_top_of + 1, sizeof(*base_ids)), *out = NULL;
	struct hs_create_opts co = *r->o;
	struct hs_strbuf all = { .s = malloc(256), .cap = 256 };
	struct hs_strbuf silent = { .s = malloc(256), .cap = 256 };
	struct capture cap = { .out = r->ctx, .all = &all, .echo = true, .silent = &silent,
			       .timing = true };
	char *id = hs_strdupf("release-%s", r->to);
	int err = id && bases && base_ids && all.s && silent.s ? 0 : -ENOMEM;

	if (id)
		hs_pkg_id_fix(id);
	co.id = r->o->id ? r->o->id : id;
	co.release_from = r->from;
	co.release_to = r->to;
	co.replace = true;
	co.replaces = base_ids;
	co.nreplaces = r->o->non_top_of;
	err = err ?: read_bases(r, bases, base_ids);
	out = err ? NULL : r->o->out ? strdup(r->o->out) : hs_strdupf("hotsplice-%s.hsu", co.id);
	err = err ?: out ? 0 : -ENOMEM;
	co.out = out;
	if (count(r, V_REFUSED) && r->o->effective)
		hs_warn(r->ctx, "--effective-version '%s' not recorded: %zu change(s) are refused "
			"and need a reboot", r->o->effective, count(r, V_REFUSED));
	for (int round = 1; !err && round <= HS_RELEASE_GROUP_ROUNDS; round++) {
		size_t named;

		all.len = 0;
		all.s[0] = 0;
		err = build_once(r, &co, &cap);
		if (err != -HS_EREFUSED || all.err)
			break;
		if ((named = hs_release_refuse_named(r, all.s, V_LIVE)))
			hs_warn(r->ctx, "release: the update was refused at its build: %zu live "
				"file(s) its errors name are refused now; building it again without "
				"them", named);
		else if ((named = hs_release_leave_out_named(r, all.s)))
			hs_warn(r->ctx, "release: the update was refused at its build: %zu "
				"not-needed-live file(s) its errors name are left out now; building "
				"it again without them", named);
		else
			break;
		err = 0;
	}
	if (!err && !r->o->dry_run && r->o->non_top_of)
		err = covers_bases(r, out, bases);
	for (size_t i = 0; bases && i < r->o->non_top_of; i++)
		hs_pkg_free(&bases[i]);
	free(bases);
	free(base_ids);
	free(out);
	free(all.s);
	free(silent.s);
	free(id);
	return err;
}

static void print_report(struct release *r)
{
	char d[sizeof(r->f[0].detail)];

	hs_release_note_needs(r);	/* a dry run, or files the last build refused */
	for (int v = 0; v < V_PENDING; v++)
		for (size_t i = 0; i < r->n; i++)
			if (r->f[i].v == (enum verdict)v)
				printf("%-16s %s%s%s\n", hs_release_verdict_names[v], r->f[i].path,
				       r->f[i].detail[0] ? ": " : "", detail_of(&r->f[i], d));
	hs_info(r->ctx, "release %s to %s: %zu changed files: %zu live, %zu not-needed-live, "
		"%zu refused (need a reboot), %zu not built, %zu not code (%zu create runs, "
		"%.0f s)", r->from, r->to, r->n, count(r, V_LIVE), count(r, V_NOT_NEEDED),
		count(r, V_REFUSED), count(r, V_NOT_BUILT), count(r, V_NOT_CODE), r->tries,
		hs_now() - r->t0);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct rfile *)a)->path, ((const struct rfile *)b)->path);
}

static int changed_files(struct release *r)
{
	double t0 = hs_now();
	int err = walk(r, r->o->source, r->new_src, "", 1);	/* changed and deleted */

	err = err ?: walk(r, r->new_src, r->o->source, "", 0);	/* new files */
	if (!err && r->n)
		qsort(r->f, r->n, sizeof(*r->f), by_path);
	if (err)
		hs_err(r->ctx, "cannot compare '%s' with '%s': %s", r->o->source, r->new_src,
		       hs_strerror(err));
	else
		hs_info(r->ctx, "%zu changed files between %s and %s (%.1f s)", r->n, r->from,
			r->to, hs_now() - t0);
	return err;
}

int hs_release_create(const struct hs_ctx *ctx, const struct hs_create_opts *o,
		      const char *from, const char *to, const char *to_source)
{
	struct release r = { .ctx = ctx, .o = o, .from = from, .to = to, .new_src = to_source,
			     .t0 = hs_now(), .t = hs_now() };
	int err;

	r.work = hs_mkdtemp("release");
	if (!r.work)
		return hs_tmpdir_err(ctx);
	err = hs_kbuild_open(ctx, o->source, o->headers, &r.kb);
	if (!err)
		r.kb.quiet = true;
	err = err ?: hs_kbuild_prepare(&r.kb);	/* where kbuild builds each file */
	if (!err)
		hs_release_stage(&r, "prepared tree");
	err = err ?: changed_files(&r);
	for (size_t i = 0; i < r.n && !err; i++)
		r.f[i].v = categorize(&r, &r.f[i]);
	if (!err)
		hs_release_stage(&r, "sorted the changed files");
	err = err ?: compile_ahead(&r);
	err = err ?: hs_release_try_alone(&r);
	err = err ?: hs_release_try_together(&r);
	if (!err && !count(&r, V_LIVE)) {
		print_report(&r);
		hs_info(ctx, "no change of %s to %s can go live or needs to", from, to);
		err = count(&r, V_REFUSED) ? -HS_EREFUSED : -HS_ENOCHANGE;
	} else if (!err) {
		err = build(&r);
		print_report(&r);	/* after the build: a build round may refuse more */
	}
	if (!err)
		hs_release_stage(&r, o->dry_run ? "classified the live files together" : "built the update");
	hs_release_cache_free(&r);
	for (size_t i = 0; i < r.n; i++)
		free(r.f[i].path);
	free(r.f);
	hs_kbuild_close(&r.kb);
	hs_tmpdir_remove(r.work);
	free(r.work);
	return err;
}
