// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_names_parse.c - the names a patch's change to one header defines or
 * declares, or why the change is not names-only (see kbuild_names.c for how
 * they are used and why that is sound).
 *
 * Both versions of the header (the old one from the tree, the new one made
 * from it and the patch's hunks) are split into top-level items: a #define
 * with its continuation lines, a conditional directive, a declaration up to
 * its ';', a function definition up to its closing brace. The items the
 * patch adds, removes or changes give the set N of names they define or
 * declare: a macro, a function, a struct/union/enum tag and its enumerators
 * (also those defined inside a struct's body, which C puts at file scope),
 * a typedef or variable; every identifier of an item that starts like a
 * macro call (DECLARE_PER_CPU(...);). A change that adds an #include,
 * changes part of a conditional block, emits code in every includer (top-
 * level asm, __used, a definition with external linkage), or anything not
 * classified, is not names-only: the caller then does what it did before.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/ctok.h"
#include "build/kbuild_priv.h"

struct tok {
	uint32_t off, len, line;	/* line from 1 */
	char kind;	/* 'i'dent, 'n'umber, 's'tring, 'p'unct, '#' directive, 'e' its end */
};

enum ikind { I_DECL, I_DEFINE, I_UNDEF, I_IF, I_ELSE, I_ENDIF, I_INCLUDE, I_OTHER };

struct item {
	size_t t0, nt;		/* its tokens */
	uint32_t l0, l1;	/* its first and last line */
	enum ikind kind;
	bool fn;		/* a function definition */
	bool changed;
	uint64_t hash;
};

/* One version of the header. */
struct ver {
	const char *s;
	size_t len;
	struct tok *t;
	size_t nt, tcap;
	struct item *it;
	size_t nit, icap;
	bool *mark;		/* [line]: added (new) or removed (old) by the patch */
	bool *gap;		/* [line]: the other version has lines right after it */
	bool *dead;		/* [line]: left out by the configuration, blanked (or NULL) */
};

/* Attribute macros: never what a declaration declares. */
static const char *const attrs[] = {
	"____cacheline_aligned", "____cacheline_aligned_in_smp", "__acquires", "__aligned",
	"__alloc_size", "__always_inline", "__always_unused", "__assume_aligned",
	"__attribute_const__", "__cacheline_aligned", "__cacheline_aligned_in_smp", "__cleanup",
	"__cold", "__compiletime_error", "__compiletime_warning", "__cond_acquires",
	"__deprecated", "__designated_init", "__exit", "__force", "__init", "__initconst",
	"__initdata", "__iomem", "__kernel", "__latent_entropy", "__malloc", "__maybe_unused",
	"__must_check", "__must_hold", "__no_randomize_layout", "__nocfi", "__noreturn",
	"__packed", "__percpu", "__printf", "__pure", "__randomize_layout", "__rcu",
	"__read_mostly", "__releases", "__ro_after_init", "__scanf", "__section", "__user",
	"__weak", "asmlinkage", "noinline", "noinstr", "notrace",
};

/* Tokens that make a declaration emit code or data in every includer. */
static const char *const emitters[] = {
	"_Pragma", "__used", "__visible", "constructor", "destructor", "externally_visible",
	"retain", "used",
};

static const char *const storage[] = {
	"__always_inline", "__inline", "__inline__", "extern", "inline", "static", "typedef",
};


static int push_tok(struct ver *v, char kind, size_t off, size_t len, uint32_t line)
{
	if (v->nt == v->tcap) {
		size_t cap = v->tcap ? v->tcap * 2 : 1024;
		struct tok *t = realloc(v->t, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		v->t = t;
		v->tcap = cap;
	}
	v->t[v->nt++] = (struct tok){ (uint32_t)off, (uint32_t)len, line, kind };
	return 0;
}

/* Tokens of @v, comments dropped; a directive is '#' ... 'e'. */
static int lex(struct ver *v)
{
	const char *s = v->s;
	size_t n = v->len, i = 0;
	uint32_t line = 1;
	bool bol = true, dir = false;
	int err = 0;

	while (!err && i < n) {
		char c = s[i], kind;
		size_t j;

		if (c == '\n' || (c == '\\' && i + 1 < n && s[i + 1] == '\n')) {
			if (c == '\n' && dir)
				err = push_tok(v, 'e', i, 0, line);
			dir = dir && c != '\n';
			bol = bol || c == '\n';
			line++;
			i += c == '\n' ? 1 : 2;
		} else if (isspace((unsigned char)c)) {
			i++;
		} else if (c == '/' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '/')) {
			const char *e = s[i + 1] == '*' ? memmem(s + i + 2, n - i - 2, "*/", 2)
							: memchr(s + i, '\n', n - i);

			j = !e ? n : s[i + 1] == '*' ? (size_t)(e - s) + 2 : (size_t)(e - s);
			for (; i < j && i < n; i++)
				line += s[i] == '\n';
		} else if (c == '#' && bol) {
			err = push_tok(v, '#', i++, 1, line);
			dir = true;
			bol = false;
		} else {
			uint32_t l0 = line;

			j = hs_ctok_end(s, n, i, &line, &kind);
			err = push_tok(v, kind, i, j - i, l0);
			bol = false;
			i = j;
		}
	}
	return err ?: dir ? push_tok(v, 'e', n, 0, line) : 0;
}

static bool tok_is(const struct ver *v, size_t i, const char *w)
{
	return i < v->nt && v->t[i].len == strlen(w) && !memcmp(v->s + v->t[i].off, w, v->t[i].len);
}

static bool tok_in(const struct ver *v, size_t i, const char *const *l, size_t n)
{
	return i < v->nt && v->t[i].kind == 'i' && hs_ctok_in(l, n, v->s + v->t[i].off, v->t[i].len);
}

#define TOK_IN(v, i, list) tok_in(v, i, list, sizeof(list) / sizeof(list[0]))

static bool tok_keyword(const struct ver *v, size_t i)
{
	return i < v->nt && v->t[i].kind == 'i' && hs_ctok_keyword(v->s + v->t[i].off, v->t[i].len);
}

static bool is_name(const struct ver *v, size_t i)
{
	return i < v->nt && v->t[i].kind == 'i' && !tok_keyword(v, i) && !TOK_IN(v, i, attrs);
}

static enum ikind dir_kind(const struct ver *v, size_t i)
{
	static const struct { const char *w; enum ikind k; } d[] = {
		{ "define", I_DEFINE }, { "undef", I_UNDEF }, { "if", I_IF }, { "ifdef", I_IF },
		{ "ifndef", I_IF }, { "elif", I_ELSE }, { "else", I_ELSE }, { "endif", I_ENDIF },
		{ "include", I_INCLUDE }, { "include_next", I_INCLUDE },
	};

	for (size_t k = 0; k < sizeof(d) / sizeof(d[0]); k++)
		if (tok_is(v, i + 1, d[k].w))
			return d[k].k;
	return I_OTHER;
}

static int push_item(struct ver *v, size_t t0, size_t t1, enum ikind kind, bool fn)
{
	struct item *it = v->it;
	uint64_t h = HS_HASH_INIT;

	if (v->nit == v->icap && !(it = realloc(v->it, (v->icap = v->icap * 2 + 64) * sizeof(*it))))
		return -ENOMEM;
	v->it = it;
	for (size_t i = t0; i <= t1; i++)
		h = hs_hash64(hs_hash64(h, v->s + v->t[i].off, v->t[i].len), " ", 1);
	it[v->nit++] = (struct item){ t0, t1 - t0 + 1, v->t[t0].line, v->t[t1].line, kind, fn,
				      false, h };
	return 0;
}

/* Index of the '(' matching the ')' at @i, or SIZE_MAX. */
static size_t open_paren(const struct ver *v, size_t from, size_t i)
{
	for (int depth = 0; i + 1 > from; i--) {
		depth += tok_is(v, i, ")") - tok_is(v, i, "(");
		if (!depth)
			return i;
	}
	return SIZE_MAX;
}

/* Whether the '{' at @i opens a struct/union/enum body or an initializer. */
static bool aggregate(const struct ver *v, size_t start, size_t i)
{
	size_t j = i - 1;

	for (size_t k = start; k < i; k++)
		if (tok_is(v, k, "="))
			return true;
	while (j + 1 > start) {
		size_t k;

		if (tok_is(v, j, "struct") || tok_is(v, j, "union") || tok_is(v, j, "enum"))
			return true;
		if (v->t[j].kind == 'i')
			j--;
		else if (tok_is(v, j, ")") && (k = open_paren(v, start, j)) != SIZE_MAX && k > start &&
			 (TOK_IN(v, k - 1, attrs) || tok_keyword(v, k - 1)))
			j = k - 2;
		else
			return false;
	}
	return false;
}

/* A macro call with no ';' ends at its ')' when the next line starts another item. */
static bool call_ends(const struct ver *v, size_t start, size_t i)
{
	return is_name(v, start) && tok_is(v, start + 1, "(") && i + 1 < v->nt &&
	       v->t[i + 1].line > v->t[i].line &&
	       (v->t[i + 1].kind == '#' || (is_name(v, i + 1) && tok_is(v, i + 2, "(")));
}

/* Split @v's tokens into top-level items. Returns 0, -ENOMEM or 1 (unbalanced). */
static int split(struct ver *v)
{
	size_t start = SIZE_MAX;
	int brace = 0, paren = 0, err = 0;
	bool fn = false;

	for (size_t i = 0; !err && i < v->nt; i++) {
		size_t e = i;
		char c;

		if (v->t[i].kind == '#') {
			while (v->t[e].kind != 'e')
				e++;
			if (start != SIZE_MAX && !brace && !paren) {
				err = push_item(v, start, i - 1, I_DECL, false);
				start = SIZE_MAX;
			}
			if (start == SIZE_MAX && e > i + 1)
				err = err ?: push_item(v, i, e, dir_kind(v, i), false);
			i = e;
			continue;
		}
		if (start == SIZE_MAX) {
			start = i;
			fn = false;
		}
		c = v->t[i].kind == 'p' ? v->s[v->t[i].off] : 0;
		paren += (c == '(') - (c == ')');
		if (c == '{' && !brace++ && !paren)
			fn = !aggregate(v, start, i);
		brace -= c == '}';
		if (brace < 0 || paren < 0)
			return 1;
		if ((c == ';' && !brace && !paren) || (c == '}' && !brace && !paren && fn) ||
		    (c == ')' && !brace && !paren && call_ends(v, start, i))) {
			err = push_item(v, start, i, I_DECL, c == '}');
			start = SIZE_MAX;
		}
	}
	if (!err && start != SIZE_MAX)
		err = brace || paren ? 1 : push_item(v, start, v->nt - 1, I_DECL, false);
	return err;
}

/* The patch's effect on one header: both versions and what N is made of. */
struct change {
	struct ver v[2];	/* old, new */
	struct hs_strv names;	/* N */
	struct hs_strv kept;	/* identifiers of the items the patch leaves alone */
	char *why;		/* HS_KBUILD_WHY bytes */
	char *text;		/* the new version's text */
	char *old;		/* the old version's text, the lines the configuration leaves out blank */
};

__attribute__((format(printf, 2, 3)))
static int bail(struct change *ch, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ch->why, HS_KBUILD_WHY, fmt, ap);
	va_end(ap);
	return 1;
}

static int push_tok_text(struct hs_strv *sv, const struct ver *v, size_t i)
{
	return hs_strv_push(sv, v->s + v->t[i].off, v->t[i].len);
}

/* The tokens [*@from, *@to) of the body of @v's #define of @name, if there is one. */
static bool define_body(const struct ver *v, const char *name, size_t len, size_t *from,
			size_t *to)
{
	for (size_t k = 0; k < v->nit; k++) {
		const struct item *it = &v->it[k];
		size_t a = it->t0 + 2;

		if (it->kind != I_DEFINE || v->t[a].len != len || memcmp(v->s + v->t[a].off, name, len))
			continue;
		*from = a + 1;
		*to = it->t0 + it->nt;
		return true;
	}
	return false;
}

static bool has_paste(const struct ver *v, size_t from, size_t to)
{
	for (size_t i = from; i + 1 < to; i++)
		if (tok_is(v, i, "#") && tok_is(v, i + 1, "#"))
			return true;
	return false;
}

/* Whether @v's macro @name pastes tokens (##), itself or through another macro of @v. */
static bool pastes(const struct ver *v, const char *name, size_t len)
{
	size_t a, b, c, d;

	if (!define_body(v, name, len, &a, &b))
		return false;
	for (size_t i = a; i < b; i++)
		if (v->t[i].kind == 'i' && define_body(v, v->s + v->t[i].off, v->t[i].len, &c, &d) &&
		    has_paste(v, c, d))
			return true;
	return has_paste(v, a, b);
}

/* An item that starts like a macro call: every identifier it has. */
static int call_names(struct change *ch, const struct ver *v, const struct item *it)
{
	size_t b = it->t0 + it->nt;
	int err = 0, paren = 0;

	for (size_t i = it->t0; i < b; i++) {
		paren += tok_is(v, i, "(") - tok_is(v, i, ")");
		if (!paren && is_name(v, i) && tok_is(v, i + 1, "(") &&
		    (pastes(&ch->v[0], v->s + v->t[i].off, v->t[i].len) ||
		     pastes(&ch->v[1], v->s + v->t[i].off, v->t[i].len)))
			return bail(ch, "line %u: macro '%.*s' of the header pastes names together",
				    it->l0, (int)v->t[i].len, v->s + v->t[i].off);
	}
	for (size_t i = it->t0; !err && i < b; i++)
		if (v->t[i].kind == 'i' && !tok_keyword(v, i))
			err = push_tok_text(&ch->names, v, i);
	return err;
}

static size_t close_paren(const struct ver *v, size_t i, size_t b)
{
	for (int depth = 0; i < b; i++) {
		depth += tok_is(v, i, "(") - tok_is(v, i, ")");
		if (!depth)
			return i;
	}
	return b;
}

/* The tag after the struct/union/enum at @k when defined or declared, and enumerators. */
static int tag_names(struct change *ch, const struct ver *v, size_t a, size_t k, size_t b)
{
	size_t m = k + 1;
	int err = 0, depth = 0;

	while (m < b && (TOK_IN(v, m, attrs) || tok_is(v, m, "__attribute__")))
		m = tok_is(v, m + 1, "(") ? close_paren(v, m + 1, b) + 1 : m + 1;
	if (is_name(v, m) && (tok_is(v, m + 1, "{") || (k == a && m + 2 == b && tok_is(v, m + 1, ";"))))
		err = push_tok_text(&ch->names, v, m);
	m += is_name(v, m);
	if (!tok_is(v, m, "{") || !tok_is(v, k, "enum"))
		return err;
	for (size_t i = m + 1; !err && i < b && depth >= 0; i++) {
		depth += tok_is(v, i, "(") + tok_is(v, i, "{") - tok_is(v, i, ")") - tok_is(v, i, "}");
		if (!depth && is_name(v, i) && (tok_is(v, i - 1, "{") || tok_is(v, i - 1, ",")))
			err = push_tok_text(&ch->names, v, i);
	}
	return err;
}

static bool no_lower(const struct ver *v, size_t i)
{
	for (size_t k = 0; k < v->t[i].len; k++)
		if (islower((unsigned char)v->s[v->t[i].off + k]))
			return false;
	return true;
}

static bool is_tag_kw(const struct ver *v, size_t i)
{
	return tok_is(v, i, "struct") || tok_is(v, i, "union") || tok_is(v, i, "enum");
}

/* An identifier declared by the declarator it ends (x; x, x= x[ x: (*x)( (*x)[). */
static bool declarator(const struct ver *v, size_t i, int paren)
{
	const char *next = i + 1 < v->nt ? v->s + v->t[i + 1].off : "";

	if (!is_name(v, i) || (i && is_tag_kw(v, i - 1)) || v->t[i + 1].kind != 'p')
		return false;
	if (!paren)
		return strchr(";,=[:", *next);
	return paren == 1 && *next == ')' && (tok_is(v, i + 2, "(") || tok_is(v, i + 2, "["));
}

/* How the items of one declaration first look: storage, definitions, calls. */
struct decl_shape {
	bool local, def, upper;
	size_t ncalls, call;
};

static int decl_shape(struct change *ch, const struct ver *v, const struct item *it,
		      struct decl_shape *d)
{
	int brace = 0, paren = 0;

	*d = (struct decl_shape){ .def = it->fn, .call = SIZE_MAX };
	for (size_t i = it->t0; i < it->t0 + it->nt; i++) {
		if (!brace && TOK_IN(v, i, emitters))
			return bail(ch, "line %u: '%.*s' puts it in every includer's object", it->l0,
				    (int)v->t[i].len, v->s + v->t[i].off);
		d->local = d->local || (!brace && TOK_IN(v, i, storage));
		d->def = d->def || (!brace && !paren && tok_is(v, i, "="));
		if (!brace && !paren && is_name(v, i) && tok_is(v, i + 1, "(")) {
			d->ncalls++;
			d->call = i;
			d->upper = d->upper || no_lower(v, i);
		}
		brace += tok_is(v, i, "{") - tok_is(v, i, "}");
		paren += tok_is(v, i, "(") - tok_is(v, i, ")");
	}
	return 0;
}

/* What a declaration item defines or declares, into ch->names (see the top comment). */
static int decl_names(struct change *ch, const struct ver *v, const struct item *it)
{
	size_t a = it->t0, b = it->t0 + it->nt, n0 = ch->names.n;
	struct decl_shape d;
	int brace = 0, paren = 0, err;

	if (it->nt == 1 && tok_is(v, a, ";"))
		return 0;
	if (tok_is(v, a, "asm") || tok_is(v, a, "__asm__") || tok_is(v, a, "__asm"))
		return bail(ch, "line %u: top-level asm", it->l0);
	err = decl_shape(ch, v, it, &d);
	if (err)
		return err;
	if ((is_name(v, a) && tok_is(v, a + 1, "(")) || d.ncalls > 1 || d.upper)
		return call_names(ch, v, it);
	if (d.call != SIZE_MAX)
		err = push_tok_text(&ch->names, v, d.call);
	for (size_t i = a; !err && i < b; i++) {
		/* a tag or enumerator defined in a struct's body is at file scope too */
		if ((!brace || !it->fn) && is_tag_kw(v, i))
			err = tag_names(ch, v, a, i, b);
		else if (!brace && declarator(v, i, paren))
			err = d.local ? push_tok_text(&ch->names, v, i) : bail(ch,
				"line %u: defines '%.*s' in every includer", it->l0,
				(int)v->t[i].len, v->s + v->t[i].off);
		brace += tok_is(v, i, "{") - tok_is(v, i, "}");
		paren += tok_is(v, i, "(") - tok_is(v, i, ")");
	}
	if (!err && d.def && !d.local)
		return bail(ch, "line %u: a definition every includer would emit", it->l0);
	if (!err && ch->names.n == n0)
		return bail(ch, "line %u: cannot tell what it declares", it->l0);
	return err;
}

/* Directives inside a declaration (an enum's #define): they define names too. */
static int inner_directives(struct change *ch, const struct ver *v, const struct item *it)
{
	int err = 0;

	for (size_t i = it->t0; !err && i < it->t0 + it->nt; i++) {
		enum ikind k = v->t[i].kind == '#' ? dir_kind(v, i) : I_DECL;

		if (k == I_INCLUDE || k == I_OTHER)
			return bail(ch, "line %u: an #include or other directive inside a "
				    "declaration changes", v->t[i].line);
		if ((k == I_DEFINE || k == I_UNDEF) && v->t[i + 2].kind == 'i')
			err = push_tok_text(&ch->names, v, i + 2);
	}
	return err;
}

static int item_names(struct change *ch, const struct ver *v, const struct item *it)
{
	switch (it->kind) {
	case I_DECL:
		return inner_directives(ch, v, it) ?: decl_names(ch, v, it);
	case I_DEFINE:
	case I_UNDEF:
		if (v->t[it->t0 + 2].kind != 'i')
			return bail(ch, "line %u: a #define without a name", it->l0);
		return push_tok_text(&ch->names, v, it->t0 + 2);
	case I_INCLUDE:
		return bail(ch, "line %u: an #include changes", it->l0);
	case I_OTHER:
		return bail(ch, "line %u: a '#%.*s' line changes", it->l0,
			    (int)v->t[it->t0 + 1].len, v->s + v->t[it->t0 + 1].off);
	default:
		return 0;	/* conditionals: see check_conds() */
	}
}

/* Mark @v's items that hold a changed line or span lines the other version inserts. */
static void mark_items(struct ver *v)
{
	for (size_t k = 0; k < v->nit; k++) {
		struct item *it = &v->it[k];

		for (uint32_t l = it->l0; !it->changed && l <= it->l1; l++)
			it->changed = v->mark[l] || (l < it->l1 && v->gap[l]);
	}
}

/*
 * Between two unchanged items, the changed items of both versions are
 * compared: the same tokens in the same order are no change (a comment or
 * spacing inside them changed). The unchanged items must pair up.
 */
static int compare(struct change *ch)
{
	struct ver *o = &ch->v[0], *n = &ch->v[1];
	size_t i = 0, j = 0;

	for (;;) {
		size_t i1 = i, j1 = j;
		bool same;

		while (i1 < o->nit && o->it[i1].changed)
			i1++;
		while (j1 < n->nit && n->it[j1].changed)
			j1++;
		same = i1 - i == j1 - j;
		for (size_t k = 0; same && k < i1 - i; k++)
			same = o->it[i + k].hash == n->it[j + k].hash;
		for (size_t k = 0; same && k < i1 - i; k++)
			o->it[i + k].changed = n->it[j + k].changed = false;
		if (i1 == o->nit || j1 == n->nit)
			return i1 == o->nit && j1 == n->nit ? 0 :
			       bail(ch, "the unchanged parts of the header do not pair up");
		if (o->it[i1].hash != n->it[j1].hash)
			return bail(ch, "line %u: the unchanged parts of the header do not pair up",
				    o->it[i1].l0);
		i = i1 + 1;
		j = j1 + 1;
	}
}

/*
 * A conditional block with a changed directive must be added or removed as a
 * whole (but for its lines the configuration leaves out, which no unit sees).
 */
static int check_conds(struct change *ch, const struct ver *v)
{
	size_t stack[64], depth = 0;
	bool touched[64];

	for (size_t k = 0; k < v->nit; k++) {
		const struct item *it = &v->it[k];

		if (it->kind == I_IF) {
			if (depth == 64)
				return bail(ch, "line %u: conditionals nest too deep", it->l0);
			touched[depth] = it->changed;
			stack[depth++] = k;
		} else if ((it->kind == I_ELSE || it->kind == I_ENDIF) && !depth) {
			return bail(ch, "line %u: unbalanced conditional", it->l0);
		} else if (it->kind == I_ELSE) {
			touched[depth - 1] |= it->changed;
		} else if (it->kind == I_ENDIF && (touched[--depth] || it->changed)) {
			for (uint32_t l = v->it[stack[depth]].l0; l <= it->l1; l++)
				if (!v->mark[l] && !(v->dead && v->dead[l]))
					return bail(ch, "line %u: the patch changes part of the "
						    "conditional block at line %u", l,
						    v->it[stack[depth]].l0);
		}
	}
	return depth ? bail(ch, "unbalanced conditional") : 0;
}

/* N from the changed items of both versions; kept from the old version's others. */
static int collect(struct change *ch)
{
	int err = 0;

	for (int s = 0; s < 2; s++) {
		const struct ver *v = &ch->v[s];

		for (size_t k = 0; !err && k < v->nit; k++) {
			const struct item *it = &v->it[k];

			if (it->changed)
				err = item_names(ch, v, it);
			for (size_t i = it->t0; !err && !s && !it->changed && i < it->t0 + it->nt; i++)
				if (v->t[i].kind == 'i')
					err = push_tok_text(&ch->kept, v, i);
		}
	}
	hs_strv_sort_uniq(&ch->names);
	hs_strv_sort_uniq(&ch->kept);
	return err;
}

static int parse(struct change *ch, struct ver *v)
{
	int err = lex(v);

	err = err ?: split(v);
	if (err == 1)
		return bail(ch, "unbalanced braces or parentheses in the %s version",
			    v == ch->v ? "old" : "new");
	mark_items(v);
	return err;
}

/*
 * Blank the lines of @v that @cfg leaves out (cppcond.h: in no unit of this
 * configuration are they compiled) and forget the patch's marks on them: a
 * change only there changes nothing (v->dead says which they are, for
 * check_conds()). @text is @v's own copy of its text.
 */
static int leave_out(const struct hs_cppcfg *cfg, struct ver *v, char *text)
{
	bool *dead;
	size_t n;

	if (hs_cpp_blank_dead(cfg, text, v->len, &dead, &n))
		return -ENOMEM;
	v->dead = calloc(n + 2, sizeof(bool));
	for (size_t k = 0; v->dead && k < n; k++)
		if (dead[k]) {
			v->mark[k + 1] = v->gap[k + 1] = false;
			v->dead[k + 1] = true;
		}
	free(dead);
	return v->dead ? 0 : -ENOMEM;
}

static int analyse(struct change *ch, const struct hs_patch_file *f, const char *patch,
		   size_t patchlen, const struct hs_cppcfg *cfg)
{
	struct hs_kbuild_hunks r;
	int err = hs_kbuild_hunks_apply(ch->v[0].s, ch->v[0].len, f, patch, patchlen, &r, ch->why);

	ch->v[0].mark = r.old_mark;
	ch->v[0].gap = r.old_gap;
	ch->text = r.text;
	ch->v[1] = (struct ver){ .s = r.text, .len = r.len, .mark = r.new_mark, .gap = r.new_gap };
	if (!err && cfg && cfg->loaded) {
		ch->old = malloc(ch->v[0].len + 1);
		err = ch->old ? 0 : -ENOMEM;
		if (!err) {
			memcpy(ch->old, ch->v[0].s, ch->v[0].len);
			ch->old[ch->v[0].len] = 0;
			ch->v[0].s = ch->old;
		}
		err = err ?: leave_out(cfg, &ch->v[0], ch->old);
		err = err ?: leave_out(cfg, &ch->v[1], ch->text);
	}
	err = err ?: parse(ch, &ch->v[0]);
	err = err ?: parse(ch, &ch->v[1]);
	err = err ?: compare(ch);
	err = err ?: check_conds(ch, &ch->v[0]);
	err = err ?: check_conds(ch, &ch->v[1]);
	return err ?: collect(ch);
}

static void change_free(struct change *ch)
{
	for (int s = 0; s < 2; s++) {
		free(ch->v[s].t);
		free(ch->v[s].it);
		free(ch->v[s].mark);
		free(ch->v[s].gap);
		free(ch->v[s].dead);
	}
	free(ch->text);
	free(ch->old);
}

int hs_kbuild_names_of(const char *old, size_t oldlen, const char *patch, size_t patchlen,
		       const struct hs_patch_file *f, const struct hs_cppcfg *cfg,
		       struct hs_kbuild_names *out)
{
	struct change ch = { .v[0] = { .s = old, .len = oldlen }, .why = out->why };
	int err;

	memset(out, 0, sizeof(*out));
	if (f->is_new || f->is_deleted || f->is_rename || f->is_copy || f->is_binary)
		err = bail(&ch, "the header is %s", f->is_new ? "new" : f->is_deleted ? "deleted" :
			   f->is_binary ? "binary" : "renamed or copied");
	else
		err = analyse(&ch, f, patch, patchlen, cfg);
	change_free(&ch);
	out->ok = !err;
	out->n = ch.names.n;
	out->names = ch.names.v;
	out->nkept = ch.kept.n;
	out->kept = ch.kept.v;
	if (err)
		hs_kbuild_names_free(out);
	return err < 0 ? err : 0;
}

void hs_kbuild_names_free(struct hs_kbuild_names *nm)
{
	struct hs_strv a = { nm->n, nm->n, nm->names }, b = { nm->nkept, nm->nkept, nm->kept };

	hs_strv_free(&a);
	hs_strv_free(&b);
	nm->n = nm->nkept = 0;
	nm->names = nm->kept = NULL;
}

/* The names searched for as whole words in the files of the tree. */
