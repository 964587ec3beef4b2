/* SPDX-License-Identifier: GPL-2.0 */
/* kbuild_priv.h - what the kbuild*.c files share and nobody else needs. */
#ifndef HS_KBUILD_PRIV_H
#define HS_KBUILD_PRIV_H

#include "kbuild.h"
#include "spawn.h"

/* Most built includers of patched headers screened (kbuild_screen.c); more are refused. */
#define HS_KBUILD_SCREEN_MAX 3000

/* The value of CONFIG_@name in @config, malloc'd, quotes removed; NULL if unset. */
char *hs_kbuild_config_value(const char *config, const char *name);

/* Output of a make or compiler run: its last lines, and progress every few seconds. */
struct hs_kbuild_out {
	const struct hs_ctx *ctx;
	const char *what;	/* "prepare", ... for progress lines */
	bool progress;
	double last;		/* when progress was last printed */
	char tail[16][512];	/* the last lines, a ring */
	size_t ntail;
};

/* hs_line_fn for struct hs_kbuild_out. */
void hs_kbuild_out_line(void *arg, const char *line);

/* Log the remembered last lines of @out as errors. */
void hs_kbuild_out_dump(const struct hs_kbuild_out *out);

/*
 * Run "make -C <source> O=@objtree CC=<cc> PAHOLE=<shim> @extra..." (@extra
 * NULL-terminated), each output line to @line. Returns make's exit status
 * or -errno.
 */
int hs_kbuild_make(struct hs_kbuild *kb, const char *objtree, const char *const extra[],
		   hs_line_fn line, void *arg);

/* What one directory's Makefile gives kbuild (paths from the tree's top). */
struct hs_kbuild_dir {
	char *dir;
	char *obj_y;		/* real-obj-y and lib-y, space-separated */
	char *obj_m;		/* real-obj-m */
	char *subdirs;		/* subdir-ym */
};

/* The source tree's files and their #include edges, for header searches. */
struct hs_kbuild_incl {
	size_t nfiles;
	char **files;		/* sorted paths of every .c and .h */
	size_t *nedges;		/* per file: how many files it includes */
	size_t **edges;		/* per file: indexes of the files it includes */
};

struct hs_kbuild_priv {
	size_t ndirs;
	struct hs_kbuild_dir *dirs;
	struct hs_kbuild_incl *incl;
};

/*
 * Have kbuild make what it would make before compiling each unit's object
 * (generated headers such as security/selinux/flask.h), in the prepared
 * tree, once per object (a mark in <tree>/.hotsplice/prereq/). Returns 0,
 * or -EIO after logging make's output when kbuild cannot make them.
 */
int hs_kbuild_prereqs(struct hs_kbuild *kb, const struct hs_kbuild_units *u);

/*
 * Refuse (-HS_EREFUSED, named) when a file of the patch @p is an input of a
 * file kbuild generated in the directory of one of @u's objects (found from
 * the generated files' .cmd and those of the tools that made them): the
 * post compile uses the tree's generated files, made from unpatched sources.
 */
int hs_kbuild_prereq_inputs(struct hs_kbuild *kb, const struct hs_kbuild_units *u,
			    const struct hs_patch *p);

/*
 * The shadow tree of @p at @shadow: symbolic links into the source tree,
 * the patched files as real files (see hs_kbuild_compile()).
 */
int hs_kbuild_shadow(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		     const char *shadow);

/*
 * kbuild's shell command compiling @un into the absolute path @out (from
 * the shadow tree @shadow when not NULL), run in the prepared tree.
 */
char *hs_kbuild_unit_cmd(struct hs_kbuild *kb, const struct hs_kbuild_unit *un, const char *out,
			 const char *shadow);

/*
 * Run jobs 0..@n-1, at most @max (at least 1) at a time: @start(@arg, i) in
 * order, @finish(@arg, i) in the same order. After an error no job is
 * started; those started are finished. Returns the first error, or 0.
 */
int hs_kbuild_run_jobs(size_t n, int max, int (*start)(void *arg, size_t i),
		       int (*finish)(void *arg, size_t i), void *arg);

/* Free what unit @un owns (not @un itself). */
void hs_kbuild_unit_free(struct hs_kbuild_unit *un);

/* Free kb->priv (called by hs_kbuild_close()). */
void hs_kbuild_priv_free(struct hs_kbuild *kb);

#endif
