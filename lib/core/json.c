// SPDX-License-Identifier: GPL-2.0
/* json.c - JSON string output. */
#include "core/json.h"

/*
 * The length of the valid UTF-8 sequence at @s (2 to 4 bytes: no overlong form,
 * no surrogate, nothing above U+10FFFF), or 0.
 */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

	if (!n || s[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

void hs_json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else if (c < 0x80)
			fputc(c, f);
		else if ((n = utf8_len((const unsigned char *)s))) {
			fwrite(s, 1, n, f);
			s += n - 1;
		} else	/* not UTF-8 (a cut message, a hostile package): U+FFFD */
			fputs("\\ufffd", f);
	}
	fputc('"', f);
}
