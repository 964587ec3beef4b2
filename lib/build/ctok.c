// SPDX-License-Identifier: GPL-2.0
/* ctok.c - C tokens: where one ends, and the keywords of C and gcc (see ctok.h). */
#include <ctype.h>
#include <string.h>

#include "build/ctok.h"

/* The words of C and gcc's extensions: never a name a declaration declares or uses. */
static const char *const keywords[] = {
	"_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Noreturn",
	"_Static_assert", "_Thread_local", "__alignof__", "__asm", "__asm__", "__attribute",
	"__attribute__", "__auto_type", "__builtin_offsetof", "__builtin_types_compatible_p",
	"__builtin_va_arg", "__const", "__const__", "__extension__", "__inline", "__inline__",
	"__int128", "__label__", "__restrict", "__restrict__", "__signed", "__signed__",
	"__typeof", "__typeof__", "__volatile", "__volatile__", "asm", "auto", "break", "case",
	"char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
	"float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
	"short", "signed", "sizeof", "static", "struct", "switch", "typedef", "typeof", "union",
	"unsigned", "void", "volatile", "while",
};

bool hs_ctok_in(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(list[i], s, len) && !list[i][len])
			return true;
	return false;
}

bool hs_ctok_keyword(const char *s, size_t len)
{
	return hs_ctok_in(keywords, sizeof(keywords) / sizeof(keywords[0]), s, len);
}

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
