// SPDX-License-Identifier: GPL-2.0
/* state.c - the state store of applied updates (see state.h for the layout). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/digest.h"
#include "core/strbuf.h"
#include "target/state.h"

#define STATE_MAGIC "hotsplice-state 1"

const char *hs_state_default_root(void)
{
	const char *r = getenv("HOTSPLICE_STATE");

	return r && *r ? r : "/var/lib/hotsplice";
}

void hs_state_version_digest(const char *version, char out[17])
{
	char hex[65];

	hs_sha256_hex(version, strlen(version), hex);
	memcpy(out, hex, 16);
	out[16] = 0;
}

int hs_state_entry_matches(const struct hs_state_entry *e, const char *release,
			   const char *version)
{
	char vd[17];

	hs_state_version_digest(version, vd);
	return !strcmp(e->release, release) && !strcmp(e->version_digest, vd);
}

int hs_state_entry_is_running(const struct hs_state_entry *e)
{
	struct utsname u;

	return !uname(&u) && hs_state_entry_matches(e, u.release, u.version);
}

static void entry_free(struct hs_state_entry *e)
{
	free(e->id);
	free(e->module);
	free(e->release);
	free(e->version_digest);
	free(e->effective);
	free(e->funcs);
	free(e->description);
	free(e->superseded_by);
	memset(e, 0, sizeof(*e));
}

static char *dup_field(const char *s)
{
	return strcmp(s, "-") ? strdup(s) : NULL;
}

/* The next space-separated word of *@p (NUL-terminated in place), or NULL. */
static char *next_word(char **p)
{
	char *w = *p, *sp;

	if (!w || !*w)
		return NULL;
	sp = strchr(w, ' ');
	*p = sp ? sp + 1 : NULL;
	if (sp)
		*sp = 0;
	return w;
}

/* True if @s is a word of any length: no whitespace or control character. */
static int long_word(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
	return *s != 0;
}

/* True if @e can be written as one state line that reads back the same. */
static int entry_valid(const struct hs_state_entry *e)
{
	return hs_pkg_id_valid(e->id) && hs_pkg_modname_valid(e->module) &&
	       hs_pkg_word_valid(e->release) && hs_pkg_word_valid(e->version_digest) &&
	       (!e->effective || (hs_pkg_word_valid(e->effective) && strcmp(e->effective, "-"))) &&
	       (!e->funcs[0] || (long_word(e->funcs) && strcmp(e->funcs, "-"))) &&
	       hs_pkg_text_valid(e->description);
}

/*
 * Parse one "applied ..." line into @e: space-separated words of any length,
 * the description the rest of the line; every field checked as save() writes
 * it. Returns 0, -HS_EFORMAT or -ENOMEM.
 */
static int parse_entry(char *line, struct hs_state_entry *e)
{
	char *f[8], *end;

	for (size_t i = 0; i < 8; i++)
		if (!(f[i] = next_word(&line)))
			return -HS_EFORMAT;
	e->when = strtoll(f[3], &end, 10);
	if (strcmp(f[0], "applied") || *end || end == f[3])
		return -HS_EFORMAT;
	e->id = strdup(f[1]);
	e->module = strdup(f[2]);
	e->release = strdup(f[4]);
	e->version_digest = strdup(f[5]);
	e->effective = dup_field(f[6]);
	e->funcs = strdup(strcmp(f[7], "-") ? f[7] : "");
	e->description = strdup(line ? line : "");
	if (!e->id || !e->module || !e->release || !e->version_digest || !e->funcs ||
	    !e->description || (strcmp(f[6], "-") && !e->effective)) {
		entry_free(e);
		return -ENOMEM;
	}
	if (!entry_valid(e)) {
		entry_free(e);
		return -HS_EFORMAT;
	}
	return 0;
}

/* "ID BY": entry ID was replaced by the cumulative update BY (both recorded). */
static int parse_superseded(struct hs_state *st, const char *line)
{
	char id[64], by[64];
	struct hs_state_entry *e;

	if (sscanf(line, "%63s %63s", id, by) != 2 || !hs_state_find(st, by) || !strcmp(id, by) ||
	    !(e = (struct hs_state_entry *)hs_state_find(st, id)) || e->superseded_by)
		return -HS_EFORMAT;
	e->superseded_by = strdup(by);
	return e->superseded_by ? 0 : -ENOMEM;
}

static int load_state(const struct hs_ctx *ctx, struct hs_state *st, const char *path)
{
	char *text, *save = NULL;
	int err, lineno = 0;

	err = hs_read_file(NULL, path, &text, NULL);
	if (err == -ENOENT)
		return 0;
	if (err) {
		hs_err(ctx, "cannot read the state '%s': %s", path, strerror(-err));
		return err;
	}
	for (char *l = strtok_r(text, "\n", &save); l && !err; l = strtok_r(NULL, "\n", &save)) {
		struct hs_state_entry *v;

		if (++lineno == 1) {
			if (strcmp(l, STATE_MAGIC))
				err = -HS_EFORMAT;
			continue;
		}
		if (!strncmp(l, "superseded ", 11)) {
			err = parse_superseded(st, l + 11);
			continue;
		}
		v = realloc(st->v, (st->n + 1) * sizeof(*v));
		if (!v) {
			err = -ENOMEM;
			break;
		}
		st->v = v;
		memset(&v[st->n], 0, sizeof(*v));
		err = parse_entry(l, &v[st->n]);
		if (!err)
			st->n++;
	}
	if (!err && !lineno)
		err = -HS_EFORMAT;
	if (err == -HS_EFORMAT)
		hs_err(ctx, "the state '%s' is damaged at line %d; it was not changed (move it away to start afresh)",
		       path, lineno ? lineno : 1);
	free(text);
	return err;
}

/*
 * Remove what a crash between two steps can leave behind: temporary files of an
 * interrupted atomic write, and stored packages that the state does not list
 * (a crash after storing the package, before recording the update).
 */
static void remove_leftovers(const struct hs_ctx *ctx, const struct hs_state *st,
			     const char *updates)
{
	DIR *d = opendir(updates);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name), ext = strlen(HS_PKG_EXT);
		char *id, *path;
		int keep = 1;

		if (de->d_name[0] == '.')
			continue;
		if (strstr(de->d_name, ".tmp.")) {
			keep = 0;
		} else if (n > ext && !strcmp(de->d_name + n - ext, HS_PKG_EXT)) {
			id = strndup(de->d_name, n - ext);
			keep = !id || hs_state_find(st, id);
			free(id);
		}
		if (keep || !(path = hs_strdupf("%s/%s", updates, de->d_name)))
			continue;
		hs_debug(ctx, "removing '%s', left by an interrupted command", path);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
}

static void intent_free(struct hs_state *st)
{
	free(st->intent);
	for (size_t i = 0; i < st->nintent_base; i++)
		free(st->intent_base[i]);
	free(st->intent_base);
	st->intent = NULL;
	st->intent_base = NULL;
	st->nintent_base = 0;
}

/* The update ids after the module line of the intent note, into st->intent_base. */
static int parse_intent_base(const struct hs_ctx *ctx, struct hs_state *st, char *rest,
			     const char *path)
{
	char *save = NULL;

	for (char *id = strtok_r(rest, "\n", &save); id; id = strtok_r(NULL, "\n", &save)) {
		char **v;

		if (!hs_pkg_id_valid(id)) {
			hs_warn(ctx, "'%s': '%s' is not an update id; ignored", path, id);
			continue;
		}
		v = realloc(st->intent_base, (st->nintent_base + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		st->intent_base = v;
		if (!(v[st->nintent_base] = strdup(id)))
			return -ENOMEM;
		st->nintent_base++;
	}
	return 0;
}

/* Read the file "intent" of @root into st->intent (absent: NULL). */
static int load_intent(const struct hs_ctx *ctx, struct hs_state *st)
{
	char *path = hs_strdupf("%s/intent", st->root), *text = NULL;
	int err;

	if (!path)
		return -ENOMEM;
	err = hs_read_file(NULL, path, &text, NULL);
	if (err == -ENOENT) {
		err = 0;
	} else if (!err) {
		size_t n = strcspn(text, "\n");
		char *rest = text[n] ? text + n + 1 : text + n;

		text[n] = 0;
		if (hs_pkg_modname_valid(text)) {
			st->intent = strdup(text);
			err = st->intent ? parse_intent_base(ctx, st, rest, path) : -ENOMEM;
		} else {
			hs_warn(ctx, "'%s' does not name a module; ignored", path);
		}
	} else {
		hs_err(ctx, "cannot read '%s': %s", path, strerror(-err));
	}
	free(text);
	free(path);
	return err;
}

int hs_state_intent_set(const struct hs_ctx *ctx, struct hs_state *st, const char *module,
			char *const *base, size_t nbase)
{
	char *path = hs_strdupf("%s/intent", st->root);
	struct hs_strbuf b = { .s = malloc(64), .cap = 64 };
	int err;

	if (b.s)
		b.s[0] = 0;
	hs_strbuf_printf(&b, "%s\n", module);
	for (size_t i = 0; i < nbase; i++)
		hs_strbuf_printf(&b, "%s\n", base[i]);
	err = !path || !b.s ? -ENOMEM : b.err ?: hs_write_file_atomic(ctx, path, b.s, b.len);
	intent_free(st);
	if (!err) {
		st->intent = strdup(module);
		st->intent_base = nbase ? calloc(nbase, sizeof(*st->intent_base)) : NULL;
		for (size_t i = 0; i < nbase && st->intent_base; i++)
			if ((st->intent_base[i] = strdup(base[i])))
				st->nintent_base++;
	}
	free(path);
	free(b.s);
	return err;
}

int hs_state_intent_clear(const struct hs_ctx *ctx, struct hs_state *st)
{
	char *path = hs_strdupf("%s/intent", st->root);
	int err = 0;

	if (!path)
		return -ENOMEM;
	if (unlink(path) && errno != ENOENT) {
		err = -errno;
		hs_err(ctx, "cannot remove '%s': %s", path, strerror(errno));
	}
	free(path);
	if (!err)
		intent_free(st);
	return err;
}

int hs_state_open(const struct hs_ctx *ctx, const char *root, struct hs_state *st)
{
	char *lock = NULL, *path = NULL, *updates = NULL;
	int err;

	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
	st->root = strdup(root);
	lock = hs_strdupf("%s/lock", root);
	path = hs_strdupf("%s/state", root);
	updates = hs_strdupf("%s/updates", root);
	if (!st->root || !lock || !path || !updates) {
		err = -ENOMEM;
		goto out;
	}
	err = hs_mkdir_p(ctx, updates);
	if (!err && chmod(root, 0700))
		err = -errno;
	if (err) {
		hs_err(ctx, "cannot create the state store '%s': %s", root, strerror(-err));
		goto out;
	}
	st->lockfd = hs_lock(ctx, lock);
	err = st->lockfd < 0 ? st->lockfd : load_state(ctx, st, path);
	err = err ?: load_intent(ctx, st);
	if (!err) {
		remove_leftovers(ctx, st, root);
		remove_leftovers(ctx, st, updates);
	}
out:
	free(lock);
	free(path);
	free(updates);
	if (err)
		hs_state_close(st);
	return err;
}

/* Share the lock @path with other readers; -ENOENT when there is none. */
static int lock_shared(const struct hs_ctx *ctx, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	while (flock(fd, LOCK_SH)) {
		if (errno == EINTR)
			continue;
		err = -errno;
		hs_err(ctx, "cannot lock '%s': %s", path, strerror(errno));
		close(fd);
		return err;
	}
	return fd;
}

int hs_state_open_ro(const struct hs_ctx *ctx, const char *root, struct hs_state *st)
{
	char *lock = NULL, *path = NULL;
	int fd, err = 0;

	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
	st->root = strdup(root);
	lock = hs_strdupf("%s/lock", root);
	path = hs_strdupf("%s/state", root);
	if (!st->root || !lock || !path) {
		err = -ENOMEM;
		goto out;
	}
	fd = lock_shared(ctx, lock);
	if (fd >= 0)
		st->lockfd = fd;
	else if (fd != -ENOENT)	/* no lock: no store yet, nothing recorded */
		err = fd;
	if (err)
		hs_err(ctx, "cannot read the state store '%s': %s", root, strerror(-err));
	err = err ?: load_state(ctx, st, path);
	err = err ?: load_intent(ctx, st);
out:
	free(lock);
	free(path);
	if (err)
		hs_state_close(st);
	return err;
}

void hs_state_close(struct hs_state *st)
{
	intent_free(st);
	for (size_t i = 0; i < st->n; i++)
		entry_free(&st->v[i]);
	free(st->v);
	if (st->lockfd >= 0)
		hs_unlock(st->lockfd);
	free(st->root);
	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
}

const struct hs_state_entry *hs_state_find(const struct hs_state *st, const char *id)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].id, id))
			return &st->v[i];
	return NULL;
}

char *hs_state_package_path(const struct hs_state *st, const char *id)
{
	return hs_strdupf("%s/updates/%s%s", st->root, id, HS_PKG_EXT);
}

int hs_state_store_package(const struct hs_ctx *ctx, const struct hs_state *st,
			   const char *id, const void *data, size_t len)
{
	char *path = hs_state_package_path(st, id);
	int err = path ? hs_write_file_atomic(ctx, path, data, len) : -ENOMEM;

	free(path);
	return err;
}

static int save(const struct hs_ctx *ctx, const struct hs_state *st)
{
	char *path = hs_strdupf("%s/state", st->root), *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int err;

	if (!path || !f) {
		if (f)
			fclose(f);
		free(text);
		free(path);
		return -ENOMEM;
	}
	fprintf(f, "%s\n", STATE_MAGIC);
	for (size_t i = 0; i < st->n; i++) {
		const struct hs_state_entry *e = &st->v[i];

		if (!entry_valid(e)) {
			hs_err(ctx, "update '%s': a field cannot be written to the state (spaces or control characters); not recorded",
			       e->id);
			fclose(f);
			free(text);
			free(path);
			return -EINVAL;
		}

		fprintf(f, "applied %s %s %lld %s %s %s %s %s\n", e->id, e->module, e->when,
			e->release, e->version_digest, e->effective ?: "-",
			e->funcs[0] ? e->funcs : "-", e->description);
	}
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].superseded_by)
			fprintf(f, "superseded %s %s\n", st->v[i].id, st->v[i].superseded_by);
	err = fclose(f) ? -ENOMEM : hs_write_file_atomic(ctx, path, text, len);
	free(path);
	free(text);
	return err;
}

char *hs_state_funcs_field(const struct hs_pkg *pkg)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < pkg->nfuncs; i++)
		len += strlen(pkg->funcs[i].klp_obj) + strlen(pkg->funcs[i].name) + 2;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (size_t i = 0; i < pkg->nfuncs; i++) {
		size_t n = strlen(s);

		snprintf(s + n, len - n, "%s%s:%s", i ? "," : "", pkg->funcs[i].klp_obj,
			 pkg->funcs[i].name);
	}
	return s;
}

static char *one_line(const char *s)
{
	char *d = strdup(s ? s : "");

	hs_pkg_text_fix(d);
	return d;
}

/* Mark the live entries of @pkg's base superseded by @by (NULL: live again). */
static int supersede(struct hs_state *st, const struct hs_pkg *pkg, const char *by)
{
	for (size_t i = 0; i < st->n; i++) {
		struct hs_state_entry *e = &st->v[i];

		if (!hs_pkg_has_str(pkg->base, pkg->nbase, e->id) ||
		    (by ? e->superseded_by != NULL : !e->superseded_by ||
			  strcmp(e->superseded_by, pkg->id)))
			continue;
		free(e->superseded_by);
		e->superseded_by = by ? strdup(by) : NULL;
		if (by && !e->superseded_by)
			return -ENOMEM;
	}
	return 0;
}

int hs_state_add(const struct hs_ctx *ctx, struct hs_state *st, const struct hs_pkg *pkg)
{
	struct hs_state_entry *v, *e;
	char vd[17];
	int err;

	v = realloc(st->v, (st->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	st->v = v;
	e = &v[st->n];
	memset(e, 0, sizeof(*e));
	hs_state_version_digest(pkg->target_version, vd);
	e->id = strdup(pkg->id);
	e->module = strdup(pkg->module);
	e->when = (long long)time(NULL);
	e->release = strdup(pkg->target_release);
	e->version_digest = strdup(vd);
	e->effective = pkg->effective_version ? strdup(pkg->effective_version) : NULL;
	e->funcs = hs_state_funcs_field(pkg);
	e->description = one_line(pkg->description);
	if (!e->id || !e->module || !e->release || !e->version_digest || !e->funcs ||
	    !e->description) {
		entry_free(e);
		return -ENOMEM;
	}
	st->n++;
	err = supersede(st, pkg, pkg->id);
	err = err ?: save(ctx, st);
	if (err) {
		supersede(st, pkg, NULL);
		entry_free(&st->v[--st->n]);
		hs_err(ctx, "cannot record update '%s' in '%s'", pkg->id, st->root);
	}
	return err;
}

int hs_state_remove(const struct hs_ctx *ctx, struct hs_state *st, const char *id)
{
	struct hs_state_entry gone;
	char **was, *path;
	size_t i;
	int err;

	for (i = 0; i < st->n && strcmp(st->v[i].id, id); i++)
		;
	if (i == st->n)
		return -ENOENT;
	was = calloc(st->n + 1, sizeof(*was));
	if (!was)
		return -ENOMEM;
	gone = st->v[i];
	memmove(&st->v[i], &st->v[i + 1], (st->n - i - 1) * sizeof(*st->v));
	st->n--;
	for (size_t k = 0; k < st->n; k++)	/* what it superseded lives again */
		if (st->v[k].superseded_by && !strcmp(st->v[k].superseded_by, gone.id))
			was[k] = st->v[k].superseded_by, st->v[k].superseded_by = NULL;
	err = save(ctx, st);
	if (err) {
		for (size_t k = 0; k < st->n; k++)
			if (was[k])
				st->v[k].superseded_by = was[k];
		memmove(&st->v[i + 1], &st->v[i], (st->n - i) * sizeof(*st->v));
		st->v[i] = gone;
		st->n++;
		free(was);
		return err;
	}
	for (size_t k = 0; k < st->n; k++)
		free(was[k]);
	free(was);
	path = hs_state_package_path(st, gone.id);
	if (path)
		unlink(path);
	free(path);
	entry_free(&gone);
	return 0;
}

/* Mark in @drop the entry @id and every entry superseded by a marked one. */
static void mark_tree(const struct hs_state *st, const char *id, unsigned char *drop)
{
	for (int more = 1; more;) {
		more = 0;
		for (size_t k = 0; k < st->n; k++)
			if (!drop[k] && (!strcmp(st->v[k].id, id) ||
					 (st->v[k].superseded_by &&
					  hs_state_find(st, st->v[k].superseded_by) &&
					  drop[hs_state_find(st, st->v[k].superseded_by) - st->v])))
				drop[k] = 1, more = 1;
	}
}

int hs_state_forget(const struct hs_ctx *ctx, struct hs_state *st, const char *id)
{
	unsigned char *drop = calloc(st->n + 1, 1);
	struct hs_state_entry *keep = calloc(st->n + 1, sizeof(*keep)), *old = st->v;
	size_t n = 0, oldn = st->n;
	int err;

	if (!drop || !keep) {
		free(drop);
		free(keep);
		return -ENOMEM;
	}
	mark_tree(st, id, drop);
	for (size_t k = 0; k < oldn; k++)
		if (!drop[k])
			keep[n++] = old[k];
	st->v = keep;
	st->n = n;
	err = save(ctx, st);
	if (err) {
		st->v = old;
		st->n = oldn;
		free(keep);
		free(drop);
		return err;
	}
	for (size_t k = 0; k < oldn; k++) {
		char *path;

		if (!drop[k])
			continue;
		path = hs_state_package_path(st, old[k].id);
		if (path)
			unlink(path);
		free(path);
		entry_free(&old[k]);
	}
	free(old);
	free(drop);
	return 0;
}
