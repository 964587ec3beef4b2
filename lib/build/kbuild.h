/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kbuild.h - create's front end: a prepared kernel tree (cached), the
 * compile units a patch touches and where kbuild links them, and their
 * pre/post objects compiled with kbuild's own command lines.
 *
 * The prepared tree lives in <cache>/trees/<key>/ (see hs_cache_dir()),
 * keyed by the source tree, the target's .config and the compiler. It is an
 * out-of-tree (make O=) build directory after "syncconfig prepare", so
 * the source tree is never written. Objects are compiled outside it.
 */
#ifndef HS_KBUILD_H
#define HS_KBUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/hotsplice.h"
#include "build/patch.h"

/* Flags added to kbuild's own command line for every object. */
#define HS_KBUILD_EXTRA_CFLAGS "-ffunction-sections -fdata-sections"

/* How many built includers a header change may bring to compile, by default. */
#define HS_KBUILD_HEADER_USERS 20

struct hs_kbuild {
	const struct hs_ctx *ctx;
	char *source;		/* absolute path of the unmodified source tree */
	char *headers;		/* absolute path of the target's kbuild headers */
	char *cache;		/* the cache directory */
	char *config;		/* the headers' .config, as text */
	char *cc;		/* the compiler command, e.g. "gcc-12" */
	char *cc_text;		/* CONFIG_CC_VERSION_TEXT */
	char *release;		/* the target's kernel release, e.g. 6.1.0-55-cloud-amd64 */
	long pahole;		/* CONFIG_PAHOLE_VERSION (0: none) */
	char key[17];		/* 16 hex digits: the prepared tree's key */
	char *tree;		/* <cache>/trees/<key> */
	int jobs;		/* parallel jobs (-j) */
	size_t max_header_users; /* most .c files a header change may recompile */
	/*
	 * A header reaching more built files than this is narrowed to those that
	 * name what it changes (0: max_header_users). A whole-release run's budget
	 * is per header times its headers; each header is narrowed as it is alone.
	 */
	size_t narrow_over;
	bool no_name_narrowing;	/* for diagnosis: every includer of a header, names or not */
	bool quiet;		/* no per-stage progress */
	bool keep_going;	/* hs_kbuild_compile(): a failed compile stops nothing and
				 * is not reported (its object is missing) */
	/*
	 * hs_kbuild_compile(): the units of the sources of each of these @nfirst
	 * tiers (each sorted) are compiled before the next tier and the rest, and
	 * if one of them fails the others are not compiled: a whole-release
	 * round's suspects (the files the last round took out, then their
	 * includers) say in a few compiles what thousands would.
	 */
	const struct hs_strv *first;
	size_t nfirst;
	struct hs_kbuild_priv *priv; /* caches of directory lists and includes */
	char *try_run;		/* make's "try-run=..." (hs_kbuild_try_run()), or NULL */
	bool try_run_asked;	/* hs_kbuild_try_run() has looked: a failure is not looked at again */
};

/* What hs_kbuild_compile() says of the units it compiles first (hs_kbuild.first), and when one fails. */
#define HS_KBUILD_FIRST "if one fails, the others are not compiled"
#define HS_KBUILD_FIRST_FAILED "not run: those run first failed"

enum hs_unit_where {
	HS_UNIT_VMLINUX,	/* linked into vmlinux */
	HS_UNIT_MODULE,		/* part of a module */
	HS_UNIT_NOT_BUILT,	/* not built for this .config or architecture */
};

/* One .c file to compile pre and post. */
struct hs_kbuild_unit {
	char *src;		/* "kernel/sys.c", relative to the source tree */
	char *obj;		/* "kernel/sys.o" */
	char *via;		/* NULL, or the touched headers that bring it in (HS_NAMES_SEP) */
	enum hs_unit_where where;
	char *klp_object;	/* "vmlinux" or the module's name (KBUILD_MODNAME) */
	char *cmd;		/* kbuild's command line (shell), after hs_kbuild_cmdlines() */
};

/*
 * A file that a patched header reaches only through the definitions of
 * struct or union types (hs_kbuild_screen()): not compiled; its code is the
 * same if the types' layouts are.
 */
struct hs_kbuild_deferred {
	char *src;		/* "net/ipv4/arp.c" */
	size_t ntypes;
	char **types;		/* the tags of the changed types it uses */
};

struct hs_kbuild_units {
	size_t n;
	struct hs_kbuild_unit *u;
	size_t ndeferred;
	struct hs_kbuild_deferred *deferred;
};

/*
 * Check @source and @headers (the .config, Module.symvers, the compiler
 * named in CONFIG_CC_VERSION_TEXT and installed here) and fill @kb; the
 * tree is not prepared yet. Returns 0 or -errno; free with hs_kbuild_close().
 */
int hs_kbuild_open(const struct hs_ctx *ctx, const char *source, const char *headers,
		   struct hs_kbuild *kb);
void hs_kbuild_close(struct hs_kbuild *kb);

/*
 * The source and headers directories of a kernel fetched by
 * scripts/fetch-kernel: <cache>/<version>/source and .../headers.
 * Returns 0 (malloc'd strings) or -ENOENT, saying how to fetch it.
 */
int hs_kbuild_kernel_dirs(const struct hs_ctx *ctx, const char *version, char **source,
			  char **headers);

/*
 * Find the prepared tree for @kb, or build it (once, under a lock, in a
 * temporary directory renamed when complete). Sets kb->tree. Returns 0 or
 * -errno (the failing make step's output is logged).
 */
int hs_kbuild_prepare(struct hs_kbuild *kb);

/*
 * The make argument that gives kbuild a try-run keeping its compiler probes'
 * answers in the cache (kbuild_tryrun.c), for every make that reads a top
 * Makefile (the tree's, the headers' for a module); NULL: none (each make
 * probes again). Owned by @kb.
 */
const char *hs_kbuild_try_run(struct hs_kbuild *kb);

/*
 * The compile units of the patch @p: each touched .c file, and for each
 * touched header the .c files that include it (directly or through other
 * headers). A header whose change only defines or declares names, and that
 * more than kb->max_header_users built files include, brings only the ones
 * that name what it changes (kbuild_names.c; not with kb->no_name_narrowing).
 * Each unit says where kbuild links it. Refuses (-HS_EREFUSED, named)
 * assembly changes and a header that brings more than HS_KBUILD_SCREEN_MAX
 * built files; errors on touched files not built for this configuration.
 * Other files (docs, Makefiles, scripts) are reported.
 */
int hs_kbuild_units(struct hs_kbuild *kb, const struct hs_patch *p, struct hs_kbuild_units *out);
void hs_kbuild_units_free(struct hs_kbuild_units *u);

/*
 * Add the .c file @src (relative to the source tree) to @u as a unit when
 * kbuild builds it; *@where says where it is linked. Returns 0 or -errno.
 */
int hs_kbuild_unit_add(struct hs_kbuild *kb, struct hs_kbuild_units *u, const char *src,
		       enum hs_unit_where *where);

/*
 * For each of the @n @names, whether a .c or .h file of the source tree
 * names it as a whole word: @named[k]. Returns 0 or -errno.
 */
int hs_kbuild_named(struct hs_kbuild *kb, char *const *names, size_t n, bool *named);

/*
 * The .c files of the source tree whose text, or that of a header they
 * include, names one of the @n @names (sorted; whole words): where a caller
 * of a function so named can be. Sets *@files (sorted, malloc'd, free each)
 * and *@nfiles; returns 0, -HS_EREFUSED with the reason in @why when that
 * cannot be relied on (an assembly file, a generated or force-included
 * header names one), or -errno.
 */
int hs_kbuild_callers(struct hs_kbuild *kb, char *const *names, size_t n, char ***files,
		      size_t *nfiles, char *why, size_t whylen);

/*
 * Where kbuild links the object @obj ("dir/file.o") for this configuration,
 * from the directory Makefiles as kbuild reads them. Returns 0 and sets
 * *@where, or -errno.
 */
int hs_kbuild_where(struct hs_kbuild *kb, const char *obj, enum hs_unit_where *where);

/*
 * When the headers of the patch @p (file @patch_path) bring in more than
 * kb->max_header_users units, screen those units: preprocess each before
 * and after the patch (in @workdir/screen) and keep only the ones whose
 * code the change can reach (cscan.h); move those reached only through
 * struct/union definitions to u->deferred. Refuses (-HS_EREFUSED, named)
 * when more than kb->max_header_users remain. Returns 0 or -errno.
 */
int hs_kbuild_screen(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		     struct hs_kbuild_units *u, const char *workdir);

/*
 * Fill each unit's kbuild command line (cached in the tree) and its
 * klp_object. Returns 0 or -errno.
 */
int hs_kbuild_cmdlines(struct hs_kbuild *kb, struct hs_kbuild_units *u);

/*
 * Make @u's units ready to compile: their command lines (hs_kbuild_cmdlines())
 * and their generated prerequisites, both made once for the tree (one "make -n"
 * and one "make" for all the units that need them). A run that compiles them
 * later finds both done. Returns 0 or -errno.
 */
int hs_kbuild_ready(struct hs_kbuild *kb, struct hs_kbuild_units *u);

/*
 * Compile every unit twice, in parallel (kb->jobs): pre from the source
 * tree into @outdir/pre/<obj>, post with the patch @patch_path applied into
 * @outdir/post/<obj>. The patched files live in a shadow tree of symbolic
 * links (@outdir/shadow) so that patched headers and "local.h" includes
 * resolve as in a patched source tree. Objects are cached in the tree:
 * pre by command line, post by the whole patch and also by the patched text
 * of the files the unit reads (so a file's object made with it alone serves
 * a bigger patch that changes nothing else it reads). Returns 0 or -errno
 * (the compiler's output is logged).
 */
int hs_kbuild_compile(struct hs_kbuild *kb, const char *patch_path, const struct hs_patch *p,
		      struct hs_kbuild_units *u, const char *outdir);

/*
 * The .c files of the source tree that include @header (a path relative to
 * the source tree), directly or through other headers, found by scanning
 * the #include lines of the tree once (include paths resolved as kbuild's
 * -I options do; conditional includes count). Sorted, malloc'd into *@out.
 * Returns their number, or -errno.
 */
int hs_kbuild_includers(struct hs_kbuild *kb, const char *header, char ***out);

/* "vmlinux", "module", "not built". */
const char *hs_kbuild_where_name(enum hs_unit_where where);

#endif
