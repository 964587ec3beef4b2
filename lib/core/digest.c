// SPDX-License-Identifier: GPL-2.0
/* digest.c - SHA-256 through nettle (already linked for libarchive). */
#include <nettle/sha2.h>
#include <stdio.h>

#include "core/digest.h"

void hs_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char d[SHA256_DIGEST_SIZE];
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, len, data);
	sha256_digest(&c, sizeof(d), d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}
