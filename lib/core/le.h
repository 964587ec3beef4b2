/* SPDX-License-Identifier: GPL-2.0 */
/* le.h - read little-endian integers of any alignment (kernel images, ELF data, code). */
#ifndef HS_LE_H
#define HS_LE_H

#include <stdint.h>

/* The @n-byte (1 to 8) little-endian unsigned integer at @p. */
static inline uint64_t hs_le(const void *p, int n)
{
	const unsigned char *b = p;
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

#endif
