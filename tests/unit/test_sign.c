// SPDX-License-Identifier: GPL-2.0
/*
 * test_sign.c - signing with a throwaway key made by the openssl command at
 * test time: the module signature is the kernel's format and verifies with
 * OpenSSL's CMS against the certificate; a signed package verifies against a
 * directory holding its certificate, not against another; whether the
 * kernel enforces module signatures, from a sysfs tree made here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/pem.h>

#include "unit.h"
#include "core/cache.h"
#include "package/modsig.h"
#include "package/package.h"
#include "ship/sign.h"
#include "package/trust.h"

static char dir[64];

static int make_keys(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/hs-sign.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	for (int i = 0; i < 2; i++) {
		const char *n = i ? "other" : "admin";

		snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s/%s.key -out %s/%s.crt -subj '/CN=unit %s' -days 2 2>/dev/null",
			 dir, n, dir, n, n);
		if (system(cmd))
			return -1;
	}
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/trusted %s/untrusted %s/empty && cp %s/admin.crt %s/trusted/ && cp %s/other.crt %s/untrusted/",
		 dir, dir, dir, dir, dir, dir, dir);
	return system(cmd) ? -1 : 0;
}

static int remove_keys(void **state)
{
	(void)state;
	hs_rm_rf(dir);
	return 0;
}

static struct hs_signer *admin(void)
{
	char key[128], crt[128];
	struct hs_signer *s = NULL;

	snprintf(key, sizeof(key), "%s/admin.key", dir);
	snprintf(crt, sizeof(crt), "%s/admin.crt", dir);
	assert_int_equal(hs_signer_load(unit_ctx(), key, crt, &s), 0);
	return s;
}

static void module_signature_is_the_kernels(void **state)
{
	struct hs_signer *s = admin();
	char *ko = NULL, crt[128];
	unsigned char *out = NULL, *again = NULL;
	size_t len, outlen, againlen, siglen, magic = strlen(HS_MODSIG_MAGIC);
	const unsigned char *info, *p;
	CMS_ContentInfo *cms;
	STACK_OF(X509) *certs = sk_X509_new_null();
	X509_STORE *store = X509_STORE_new();
	BIO *content, *b;

	(void)state;
	assert_int_equal(hs_read_file(unit_ctx(), unit_fixture("basic"), &ko, &len), 0);
	assert_false(hs_module_signed(ko, len));
	assert_int_equal(hs_sign_module(unit_ctx(), s, ko, len, &out, &outlen), 0);
	assert_true(hs_module_signed(out, outlen));
	assert_memory_equal(out, ko, len);
	assert_memory_equal(out + outlen - magic, "~Module signature appended~\n", magic);
	info = out + outlen - magic - 12;
	siglen = (size_t)info[8] << 24 | (size_t)info[9] << 16 | (size_t)info[10] << 8 | info[11];
	assert_int_equal(info[2], 2);	/* PKEY_ID_PKCS7 */
	assert_int_equal(info[0] | info[1] | info[3] | info[4], 0);
	assert_int_equal(len + siglen + 12 + magic, outlen);
	assert_int_equal(hs_modsig_len(out, outlen), siglen + 12 + magic);
	assert_int_equal(hs_sign_module(unit_ctx(), s, out, outlen, &again, &againlen), -EINVAL);

	/* the PKCS#7 verifies over the module's bytes with the certificate */
	p = out + len;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)siglen);
	assert_non_null(cms);
	assert_null(CMS_get1_certs(cms));	/* no certificates, as sign-file */
	snprintf(crt, sizeof(crt), "%s/admin.crt", dir);
	b = BIO_new_file(crt, "r");
	sk_X509_push(certs, PEM_read_bio_X509(b, NULL, NULL, NULL));
	BIO_free(b);
	X509_STORE_add_cert(store, sk_X509_value(certs, 0));
	content = BIO_new_mem_buf(ko, (int)len);
	assert_int_equal(CMS_verify(cms, certs, store, content, NULL, CMS_BINARY), 1);
	BIO_free(content);
	out[10] ^= 1;			/* a changed module does not */
	content = BIO_new_mem_buf(out, (int)len);
	assert_int_not_equal(CMS_verify(cms, certs, store, content, NULL, CMS_BINARY), 1);
	BIO_free(content);
	CMS_ContentInfo_free(cms);
	X509_STORE_free(store);
	sk_X509_pop_free(certs, X509_free);
	hs_signer_free(s);
	free(out);
	free(ko);
}

static void key_must_match_certificate(void **state)
{
	char key[128], crt[128];
	struct hs_signer *s = NULL;

	(void)state;
	snprintf(key, sizeof(key), "%s/other.key", dir);
	snprintf(crt, sizeof(crt), "%s/admin.crt", dir);
	assert_int_equal(hs_signer_load(unit_ctx(), key, crt, &s), -HS_EFORMAT);
	assert_non_null(strstr(unit_messages(), "does not belong to this certificate"));
	assert_int_equal(hs_signer_load(unit_ctx(), crt, crt, &s), -HS_EFORMAT);
}

static void signed_package_verifies(void **state)
{
	struct hs_pkg pkg = { 0 }, in;
	char path[128], sub[128], why[300], signer[300];

	(void)state;
	snprintf(path, sizeof(path), "%s/t.hsu", dir);
	pkg.id = strdup("t1");
	pkg.target_release = strdup("r");
	pkg.target_version = strdup("v");
	pkg.module = strdup("hs_t1");
	assert_int_equal(hs_pkg_add_file(&pkg, "pre/t.o", "code", 4), 0);
	assert_int_equal(hs_pkg_add_func(&pkg, "pre/t.o", "vmlinux", "f", "f"), 0);
	pkg.funcs[0].sympos = 3;
	assert_int_equal(hs_pkg_add_klpsym(&pkg, "vmlinux", "counter", 2), 0);
	pkg.sign = hs_sign_pkg_cb;
	pkg.sign_arg = admin();
	assert_int_equal(hs_pkg_write(unit_ctx(), path, &pkg), 0);
	hs_signer_free(pkg.sign_arg);
	hs_pkg_free(&pkg);

	assert_int_equal(hs_pkg_read(unit_ctx(), path, &in), 0);
	assert_non_null(in.sig);
	assert_int_equal(in.funcs[0].sympos, 3);
	assert_int_equal(in.nklpsyms, 1);
	assert_int_equal(in.klpsyms[0].sympos, 2);
	assert_int_equal(hs_pkg_signer(&in, signer, sizeof(signer)), 0);
	assert_non_null(strstr(signer, "CN=unit admin"));
	snprintf(sub, sizeof(sub), "%s/trusted", dir);
	assert_int_equal(hs_pkg_verify(unit_ctx(), &in, sub, why, sizeof(why)), 0);
	snprintf(sub, sizeof(sub), "%s/untrusted", dir);
	assert_int_equal(hs_pkg_verify(unit_ctx(), &in, sub, why, sizeof(why)), -HS_EREFUSED);
	assert_non_null(strstr(why, "does not verify"));
	snprintf(sub, sizeof(sub), "%s/empty", dir);
	assert_int_equal(hs_pkg_verify(unit_ctx(), &in, sub, why, sizeof(why)), -ENOENT);
	in.manifest[10] ^= 1;		/* the MANIFEST as signed, changed */
	snprintf(sub, sizeof(sub), "%s/trusted", dir);
	assert_int_equal(hs_pkg_verify(unit_ctx(), &in, sub, why, sizeof(why)), -HS_EREFUSED);
	hs_pkg_free(&in);
	snprintf(sub, sizeof(sub), "%s/trusted", dir);
	assert_int_equal(hs_pkg_read_trusted(unit_ctx(), path, sub, &in), 0);
	hs_pkg_free(&in);
	snprintf(sub, sizeof(sub), "%s/untrusted", dir);
	assert_int_equal(hs_pkg_read_trusted(unit_ctx(), path, sub, &in), -HS_EREFUSED);
}

static void kernel_enforcement_from_sysfs(void **state)
{
	char sys[128], why[128];

	(void)state;
	snprintf(sys, sizeof(sys), "%s/sys", dir);
	assert_false(hs_kernel_enforces_modsig(sys, why, sizeof(why)));
	unit_write_file(sys, "module/module/parameters/sig_enforce", "N\n");
	unit_write_file(sys, "kernel/security/lockdown", "[none] integrity confidentiality\n");
	assert_false(hs_kernel_enforces_modsig(sys, why, sizeof(why)));
	unit_write_file(sys, "kernel/security/lockdown", "none [integrity] confidentiality\n");
	assert_true(hs_kernel_enforces_modsig(sys, why, sizeof(why)));
	assert_string_equal(why, "the kernel is locked down (integrity)");
	unit_write_file(sys, "module/module/parameters/sig_enforce", "Y\n");
	assert_true(hs_kernel_enforces_modsig(sys, why, sizeof(why)));
	assert_string_equal(why, "module.sig_enforce is set");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(module_signature_is_the_kernels),
		cmocka_unit_test(key_must_match_certificate),
		cmocka_unit_test(signed_package_verifies),
		cmocka_unit_test(kernel_enforcement_from_sysfs),
	};

	return cmocka_run_group_tests_name("sign", tests, make_keys, remove_keys);
}
