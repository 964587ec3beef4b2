/* SPDX-License-Identifier: GPL-2.0 */
/* strbuf.h - a string that grows as formatted text is appended to it. */
#ifndef HS_STRBUF_H
#define HS_STRBUF_H

#include <stddef.h>

/*
 * @s holds @len bytes and a NUL, in @cap bytes. Start it with a malloc'd
 * buffer ({ .s = malloc(N), .cap = N }, s[0] = 0); the caller frees @s.
 */
struct hs_strbuf {
	char *s;
	size_t len, cap;
	int err;		/* the first failure (-ENOMEM, -EINVAL); later appends do nothing */
};

/* Append printf output to @b, growing it; on failure set b->err. */
__attribute__((format(printf, 2, 3)))
void hs_strbuf_printf(struct hs_strbuf *b, const char *fmt, ...);

#endif
