// SPDX-License-Identifier: GPL-2.0
/* apply.c - the apply/check pipeline: verify, fit, enable, record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "apply.h"
#include "cache.h"
#include "kallsyms.h"
#include "kcore.h"
#include "livepatch.h"
#include "package.h"
#include "prove.h"
#include "runpre.h"
#include "state.h"
#include "trust.h"

struct apply {
	const struct hs_ctx *ctx;
	const struct hs_apply_opts *o;
	struct hs_pkg pkg;
	char *raw;		/* the package file, stored as is on success */
	size_t rawlen;
	struct hs_state st;
	struct hs_kallsyms ks;
	struct hs_kcore kc;
	struct hs_runpre rp;
	const struct hs_pkg_file *ko;
	size_t nunloaded;	/* replaced functions of modules not loaded (not matched) */
	double t0;
};

static int read_pkg(struct apply *a)
{
	int err = hs_pkg_read_trusted(a->ctx, a->o->package, a->o->trusted, &a->pkg);
	char name[300];

	err = err ?: hs_read_file(a->ctx, a->o->package, &a->raw, &a->rawlen);
	if (err)
		return err;
	snprintf(name, sizeof(name), "%s.ko", a->pkg.module);
	a->ko = hs_pkg_file(&a->pkg, name);
	if (!a->ko) {
		hs_err(a->ctx, "'%s': the module '%s' is not in the package", a->o->package, name);
		return -HS_EFORMAT;
	}
	return hs_trust_module_loadable(a->ctx, a->pkg.id, name, a->ko->data, a->ko->size);
}

static int check_kernel(struct apply *a)
{
	struct utsname u;

	if (uname(&u))
		return -errno;
	if (strcmp(u.release, a->pkg.target_release) || strcmp(u.version, a->pkg.target_version)) {
		hs_err(a->ctx, "update '%s' is for kernel %s %s, but this kernel is %s %s",
		       a->pkg.id, a->pkg.target_release, a->pkg.target_version, u.release, u.version);
		return -HS_EMISMATCH;
	}
	return 0;
}

/* Replaying: the package must be the one the state records, not yet loaded. */
static int check_record(struct apply *a, const struct hs_lp_env *env)
{
	const struct hs_state_entry *e = hs_state_find(&a->st, a->pkg.id);
	char vd[17], *funcs;
	int differ;

	if (!e) {
		hs_err(a->ctx, "update '%s' is no longer recorded in '%s'", a->pkg.id, a->st.root);
		return -ENOENT;
	}
	funcs = hs_state_funcs_field(&a->pkg);
	if (!funcs)
		return -ENOMEM;
	hs_state_version_digest(a->pkg.target_version, vd);
	differ = strcmp(e->module, a->pkg.module) || strcmp(e->release, a->pkg.target_release) ||
		 strcmp(e->version_digest, vd) || strcmp(e->funcs, funcs);
	free(funcs);
	if (differ) {
		hs_err(a->ctx, "'%s': the package disagrees with the record of update '%s' in the state (module, kernel or functions)",
		       a->o->package, a->pkg.id);
		return -HS_EFORMAT;
	}
	if (hs_lp_exists(env, a->pkg.module)) {
		hs_info(a->ctx, "update '%s' is already applied", a->pkg.id);
		return -HS_ENOCHANGE;
	}
	return 0;
}

static int open_state(struct apply *a)
{
	const char *root = a->o->state_root ?: hs_state_default_root();
	const struct hs_state_entry *e;
	struct hs_lp_env env;
	int err;

	err = hs_state_open(a->ctx, root, &a->st);
	if (err)
		return err;
	hs_lp_env_init(&env);
	if (a->o->replaying)
		return check_record(a, &env);
	e = hs_state_find(&a->st, a->pkg.id);
	if (e && !hs_state_entry_is_running(e)) {
		hs_err(a->ctx, "update id '%s' is still recorded for kernel %s; 'hotsplice undo --purge' forgets it",
		       a->pkg.id, e->release);
		return -HS_EREFUSED;
	}
	if (e || hs_lp_exists(&env, a->pkg.module)) {
		hs_info(a->ctx, "update '%s' is already applied", a->pkg.id);
		return -HS_ENOCHANGE;
	}
	return 0;
}

static int kcore_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	return hs_kcore_read(arg, addr, buf, len);
}

static const char *mod_of(const char *klp_obj)
{
	return strcmp(klp_obj, "vmlinux") ? klp_obj : NULL;
}

/* Match every replaced function; report every one that does not match. */
static int runpre(struct apply *a)
{
	struct hs_runpre_env env;
	struct hs_prove pv = { .ctx = a->ctx, .pkg = &a->pkg, .env = &env, .rp = &a->rp };
	int err, bad = 0, refused = 0;

	err = hs_kallsyms_load(a->ctx, a->o->kallsyms ?: "/proc/kallsyms", &a->ks);
	err = err ?: hs_kcore_open(a->ctx, a->o->kcore ?: "/proc/kcore", &a->kc);
	if (err)
		return err;
	env = (struct hs_runpre_env){ .ks = &a->ks, .read = kcore_read, .read_arg = &a->kc };
	for (size_t i = 0; i < a->pkg.nfuncs; i++) {
		const struct hs_pkg_func *f = &a->pkg.funcs[i];
		const struct hs_pkg_file *obj = hs_pkg_file(&a->pkg, f->obj);
		const char *mod = mod_of(f->klp_obj);
		struct hs_elf e;

		if (mod && !hs_kallsyms_has_mod(&a->ks, mod)) {
			err = hs_runpre_not_loaded(&a->rp, mod, f->name);
			if (err)
				return err;
			a->nunloaded++;
			hs_log(a->ctx, a->o->check_only ? HS_INFO : HS_DEBUG,
			       "  %s (%s): module not loaded; the livepatch core replaces it when %s loads",
			       f->name, mod, mod);
			continue;
		}
		err = hs_elf_open_mem(a->ctx, f->obj, obj->data, obj->size, &e);
		if (err)
			return err;
		env.sympos = f->sympos;
		err = hs_runpre_match_func(a->ctx, &env, &e, mod, f->name, &a->rp);
		hs_elf_close(&e);
		if (!err && hs_prove_func(&pv, f, &a->rp.funcs[a->rp.nfuncs - 1])) {
			refused++;
			continue;
		}
		if (err == -HS_EMISMATCH) {
			hs_err(a->ctx, "%s: function '%s' (%s) does not match the running kernel: %s",
			       f->obj + (strncmp(f->obj, "pre/", 4) ? 0 : 4), f->name, f->klp_obj,
			       a->rp.funcs[a->rp.nfuncs - 1].why);
			bad++;
		} else if (err) {
			return err;
		} else {
			const struct hs_runpre_func *v = &a->rp.funcs[a->rp.nfuncs - 1];

			hs_log(a->ctx, a->o->check_only ? HS_INFO : HS_DEBUG,
			       "  %s (%s): matches the running code at 0x%llx, sympos %lu as recorded",
			       f->name, f->klp_obj, (unsigned long long)v->addr, f->sympos);
		}
	}
	env.sympos = 0;
	err = bad || refused ? 0 : hs_prove_klpsyms(&pv, a->ko->data, a->ko->size);
	refused += err == -HS_EREFUSED;
	if (err && err != -HS_EREFUSED)
		return err;
	if (bad)
		hs_err(a->ctx, "update '%s' refused: %d function%s of %zu differ from the running kernel; nothing was changed",
		       a->pkg.id, bad, bad > 1 ? "s" : "", a->pkg.nfuncs);
	else if (refused)
		hs_err(a->ctx, "update '%s' refused: the running kernel disagrees with the symbol positions of the build it was made for; nothing was changed",
		       a->pkg.id);
	return bad ? -HS_EMISMATCH : refused ? -HS_EREFUSED : 0;
}

static int enable(struct apply *a)
{
	struct hs_lp_env env;

	hs_lp_env_init(&env);
	if (a->o->timeout > 0)
		env.timeout = a->o->timeout;
	env.cancel = a->o->cancel;
	/* the module as signed and verified: the positions are in it, no parameter */
	return hs_lp_enable(a->ctx, &env, a->pkg.module, a->ko->data, a->ko->size, "");
}

static int record(struct apply *a)
{
	struct hs_lp_env env;
	int err;

	if (a->o->replaying)
		return 0;	/* the state already lists it, with its package */
	err = hs_state_store_package(a->ctx, &a->st, a->pkg.id, a->raw, a->rawlen);
	err = err ?: hs_state_add(a->ctx, &a->st, &a->pkg);
	if (!err)
		return 0;
	hs_err(a->ctx, "update '%s': cannot record it; taking it back out", a->pkg.id);
	hs_lp_env_init(&env);
	hs_lp_disable_unload(a->ctx, &env, a->pkg.module);
	return err;
}

int hs_apply(const struct hs_ctx *ctx, const struct hs_apply_opts *o)
{
	struct apply a = { .ctx = ctx, .o = o, .t0 = hs_now(), .kc = { .fd = -1 },
			   .st = { .lockfd = -1 } };
	int err;

	err = read_pkg(&a);
	err = err ?: check_kernel(&a);
	err = err ?: open_state(&a);
	err = err ?: runpre(&a);
	if (!err)
		hs_info(ctx, "verified: %zu function%s matched the running kernel%s (%.2f s)",
			a.pkg.nfuncs - a.nunloaded, a.pkg.nfuncs - a.nunloaded == 1 ? "" : "s",
			a.nunloaded ? "; the others are in modules not loaded" : "", hs_now() - a.t0);
	if (!err && o->check_only)
		hs_info(ctx, "update '%s' fits this kernel; nothing was changed", a.pkg.id);
	if (!err && !o->check_only) {
		err = enable(&a);
		if (!err)
			hs_info(ctx, "switched: livepatch '%s' enabled, transition complete (%.2f s)",
				a.pkg.module, hs_now() - a.t0);
		err = err ?: record(&a);
		if (!err)
			hs_info(ctx, "update '%s' applied: %zu function%s replaced (%.2f s)", a.pkg.id,
				a.pkg.nfuncs, a.pkg.nfuncs > 1 ? "s" : "", hs_now() - a.t0);
	}
	hs_runpre_free(&a.rp);
	if (a.kc.fd >= 0)
		hs_kcore_close(&a.kc);
	hs_kallsyms_free(&a.ks);
	hs_state_close(&a.st);
	hs_pkg_free(&a.pkg);
	free(a.raw);
	return err;
}
