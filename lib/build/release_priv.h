/* SPDX-License-Identifier: GPL-2.0 */
/* release_priv.h - what release.c and release_try.c share: the files and their verdicts. */
#ifndef HS_RELEASE_PRIV_H
#define HS_RELEASE_PRIV_H

#include "build/create.h"
#include "build/kbuild.h"
#include "core/strbuf.h"

enum verdict { V_LIVE, V_NOT_NEEDED, V_REFUSED, V_NOT_BUILT, V_NOT_CODE, V_PENDING, V_NV };

struct rfile {
	char *path;
	enum verdict v;
	bool ahead;		/* compiled in the batch before the runs alone */
	bool left_out;		/* not-needed-live, no longer carried (hs_release_carried()) */
	bool needs_noted;	/* refused: hs_release_note_needs() looked at it */
	char detail[512];
};

struct hs_release_needs;

struct release {
	const struct hs_ctx *ctx;
	const struct hs_create_opts *o;
	const char *from, *to, *new_src;
	struct hs_kbuild kb;
	struct rfile *f;
	size_t n;
	char *work;
	size_t tries;
	double t0, t;		/* start of the command, of the stage */
	char **diff;		/* per file: its diff (hs_release_diff()), NULL until read */
	struct hs_release_needs *needs;	/* release_needs.c's includers, read once */
};

extern const char *const hs_release_verdict_names[V_NV];

#define CAPTURE_SEEN 16

/* Errors of one create run, kept for the report; the rest is dropped. */
struct capture {
	const struct hs_ctx *out;	/* where a long screen's progress goes */
	const char *path;		/* the changed file being made */
	char first[512];
	struct hs_strbuf *all;	/* if set: every error line, one per line */
	bool echo;		/* every message goes on to @out as well (the build) */
	bool timing;		/* the run's stage marks (HS_TIMING) go on to @out, named
				   "timing: @path: STAGE" (no @path: "the build") */
	char not_needed[512];	/* create's word that a change needs nothing live */
	int partner;		/* "needs its partner files" was said */
	bool detail;		/* @first ends with ':': its next line goes with it */
	struct hs_strbuf *silent;	/* if set: each warning of what the update leaves
					   off: a tracepoint of the new code
					   (HS_KLP_TRACEPOINT_OFF), an export change
					   (HS_DIFF_EXPORT_NOT_LIVE), one per line */
	/* @first is a refusal of the diff ("'x.o': symbol 'y': class: reason"): the other
	   symbols and types refused with it, each once (in every includer of a header) */
	char seen[CAPTURE_SEEN][96];	/* "symbol 'y'", "type 'z'" */
	size_t nseen, more;	/* how many; of them, after the one @first names too */
	size_t also_end;	/* where @first's "also refused: ..." ends */
	bool over;		/* more than CAPTURE_SEEN: the rest not counted */
};

/*
 * Put first in the detail of each file refused because its new text does not
 * compile the refused changes it needs (release_needs.c), once per file.
 */
void hs_release_note_needs(struct release *r);

/*
 * Refuse, before a group run, each pending file that cannot compile in it: its
 * run alone failed on a name (a member, a function, a type) that no file the
 * run carries can give it (a header, or the includer its error is about, whose
 * diff changes a line naming it: another .c file naming it only uses it too),
 * while a refused file's change names it (its detail says which, first). A
 * file refused so may be what another one needs: repeated until none. Each
 * saves the group a round (6.1.190's null_blk/main.c needs the member
 * 'shared_tags' of refused null_blk.h). Returns how many were refused.
 */
size_t hs_release_refuse_unprovided(struct release *r);

/*
 * The .c files that include changed file @h of @r (itself, for a .c file), in
 * @users (owned by @r): how many, 0 when unknown. Read once per release.
 */
size_t hs_release_includers(struct release *r, size_t h, char *const **users);

/* Free what release_needs.c read for @r. */
void hs_release_needs_free(struct release *r);

/*
 * Add to the detail of each live file of @r the tracepoints that do not fire in
 * its new code and the export changes it leaves off, from the build's warnings
 * @silent (capture.silent).
 */
void hs_release_note_silent(struct release *r, const char *silent);

/* Run create (classification only unless @build) on @patch; errors into @cap. */
int hs_release_try_create(struct release *r, const char *patch, struct hs_create_opts *co,
			  struct capture *cap, bool build);

/*
 * Does a run of the files whose verdict is @a or @b carry @f? Those, and every
 * not-needed-live file: a change that compiles to nothing alone may be what a
 * partner needs to compile (6.1.190's hid-ids.h adds the device ID macros
 * hid-quirks.c uses); whatever else it changes, create finds not needed live
 * again. One whose change the others' errors name is left out (->left_out).
 */
bool hs_release_carried(const struct rfile *f, enum verdict a, enum verdict b);

/*
 * File @i's diff of the pristine and the new source into @text, read once and
 * kept in @r (a round's patch, the files a compile error names).
 */
int hs_release_diff(struct release *r, size_t i, const char **text);
/* Free what @r keeps read: the diffs, release_needs.c's includers. */
void hs_release_cache_free(struct release *r);
/*
 * The patch of the files of @r that a run of verdicts @a and @b carries into
 * @path (or only file @only; (size_t)-1: by verdict; (size_t)-2: those compiled
 * ahead); how many in *@n.
 */
int hs_release_write_patch(struct release *r, enum verdict a, enum verdict b, size_t only,
			   const char *path, size_t *n);

/* Progress: the end of stage @what, with its time and the time so far. */
void hs_release_stage(struct release *r, const char *what);

/* Each pending code file alone: live, not-needed-live, refused or still pending. */
int hs_release_try_alone(struct release *r);

/* How many built includers a run of the files whose verdict is @a or @b may compile. */
size_t hs_release_header_budget(const struct release *r, enum verdict a, enum verdict b);

/*
 * Refuse the files of verdict @v that the errors @all of a run name (their
 * path, or a .c file's object, quoted), each with the error line; how many.
 */
size_t hs_release_refuse_named(struct release *r, const char *all, enum verdict v);

/*
 * After a refused group round with errors @all: refuse the pending files they name
 * (how many: *@pending); when they name none, the live files they name instead (one
 * went live alone but not with the others); when they name none of those either, the
 * not-needed-live files they name are left out. How many files were refused or left
 * out: 0 ends the rounds.
 */
size_t hs_release_round_refuse(struct release *r, const char *all, size_t *pending);

/*
 * Leave out of the runs that follow the carried not-needed-live files that the errors
 * @all name (they stay not-needed-live: nothing needs them live; carried, they broke
 * the others: run 8's build, refused for includers of 'include/net/dst.h'); how many.
 */
size_t hs_release_leave_out_named(struct release *r, const char *all);

/* Rounds of the group run at most (each one refuses the files its errors name). */
#define HS_RELEASE_GROUP_ROUNDS 12

/* The files still pending, together with every live one (release_try.c). */
int hs_release_try_together(struct release *r);

#endif
