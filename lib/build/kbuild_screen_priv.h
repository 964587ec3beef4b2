/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbuild_screen_priv.h - what the screen's files share (kbuild_screen.c runs
 * the preprocessor and decides; kbuild_screen_cache.c keeps summaries;
 * kbuild_screen_macros.c reads what the representative says).
 */
#ifndef HS_KBUILD_SCREEN_PRIV_H
#define HS_KBUILD_SCREEN_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "build/cscan.h"
#include "build/kbuild_priv.h"

enum pp_kind { PP_PRE, PP_POST, PP_MACROS_PRE, PP_MACROS_POST };

struct pp_job {
	size_t unit;		/* index into units */
	enum pp_kind kind;
	bool retried;
	bool again;		/* read a patched file unpatched: to run again (kbuild_shadow.c) */
	char *out, *cmd;
	pid_t pid;
};

/* A macro table (gcc -dM): "#define NAME..." lines sorted. */
struct macros {
	size_t n;
	char **line;
};

struct screen {
	struct hs_kbuild *kb;
	struct hs_kbuild_units *u;
	const struct hs_patch *p;
	const char *dir;	/* work directory of the screen */
	const char *shadow;
	struct hs_csum *pre, *post;	/* per unit */
	bool *have_pre;
	size_t n;		/* units at the start (the per-unit arrays) */
	size_t rep;		/* the representative unit */
	struct macros mpre, mpost;	/* the representative's macro tables */
	uint64_t *changed;	/* sorted digests of its declarations the patch changes */
	size_t nchanged;
	char **changed_macros;	/* macros the patch changes or removes */
	size_t nchanged_macros;
	bool all_slow;		/* the representative tells nothing about the others */
	char **post_key;	/* per unit: where its post summary is to be kept, or NULL */
	size_t post_hits;	/* post summaries taken from the cache */
	struct hs_strv misread;	/* paths that reached unpatched files: the shadow's fix */
	bool *reached;		/* per unit: known to be reached (counted early) */
	size_t nreached;
	bool counting;		/* phase 2: a post summary counts as it comes */
	struct pp_job *jobs;	/* those running */
	size_t todo, done;
	double last_progress;
};

/* A cached summary at @path into @sum: whether there was one (kbuild_screen_cache.c). */
bool hs_screen_load_sum(const char *path, struct hs_csum *sum);

/* Includer @i's pre summary from the cache (s->have_pre[i] says if found); keep it there. */
void hs_screen_load_pre(struct screen *s, size_t i);
void hs_screen_save_pre(struct screen *s, size_t i);

/*
 * Where includer @i's post summary is kept: its narrow key over the patched
 * files it read before the patch (so a release's group and build reuse what
 * each file alone made), or NULL when those are unknown. Keep it there if it
 * read nothing more after the patch.
 */
char *hs_screen_post_path(struct screen *s, size_t i);
void hs_screen_save_post(struct screen *s, size_t i);

/* A macro table from gcc -dM output @text (kbuild_screen_macros.c); free it. */
int hs_screen_read_macros(char *text, struct macros *m);
void hs_screen_free_macros(struct macros *m);

/* What the representative says: the changed declarations and macros. */
int hs_screen_analyze_rep(struct screen *s);

#endif
