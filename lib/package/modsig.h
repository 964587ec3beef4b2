/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modsig.h - the kernel's appended module signature (Documentation/
 * admin-guide/module-signing.rst, include/linux/module_signature.h): the
 * module's bytes, then a detached PKCS#7/CMS signature of them (DER), then a
 * 12-byte information block (algo, hash, id_type = 2 for PKCS#7, signer and
 * key-id lengths 0, 3 bytes of padding, the signature's length as a
 * big-endian u32), then the magic string "~Module signature appended~\n".
 */
#ifndef HS_MODSIG_H
#define HS_MODSIG_H

#include <stddef.h>

#define HS_MODSIG_MAGIC "~Module signature appended~\n"
#define HS_MODSIG_INFO_LEN 12
#define HS_MODSIG_PKCS7 2

/*
 * The length of the signature appended to module image @ko (@len bytes):
 * signature, information block and magic; 0 when there is none or it is
 * malformed.
 */
size_t hs_modsig_len(const void *ko, size_t len);

/*
 * Append the PKCS#7 signature @sig (@siglen bytes, DER) to module image @ko
 * (@len bytes) in the kernel's format: a malloc'd image in *@out and
 * *@outlen. Returns 0, -EINVAL (already signed) or -ENOMEM.
 */
int hs_modsig_append(const void *ko, size_t len, const void *sig, size_t siglen,
		     unsigned char **out, size_t *outlen);

#endif
