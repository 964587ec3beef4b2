// SPDX-License-Identifier: GPL-2.0
/* create_package.c - create's update package: manifest, stripped module, patch, pre objects. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/create_priv.h"
#include "core/spawn.h"
#include "package/package.h"

/* Add @path to the package as @member, without debug info (no build-host paths). */
static int add_stripped(struct create *c, struct hs_pkg *pkg, const char *path,
			const char *member)
{
	char *tmp = hs_strdupf("%s/strip.tmp", c->work), *data = NULL;
	char *argv[] = { "objcopy", "--strip-debug", "--remove-section=.comment",
			 (char *)path, tmp, NULL };
	size_t len;
	int err;

	if (!tmp)
		return -ENOMEM;
	err = hs_spawn_run(c->ctx, argv, NULL, NULL, NULL);
	if (err > 0) {
		hs_err(c->ctx, "'%s': objcopy --strip-debug failed", path);
		err = -EIO;
	}
	err = err ?: hs_read_file(c->ctx, tmp, &data, &len);
	err = err ?: hs_pkg_add_file(pkg, member, data, len);
	free(data);
	unlink(tmp);
	free(tmp);
	return err;
}

/* Add the built module as @member: stripped, then sealed (hs_pkg_seal_module()). */
static int add_module(struct create *c, struct hs_pkg *pkg, const char *ko, const char *member)
{
	int err = add_stripped(c, pkg, ko, member);

	return err ?: hs_pkg_seal_module(c->ctx, pkg, pkg->nfiles - 1, c->signer);
}

static int add_funcs(struct create *c, struct hs_pkg *pkg, const struct unit_sel *sels)
{
	int err = 0;

	for (size_t i = 0; i < c->units.n && !err; i++) {
		const struct hs_kbuild_unit *u = &c->units.u[i];
		char *member;

		if (!sels[i].nfuncs)
			continue;
		member = hs_strdupf("pre/%s", u->obj);
		err = member ? add_stripped(c, pkg, c->diffs[i].pre.path, member) : -ENOMEM;
		for (size_t k = 0; k < sels[i].nfuncs && !err; k++) {
			err = hs_pkg_add_func(pkg, member, u->klp_object, sels[i].funcs[k].old_name,
					      sels[i].funcs[k].name);
			if (!err)
				pkg->funcs[pkg->nfuncs - 1].sympos = sels[i].funcs[k].sympos;
		}
		free(member);
	}
	return err;
}

static char *default_description(const struct create *c)
{
	char *text = NULL, *subj, *d = NULL;

	if (c->o->description)
		return strdup(c->o->description);
	if (!hs_read_file(NULL, c->o->patch, &text, NULL) && (subj = strstr(text, "Subject: "))) {
		subj += strlen("Subject: ");
		d = strndup(subj, strcspn(subj, "\n"));
	}
	free(text);
	if (!d) {
		char *copy = strdup(c->o->patch);

		d = copy ? hs_strdupf("live update from %s", basename(copy)) : NULL;
		free(copy);
	}
	/* a Subject: or file name is one line of text, as the MANIFEST needs */
	hs_pkg_text_fix(d);
	return d;
}

int hs_create_write_package(struct create *c, const struct unit_sel *sels, const char *ko)
{
	struct hs_pkg pkg = { 0 };
	char *member = hs_strdupf("%s.ko", c->modname), *patch = NULL;
	size_t plen;
	int err;

	pkg.id = strdup(c->id);
	pkg.description = default_description(c);
	pkg.target_release = strdup(c->target_release);
	pkg.target_version = strdup(c->target_version);
	pkg.effective_version = c->o->effective ? strdup(c->o->effective) : NULL;
	pkg.compiler = strdup(c->kb.cc_text);
	pkg.module = strdup(c->modname);
	err = member && pkg.id && pkg.description && pkg.target_release && pkg.target_version &&
	      pkg.compiler && pkg.module ? 0 : -ENOMEM;
	err = err ?: add_module(c, &pkg, ko, member);
	err = err ?: hs_read_file(c->ctx, c->o->patch, &patch, &plen);
	err = err ?: hs_pkg_add_file(&pkg, "patch.diff", patch, plen);
	err = err ?: add_funcs(c, &pkg, sels);
	err = err ?: hs_create_base_fill(&c->base, &pkg);
	err = err ?: hs_create_release_fill(c->o, &pkg);
	pkg.sign = c->signer ? hs_sign_pkg_cb : NULL;
	pkg.sign_arg = c->signer;
	err = err ?: hs_pkg_write(c->ctx, c->out, &pkg);
	if (!err)
		hs_info(c->ctx, "wrote '%s': update '%s', %zu function%s, for %s%s%s", c->out,
			c->id, pkg.nfuncs, pkg.nfuncs == 1 ? "" : "s", c->target_release,
			c->signer ? ", signed by " : "",
			c->signer ? hs_signer_subject(c->signer) : "");
	hs_pkg_free(&pkg);
	free(member);
	free(patch);
	return err;
}
