// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_names.c - a header change that only defines or declares names
 * reaches only the files whose text names them, not every includer.
 *
 * kbuild_names_parse.c gives the set N of names the change defines or
 * declares (or says the change is not names-only); this file finds the
 * files of the source tree that name one of them.
 *
 * Soundness: a translation unit whose text, and the text of every header it
 * includes, never names a changed declaration or macro cannot compile
 * differently, because C resolves names textually. The change reaches
 * exactly the .c files that name one of N and the includers of the headers
 * that do; the patched header must not name N outside the changed items.
 * The exception is a name built by token pasting (##) from parts: a call of
 * a macro that pastes and is defined in the patched header is refused, one
 * defined elsewhere is assumed not to build a changed name. Lines moved by
 * the change alter __LINE__ only, which the differ ignores as well.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/ctok.h"
#include "build/kbuild_priv.h"
#include "core/strv.h"

struct nameset {
	char *const *v;		/* sorted */
	size_t n, minlen, maxlen;
	bool first[256];
};

static void nameset_init(struct nameset *ns, char *const *v, size_t n)
{
	*ns = (struct nameset){ .v = v, .n = n, .minlen = SIZE_MAX };
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(v[i]);

		ns->first[(unsigned char)v[i][0]] = true;
		ns->minlen = len < ns->minlen ? len : ns->minlen;
		ns->maxlen = len > ns->maxlen ? len : ns->maxlen;
	}
}

/* The name of @ns that @s (@len bytes) is, or NULL. */
static const char *nameset_find(const struct nameset *ns, const char *s, size_t len)
{
	size_t lo = 0, hi = ns->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(ns->v[mid], s, len);

		if (!c && !ns->v[mid][len])
			return ns->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Whether @s (@n bytes) has the word @w, not as part of a longer name: memmem is fast. */
static bool has_word(const char *s, size_t n, const char *w)
{
	size_t len = strlen(w);

	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), w, len)); p++)
		if ((p == s || !hs_ctok_idch(p[-1])) && (p + len == s + n || !hs_ctok_idch(p[len])))
			return true;
	return false;
}

/* The first of a few names of @ns that @s names as a whole word, or NULL. */
static const char *mentioned_few(const struct nameset *ns, const char *s, size_t n)
{
	for (size_t k = 0; k < ns->n; k++)
		if (has_word(s, n, ns->v[k]))
			return ns->v[k];
	return NULL;
}

/* The first name of @ns that the text @s names as a whole word, or NULL. */
static const char *mentioned(const struct nameset *ns, const char *s, size_t n)
{
	if (ns->n <= 12)
		return mentioned_few(ns, s, n);
	for (size_t i = 0, j; i < n; i = j) {
		const char *hit;

		for (j = i; j < n && !hs_ctok_idch(s[j]); j++)
			;
		for (i = j; j < n && hs_ctok_idch(s[j]); j++)
			;
		if (j > i && ns->first[(unsigned char)s[i]] && j - i >= ns->minlen &&
		    j - i <= ns->maxlen && (hit = nameset_find(ns, s + i, j - i)))
			return hit;
	}
	return NULL;
}

/* The first name of @a also in @b (both sorted), or NULL. */
static const char *common(char *const *a, size_t na, char *const *b, size_t nb)
{
	for (size_t i = 0, j = 0; i < na && j < nb;) {
		int c = strcmp(a[i], b[j]);

		if (!c)
			return a[i];
		c < 0 ? i++ : j++;
	}
	return NULL;
}

/* What hs_kbuild_names_reach() works with. */
struct reach {
	struct hs_kbuild *kb;
	const struct hs_patch *p;
	const char *header;
	struct hs_kbuild_reach *out;
	const struct hs_kbuild_incl *in;
	char *patch;
	size_t patchlen;
	struct nameset ns;
	bool *seed;		/* per index file: names a name */
	bool *skip;		/* per index file: a patched header, judged by its kept items */
	char *buf;		/* file contents */
	size_t cap;
	struct hs_strv hot;	/* how #include lines name the hot generated headers */
	const char *why;	/* why not narrowed (a static string or whyb) */
	char whyb[HS_KBUILD_WHY + 128];
};

__attribute__((format(printf, 2, 3)))
static void no(struct reach *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->whyb, sizeof(r->whyb), fmt, ap);
	va_end(ap);
	r->why = r->whyb;
}

/* Read @dir/@rel into r->buf; *@len its length. Returns 0 or -errno. */
static int slurp(struct reach *r, const char *dir, const char *rel, size_t *len)
{
	char *path = hs_strdupf("%s/%s", dir, rel);
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1, err = path ? 0 : -ENOMEM;
	struct stat st;
	ssize_t got = 0;

	err = err ?: fd < 0 ? -errno : 0;
	free(path);
	if (err)
		return err;
	if (fstat(fd, &st))
		err = -errno;
	if (!err && (size_t)st.st_size + 1 > r->cap) {
		char *b = realloc(r->buf, (size_t)st.st_size + 1);

		err = b ? 0 : -ENOMEM;
		r->buf = b ? b : r->buf;
		r->cap = b ? (size_t)st.st_size + 1 : r->cap;
	}
	for (*len = 0; !err && *len < (size_t)st.st_size; *len += (size_t)got)
		if ((got = read(fd, r->buf + *len, (size_t)st.st_size - *len)) <= 0)
			err = got ? -errno : -EIO;
	close(fd);
	return err;
}

/*
 * Another header of the patch counts through the items the patch leaves
 * alone; when its change is not names-only, its includers are all its own
 * units (or screened, or refused) whatever it names.
 */
static int other_header(struct reach *r, const struct hs_patch_file *f)
{
	long idx = hs_kbuild_incl_find(r->in, f->old_path ? f->old_path : "");
	struct hs_kbuild_names nm;
	size_t len;
	int err;

	if (idx < 0 || f->is_new || !strcmp(f->path, r->header))
		return 0;
	err = slurp(r, r->kb->source, f->old_path, &len);
	err = err ?: hs_kbuild_names_of(r->buf, len, r->patch, r->patchlen, f, &r->in->cfg, &nm);
	if (err)
		return err;
	r->skip[idx] = true;
	r->seed[idx] = nm.ok && common(r->ns.v, r->ns.n, nm.kept, nm.nkept);
	hs_kbuild_names_free(&nm);
	return 0;
}

/*
 * Does the text @s (@len bytes) name a name of @r's set outside the blocks
 * the configuration leaves out (cppcond.h)? A mention only in such blocks
 * (sched.h's "struct held_lock" under CONFIG_LOCKDEP) compiles to nothing.
 * The dead lines of @s are blanked.
 */
static int mentioned_live(struct reach *r, char *s, size_t len, bool *hit)
{
	*hit = mentioned(&r->ns, s, len);
	if (!*hit || !r->in->cfg.loaded)
		return 0;
	if (hs_cpp_blank_dead(&r->in->cfg, s, len, NULL, NULL))
		return -ENOMEM;
	*hit = mentioned(&r->ns, s, len);
	return 0;
}

/* Mark the files of the tree naming a name; the header's own items are judged apart. */
static int scan_tree(struct reach *r)
{
	long self = hs_kbuild_incl_find(r->in, r->header);
	int err = 0;

	if (self >= 0)
		r->skip[self] = true;
	for (size_t i = 0; !err && i < r->p->nfiles; i++) {
		const struct hs_patch_file *f = &r->p->files[i];

		if (hs_str_ends(f->path, ".h"))
			err = other_header(r, f);
	}
	for (size_t i = 0; !err && i < r->in->nfiles; i++) {
		size_t len;

		if (r->skip[i])
			continue;
		err = slurp(r, r->kb->source, r->in->files[i], &len);
		if (err)
			return err == -ENOMEM ? err : (no(r, "cannot read '%s'", r->in->files[i]), 0);
		err = mentioned_live(r, r->buf, len, &r->seed[i]);
		r->out->nmention += r->seed[i];
	}
	return err;
}

/* The file name of the #include line at @s (before @end) into @name, its '<' or '"' into @kind. */
static bool include_name(const char *s, const char *end, char *kind, char *name, size_t size)
{
	const char *q;

	s += strspn(s, " \t");
	if (s == end || *s++ != '#')
		return false;
	s += strspn(s, " \t");
	if (end - s < 8 || memcmp(s, "include", 7))
		return false;
	s += 7 + strspn(s + 7, " \t");
	if (s >= end || (*s != '<' && *s != '"'))
		return false;
	*kind = *s;
	for (q = ++s; q < end && *q != '>' && *q != '"' && *q != '\n'; q++)
		;
	if (q == end || *q == '\n' || (size_t)(q - s) >= size)
		return false;
	memcpy(name, s, (size_t)(q - s));
	name[q - s] = 0;
	return true;
}

/* How #include lines name the generated header @rel: <asm/x.h>, <generated/x.h>, "x.h". */
static int aliases(struct hs_strv *sv, const char *rel)
{
	const char *inc = NULL, *base = strrchr(rel, '/');
	int err = hs_strv_push(sv, base ? base + 1 : rel, strlen(base ? base + 1 : rel));

	for (const char *s = rel; (s = strstr(s, "include/")); s++)
		inc = s + 8;
	if (inc)
		err = err ?: hs_strv_push(sv, inc, strlen(inc));
	if (inc && !strncmp(inc, "generated/", 10))
		err = err ?: hs_strv_push(sv, inc + 10, strlen(inc + 10));
	if (inc && !strncmp(inc, "generated/uapi/", 15))
		err = err ?: hs_strv_push(sv, inc + 15, strlen(inc + 15));
	return err;
}

/*
 * A header kbuild generated in the prepared tree (include/generated, the
 * asm-generic wrappers, *.asn1.h) is not in the index: when it names a name
 * or includes a file that does (r->seed, closed), it is "hot" and the files
 * including it are found by their #include lines. The files it includes go
 * into @arg (a bool per index file).
 */
static int generated(struct reach *r, const char *rel, void *arg)
{
	bool *set = arg;
	char name[512];
	bool hot = false;
	size_t len;
	int err = slurp(r, r->kb->tree, rel, &len);

	if (err)
		return err == -ENOMEM ? err : (no(r, "cannot read '%s' of the prepared tree", rel), 0);
	r->buf[len] = 0;
	hot = mentioned(&r->ns, r->buf, len);
	for (char *s = r->buf; s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
		char kind;
		long idx = include_name(s, r->buf + len, &kind, name, sizeof(name)) ?
			   hs_kbuild_incl_resolve(r->in, rel, kind, name) : -1;

		if (idx >= 0) {
			set[idx] = true;
			hot = hot || r->seed[idx];
		}
	}
	return hot ? aliases(&r->hot, rel) : 0;
}

typedef int (*file_fn)(struct reach *r, const char *rel, void *arg);

/*
 * Call @fn for every regular file under @root/@rel whose name ends in @suffix,
 * depth first, until an error or r->why. Names starting with '.' are left
 * out; at the top also the directories of @skip (NULL-terminated) and, with
 * @x86_only, arch/ other than arch/x86.
 */
static int walk_tree(struct reach *r, const char *root, const char *rel,
		     const char *const *skip, bool x86_only, const char *suffix, file_fn fn,
		     void *arg)
{
	char *dir = hs_strdupf("%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = dir ? opendir(dir) : NULL;
	size_t slen = strlen(suffix);
	struct dirent *e;
	int err = dir ? 0 : -ENOMEM;

	free(dir);
	while (!err && !r->why && d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		bool skipped = e->d_name[0] == '.' ||
			       (x86_only && !strcmp(rel, "arch") && strcmp(e->d_name, "x86"));
		char *sub;

		for (size_t k = 0; !*rel && skip[k]; k++)
			skipped |= !strcmp(skip[k], e->d_name);
		if (skipped)
			continue;
		if (!(sub = hs_strdupf("%s%s%s", rel, *rel ? "/" : "", e->d_name)))
			err = -ENOMEM;
		else if (e->d_type == DT_DIR)
			err = walk_tree(r, root, sub, skip, x86_only, suffix, fn, arg);
		else if (e->d_type == DT_REG && n > slen && !strcmp(e->d_name + n - slen, suffix))
			err = fn(r, sub, arg);
		free(sub);
	}
	if (d)
		closedir(d);
	return err;
}

/* The headers kbuild generated in the prepared tree (see generated()). */
static int scan_generated(struct reach *r, bool *set)
{
	static const char *const skip[] = { "objcache", "ppcache", "scripts", "source", "tools",
					    NULL };

	return walk_tree(r, r->kb->tree, "", skip, false, ".h", generated, set);
}

/* Add to @set every file a file of @set includes, directly or not. */
static void forward(const struct hs_kbuild_incl *in, bool *set)
{
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < in->nfiles; i++)
			for (size_t j = 0; set[i] && j < in->nedges[i]; j++)
				if (!set[in->edges[i][j]])
					changed = set[in->edges[i][j]] = true;
	}
}

/* Add to @set every file including a file of @set, directly or not. */
static void backward(const struct hs_kbuild_incl *in, bool *set)
{
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < in->nfiles; i++)
			for (size_t j = 0; !set[i] && j < in->nedges[i]; j++)
				if (set[in->edges[i][j]])
					changed = set[i] = true;
	}
}

/* The files of the tree whose #include lines name a hot generated header join the seeds. */
static int hot_includers(struct reach *r)
{
	char name[512], kind;
	int err = 0;

	hs_strv_sort_uniq(&r->hot);
	for (size_t i = 0; !err && i < r->in->nfiles; i++) {
		size_t len;

		if (r->seed[i])
			continue;
		err = slurp(r, r->kb->source, r->in->files[i], &len);
		if (!err)
			r->buf[len] = 0;
		for (const char *s = r->buf; !err && s && !r->seed[i];
		     s = memchr(s, '\n', len - (size_t)(s - r->buf)), s = s ? s + 1 : NULL)
			r->seed[i] = include_name(s, r->buf + len, &kind, name, sizeof(name)) &&
				     bsearch(&(const char *){ name }, r->hot.v, r->hot.n,
					     sizeof(char *), hs_strv_cmp);
	}
	backward(r->in, r->seed);
	return err == -ENOMEM ? err : 0;
}

/*
 * What the #include index does not show: kbuild's -include options (every
 * file sees those headers: one that includes a file naming a name stops
 * the narrowing) and the headers generated in the prepared tree. The
 * patched header is "everywhere" when one of those includes it: its
 * includers are then not limited to the index's.
 */
static int unindexed(struct reach *r)
{
	static const char *const forced[] = {
		"include/linux/compiler-version.h", "include/linux/kconfig.h",
		"include/linux/compiler_types.h", "include/linux/hidden.h",
	};
	bool *set = calloc(r->in->nfiles, sizeof(*set));
	long self = r->header ? hs_kbuild_incl_find(r->in, r->header) : -1, idx;
	int err = set ? 0 : -ENOMEM;

	backward(r->in, r->seed);
	err = err ?: scan_generated(r, set);
	if (!err && !r->why && r->hot.n)
		err = hot_includers(r);
	for (size_t i = 0; !err && !r->why && i < sizeof(forced) / sizeof(forced[0]); i++) {
		if ((idx = hs_kbuild_incl_find(r->in, forced[i])) >= 0 && r->seed[idx])
			no(r, "'%s', which kbuild's -include gives every file, includes a file "
			   "naming one", forced[i]);
		if (idx >= 0)
			set[idx] = true;
	}
	if (!err && !r->why)
		forward(r->in, set);
	r->out->everywhere = !err && !r->why && self >= 0 && set[self];
	free(set);
	return err;
}

/* The .c files of the closed seeds. */
static int reached(struct reach *r)
{
	struct hs_kbuild_reach *out = r->out;

	for (size_t i = 0; i < r->in->nfiles; i++) {
		const char *f = r->in->files[i];
		size_t n = strlen(f);

		if (!r->seed[i] || f[n - 1] != 'c')
			continue;
		if (!out->files && !(out->files = calloc(r->in->nfiles, sizeof(char *))))
			return -ENOMEM;
		if (!(out->files[out->nfiles++] = strdup(f)))
			return -ENOMEM;
	}
	return 0;
}

/* The patch text and the header's names; r->why when the change is not names-only. */
static int header_names(struct reach *r)
{
	const struct hs_patch_file *f = hs_patch_find(r->p, r->header);
	struct hs_kbuild_names *nm = &r->out->names;
	const char *clash;
	size_t len;
	int err;

	for (size_t i = 0, n = 0; f && i < r->p->nfiles; i++)
		if (r->p->files[i].old_path && !strcmp(r->p->files[i].old_path, r->header) && n++)
			return no(r, "the patch changes it in more than one section"), 0;
	if (!f)
		return no(r, "not in the patch"), 0;
	err = hs_read_file(NULL, r->p->name, &r->patch, &r->patchlen);
	if (err)
		return err == -ENOMEM ? err : (no(r, "cannot read the patch '%s'", r->p->name), 0);
	err = slurp(r, r->kb->source, r->header, &len);
	if (err)
		return err == -ENOMEM ? err : (no(r, "cannot read it"), 0);
	err = hs_kbuild_names_of(r->buf, len, r->patch, r->patchlen, f, &r->in->cfg, nm);
	if (!err && !nm->ok)
		no(r, "%s", nm->why);
	else if (!err && (clash = common(nm->names, nm->n, nm->kept, nm->nkept)))
		no(r, "'%s' is named by a part of it the patch leaves alone", clash);
	nameset_init(&r->ns, nm->names, nm->n);
	return err;
}

int hs_kbuild_names_reach(struct hs_kbuild *kb, const struct hs_patch *p, const char *header,
			  struct hs_kbuild_reach *out)
{
	struct reach r = { .kb = kb, .p = p, .header = header, .out = out };
	double t0 = hs_now();
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!kb->priv || !kb->priv->incl || !kb->tree)
		no(&r, "no #include index or prepared tree");
	else
		r.in = kb->priv->incl;
	err = r.why ? 0 : header_names(&r);
	if (!err && !r.why && out->names.n) {
		r.seed = calloc(r.in->nfiles, sizeof(bool));
		r.skip = calloc(r.in->nfiles, sizeof(bool));
		err = r.seed && r.skip ? scan_tree(&r) : -ENOMEM;
		err = err ?: r.why ? 0 : unindexed(&r);
		err = err ?: r.why ? 0 : reached(&r);
	}
	out->ok = !err && !r.why;
	if (r.why)
		hs_debug(kb->ctx, "'%s': not narrowed to the files naming what it changes: %s",
			 header, r.why);
	else if (!err)
		hs_debug(kb->ctx, "'%s': %zu name(s), %zu file(s) of the tree name them, %zu .c "
			 "file(s) reached (%.1f s)", header, out->names.n, out->nmention,
			 out->nfiles, hs_now() - t0);
	free(r.patch);
	free(r.buf);
	free(r.seed);
	free(r.skip);
	hs_strv_free(&r.hot);
	return err;
}

void hs_kbuild_reach_free(struct hs_kbuild_reach *r)
{
	hs_kbuild_names_free(&r->names);
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	memset(r, 0, sizeof(*r));
}

/* What change_in_log() needs beside the header. */
struct log_of {
	struct hs_kbuild *kb;
	const struct hs_patch *p;
	const char *log;
};

/* Does @header's change name a word of the log, or is it more than names (or unknown)? */
static bool change_in_log(void *arg, const char *header)
{
	struct log_of *lo = arg;
	struct hs_kbuild_reach out = { 0 };
	struct reach r = { .kb = lo->kb, .p = lo->p, .header = header, .out = &out };
	int err = hs_kbuild_incl_index(lo->kb);
	bool in = true;

	r.in = err ? NULL : lo->kb->priv->incl;
	err = err ?: header_names(&r);
	if (!err && !r.why)
		in = mentioned(&r.ns, lo->log, strlen(lo->log)) != NULL;
	free(r.patch);
	free(r.buf);
	hs_kbuild_reach_free(&out);
	return in;
}

char *hs_kbuild_via_by_names(struct hs_kbuild *kb, const struct hs_patch *p, const char *via,
			     const char *log)
{
	struct log_of lo = { kb, p, log };
	size_t kept, all;
	char *out = log ? hs_kbuild_via_filter(via, change_in_log, &lo, &kept, &all) : NULL;

	if (out && kept == all) {
		free(out);
		return NULL;
	}
	return out;
}

/* Mark in @named the names of @ns that @s (@n bytes) names as whole words; how many new. */
static size_t mark_named(const struct nameset *ns, const char *s, size_t n, bool *named)
{
	size_t found = 0;

	for (size_t k = 0; k < ns->n; k++)
		if (!named[k] && has_word(s, n, ns->v[k]))
			found += named[k] = true;
	return found;
}

int hs_kbuild_named(struct hs_kbuild *kb, char *const *names, size_t n, bool *named)
{
	struct reach r = { .kb = kb };
	size_t left = n;
	int err = hs_kbuild_incl_index(kb);

	memset(named, 0, n * sizeof(*named));
	nameset_init(&r.ns, names, n);
	for (size_t i = 0; !err && left && i < kb->priv->incl->nfiles; i++) {
		size_t len;

		err = slurp(&r, kb->source, kb->priv->incl->files[i], &len);
		if (err == -ENOMEM)
			break;
		left -= err ? 0 : mark_named(&r.ns, r.buf, len, named);
		err = 0;	/* a file that cannot be read names nothing */
	}
	free(r.buf);
	return err;
}


/*
 * Whether the word at @s[@i..@j) (of @len bytes) is the name a function
 * declaration declares: "extern int f(int a);" at file scope, not in a
 * #define, an initialiser or a body. Such a mention calls nothing.
 */
static bool declared_at(const char *s, size_t len, size_t i, size_t j)
{
	size_t b = i, e = j, ls = i;

	while (e < len && (s[e] == ' ' || s[e] == '\t'))
		e++;
	if (e >= len || s[e] != '(')
		return false;
	while (ls > 0 && s[ls - 1] != '\n')
		ls--;
	while (ls >= 2 && s[ls - 2] == '\\') {	/* a continued line: go to its start */
		ls--;
		while (ls > 0 && s[ls - 1] != '\n')
			ls--;
	}
	while (ls < i && (s[ls] == ' ' || s[ls] == '\t'))
		ls++;
	if (s[ls] == '#')
		return false;
	while (b > 0 && !strchr(";{}", s[b - 1]))
		b--;
	if (b > 0 && s[b - 1] == '{')
		return false;
	while (e < len && !strchr(";{=", s[e]))
		e++;
	return e < len && s[e] == ';';
}

/* Whether every mention of a name of @ns in @s (@n bytes) only declares it. */
static bool only_declares(const struct nameset *ns, const char *s, size_t n)
{
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && !hs_ctok_idch(s[j]); j++)
			;
		for (i = j; j < n && hs_ctok_idch(s[j]); j++)
			;
		if (j > i && nameset_find(ns, s + i, j - i) && !declared_at(s, n, i, j))
			return false;
	}
	return true;
}

/* An assembly file naming a name: r->why names it. */
static int asm_fn(struct reach *r, const char *rel, void *arg)
{
	size_t len;
	int err = slurp(r, r->kb->source, rel, &len);

	(void)arg;
	if (!err && mentioned(&r->ns, r->buf, len))
		no(r, "the assembly file '%s' names it", rel);
	return err == -ENOMEM ? err : 0;
}

/* Assembly files (not indexed) of the tree naming a name: r->why names the first. */
static int scan_asm(struct reach *r)
{
	static const char *const skip[] = { "Documentation", "samples", "scripts", "tools", NULL };

	return walk_tree(r, r->kb->source, "", skip, true, ".S", asm_fn, NULL);
}

static int callers_reach(struct hs_kbuild *kb, char *const *names, size_t n,
			 struct hs_kbuild_reach *out)
{
	struct reach r = { .kb = kb, .out = out };
	double t0 = hs_now();
	int err = hs_kbuild_incl_index(kb);

	memset(out, 0, sizeof(*out));
	if (!err && !kb->tree)
		no(&r, "no prepared tree");
	r.in = err ? NULL : kb->priv->incl;
	nameset_init(&r.ns, names, n);
	if (!err && !r.why) {
		r.seed = calloc(r.in->nfiles + 1, sizeof(bool));
		err = r.seed ? 0 : -ENOMEM;
	}
	for (size_t i = 0; !err && !r.why && i < r.in->nfiles; i++) {
		size_t len;

		const char *f = r.in->files[i];

		err = slurp(&r, kb->source, f, &len);
		if (err)
			err = err == -ENOMEM ? err : (no(&r, "cannot read '%s'", f), 0);
		else if (mentioned(&r.ns, r.buf, len))
			out->nmention++,
			/* a header only declaring them brings no caller to its includers */
			r.seed[i] = f[strlen(f) - 1] != 'h' || !only_declares(&r.ns, r.buf, len);
	}
	err = err ?: r.why ? 0 : unindexed(&r);
	err = err ?: r.why ? 0 : scan_asm(&r);
	err = err ?: r.why ? 0 : reached(&r);
	out->ok = !err && !r.why;
	if (r.why)
		snprintf(out->names.why, sizeof(out->names.why), "%s", r.why);
	else if (!err)
		hs_debug(kb->ctx, "%zu file(s) of the tree name '%s'%s, %zu .c file(s) reached "
			 "(%.1f s)", out->nmention, names[0], n > 1 ? " or another" : "",
			 out->nfiles, hs_now() - t0);
	free(r.buf);
	free(r.seed);
	hs_strv_free(&r.hot);
	return err;
}

int hs_kbuild_callers(struct hs_kbuild *kb, char *const *names, size_t n, char ***files,
		      size_t *nfiles, char *why, size_t whylen)
{
	struct hs_kbuild_reach r;
	int err = callers_reach(kb, names, n, &r);

	*files = NULL;
	*nfiles = 0;
	if (!err && !r.ok) {
		snprintf(why, whylen, "%s", r.names.why);
		err = -HS_EREFUSED;
	} else if (!err) {
		*files = r.files;
		*nfiles = r.nfiles;
		r.files = NULL;
		r.nfiles = 0;
	}
	hs_kbuild_reach_free(&r);
	return err;
}
