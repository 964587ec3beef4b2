// SPDX-License-Identifier: GPL-2.0
/*
 * cppcond.c - the lines of a C file that the configuration leaves out
 * (cppcond.h). The file is read as the preprocessor does in the part that
 * matters here: comments are spaces, a directive is a '#' first on its
 * line and runs to the end of the line, continued by a backslash or by a
 * comment that spans lines; a #if expression is evaluated over three
 * values (true, false, unknown), and only a known false leaves a block out.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "build/cppcond.h"
#include "build/ctok.h"

/* ---- the configuration ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct kv {
	char *k, *v;
};

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k);
}

/* The word at @s (identifier characters), its length. */
static size_t word(const char *s, const char *end)
{
	size_t n = 0;

	while (s + n < end && hs_ctok_idch(s[n]))
		n++;
	return n;
}

static const char *skip_blank(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

int hs_cppcfg_load(struct hs_cppcfg *c, const char *s, size_t len)
{
	const char *end = s + len;
	struct kv *kv = NULL;
	size_t n = 0, cap = 0;

	for (const char *l = s; l < end; ) {
		const char *eol = memchr(l, '\n', (size_t)(end - l)), *p, *v;
		size_t w;

		eol = eol ? eol : end;
		p = skip_blank(l, eol);
		if (eol - p > 8 && !strncmp(p, "#define ", 8)) {
			p = skip_blank(p + 8, eol);
			w = word(p, eol);
			v = skip_blank(p + w, eol);
			if (w > 7 && !strncmp(p, "CONFIG_", 7)) {
				if (n == cap) {
					struct kv *m = realloc(kv, (cap = cap ? cap * 2 : 1024) * sizeof(*m));

					if (!m)
						goto nomem;
					kv = m;
				}
				kv[n].k = strndup(p, w);
				kv[n].v = strndup(v, (size_t)(eol - v));
				n++;
				if (!kv[n - 1].k || !kv[n - 1].v)
					goto nomem;
			}
		}
		l = eol + 1;
	}
	qsort(kv, n, sizeof(*kv), cmp_kv);
	c->names = calloc(n + 1, sizeof(char *));
	c->values = calloc(n + 1, sizeof(char *));
	if (!c->names || !c->values)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		c->names[i] = kv[i].k;
		c->values[i] = kv[i].v;
	}
	c->n = n;
	c->loaded = true;
	free(kv);
	return 0;
nomem:
	for (size_t i = 0; i < n; i++) {
		free(kv[i].k);
		free(kv[i].v);
	}
	free(kv);
	free(c->names);
	free(c->values);
	c->names = c->values = NULL;
	return -ENOMEM;
}

/* Where name @s (@n bytes) is or would go in the sorted unknown names; whether it is there. */
static bool find_unknown(const struct hs_cppcfg *c, const char *s, size_t n, size_t *at)
{
	size_t lo = 0, hi = c->nunknown;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strncmp(c->unknown[mid], s, n);

		if (!r && !c->unknown[mid][n]) {
			*at = mid;
			return true;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return false;
}

int hs_cppcfg_unknown(struct hs_cppcfg *c, const char *s, size_t n)
{
	size_t at;
	char *name;

	if (find_unknown(c, s, n, &at))
		return 0;
	if (c->nunknown == c->capunknown) {
		size_t cap = c->capunknown ? c->capunknown * 2 : 256;
		char **v = realloc(c->unknown, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		c->unknown = v;
		c->capunknown = cap;
	}
	if (!(name = strndup(s, n)))
		return -ENOMEM;
	memmove(c->unknown + at + 1, c->unknown + at, (c->nunknown - at) * sizeof(char *));
	c->unknown[at] = name;
	c->nunknown++;
	return 0;
}

/* Back over the blanks before @p (not before @s). */
static const char *back_blank(const char *s, const char *p)
{
	while (p > s && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	return p;
}

int hs_cppcfg_scan_setters(struct hs_cppcfg *c, const char *s, size_t len, bool makefile)
{
	const char *end = s + len;
	int err = 0;

	for (const char *p = s; !err && (p = memmem(p, (size_t)(end - p), "CONFIG_", 7));
	     p += 7) {
		const char *b = back_blank(s, p);
		size_t kw;

		if (makefile) {		/* -DCONFIG_X, -D CONFIG_X, -UCONFIG_X */
			if (b - s >= 2 && b[-2] == '-' && (b[-1] == 'D' || b[-1] == 'U'))
				err = hs_cppcfg_unknown(c, p, word(p, end));
			continue;
		}
		/* # define CONFIG_X, #undef CONFIG_X */
		kw = b - s >= 6 && !strncmp(b - 6, "define", 6) ? 6 :
		     b - s >= 5 && !strncmp(b - 5, "undef", 5) ? 5 : 0;
		b = kw ? back_blank(s, b - kw) : s;
		if (b > s && b[-1] == '#')
			err = hs_cppcfg_unknown(c, p, word(p, end));
	}
	return err;
}

void hs_cppcfg_free(struct hs_cppcfg *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->names[i]);
		free(c->values[i]);
	}
	for (size_t i = 0; i < c->nunknown; i++)
		free(c->unknown[i]);
	free(c->names);
	free(c->values);
	free(c->unknown);
	memset(c, 0, sizeof(*c));
}

/* Is CONFIG_ name @s (@n bytes) set by some file itself? */
static bool is_unknown(const struct hs_cppcfg *c, const char *s, size_t n)
{
	size_t at;

	return find_unknown(c, s, n, &at);
}

/* The value text of CONFIG_ name @s (@n bytes), or NULL when the configuration leaves it unset. */
static const char *config_value(const struct hs_cppcfg *c, const char *s, size_t n)
{
	char name[256];
	char **hit;

	if (n >= sizeof(name))
		return NULL;
	memcpy(name, s, n);
	name[n] = 0;
	hit = bsearch(&(const char *){ name }, c->names, c->n, sizeof(char *), cmp_str);
	return hit ? c->values[hit - c->names] : NULL;
}

/* ---- #if expressions ---- */

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
		e->len = word(s, e->end);
		return;
	}
	if (isdigit((unsigned char)*s)) {
		e->kind = 'n';
		e->len = word(s, e->end);
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

	if (is_unknown(e->cfg, s, n))
		return UNKNOWN;
	v = config_value(e->cfg, s, n);
	return v ? number(v, strlen(v)) : (struct val){ 0, true };
}

/* Is CONFIG_ name @s (@n bytes) defined (1), not (0), or unknown (-1)? */
static int defined(const struct expr *e, const char *s, size_t n)
{
	if (n <= 7 || strncmp(s, "CONFIG_", 7) || is_unknown(e->cfg, s, n))
		return -1;
	return config_value(e->cfg, s, n) != NULL;
}

/* IS_ENABLED(), IS_BUILTIN(), IS_MODULE(), IS_REACHABLE() of CONFIG_ name @s (include/linux/kconfig.h). */
static struct val kconfig_test(const struct expr *e, const char *fn, const char *s, size_t n)
{
	char mod[256];
	int y, m;

	if (n + 8 > sizeof(mod))
		return UNKNOWN;
	memcpy(mod, s, n);
	memcpy(mod + n, "_MODULE", 8);
	y = defined(e, s, n);
	m = defined(e, mod, n + 7);
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
		d = defined(e, e->tok, e->len);
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

enum tri { T_FALSE, T_TRUE, T_UNKNOWN };

/* The truth of #if expression @s (@len bytes, comments removed). */
static enum tri truth(const struct hs_cppcfg *c, const char *s, size_t len)
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

/* ---- the blocks ---- */

struct frame {
	bool outer_dead;	/* the block around this #if is left out */
	enum tri taken;		/* an earlier branch is true / maybe */
	bool dead;		/* the current branch is left out */
	bool had_else;
};

struct blocks {
	const struct hs_cppcfg *cfg;
	struct frame f[256];
	int depth;
	bool broken;		/* directives that do not nest, or too deep: judge nothing */
};

static bool now_dead(const struct blocks *b)
{
	return b->depth && b->f[b->depth - 1].dead;
}

/* One directive, its text after the '#' (comments removed); whether its line is left out. */
static bool directive(struct blocks *b, const char *s, size_t len)
{
	const char *end = s + len, *kw = skip_blank(s, end), *rest;
	size_t n = word(kw, end);
	struct frame *f = b->depth ? &b->f[b->depth - 1] : NULL;
	bool dead = now_dead(b);
	enum tri t;

	rest = kw + n;
#define KW(w) (n == strlen(w) && !strncmp(kw, w, n))
	if (KW("if") || KW("ifdef") || KW("ifndef")) {
		if (b->depth == (int)(sizeof(b->f) / sizeof(b->f[0])))
			return b->broken = true, dead;
		if (dead) {
			t = T_UNKNOWN;
		} else if (KW("if")) {
			t = truth(b->cfg, rest, (size_t)(end - rest));
		} else {
			const char *nm = skip_blank(rest, end);
			size_t w = word(nm, end);
			struct expr e = { .cfg = b->cfg };
			int d = b->cfg->loaded && w ? defined(&e, nm, w) : -1;

			t = d < 0 ? T_UNKNOWN : (d ^ KW("ifndef")) ? T_TRUE : T_FALSE;
		}
		b->f[b->depth++] = (struct frame){ .outer_dead = dead, .taken = t,
						   .dead = dead || t == T_FALSE };
		return dead;
	}
	if (KW("elif") || KW("else") || KW("endif")) {
		if (!f || (f->had_else && !KW("endif")))
			return b->broken = true, dead;
		if (KW("endif")) {
			b->depth--;
			return f->outer_dead;
		}
		if (KW("else")) {
			f->had_else = true;
			f->dead = f->outer_dead || f->taken == T_TRUE;
			return f->outer_dead;
		}
		t = f->outer_dead || f->taken == T_TRUE ? T_UNKNOWN
							 : truth(b->cfg, rest, (size_t)(end - rest));
		f->dead = f->outer_dead || f->taken == T_TRUE || t == T_FALSE;
		/* one of the branches so far is surely taken: the rest are left out */
		if (f->taken != T_TRUE)
			f->taken = t == T_TRUE ? T_TRUE : t == T_FALSE ? f->taken : T_UNKNOWN;
		return f->outer_dead;
	}
	if (KW("elifdef") || KW("elifndef"))
		b->broken = true;
#undef KW
	return dead;
}

/*
 * Skip a comment or literal at @s[@i] of a code line; the index after it,
 * *@in_comment set when a block comment runs past @n.
 */
static size_t skip_code(const char *s, size_t n, size_t i, bool *in_comment)
{
	if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
		const char *e = memmem(s + i + 2, n - i - 2, "*/", 2);

		*in_comment = !e;
		return e ? (size_t)(e - s) + 2 : n;
	}
	if (s[i] == '/' && i + 1 < n && s[i + 1] == '/')
		return n;
	if (s[i] == '"' || s[i] == '\'') {
		char q = s[i++];

		while (i < n && s[i] != q)
			i += s[i] == '\\' ? 2 : 1;
		return i < n ? i + 1 : n;
	}
	return i + 1;
}

/*
 * The logical directive starting at @s[@i] (after its '#'): its text with
 * comments as spaces appended to @buf, the index after it in @s; the lines
 * it spans go to *@lines.
 */
static size_t gather(const char *s, size_t len, size_t i, char **buf, size_t *blen,
		     size_t *cap, size_t *lines)
{
	bool in_comment = false;

	*blen = 0;
	*lines = 1;
	while (i < len) {
		char c = s[i];

		if (*blen + 2 > *cap) {
			char *m = realloc(*buf, *cap = *cap ? *cap * 2 : 256);

			if (!m)
				return (size_t)-1;
			*buf = m;
		}
		if (in_comment) {
			if (c == '*' && i + 1 < len && s[i + 1] == '/') {
				in_comment = false;
				(*buf)[(*blen)++] = ' ';
				i += 2;
				continue;
			}
			*lines += c == '\n';
			i++;
			continue;
		}
		if (c == '\n')
			break;
		if (c == '\\' && i + 1 < len && s[i + 1] == '\n') {
			++*lines;
			i += 2;
			continue;
		}
		if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			in_comment = true;
			i += 2;
			continue;
		}
		if (c == '/' && i + 1 < len && s[i + 1] == '/') {
			while (i < len && s[i] != '\n')
				i++;
			break;
		}
		(*buf)[(*blen)++] = c;
		i++;
	}
	return i < len ? i + 1 : len;
}

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;

	for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s))); p++)
		n++;
	return n + (len && s[len - 1] != '\n');
}

int hs_cpp_dead_lines(const struct hs_cppcfg *c, const char *s, size_t len, bool **dead,
		      size_t *nlines)
{
	struct blocks b = { .cfg = c };
	size_t n = count_lines(s, len), ln = 0, i = 0, blen = 0, cap = 0;
	bool in_comment = false, cont = false;
	char *buf = NULL;

	*nlines = n;
	*dead = calloc(n + 1, sizeof(**dead));
	if (!*dead)
		return -ENOMEM;
	while (i < len && !b.broken) {
		size_t eol = i, span;

		while (eol < len && s[eol] != '\n')
			eol++;
		if (!in_comment && !cont) {
			size_t j = i;

			while (j < eol && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < eol && s[j] == '#') {
				bool d;

				i = gather(s, len, j + 1, &buf, &blen, &cap, &span);
				if (i == (size_t)-1) {
					free(buf);
					return -ENOMEM;
				}
				d = directive(&b, buf, blen);
				for (size_t k = 0; k < span && ln < n; k++)
					(*dead)[ln++] = d;
				continue;
			}
		}
		/* a code line: where its comments and literals end */
		(*dead)[ln] = now_dead(&b);
		for (size_t j = i; j < eol; ) {
			if (in_comment) {
				const char *e = memmem(s + j, eol - j, "*/", 2);

				if (!e)
					break;
				in_comment = false;
				j = (size_t)(e - s) + 2;
				/* "*\/ #if": a directive after a comment that began above */
				while (j < eol && (s[j] == ' ' || s[j] == '\t'))
					j++;
				if (j < eol && s[j] == '#' && !cont)
					b.broken = true;
				continue;
			}
			j = skip_code(s, eol, j, &in_comment);
		}
		cont = eol > i && s[eol - 1] == '\\' && !in_comment;
		ln++;
		i = eol + 1;
	}
	free(buf);
	if (b.broken || b.depth)
		memset(*dead, 0, n + 1);
	return 0;
}
