// SPDX-License-Identifier: GPL-2.0
/*
 * release_needs.c - name, for a file refused because its new text does not
 * compile, the refused changes it needs.
 *
 * A file that needs a partner's change compiles only with it: when the
 * partner is refused (a struct it extends changes its layout, a function
 * it calls goes with a refused file), the file is refused for a compile
 * error ("'struct nullb_device' has no member named 'shared_tags'"), true
 * but not the reason. Its reason is the refused change it needs: a refused
 * header it includes (the #include index), or a refused file whose diff
 * names one of the identifiers the compiler quoted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/create_base.h"
#include "build/release_priv.h"

#define MAX_IDS 8
#define MAX_NAMED 3

struct needs {
	char **diff;		/* per file: its diff, NULL until read */
	char ***users;		/* per refused header: its includers, NULL until read */
	int *nusers;
};

static bool is_header(const char *path)
{
	size_t n = strlen(path);

	return n > 2 && !strcmp(path + n - 2, ".h");
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool is_keyword(const char *w, size_t len)
{
	static const char *const keywords[] = {
		"struct", "union", "enum", "const", "volatile", "unsigned", "signed", "int",
		"long", "short", "char", "void", "bool", "_Bool", "aka", "sizeof", "typeof",
		"inline", "static", "extern",
	};

	for (size_t k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++)
		if (strlen(keywords[k]) == len && !strncmp(keywords[k], w, len))
			return true;
	return false;
}

/* The length of the quote (gcc's \u2018 \u2019 in a UTF-8 locale, ' otherwise) at @p, or 0. */
static size_t quote_at(const char *p, bool open)
{
	const char *q = open ? "\u2018" : "\u2019";

	if (*p == '\'')
		return 1;
	return strncmp(p, q, strlen(q)) ? 0 : strlen(q);
}

/*
 * The identifiers the compiler quoted in @s after its first "error: " (no C
 * keywords), at most MAX_IDS, once each.
 */
static size_t quoted_ids(const char *s, char ids[][128])
{
	const char *p = strstr(s, "error: "), *stop;
	size_t n = 0, q;

	/* the first error only: then come the run with the others, and file names */
	stop = p ? strstr(p, "; with the other changes too") : NULL;
	stop = stop ? stop : p ? p + strlen(p) : NULL;
	while (p && p < stop && n < MAX_IDS) {
		const char *end;

		if (!(q = quote_at(p, true))) {
			p++;
			continue;
		}
		for (end = p += q; end < stop && !quote_at(end, false); end++)
			;
		for (const char *w = p; w < end && n < MAX_IDS;) {
			size_t len = 0, k;

			while (w < end && !is_word(*w))
				w++;
			while (w + len < end && is_word(w[len]))
				len++;
			/* names, not the letters and numbers of a type or an expression */
			if (len >= 3 && len < 128 && !(*w >= '0' && *w <= '9') && !is_keyword(w, len)) {
				snprintf(ids[n], 128, "%.*s", (int)len, w);
				for (k = 0; k < n && strcmp(ids[k], ids[n]); k++)
					;
				n += k == n;
			}
			w += len;
		}
		p = end < stop ? end + quote_at(end, false) : stop;
	}
	return n;
}

/* Does a changed line of @diff name @id as a whole word? */
static bool diff_names(const char *diff, const char *id)
{
	size_t n = strlen(id);

	for (const char *l = diff; l && *l; l = strchr(l, '\n'), l += l ? 1 : 0) {
		size_t len = strcspn(l, "\n");

		if ((l[0] != '+' && l[0] != '-') || !strncmp(l, "+++ ", 4) || !strncmp(l, "--- ", 4))
			continue;
		for (const char *p = l + 1; p && p + n <= l + len; p++) {
			p = memmem(p, (size_t)(l + len - p), id, n);
			if (!p)
				break;
			if ((p == l + 1 || !is_word(p[-1])) && (p + n == l + len || !is_word(p[n])))
				return true;
		}
	}
	return false;
}

static const char *diff_of(struct release *r, struct needs *nd, size_t i)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (nd->diff[i])
		return nd->diff[i];
	f = open_memstream(&text, &len);
	if (!f)
		return "";
	if (hs_diff_u(r->ctx, r->o->source, r->new_src, r->f[i].path, f)) {
		fclose(f);
		free(text);
		return "";
	}
	fclose(f);
	return nd->diff[i] = text;
}

/* Does the refused header @h reach the .c file @c (its includers, read once)? */
static bool header_reaches(struct release *r, struct needs *nd, size_t h, const char *c)
{
	if (!nd->users[h] && nd->nusers[h] == 0) {
		nd->nusers[h] = hs_kbuild_includers(&r->kb, r->f[h].path, &nd->users[h]);
		if (nd->nusers[h] <= 0)
			nd->nusers[h] = -1;
	}
	for (int k = 0; k < nd->nusers[h]; k++)
		if (!strcmp(nd->users[h][k], c))
			return true;
	return false;
}

/* Prepend to @f's detail the refused changes it needs, named in @list (@n of them). */
static void prepend(struct rfile *f, const char *list, size_t n)
{
	char old[sizeof(f->detail)];
	size_t len, keep;

	memcpy(old, f->detail, sizeof(old));
	len = (size_t)snprintf(f->detail, sizeof(f->detail), "needs the change%s of refused %s: ",
			       n > 1 ? "s" : "", list);
	if (len >= sizeof(f->detail) - 1)
		return;
	keep = strnlen(old, sizeof(old));
	if (keep > sizeof(f->detail) - 1 - len)
		keep = sizeof(f->detail) - 1 - len;	/* the report cuts a character cut here */
	memcpy(f->detail + len, old, keep);
	f->detail[len + keep] = 0;
}

static void note_one(struct release *r, struct needs *nd, size_t i)
{
	char ids[MAX_IDS][128], list[400] = "";
	size_t nids = quoted_ids(r->f[i].detail, ids), named = 0, len = 0;

	for (size_t g = 0; g < r->n; g++) {
		bool needed = false;

		if (g == i || r->f[g].v != V_REFUSED)
			continue;
		if (is_header(r->f[g].path) && !is_header(r->f[i].path))
			needed = header_reaches(r, nd, g, r->f[i].path);
		for (size_t k = 0; !needed && k < nids; k++)
			needed = diff_names(diff_of(r, nd, g), ids[k]);
		if (!needed)
			continue;
		if (named < MAX_NAMED)
			len += snprintf(list + len, sizeof(list) - len, "%s'%s'", named ? ", " : "",
					r->f[g].path);
		named++;
	}
	if (named > MAX_NAMED)
		snprintf(list + len, sizeof(list) - len, " and %zu more", named - MAX_NAMED);
	if (named)
		prepend(&r->f[i], list, named);
	r->f[i].needs_noted = true;
}

void hs_release_note_needs(struct release *r)
{
	struct needs nd = { calloc(r->n, sizeof(char *)), calloc(r->n, sizeof(char **)),
			    calloc(r->n, sizeof(int)) };

	for (size_t i = 0; nd.diff && nd.users && nd.nusers && i < r->n; i++)
		if (r->f[i].v == V_REFUSED && !r->f[i].needs_noted &&
		    strstr(r->f[i].detail, "post compile failed"))
			note_one(r, &nd, i);
	for (size_t i = 0; i < r->n; i++) {
		free(nd.diff ? nd.diff[i] : NULL);
		for (int k = 0; nd.users && nd.nusers && k < nd.nusers[i]; k++)
			free(nd.users[i][k]);
		free(nd.users ? nd.users[i] : NULL);
	}
	free(nd.diff);
	free(nd.users);
	free(nd.nusers);
}
