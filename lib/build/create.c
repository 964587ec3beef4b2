// SPDX-License-Identifier: GPL-2.0
/*
 * create.c - the create pipeline: patch → objects → diff → module → package.
 * The options and the front end (patch, tree, units, compile) are here; the
 * diff is in create_diff.c, the refusals in create_checks.c, the module in
 * create_module.c and the package in create_package.c.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/create_priv.h"
#include "elf/kfacts.h"
#include "package/package.h"

void hs_create_stage(struct create *c, const char *what)
{
	double now = hs_now();

	if (!c->o->quiet)
		hs_info(c->ctx, "%-16s %5.1f s", what, now - c->t);
	hs_mark(c->ctx, what);
	c->t = now;
}

char *hs_create_default_id(const char *path)
{
	char *copy = strdup(path), *base, *id, *dot;

	if (!copy)
		return NULL;
	base = basename(copy);
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = 0;
	id = strndup(base, HS_PKG_ID_MAX);
	hs_pkg_id_fix(id);
	free(copy);
	return id;
}

/* "hs_" + id with '-' as '_': a valid module name. */
static char *module_name(const char *id)
{
	char *m = hs_strdupf("hs_%s", id);

	for (char *p = m; p && *p; p++)
		if (*p == '-')
			*p = '_';
	return m;
}

/* The target's uname -r and uname -v, as the headers record them. */
static int read_target_version(struct create *c)
{
	const char *h = c->kb.headers;
	int err = hs_kfacts_generated_string(c->ctx, h, "utsrelease.h", &c->target_release);

	return err ?: hs_kfacts_generated_string(c->ctx, h, "utsversion.h", &c->target_version);
}

static int setup(struct create *c)
{
	int err;

	c->id = c->o->id ? strdup(c->o->id) : hs_create_default_id(c->o->patch);
	if (!c->id)
		return -ENOMEM;
	if (!hs_pkg_id_valid(c->id)) {
		hs_err(c->ctx, "'%s' is not a valid update id: use up to %d letters, digits, '-' and '_'",
		       c->id, HS_PKG_ID_MAX);
		return -EINVAL;
	}
	if (c->o->effective && !hs_pkg_word_valid(c->o->effective)) {
		hs_err(c->ctx, "--effective-version '%s': must be one word of at most %d printable characters (no spaces or control characters)",
		       c->o->effective, HS_PKG_WORD_MAX);
		return -EINVAL;
	}
	if (c->o->description && !hs_pkg_text_valid(c->o->description)) {
		hs_err(c->ctx, "--description: must be one line of at most %d characters (no newline or control characters)",
		       HS_PKG_TEXT_MAX);
		return -EINVAL;
	}
	c->modname = module_name(c->id);
	c->out = c->o->out ? strdup(c->o->out) : hs_strdupf("hotsplice-%s%s", c->id, HS_PKG_EXT);
	if (c->o->workdir) {
		c->work = strdup(c->o->workdir);
		err = c->work ? hs_mkdir_p(c->ctx, c->work) : -ENOMEM;
	} else {
		c->work = hs_mkdtemp("create");
		err = c->work ? 0 : hs_tmpdir_err(c->ctx);
	}
	if (!c->modname || !c->out)
		return -ENOMEM;
	if (!err && c->o->sign_key)
		err = hs_signer_load(c->ctx, c->o->sign_key, c->o->sign_cert, &c->signer);
	return err;
}

/* The target build's symbols: --target-root, else the root the headers belong to. */
static int open_target_build(struct create *c)
{
	char *root = c->o->target_root ? strdup(c->o->target_root) :
		     hs_sympos_root_of_headers(c->kb.headers, c->target_release);
	int err;

	if (c->o->target_root && !root)
		return -ENOMEM;
	if (!root)
		hs_warn(c->ctx, "no System.map-%s next to the headers '%s' (give --target-root)",
			c->target_release, c->kb.headers);
	err = hs_sympos_open(c->ctx, root, c->target_release, &c->sp);
	free(root);
	return err;
}

/*
 * --on-top-of: the update is built from the pristine source to the source
 * with every earlier update's patch and then this one applied (create_base.h).
 */
static int on_top(struct create *c)
{
	int err;

	if (!c->o->non_top_of) {
		c->patch_path = strdup(c->o->patch);
		return c->patch_path ? 0 : -ENOMEM;
	}
	c->patch_path = hs_strdupf("%s/combined.diff", c->work);
	if (!c->patch_path)
		return -ENOMEM;
	err = read_target_version(c);
	err = err ?: hs_create_base_load(c->ctx, c->o->on_top_of, c->o->non_top_of, c->target_release,
				  c->target_version, &c->base);
	err = err ?: hs_create_base_combine(c->ctx, &c->base, c->kb.source, c->o->patch, c->work,
					    c->patch_path);
	if (!err)
		hs_info(c->ctx, "cumulative: on top of %zu earlier update(s) (%s%s)", c->base.n,
			c->base.ids[0], c->base.n > 1 ? ", ..." : "");
	return err;
}

static int front_end(struct create *c)
{
	int err;

	err = hs_kbuild_open(c->ctx, c->o->source, c->o->headers, &c->kb);
	if (err)
		return err;
	c->kb.quiet = c->o->quiet;
	c->kb.no_name_narrowing = c->o->no_name_narrowing;
	if (c->o->jobs > 0)
		c->kb.jobs = c->o->jobs;
	if (c->o->max_header_files)
		c->kb.max_header_users = c->o->max_header_files;
	c->kb.narrow_over = c->o->narrow_header_over;
	c->kb.first = c->o->first;
	c->kb.nfirst = c->o->nfirst;
	err = on_top(c);
	err = err ?: hs_patch_load(c->ctx, c->patch_path, &c->patch);
	err = err ?: hs_patch_check(c->ctx, c->patch_path, c->kb.source);
	if (!err)
		hs_create_stage(c, "patch applies");
	/* a kernel hotsplice has no facts about is refused before anything is built */
	err = err ?: hs_kfacts_for_headers(c->ctx, c->kb.headers, &c->facts);
	err = err ?: c->target_release ? 0 : read_target_version(c);
	err = err ?: open_target_build(c);
	err = err ?: hs_kbuild_prepare(&c->kb);
	if (!err)
		hs_create_stage(c, "prepared tree");
	err = err ?: hs_kbuild_units(&c->kb, &c->patch, &c->units);	/* with their command lines */
	hs_mark(c->ctx, "listed units");
	err = err ?: hs_kbuild_screen(&c->kb, c->patch_path, &c->patch, &c->units, c->work);
	if (!err)
		hs_create_stage(c, "found units");
	err = err ?: hs_kbuild_compile(&c->kb, c->patch_path, &c->patch, &c->units, c->work);
	if (!err)
		hs_create_stage(c, "compiled");
	return err;
}

int hs_create(const struct hs_ctx *ctx, const struct hs_create_opts *o)
{
	struct create c = { .ctx = ctx, .o = o, .t0 = hs_now() };
	struct unit_sel *sels = NULL;
	char *ko = NULL;
	int err;

	c.t = c.t0;
	err = setup(&c);
	err = err ?: front_end(&c);
	err = err ?: hs_create_diff_units(&c);
	if (o->dry_run && c.diffs && !o->no_print)
		hs_create_print_classification(&c);
	if (!err && !o->dry_run) {
		sels = calloc(c.units.n + 1, sizeof(*sels));
		err = sels ? hs_create_build_module(&c, sels, &ko) : -ENOMEM;
		err = err ?: hs_create_write_package(&c, sels, ko);
		if (!err && !o->quiet)
			hs_info(ctx, "done in %.1f s", hs_now() - c.t0);
	}
	if (err == -HS_ENOCHANGE)
		hs_info(ctx, "'%s': no code change to patch", o->patch);
	hs_create_free_sels(sels, c.units.n);
	for (size_t i = 0; c.diffs && i < c.ndiffs; i++)
		hs_diff_free(&c.diffs[i]);
	free(c.diffs);
	for (size_t i = 0; c.paths && i < 2 * c.units.n; i++)
		free(c.paths[i]);
	free(c.paths);
	hs_kbuild_units_free(&c.units);
	hs_kbuild_close(&c.kb);
	hs_sympos_close(&c.sp);
	hs_signer_free(c.signer);
	hs_patch_free(&c.patch);
	hs_create_base_free(&c.base);
	free(c.patch_path);
	if (c.work && !o->workdir && err == -EIO) {	/* a failed compile: its log stays */
		hs_err(ctx, "the compile logs stay in '%s' (remove it when done)", c.work);
		hs_tmpdir_keep(c.work);
	} else if (c.work && !o->workdir) {
		hs_tmpdir_remove(c.work);
	}
	free(c.work);
	free(c.id);
	free(c.modname);
	free(c.target_release);
	free(c.target_version);
	free(c.out);
	free(ko);
	return err;
}
