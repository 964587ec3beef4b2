/* SPDX-License-Identifier: GPL-2.0 */
/* cppcond_priv.h - what cppcond.c and cppcond_expr.c share. */
#ifndef HS_CPPCOND_PRIV_H
#define HS_CPPCOND_PRIV_H

#include "build/cppcond.h"

enum hs_cpp_tri { T_FALSE, T_TRUE, T_UNKNOWN };

/* The length of the word (identifier characters) at @s, before @end. */
size_t hs_cpp_word(const char *s, const char *end);

/* @s after its blanks (spaces, tabs), before @end. */
const char *hs_cpp_skip_blank(const char *s, const char *end);

/* Is CONFIG_ name @s (@n bytes) one that some file sets itself? */
bool hs_cppcfg_is_unknown(const struct hs_cppcfg *c, const char *s, size_t n);

/* The value text of CONFIG_ name @s (@n bytes), or NULL when the configuration leaves it unset. */
const char *hs_cppcfg_value(const struct hs_cppcfg *c, const char *s, size_t n);

/* Is CONFIG_ name @s (@n bytes) defined (1), not (0), or unknown (-1: another name, or set by a file)? */
int hs_cpp_defined(const struct hs_cppcfg *c, const char *s, size_t n);

/* The truth of #if expression @s (@len bytes, comments removed) under @c. */
enum hs_cpp_tri hs_cpp_truth(const struct hs_cppcfg *c, const char *s, size_t len);

#endif
