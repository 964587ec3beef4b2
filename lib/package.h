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

#include "hotsplice.h"

#define HS_PKG_FORMAT "hotsplice-update 1"
#define HS_PKG_EXT ".hsu"
#define HS_PKG_ID_MAX 40
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
 * corrupted member, bad digest, missing key), or -errno.
 */
int hs_pkg_read(const struct hs_ctx *ctx, const char *path, struct hs_pkg *pkg);

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

/* Add a livepatch symbol entry (copies the strings). Returns 0 or -ENOMEM. */
int hs_pkg_add_klpsym(struct hs_pkg *pkg, const char *klp_obj, const char *name,
		      unsigned long sympos);

/* Free everything in @pkg. Safe on a zeroed struct. */
void hs_pkg_free(struct hs_pkg *pkg);

/* True if @id is a valid update id. */
int hs_pkg_id_valid(const char *id);

#endif
