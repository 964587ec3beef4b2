// SPDX-License-Identifier: GPL-2.0
/* modsig.c - find and append the kernel's module signature block. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "package/modsig.h"

size_t hs_modsig_len(const void *ko, size_t len)
{
	const unsigned char *p = ko;
	size_t magic = strlen(HS_MODSIG_MAGIC), siglen;
	const unsigned char *info;

	if (len < magic + HS_MODSIG_INFO_LEN || memcmp(p + len - magic, HS_MODSIG_MAGIC, magic))
		return 0;
	info = p + len - magic - HS_MODSIG_INFO_LEN;
	siglen = (size_t)info[8] << 24 | (size_t)info[9] << 16 | (size_t)info[10] << 8 | info[11];
	if (info[2] != HS_MODSIG_PKCS7 || !siglen ||
	    siglen > len - magic - HS_MODSIG_INFO_LEN)
		return 0;
	return siglen + HS_MODSIG_INFO_LEN + magic;
}

int hs_modsig_append(const void *ko, size_t len, const void *sig, size_t siglen,
		     unsigned char **out, size_t *outlen)
{
	size_t magic = strlen(HS_MODSIG_MAGIC), total = len + siglen + HS_MODSIG_INFO_LEN + magic;
	unsigned char info[HS_MODSIG_INFO_LEN] = { 0 }, *buf;

	if (hs_modsig_len(ko, len) || siglen > UINT32_MAX)
		return -EINVAL;
	buf = malloc(total);
	if (!buf)
		return -ENOMEM;
	info[2] = HS_MODSIG_PKCS7;	/* algo, hash, signer and key id: in the PKCS#7 */
	info[8] = (unsigned char)(siglen >> 24);
	info[9] = (unsigned char)(siglen >> 16);
	info[10] = (unsigned char)(siglen >> 8);
	info[11] = (unsigned char)siglen;
	memcpy(buf, ko, len);
	memcpy(buf + len, sig, siglen);
	memcpy(buf + len + siglen, info, sizeof(info));
	memcpy(buf + len + siglen + sizeof(info), HS_MODSIG_MAGIC, magic);
	*out = buf;
	*outlen = total;
	return 0;
}
