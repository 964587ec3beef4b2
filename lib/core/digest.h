/* SPDX-License-Identifier: GPL-2.0 */
/* digest.h - SHA-256 of memory and files, as lowercase hex. */
#ifndef HS_DIGEST_H
#define HS_DIGEST_H

#include <stddef.h>

/* Write the SHA-256 of @data[0..@len) as 64 hex digits and a NUL into @hex. */
void hs_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
