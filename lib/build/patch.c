// SPDX-License-Identifier: GPL-2.0
/* patch.c - parse unified diffs and check them against a tree with GNU patch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "build/patch.h"
#include "core/spawn.h"

struct parser {
	const struct hs_ctx *ctx;
	struct hs_patch *p;
	const char *pos, *end;	/* the unread text */
	const char *line;	/* the current line, not NUL-terminated */
	size_t len;		/* its length without the newline */
	size_t lineno;
	struct hs_patch_file *cur;
	bool cur_git, cur_minus; /* from "diff --git"; "---" seen */
};

static int malformed(struct parser *ps, const char *what)
{
	hs_err(ps->ctx, "'%s': line %zu: malformed patch: %s", ps->p->name, ps->lineno, what);
	return -HS_EFORMAT;
}

/* Advance to the next line; false at the end of the text. */
static bool next_line(struct parser *ps)
{
	const char *nl;

	if (ps->pos >= ps->end)
		return false;
	ps->line = ps->pos;
	nl = memchr(ps->pos, '\n', ps->end - ps->pos);
	ps->len = (nl ? nl : ps->end) - ps->pos;
	ps->pos = nl ? nl + 1 : ps->end;
	if (ps->len && ps->line[ps->len - 1] == '\r')
		ps->len--;
	ps->lineno++;
	return true;
}

/* Does the next (unread) line start with @prefix? */
static bool peek_is(const struct parser *ps, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(ps->end - ps->pos) >= n && !memcmp(ps->pos, prefix, n);
}

static bool starts(const struct parser *ps, const char *prefix)
{
	size_t n = strlen(prefix);

	return ps->len >= n && !memcmp(ps->line, prefix, n);
}

/* Undo git's C-style quoting of "a/x\ty" in place. */
static void unquote(char *s)
{
	char *out = s;
	size_t n = strlen(s);

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return;
	s[n - 1] = 0;
	for (char *in = s + 1; *in; in++) {
		if (*in != '\\' || !in[1]) {
			*out++ = *in;
			continue;
		}
		in++;
		if (*in >= '0' && *in <= '7') {
			int v = 0;

			for (int i = 0; i < 3 && *in >= '0' && *in <= '7'; i++)
				v = v * 8 + (*in++ - '0');
			in--;
			*out++ = (char)v;
		} else {
			*out++ = *in == 't' ? '\t' : *in == 'n' ? '\n' : *in;
		}
	}
	*out = 0;
}

/*
 * The path in @s (@n bytes, from a "---", "+++", "diff --git" or "rename"
 * line) into *@out: the timestamp after a tab cut off, quotes undone, one
 * component stripped when @strip, NULL for /dev/null.
 */
static int parse_path(struct parser *ps, const char *s, size_t n, bool strip, char **out)
{
	const char *tab = memchr(s, '\t', n);
	char *raw, *path, *slash;

	*out = NULL;
	if (tab)
		n = tab - s;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t') && !tab)
		n--;
	raw = strndup(s, n);
	if (!raw)
		return -ENOMEM;
	unquote(raw);
	if (!strcmp(raw, "/dev/null")) {
		free(raw);
		return 0;
	}
	path = raw;
	if (strip) {
		slash = strchr(raw, '/');
		if (!slash || !slash[1]) {
			free(raw);
			return malformed(ps, "path has no leading directory to strip (-p1)");
		}
		path = slash + 1;
	}
	if (*path == '/' || !strcmp(path, "..") || !strncmp(path, "../", 3) ||
	    strstr(path, "/../") || (strlen(path) >= 3 && !strcmp(path + strlen(path) - 3, "/.."))) {
		free(raw);
		return malformed(ps, "absolute path or '..' in a file name");
	}
	*out = strdup(path);
	free(raw);
	return *out ? 0 : -ENOMEM;
}

static int new_file(struct parser *ps, bool git)
{
	struct hs_patch *p = ps->p;
	struct hs_patch_file *files;

	files = realloc(p->files, (p->nfiles + 1) * sizeof(*files));
	if (!files)
		return -ENOMEM;
	p->files = files;
	ps->cur = &files[p->nfiles++];
	memset(ps->cur, 0, sizeof(*ps->cur));
	ps->cur->line = ps->lineno;
	ps->cur->is_git = git;
	ps->cur_git = git;
	ps->cur_minus = false;
	return 0;
}

static int set_path(char **slot, char *path)
{
	free(*slot);
	*slot = path;
	return 0;
}

/* "diff --git a/X b/Y": X and Y may be changed by later header lines. */
static int git_header(struct parser *ps)
{
	const char *s = ps->line + strlen("diff --git "), *end = ps->line + ps->len;
	const char *mid = NULL;
	char *old, *new;
	int err;

	/* "a/x b/x": prefer the split that makes both names equal */
	for (const char *q = s; q + 3 < end; q++)
		if (!memcmp(q, " b/", 3) && (!mid || (size_t)(q - s) == (size_t)(end - q - 1)))
			mid = q;
	err = new_file(ps, true);
	if (err || !mid)
		return err;
	err = parse_path(ps, s, mid - s, true, &old);
	err = err ?: parse_path(ps, mid + 1, end - mid - 1, true, &new);
	if (err)
		return err;
	set_path(&ps->cur->old_path, old);
	return set_path(&ps->cur->new_path, new);
}

/* Git's extended header lines between "diff --git" and "---"/"@@". */
static int git_extended(struct parser *ps, bool *used)
{
	struct hs_patch_file *f = ps->cur;
	char *path;
	int err;

	*used = true;
	if (starts(ps, "new file mode"))
		f->is_new = true;
	else if (starts(ps, "deleted file mode"))
		f->is_deleted = true;
	else if (starts(ps, "GIT binary patch") || starts(ps, "Binary files "))
		f->is_binary = true;
	else if (starts(ps, "rename from ") || starts(ps, "copy from ")) {
		size_t skip = starts(ps, "rename") ? 12 : 10;

		err = parse_path(ps, ps->line + skip, ps->len - skip, false, &path);
		if (err)
			return err;
		f->is_rename = skip == 12;
		f->is_copy = skip == 10;
		set_path(&f->old_path, path);
	} else if (starts(ps, "rename to ") || starts(ps, "copy to ")) {
		size_t skip = starts(ps, "rename") ? 10 : 8;

		err = parse_path(ps, ps->line + skip, ps->len - skip, false, &path);
		if (err)
			return err;
		set_path(&f->new_path, path);
	} else {
		*used = false;
	}
	return 0;
}

/* "--- X" then "+++ Y". */
static int file_header(struct parser *ps)
{
	char *old, *new;
	int err;

	if (!ps->cur || !ps->cur_git || ps->cur_minus || ps->cur->nhunks) {
		err = new_file(ps, false);
		if (err)
			return err;
	}
	ps->cur_minus = true;
	err = parse_path(ps, ps->line + 4, ps->len - 4, true, &old);
	if (err)
		return err;
	next_line(ps);
	err = parse_path(ps, ps->line + 4, ps->len - 4, true, &new);
	if (err) {
		free(old);
		return err;
	}
	if (!old && !new) {
		free(old);
		return malformed(ps, "both file names are /dev/null");
	}
	ps->cur->is_new |= !old;
	ps->cur->is_deleted |= !new;
	set_path(&ps->cur->old_path, old);
	return set_path(&ps->cur->new_path, new);
}

static int parse_range(const char **s, unsigned long *start, unsigned long *count)
{
	char *end;

	*start = strtoul(*s, &end, 10);
	if (end == *s)
		return -1;
	*count = 1;
	if (*end == ',') {
		const char *c = end + 1;

		*count = strtoul(c, &end, 10);
		if (end == c)
			return -1;
	}
	*s = end;
	return 0;
}

/* The lines of one hunk, counted against its header. */
static int hunk_body(struct parser *ps, struct hs_patch_hunk *h)
{
	unsigned long old_left = h->old_count, new_left = h->new_count;

	while (old_left || new_left) {
		if (!next_line(ps))
			return malformed(ps, "truncated hunk: the patch ends inside it");
		char c = ps->len ? ps->line[0] : ' ';

		if (c == '\\')
			continue;
		if (c != ' ' && c != '-' && c != '+')
			return malformed(ps, "truncated hunk: fewer lines than its @@ header says");
		if ((c != '+' && !old_left) || (c != '-' && !new_left))
			return malformed(ps, "hunk has more lines than its @@ header says");
		old_left -= c != '+';
		new_left -= c != '-';
		h->removed += c == '-';
		h->added += c == '+';
	}
	if (peek_is(ps, "\\"))
		next_line(ps);
	return 0;
}

static int hunk(struct parser *ps)
{
	struct hs_patch_file *f = ps->cur;
	struct hs_patch_hunk h = { .line = ps->lineno }, *hunks;
	char *hdr = strndup(ps->line, ps->len);
	const char *s;
	int err;

	if (!hdr)
		return -ENOMEM;
	s = hdr + 4;
	err = strncmp(hdr, "@@ -", 4) || parse_range(&s, &h.old_start, &h.old_count) ||
	      strncmp(s, " +", 2) || (s += 2, parse_range(&s, &h.new_start, &h.new_count)) ||
	      strncmp(s, " @@", 3);
	free(hdr);
	if (err)
		return malformed(ps, "bad hunk header");
	if (!f || (!ps->cur_git && !ps->cur_minus) || (ps->cur_git && !ps->cur_minus))
		return malformed(ps, "hunk outside a file: no '---'/'+++' header before it");
	err = hunk_body(ps, &h);
	if (err)
		return err;
	hunks = realloc(f->hunks, (f->nhunks + 1) * sizeof(*hunks));
	if (!hunks)
		return -ENOMEM;
	f->hunks = hunks;
	f->hunks[f->nhunks++] = h;
	f->added += h.added;
	f->removed += h.removed;
	return 0;
}

static int finish(struct parser *ps)
{
	struct hs_patch *p = ps->p;

	if (!p->nfiles) {
		hs_err(ps->ctx, "'%s': malformed patch: no file changes found", p->name);
		return -HS_EFORMAT;
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		struct hs_patch_file *f = &p->files[i];

		if (f->is_new && f->new_path)
			set_path(&f->old_path, NULL);
		if (f->is_deleted && f->old_path)
			set_path(&f->new_path, NULL);
		f->path = f->new_path ? f->new_path : f->old_path;
		if (!f->path) {
			hs_err(ps->ctx, "'%s': line %zu: malformed patch: a file section names no file",
			       p->name, f->line);
			return -HS_EFORMAT;
		}
		/* git may have no hunks (mode change, rename); "---"/"+++" must */
		if (!f->is_git && !f->nhunks) {
			hs_err(ps->ctx, "'%s': line %zu: malformed patch: file header without hunks",
			       p->name, f->line);
			return -HS_EFORMAT;
		}
	}
	return 0;
}

static int parse_line(struct parser *ps)
{
	bool used = false;
	int err;

	if (starts(ps, "diff --git "))
		return git_header(ps);
	if (ps->cur && ps->cur_git && !ps->cur_minus && !ps->cur->nhunks) {
		err = git_extended(ps, &used);
		if (err || used)
			return err;
	}
	if (starts(ps, "--- ") && peek_is(ps, "+++ "))
		return file_header(ps);
	if (starts(ps, "@@ "))
		return hunk(ps);
	if (starts(ps, "Binary files ") && ps->cur)
		ps->cur->is_binary = true;
	return 0;
}

int hs_patch_parse(const struct hs_ctx *ctx, const char *name, const char *text, size_t len,
		   struct hs_patch *p)
{
	struct parser ps = { .ctx = ctx, .p = p, .pos = text, .end = text + len };
	int err = 0;

	memset(p, 0, sizeof(*p));
	p->name = strdup(name);
	if (!p->name)
		return -ENOMEM;
	while (!err && next_line(&ps))
		err = parse_line(&ps);
	return err ?: finish(&ps);
}

int hs_patch_load(const struct hs_ctx *ctx, const char *path, struct hs_patch *p)
{
	size_t len;
	char *text;
	int err;

	memset(p, 0, sizeof(*p));
	err = hs_read_file(ctx, path, &text, &len);
	if (err)
		return err;
	err = hs_patch_parse(ctx, path, text, len, p);
	free(text);
	return err;
}

void hs_patch_free(struct hs_patch *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		free(p->files[i].old_path);
		free(p->files[i].new_path);
		free(p->files[i].hunks);
	}
	free(p->files);
	free(p->name);
	memset(p, 0, sizeof(*p));
}

const struct hs_patch_file *hs_patch_find(const struct hs_patch *p, const char *path)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct hs_patch_file *f = &p->files[i];

		if ((f->old_path && !strcmp(f->old_path, path)) ||
		    (f->new_path && !strcmp(f->new_path, path)))
			return f;
	}
	return NULL;
}

/* What GNU patch said, turned into messages that name the file and hunk. */
struct patch_run {
	const struct hs_ctx *ctx;
	const char *patch, *dir;
	char file[1024];	/* the file patch is working on */
	int failures;
};

static void on_patch_line(void *arg, const char *line)
{
	struct patch_run *r = arg;
	const char *s;
	int hunk;
	long at;

	if ((s = strstr(line, "checking file ")) == line || (s = strstr(line, "patching file ")) == line)
		snprintf(r->file, sizeof(r->file), "%s", line + 14);
	else if (!strncmp(line, "|--- ", 5) || !strncmp(line, "|+++ ", 5))
		snprintf(r->file, sizeof(r->file), "%s", line + 5);
	if (sscanf(line, "Hunk #%d FAILED at %ld", &hunk, &at) == 2) {
		r->failures++;
		hs_err(r->ctx, "'%s': file '%s': hunk #%d does not apply at line %ld of '%s/%s'",
		       r->patch, r->file, hunk, at, r->dir, r->file);
	} else if (strstr(line, "Reversed (or previously applied) patch detected")) {
		r->failures++;
		hs_err(r->ctx, "'%s': file '%s': already applied (reversed patch detected)",
		       r->patch, r->file);
	} else if (strstr(line, "can't find file to patch") || strstr(line, "No such file")) {
		r->failures++;
		hs_err(r->ctx, "'%s': file '%s': not found in '%s'", r->patch, r->file, r->dir);
	} else if (strstr(line, "which already exists")) {
		r->failures++;
		hs_err(r->ctx, "'%s': %s", r->patch, line);
	} else if (strstr(line, "malformed patch") || strstr(line, "Only garbage")) {
		r->failures++;
		hs_err(r->ctx, "'%s': %s", r->patch, line);
	} else {
		hs_debug(r->ctx, "patch: %s", line);
	}
}

static int run_patch(const struct hs_ctx *ctx, const char *patch_path, const char *dir,
		     bool dry_run)
{
	char *argv[] = { "patch", "-p1", "--forward", "--fuzz=0", "--batch",
			 "--no-backup-if-mismatch", "-r", "-", "-d", (char *)dir,
			 "-i", (char *)patch_path, dry_run ? "--dry-run" : NULL, NULL };
	struct patch_run r = { .ctx = ctx, .patch = patch_path, .dir = dir };
	char *abs = realpath(patch_path, NULL);
	int status;

	/* patch opens -i after changing to -d */
	if (!abs) {
		status = -errno;
		hs_err(ctx, "cannot open '%s': %s", patch_path, strerror(errno));
		return status;
	}
	argv[11] = abs;
	status = hs_spawn_run(ctx, argv, NULL, on_patch_line, &r);
	free(abs);
	if (status < 0)
		return status;
	if (status == 127) {
		hs_err(ctx, "cannot run GNU patch: is the 'patch' package installed?");
		return -ENOENT;
	}
	if (status || r.failures) {
		if (!r.failures)
			hs_err(ctx, "'%s': does not apply to '%s' (patch exit status %d)",
			       patch_path, dir, status);
		return -EINVAL;
	}
	return 0;
}

int hs_patch_check(const struct hs_ctx *ctx, const char *patch_path, const char *dir)
{
	return run_patch(ctx, patch_path, dir, true);
}

int hs_patch_apply(const struct hs_ctx *ctx, const char *patch_path, const char *dir)
{
	return run_patch(ctx, patch_path, dir, false);
}
