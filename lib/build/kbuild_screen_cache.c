// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_screen_cache.c - the screen's summaries kept in <tree>/ppcache/: an
 * includer's before the patch under its command line, and its summary after
 * the patch under the narrow key of the files it read (hs_kbuild_narrow_key()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/cache.h"
#include "build/kbuild_screen_priv.h"

static char *pre_cache_path(struct hs_kbuild *kb, const struct hs_kbuild_unit *un)
{
	return hs_kbuild_cache_file(kb, "ppcache", hs_strdupf("v6\n%s\n%s\n", un->obj, un->cmd),
				    ".sum");
}

/*
 * A cached summary at @path into @sum: its raw size (8 bytes, little-endian),
 * then the zlib-compressed text. Whether there was one.
 */
bool hs_screen_load_sum(const char *path, struct hs_csum *sum)
{
	char *data = NULL, *text = NULL;
	size_t len = 0;
	uLongf raw = 0;
	bool ok = false;

	if (!path || access(path, R_OK) || hs_read_file(NULL, path, &data, &len) || len < 8)
		goto out;
	for (int k = 7; k >= 0; k--)
		raw = raw << 8 | (unsigned char)data[k];
	if (raw > (1u << 30) || !(text = malloc(raw + 1)))
		goto out;
	if (uncompress((Bytef *)text, &raw, (const Bytef *)data + 8, len - 8) == Z_OK) {
		text[raw] = 0;
		ok = !hs_csum_parse(text, sum);
	}
out:
	free(text);
	free(data);
	return ok;
}

void hs_screen_load_pre(struct screen *s, size_t i)
{
	char *path = pre_cache_path(s->kb, &s->u->u[i]);

	s->have_pre[i] = hs_screen_load_sum(path, &s->pre[i]);
	free(path);
}

/* Keep summary @sum at @path (best effort: a miss only costs time). */
static void save_sum(struct screen *s, const char *path, const struct hs_csum *sum)
{
	char *text = NULL, *dir = NULL, *data = NULL;
	size_t len;
	uLongf zlen;

	if (!path || hs_csum_format(sum, &text, &len))
		goto out;
	zlen = compressBound(len);
	data = malloc(zlen + 8);
	dir = hs_strdupf("%s/ppcache", s->kb->tree);
	if (!data || !dir || compress2((Bytef *)data + 8, &zlen, (Bytef *)text, len, 6) != Z_OK)
		goto out;
	for (int k = 0; k < 8; k++)
		data[k] = (char)(len >> (8 * k));
	if (!hs_mkdir_p(NULL, dir))
		hs_write_file_atomic(NULL, path, data, zlen + 8);
out:
	free(data);
	free(dir);
	free(text);
}

void hs_screen_save_pre(struct screen *s, size_t i)
{
	char *path = pre_cache_path(s->kb, &s->u->u[i]);

	save_sum(s, path, &s->pre[i]);
	free(path);
}

/*
 * The files of the source (relative) that summary @sum's text came from, by
 * its line markers (hs_kbuild_read_path(): the working directory's marker is
 * the prepared tree's): 0, or -ENOENT when one is unknown.
 */
static int origin_paths(const struct screen *s, const struct hs_csum *sum, struct hs_strv *out)
{
	int err = 0;

	for (size_t k = 0; k < sum->norigins && !err; k++) {
		char norm[4096];
		int in = hs_kbuild_read_path(s->kb, s->shadow, sum->origins[k].path, norm,
					     sizeof(norm));

		err = in > 0 ? hs_strv_push(out, norm, strlen(norm)) : in;
	}
	if (err)
		hs_strv_free(out);
	return err;
}

/*
 * How an includer's post summary is made, in its narrow cache key: the
 * preprocessing of job_cmd() and the summary of cscan.c (bump on a change).
 */
#define POST_TAG "screen-post v1: -E -dU -D__LINE__=0, cscan summary"

/*
 * Where includer @i's post summary is kept: its narrow key over the
 * patched files it read before the patch (so a release's group and build
 * reuse what each file alone made), or NULL when those are unknown.
 */
char *hs_screen_post_path(struct screen *s, size_t i)
{
	struct hs_strv pre = { 0 };
	char *path = NULL;

	if (!origin_paths(s, &s->pre[i], &pre))
		path = hs_kbuild_narrow_key(s->kb, &s->u->u[i], s->p, s->shadow, &pre, POST_TAG,
					    "ppcache", ".sum");
	hs_strv_free(&pre);
	return path;
}

/* Keep includer @i's post summary under its narrow key if it read nothing more. */
void hs_screen_save_post(struct screen *s, size_t i)
{
	struct hs_strv pre = { 0 }, post = { 0 };

	if (!origin_paths(s, &s->pre[i], &pre) && !origin_paths(s, &s->post[i], &post) &&
	    hs_kbuild_narrow_covers(s->kb, &s->u->u[i], s->p, &pre, &post))
		save_sum(s, s->post_key[i], &s->post[i]);
	hs_strv_free(&pre);
	hs_strv_free(&post);
}
