// SPDX-License-Identifier: GPL-2.0
/* create_base.c - the earlier updates of a cumulative update, and the combined patch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/create_base.h"
#include "build/patch.h"
#include "core/spawn.h"

void hs_create_base_free(struct hs_create_base *b)
{
	for (size_t i = 0; i < b->npkgs; i++)
		hs_pkg_free(&b->pkgs[i]);
	for (size_t i = 0; i < b->n; i++) {
		free(b->ids[i]);
		free(b->texts[i]);
	}
	for (size_t i = 0; i < b->ntops; i++)
		free(b->tops[i]);
	free(b->pkgs);
	free(b->ids);
	free(b->texts);
	free(b->lens);
	free(b->tops);
	memset(b, 0, sizeof(*b));
}

/* Append update @id with patch @f of package @p, unless it is there already. */
static int add_update(struct hs_create_base *b, const struct hs_pkg *p, const char *id,
		      const char *member)
{
	const struct hs_pkg_file *f = hs_pkg_file(p, member);
	char **ids, **texts;
	size_t *lens;

	if (hs_pkg_has_str(b->ids, b->n, id))
		return 0;
	if (!f)
		return -HS_EFORMAT;
	ids = realloc(b->ids, (b->n + 1) * sizeof(*ids));
	if (ids)
		b->ids = ids;
	texts = realloc(b->texts, (b->n + 1) * sizeof(*texts));
	if (texts)
		b->texts = texts;
	lens = realloc(b->lens, (b->n + 1) * sizeof(*lens));
	if (lens)
		b->lens = lens;
	if (!ids || !texts || !lens)
		return -ENOMEM;
	ids[b->n] = strdup(id);
	texts[b->n] = malloc(f->size + 1);
	if (!ids[b->n] || !texts[b->n]) {
		free(ids[b->n]);
		free(texts[b->n]);
		return -ENOMEM;
	}
	memcpy(texts[b->n], f->data, f->size);
	texts[b->n][f->size] = 0;
	lens[b->n++] = f->size;
	return 0;
}

/* The updates package @p carries (its includes, then itself), into @b. */
static int add_package(const struct hs_ctx *ctx, const char *path, const struct hs_pkg *p,
		       struct hs_create_base *b)
{
	int err = 0;

	for (size_t i = 0; i < p->nincludes && !err; i++) {
		char *member = hs_strdupf("includes/%s.diff", p->includes[i]);

		err = member ? add_update(b, p, p->includes[i], member) : -ENOMEM;
		free(member);
	}
	err = err ?: add_update(b, p, p->id, "patch.diff");
	if (err == -HS_EFORMAT)
		hs_err(ctx, "'%s': a patch it carries is missing from the package", path);
	return err;
}

static int find_tops(struct hs_create_base *b)
{
	int err = 0;

	for (size_t i = 0; i < b->npkgs && !err; i++) {
		bool inside = false;

		for (size_t k = 0; k < b->npkgs && !inside; k++)
			inside = k != i && hs_pkg_has_str(b->pkgs[k].includes, b->pkgs[k].nincludes,
							  b->pkgs[i].id);
		if (!inside && !hs_pkg_has_str(b->tops, b->ntops, b->pkgs[i].id))
			err = hs_pkg_add_str(&b->tops, &b->ntops, b->pkgs[i].id);
	}
	return err;
}

int hs_create_base_load(const struct hs_ctx *ctx, const char *const *paths, size_t n,
			const char *release, const char *version, struct hs_create_base *b)
{
	int err = 0;

	memset(b, 0, sizeof(*b));
	b->pkgs = calloc(n + 1, sizeof(*b->pkgs));
	if (!b->pkgs)
		return -ENOMEM;
	for (size_t i = 0; i < n && !err; i++) {
		struct hs_pkg *p = &b->pkgs[i];

		err = hs_pkg_read(ctx, paths[i], p);
		if (err)
			break;
		b->npkgs++;
		if (strcmp(p->target_release, release) || strcmp(p->target_version, version)) {
			hs_err(ctx, "'%s': update '%s' is for kernel %s %s, not %s %s: a cumulative "
			       "update is built on updates of its own kernel", paths[i], p->id,
			       p->target_release, p->target_version, release, version);
			err = -HS_EREFUSED;
		}
		for (size_t k = 0; k < i && !err; k++)
			if (!strcmp(b->pkgs[k].id, p->id)) {
				hs_err(ctx, "'%s': update '%s' is given twice to --on-top-of",
				       paths[i], p->id);
				err = -HS_EREFUSED;
			}
		err = err ?: add_package(ctx, paths[i], p, b);
	}
	return err ?: find_tops(b);
}

struct lines {
	FILE *f;
};

static void keep_line(void *arg, const char *line)
{
	fprintf(((struct lines *)arg)->f, "%s\n", line);
}

/* Copy file @rel of @source, if it exists, into @a and @b. */
static int copy_both(const struct hs_ctx *ctx, const char *source, const char *rel,
		     const char *a, const char *b)
{
	char *from = hs_strdupf("%s/%s", source, rel), *ta = hs_strdupf("%s/%s", a, rel);
	char *tb = hs_strdupf("%s/%s", b, rel), *slash;
	int err = from && ta && tb ? 0 : -ENOMEM;

	for (char **t = (char *[]){ ta, tb, NULL }; !err && *t; t++) {
		slash = strrchr(*t, '/');
		*slash = 0;
		err = hs_mkdir_p(ctx, *t);
		*slash = '/';
		if (!err && !access(from, F_OK))
			err = hs_copy_file(ctx, from, *t);
	}
	free(from);
	free(ta);
	free(tb);
	return err;
}

int hs_diff_u(const struct hs_ctx *ctx, const char *a, const char *b, const char *rel, FILE *f)
{
	char *pa = hs_strdupf("%s/%s", a, rel), *pb = hs_strdupf("%s/%s", b, rel);
	char *la = hs_strdupf("a/%s", rel), *lb = hs_strdupf("b/%s", rel);
	struct lines l = { f };
	int st = -ENOMEM;

	if (pa && pb && la && lb) {
		char *argv[] = { "diff", "-u", "-N", "--label", la, "--label", lb, pa, pb, NULL };

		fprintf(f, "diff -u %s %s\n", la, lb);
		st = hs_spawn_run(ctx, argv, NULL, keep_line, &l);
		if (st > 1) {
			hs_err(ctx, "diff failed on '%s'", rel);
			st = -EIO;
		}
	}
	free(pa);
	free(pb);
	free(la);
	free(lb);
	return st < 0 ? st : 0;
}

/* The paths the patches of @b and @patch touch, once each. */
static int touched(const struct hs_ctx *ctx, const struct hs_create_base *b,
		   const char *patch, char ***v, size_t *n)
{
	int err = 0;

	for (size_t i = 0; i <= b->n && !err; i++) {
		struct hs_patch p = { 0 };

		err = i < b->n ? hs_patch_parse(ctx, b->ids[i], b->texts[i], b->lens[i], &p) :
				 hs_patch_load(ctx, patch, &p);
		for (size_t k = 0; k < p.nfiles && !err; k++)
			for (const char *s = p.files[k].old_path; ; s = p.files[k].new_path) {
				if (s && !hs_pkg_has_str(*v, *n, s))
					err = hs_pkg_add_str(v, n, s);
				if (s == p.files[k].new_path || err)
					break;
			}
		hs_patch_free(&p);
	}
	return err;
}

/* Apply the earlier patches, then @patch, to @bdir. */
static int apply_all(const struct hs_ctx *ctx, const struct hs_create_base *b,
		     const char *patch, const char *dir, const char *bdir)
{
	int err = 0;

	for (size_t i = 0; i < b->n && !err; i++) {
		char *p = hs_strdupf("%s/%s.diff", dir, b->ids[i]);

		err = p ? hs_write_file_atomic(ctx, p, b->texts[i], b->lens[i]) : -ENOMEM;
		err = err ?: hs_patch_apply(ctx, p, bdir);
		if (err == -EINVAL)
			hs_err(ctx, "the patch of update '%s' does not apply on top of the earlier ones",
			       b->ids[i]);
		free(p);
	}
	err = err ?: hs_patch_apply(ctx, patch, bdir);
	if (err == -EINVAL)
		hs_err(ctx, "'%s' does not apply on top of the updates it is built on", patch);
	return err;
}

int hs_create_base_combine(const struct hs_ctx *ctx, const struct hs_create_base *b,
			   const char *source, const char *patch, const char *workdir,
			   const char *out)
{
	char *dir = hs_strdupf("%s/combine", workdir), *a = hs_strdupf("%s/combine/a", workdir);
	char *bd = hs_strdupf("%s/combine/b", workdir), **files = NULL, *text = NULL;
	size_t nfiles = 0, len = 0;
	FILE *f = NULL;
	int err = dir && a && bd ? 0 : -ENOMEM;

	if (!err)
		hs_rm_rf(dir);
	err = err ?: hs_mkdir_p(ctx, a);
	err = err ?: hs_mkdir_p(ctx, bd);
	err = err ?: touched(ctx, b, patch, &files, &nfiles);
	for (size_t i = 0; i < nfiles && !err; i++)
		err = copy_both(ctx, source, files[i], a, bd);
	err = err ?: apply_all(ctx, b, patch, dir, bd);
	if (!err && !(f = open_memstream(&text, &len)))
		err = -ENOMEM;
	for (size_t i = 0; i < nfiles && !err; i++)
		err = hs_diff_u(ctx, a, bd, files[i], f);
	if (f && fclose(f) && !err)
		err = -ENOMEM;
	err = err ?: hs_write_file_atomic(ctx, out, text, len);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(text);
	free(dir);
	free(a);
	free(bd);
	return err;
}

int hs_create_base_fill(const struct hs_create_base *b, struct hs_pkg *pkg)
{
	int err = 0;

	for (size_t i = 0; i < b->ntops && !err; i++)
		err = hs_pkg_add_str(&pkg->base, &pkg->nbase, b->tops[i]);
	for (size_t i = 0; i < b->n && !err; i++) {
		char *member = hs_strdupf("includes/%s.diff", b->ids[i]);

		err = member ? hs_pkg_add_str(&pkg->includes, &pkg->nincludes, b->ids[i]) : -ENOMEM;
		err = err ?: hs_pkg_add_file(pkg, member, b->texts[i], b->lens[i]);
		free(member);
	}
	return err;
}

int hs_create_release_fill(const struct hs_create_opts *o, struct hs_pkg *pkg)
{
	char *report;
	size_t len = 0;
	int err = 0;

	pkg->replace = o->replace;
	for (size_t i = 0; i < o->nreplaces && !err; i++)
		err = hs_pkg_add_str(&pkg->base, &pkg->nbase, o->replaces[i]);
	if (err || !o->release_from)
		return err;
	pkg->release_from = strdup(o->release_from);
	pkg->release_to = strdup(o->release_to);
	report = o->report ? o->report(o->report_arg, &len) : strdup("");
	err = pkg->release_from && pkg->release_to && report ? 0 : -ENOMEM;
	err = err ?: hs_pkg_add_file(pkg, "release-report", report, len);
	free(report);
	return err;
}
