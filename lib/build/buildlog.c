// SPDX-License-Identifier: GPL-2.0
/* buildlog.c - find the lines of a failed build's output that say why it failed. */
#include <string.h>

#include "build/buildlog.h"

/* Substrings that mark a line saying why; make's "Error N" is matched apart. */
static const char *const why_marks[] = {
	"error:", "Error:", "ERROR:", "*** ", "No such file or directory", "not found",
	"Permission denied", "undefined reference", "multiple definition",
	"Segmentation fault", "Killed", "internal compiler error", "No space left",
	"cannot execute", "Traceback (most recent call last)",
};

bool hs_buildlog_is_why(const char *line)
{
	const char *e = strstr(line, "] Error ");

	if (e && e[8] >= '0' && e[8] <= '9')
		return true;
	if (strstr(line, "Waiting for unfinished jobs"))
		return false;
	for (size_t i = 0; i < sizeof(why_marks) / sizeof(why_marks[0]); i++)
		if (strstr(line, why_marks[i]))
			return true;
	return false;
}

void hs_buildlog_add(struct hs_buildlog_why *why, const char *line)
{
	char one[sizeof(why->line[0])];

	if (why->n >= HS_BUILDLOG_WHY_MAX || !hs_buildlog_is_why(line))
		return;
	strncpy(one, line, sizeof(one) - 1);
	one[sizeof(one) - 1] = 0;
	for (size_t i = 0; i < why->n; i++)
		if (!strcmp(why->line[i], one))
			return;
	memcpy(why->line[why->n++], one, sizeof(one));
}

/* The start of the last @n lines of @text. */
static const char *last_lines(const char *text, size_t n)
{
	const char *s = text + strlen(text);

	if (s > text && s[-1] == '\n')
		s--;
	while (s > text) {
		if (s[-1] == '\n' && n-- <= 1)
			break;
		s--;
	}
	return s;
}

size_t hs_buildlog_report(const struct hs_ctx *ctx, const char *prefix, const char *text,
			  const char *strip, size_t tail)
{
	struct hs_buildlog_why why = { .n = 0 };
	const char *s = text, *end;

	for (; *s; s = *end ? end + 1 : end) {
		char one[sizeof(why.line[0])];
		const char *at;
		size_t len;

		end = strchrnul(s, '\n');
		len = (size_t)(end - s) < sizeof(one) - 1 ? (size_t)(end - s) : sizeof(one) - 1;
		memcpy(one, s, len);
		one[len] = 0;
		at = strip ? strstr(one, strip) : NULL;
		hs_buildlog_add(&why, at ? at + strlen(strip) : one);
	}
	for (size_t i = 0; i < why.n; i++)
		hs_err(ctx, "%s%s", prefix, why.line[i]);
	if (!why.n && tail)
		for (s = last_lines(text, tail); *s; s = *end ? end + 1 : end) {
			end = strchrnul(s, '\n');
			hs_err(ctx, "%s%.*s", prefix, (int)(end - s), s);
		}
	return why.n;
}
