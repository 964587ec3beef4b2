/* SPDX-License-Identifier: GPL-2.0 */
/*
 * state.h - the state store: which updates are applied, in order, with a copy of
 * each package. Layout under the root (default /var/lib/hotsplice, mode 0700):
 *
 *   lock              flock()ed by every command that reads or changes the state
 *   state             text, replaced atomically; first line "hotsplice-state 1", then
 *                     one line per applied update, oldest first:
 *                     applied ID MODULE UNIXTIME RELEASE VERSION-DIGEST EFFECTIVE FUNCS DESCRIPTION
 *                     (FUNCS: comma-separated OBJ:NAME; EFFECTIVE "-" when none;
 *                     VERSION-DIGEST: first 16 hex digits of sha256(target uname -v))
 *                     then one line per update a cumulative one took the place of:
 *                     superseded ID BY-ID
 *                     (not live: its livepatch was replaced by BY-ID's; it lives
 *                     again when BY-ID is undone)
 *   updates/ID.hsu    the package of each applied update
 *   intent            the module name of a livepatch apply is enabling, written
 *                     before the enable and removed once the update is
 *                     recorded (or taken back out): found with that livepatch
 *                     loaded but unrecorded, it tells that an apply died between
 *                     the two, and the next command takes it out (hs_reconcile());
 *                     for a cumulative update, then one line per update id it
 *                     replaces, which hs_reconcile() applies again first
 *
 * Writes are atomic (temporary file, fsync, rename, fsync directory): a crash at
 * any instant leaves the old or the new state.
 */
#ifndef HS_STATE_H
#define HS_STATE_H

#include <stddef.h>

#include "core/hotsplice.h"
#include "package/package.h"

struct hs_state_entry {
	char *id;
	char *module;
	long long when;
	char *release;		/* target uname -r */
	char *version_digest;	/* identifies the target uname -v */
	char *effective;	/* declared effective version, or NULL */
	char *funcs;		/* "vmlinux:foo,ext4:bar" */
	char *description;
	char *superseded_by;	/* NULL: live; else the cumulative update that took its place */
};

struct hs_state {
	char *root;
	int lockfd;
	struct hs_state_entry *v;
	size_t n;
	char *intent;		/* the module in the file "intent", or NULL */
	char **intent_base;	/* and the updates it replaces (a cumulative update) */
	size_t nintent_base;
};

/* The root to use: $HOTSPLICE_STATE or /var/lib/hotsplice. */
const char *hs_state_default_root(void);

/*
 * Create (0700) and lock the store at @root, then load it into @st. Waits for
 * another command holding the lock. Returns 0, -HS_EFORMAT for a damaged state
 * file (named, with the line), or -errno.
 */
int hs_state_open(const struct hs_ctx *ctx, const char *root, struct hs_state *st);

/*
 * Load the store at @root for reading only: nothing is created, changed or
 * removed (a missing store is an empty one); the lock is shared with other
 * readers and waits for a writer. For commands that promise to change nothing.
 */
int hs_state_open_ro(const struct hs_ctx *ctx, const char *root, struct hs_state *st);

/*
 * Note (atomically) that apply is about to enable livepatch @module, before it
 * does, with the @nbase updates @base it replaces (a cumulative update: 0
 * otherwise); hs_state_intent_clear() removes the note once the update is recorded
 * or taken back out. Returns 0 or -errno (then nothing may be enabled).
 */
int hs_state_intent_set(const struct hs_ctx *ctx, struct hs_state *st, const char *module,
			char *const *base, size_t nbase);

/* Remove the note of hs_state_intent_set(). Returns 0 or -errno. */
int hs_state_intent_clear(const struct hs_ctx *ctx, struct hs_state *st);

/* Unlock and free. */
void hs_state_close(struct hs_state *st);

/* The entry for @id, or NULL. */
const struct hs_state_entry *hs_state_find(const struct hs_state *st, const char *id);

/* Store the package file @pkg_path as updates/ID.hsu (atomically). */
int hs_state_store_package(const struct hs_ctx *ctx, const struct hs_state *st,
			   const char *id, const void *data, size_t len);

/* Path of the stored package of @id (malloc'd), or NULL. */
char *hs_state_package_path(const struct hs_state *st, const char *id);

/*
 * Append an entry made from @pkg (applied now) and save. When @pkg is
 * cumulative, the entries of its base are marked superseded by it in the
 * same save.
 */
int hs_state_add(const struct hs_ctx *ctx, struct hs_state *st, const struct hs_pkg *pkg);

/*
 * Remove @id's entry and its stored package, and save; the entries @id
 * superseded are live again (undo of a cumulative update).
 */
int hs_state_remove(const struct hs_ctx *ctx, struct hs_state *st, const char *id);

/*
 * Remove @id's entry and every entry it supersedes (and so on), with their
 * stored packages, in one save (undo --all).
 */
int hs_state_forget(const struct hs_ctx *ctx, struct hs_state *st, const char *id);

/* The FUNCS field recorded for @pkg ("vmlinux:foo,ext4:bar", malloc'd), or NULL. */
char *hs_state_funcs_field(const struct hs_pkg *pkg);

/* True if @e was recorded for the kernel with uname -r @release and uname -v @version. */
int hs_state_entry_matches(const struct hs_state_entry *e, const char *release,
			   const char *version);

/* True if @e was recorded for the running kernel. */
int hs_state_entry_is_running(const struct hs_state_entry *e);

/* The digest stored for a uname -v string (first 16 hex digits of its sha256). */
void hs_state_version_digest(const char *version, char out[17]);

#endif
