// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_screen_macros.c - what the representative includer tells the screen:
 * the declarations the patch changes in its text, and the macros the patch
 * changes (its -dM tables, and the #define lines of the patched files).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "core/strv.h"
#include "build/kbuild_screen_priv.h"

/* The -dM output @text as a sorted table (takes over @text's lines). */
int hs_screen_read_macros(char *text, struct macros *m)
{
	size_t n = 1;

	for (char *c = text; *c; c++)
		n += *c == '\n';
	if (!(m->line = calloc(n, sizeof(char *))))
		return -ENOMEM;
	for (char *l = text, *nl; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		if (!nl)
			nl = l + strlen(l) - 1;
		else
			*nl = 0;
		if (!strncmp(l, "#define ", 8) && !(m->line[m->n++] = strdup(l + 8)))
			return -ENOMEM;
	}
	qsort(m->line, m->n, sizeof(char *), hs_strv_cmp);
	return 0;
}

void hs_screen_free_macros(struct macros *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->line[i]);
	free(m->line);
}

/* The name of a -dM line "NAME(args) body" or "NAME body", into @buf. */
static const char *macro_name(const char *line, char *buf, size_t size)
{
	size_t n = strcspn(line, "( ");

	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), line);
	return buf;
}

static bool has_line(const struct macros *m, const char *line)
{
	return bsearch(&line, m->line, m->n, sizeof(char *), hs_strv_cmp) != NULL;
}

/*
 * The #define directives of @text (continuation lines joined, spaces kept),
 * sorted, into @m: a macro whose definition differs between the files of the
 * patch changes for every includer, whichever branch of an #if chose it.
 */
static int file_defines(const char *text, struct macros *m)
{
	size_t n = 1;

	for (const char *c = text; *c; c++)
		n += *c == '\n';
	if (!(m->line = calloc(n, sizeof(char *))))
		return -ENOMEM;
	for (const char *l = text; *l; ) {
		const char *q = l, *end;
		char *def, *o;

		while (*q == ' ' || *q == '\t')
			q++;
		for (end = l; *end && !(*end == '\n' && (end == text || end[-1] != '\\')); end++)
			;
		if (*q == '#') {
			for (q++; *q == ' ' || *q == '\t'; q++)
				;
			if (!strncmp(q, "define", 6) && (q[6] == ' ' || q[6] == '\t')) {
				if (!(def = o = strndup(q + 7, (size_t)(end - q - 7))))
					return -ENOMEM;
				for (const char *c = def; *c; c++)	/* drop "\\\n" */
					if (!(*c == '\\' && c[1] == '\n'))
						*o++ = *c == '\n' ? ' ' : *c;
				*o = 0;
				for (o = def; *o == ' ' || *o == '\t'; o++)
					;
				memmove(def, o, strlen(o) + 1);
				m->line[m->n++] = def;
			}
		}
		l = *end ? end + 1 : end;
	}
	qsort(m->line, m->n, sizeof(char *), hs_strv_cmp);
	return 0;
}

/* Add the macros whose #define lines the patch changes in its files to s->changed_macros. */
static int patched_defines(struct screen *s, size_t cap)
{
	int err = 0;

	for (size_t i = 0; i < s->p->nfiles && !err; i++) {
		const struct hs_patch_file *f = &s->p->files[i];
		char *a = f->old_path ? hs_strdupf("%s/%s", s->kb->source, f->old_path) : NULL;
		char *b = f->new_path ? hs_strdupf("%s/%s", s->shadow, f->new_path) : NULL;
		char *ta = NULL, *tb = NULL, name[256];
		struct macros ma = { 0 }, mb = { 0 };

		if (a)
			hs_read_file(NULL, a, &ta, NULL);
		if (b)
			hs_read_file(NULL, b, &tb, NULL);
		err = file_defines(ta ? ta : "", &ma) ?: file_defines(tb ? tb : "", &mb);
		for (int side = 0; side < 2 && !err; side++) {
			const struct macros *x = side ? &mb : &ma, *y = side ? &ma : &mb;

			for (size_t k = 0; k < x->n && !err; k++)
				if (has_line(y, x->line[k]))
					continue;
				else if (s->nchanged_macros == cap)
					s->all_slow = true;	/* too many to list */
				else if (!(s->changed_macros[s->nchanged_macros++] =
						   strdup(macro_name(x->line[k], name, sizeof(name)))))
					err = -ENOMEM;
		}
		hs_screen_free_macros(&ma);
		hs_screen_free_macros(&mb);
		free(ta);
		free(tb);
		free(a);
		free(b);
	}
	return err;
}

/* What the representative says: the changed declarations and macros. */
int hs_screen_analyze_rep(struct screen *s)
{
	const struct hs_csum *pre = &s->pre[s->rep], *post = &s->post[s->rep];
	char name[256];
	/* the representative's declarations not in its post text */
	int n = hs_csum_gone(pre, post, &s->changed), err = n < 0 ? n : 0;
	size_t cap = s->mpre.n + 4096;

	s->nchanged = err ? 0 : (size_t)n;
	s->changed_macros = calloc(cap, sizeof(char *));
	if (err || !s->changed_macros)
		return err ?: -ENOMEM;
	err = patched_defines(s, cap);
	if (err)
		return err;
	for (size_t i = 0; i < s->mpre.n; i++)
		if (!has_line(&s->mpost, s->mpre.line[i]) &&
		    !(s->changed_macros[s->nchanged_macros++] =
			      strdup(macro_name(s->mpre.line[i], name, sizeof(name)))))
			return -ENOMEM;
	/* a macro the patched text tests but nothing defines: an includer may define it */
	for (size_t i = 0; i < post->nmacros && !s->all_slow; i++) {
		bool defined = false;

		if (hs_csum_uses_macro(pre, post->macros[i]))
			continue;
		for (size_t k = 0; k < s->mpost.n && !defined; k++)
			defined = !strcmp(macro_name(s->mpost.line[k], name, sizeof(name)),
					  post->macros[i]);
		if (!defined) {
			hs_info(s->kb->ctx, "the patch tests macro '%s', which '%s' does not define: "
				"every includer is preprocessed after the patch too", post->macros[i],
				s->u->u[s->rep].src);
			s->all_slow = true;
		}
	}
	return 0;
}
