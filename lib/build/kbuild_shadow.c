// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_shadow.c - the shadow tree the post compile and the screen read:
 * the source tree with the patch applied, without copying it.
 *
 * The shadow holds symbolic links to the source tree's entries, except along
 * the paths of the patched files, where directories are real and the patched
 * files are copies with the patch applied (kbuild_compile.c). A path with
 * ".." resolves physically: "shadow/arch/x86/kvm/vmx/../x86.h", when vmx is a
 * link to the source's directory, is the source tree's x86.h, unpatched, and
 * a file that includes "../x86.h" would be compiled as if the patch did not
 * change it. The jobs say which paths they opened; one that reached the
 * source's copy of a patched file this way has the directories on its way
 * made real, and the job runs again (hs_kbuild_shadow_misread(),
 * hs_kbuild_shadow_fix_all()).
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/kbuild_priv.h"

/* Turn @shadow/@rel (a symlink or missing) into a directory of symlinks. */
static int shadow_dir(struct hs_kbuild *kb, const char *shadow, const char *rel)
{
	char *dst = *rel ? hs_strdupf("%s/%s", shadow, rel) : strdup(shadow);
	char *src = *rel ? hs_strdupf("%s/%s", kb->source, rel) : strdup(kb->source);
	struct stat st;
	struct dirent *e;
	DIR *d;
	int err = 0;

	if (!dst || !src) {
		err = -ENOMEM;
		goto out;
	}
	if (!lstat(dst, &st) && S_ISDIR(st.st_mode))
		goto out;	/* done already */
	unlink(dst);
	if (mkdir(dst, 0755)) {
		err = -errno;
		hs_err(kb->ctx, "cannot create '%s': %s", dst, strerror(errno));
		goto out;
	}
	d = opendir(src);
	while (d && !err && (e = readdir(d))) {
		char *from, *to;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		from = hs_strdupf("%s/%s", src, e->d_name);
		to = hs_strdupf("%s/%s", dst, e->d_name);
		if (!from || !to)
			err = -ENOMEM;
		else if (symlink(from, to))
			err = -errno;
		free(from);
		free(to);
	}
	if (d)
		closedir(d);
out:
	free(dst);
	free(src);
	return err;
}

/* Make the directories on the way to @rel real in the shadow (and @rel itself if @all). */
static int shadow_dirs(struct hs_kbuild *kb, const char *shadow, char *rel, bool all)
{
	int err = shadow_dir(kb, shadow, "");

	for (char *s = strchr(rel, '/'); s && !err; s = strchr(s + 1, '/')) {
		*s = 0;
		err = shadow_dir(kb, shadow, rel);
		*s = '/';
	}
	return err ?: all && *rel ? shadow_dir(kb, shadow, rel) : 0;
}

/* Make @rel (a file path) patchable in the shadow: real dirs, a real copy. */
static int shadow_file(struct hs_kbuild *kb, const char *shadow, const char *rel)
{
	char *path = strdup(rel), *from, *to;
	struct stat st;
	int err = 0;

	if (!path)
		return -ENOMEM;
	err = shadow_dirs(kb, shadow, path, false);
	from = hs_strdupf("%s/%s", kb->source, rel);
	to = hs_strdupf("%s/%s", shadow, rel);
	if (!err && (!from || !to))
		err = -ENOMEM;
	if (!err && !lstat(to, &st) && S_ISLNK(st.st_mode))
		err = hs_copy_file(kb->ctx, from, to);
	free(path);
	free(from);
	free(to);
	return err;
}

int hs_kbuild_shadow(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		     const char *shadow)
{
	int err = 0;

	hs_rm_rf(shadow);
	for (size_t i = 0; i < p->nfiles && !err; i++) {
		if (p->files[i].old_path)
			err = shadow_file(kb, shadow, p->files[i].old_path);
		if (!err && p->files[i].new_path)
			err = shadow_file(kb, shadow, p->files[i].new_path);
	}
	return err ?: hs_patch_apply(kb->ctx, patch_path, shadow);
}

/* Does @rel have a ".." component? */
static bool climbs(const char *rel)
{
	return !strncmp(rel, "../", 3) || strstr(rel, "/../") != NULL;
}

bool hs_kbuild_shadow_misread(struct hs_kbuild *kb, const struct hs_patch *p, const char *shadow,
			      const char *opened)
{
	const char *rel = hs_kbuild_under(opened, shadow), *r;
	char *src = NULL, *in_src = NULL, *top = NULL, *got = NULL, *want = NULL, *sh = NULL;
	bool misread = false;

	if (!rel || !climbs(rel))
		return false;
	src = hs_strdupf("%s/%s", kb->source, rel);
	in_src = src ? realpath(src, NULL) : NULL;	/* the file a patched tree gives */
	top = realpath(kb->source, NULL);
	r = in_src && top ? hs_kbuild_under(in_src, top) : NULL;
	if (r && hs_patch_find(p, r)) {
		sh = realpath(shadow, NULL);
		want = sh ? hs_strdupf("%s/%s", sh, r) : NULL;
		got = realpath(opened, NULL);
		misread = !want || !got || strcmp(got, want);
		if (misread)
			hs_debug(kb->ctx, "'%s' reached '%s' unpatched: through a link to a source "
				 "directory", opened, r);
	}
	free(src);
	free(in_src);
	free(top);
	free(got);
	free(want);
	free(sh);
	return misread;
}

size_t hs_kbuild_shadow_misread_rule(struct hs_kbuild *kb, const struct hs_patch *p,
				     const char *shadow, const char *rule, struct hs_strv *out)
{
	char *text = NULL, *tok, *save = NULL;
	bool target = true;
	size_t n = 0;

	if (hs_read_file(NULL, rule, &text, NULL))
		return 0;	/* none: nothing to check */
	for (tok = strtok_r(text, " \t\n\\", &save); tok; tok = strtok_r(NULL, " \t\n\\", &save)) {
		if (target) {		/* "out.o:" */
			target = tok[strlen(tok) - 1] != ':';
			continue;
		}
		if (hs_kbuild_shadow_misread(kb, p, shadow, tok)) {
			n++;
			hs_strv_push(out, tok, strlen(tok));
		}
	}
	free(text);
	return n;
}

/* Make real the directories of @shadow that path @opened climbs out of with "..". */
static int fix_one(struct hs_kbuild *kb, const char *shadow, const char *opened)
{
	const char *rel = hs_kbuild_under(opened, shadow);
	char *path = rel ? strdup(rel) : NULL, *top = realpath(kb->source, NULL);
	int err = path && top ? 0 : -ENOMEM;

	/* each directory a ".." climbs out of, as the source tree resolves it */
	for (char *s = path; !err && s && (s = strstr(s, "..")); s += 2) {
		char *dir, *real;
		const char *q;

		if ((s != path && s[-1] != '/') || (s[2] && s[2] != '/'))
			continue;	/* "a..b" is a name */
		if (s == path)
			continue;	/* "../" above the tree's top */
		s[-1] = 0;
		dir = hs_strdupf("%s/%s", kb->source, path);
		real = dir ? realpath(dir, NULL) : NULL;
		q = real ? hs_kbuild_under(real, top) : NULL;
		if (q) {
			char *d = strdup(q);

			err = d ? shadow_dirs(kb, shadow, d, true) : -ENOMEM;
			free(d);
		}
		s[-1] = '/';
		free(dir);
		free(real);
	}
	free(path);
	free(top);
	return err;
}

int hs_kbuild_shadow_fix_all(struct hs_kbuild *kb, const char *shadow, struct hs_strv *misread,
			     int round)
{
	int err = 0;

	if (misread->n && round >= HS_KBUILD_SHADOW_ROUNDS) {
		hs_err(kb->ctx, "'%s': still read unpatched after %d rounds of making the "
		       "shadow's directories real", misread->v[0], round);
		err = -EIO;
	}
	for (size_t k = 0; k < misread->n && !err; k++)
		err = fix_one(kb, shadow, misread->v[k]);
	hs_strv_free(misread);
	return err;
}
