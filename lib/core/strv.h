/* SPDX-License-Identifier: GPL-2.0 */
/* strv.h - a growable vector of strings, the comparator that sorts one, and the test of a name. */
#ifndef HS_STRV_H
#define HS_STRV_H

#include <stdbool.h>
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

/*
 * Names that end up in C strings, file names or sysfs paths (module names, klp object
 * and function names, update ids): is @c a letter or digit of ASCII, '_', or one of @extra?
 */
bool hs_name_char(char c, const char *extra);
/* Is @s non-empty and made only of hs_name_char(@extra)? */
bool hs_name_valid(const char *s, const char *extra);
/* Does @s end with @suffix (a path with its extension: ".c", ".h", ".cmd")? */
bool hs_str_ends(const char *s, const char *suffix);

/*
 * A list of names printed as one quoted string, "'%s'": joined by HS_NAMES_SEP, so that
 * each comes out quoted ("'a', 'b'") and is found by its quoted name.
 */
#define HS_NAMES_SEP "', '"
/* Drop an incomplete UTF-8 character from the end of @s (a message cut to a buffer's size). */
void hs_utf8_cut(char *s);

/* @one or @many, by the number of names in @list. */
const char *hs_names_noun(const char *list, const char *one, const char *many);

#endif
