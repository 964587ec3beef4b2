// SPDX-License-Identifier: GPL-2.0
/* strbuf.c - a string that grows as formatted text is appended to it. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/strbuf.h"

void hs_strbuf_printf(struct hs_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->err = -EINVAL;
			return;
		}
		if (b->len + (size_t)n < b->cap)
			break;
		char *s = realloc(b->s, b->cap * 2 + (size_t)n + 64);

		if (!s) {
			b->err = -ENOMEM;
			return;
		}
		b->s = s;
		b->cap = b->cap * 2 + (size_t)n + 64;
	}
	b->len += (size_t)n;
}
