/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sign.h - sign an update on the build host with the administrator's key: one
 * X.509 certificate and its private key, PEM (the kind enrolled as a Secure
 * Boot MOK). The module gets the kernel's own appended signature (modsig.h:
 * CMS, SHA-256, no certificates, no signed attributes, like the kernel's
 * sign-file), so a kernel that trusts the key loads it under
 * module.sig_enforce=1 or lockdown; the package's MANIFEST gets a detached
 * CMS signature (SHA-256, with the signer's certificate) that the target
 * verifies against its trusted certificates (trust.h). OpenSSL does the
 * cryptography.
 */
#ifndef HS_SIGN_H
#define HS_SIGN_H

#include <stddef.h>

#include "core/hotsplice.h"
#include "package/package.h"

struct hs_signer;

/*
 * Load private key @key_path and certificate @cert_path (PEM) and check that
 * they belong together. Returns 0 with *@out set, or -HS_EFORMAT / -errno
 * (logged, naming the file).
 */
int hs_signer_load(const struct hs_ctx *ctx, const char *key_path, const char *cert_path,
		   struct hs_signer **out);

void hs_signer_free(struct hs_signer *s);

/* The certificate's subject, for messages. */
const char *hs_signer_subject(const struct hs_signer *s);

/*
 * A detached CMS signature (DER, malloc'd into *@sig) of @len bytes at @data,
 * carrying the signer's certificate. Returns 0 or -EIO (logged).
 */
int hs_sign_detached(const struct hs_ctx *ctx, const struct hs_signer *s, const void *data,
		     size_t len, unsigned char **sig, size_t *siglen);

/*
 * Module image @ko (@len bytes) with the kernel's module signature appended:
 * a malloc'd image in *@out. Returns 0, -EINVAL (already signed) or -EIO.
 */
int hs_sign_module(const struct hs_ctx *ctx, const struct hs_signer *s, const void *ko,
		   size_t len, unsigned char **out, size_t *outlen);

/*
 * The module member @idx of @pkg made final: its livepatch symbols recorded
 * in the MANIFEST (klpsym lines), then, with @signer (NULL: unsigned), the
 * kernel's module signature appended (its size and digest updated). Nothing
 * may change the module after this. Returns 0 or a negative error.
 */
int hs_pkg_seal_module(const struct hs_ctx *ctx, struct hs_pkg *pkg, size_t idx,
		       const struct hs_signer *signer);

/* hs_pkg.sign for a package signed by @arg (a struct hs_signer; messages dropped). */
int hs_sign_pkg_cb(void *arg, const void *data, size_t len, unsigned char **sig,
		   size_t *siglen);

#endif
