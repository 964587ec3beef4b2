/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cppcond.h - which lines of a C file the kernel's configuration leaves out:
 * the #if/#ifdef/#elif/#else blocks whose conditions are false for it,
 * decided from the CONFIG_ macros of the prepared tree's autoconf.h alone.
 *
 * Three-valued and sound by construction: a condition is false only when
 * the configuration alone makes it so (defined(CONFIG_X), IS_ENABLED(),
 * IS_BUILTIN(), IS_MODULE(), IS_REACHABLE(), CONFIG_ values, numbers, and
 * the C operators over them). Anything else (another macro, MODULE, a
 * header guard, a CONFIG_ name that some file of the tree or a makefile's
 * -D/-U sets itself, a file whose directives do not nest) is unknown, and
 * an unknown condition leaves its block in.
 */
#ifndef HS_CPPCOND_H
#define HS_CPPCOND_H

#include <stdbool.h>
#include <stddef.h>

struct hs_cppcfg {
	bool loaded;		/* false: nothing is known, no line is left out */
	char **names;		/* sorted: CONFIG_X of autoconf.h ... */
	char **values;		/* ... and its value text ("1", "0x1000", "\"str\"") */
	size_t n;
	char **unknown;		/* sorted: CONFIG_ names that a file sets itself */
	size_t nunknown, capunknown;
};

/* Read the #define lines of autoconf.h's text @s (@len bytes) into @c. 0 or -errno. */
int hs_cppcfg_load(struct hs_cppcfg *c, const char *s, size_t len);

/*
 * Add to @c's unknown names the CONFIG_ names that @s (@len bytes) sets
 * itself: "#define CONFIG_X"/"#undef CONFIG_X" of a C file when @makefile
 * is false, "-DCONFIG_X"/"-UCONFIG_X" of a makefile when true.
 */
int hs_cppcfg_scan_setters(struct hs_cppcfg *c, const char *s, size_t len, bool makefile);

/* Add the name @s (@n bytes) to @c's unknown names. 0 or -ENOMEM. */
int hs_cppcfg_unknown(struct hs_cppcfg *c, const char *s, size_t n);

void hs_cppcfg_free(struct hs_cppcfg *c);

/*
 * The lines of @s (@len bytes) that @c leaves out: *@dead (calloc'd, one
 * per line, line 1 at index 0; *@nlines of them) is true for a line inside
 * a block whose condition is false. A directive line itself is judged by
 * the blocks around it. 0 or -ENOMEM; nothing is left out when no line is.
 */
int hs_cpp_dead_lines(const struct hs_cppcfg *c, const char *s, size_t len, bool **dead,
		      size_t *nlines);

/*
 * hs_cpp_dead_lines(), and the lines left out of @s blanked in place (spaces;
 * the newlines stay, so lines keep their numbers). *@dead as there, or NULL
 * when @dead is NULL. 0 or -ENOMEM.
 */
int hs_cpp_blank_dead(const struct hs_cppcfg *c, char *s, size_t len, bool **dead,
		      size_t *nlines);

#endif
