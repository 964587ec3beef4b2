// SPDX-License-Identifier: GPL-2.0
/* sign.c - sign modules and packages with OpenSSL's CMS. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/digest.h"
#include "target/modfix.h"
#include "package/modsig.h"
#include "ship/sign.h"

struct hs_signer {
	EVP_PKEY *key;
	X509 *cert;
	char *subject;
};

static void log_ossl(const struct hs_ctx *ctx, const char *what, const char *path)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	hs_err(ctx, "%s%s%s%s: %s", path ? "'" : "", path ? path : "", path ? "': " : "", what,
	       r ? r : "unknown reason");
	ERR_clear_error();
}

int hs_signer_load(const struct hs_ctx *ctx, const char *key_path, const char *cert_path,
		   struct hs_signer **out)
{
	struct hs_signer *s = calloc(1, sizeof(*s));
	BIO *b;
	int err = 0;

	if (!s)
		return -ENOMEM;
	b = BIO_new_file(key_path, "r");
	s->key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (!s->key) {
		log_ossl(ctx, "cannot read a PEM private key", key_path);
		err = -HS_EFORMAT;
	}
	b = err ? NULL : BIO_new_file(cert_path, "r");
	s->cert = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (!err && !s->cert) {
		log_ossl(ctx, "cannot read a PEM X.509 certificate", cert_path);
		err = -HS_EFORMAT;
	}
	if (!err && X509_check_private_key(s->cert, s->key) != 1) {
		ERR_clear_error();
		hs_err(ctx, "'%s': the key '%s' does not belong to this certificate", cert_path,
		       key_path);
		err = -HS_EFORMAT;
	}
	if (!err)
		s->subject = X509_NAME_oneline(X509_get_subject_name(s->cert), NULL, 0);
	if (!err && !s->subject)
		err = -ENOMEM;
	if (err) {
		hs_signer_free(s);
		return err;
	}
	*out = s;
	return 0;
}

void hs_signer_free(struct hs_signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	OPENSSL_free(s->subject);
	free(s);
}

const char *hs_signer_subject(const struct hs_signer *s)
{
	return s->subject;
}

/* DER of @cms into a malloc'd buffer. */
static int cms_der(CMS_ContentInfo *cms, unsigned char **out, size_t *outlen)
{
	unsigned char *der = NULL;
	int n = i2d_CMS_ContentInfo(cms, &der);

	if (n <= 0)
		return -EIO;
	*out = malloc((size_t)n);
	if (*out) {
		memcpy(*out, der, (size_t)n);
		*outlen = (size_t)n;
	}
	OPENSSL_free(der);
	return *out ? 0 : -ENOMEM;
}

int hs_sign_detached(const struct hs_ctx *ctx, const struct hs_signer *s, const void *data,
		     size_t len, unsigned char **sig, size_t *siglen)
{
	BIO *in = BIO_new_mem_buf(data, (int)len);
	CMS_ContentInfo *cms = NULL;
	int err = -EIO;

	if (in)
		cms = CMS_sign(s->cert, s->key, NULL, in, CMS_DETACHED | CMS_BINARY);
	if (cms)
		err = cms_der(cms, sig, siglen);
	if (err)
		log_ossl(ctx, "cannot sign the package", NULL);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return err;
}

int hs_sign_module(const struct hs_ctx *ctx, const struct hs_signer *s, const void *ko,
		   size_t len, unsigned char **out, size_t *outlen)
{
	const int flags = CMS_NOCERTS | CMS_BINARY | CMS_DETACHED;
	BIO *in = BIO_new_mem_buf(ko, (int)len);
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL);
	unsigned char *der = NULL;
	size_t derlen = 0;
	int err = -EIO;

	/* the kernel's format: SHA-256, issuer and serial, no attributes, no certificates */
	if (in && cms &&
	    CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(),
			    flags | CMS_NOSMIMECAP | CMS_NOATTR) &&
	    CMS_final(cms, in, NULL, flags) == 1)
		err = cms_der(cms, &der, &derlen);
	if (err)
		log_ossl(ctx, "cannot sign the module", NULL);
	err = err ?: hs_modsig_append(ko, len, der, derlen, out, outlen);
	if (err == -EINVAL)
		hs_err(ctx, "the module is signed already");
	free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return err;
}

int hs_sign_pkg_cb(void *arg, const void *data, size_t len, unsigned char **sig,
		   size_t *siglen)
{
	return hs_sign_detached(NULL, arg, data, len, sig, siglen);
}

int hs_pkg_seal_module(const struct hs_ctx *ctx, struct hs_pkg *pkg, size_t idx,
		       const struct hs_signer *signer)
{
	struct hs_pkg_file *f = &pkg->files[idx];
	struct hs_klpsym *syms = NULL;
	unsigned char *signed_ko = NULL;
	size_t len = 0;
	int n = hs_modfix_list(ctx, f->data, f->size, &syms), err = n < 0 ? n : 0;

	for (int i = 0; i < n && !err; i++)
		err = hs_pkg_add_klpsym(pkg, syms[i].obj, syms[i].name, syms[i].pos);
	if (n > 0)
		hs_modfix_free(syms, n);
	if (err || !signer)
		return err;
	err = hs_sign_module(ctx, signer, f->data, f->size, &signed_ko, &len);
	if (err)
		return err;
	free(f->data);
	f->data = signed_ko;
	f->size = len;
	hs_sha256_hex(f->data, f->size, f->sha256);
	return 0;
}
