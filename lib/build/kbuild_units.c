// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_units.c - from the files a patch touches to the .c files to
 * compile: assembly refused, headers followed to the .c files including them.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "core/strv.h"
#include "build/kbuild_priv.h"

/* Parts of the source tree that are never compiled into a kernel or module. */
static bool outside_build(const char *path)
{
	static const char *const skip[] = { "Documentation/", "tools/", "samples/",
					    "scripts/", "LICENSES/", "usr/include/" };

	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strncmp(path, skip[i], strlen(skip[i])))
			return true;
	return !strncmp(path, "arch/", 5) && strncmp(path, "arch/x86/", 9);
}

static bool is_build_file(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	return !strcmp(base, "Makefile") || !strcmp(base, "Kbuild") ||
	       !strncmp(base, "Kconfig", 7) || hs_str_ends(base, ".lds.S") || hs_str_ends(base, ".mk");
}

/* Does a compiler's log name the file @path (a whole path: not the end of a longer one)? */
static bool named_in_log(const char *log, const char *path)
{
	size_t n = strlen(path);

	for (const char *at = log; (at = strstr(at, path)); at++)
		if ((at == log || at[-1] == '/' || at[-1] == ' ' || at[-1] == '\n' ||
		     at[-1] == '"' || at[-1] == '\'') && (at[n] == ':' || at[n] == ',' ||
		     at[n] == '"' || at[n] == '\'' || at[n] == '\n' || !at[n]))
			return true;
	return false;
}

int hs_kbuild_unit_via_add(struct hs_kbuild_unit *un, const char *via)
{
	const size_t k = sizeof(HS_NAMES_SEP) - 1, n = strlen(un->via), m = strlen(via);
	const char *at = un->via;
	char *s;

	while ((at = strstr(at, via))) {	/* already named? */
		if ((at == un->via || ((size_t)(at - un->via) >= k && !strncmp(at - k, HS_NAMES_SEP, k))) &&
		    (!at[m] || !strncmp(at + m, HS_NAMES_SEP, k)))
			return 0;
		at++;
	}
	if (n + k + m >= HS_KBUILD_VIA_MAX)
		return 0;
	if (!(s = realloc(un->via, n + k + m + 1)))
		return -ENOMEM;
	sprintf(s + n, "%s%s", HS_NAMES_SEP, via);
	un->via = s;
	return 0;
}

char *hs_kbuild_via_filter(const char *via, bool (*keep)(void *arg, const char *header),
			   void *arg, size_t *kept, size_t *all)
{
	const size_t k = sizeof(HS_NAMES_SEP) - 1;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	*kept = *all = 0;
	if (!via || !(f = open_memstream(&out, &len)))
		return NULL;
	for (const char *h = via, *end; *h; h = *end ? end + k : end) {
		char *name;

		end = strstr(h, HS_NAMES_SEP);
		end = end ? end : h + strlen(h);
		name = strndup(h, (size_t)(end - h));
		++*all;
		if (name && *name && keep(arg, name))
			fprintf(f, "%s%s", (*kept)++ ? HS_NAMES_SEP : "", name);
		free(name);
	}
	if (fclose(f) || !out || !*out) {
		free(out);
		return NULL;
	}
	return out;
}

static bool in_log(void *log, const char *header)
{
	return named_in_log(log, header);
}

char *hs_kbuild_via_blamed(const char *via, const char *log)
{
	size_t kept, all;

	return log ? hs_kbuild_via_filter(via, in_log, (void *)log, &kept, &all) : NULL;
}

static int add_unit(struct hs_kbuild_units *u, const char *src, const char *via,
		    enum hs_unit_where where)
{
	struct hs_kbuild_unit *un;

	for (size_t i = 0; i < u->n; i++) {
		if (strcmp(u->u[i].src, src))
			continue;
		if (!via) {	/* touched itself: never screened out */
			free(u->u[i].via);
			u->u[i].via = NULL;
		} else if (u->u[i].via) {
			return hs_kbuild_unit_via_add(&u->u[i], via);
		}
		return 0;
	}
	un = realloc(u->u, (u->n + 1) * sizeof(*un));
	if (!un)
		return -ENOMEM;
	u->u = un;
	un = &u->u[u->n];
	memset(un, 0, sizeof(*un));
	un->src = strdup(src);
	un->obj = strdup(src);
	un->via = via ? strdup(via) : NULL;
	un->where = where;
	if (!un->src || !un->obj || (via && !un->via))
		return -ENOMEM;
	un->obj[strlen(un->obj) - 1] = 'o';
	u->n++;
	return 0;
}

int hs_kbuild_unit_add(struct hs_kbuild *kb, struct hs_kbuild_units *u, const char *src,
		       enum hs_unit_where *where)
{
	char *obj = strdup(src);
	int err = obj ? 0 : -ENOMEM;

	*where = HS_UNIT_NOT_BUILT;
	if (!err && !outside_build(src)) {
		obj[strlen(obj) - 1] = 'o';
		err = hs_kbuild_where(kb, obj, where);
	}
	free(obj);
	if (!err && *where != HS_UNIT_NOT_BUILT)
		err = add_unit(u, src, NULL, *where);
	return err;
}

void hs_kbuild_unit_free(struct hs_kbuild_unit *un)
{
	free(un->src);
	free(un->obj);
	free(un->via);
	free(un->klp_object);
	free(un->cmd);
}

void hs_kbuild_units_free(struct hs_kbuild_units *u)
{
	for (size_t i = 0; i < u->n; i++)
		hs_kbuild_unit_free(&u->u[i]);
	free(u->u);
	u->u = NULL;
	u->n = 0;
	for (size_t i = 0; i < u->ndeferred; i++) {
		for (size_t k = 0; k < u->deferred[i].ntypes; k++)
			free(u->deferred[i].types[k]);
		free(u->deferred[i].types);
		free(u->deferred[i].src);
	}
	free(u->deferred);
	u->deferred = NULL;
	u->ndeferred = 0;
}

static int touched_h(struct hs_kbuild *kb, const struct hs_patch *p, const char *header,
		     struct hs_kbuild_units *u, size_t *nbuilt);

/*
 * A touched .c file: it must be built for this configuration, as an object
 * of its own or #included by built .c files (kernel/sched/build_utility.c
 * includes cpufreq_schedutil.c), which are then the units.
 */
static int touched_c(struct hs_kbuild *kb, const struct hs_patch *p, const struct hs_patch_file *f,
		     struct hs_kbuild_units *u)
{
	enum hs_unit_where where = HS_UNIT_NOT_BUILT;
	char *obj = strdup(f->path);
	int err = obj ? 0 : -ENOMEM;

	if (!err && !f->is_new && !f->is_deleted) {
		obj[strlen(obj) - 1] = 'o';
		err = hs_kbuild_where(kb, obj, &where);
	}
	free(obj);
	if (err)
		return err;
	if (f->is_new || f->is_deleted) {
		hs_err(kb->ctx, "'%s': file %s: the kernel's Makefiles would have to change",
		       f->path, f->is_new ? "added" : "deleted");
		return -HS_EREFUSED;
	}
	if (where == HS_UNIT_NOT_BUILT) {
		size_t nbuilt;

		err = touched_h(kb, p, f->path, u, &nbuilt);
		if (err || nbuilt)
			return err;
		hs_err(kb->ctx, "'%s': not built for this configuration ('%s/.config')",
		       f->path, kb->headers);
		return -EINVAL;
	}
	return add_unit(u, f->path, NULL, where);
}

/* Where kbuild links @src, an includer of @header (not built: the header itself, outside). */
static int includer_where(struct hs_kbuild *kb, const char *header, const char *src,
			  enum hs_unit_where *where)
{
	char *obj = strdup(src);
	int err = 0;

	*where = HS_UNIT_NOT_BUILT;
	if (!obj)
		return -ENOMEM;
	obj[strlen(obj) - 1] = 'o';
	if (strcmp(src, header) && !outside_build(src))
		err = hs_kbuild_where(kb, obj, where);
	free(obj);
	return err;
}

/* Above how many built includers a header is narrowed to those that name its change. */
static size_t narrow_over(const struct hs_kbuild *kb)
{
	return kb->narrow_over ? kb->narrow_over : kb->max_header_users;
}

/* Whether more than narrow_over() of the @n @users are built (1), or not (0). */
static int many_built(struct hs_kbuild *kb, const char *header, char **users, int n)
{
	size_t nbuilt = 0, over = narrow_over(kb);
	int err = 0;

	for (int i = 0; i < n && !err && nbuilt <= over; i++) {
		enum hs_unit_where where;

		err = includer_where(kb, header, users[i], &where);
		nbuilt += where != HS_UNIT_NOT_BUILT;
	}
	return err ? err : nbuilt > over;
}

/*
 * A header whose change only defines or declares names (kbuild_names.c):
 * its includers become those of @r->files (sorted, like *@users), or all of
 * them when the header is seen without an #include line. Returns 1 when
 * narrowed, 0 when not (old behaviour), or -errno.
 */
static int narrow(struct hs_kbuild *kb, const struct hs_patch *p, const char *header,
		  char ***users, int *n, struct hs_kbuild_reach *r)
{
	int err, k = 0;

	if (!hs_str_ends(header, ".h"))
		return 0;
	err = many_built(kb, header, *users, *n);
	err = err > 0 ? hs_kbuild_names_reach(kb, p, header, r) : err;
	if (err || !r->ok)
		return err;
	for (size_t i = 0, j = 0; i < r->nfiles; i++) {
		while (!r->everywhere && j < (size_t)*n && strcmp((*users)[j], r->files[i]) < 0)
			j++;
		if (r->everywhere || (j < (size_t)*n && !strcmp((*users)[j], r->files[i]))) {
			char *keep = r->files[i];

			r->files[i] = r->files[k];
			r->files[k++] = keep;
		}
	}
	for (int i = 0; i < *n; i++)
		free((*users)[i]);
	free(*users);
	*users = r->files;
	*n = k;
	for (size_t i = (size_t)k; i < r->nfiles; i++)
		free(r->files[i]);
	r->files = NULL;
	r->nfiles = 0;
	return 1;
}

/* The info line of a narrowed header: its names, how many built files name them. */
static void log_narrowed(struct hs_kbuild *kb, const char *header, const struct hs_kbuild_reach *r,
			 size_t nbuilt, int nincl, size_t nnew)
{
	char list[256] = "";
	size_t len = 0;

	for (size_t i = 0; i < r->names.n && i <= 8 && len < sizeof(list); i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				i < 8 ? r->names.names[i] : "...");
	hs_info(kb->ctx, "'%s': the change only defines or declares %zu name(s) (%s): %zu built "
		"file(s) mention them (of %d includers; %zu new to compile)", header, r->names.n,
		list, nbuilt, nincl, nnew);
}

/*
 * A touched header (or a .c file built only through another's #include):
 * the built .c files including it; when more than narrow_over() and
 * the change only defines or declares names, those that name one.
 * *@nbuilt says how many there are.
 */
static int touched_h(struct hs_kbuild *kb, const struct hs_patch *p, const char *header,
		     struct hs_kbuild_units *u, size_t *nbuilt)
{
	struct hs_kbuild_reach r = { 0 };
	size_t first = u->n;
	char **users = NULL;
	int n, nincl, narrowed = 0, err = 0;

	*nbuilt = 0;
	n = nincl = hs_kbuild_includers(kb, header, &users);
	if (n < 0)
		return n;
	if (n > 0 && (size_t)n > narrow_over(kb) && !kb->no_name_narrowing)
		narrowed = narrow(kb, p, header, &users, &n, &r);
	err = narrowed < 0 ? narrowed : 0;
	for (int i = 0; i < n && !err && *nbuilt <= HS_KBUILD_SCREEN_MAX; i++) {
		enum hs_unit_where where;

		err = includer_where(kb, header, users[i], &where);
		if (err || where == HS_UNIT_NOT_BUILT || ++*nbuilt > HS_KBUILD_SCREEN_MAX)
			continue;
		if (narrowed > 0)
			hs_debug(kb->ctx, "'%s': names what '%s' changes: kept", users[i], header);
		err = add_unit(u, users[i], header, where);
	}
	for (int i = 0; i < n; i++)
		free(users[i]);
	free(users);
	if (!err && *nbuilt > HS_KBUILD_SCREEN_MAX) {
		hs_err(kb->ctx, "'%s': header included by more than %d built files (%d .c files of "
		       "the tree %s): refused", header, HS_KBUILD_SCREEN_MAX, n,
		       narrowed ? "include it and name what the patch changes" : "include it");
		err = -HS_EREFUSED;
	}
	if (!err && narrowed > 0)
		log_narrowed(kb, header, &r, *nbuilt, nincl, u->n - first);
	else if (!err && *nbuilt)
		hs_info(kb->ctx, "'%s': included by %zu built file(s) (%zu new to compile)",
			header, *nbuilt, u->n - first);
	hs_kbuild_reach_free(&r);
	return err;
}

static int touched_file(struct hs_kbuild *kb, const struct hs_patch *p,
			const struct hs_patch_file *f, struct hs_kbuild_units *u)
{
	if (outside_build(f->path)) {
		hs_info(kb->ctx, "'%s': outside the kernel build for x86: ignored", f->path);
		return 0;
	}
	if (is_build_file(f->path)) {
		hs_err(kb->ctx, "'%s': changes to the build system cannot be live-patched", f->path);
		return -HS_EREFUSED;
	}
	if (hs_str_ends(f->path, ".S") || hs_str_ends(f->path, ".s")) {
		hs_err(kb->ctx, "'%s': assembly changes cannot be live-patched", f->path);
		return -HS_EREFUSED;
	}
	if (hs_str_ends(f->path, ".c"))
		return touched_c(kb, p, f, u);
	if (hs_str_ends(f->path, ".h"))
		return touched_h(kb, p, f->is_new ? f->path : f->old_path, u, &(size_t){ 0 });
	hs_err(kb->ctx, "'%s': not a C source or header: cannot be live-patched", f->path);
	return -HS_EREFUSED;
}

int hs_kbuild_units(struct hs_kbuild *kb, const struct hs_patch *p, struct hs_kbuild_units *out)
{
	int err = 0, first = 0;

	memset(out, 0, sizeof(*out));
	/* every refusal is reported, not only the first */
	for (size_t i = 0; i < p->nfiles; i++) {
		err = touched_file(kb, p, &p->files[i], out);
		if (err == -ENOMEM)
			return err;
		first = first ?: err;
	}
	if (first)
		return first;
	if (!out->n) {
		hs_err(kb->ctx, "'%s': touches no file compiled into the kernel or its modules",
		       p->name);
		return -HS_ENOCHANGE;
	}
	return hs_kbuild_cmdlines(kb, out);
}
