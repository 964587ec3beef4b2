// SPDX-License-Identifier: GPL-2.0
/* apply.c - the apply/check pipeline: verify, prove, enable, record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "target/apply.h"
#include "core/cache.h"
#include "target/cumulative.h"
#include "core/fault.h"
#include "target/kallsyms.h"
#include "target/kcore.h"
#include "target/livepatch.h"
#include "target/modfix.h"
#include "package/package.h"
#include "target/prove.h"
#include "target/runpre.h"
#include "target/state.h"
#include "target/status.h"
#include "package/trust.h"

struct apply {
	const struct hs_ctx *ctx;
	const struct hs_apply_opts *o;
	struct hs_pkg pkg;
	unsigned char *raw;	/* the package file, verified, loaded and stored as is */
	size_t rawlen;
	struct hs_state st;
	struct hs_kallsyms ks;
	struct hs_kcore kc;
	struct hs_runpre rp;
	const struct hs_kfacts *facts;	/* the running kernel's */
	const struct hs_pkg_file *ko;
	size_t nunloaded;	/* replaced functions of modules not loaded (not matched) */
	double t0;
};

/*
 * Read the package bytes once: those bytes are verified, loaded and stored for
 * replay, never the path again.
 */
static int read_pkg(struct apply *a)
{
	char name[HS_PKG_MODNAME_MAX + 4];
	int err;

	err = hs_pkg_read_bytes(a->ctx, a->o->package, &a->raw, &a->rawlen);
	err = err ?: hs_pkg_parse_trusted(a->ctx, a->o->package, a->raw, a->rawlen, a->o->trusted,
					   &a->pkg);
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

/* The module must register under the MANIFEST's name: what undo, list and a rollback use. */
static int check_module(struct apply *a)
{
	char real[HS_MODNAME_SIZE];
	int err = hs_modfix_name(a->ctx, a->ko->data, a->ko->size, real);

	if (!err && strcmp(real, a->pkg.module)) {
		hs_err(a->ctx, "'%s': the module '%s.ko' registers as '%s', not as the MANIFEST's '%s'",
		       a->o->package, a->pkg.module, real, a->pkg.module);
		err = -HS_EFORMAT;
	}
	return err;
}

static int check_kernel(struct apply *a)
{
	struct utsname u;
	char *what;
	int err;

	if (uname(&u))
		return -errno;
	if (strcmp(u.release, a->pkg.target_release) || strcmp(u.version, a->pkg.target_version)) {
		hs_err(a->ctx, "update '%s' is for kernel %s %s, but this kernel is %s %s",
		       a->pkg.id, a->pkg.target_release, a->pkg.target_version, u.release, u.version);
		return -HS_EMISMATCH;
	}
	what = hs_strdupf("update '%s'", a->pkg.id);
	err = what ? hs_kfacts_for_running(a->ctx, what, &a->facts) : -ENOMEM;
	free(what);
	return err;
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

	err = a->o->check_only ? hs_state_open_ro(a->ctx, root, &a->st) :
				 hs_state_open(a->ctx, root, &a->st);
	if (err)
		return err;
	hs_lp_env_init(&env);
	if (a->o->timeout > 0)
		env.timeout = a->o->timeout;
	if (!a->o->check_only)
		err = hs_reconcile(a->ctx, &env, &a->st);
	if (err)
		return err;
	if (a->o->replaying)
		return check_record(a, &env);
	e = hs_state_find(&a->st, a->pkg.id);
	if (e && e->superseded_by && hs_state_entry_is_running(e)) {
		hs_info(a->ctx, "update '%s' is applied: cumulative update '%s' carries it",
			a->pkg.id, e->superseded_by);
		return -HS_ENOCHANGE;
	}
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

/* The functions the update replaces must not be held by a loaded livepatch (cumulative.h). */
static int check_live(struct apply *a)
{
	struct hs_lp_live live;
	struct hs_lp_env env;
	int err;

	hs_lp_env_init(&env);
	err = hs_lp_live_scan(&env, &live);
	if (err) {
		hs_err(a->ctx, "cannot read '%s': %s", env.sysfs, hs_strerror(err));
		return err;
	}
	err = hs_cumul_check(a->ctx, &live, &a->st, &a->pkg, &a->rp, a->o->replaying);
	hs_lp_live_free(&live);
	return err;
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
	env = (struct hs_runpre_env){ .facts = a->facts, .ks = &a->ks, .read = kcore_read,
				      .read_arg = &a->kc };
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

/*
 * Enable the livepatch, the intent noted first (replay records nothing, so it
 * notes nothing). hs_lp_enable() takes it back out on failure; only if that
 * could not finish does the note stay for the next command.
 */
static int enable(struct apply *a)
{
	struct hs_lp_env env;
	const char *params;
	int err;

	hs_lp_env_init(&env);
	if (a->o->timeout > 0)
		env.timeout = a->o->timeout;
	env.cancel = a->o->cancel;
	/* the module as signed and verified: the positions are in it; a cumulative
	 * update's restored base goes back under it without atomic replace */
	params = a->o->restoring && hs_pkg_cumulative(&a->pkg) ? "replace=0" : "";
	/* replay and a cumulative update's restored base are recorded already */
	if (a->o->replaying || a->o->restoring)
		return hs_lp_enable(a->ctx, &env, a->pkg.module, a->ko->data, a->ko->size, params);
	err = hs_state_intent_set(a->ctx, &a->st, a->pkg.module, a->pkg.base,
				  hs_pkg_cumulative(&a->pkg) ? a->pkg.nbase : 0);
	if (err)
		return err;
	err = hs_lp_enable(a->ctx, &env, a->pkg.module, a->ko->data, a->ko->size, params);
	if (!err)
		return err;
	if (!hs_lp_exists(&env, a->pkg.module) && !hs_lp_module_loaded(&env, a->pkg.module))
		hs_state_intent_clear(a->ctx, &a->st);
	else
		hs_err(a->ctx, "update '%s': livepatch '%s' is left unrecorded; the next 'hotsplice apply', 'undo' or 'replay' takes it out",
		       a->pkg.id, a->pkg.module);
	return err;
}

/*
 * Recording a cumulative update failed after it replaced its base: load the
 * base again (as undo does), marked superseded in memory only for that.
 */
static int record_superseded(struct apply *a)
{
	int err;

	for (size_t i = 0; i < a->st.n; i++)
		if (hs_pkg_has_str(a->pkg.base, a->pkg.nbase, a->st.v[i].id) &&
		    !a->st.v[i].superseded_by)
			a->st.v[i].superseded_by = strdup(a->pkg.id);
	err = hs_cumul_restore(a->ctx, &a->st, a->pkg.id, a->o->timeout);
	if (err)
		hs_err(a->ctx, "update '%s' stays loaded (not recorded): its base could not be "
		       "applied again", a->pkg.id);
	return err;
}

/*
 * Record the enabled update; if that fails, take it back out (a cumulative
 * update's base goes back first: never lose a live fix). If that cannot
 * finish either (its reversal times out), the livepatch is left unrecorded and
 * the next apply, undo or replay takes it out (hs_reconcile()); so is it when
 * apply is killed between enable and record.
 */
static int record(struct apply *a)
{
	struct hs_lp_env env;
	int err;

	if (a->o->replaying || a->o->restoring)
		return 0;	/* the state already lists it, with its package */
	err = hs_fault(a->ctx, "AFTER_ENABLE");
	if (!err && hs_pkg_cumulative(&a->pkg))
		hs_cumul_unload_replaced(a->ctx, &a->st, &a->pkg);
	err = err ?: hs_state_store_package(a->ctx, &a->st, a->pkg.id, a->raw, a->rawlen);
	err = err ?: hs_fault(a->ctx, "RECORD");
	err = err ?: hs_state_add(a->ctx, &a->st, &a->pkg);
	if (!err) {
		hs_state_intent_clear(a->ctx, &a->st);
		return 0;
	}
	hs_err(a->ctx, "update '%s': cannot record it; taking it back out", a->pkg.id);
	hs_lp_env_init(&env);
	if (a->o->timeout > 0)
		env.timeout = a->o->timeout;
	if (hs_pkg_cumulative(&a->pkg) && record_superseded(a))
		return err;	/* it stays live, unrecorded, rather than no fix at all */
	if (hs_lp_disable_unload(a->ctx, &env, a->pkg.module))
		hs_err(a->ctx, "update '%s': livepatch '%s' could not be taken back out: it stays loaded, unrecorded; the next 'hotsplice apply', 'undo' or 'replay' takes it out",
		       a->pkg.id, a->pkg.module);
	else if (!hs_state_intent_clear(a->ctx, &a->st))
		hs_info(a->ctx, "update '%s' taken back out; nothing was changed", a->pkg.id);
	return err;
}

int hs_apply(const struct hs_ctx *ctx, const struct hs_apply_opts *o)
{
	struct apply a = { .ctx = ctx, .o = o, .t0 = hs_now(), .kc = { .fd = -1 },
			   .st = { .lockfd = -1 } };
	int err;

	hs_mark(ctx, "start");
	err = read_pkg(&a);
	err = err ?: check_kernel(&a);
	err = err ?: check_module(&a);
	err = err ?: o->restoring ? 0 : open_state(&a);
	err = err ?: runpre(&a);
	err = err ?: o->restoring ? 0 : check_live(&a);
	if (!err)
		hs_info(ctx, "verified: %zu function%s matched the running kernel%s (%.2f s)",
			a.pkg.nfuncs - a.nunloaded, a.pkg.nfuncs - a.nunloaded == 1 ? "" : "s",
			a.nunloaded ? "; the others are in modules not loaded" : "", hs_now() - a.t0);
	if (!err)
		hs_mark(ctx, "verified");
	if (!err && o->check_only)
		hs_info(ctx, "update '%s' fits this kernel; nothing was changed", a.pkg.id);
	if (!err && !o->check_only) {
		err = enable(&a);
		if (!err)
			hs_info(ctx, "switched: livepatch '%s' enabled, transition complete (%.2f s)",
				a.pkg.module, hs_now() - a.t0);
		err = err ?: record(&a);
		if (!err)
			hs_mark(ctx, "recorded");
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
