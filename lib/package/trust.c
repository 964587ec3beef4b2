// SPDX-License-Identifier: GPL-2.0
/* trust.c - verify package signatures against trusted certificates (OpenSSL CMS). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/cache.h"
#include "package/modsig.h"
#include "package/trust.h"

const char *hs_trust_default_dir(void)
{
	const char *d = getenv("HOTSPLICE_TRUSTED");

	return d && *d ? d : "/etc/hotsplice/trusted";
}

/* The last OpenSSL error as text (the queue is emptied). */
static const char *ossl_reason(char *buf, size_t size)
{
	const char *data = NULL;
	int flags = 0;
	unsigned long e = ERR_peek_last_error_data(&data, &flags);
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	snprintf(buf, size, "%s%s%s", r ? r : "unknown reason",
		 data && *data && (flags & ERR_TXT_STRING) ? ": " : "",
		 data && (flags & ERR_TXT_STRING) ? data : "");
	ERR_clear_error();
	return buf;
}

/* Append every PEM certificate of file @path to @certs; how many, or -errno. */
static int load_cert_file(const char *path, STACK_OF(X509) *certs)
{
	BIO *b = BIO_new_file(path, "r");
	X509 *x;
	int n = 0;

	if (!b)
		return -errno ?: -EIO;
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		if (!sk_X509_push(certs, x)) {
			X509_free(x);
			n = -ENOMEM;
			break;
		}
		n++;
	}
	ERR_clear_error();	/* the end of the file reads as an error */
	BIO_free(b);
	return n;
}

/*
 * The certificates in @dir: every regular file, PEM. Returns how many (0 when
 * @dir does not exist), or -errno (unreadable: never taken as "none").
 */
static int load_trusted(const struct hs_ctx *ctx, const char *dir, STACK_OF(X509) *certs)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int total = 0, err = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		err = -errno;
		hs_err(ctx, "cannot read the trusted certificates in '%s': %s", dir, strerror(errno));
		return err;
	}
	while (!err && (de = readdir(d))) {
		char *path;
		struct stat st;
		int n;

		if (de->d_name[0] == '.')
			continue;
		path = hs_strdupf("%s/%s", dir, de->d_name);
		if (!path) {
			err = -ENOMEM;
			break;
		}
		if (!stat(path, &st) && S_ISREG(st.st_mode)) {
			n = load_cert_file(path, certs);
			if (n < 0) {
				hs_err(ctx, "cannot read trusted certificate '%s': %s", path,
				       strerror(-n));
				err = n;
			} else if (!n) {
				hs_debug(ctx, "'%s': no PEM certificate in it", path);
			}
			total += n > 0 ? n : 0;
		}
		free(path);
	}
	closedir(d);
	return err ?: total;
}

static CMS_ContentInfo *parse_sig(const struct hs_pkg *pkg)
{
	const unsigned char *p = pkg->sig;

	if (!pkg->sig || pkg->sig_len > 1 << 20)
		return NULL;
	return d2i_CMS_ContentInfo(NULL, &p, (long)pkg->sig_len);
}

/* "subject (sha256 AB:CD:…)" of @x into @buf. */
static void describe_cert(X509 *x, char *buf, size_t size)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *subj = X509_NAME_oneline(X509_get_subject_name(x), NULL, 0);
	size_t used;

	snprintf(buf, size, "%s (sha256 ", subj ? subj : "?");
	OPENSSL_free(subj);
	X509_digest(x, EVP_sha256(), md, &mdlen);
	for (unsigned int i = 0; i < mdlen && i < 8; i++) {
		used = strlen(buf);
		snprintf(buf + used, size - used, "%02X%s", md[i], i < 7 ? ":" : "…)");
	}
}

int hs_pkg_signer(const struct hs_pkg *pkg, char *buf, size_t size)
{
	CMS_ContentInfo *cms;
	STACK_OF(CMS_SignerInfo) *sis;
	STACK_OF(X509) *certs;
	int err = -HS_EFORMAT;

	if (!pkg->sig)
		return -ENOENT;
	cms = parse_sig(pkg);
	sis = cms ? CMS_get0_SignerInfos(cms) : NULL;
	certs = cms ? CMS_get1_certs(cms) : NULL;
	for (int i = 0; sis && certs && i < sk_CMS_SignerInfo_num(sis) && err; i++)
		for (int k = 0; k < sk_X509_num(certs) && err; k++)
			if (!CMS_SignerInfo_cert_cmp(sk_CMS_SignerInfo_value(sis, i),
						     sk_X509_value(certs, k))) {
				describe_cert(sk_X509_value(certs, k), buf, size);
				err = 0;
			}
	if (cms && err && sis && sk_CMS_SignerInfo_num(sis)) {
		snprintf(buf, size, "a certificate not in the package");
		err = 0;
	}
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return err;
}

/* Verify @cms over the MANIFEST against @certs as trust anchors. */
static int verify_cms(CMS_ContentInfo *cms, const struct hs_pkg *pkg, STACK_OF(X509) *certs,
		      char *why, size_t size)
{
	X509_STORE *store = X509_STORE_new();
	BIO *content = BIO_new_mem_buf(pkg->manifest, (int)pkg->manifest_len);
	char reason[200];
	int ok = 0;

	if (store && content) {
		for (int i = 0; i < sk_X509_num(certs); i++)
			X509_STORE_add_cert(store, sk_X509_value(certs, i));
		/* any trusted certificate is an anchor; dates are not checked (see trust.h) */
		X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
		X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
		ok = CMS_verify(cms, certs, store, content, NULL, CMS_BINARY) == 1;
		if (!ok)
			snprintf(why, size, "its signature does not verify against the trusted certificates: %s",
				 ossl_reason(reason, sizeof(reason)));
	} else {
		snprintf(why, size, "out of memory");
	}
	BIO_free(content);
	X509_STORE_free(store);
	return ok ? 0 : -HS_EREFUSED;
}

int hs_pkg_verify(const struct hs_ctx *ctx, const struct hs_pkg *pkg, const char *dir,
		  char *why, size_t size)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	CMS_ContentInfo *cms = NULL;
	int n, err;

	if (!certs)
		return -ENOMEM;
	n = load_trusted(ctx, dir ? dir : hs_trust_default_dir(), certs);
	if (n <= 0) {
		err = n ? n : -ENOENT;
	} else if (!pkg->sig || !pkg->manifest) {
		snprintf(why, size, "it is not signed");
		err = -HS_EREFUSED;
	} else if (!(cms = parse_sig(pkg))) {
		snprintf(why, size, "its signature (%s) is not a CMS signature", HS_PKG_SIG);
		err = -HS_EREFUSED;
	} else {
		err = verify_cms(cms, pkg, certs, why, size);
	}
	CMS_ContentInfo_free(cms);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
	return err;
}

int hs_pkg_parse_trusted(const struct hs_ctx *ctx, const char *path, const void *data,
			 size_t len, const char *dir, struct hs_pkg *pkg)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char why[300] = "", signer[300];
	int n, err;

	if (!dir)
		dir = hs_trust_default_dir();
	n = certs ? load_trusted(ctx, dir, certs) : -ENOMEM;
	sk_X509_pop_free(certs, X509_free);
	if (n < 0)
		return n;
	err = hs_pkg_parse(ctx, path, data, len, pkg);
	if (err == -HS_EFORMAT && n > 0) {
		hs_err(ctx, "'%s': refused: damaged or tampered with, and '%s' trusts only intact packages signed by its certificates",
		       path, dir);
		return -HS_EREFUSED;
	}
	if (err || !n)
		return err;
	err = hs_pkg_verify(ctx, pkg, dir, why, sizeof(why));
	if (!err) {
		if (!hs_pkg_signer(pkg, signer, sizeof(signer)))
			hs_info(ctx, "update '%s': signed by %s, trusted", pkg->id, signer);
		return 0;
	}
	if (err == -HS_EREFUSED)
		hs_err(ctx, "'%s': update '%s' refused: %s ('%s' holds %d trusted certificate%s); nothing was changed",
		       path, pkg->id, why, dir, n, n == 1 ? "" : "s");
	hs_pkg_free(pkg);
	return err;
}

int hs_pkg_read_trusted(const struct hs_ctx *ctx, const char *path, const char *dir,
			struct hs_pkg *pkg)
{
	unsigned char *data;
	size_t len;
	int err = hs_pkg_read_bytes(ctx, path, &data, &len);

	if (err) {
		memset(pkg, 0, sizeof(*pkg));
		return err;
	}
	err = hs_pkg_parse_trusted(ctx, path, data, len, dir, pkg);
	free(data);
	return err;
}

bool hs_module_signed(const void *ko, size_t len)
{
	return hs_modsig_len(ko, len) > 0;
}

/* The first line of file @path into @buf; 0 or -1. */
static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	int ok = f && fgets(buf, (int)size, f);

	if (f)
		fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

bool hs_kernel_enforces_modsig(const char *sysfs, char *why, size_t size)
{
	char path[512], line[256], *sel, *end;

	snprintf(path, sizeof(path), "%s/module/module/parameters/sig_enforce", sysfs ?: "/sys");
	if (!read_line(path, line, sizeof(line)) && (line[0] == 'Y' || line[0] == '1')) {
		snprintf(why, size, "module.sig_enforce is set");
		return true;
	}
	/* "none [integrity] confidentiality": the selected mode is bracketed */
	snprintf(path, sizeof(path), "%s/kernel/security/lockdown", sysfs ?: "/sys");
	if (!read_line(path, line, sizeof(line)) && (sel = strchr(line, '[')) &&
	    (end = strchr(sel, ']')) && strncmp(sel + 1, "none]", 5)) {
		*end = 0;
		snprintf(why, size, "the kernel is locked down (%s)", sel + 1);
		return true;
	}
	return false;
}

int hs_trust_module_loadable(const struct hs_ctx *ctx, const char *id, const char *name,
			     const void *ko, size_t len)
{
	char why[128];

	if (hs_module_signed(ko, len) || !hs_kernel_enforces_modsig(NULL, why, sizeof(why)))
		return 0;
	hs_err(ctx, "update '%s': module '%s' is not signed, and this kernel loads only signed modules (%s): refused; create the update with --sign-key and --sign-cert, with a key the kernel trusts",
	       id, name, why);
	return -HS_EREFUSED;
}
