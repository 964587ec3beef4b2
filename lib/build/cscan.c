// SPDX-License-Identifier: GPL-2.0
/*
 * cscan.c - split a preprocessed C translation unit into its top-level
 * declarations and find those that reach the object (see cscan.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"
#include "build/cscan.h"
#include "build/ctok.h"
#include "core/cache.h"

#define NO_ID UINT32_MAX

struct tok {
	const char *s;
	uint32_t len;
	uint32_t id;		/* identifiers: interned id; others NO_ID */
	uint32_t origin;	/* index into files, or NO_ID */
	char kind;		/* 'i' identifier, 'n' number, 's' literal, 'p' punct, '#' line */
};

struct span {
	const char *s;
	size_t len;
};

struct ident {
	const char *s;
	uint32_t len;
	bool kw;		/* a keyword or attribute word: never a name */
	bool marks_root;	/* used, constructor, ...: the declaration is emitted */
};

struct decl {
	size_t t0, t1;		/* its tokens */
	bool root, aggregate;
	uint32_t first_name;
};

struct name_ref {
	uint32_t decl, id;
};

struct scan {
	struct tok *t;
	size_t nt, capt;
	struct ident *ids;
	size_t nids, capids;
	uint32_t *tab;		/* open addressing: id + 1, 0 empty */
	size_t tabsize;
	struct decl *d;
	size_t nd, capd;
	struct name_ref *nm;
	size_t nn, capn;
	struct span *files;	/* origins, from line markers */
	size_t nfiles, capfiles;
	struct span *macros;	/* from #define/#undef lines */
	size_t nmacros, capmacros;
	uint32_t origin;	/* the current origin */
	const char *modname;	/* KBUILD_MODNAME's string literal, or NULL */
};

static const char *const root_marks[] = {
	"used", "__used__", "constructor", "__constructor__", "destructor", "__destructor__",
	"externally_visible", "__externally_visible__",
};

#define GROW(arr, n, cap)                                                           \
	((n) < (cap) || grow((void **)&(arr), &(cap), sizeof(*(arr))) == 0)

static int grow(void **arr, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 1024;
	void *p = realloc(*arr, ncap * size);

	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static int rehash(struct scan *sc)
{
	size_t size = sc->tabsize ? sc->tabsize * 2 : 4096;
	uint32_t *tab = calloc(size, sizeof(*tab));

	if (!tab)
		return -ENOMEM;
	for (size_t i = 0; i < sc->nids; i++) {
		size_t h = hs_hash64(HS_HASH_INIT, sc->ids[i].s, sc->ids[i].len) & (size - 1);

		while (tab[h])
			h = (h + 1) & (size - 1);
		tab[h] = (uint32_t)i + 1;
	}
	free(sc->tab);
	sc->tab = tab;
	sc->tabsize = size;
	return 0;
}

/* The id of identifier @s, added when new; NO_ID when out of memory. */
static uint32_t intern(struct scan *sc, const char *s, uint32_t len)
{
	size_t h;

	if ((sc->nids + 1) * 2 > sc->tabsize && rehash(sc))
		return NO_ID;
	h = hs_hash64(HS_HASH_INIT, s, len) & (sc->tabsize - 1);
	for (; sc->tab[h]; h = (h + 1) & (sc->tabsize - 1)) {
		const struct ident *id = &sc->ids[sc->tab[h] - 1];

		if (id->len == len && !memcmp(id->s, s, len))
			return sc->tab[h] - 1;
	}
	if (!GROW(sc->ids, sc->nids, sc->capids))
		return NO_ID;
	sc->ids[sc->nids] = (struct ident){
		.s = s, .len = len,
		.kw = hs_ctok_keyword(s, len) ||
		      (len > 10 && !memcmp(s, "__builtin_", 10)),
		.marks_root = hs_ctok_in(root_marks, sizeof(root_marks) / sizeof(root_marks[0]), s,
					 len),
	};
	sc->tab[h] = (uint32_t)sc->nids + 1;
	return (uint32_t)sc->nids++;
}

/* A line marker (# 12 "file" 1): the origin of what follows. */
static int line_marker(struct scan *sc, const char *p, const char *end)
{
	const char *q, *e;

	for (q = p + 1; q < end && (*q == ' ' || *q == '\t'); q++)
		;
	if (q + 4 < end && !memcmp(q, "line", 4))
		q += 4;
	while (q < end && (*q == ' ' || isdigit((unsigned char)*q)))
		q++;
	if (q >= end || *q != '"' || !(e = memchr(q + 1, '"', (size_t)(end - q - 1))))
		return 1;	/* not a line marker */
	q++;
	for (size_t i = sc->nfiles; i > 0; i--)
		if (sc->files[i - 1].len == (size_t)(e - q) && !memcmp(sc->files[i - 1].s, q, e - q)) {
			sc->origin = (uint32_t)(i - 1);
			return 0;
		}
	if (!GROW(sc->files, sc->nfiles, sc->capfiles))
		return -ENOMEM;
	sc->files[sc->nfiles] = (struct span){ q, (size_t)(e - q) };
	sc->origin = (uint32_t)sc->nfiles++;
	return 0;
}

/* A "#define NAME ..." or "#undef NAME" line of gcc -dU: a macro the unit used or tested. */
static int macro_line(struct scan *sc, const char *p, const char *end)
{
	const char *q = p + 1, *n;

	if (end - q > 7 && !memcmp(q, "define ", 7))
		q += 7;
	else if (end - q > 6 && !memcmp(q, "undef ", 6))
		q += 6;
	else
		return 1;	/* some other directive */
	for (n = q; n < end && hs_ctok_idch(*n); n++)
		;
	if (n == q)
		return 1;
	if (!GROW(sc->macros, sc->nmacros, sc->capmacros))
		return -ENOMEM;
	sc->macros[sc->nmacros++] = (struct span){ q, (size_t)(n - q) };
	return 0;
}

static int push_tok(struct scan *sc, const char *p, const char *q, char kind)
{
	if (!GROW(sc->t, sc->nt, sc->capt))
		return -ENOMEM;
	sc->t[sc->nt] = (struct tok){ .s = p, .len = (uint32_t)(q - p), .kind = kind,
				      .id = NO_ID, .origin = sc->origin };
	if (kind == 'i' && (sc->t[sc->nt].id = intern(sc, p, (uint32_t)(q - p))) == NO_ID)
		return -ENOMEM;
	sc->nt++;
	return 0;
}

static int lex(struct scan *sc, const char *p, const char *end)
{
	bool bol = true;
	int err = 0;

	sc->origin = NO_ID;
	while (p < end && !err) {
		const char *q;
		uint32_t lines = 0;	/* escaped in a literal: no matter here */
		char kind;

		if (*p == '\n' || isspace((unsigned char)*p)) {
			bol |= *p++ == '\n';
			continue;
		}
		if (*p == '#' && bol) {
			for (q = p; q < end && *q != '\n'; q++)
				;
			err = line_marker(sc, p, q);
			err = err == 1 ? macro_line(sc, p, q) : err;
			err = err == 1 ? push_tok(sc, p, q, '#') : err;	/* #pragma */
		} else {
			q = p + hs_ctok_end(p, (size_t)(end - p), 0, &lines, &kind);
			err = push_tok(sc, p, q, kind);
		}
		bol = false;
		p = q;
	}
	return err;
}

static bool is_p(const struct tok *t, char c)
{
	return t && t->kind == 'p' && t->s[0] == c;
}

static bool is_word(const struct tok *t, const char *w)
{
	return t && t->kind == 'i' && t->len == strlen(w) && !memcmp(t->s, w, t->len);
}

static bool is_attr_or_asm(const struct tok *t)
{
	return is_word(t, "__attribute__") || is_word(t, "__attribute") || is_word(t, "asm") ||
	       is_word(t, "__asm__") || is_word(t, "__asm");
}

/* An open bracket while splitting. */
struct open {
	char c;
	bool enum_body;		/* the braces of an enum: its identifiers are names */
	bool fn_body;		/* a function body at top level */
	bool star_group;	/* a top-level "(*" group: a declarator such as (*fp) */
};

/* What is known about the declaration being split. */
struct cur {
	size_t t0;
	bool is_static, is_extern, is_typedef, marked, object, declarator, eq, body, has_enum;
	uint32_t first_name;
	const struct tok *tagkw;	/* the last struct/union/enum keyword not yet used */
};

static int add_name(struct scan *sc, struct cur *c, uint32_t id)
{
	if (!GROW(sc->nm, sc->nn, sc->capn))
		return -ENOMEM;
	sc->nm[sc->nn++] = (struct name_ref){ .decl = (uint32_t)sc->nd, .id = id };
	if (c->first_name == NO_ID)
		c->first_name = id;
	return 0;
}

static int end_decl(struct scan *sc, struct cur *c, size_t t1, bool fn_def)
{
	const struct tok *first = &sc->t[c->t0];
	bool root, aggregate;

	while (is_word(first, "__extension__") && first + 1 < sc->t + t1)
		first++;
	aggregate = !fn_def && (is_word(first, "struct") || is_word(first, "union")) && c->body &&
		    !c->object && !c->declarator && !c->is_typedef && !c->is_static &&
		    !c->is_extern && !c->has_enum && !c->marked;
	if (first->kind == '#' || c->marked || is_word(first, "asm") || is_word(first, "__asm__") ||
	    is_word(first, "__asm"))
		root = true;
	else if (fn_def)
		root = !c->is_static;
	else
		root = !c->is_static && !c->is_extern && !c->is_typedef && c->object;
	if (!GROW(sc->d, sc->nd, sc->capd))
		return -ENOMEM;
	sc->d[sc->nd++] = (struct decl){ .t0 = c->t0, .t1 = t1, .root = root,
					 .aggregate = aggregate, .first_name = c->first_name };
	*c = (struct cur){ .t0 = t1, .first_name = NO_ID };
	return 0;
}

/* Is identifier @i (non-keyword) a name the current declaration declares? */
static int identifier(struct scan *sc, struct cur *c, const struct open *stack, size_t depth,
		      size_t i)
{
	const struct tok *t = &sc->t[i], *next = i + 1 < sc->nt ? t + 1 : NULL;
	const struct tok *prev = i > c->t0 ? t - 1 : NULL;
	bool tag = prev && (is_word(prev, "struct") || is_word(prev, "union") ||
			    is_word(prev, "enum"));

	if (is_p(next, '{'))
		return add_name(sc, c, t->id);
	if (depth == 0 && !tag && next &&
	    ((next->kind == 'p' && strchr("(=,;[:", next->s[0])) || is_attr_or_asm(next))) {
		if (is_p(next, '('))
			c->declarator = true;
		else
			c->object = true;
		return add_name(sc, c, t->id);
	}
	if (depth == 1 && stack[0].star_group && (is_p(next, ')') || is_p(next, '['))) {
		c->object = true;
		return add_name(sc, c, t->id);
	}
	if (depth && stack[depth - 1].enum_body &&
	    (is_p(next, '=') || is_p(next, ',') || is_p(next, '}')))
		return add_name(sc, c, t->id);
	return 0;
}

static void open_bracket(struct scan *sc, struct cur *c, struct open *o, size_t depth, size_t i)
{
	const struct tok *t = &sc->t[i];

	*o = (struct open){ .c = t->s[0] };
	if (t->s[0] == '(' && depth == 0)
		o->star_group = i + 1 < sc->nt && is_p(t + 1, '*');
	if (t->s[0] != '{')
		return;
	o->enum_body = c->tagkw && is_word(c->tagkw, "enum");
	c->has_enum |= o->enum_body;
	c->body |= depth == 0;
	c->tagkw = NULL;
	o->fn_body = depth == 0 && i > c->t0 && is_p(t - 1, ')') && c->declarator && !c->eq;
}

static int split(struct scan *sc)
{
	struct open *stack = NULL;
	size_t depth = 0, cap = 0;
	struct cur c = { .first_name = NO_ID };
	int err = 0;

	for (size_t i = 0; i < sc->nt && !err; i++) {
		const struct tok *t = &sc->t[i];

		if (t->kind == '#' && depth == 0 && i == c.t0) {
			err = end_decl(sc, &c, i + 1, false);
		} else if (t->kind == 'i') {
			const struct ident *id = &sc->ids[t->id];

			c.marked |= id->marks_root;
			if (depth == 0) {
				c.is_static |= is_word(t, "static");
				c.is_extern |= is_word(t, "extern");
				c.is_typedef |= is_word(t, "typedef");
			}
			if (is_word(t, "struct") || is_word(t, "union") || is_word(t, "enum"))
				c.tagkw = t;
			if (!id->kw)
				err = identifier(sc, &c, stack, depth, i);
		} else if (t->kind == 'p' && strchr("([{", t->s[0])) {
			if (depth == cap && grow((void **)&stack, &cap, sizeof(*stack)))
				err = -ENOMEM;
			else
				open_bracket(sc, &c, &stack[depth], depth, i);
			depth += !err;
		} else if (t->kind == 'p' && strchr(")]}", t->s[0])) {
			bool fn = depth && stack[depth - 1].fn_body;

			depth -= depth > 0;
			if (t->s[0] == '}')
				c.tagkw = NULL;
			if (fn && depth == 0)
				err = end_decl(sc, &c, i + 1, true);
		} else if (t->kind == 'p' && strchr(";=,", t->s[0])) {
			c.tagkw = NULL;
			c.eq |= depth == 0 && t->s[0] == '=';
			if (depth == 0 && t->s[0] == ';')
				err = end_decl(sc, &c, i + 1, false);
		}
	}
	if (!err && c.t0 < sc->nt)	/* an unterminated tail: keep it, as emitted */
		err = end_decl(sc, &(struct cur){ .t0 = c.t0, .marked = true,
						  .first_name = c.first_name }, sc->nt, false);
	free(stack);
	return err;
}

/* Does a __COUNTER__-numbered name start at @s (@n bytes left)? Its prefix length, or 0. */
static size_t counter_prefix(const char *s, size_t n)
{
	static const char *const prefixes[] = { "__UNIQUE_ID_", "__compiletime_assert_" };

	for (size_t i = 0; i < 2; i++) {
		size_t len = strlen(prefixes[i]);

		if (n > len && !memcmp(s, prefixes[i], len))
			return len;
	}
	return 0;
}

/* @h with the text @s (@n bytes), the numbers of __COUNTER__-numbered names left out. */
static uint64_t hash_text(uint64_t h, const char *s, size_t n)
{
	size_t i = 0, from = 0;

	while (i < n) {
		size_t p = counter_prefix(s + i, n - i), end, keep;

		if (!p || (i && hs_ctok_idch(s[i - 1]))) {
			i++;
			continue;
		}
		for (end = i + p; end < n && hs_ctok_idch(s[end]); end++)
			;
		for (keep = end; keep > i + p && isdigit((unsigned char)s[keep - 1]); keep--)
			;
		h = hs_hash64(h, s + from, keep - from);
		from = i = end;
	}
	return hs_hash64(h, s + from, n - from);
}

/*
 * The digest of a declaration's tokens. KBUILD_MODNAME's string is one
 * placeholder (see hs_csum_scan()). The numbers __COUNTER__ gives
 * (__UNIQUE_ID_*, __compiletime_assert_*, also inside the strings that
 * stringify them) are left out: a header that adds one use renumbers the
 * rest without changing what they are.
 */
static uint64_t decl_hash(const struct scan *sc, const struct decl *d)
{
	uint64_t h = HS_HASH_INIT;

	size_t mlen = sc->modname ? strlen(sc->modname) : 0;

	for (size_t i = d->t0; i < d->t1; i++) {
		const struct tok *t = &sc->t[i];

		if (mlen && t->kind == 's' && t->len == mlen && !memcmp(t->s, sc->modname, mlen))
			h = hs_hash64(h, "\"KBUILD_MODNAME\"", 16);
		else
			h = hash_text(h, t->s, t->len);
		h = hs_hash64(h, " ", 1);
	}
	return h;
}

static int cmp_name_ref(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id ? 1 : (x->decl > y->decl) - (x->decl < y->decl);
}

/* Mark the roots and everything a live declaration names, transitively. */
static int closure(struct scan *sc, bool *live)
{
	size_t *first = calloc(sc->nids + 1, sizeof(*first));
	uint32_t *queue = malloc((sc->nd + 1) * sizeof(*queue));
	size_t head = 0, tail = 0;

	if (!first || !queue) {
		free(first);
		free(queue);
		return -ENOMEM;
	}
	qsort(sc->nm, sc->nn, sizeof(*sc->nm), cmp_name_ref);
	for (size_t id = 0; id <= sc->nids; id++)
		first[id] = sc->nn;	/* none */
	for (size_t i = sc->nn; i > 0; i--)	/* first[id]: where id's names start */
		first[sc->nm[i - 1].id] = i - 1;
	for (size_t i = 0; i < sc->nd; i++)
		if ((live[i] = sc->d[i].root))
			queue[tail++] = (uint32_t)i;
	while (head < tail) {
		const struct decl *d = &sc->d[queue[head++]];

		for (size_t i = d->t0; i < d->t1; i++) {
			uint32_t id = sc->t[i].id;

			if (id == NO_ID || sc->ids[id].kw)
				continue;
			for (size_t k = first[id]; k < sc->nn && sc->nm[k].id == id; k++)
				if (!live[sc->nm[k].decl]) {
					live[sc->nm[k].decl] = true;
					queue[tail++] = sc->nm[k].decl;
				}
		}
	}
	free(first);
	free(queue);
	return 0;
}

static void scan_free(struct scan *sc)
{
	free(sc->t);
	free(sc->ids);
	free(sc->tab);
	free(sc->d);
	free(sc->nm);
	free(sc->files);
	free(sc->macros);
}

/* The origins, each with the digest of its declarations' digests in order; the macros. */
static int origins_and_macros(const struct scan *sc, struct hs_csum *out)
{
	out->origins = calloc(sc->nfiles + 1, sizeof(*out->origins));
	out->macros = calloc(sc->nmacros + 1, sizeof(*out->macros));
	if (!out->origins || !out->macros)
		return -ENOMEM;
	for (size_t i = 0; i < sc->nfiles; i++) {
		out->origins[i].digest = HS_HASH_INIT;
		if (!(out->origins[out->norigins++].path = strndup(sc->files[i].s, sc->files[i].len)))
			return -ENOMEM;
	}
	for (size_t i = 0; i < out->n; i++)
		if (out->d[i].origin != NO_ID)
			out->origins[out->d[i].origin].digest =
				hs_hash64(out->origins[out->d[i].origin].digest, &out->d[i].hash, 8);
	for (size_t i = 0; i < sc->nmacros; i++)
		if (!(out->macros[out->nmacros++] = strndup(sc->macros[i].s, sc->macros[i].len)))
			return -ENOMEM;
	qsort(out->macros, out->nmacros, sizeof(char *), hs_strv_cmp);
	return 0;
}

static int summarize(struct scan *sc, struct hs_csum *out)
{
	bool *live = calloc(sc->nd + 1, sizeof(*live));
	int err = live ? closure(sc, live) : -ENOMEM;

	out->d = err ? NULL : calloc(sc->nd + 1, sizeof(*out->d));
	if (!err && !out->d)
		err = -ENOMEM;
	for (size_t i = 0; !err && i < sc->nd; i++) {
		const struct decl *d = &sc->d[i];
		struct hs_cdecl *o = &out->d[out->n++];

		o->hash = decl_hash(sc, d);
		o->live = live[i];
		o->aggregate = d->aggregate;
		o->origin = sc->t[d->t0].origin;
		if (d->first_name != NO_ID &&
		    !(o->name = strndup(sc->ids[d->first_name].s, sc->ids[d->first_name].len)))
			err = -ENOMEM;
	}
	free(live);
	return err ?: origins_and_macros(sc, out);
}

bool hs_csum_uses_macro(const struct hs_csum *s, const char *name)
{
	return s->nmacros && bsearch(&name, s->macros, s->nmacros, sizeof(char *), hs_strv_cmp);
}

int hs_csum_scan(const char *text, size_t len, const char *modname, struct hs_csum *out)
{
	struct scan sc = { .modname = modname };
	int err;

	memset(out, 0, sizeof(*out));
	err = lex(&sc, text, text + len) ?: split(&sc) ?: summarize(&sc, out);
	scan_free(&sc);
	if (err)
		hs_csum_free(out);
	return err;
}
