/* SPDX-License-Identifier: GPL-2.0 */
/* kbuild_priv.h - what the kbuild*.c files share and nobody else needs. */
#ifndef HS_KBUILD_PRIV_H
#define HS_KBUILD_PRIV_H

#include <sys/types.h>

#include "build/buildlog.h"
#include "build/cppcond.h"
#include "build/kbuild.h"
#include "core/spawn.h"
#include "core/strv.h"

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
	struct hs_buildlog_why why;	/* the lines that say why it failed */
};

/* hs_line_fn for struct hs_kbuild_out. */
void hs_kbuild_out_line(void *arg, const char *line);

/* Log as errors the lines of @out that say why it failed, else its last lines. */
void hs_kbuild_out_dump(const struct hs_kbuild_out *out);

/*
 * Run "make -C <source> O=@objtree CC=<cc> PAHOLE=<shim> @extra..." (@extra
 * NULL-terminated), each output line to @line. Returns make's exit status
 * or -errno.
 */
int hs_kbuild_make(struct hs_kbuild *kb, const char *objtree, const char *const extra[],
		   hs_line_fn line, void *arg);

/*
 * <cache>/trees/tools/@name, written with @text and @mode if it is not there
 * yet (a new text takes a new name). Returns its path (malloc'd) or NULL.
 */
char *hs_kbuild_tool(struct hs_kbuild *kb, const char *name, const char *text, mode_t mode);

/*
 * Take the prepared tree's lock (<cache>/trees/<key>.lock): one hotsplice
 * run at a time makes in the tree. Returns the fd for hs_unlock(), or -errno.
 */
int hs_kbuild_lock_tree(struct hs_kbuild *kb);

/* The first line a command printed (hs_kbuild_first_line(), an hs_line_fn). */
struct hs_kbuild_first_line {
	char text[512];
};
void hs_kbuild_first_line(void *arg, const char *line);

/* The same with @lead (NULL-terminated) in place of "-C <source>". */
int hs_kbuild_make_in(struct hs_kbuild *kb, const char *const lead[], const char *objtree,
		      const char *const extra[], hs_line_fn line, void *arg);

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
	struct hs_cppcfg cfg;	/* the configuration its #if blocks were judged by */
};

void hs_kbuild_incl_free(struct hs_kbuild_incl *in);

/* A patched file judged once: is its change only in blocks the configuration leaves out? */
struct hs_kbuild_dead_memo {
	char *path;		/* its path after the patch */
	char post[65];		/* SHA-256 of its text after the patch */
	bool dead_only;
};

struct hs_kbuild_priv {
	size_t ndirs;
	struct hs_kbuild_dir *dirs;
	struct hs_kbuild_incl *incl;
	struct hs_kbuild_dead_memo *memo;
	size_t nmemo;
};

/*
 * A file of the prepared tree's caches keyed by the text @key (NULL: out of
 * memory; freed here): "<tree>/@dir/<first 128 bits of its SHA-256>@ext".
 */
char *hs_kbuild_cache_file(const struct hs_kbuild *kb, const char *dir, char *key,
			   const char *ext);

/* Build kb->priv->incl, the #include index of the source tree, unless it exists. */
int hs_kbuild_incl_index(struct hs_kbuild *kb);

/* The index of source file @path (from the tree's top) in @in, or -1. */
long hs_kbuild_incl_find(const struct hs_kbuild_incl *in, const char *path);

/*
 * The index file that an #include of @name in file @from means: with @kind
 * '"', @name next to @from first ("." and ".." resolved); then, '"' or '<',
 * under the include directories of an x86 build (arch/x86/include, include
 * and their uapi). -1 if none.
 */
long hs_kbuild_incl_resolve(const struct hs_kbuild_incl *in, const char *from, char kind,
			    const char *name);

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
 * "@dir/@name" (@dir's first @dirlen bytes) with "." and ".." resolved by
 * the names alone, into @out: as the source tree, whose directories are no
 * links, resolves it ("arch/x86/kvm/vmx/../x86.h" is "arch/x86/kvm/x86.h").
 */
void hs_kbuild_path_join(char *out, size_t size, const char *dir, size_t dirlen,
			 const char *name);

/* The path of @path under directory @prefix ("a/b" of "/src/a/b" under "/src"), or NULL. */
const char *hs_kbuild_under(const char *path, const char *prefix);

/*
 * A file a job read, as its dependency file or a line marker names it
 * (@path, under the source tree or the shadow @shadow): its source-relative
 * path into @out with "." and ".." resolved, 1; 0 when it is no file of the
 * source (the prepared tree's, whose key covers it, relative or under
 * kb->tree, or the compiler's, under /usr); -ENOENT when it is elsewhere.
 */
int hs_kbuild_read_path(const struct hs_kbuild *kb, const char *shadow, const char *path,
			char *out, size_t size);

/*
 * The narrow cache entry of unit @un's post output (kbuild_compile.c): a
 * digest of its object, its command line, @tag (what is cached and how it
 * is made) and the post text of the files of @p that it read before the
 * patch (@pre, source-relative) or that @p adds. <tree>/@dir/<digest>@ext,
 * malloc'd; NULL if out of memory or a patched file cannot be read.
 */
char *hs_kbuild_narrow_key(struct hs_kbuild *kb, const struct hs_kbuild_unit *un,
			   const struct hs_patch *p, const char *shadow, const struct hs_strv *pre,
			   const char *tag, const char *dir, const char *ext);

/*
 * Whether an output made after the patch, which read the files @post, may be
 * kept under its narrow key: it read nothing the unit had not read before
 * (@pre) but files @p adds (else debug says which).
 */
bool hs_kbuild_narrow_covers(struct hs_kbuild *kb, const struct hs_kbuild_unit *un,
			     const struct hs_patch *p, const struct hs_strv *pre,
			     const struct hs_strv *post);

/*
 * The shadow tree of @p at @shadow: symbolic links into the source tree,
 * the patched files as real files (kbuild_shadow.c).
 */
int hs_kbuild_shadow(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		     const char *shadow);

/*
 * Whether @opened, a path that a job reading the shadow @shadow opened, is a
 * file of @p reached through a link to a source directory and "..": the
 * source tree's unpatched copy ("shadow/arch/x86/kvm/vmx/../x86.h").
 */
bool hs_kbuild_shadow_misread(struct hs_kbuild *kb, const struct hs_patch *p, const char *shadow,
			      const char *opened);

/*
 * The paths of the make rule @rule (gcc -MMD, of a job reading the shadow)
 * that hs_kbuild_shadow_misread() finds, appended to @out; how many.
 */
size_t hs_kbuild_shadow_misread_rule(struct hs_kbuild *kb, const struct hs_patch *p,
				     const char *shadow, const char *rule, struct hs_strv *out);

/*
 * Make real the directories of @shadow that the paths of @misread climb out
 * of with "..", so that they reach the shadow's files (run while no job reads
 * the shadow); @misread is emptied. The jobs that read them run again after,
 * and may find more (deeper ".."): @round counts from 0, and a round past
 * HS_KBUILD_SHADOW_ROUNDS is an error naming the path. 0 or -errno.
 */
int hs_kbuild_shadow_fix_all(struct hs_kbuild *kb, const char *shadow, struct hs_strv *misread,
			     int round);

/* Rounds of jobs run again after hs_kbuild_shadow_fix_all() at most (each fixes a directory). */
#define HS_KBUILD_SHADOW_ROUNDS 8

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

/* How long a unit's list of the touched headers that bring it in may grow. */
#define HS_KBUILD_VIA_MAX 1024
/*
 * One more touched header @via brings @un (an includer) in: every one is named, so that
 * an error of the includer names them all (6.1.190's nldev.c, reached by a
 * not-needed-live net/dst.h and by the rdma/restrack.h whose change it failed on, named
 * only the first: a release group could not tell which change to take out). A header
 * already named is not added again; past HS_KBUILD_VIA_MAX bytes none is. 0 or -ENOMEM.
 */
int hs_kbuild_unit_via_add(struct hs_kbuild_unit *un, const char *via);

/*
 * Of the patched headers @via that bring an includer in, those its failed compile's
 * (or preprocessing's) log @log names (an error or note in one, or on the way to one):
 * malloc'd, or NULL when the log names none of them (then all of them are to blame).
 * A change to one header breaks its includer, not the other headers it also includes
 * (run 9's pnfs_nfs.c, failing on pnfs.h, would have named five more).
 */
char *hs_kbuild_via_blamed(const char *via, const char *log);

/*
 * The headers of @via (HS_NAMES_SEP between them) that @keep(@arg, header)
 * keeps, in the same form (malloc'd; NULL when none is, or out of memory),
 * with how many it kept and how many @via has.
 */
char *hs_kbuild_via_filter(const char *via, bool (*keep)(void *arg, const char *header),
			   void *arg, size_t *kept, size_t *all);

/*
 * When a failed includer's log names none of the patched headers @via
 * brings in (hs_kbuild_via_blamed()), those of them whose change in @p names
 * a word of the log (the failing line quoted under the error: 6.1.192's
 * nft_reject_bridge.c and `.dump = nft_reject_dump,`), with those whose
 * change is more than names (kbuild_names.c): NULL when that is none or all
 * of them. Malloc'd, HS_NAMES_SEP between names.
 */
char *hs_kbuild_via_by_names(struct hs_kbuild *kb, const struct hs_patch *p, const char *via,
			     const char *log);

/* How long a reason why a header change is not names-only may be (kbuild_names.c). */
#define HS_KBUILD_WHY 256

/* The names a patch's change to one header defines or declares (kbuild_names.c). */
struct hs_kbuild_names {
	bool ok;		/* the change only defines or declares names */
	char why[HS_KBUILD_WHY]; /* when not ok: why not, e.g. "line 12: an #include changes" */
	size_t n;
	char **names;		/* sorted, unique: what the changed items define or declare */
	size_t nkept;
	char **kept;		/* sorted, unique: identifiers of the items the patch leaves */
};

/*
 * Work out what the hunks of @f (a header's section of the patch text
 * @patch, @patchlen bytes) do to the header's old text @old (@oldlen
 * bytes): the new text is made from the old one and the hunks (found at
 * their lines or the nearest place they match, as GNU patch does without
 * fuzz), both versions are split into top-level items, and out->names gets
 * the names of the items added, removed or changed (see kbuild_names.c).
 * When the change is more than that (an #include, part of a conditional
 * block, code every includer emits, anything not understood) out->ok is
 * false and out->why says why. Lines that @cfg (may be NULL) leaves out
 * (cppcond.h) are not looked at: a change only there changes nothing.
 * Returns 0 or -ENOMEM; free with hs_kbuild_names_free().
 */
int hs_kbuild_names_of(const char *old, size_t oldlen, const char *patch, size_t patchlen,
		       const struct hs_patch_file *f, const struct hs_cppcfg *cfg,
		       struct hs_kbuild_names *out);
void hs_kbuild_names_free(struct hs_kbuild_names *nm);

/* A header's new version, made from the old one and a patch's hunks (kbuild_names_apply.c). */
struct hs_kbuild_hunks {
	char *text;		/* the new version, NUL-terminated */
	size_t len;
	bool *old_mark;		/* [old line, from 1]: removed by the patch */
	bool *old_gap;		/* [old line]: the new version has lines right after it */
	bool *new_mark;		/* [new line]: added by the patch */
	bool *new_gap;		/* [new line]: the old version has lines right after it */
};

/*
 * Apply @f's hunks (at @patch, @patchlen) to @old in memory, each found near
 * its line as patch does. 0; 1 with the reason in @why (HS_KBUILD_WHY bytes)
 * when a hunk is cut short or does not match; or -ENOMEM. @r is filled and
 * owned by the caller (free its four arrays and text) whatever the result.
 */
int hs_kbuild_hunks_apply(const char *old, size_t oldlen, const struct hs_patch_file *f,
			  const char *patch, size_t patchlen, struct hs_kbuild_hunks *r, char *why);

/* The files a names-only header change can reach (kbuild_names.c). */
struct hs_kbuild_reach {
	bool ok;		/* names-only: @files is all the change can reach */
	bool everywhere;	/* the header is force-included or included by a generated
				 * header: @files is not limited to its #include index */
	struct hs_kbuild_names names;	/* of the header */
	size_t nfiles;
	char **files;		/* sorted .c files naming a name, or including a header that does */
	size_t nmention;	/* files of the tree whose text names a name */
};

/*
 * For the patched header @header of @p (read again from the file p->name):
 * when its change only defines or declares names, the .c files of the
 * source tree whose text, or that of a header they include, names one of
 * them (whole words). Other headers the patch changes count only through
 * their items it leaves alone (their own changes are their own units'
 * business). When that cannot be relied on (not names-only, the header
 * names one outside its changed items, a generated or force-included header
 * names one) out->ok is false and the reason is logged at debug level.
 * Needs the #include index (hs_kbuild_includers()). Returns 0 or -errno;
 * free with hs_kbuild_reach_free().
 */
int hs_kbuild_names_reach(struct hs_kbuild *kb, const struct hs_patch *p, const char *header,
			  struct hs_kbuild_reach *out);
void hs_kbuild_reach_free(struct hs_kbuild_reach *r);

/* Free kb->priv (called by hs_kbuild_close()). */
void hs_kbuild_priv_free(struct hs_kbuild *kb);

#endif
