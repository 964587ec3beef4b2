/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cscan.h - which top-level declarations of a preprocessed C translation
 * unit reach its object: the screen that tells whether a header change can
 * change a .c file's object without compiling it.
 *
 * A translation unit (gcc -E output) is split into top-level declarations.
 * A declaration reaches the object ("is live") when it emits code or data by
 * itself (a function or object with external linkage, anything marked used
 * or constructor, top-level asm, a #pragma) or when a live declaration names
 * it. Static and inline functions, static data, types, prototypes and
 * macros that nothing live names emit nothing. A header change can change
 * the object only through a declaration whose text differs and which is
 * live on its side: the screen compares summaries of the pre and post units.
 *
 * The name analysis over-approximates on purpose (any identifier in a
 * declaration counts as a use; names are matched across namespaces), so the
 * screen may keep a file that does not change but never drops one that does.
 *
 * cscan.c makes a summary; csum.c compares two and reads and writes its text form.
 */
#ifndef HS_CSCAN_H
#define HS_CSCAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One top-level declaration, summarized. */
struct hs_cdecl {
	uint64_t hash;		/* digest of its token sequence */
	bool live;		/* reaches the object */
	bool aggregate;		/* a struct/union definition declaring only its tag */
	char *name;		/* the first name it declares, or NULL */
	uint32_t origin;	/* index into origins (from line markers), or UINT32_MAX */
};

/* A file the unit's text came from, with a digest of its declarations there, in order. */
struct hs_corigin {
	char *path;		/* as the line markers name it */
	uint64_t digest;
};

struct hs_csum {
	size_t n;
	struct hs_cdecl *d;
	size_t norigins;
	struct hs_corigin *origins;
	size_t nmacros;
	char **macros;		/* sorted: macros the unit used or tested (gcc -dU lines) */
};

/*
 * Summarize the preprocessed translation unit @text (@len bytes): its
 * top-level declarations in order, each with its digest, liveness, first
 * name and origin file. Line markers ("# 12 \"file\"") give the origins;
 * "#define NAME" and "#undef NAME" lines (gcc -dU) give the macros used.
 * The string literal @modname (KBUILD_MODNAME, e.g. "\"arp\"", or NULL) is
 * digested as one placeholder, so that a header's pr_debug() sites expand
 * alike in every file. Returns 0 or -ENOMEM; free with hs_csum_free().
 */
int hs_csum_scan(const char *text, size_t len, const char *modname, struct hs_csum *out);
void hs_csum_free(struct hs_csum *s);

/*
 * How the change from @pre to @post can reach the object: the live
 * declarations of either side with no identical declaration on the other
 * (post's first), into the malloc'd array *@out of pointers into @pre and
 * @post. Returns their number (0: the object cannot change) or -ENOMEM.
 */
int hs_csum_changes(const struct hs_csum *pre, const struct hs_csum *post,
		    const struct hs_cdecl ***out);

/*
 * The digests of the declarations of @a, live or not, with no identical
 * declaration in @b: sorted, malloc'd into *@out. Returns their number or
 * -ENOMEM.
 */
int hs_csum_gone(const struct hs_csum *a, const struct hs_csum *b, uint64_t **out);

/* Whether the unit used or tested macro @name. */
bool hs_csum_uses_macro(const struct hs_csum *s, const char *name);

/*
 * Compact text form of a summary for a cache: its live declarations
 * ("D HASH FLAGS NAME"), origins ("F DIGEST PATH") and macros ("M NAME");
 * hs_csum_parse() reads it back. Return 0, -ENOMEM or (parse) -EINVAL.
 */
int hs_csum_format(const struct hs_csum *s, char **out, size_t *len);
int hs_csum_parse(const char *text, struct hs_csum *out);
#endif
