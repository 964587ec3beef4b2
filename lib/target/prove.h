/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prove.h - on the target, prove the kallsyms positions (sympos) that create
 * decided from the target build (sympos.h) and wrote into the module, against
 * the running kernel, before anything is loaded. The module is never changed
 * here: when the running kernel disagrees, the update is refused.
 *
 *  - a replaced function at position P: the running copy that run-pre
 *    matching found to be the pre code must be the P-th of its name in
 *    kallsyms (P = 0: the name must be unique);
 *  - a livepatch symbol ".klp.sym.<obj>.<name>,<P>" of the module: the
 *    running kernel must have a P-th copy (P = 0: exactly one), and when
 *    matched pre code refers to that name, the copy it refers to must be the
 *    P-th. The module's livepatch symbols must be the MANIFEST's klpsym list.
 */
#ifndef HS_PROVE_H
#define HS_PROVE_H

#include "target/kallsyms.h"
#include "package/package.h"
#include "target/runpre.h"

struct hs_prove {
	const struct hs_ctx *ctx;
	const struct hs_pkg *pkg;
	const struct hs_runpre_env *env;	/* the running kernel */
	const struct hs_runpre *rp;		/* run-pre verdicts and resolved symbols */
};

/*
 * Prove the position of replaced function @f, whose run-pre verdict is @v
 * (matched). Returns 0, or -HS_EREFUSED naming the object, the function, the
 * expected position and what the running kernel has.
 */
int hs_prove_func(const struct hs_prove *p, const struct hs_pkg_func *f,
		  const struct hs_runpre_func *v);

/*
 * Prove the positions of the livepatch symbols of module image @ko (@len
 * bytes). Symbols of modules that are not loaded are resolved by the
 * livepatch core when they load. Returns 0, -HS_EREFUSED (named),
 * -HS_EFORMAT (module and MANIFEST disagree) or another error.
 */
int hs_prove_klpsyms(const struct hs_prove *p, const void *ko, size_t len);

#endif
