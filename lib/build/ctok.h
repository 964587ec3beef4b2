/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctok.h - C tokens: where one ends, and which words are keywords, for the
 * two readers of C text: the header change parser (kbuild_names_parse.c) and
 * the unit scanner (cscan.c).
 */
#ifndef HS_CTOK_H
#define HS_CTOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Can @c be part of an identifier (gcc accepts '$')? Ranges, not isalnum(): hot loops. */
static inline bool hs_ctok_idch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$';
}

/*
 * The end of the token starting at @s[@i] (of @n bytes; not a space, a
 * comment or a directive): an identifier ('i'), a number ('n'), a string
 * or character literal ('s', to its closing quote or the end of the line)
 * or one punctuation character ('p'), the kind in *@kind. *@line counts the
 * escaped newlines inside a literal.
 */
size_t hs_ctok_end(const char *s, size_t n, size_t i, uint32_t *line, char *kind);

/* Is @s (@len bytes) one of the @n words of @list? */
bool hs_ctok_in(const char *const *list, size_t n, const char *s, size_t len);

/* Is @s (@len bytes) a keyword of C or of gcc (typeof, __attribute__, __int128, ...)? */
bool hs_ctok_keyword(const char *s, size_t len);

#endif
