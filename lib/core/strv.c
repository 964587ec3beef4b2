// SPDX-License-Identifier: GPL-2.0
/* strv.c - a growable vector of strings, and the test of a name (see strv.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"

int hs_strv_push(struct hs_strv *sv, const char *s, size_t len)
{
	char **v = sv->v;

	if (sv->n == sv->cap && !(v = realloc(sv->v, (sv->cap = sv->cap * 2 + 16) * sizeof(*v))))
		return -ENOMEM;
	sv->v = v;
	if (!(v[sv->n] = strndup(s, len)))
		return -ENOMEM;
	sv->n++;
	return 0;
}

int hs_strv_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void hs_strv_sort_uniq(struct hs_strv *sv)
{
	size_t k = 0;

	if (sv->n)
		qsort(sv->v, sv->n, sizeof(*sv->v), hs_strv_cmp);
	for (size_t i = 0; i < sv->n; i++) {
		if (k && !strcmp(sv->v[k - 1], sv->v[i]))
			free(sv->v[i]);
		else
			sv->v[k++] = sv->v[i];
	}
	sv->n = k;
}

void hs_strv_free(struct hs_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

bool hs_name_char(char c, const char *extra)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (c && strchr(extra, c));
}

bool hs_name_valid(const char *s, const char *extra)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!hs_name_char(*s, extra))
			return false;
	return true;
}

bool hs_str_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

const char *hs_names_noun(const char *list, const char *one, const char *many)
{
	return list && strstr(list, HS_NAMES_SEP) ? many : one;
}

void hs_utf8_cut(char *s)
{
	size_t n = strlen(s), i = n, need;

	while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;	/* back over continuation bytes to the lead byte */
	if (i == 0 || (unsigned char)s[i - 1] < 0xc0)
		return;
	i--;
	need = (unsigned char)s[i] >= 0xf0 ? 4 : (unsigned char)s[i] >= 0xe0 ? 3 : 2;
	if (n - i < need)
		s[i] = 0;
}
