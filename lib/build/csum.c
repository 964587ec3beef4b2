// SPDX-License-Identifier: GPL-2.0
/*
 * csum.c - what two unit summaries of cscan.c differ in, and the compact
 * text form a summary is cached in (see cscan.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/cscan.h"
#include "core/strbuf.h"

void hs_csum_free(struct hs_csum *s)
{
	for (size_t i = 0; s->d && i < s->n; i++)
		free(s->d[i].name);
	for (size_t i = 0; s->origins && i < s->norigins; i++)
		free(s->origins[i].path);
	for (size_t i = 0; s->macros && i < s->nmacros; i++)
		free(s->macros[i]);
	free(s->d);
	free(s->origins);
	free(s->macros);
	memset(s, 0, sizeof(*s));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The digests of @s, sorted; NULL when out of memory. */
static uint64_t *sorted_hashes(const struct hs_csum *s)
{
	uint64_t *h = malloc((s->n + 1) * sizeof(*h));

	for (size_t i = 0; h && i < s->n; i++)
		h[i] = s->d[i].hash;
	if (h)
		qsort(h, s->n, sizeof(*h), cmp_u64);
	return h;
}

/* Append the live declarations of @a with no identical one in @b (sorted @bh) to @v. */
static void unmatched(const struct hs_csum *a, const uint64_t *bh, size_t bn,
		      const struct hs_cdecl **v, size_t *n)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->d[i].live && !bsearch(&a->d[i].hash, bh, bn, sizeof(*bh), cmp_u64))
			v[(*n)++] = &a->d[i];
}

int hs_csum_gone(const struct hs_csum *a, const struct hs_csum *b, uint64_t **out)
{
	uint64_t *bh = sorted_hashes(b), *v = malloc((a->n + 1) * sizeof(*v));
	size_t n = 0;

	*out = NULL;
	if (!bh || !v) {
		free(bh);
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < a->n; i++)
		if (!bsearch(&a->d[i].hash, bh, b->n, sizeof(*bh), cmp_u64))
			v[n++] = a->d[i].hash;
	qsort(v, n, sizeof(*v), cmp_u64);
	free(bh);
	*out = v;
	return (int)n;
}

int hs_csum_changes(const struct hs_csum *pre, const struct hs_csum *post,
		    const struct hs_cdecl ***out)
{
	uint64_t *preh = sorted_hashes(pre), *posth = sorted_hashes(post);
	const struct hs_cdecl **v = malloc((pre->n + post->n + 1) * sizeof(*v));
	size_t n = 0;

	*out = NULL;
	if (!preh || !posth || !v) {
		free(preh);
		free(posth);
		free(v);
		return -ENOMEM;
	}
	unmatched(post, preh, pre->n, v, &n);
	unmatched(pre, posth, post->n, v, &n);
	free(preh);
	free(posth);
	*out = v;
	return (int)n;
}

int hs_csum_format(const struct hs_csum *s, char **out, size_t *len)
{
	struct hs_strbuf b = { .s = malloc(4096), .cap = 4096 };

	if (!b.s)
		return -ENOMEM;
	b.s[0] = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->d[i].live)
			hs_strbuf_printf(&b, "D %016llx %d %s\n", (unsigned long long)s->d[i].hash,
					 s->d[i].aggregate, s->d[i].name ? s->d[i].name : "-");
	for (size_t i = 0; i < s->norigins; i++)
		hs_strbuf_printf(&b, "F %016llx %s\n", (unsigned long long)s->origins[i].digest,
				 s->origins[i].path);
	for (size_t i = 0; i < s->nmacros; i++)
		hs_strbuf_printf(&b, "M %s\n", s->macros[i]);
	if (b.err) {
		free(b.s);
		return -ENOMEM;
	}
	*out = b.s;
	*len = b.len;
	return 0;
}

/* One line of the compact form into @out (arrays sized for every line). */
static int parse_line(const char *s, size_t linelen, struct hs_csum *out)
{
	unsigned long long h;
	int flags, used = -1;
	char *rest = strndup(s, linelen);

	if (!rest)
		return -ENOMEM;
	if (s[0] == 'D' && sscanf(rest, "D %16llx %d %n", &h, &flags, &used) == 2 && used > 0 &&
	    (flags == 0 || flags == 1) && rest[used]) {
		struct hs_cdecl *d = &out->d[out->n++];

		*d = (struct hs_cdecl){ .hash = h, .live = true, .aggregate = flags,
					.origin = UINT32_MAX };
		d->name = strcmp(rest + used, "-") ? strdup(rest + used) : NULL;
		used = strcmp(rest + used, "-") && !d->name ? -ENOMEM : 0;
	} else if (s[0] == 'F' && sscanf(rest, "F %16llx %n", &h, &used) == 1 && used > 0 &&
		   rest[used]) {
		out->origins[out->norigins] = (struct hs_corigin){ .digest = h,
								   .path = strdup(rest + used) };
		used = out->origins[out->norigins++].path ? 0 : -ENOMEM;
	} else if (s[0] == 'M' && linelen > 2 && s[1] == ' ') {
		used = (out->macros[out->nmacros++] = strdup(rest + 2)) ? 0 : -ENOMEM;
	} else {
		used = -EINVAL;
	}
	free(rest);
	return used;
}

int hs_csum_parse(const char *text, struct hs_csum *out)
{
	size_t lines = 1;
	int err = 0;

	memset(out, 0, sizeof(*out));
	for (const char *s = text; *s; s++)
		lines += *s == '\n';
	out->d = calloc(lines, sizeof(*out->d));
	out->origins = calloc(lines, sizeof(*out->origins));
	out->macros = calloc(lines, sizeof(*out->macros));
	if (!out->d || !out->origins || !out->macros)
		err = -ENOMEM;
	for (const char *s = text; *s && !err; ) {
		const char *nl = strchr(s, '\n');

		if (!nl)
			err = -EINVAL;	/* a cut last line */
		else
			err = parse_line(s, (size_t)(nl - s), out);
		s = nl ? nl + 1 : s;
	}
	for (size_t i = 1; !err && i < out->nmacros; i++)
		if (strcmp(out->macros[i - 1], out->macros[i]) > 0)
			err = -EINVAL;
	if (err)
		hs_csum_free(out);
	return err;
}
