// SPDX-License-Identifier: GPL-2.0
/*
 * cppcond_expr.c - the truth of a #if expression over the configuration
 * (cppcond.h): three values, and only what the CONFIG_ macros of autoconf.h
 * decide is known (defined(), IS_ENABLED() and its kin, CONFIG_ values,
 * numbers, the C operators); any other macro makes its part unknown.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "build/cppcond_priv.h"
#include "build/ctok.h"

struct val {
	long long v;
	bool known;
};

static const struct val UNKNOWN = { 0, false };

struct expr {
	const struct hs_cppcfg *cfg;
	const char *s, *end;
	const char *tok;	/* the current token and its length */
	size_t len;
	char kind;		/* 'i' identifier, 'n' number, 'p' punctuation, 'o' other, 0 end */
	bool bad;		/* not an expression this reader knows: unknown */
};

static void next(struct expr *e)
{
	static const char *const two[] = { "&&", "||", "==", "!=", "<=", ">=", "<<", ">>" };
	const char *s = e->tok ? e->tok + e->len : e->s;

	while (s < e->end && isspace((unsigned char)*s))
		s++;
	e->tok = s;
	if (s >= e->end) {
		e->kind = 0;
		e->len = 0;
		return;
	}
	if (hs_ctok_idch(*s) && !isdigit((unsigned char)*s)) {
		e->kind = 'i';
		e->len = hs_cpp_word(s, e->end);
		return;
	}
	if (isdigit((unsigned char)*s)) {
		e->kind = 'n';
		e->len = hs_cpp_word(s, e->end);
		return;
	}
	for (size_t i = 0; i < sizeof(two) / sizeof(two[0]); i++)
		if (e->end - s >= 2 && !strncmp(s, two[i], 2)) {
			e->kind = 'p';
			e->len = 2;
			return;
		}
	e->kind = strchr("()!~-+*/%<>&|^?:,", *s) ? 'p' : 'o';
	e->len = 1;
}

static bool is(const struct expr *e, const char *p)
{
	return e->kind && e->len == strlen(p) && !strncmp(e->tok, p, e->len);
}

static struct val cond(struct expr *e);

/* Skip a parenthesised argument list at the current '(' (balanced). */
static void skip_args(struct expr *e)
{
	int depth = 0;

	do {
		if (is(e, "("))
			depth++;
		else if (is(e, ")"))
			depth--;
		else if (!e->kind) {
			e->bad = true;
			return;
		}
		next(e);
	} while (depth > 0);
}

/* A number of #if: decimal, octal or hex with l/L suffixes; unknown if unsigned or too large. */
static struct val number(const char *s, size_t n)
{
	char buf[64], *end;
	unsigned long long v;

	if (n >= sizeof(buf))
		return UNKNOWN;
	memcpy(buf, s, n);
	buf[n] = 0;
	errno = 0;
	v = strtoull(buf, &end, 0);
	while (*end == 'l' || *end == 'L')
		end++;
	if (errno || *end || v > INT64_MAX)
		return UNKNOWN;
	return (struct val){ (long long)v, true };
}

/* The value of a CONFIG_ name in #if (unset: 0). */
static struct val config(const struct expr *e, const char *s, size_t n)
{
	const char *v;

	if (hs_cppcfg_is_unknown(e->cfg, s, n))
		return UNKNOWN;
	v = hs_cppcfg_value(e->cfg, s, n);
	return v ? number(v, strlen(v)) : (struct val){ 0, true };
}

int hs_cpp_defined(const struct hs_cppcfg *c, const char *s, size_t n)
{
	if (n <= 7 || strncmp(s, "CONFIG_", 7) || hs_cppcfg_is_unknown(c, s, n))
		return -1;
	return hs_cppcfg_value(c, s, n) != NULL;
}

/* IS_ENABLED(), IS_BUILTIN(), IS_MODULE(), IS_REACHABLE() of CONFIG_ @s (include/linux/kconfig.h). */
static struct val kconfig_test(const struct expr *e, const char *fn, const char *s, size_t n)
{
	char mod[256];
	int y, m;

	if (n + 8 > sizeof(mod))
		return UNKNOWN;
	memcpy(mod, s, n);
	memcpy(mod + n, "_MODULE", 8);
	y = hs_cpp_defined(e->cfg, s, n);
	m = hs_cpp_defined(e->cfg, mod, n + 7);
	if (y < 0 || m < 0)
		return UNKNOWN;
	if (!strcmp(fn, "IS_BUILTIN"))
		return (struct val){ y, true };
	if (!strcmp(fn, "IS_MODULE"))
		return (struct val){ m, true };
	if (!strcmp(fn, "IS_ENABLED"))
		return (struct val){ y || m, true };
	/* IS_REACHABLE: built in, or a module and the unit is one (MODULE: unknown here) */
	return y ? (struct val){ 1, true } : m ? UNKNOWN : (struct val){ 0, true };
}

/* An identifier of #if at the current token. */
static struct val ident(struct expr *e)
{
	static const char *const tests[] = { "IS_ENABLED", "IS_BUILTIN", "IS_MODULE",
					     "IS_REACHABLE" };
	const char *s = e->tok;
	size_t n = e->len;
	bool paren;
	int d;

	next(e);
	if (n == 7 && !strncmp(s, "defined", 7)) {
		paren = is(e, "(");
		if (paren)
			next(e);
		if (e->kind != 'i')
			return e->bad = true, UNKNOWN;
		d = hs_cpp_defined(e->cfg, e->tok, e->len);
		next(e);
		if (paren && !is(e, ")"))
			return e->bad = true, UNKNOWN;
		if (paren)
			next(e);
		return d < 0 ? UNKNOWN : (struct val){ d, true };
	}
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		const char *a;
		size_t an;

		if (strlen(tests[i]) != n || strncmp(s, tests[i], n) || !is(e, "("))
			continue;
		next(e);
		a = e->tok;
		an = e->len;
		if (e->kind != 'i')
			return skip_args(e), UNKNOWN;
		next(e);
		if (!is(e, ")"))
			return e->bad = true, UNKNOWN;
		next(e);
		return an > 7 && !strncmp(a, "CONFIG_", 7) ? kconfig_test(e, tests[i], a, an)
							    : UNKNOWN;
	}
	if (is(e, "(")) {		/* another function-like macro */
		skip_args(e);
		return UNKNOWN;
	}
	if (n > 7 && !strncmp(s, "CONFIG_", 7))
		return config(e, s, n);
	return UNKNOWN;			/* another macro, or 0: not known here */
}

static struct val unary(struct expr *e)
{
	struct val v;

	if (is(e, "!") || is(e, "~") || is(e, "-") || is(e, "+")) {
		char op = *e->tok;

		next(e);
		v = unary(e);
		if (!v.known)
			return UNKNOWN;
		return (struct val){ op == '!' ? !v.v : op == '~' ? ~v.v : op == '-' ? -v.v : v.v,
				     true };
	}
	if (is(e, "(")) {
		next(e);
		v = cond(e);
		if (!is(e, ")"))
			return e->bad = true, UNKNOWN;
		next(e);
		return v;
	}
	if (e->kind == 'n') {
		v = number(e->tok, e->len);
		next(e);
		return v;
	}
	if (e->kind == 'i')
		return ident(e);
	e->bad = true;		/* a character constant, a string, the end */
	return UNKNOWN;
}

/* Binary operators by precedence, lowest first (below && and ||, which cond() does). */
static const char *const levels[][5] = {
	{ "|" }, { "^" }, { "&" }, { "==", "!=" }, { "<", ">", "<=", ">=" }, { "<<", ">>" },
	{ "+", "-" }, { "*", "/", "%" },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

static struct val apply(const char *op, struct val a, struct val b)
{
	long long x = a.v, y = b.v, r = 0;
	bool over = false;

	if (!a.known || !b.known)
		return UNKNOWN;
	if (!strcmp(op, "<<") || !strcmp(op, ">>")) {
		if (y < 0 || y > 62 || x < 0 || (op[0] == '<' && x > (INT64_MAX >> y)))
			return UNKNOWN;
		return (struct val){ op[0] == '<' ? x << y : x >> y, true };
	}
	switch (op[0]) {
	case '|': r = x | y; break;
	case '^': r = x ^ y; break;
	case '&': r = x & y; break;
	case '=': r = x == y; break;
	case '!': r = x != y; break;
	case '<': r = op[1] ? x <= y : x < y; break;
	case '>': r = op[1] ? x >= y : x > y; break;
	case '+': over = __builtin_add_overflow(x, y, &r); break;
	case '-': over = __builtin_sub_overflow(x, y, &r); break;
	case '*': over = __builtin_mul_overflow(x, y, &r); break;
	default:
		if (!y || (x == INT64_MIN && y == -1))
			return UNKNOWN;
		r = op[0] == '/' ? x / y : x % y;
	}
	return over ? UNKNOWN : (struct val){ r, true };
}

static struct val binary(struct expr *e, size_t level)
{
	struct val v;

	if (level == NLEVELS)
		return unary(e);
	v = binary(e, level + 1);
	for (;;) {
		const char *op = NULL;

		for (size_t i = 0; i < 5 && levels[level][i]; i++)
			if (is(e, levels[level][i]))
				op = levels[level][i];
		if (!op)
			return v;
		next(e);
		v = apply(op, v, binary(e, level + 1));
	}
}

static struct val land(struct expr *e)
{
	struct val v = binary(e, 0);

	while (is(e, "&&")) {
		struct val w;

		next(e);
		w = binary(e, 0);
		if ((v.known && !v.v) || (w.known && !w.v))
			v = (struct val){ 0, true };
		else
			v = v.known && w.known ? (struct val){ 1, true } : UNKNOWN;
	}
	return v;
}

static struct val lor(struct expr *e)
{
	struct val v = land(e);

	while (is(e, "||")) {
		struct val w;

		next(e);
		w = land(e);
		if ((v.known && v.v) || (w.known && w.v))
			v = (struct val){ 1, true };
		else
			v = v.known && w.known ? (struct val){ 0, true } : UNKNOWN;
	}
	return v;
}

static struct val cond(struct expr *e)
{
	struct val c = lor(e), a, b;

	if (!is(e, "?"))
		return c;
	next(e);
	a = cond(e);
	if (!is(e, ":"))
		return e->bad = true, UNKNOWN;
	next(e);
	b = cond(e);
	if (c.known)
		return c.v ? a : b;
	return a.known && b.known && a.v == b.v ? a : UNKNOWN;
}

enum hs_cpp_tri hs_cpp_truth(const struct hs_cppcfg *c, const char *s, size_t len)
{
	struct expr e = { .cfg = c, .s = s, .end = s + len };
	struct val v;

	if (!c->loaded)
		return T_UNKNOWN;
	next(&e);
	v = cond(&e);
	if (e.bad || e.kind || !v.known)
		return T_UNKNOWN;
	return v.v ? T_TRUE : T_FALSE;
}
