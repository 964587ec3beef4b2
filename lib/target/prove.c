// SPDX-License-Identifier: GPL-2.0
/* prove.c - prove on the target the symbol positions create decided. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"
#include "target/modfix.h"
#include "target/prove.h"

static const char *mod_of(const char *klp_obj)
{
	return strcmp(klp_obj, "vmlinux") ? klp_obj : NULL;
}

int hs_prove_func(const struct hs_prove *p, const struct hs_pkg_func *f,
		  const struct hs_runpre_func *v)
{
	const size_t *idx;
	size_t n = hs_kallsyms_find(p->env->ks, mod_of(f->klp_obj), f->name, &idx);
	unsigned long found = v->sympos ? v->sympos : n == 1 ? 1 : 0;
	const char *why = NULL;
	char buf[160];

	if (!f->sympos && n > 1) {
		snprintf(buf, sizeof(buf), "the name is not unique in the running kernel (%zu copies; the matching code is copy %lu)",
			 n, found);
		why = buf;
	} else if (f->sympos > n) {
		snprintf(buf, sizeof(buf), "the running kernel has %zu of that name", n);
		why = buf;
	} else if (f->sympos && f->sympos != found) {
		snprintf(buf, sizeof(buf), "the running code that matches the pre code is copy %lu",
			 found);
		why = buf;
	}
	if (!why)
		return 0;
	hs_err(p->ctx, "%s: function '%s': expected sympos %lu%s, but %s: refused",
	       f->klp_obj, f->name, f->sympos, f->sympos ? "" : " (unique)", why);
	return -HS_EREFUSED;
}

/*
 * Does function @fn of @e refer to symbol @name (directly or through its
 * section, where it is at offset 0 or, a function, after @padding bytes)?
 */
static int refers_to(const struct hs_elf *e, const struct hs_elf_sym *fn, const char *name,
		     unsigned int padding)
{
	const struct hs_elf_sec *sec;
	size_t n;

	if (fn->sym.st_shndx == SHN_UNDEF || fn->sym.st_shndx >= e->nsecs)
		return 0;
	sec = &e->secs[fn->sym.st_shndx];
	n = hs_elf_nrelas(e, sec);
	for (size_t i = 0; i < n; i++) {
		const struct hs_elf_sym *t;
		GElf_Rela r;

		if (hs_elf_rela(e, sec, i, &r) || GELF_R_SYM(r.r_info) >= e->nsyms)
			continue;
		t = &e->syms[GELF_R_SYM(r.r_info)];
		if (t->name && !strcmp(t->name, name))
			return 1;
		if (GELF_ST_TYPE(t->sym.st_info) != STT_SECTION)
			continue;
		for (size_t k = 1; k < e->nsyms; k++)
			if (e->syms[k].sym.st_shndx == t->sym.st_shndx &&
			    (e->syms[k].sym.st_value == 0 ||
			     (padding && e->syms[k].sym.st_value == padding)) && e->syms[k].name &&
			    !strcmp(e->syms[k].name, name))
				return 1;
	}
	return 0;
}

/*
 * The running copy of local symbol @name that matched pre code refers to:
 * what the replaced functions' matching resolved, or another function of the
 * pre objects that uses @name and matches the running kernel (its
 * relocation to @name shows which copy is meant: Ksplice's trick). Statics of
 * one name in several objects are several copies: *@pos is @want when matched
 * code refers to that copy. 0 when no matched code refers to @name, 1 with
 * *@pos set, or a negative error.
 */
static int seen_in_code(const struct hs_prove *p, const char *mod, const char *name,
			unsigned long want, unsigned long *pos)
{
	const struct hs_runpre_sym *r = hs_runpre_sym(p->rp, mod, name, want);
	struct hs_ctx quiet = *p->ctx;
	int seen = !!r;

	if (r)
		*pos = r->sympos;
	quiet.verbosity = HS_ERROR;
	for (size_t f = 0; f < p->pkg->nfiles && !(seen && *pos == want); f++) {
		const struct hs_pkg_file *obj = &p->pkg->files[f];
		struct hs_elf e;

		if (strncmp(obj->path, "pre/", 4) ||
		    hs_elf_open_mem(&quiet, obj->path, obj->data, obj->size, &e))
			continue;
		for (size_t i = 1; i < e.nsyms && !(seen && *pos == want); i++) {
			struct hs_runpre rp = { 0 };
			const struct hs_runpre_sym *s;

			if (!hs_elf_sym_is_func(&e.syms[i]) ||
			    !refers_to(&e, &e.syms[i], name, p->env->facts->padding))
				continue;
			hs_runpre_match_func(&quiet, p->env, &e, mod, e.syms[i].name, &rp);
			s = hs_runpre_sym(&rp, mod, name, want);
			if (s && (!seen || s->sympos == want)) {
				*pos = s->sympos;
				seen = 1;
				hs_debug(p->ctx, "'%s' is copy %lu: seen from '%s'", name, *pos,
					 e.syms[i].name);
			}
			hs_runpre_free(&rp);
		}
		hs_elf_close(&e);
	}
	return seen;
}

static int prove_klpsym(const struct hs_prove *p, const struct hs_klpsym *s)
{
	const char *mod = mod_of(s->obj);
	const size_t *idx;
	size_t n = hs_kallsyms_find(p->env->ks, mod, s->name, &idx);
	unsigned long seen = 0;
	char why[160] = "";
	int err;

	if (mod && !hs_name_valid(mod, "")) {
		hs_err(p->ctx, "%s: symbol '%s' used by the update: '%s' is not a module name "
		       "(letters, digits and '_'): the livepatch core cannot find it: refused",
		       s->obj, s->name, s->obj);
		return -HS_EREFUSED;
	}
	if (mod && !hs_kallsyms_has_mod(p->env->ks, mod))
		return 0;	/* resolved by the livepatch core when @mod loads */
	if (!n)
		snprintf(why, sizeof(why), "it is not in the running kernel");
	else if (!s->pos && n > 1)
		snprintf(why, sizeof(why), "the name is not unique in the running kernel (%zu copies)", n);
	else if (s->pos > n)
		snprintf(why, sizeof(why), "the running kernel has %zu of that name", n);
	if (!*why && n > 1) {
		err = seen_in_code(p, mod, s->name, s->pos, &seen);
		if (err < 0)
			return err;
		if (err && seen != s->pos)
			snprintf(why, sizeof(why), "the matching code refers to copy %lu", seen);
		else if (!err)
			hs_debug(p->ctx, "'%s' (%s): copy %lu, as the target build's symbols say; no matched code refers to it",
				 s->name, s->obj, s->pos);
	}
	if (!*why)
		return 0;
	hs_err(p->ctx, "%s: symbol '%s' used by the update: expected sympos %lu%s, but %s: refused",
	       s->obj, s->name, s->pos, s->pos ? "" : " (unique)", why);
	return -HS_EREFUSED;
}

/* The module's livepatch symbols must be the ones the MANIFEST lists. */
static int same_as_manifest(const struct hs_prove *p, const struct hs_klpsym *syms, int n)
{
	size_t listed = 0;

	for (int i = 0; i < n; i++) {
		bool found = false;

		for (size_t k = 0; k < p->pkg->nklpsyms && !found; k++)
			found = !strcmp(p->pkg->klpsyms[k].klp_obj, syms[i].obj) &&
				!strcmp(p->pkg->klpsyms[k].name, syms[i].name) &&
				p->pkg->klpsyms[k].sympos == syms[i].pos;
		listed += found;
		if (!found && p->pkg->nklpsyms) {
			hs_err(p->ctx, "update '%s': module symbol '%s' (%s) at sympos %lu is not the MANIFEST's",
			       p->pkg->id, syms[i].name, syms[i].obj, syms[i].pos);
			return -HS_EFORMAT;
		}
	}
	if (p->pkg->nklpsyms && listed != p->pkg->nklpsyms) {
		hs_err(p->ctx, "update '%s': the MANIFEST lists %zu livepatch symbols, the module has %d",
		       p->pkg->id, p->pkg->nklpsyms, n);
		return -HS_EFORMAT;
	}
	return 0;
}

int hs_prove_klpsyms(const struct hs_prove *p, const void *ko, size_t len)
{
	struct hs_klpsym *syms = NULL;
	int n = hs_modfix_list(p->ctx, ko, len, &syms), err, refused = 0;

	if (n < 0)
		return n;
	err = same_as_manifest(p, syms, n);
	for (int i = 0; i < n && !err; i++) {
		err = prove_klpsym(p, &syms[i]);
		if (err == -HS_EREFUSED)
			refused = 1, err = 0;
	}
	hs_modfix_free(syms, n);
	return err ?: refused ? -HS_EREFUSED : 0;
}
