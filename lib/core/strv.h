/* SPDX-License-Identifier: GPL-2.0 */
/* strv.h - a growable vector of strings, and the comparator that sorts one. */
#ifndef HS_STRV_H
#define HS_STRV_H

#include <stddef.h>

struct hs_strv {
	size_t n, cap;
	char **v;
};

/* Append a copy of @s's first @len bytes; -ENOMEM. */
int hs_strv_push(struct hs_strv *sv, const char *s, size_t len);
/* Sort and drop duplicates. */
void hs_strv_sort_uniq(struct hs_strv *sv);
/* Free the strings and the vector; @sv is empty again. */
void hs_strv_free(struct hs_strv *sv);

/* qsort() and bsearch() comparator of two char * by strcmp() (an array of strings). */
int hs_strv_cmp(const void *a, const void *b);

#endif
