// SPDX-License-Identifier: GPL-2.0
/*
 * cppcond.c - the lines of a C file that the configuration leaves out
 * (cppcond.h). The file is read as the preprocessor does in the part that
 * matters here: comments are spaces, a directive is a '#' first on its
 * line and runs to the end of the line, continued by a backslash or by a
 * comment that spans lines; a #if expression is evaluated over three
 * values (true, false, unknown: cppcond_expr.c), and only a known false
 * leaves a block out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "build/cppcond_priv.h"
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

size_t hs_cpp_word(const char *s, const char *end)
{
	size_t n = 0;

	while (s + n < end && hs_ctok_idch(s[n]))
		n++;
	return n;
}

const char *hs_cpp_skip_blank(const char *s, const char *end)
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
		p = hs_cpp_skip_blank(l, eol);
		if (eol - p > 8 && !strncmp(p, "#define ", 8)) {
			p = hs_cpp_skip_blank(p + 8, eol);
			w = hs_cpp_word(p, eol);
			v = hs_cpp_skip_blank(p + w, eol);
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
				err = hs_cppcfg_unknown(c, p, hs_cpp_word(p, end));
			continue;
		}
		/* # define CONFIG_X, #undef CONFIG_X */
		kw = b - s >= 6 && !strncmp(b - 6, "define", 6) ? 6 :
		     b - s >= 5 && !strncmp(b - 5, "undef", 5) ? 5 : 0;
		b = kw ? back_blank(s, b - kw) : s;
		if (b > s && b[-1] == '#')
			err = hs_cppcfg_unknown(c, p, hs_cpp_word(p, end));
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

bool hs_cppcfg_is_unknown(const struct hs_cppcfg *c, const char *s, size_t n)
{
	size_t at;

	return find_unknown(c, s, n, &at);
}

const char *hs_cppcfg_value(const struct hs_cppcfg *c, const char *s, size_t n)
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

/* ---- the blocks ---- */

struct frame {
	bool outer_dead;	/* the block around this #if is left out */
	enum hs_cpp_tri taken;		/* an earlier branch is true / maybe */
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
	const char *end = s + len, *kw = hs_cpp_skip_blank(s, end), *rest;
	size_t n = hs_cpp_word(kw, end);
	struct frame *f = b->depth ? &b->f[b->depth - 1] : NULL;
	bool dead = now_dead(b);
	enum hs_cpp_tri t;

	rest = kw + n;
#define KW(w) (n == strlen(w) && !strncmp(kw, w, n))
	if (KW("if") || KW("ifdef") || KW("ifndef")) {
		if (b->depth == (int)(sizeof(b->f) / sizeof(b->f[0])))
			return b->broken = true, dead;
		if (dead) {
			t = T_UNKNOWN;
		} else if (KW("if")) {
			t = hs_cpp_truth(b->cfg, rest, (size_t)(end - rest));
		} else {
			const char *nm = hs_cpp_skip_blank(rest, end);
			size_t w = hs_cpp_word(nm, end);
			int d = b->cfg->loaded && w ? hs_cpp_defined(b->cfg, nm, w) : -1;

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
							 : hs_cpp_truth(b->cfg, rest, (size_t)(end - rest));
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
	char quote = 0;		/* in a string or character literal: no comment starts there */

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
		if (quote && c != '\n' && !(c == '\\' && i + 1 < len && s[i + 1] == '\n')) {
			if (c == '\\' && i + 1 < len)	/* an escape: its character too */
				(*buf)[(*blen)++] = s[i++];
			else if (c == quote)
				quote = 0;
			(*buf)[(*blen)++] = s[i++];
			continue;
		}
		if (c == '\n')
			break;
		if (c == '\\' && i + 1 < len && s[i + 1] == '\n') {
			++*lines;
			i += 2;
			continue;
		}
		if (c == '"' || c == '\'')
			quote = c;
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

int hs_cpp_blank_dead(const struct hs_cppcfg *c, char *s, size_t len, bool **dead,
		      size_t *nlines)
{
	bool *d;
	size_t n;
	char *l = s;

	if (hs_cpp_dead_lines(c, s, len, &d, &n))
		return -ENOMEM;
	for (size_t k = 0; k < n && l < s + len; k++) {
		char *eol = memchr(l, '\n', len - (size_t)(l - s));

		eol = eol ? eol : s + len;
		if (d[k])
			memset(l, ' ', (size_t)(eol - l));
		l = eol + 1;
	}
	if (nlines)
		*nlines = n;
	if (dead)
		*dead = d;
	else
		free(d);
	return 0;
}
