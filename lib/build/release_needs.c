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
 * file, or a refused header it includes (the #include index), whose diff
 * changes a line naming what the compile error is about.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/create_base.h"
#include "build/release_priv.h"
#include "core/strv.h"

#define MAX_NAMED 3
#define LIST_SIZE 400	/* the names of MAX_NAMED files, quoted, cut if longer */

/* The name a compile error is about, and whether it is a member's. */
struct err_name {
	char id[128];
	bool member;
};

/* What the changed files' includers are, each read once per release. */
struct hs_release_needs {
	char ***users;		/* per changed file: its includers, NULL until read */
	int *nusers;
};

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
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
 * The name a compiler error is about, in @en: the last identifier quoted
 * right after one of gcc's phrases that name what a partner's change
 * provides (a member, a function, a macro, a type), or right before
 * " undeclared". False for any other error: a type, an expression or a
 * suggestion ("did you mean") names nothing a partner changes for sure.
 */
static bool error_id(const char *s, struct err_name *en)
{
	static const char *const before[] = {
		"has no member named ", "implicit declaration of function ",
		"conflicting types for ", "too many arguments to function ",
		"too few arguments to function ", "unknown type name ", "redefinition of ",
	};
	const char *e = strstr(s, "error: "), *q = NULL, *end;
	size_t open = 0, len = 0;

	if (!e)
		return false;
	e += 7;
	for (size_t k = 0; k < sizeof(before) / sizeof(before[0]) && !q; k++) {
		const char *at = strstr(e, before[k]);

		if (at && at < e + strcspn(e, ";") && (open = quote_at(at + strlen(before[k]), true))) {
			q = at + strlen(before[k]) + open;
			en->member = k == 0;
		}
	}
	if (!q && (open = quote_at(e, true)) && strstr(e, " undeclared")) {
		q = e + open;	/* "'X' undeclared (first use in this function)" */
		en->member = false;
	}
	if (!q)
		return false;
	for (end = q; *end && !quote_at(end, false); end++)
		;
	for (const char *w = end; w > q && is_word(w[-1]); w--)
		len++;
	if (len < 3 || len >= 128 || (end[-(long)len] >= '0' && end[-(long)len] <= '9'))
		return false;
	snprintf(en->id, sizeof(en->id), "%.*s", (int)len, end - len);
	return true;
}

/*
 * Could the occurrence @p (@n long) of a name, on the line [@l, @end), declare
 * a struct member? Not a use ("->x", ".x = "), a call ("x(") or a struct
 * tag ("struct x"): a carried header that calls might_sleep() does not give
 * 'struct bpf_func_proto' a member 'might_sleep' (6.1.192's bpf_lsm.c).
 */
static bool may_declare_member(const char *l, const char *end, const char *p, size_t n)
{
	const char *b = p, *a = p + n, *w;

	while (b > l && (b[-1] == ' ' || b[-1] == '\t'))
		b--;
	if (b > l && (b[-1] == '.' || (b[-1] == '>' && b - 1 > l && b[-2] == '-')))
		return false;
	for (w = b; w > l && is_word(w[-1]); w--)
		;
	if ((b - w == 6 && (!strncmp(w, "struct", 6))) || (b - w == 5 && !strncmp(w, "union", 5)) ||
	    (b - w == 4 && !strncmp(w, "enum", 4)))
		return false;
	while (a < end && (*a == ' ' || *a == '\t'))
		a++;
	return a == end || *a != '(';
}

/*
 * Does a changed line of @diff name @id as a whole word, where it may
 * declare a member if @member (the compile lacks a member of that name)?
 */
static bool diff_names(const char *diff, const char *id, bool member)
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
			if ((p == l + 1 || !is_word(p[-1])) && (p + n == l + len || !is_word(p[n])) &&
			    (!member || may_declare_member(l + 1, l + len, p, n)))
				return true;
		}
	}
	return false;
}

/* File @i's diff, or "" when it cannot be read (hs_release_diff() said why). */
static const char *diff_of(struct release *r, size_t i)
{
	const char *text;

	return hs_release_diff(r, i, &text) ? "" : text;
}

/* The includers of changed file @h in @users, read once: how many (0 when unknown). */
static size_t includers_of(struct release *r, struct hs_release_needs *nd, size_t h,
			   char *const **users)
{
	if (!nd->users[h] && nd->nusers[h] == 0) {
		nd->nusers[h] = hs_kbuild_includers(&r->kb, r->f[h].path, &nd->users[h]);
		if (nd->nusers[h] <= 0)
			nd->nusers[h] = -1;
	}
	*users = nd->users[h];
	return nd->nusers[h] > 0 ? (size_t)nd->nusers[h] : 0;
}

/* Does changed file @h (a header, or a .c file others include) reach the .c file @c? */
static bool header_reaches(struct release *r, struct hs_release_needs *nd, size_t h, const char *c)
{
	char *const *users;
	size_t n = includers_of(r, nd, h, &users);

	for (size_t k = 0; k < n; k++)
		if (!strcmp(users[k], c))
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

/*
 * The refused files whose change file @i needs, for the error @en its compile
 * is about: those whose diff changes a line naming it (that may declare it,
 * for a member), headers only if @i includes them. Their names in @list (at
 * most MAX_NAMED, the count in the return: more, and the name is too common
 * to tell).
 */
static size_t refused_providers(struct release *r, struct hs_release_needs *nd, size_t i,
				const struct err_name *en, char list[LIST_SIZE])
{
	size_t named = 0, len = 0;

	list[0] = 0;
	for (size_t g = 0; g < r->n && named <= MAX_NAMED; g++) {
		if (g == i || r->f[g].v != V_REFUSED ||
		    !diff_names(diff_of(r, g), en->id, en->member) ||
		    (hs_str_ends(r->f[g].path, ".h") && !hs_str_ends(r->f[i].path, ".h") &&
		     !header_reaches(r, nd, g, r->f[i].path)))
			continue;
		if (++named <= MAX_NAMED && len < LIST_SIZE - 1) {
			int w = snprintf(list + len, LIST_SIZE - len, "%s'%s'", named > 1 ? ", " : "",
					 r->f[g].path);

			len = w < 0 ? len : len + (size_t)w < LIST_SIZE - 1 ? len + (size_t)w :
			      LIST_SIZE - 1;	/* a long path is cut, never written past */
		}
	}
	return named;
}

/* The needs of @r, allocated on first use; NULL when out of memory. */
static struct hs_release_needs *needs_of(struct release *r)
{
	struct hs_release_needs *nd = r->needs;

	if (nd)
		return nd;
	nd = calloc(1, sizeof(*nd));
	if (!nd)
		return NULL;
	nd->users = calloc(r->n, sizeof(char **));
	nd->nusers = calloc(r->n, sizeof(int));
	r->needs = nd;
	if (!nd->users || !nd->nusers) {
		hs_release_needs_free(r);
		return NULL;
	}
	return nd;
}

/* Put first in file @i's detail the refused changes its compile error needs, once. */
static void note_one(struct release *r, struct hs_release_needs *nd, size_t i)
{
	struct err_name en;
	char list[LIST_SIZE];
	size_t named;

	r->f[i].needs_noted = true;
	if (!error_id(r->f[i].detail, &en))
		return;
	named = refused_providers(r, nd, i, &en, list);
	if (named && named <= MAX_NAMED)
		prepend(&r->f[i], list, named);
}

size_t hs_release_includers(struct release *r, size_t h, char *const **users)
{
	struct hs_release_needs *nd = needs_of(r);

	*users = NULL;
	return nd ? includers_of(r, nd, h, users) : 0;
}

void hs_release_note_needs(struct release *r)
{
	struct hs_release_needs *nd = needs_of(r);

	for (size_t i = 0; nd && i < r->n; i++)
		if (r->f[i].v == V_REFUSED && !r->f[i].needs_noted &&
		    strstr(r->f[i].detail, "post compile failed"))
			note_one(r, nd, i);
}

/* The file a compile error @detail is about: its first quoted path, in @unit. */
static bool error_unit(const char *detail, char unit[256])
{
	const char *end = detail[0] == '\'' ? strchr(detail + 1, '\'') : NULL;

	if (!end || end - detail - 1 >= 256)
		return false;
	snprintf(unit, 256, "%.*s", (int)(end - detail - 1), detail + 1);
	return true;
}

/*
 * Can a file that a group run carries, other than @i, give the compile of
 * @unit (whose error is about @en) what it lacks? One whose diff changes a
 * line naming it (that may declare it, for a member), and is @unit itself (a
 * header's includer with its own change), or reaches it: any file but a .c one
 * (a header, a .inc table), or a .c file @unit includes. Another .c file
 * naming it only uses it too (6.1.190's fs/nfs/client.c and pnfs_nfs.c both
 * use the member of refused netns.h).
 */
static bool group_provides(struct release *r, struct hs_release_needs *nd, size_t i,
			   const char *unit, const struct err_name *en)
{
	for (size_t g = 0; g < r->n; g++) {
		const char *p = r->f[g].path;

		if (g == i || !hs_release_carried(&r->f[g], V_PENDING, V_LIVE) ||
		    !diff_names(diff_of(r, g), en->id, en->member))
			continue;
		if (!hs_str_ends(p, ".c") || (unit && !strcmp(p, unit)) ||
		    (unit && header_reaches(r, nd, g, unit)))
			return true;
	}
	return false;
}

size_t hs_release_refuse_unprovided(struct release *r)
{
	struct hs_release_needs *nd = needs_of(r);
	size_t refused = 0, more = 1;
	struct err_name en;
	char list[LIST_SIZE], unit[256];

	while (nd && more) {
		more = 0;
		for (size_t i = 0; i < r->n; i++) {
			struct rfile *f = &r->f[i];
			size_t named;

			if (f->v != V_PENDING || !strstr(f->detail, "compile failed") ||
			    !error_id(f->detail, &en) ||
			    group_provides(r, nd, i, error_unit(f->detail, unit) ? unit : NULL, &en))
				continue;
			named = refused_providers(r, nd, i, &en, list);
			if (!named)
				continue;
			f->v = V_REFUSED;
			f->needs_noted = true;
			if (named <= MAX_NAMED)
				prepend(f, list, named);
			hs_info(r->ctx, "%s: refused before the group run: it needs '%s', which only "
				"refused changes provide (%s)", f->path, en.id,
				named <= MAX_NAMED ? list : "more than 3 files");
			more++;
		}
		refused += more;
	}
	return refused;
}

void hs_release_needs_free(struct release *r)
{
	struct hs_release_needs *nd = r->needs;

	for (size_t i = 0; nd && i < r->n; i++) {
		for (int k = 0; nd->users && nd->nusers && k < nd->nusers[i]; k++)
			free(nd->users[i][k]);
		free(nd->users ? nd->users[i] : NULL);
	}
	if (nd) {
		free(nd->users);
		free(nd->nusers);
	}
	free(nd);
	r->needs = NULL;
}
