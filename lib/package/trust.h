/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trust.h - on the target, decide whether an update package may be used:
 * its signature against the administrator's trusted certificates, and
 * whether the running kernel would load its module at all.
 *
 * Policy: the trusted directory ($HOTSPLICE_TRUSTED, else
 * /etc/hotsplice/trusted) holds PEM X.509 certificates. When it holds any,
 * only a package whose MANIFEST.sig is a valid CMS signature of its MANIFEST
 * by one of them (or by a certificate they issued) is accepted; an unsigned,
 * untrusted, damaged or tampered package is refused before anything else
 * reads it. When it holds none (or does not exist), packages are used as
 * before, signed or not. Validity dates are not checked, as the kernel does
 * not check them for module signatures: a replay at boot must not stop
 * working because a certificate expired.
 */
#ifndef HS_TRUST_H
#define HS_TRUST_H

#include <stdbool.h>
#include <stddef.h>

#include "package/package.h"

/* $HOTSPLICE_TRUSTED, else "/etc/hotsplice/trusted". */
const char *hs_trust_default_dir(void);

/*
 * Read the package at @path (hs_pkg_read()) and check it against the trusted
 * certificates in @dir (NULL: hs_trust_default_dir()). Returns 0, or
 * -HS_EREFUSED (logged: unsigned, untrusted, bad signature, or damaged while
 * certificates are trusted), or the reader's error when no certificate is
 * trusted, or -errno (an unreadable trusted directory is an error, never
 * "no certificates").
 */
int hs_pkg_read_trusted(const struct hs_ctx *ctx, const char *path, const char *dir,
			struct hs_pkg *pkg);

/*
 * The same for the package bytes @data (@len bytes, hs_pkg_read_bytes()) read
 * from @path: what is verified is what the caller goes on to load and store.
 */
int hs_pkg_parse_trusted(const struct hs_ctx *ctx, const char *path, const void *data,
			 size_t len, const char *dir, struct hs_pkg *pkg);

/*
 * Describe the signer of @pkg's signature into @buf (its subject and the
 * SHA-256 fingerprint of its certificate), without verifying it.
 * Returns 0, -ENOENT (unsigned) or -HS_EFORMAT (not a CMS signature).
 */
int hs_pkg_signer(const struct hs_pkg *pkg, char *buf, size_t size);

/*
 * Verify @pkg's signature against the certificates in @dir (NULL: the
 * default). Returns 0 (valid and trusted), -ENOENT (no certificate in @dir),
 * -HS_EREFUSED with the reason in @why (unsigned, untrusted, bad), or -errno.
 */
int hs_pkg_verify(const struct hs_ctx *ctx, const struct hs_pkg *pkg, const char *dir,
		  char *why, size_t size);

/* Whether module image @ko (@len bytes) carries an appended module signature. */
bool hs_module_signed(const void *ko, size_t len);

/*
 * Whether the running kernel loads only signed modules: the module.sig_enforce
 * parameter (@sysfs/module/module/parameters/sig_enforce) or a lockdown
 * (@sysfs/kernel/security/lockdown). @sysfs NULL: "/sys". The reason goes to @why.
 */
bool hs_kernel_enforces_modsig(const char *sysfs, char *why, size_t size);

/*
 * Refuse (-HS_EREFUSED, naming update @id and module @name) a module that is
 * unsigned when the running kernel loads only signed modules; 0 otherwise.
 */
int hs_trust_module_loadable(const struct hs_ctx *ctx, const char *id, const char *name,
			     const void *ko, size_t len);

#endif
