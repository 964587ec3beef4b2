// SPDX-License-Identifier: GPL-2.0
/* ctok.c - where a C token ends (see ctok.h). */
#include <string.h>

#include "build/ctok.h"

size_t hs_ctok_end(const char *s, size_t n, size_t i, uint32_t *line, char *kind)
{
	size_t j = i + 1;
	char c = s[i];

	if (isalpha((unsigned char)c) || c == '_' || c == '$') {
		*kind = 'i';
		while (j < n && hs_ctok_idch(s[j]))
			j++;
	} else if (isdigit((unsigned char)c) || (c == '.' && j < n && isdigit((unsigned char)s[j]))) {
		*kind = 'n';
		while (j < n && (hs_ctok_idch(s[j]) || s[j] == '.' ||
				 ((s[j] == '+' || s[j] == '-') && strchr("eEpP", s[j - 1]))))
			j++;
	} else if (c == '"' || c == '\'') {
		*kind = 's';
		for (; j < n && s[j] != c && s[j] != '\n'; j++)
			if (s[j] == '\\' && j + 1 < n)
				*line += s[++j] == '\n';
		j += j < n && s[j] == c;
	} else {
		*kind = 'p';
	}
	return j;
}
