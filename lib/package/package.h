/* SPDX-License-Identifier: GPL-2.0 */
/*
 * package.h - the update package: one uncompressed POSIX tar (ustar, via libarchive)
 * named hotsplice-<id>.hsu, holding
 *
 *   MANIFEST          text, one "key value" per line (format below), written first
 *   <module>.ko       the livepatch module (debug info stripped)
 *   patch.diff        the source patch the update was built from
 *   pre/<obj>.o       the pre object of every patched unit (debug info stripped): the
 *                     code and relocations run-pre matching compares with the kernel
 *
 * MANIFEST keys (values run to the end of the line; order as listed):
 *   format hotsplice-update 1
 *   id ID                       [A-Za-z0-9_-]+, at most 40 characters
 *   description TEXT
 *   created ISO-8601-UTC
 *   target-release RELEASE      uname -r of the kernel the update is for
 *   target-version VERSION      uname -v of that kernel (/proc/version's "#1 SMP ...")
 *   effective-version VERSION   the version the running kernel becomes (uname)
 *   compiler TEXT               CONFIG_CC_VERSION_TEXT the objects were compiled with
 *   module NAME                 livepatch module name (file NAME.ko)
 *   file PATH SIZE SHA256       one per member other than MANIFEST
 *   func OBJ KLPOBJ NAME NEWNAME SYMPOS   one per replaced function: pre object path
 *                               (a member), klp object (vmlinux or module name), the
 *                               function's name, the symbol in the module replacing it,
 *                               its kallsyms position decided by create (0: unique name;
 *                               absent in older packages: 0)
 *   klpsym KLPOBJ NAME SYMPOS   one per livepatch symbol of the module
 *                               (".klp.sym.KLPOBJ.NAME,SYMPOS"): what the new code
 *                               uses of the running kernel, at the position create decided
 *   base ID                     a cumulative update only, one per update it was built
 *                               on top of (create --on-top-of): what must be live when
 *                               it is applied, and what its atomic replace takes out
 *   replace yes                 loaded with atomic replace without a base (a whole-
 *                               release update): nothing else may be live
 *   release FROM TO             a whole-release update: the two versions; the member
 *                               release-report has one "VERDICT<TAB>PATH<TAB>DETAIL"
 *                               line per changed file (release.h)
 *   includes ID                 a cumulative update only, every earlier update it
 *                               carries, oldest first; its patch is the member
 *                               includes/ID.diff
 *
 * Every member's digest is checked when a package is read; a package whose
 * members, sizes or digests disagree with its MANIFEST is refused.
 *
 * A signed package has a second member, MANIFEST.sig, written right after the
 * MANIFEST and not listed in it: a detached CMS (PKCS#7) signature, DER, of the
 * MANIFEST's bytes, which hold the digest of every other member (see trust.h).
 */
#ifndef HS_PACKAGE_H
#define HS_PACKAGE_H

#include <stddef.h>

#include "core/hotsplice.h"

#define HS_PKG_FORMAT "hotsplice-update 1"
#define HS_PKG_EXT ".hsu"
#define HS_PKG_ID_MAX 40
#define HS_PKG_SIZE_MAX (256u << 20)	/* a package file, at most */
#define HS_PKG_MEMBERS_MAX 4096		/* members, "file" and "func" lines, at most each */
#define HS_PKG_MODNAME_MAX 55		/* the kernel's MODULE_NAME_LEN - 1 */
#define HS_PKG_WORD_MAX 255		/* a one-word MANIFEST value (release, names) */
#define HS_PKG_TEXT_MAX 1024		/* a free-text MANIFEST value (description) */
#define HS_PKG_SIG "MANIFEST.sig"

struct hs_pkg_file {
	char *path;
	size_t size;
	char sha256[65];	/* hex */
	unsigned char *data;	/* the contents, NULL until read */
};

struct hs_pkg_func {
	char *obj;		/* pre object member, e.g. "pre/fs/proc/cmdline.o" */
	char *klp_obj;		/* "vmlinux" or a module name */
	char *name;		/* function in the running kernel */
	char *new_name;		/* its replacement in the module */
	unsigned long sympos;	/* its kallsyms position in the target, 0: unique */
};

struct hs_pkg_klpsym {
	char *klp_obj;		/* "vmlinux" or a module name */
	char *name;
	unsigned long sympos;
};

struct hs_pkg {
	char *id;
	char *description;
	char *created;
	char *target_release;
	char *target_version;
	char *effective_version;
	char *compiler;
	char *module;
	struct hs_pkg_file *files;
	size_t nfiles;
	struct hs_pkg_func *funcs;
	size_t nfuncs;
	char **base;		/* cumulative: the updates it replaces when applied */
	size_t nbase;
	char **includes;	/* cumulative: the earlier updates it carries, oldest first */
	size_t nincludes;
	int replace;		/* atomic replace without a base (a release update) */
	char *release_from;	/* a release update: from this version ... */
	char *release_to;	/* ... to this one */
	struct hs_pkg_klpsym *klpsyms;
	size_t nklpsyms;
	/* read: the MANIFEST's bytes as stored, and MANIFEST.sig (NULL: unsigned) */
	unsigned char *manifest;
	size_t manifest_len;
	unsigned char *sig;
	size_t sig_len;
	/* write: signs the MANIFEST's bytes into a malloc'd *sig (NULL: unsigned) */
	int (*sign)(void *arg, const void *data, size_t len, unsigned char **sig,
		    size_t *sig_len);
	void *sign_arg;
};

/*
 * Read and verify the package at @path into @pkg (all members in memory).
 * Returns 0, or -HS_EFORMAT with a message saying what is wrong (truncated,
 * corrupted member, bad digest, missing key, too large), or -errno.
 */
int hs_pkg_read(const struct hs_ctx *ctx, const char *path, struct hs_pkg *pkg);

/*
 * The bytes of the package file @path (at most HS_PKG_SIZE_MAX), malloc'd in
 * *@data. Whoever verifies a package and then keeps or loads it uses these
 * bytes for both (hs_pkg_parse()), never the path again. Returns 0,
 * -HS_EFORMAT (too large) or -errno, with a message.
 */
int hs_pkg_read_bytes(const struct hs_ctx *ctx, const char *path, unsigned char **data,
		      size_t *len);

/* Like hs_pkg_read(), for the package bytes @data (@name is used in messages). */
int hs_pkg_parse(const struct hs_ctx *ctx, const char *name, const void *data, size_t len,
		 struct hs_pkg *pkg);

/*
 * Write @pkg to @path atomically (temporary file, fsync, rename). The members'
 * data must be set; their sizes and digests are computed here.
 */
int hs_pkg_write(const struct hs_ctx *ctx, const char *path, struct hs_pkg *pkg);

/* The member named @path, or NULL. */
const struct hs_pkg_file *hs_pkg_file(const struct hs_pkg *pkg, const char *path);

/* Add a member (copies @data). Returns 0 or -ENOMEM. */
int hs_pkg_add_file(struct hs_pkg *pkg, const char *path, const void *data, size_t size);

/* Add a function entry (copies the strings). Returns 0 or -ENOMEM. */
int hs_pkg_add_func(struct hs_pkg *pkg, const char *obj, const char *klp_obj,
		    const char *name, const char *new_name);

/* Append a copy of @s to the list @v of @n strings. Returns 0 or -ENOMEM. */
int hs_pkg_add_str(char ***v, size_t *n, const char *s);

/* True if @pkg is cumulative: built on top of other updates, loaded with atomic replace. */
int hs_pkg_cumulative(const struct hs_pkg *pkg);

/* True if @id is in the list @v of @n strings. */
int hs_pkg_has_str(char *const *v, size_t n, const char *id);

/* Add a livepatch symbol entry (copies the strings). Returns 0 or -ENOMEM. */
int hs_pkg_add_klpsym(struct hs_pkg *pkg, const char *klp_obj, const char *name,
		      unsigned long sympos);

/* Free everything in @pkg. Safe on a zeroed struct. */
void hs_pkg_free(struct hs_pkg *pkg);

/* True if @id is a valid update id. */
int hs_pkg_id_valid(const char *id);

/* True if @name is a valid kernel module name: 1-55 of [A-Za-z0-9_-]. */
int hs_pkg_modname_valid(const char *name);

/* Replace each character of @id (NULL: nothing) that an update id cannot have with '-'. */
void hs_pkg_id_fix(char *id);

/*
 * True if @s is one word: 1 to HS_PKG_WORD_MAX printable characters, no
 * whitespace or control character (it is a field of the state's lines).
 */
int hs_pkg_word_valid(const char *s);

/* True if @s is one line of text: at most HS_PKG_TEXT_MAX bytes, no control character. */
int hs_pkg_text_valid(const char *s);

/* Make @s (NULL: nothing) one line: control characters as spaces, cut to HS_PKG_TEXT_MAX. */
void hs_pkg_text_fix(char *s);

#endif
