// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_incl.c - which .c files include a header: an index of the #include
 * lines of the whole source tree, built once per run, searched backwards.
 *
 * An #include line counts unless the configuration surely leaves it out
 * (cppcond.c: a block under #if/#ifdef whose condition the prepared tree's
 * autoconf.h alone makes false, as rcupdate.h's #include of rcutiny.h under
 * CONFIG_TINY_RCU on a CONFIG_TREE_RCU kernel); every other conditional
 * include counts, so a header change finds every file that might see it.
 * The caller keeps the files kbuild builds for the configuration.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/cppcond.h"
#include "build/kbuild_priv.h"

/* Kbuild's -I order for <...> includes on x86 (objtree-generated ones aside). */
static const char *const include_dirs[] = {
	"arch/x86/include", "include", "arch/x86/include/uapi", "include/uapi",
};

static bool skip_dir(const char *rel)
{
	static const char *const skip[] = { "Documentation", "tools", "samples", "scripts",
					    "LICENSES", ".git" };

	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcmp(rel, skip[i]))
			return true;
	return !strncmp(rel, "arch/", 5) && strcmp(rel, "arch/x86") && !strchr(rel + 5, '/');
}

struct file_list {
	size_t n, cap;
	char **v;
};

static int push(struct file_list *l, char *s)
{
	if (!s)
		return -ENOMEM;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			free(s);
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return 0;
}

static bool is_makefile(const char *name)
{
	return !strncmp(name, "Makefile", 8) || !strncmp(name, "Kbuild", 6);
}

/* Every .c and .h under @root/@rel to @l, the makefiles to @mk; paths relative to @root. */
static int walk(const char *root, const char *rel, struct file_list *l, struct file_list *mk)
{
	char *path = *rel ? hs_strdupf("%s/%s", root, rel) : strdup(root);
	DIR *d = path ? opendir(path) : NULL;
	struct dirent *e;
	int err = 0;

	free(path);
	if (!d)
		return 0;
	while (!err && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char *sub;

		if (e->d_name[0] == '.')
			continue;
		sub = *rel ? hs_strdupf("%s/%s", rel, e->d_name) : strdup(e->d_name);
		if (!sub)
			err = -ENOMEM;
		else if (e->d_type == DT_DIR) {
			if (!skip_dir(sub))
				err = walk(root, sub, l, mk);
			free(sub);
		} else if (n > 2 && e->d_name[n - 2] == '.' &&
			   (e->d_name[n - 1] == 'c' || e->d_name[n - 1] == 'h')) {
			err = push(l, sub);
		} else if (is_makefile(e->d_name)) {
			err = push(mk, sub);
		} else {
			free(sub);
		}
	}
	closedir(d);
	return err;
}

long hs_kbuild_incl_find(const struct hs_kbuild_incl *in, const char *path)
{
	char *const *hit = bsearch(&path, in->files, in->nfiles, sizeof(char *), hs_strv_cmp);

	return hit ? hit - in->files : -1;
}

void hs_kbuild_path_join(char *out, size_t size, const char *dir, size_t dirlen,
			 const char *name)
{
	size_t n = 0;

	n = snprintf(out, size, "%.*s%s", (int)dirlen, dir, dirlen ? "/" : "");
	for (const char *s = name; *s && n < size - 1; ) {
		size_t len = strcspn(s, "/");

		if (len == 1 && s[0] == '.') {
			/* nothing */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			if (n)
				n--;
			while (n && out[n - 1] != '/')
				n--;
		} else {
			n += snprintf(out + n, size - n, "%.*s%s", (int)len, s, s[len] ? "/" : "");
		}
		s += len + (s[len] == '/');
	}
	out[n < size ? n : size - 1] = 0;
}

long hs_kbuild_incl_resolve(const struct hs_kbuild_incl *in, const char *from, char kind,
			    const char *name)
{
	const char *slash = strrchr(from, '/');
	char path[4096];
	long idx = -1;

	if (kind == '"') {
		hs_kbuild_path_join(path, sizeof(path), from, slash ? (size_t)(slash - from) : 0,
				    name);
		idx = hs_kbuild_incl_find(in, path);
	}
	for (size_t i = 0; idx < 0 && i < sizeof(include_dirs) / sizeof(include_dirs[0]); i++) {
		hs_kbuild_path_join(path, sizeof(path), include_dirs[i], strlen(include_dirs[i]),
				    name);
		idx = hs_kbuild_incl_find(in, path);
	}
	/*
	 * <asm/X.h> that x86 does not have is a wrapper kbuild generates in the
	 * prepared tree (arch/x86/include/generated/[uapi/]asm/X.h, generic-y and
	 * mandatory-y), which is "#include <asm-generic/X.h>": <asm/unaligned.h>
	 * brings include/asm-generic/unaligned.h to 2,700 files.
	 */
	if (idx < 0 && kind == '<' && !strncmp(name, "asm/", 4)) {
		snprintf(path, sizeof(path), "asm-generic/%s", name + 4);
		idx = hs_kbuild_incl_resolve(in, from, '<', path);
	}
	return idx;
}

static int add_edge(struct hs_kbuild_incl *in, size_t i, size_t *cap, size_t idx)
{
	for (size_t k = 0; k < in->nedges[i]; k++)
		if (in->edges[i][k] == idx)
			return 0;
	if (in->nedges[i] == *cap) {
		size_t *e = realloc(in->edges[i], (*cap = *cap ? *cap * 2 : 8) * sizeof(*e));

		if (!e)
			return -ENOMEM;
		in->edges[i] = e;
	}
	in->edges[i][in->nedges[i]++] = idx;
	return 0;
}

/* File indexes sorted by base name, to find the headers of one name (resolve_near). */
struct by_base {
	const struct hs_kbuild_incl *in;
	size_t *idx;
};

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int cmp_base(const void *a, const void *b, void *arg)
{
	const struct hs_kbuild_incl *in = arg;

	return strcmp(base_of(in->files[*(const size_t *)a]), base_of(in->files[*(const size_t *)b]));
}

static int by_base_init(struct by_base *bb, const struct hs_kbuild_incl *in)
{
	bb->in = in;
	bb->idx = malloc((in->nfiles + 1) * sizeof(*bb->idx));
	if (!bb->idx)
		return -ENOMEM;
	for (size_t i = 0; i < in->nfiles; i++)
		bb->idx[i] = i;
	qsort_r(bb->idx, in->nfiles, sizeof(*bb->idx), cmp_base, (void *)in);
	return 0;
}

/*
 * A "name" or <name> that neither the including file's directory nor kbuild's
 * global -I directories hold comes from a directory's own -I flags
 * (ccflags-y := -I$(srctree)/security/selinux/include; drivers/cxl/core's
 * <cxlmem.h> is drivers/cxl/cxlmem.h): every header so named under the
 * nearest ancestor directory (down to 2 levels) that has one counts.
 */
static int resolve_near(const struct by_base *bb, struct hs_kbuild_incl *in, size_t i,
			size_t *cap, const char *name)
{
	size_t lo = 0, hi = in->nfiles, end, ncomp = 1, found = 0;
	char dir[4096], *slash;

	while (lo < hi) {	/* the first file of base name @name */
		size_t mid = (lo + hi) / 2;

		if (strcmp(base_of(in->files[bb->idx[mid]]), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < in->nfiles && !strcmp(base_of(in->files[bb->idx[end]]), name); end++)
		;
	snprintf(dir, sizeof(dir), "%s", in->files[i]);
	if (lo == end || !(slash = strrchr(dir, '/')))
		return 0;
	*slash = 0;
	for (const char *s = dir; *s; s++)
		ncomp += *s == '/';
	for (;;) {
		size_t dlen = strlen(dir);

		for (size_t k = lo; k < end; k++) {
			const char *f = in->files[bb->idx[k]];
			int err;

			if (bb->idx[k] == i || strncmp(f, dir, dlen) || f[dlen] != '/')
				continue;
			if ((err = add_edge(in, i, cap, bb->idx[k])))
				return err;
			found++;
		}
		if (found || ncomp <= 2 || !(slash = strrchr(dir, '/')))
			return 0;
		*slash = 0;
		ncomp--;
	}
}

/* The #include edges of file @i, but those on lines @cfg leaves out. */
static int scan_file(const struct hs_kbuild *kb, struct hs_kbuild_incl *in,
		     const struct by_base *bb, const struct hs_cppcfg *cfg, size_t i)
{
	char *path = hs_strdupf("%s/%s", kb->source, in->files[i]), *text;
	size_t cap = 0, len, nlines = 0, ln = 0;
	bool *dead = NULL;
	int err;

	if (!path)
		return -ENOMEM;
	err = hs_read_file(NULL, path, &text, &len);
	free(path);
	if (err)
		return 0;	/* unreadable: includes nothing */
	if (cfg->loaded && memchr(text, '#', len) && hs_cpp_dead_lines(cfg, text, len, &dead,
									   &nlines)) {
		free(text);
		return -ENOMEM;
	}
	for (char *s = text; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL, ln++) {
		char name[1024], close;
		long idx;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != '#' || (dead && ln < nlines && dead[ln]))
			continue;
		s++;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "include", 7) || sscanf(s + 7, " %c%1023[^\">\n]", &close, name) != 2 ||
		    (close != '"' && close != '<'))
			continue;
		idx = hs_kbuild_incl_resolve(in, in->files[i], close, name);
		if (idx >= 0)
			err = add_edge(in, i, &cap, (size_t)idx);
		else if (!strchr(name, '/'))
			err = resolve_near(bb, in, i, &cap, name);
		if (err)
			break;
	}
	free(dead);
	free(text);
	return err;
}

/*
 * The configuration the index judges #if blocks by: the prepared tree's
 * autoconf.h, less the CONFIG_ names that a file of the tree #defines or
 * #undefs itself or a makefile passes with -D/-U (those are unknown). No
 * tree or no autoconf.h: nothing is judged (cfg->loaded false).
 */
static int index_config(const struct hs_kbuild *kb, const struct file_list *c,
			const struct file_list *mk, struct hs_cppcfg *cfg)
{
	char *path = kb->tree ? hs_strdupf("%s/include/generated/autoconf.h", kb->tree) : NULL;
	char *text = NULL;
	size_t len;
	int err = 0;

	if (!path || access(path, R_OK) || hs_read_file(NULL, path, &text, &len)) {
		free(path);
		return kb->tree && !path ? -ENOMEM : 0;
	}
	free(path);
	err = hs_cppcfg_load(cfg, text, len);
	free(text);
	for (size_t k = 0; !err && k < c->n + mk->n; k++) {
		bool makefile = k >= c->n;

		path = hs_strdupf("%s/%s", kb->source, makefile ? mk->v[k - c->n] : c->v[k]);
		if (!path)
			return -ENOMEM;
		if (!hs_read_file(NULL, path, &text, &len)) {
			err = hs_cppcfg_scan_setters(cfg, text, len, makefile);
			free(text);
		}
		free(path);
	}
	return err;
}

static void free_list(struct file_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int build_index(struct hs_kbuild *kb)
{
	struct hs_kbuild_priv *p = kb->priv;
	struct file_list l = { 0 }, mk = { 0 };
	struct hs_kbuild_incl *in;
	struct by_base bb = { 0 };
	double t0 = hs_now();
	int err;

	if (!p && !(p = kb->priv = calloc(1, sizeof(*p))))
		return -ENOMEM;
	in = p->incl = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	err = walk(kb->source, "", &l, &mk);
	qsort(l.v, l.n, sizeof(*l.v), hs_strv_cmp);
	in->files = l.v;
	in->nfiles = l.n;
	in->nedges = calloc(l.n + 1, sizeof(*in->nedges));
	in->edges = calloc(l.n + 1, sizeof(*in->edges));
	if (!err && (!in->nedges || !in->edges))
		err = -ENOMEM;
	err = err ?: by_base_init(&bb, in);
	err = err ?: index_config(kb, &l, &mk, &in->cfg);
	for (size_t i = 0; !err && i < in->nfiles; i++)
		err = scan_file(kb, in, &bb, &in->cfg, i);
	free(bb.idx);
	free_list(&mk);
	hs_info(kb->ctx, "indexed the #include lines of %zu files in %.1f s (%s)", in->nfiles,
		hs_now() - t0, in->cfg.loaded ? "includes the configuration leaves out left out"
					      : "no configuration: every include counted");
	return err;
}

/*
 * The index is kept in the prepared tree (whose key covers the source), so
 * that each run does not scan 43,000 files again (3 s): one line per file,
 * "PATH<TAB>I J K" with the indexes of the files it includes, after a
 * first line "hotsplice-includes 3 N" and a second "config NAME..." (the
 * CONFIG_ names that files set themselves; "no-config" when the blocks
 * were not judged). The 3 is the format: change it with
 * anything that changes what the index records (walk(), scan_file(), the
 * resolution of names), so that a file an older hotsplice saved is rebuilt.
 */
static char *index_path(const struct hs_kbuild *kb)
{
	return kb->tree ? hs_strdupf("%s/.hotsplice/includes", kb->tree) : NULL;
}

static void save_index(struct hs_kbuild *kb)
{
	const struct hs_kbuild_incl *in = kb->priv->incl;
	char *path = index_path(kb), *text = NULL;
	size_t len = 0;
	FILE *f = path ? open_memstream(&text, &len) : NULL;

	if (!f) {
		free(path);
		return;
	}
	fprintf(f, "hotsplice-includes 3 %zu\n", in->nfiles);
	fputs(in->cfg.loaded ? "config" : "no-config", f);
	for (size_t i = 0; i < in->cfg.nunknown; i++)
		fprintf(f, " %s", in->cfg.unknown[i]);
	fputc('\n', f);
	for (size_t i = 0; i < in->nfiles; i++) {
		fprintf(f, "%s\t", in->files[i]);
		for (size_t k = 0; k < in->nedges[i]; k++)
			fprintf(f, "%s%zu", k ? " " : "", in->edges[i][k]);
		fputc('\n', f);
	}
	if (!fclose(f)) {	/* best effort: without it, the next run scans again */
		char *dir = hs_strdupf("%s/.hotsplice", kb->tree);

		/* (a tree that has made no object yet has no .hotsplice) */
		if (dir && !hs_mkdir_p(kb->ctx, dir))
			hs_write_file_atomic(kb->ctx, path, text, len);
		free(dir);
	}
	free(text);
	free(path);
}

/*
 * The configuration line of a saved index: "no-config", or "config" and the
 * unknown names, with the tree's autoconf.h (which must be there).
 */
static int parse_config(const struct hs_kbuild *kb, char *line, struct hs_cppcfg *cfg)
{
	char *path, *text, *save = NULL, *w;
	size_t len;
	int err;

	if (!strcmp(line, "no-config"))
		return 0;
	if (strncmp(line, "config", 6) || (line[6] && line[6] != ' ') || !kb->tree)
		return -EINVAL;
	path = hs_strdupf("%s/include/generated/autoconf.h", kb->tree);
	if (!path)
		return -ENOMEM;
	err = access(path, R_OK) ? -EINVAL : hs_read_file(NULL, path, &text, &len);
	free(path);
	if (err)
		return err == -ENOMEM ? err : -EINVAL;
	err = hs_cppcfg_load(cfg, text, len);
	free(text);
	for (w = strtok_r(line + 6, " ", &save); !err && w; w = strtok_r(NULL, " ", &save))
		err = hs_cppcfg_unknown(cfg, w, strlen(w));
	return err;
}

/* Parse the saved index @text into @in; -EINVAL when it is not one. */
static int parse_index(const struct hs_kbuild *kb, char *text, struct hs_kbuild_incl *in)
{
	char *line, *save = NULL;
	size_t n = 0, i = 0;
	int err;

	line = strtok_r(text, "\n", &save);
	if (!line || sscanf(line, "hotsplice-includes 3 %zu", &n) != 1 || !n)
		return -EINVAL;
	line = strtok_r(NULL, "\n", &save);
	err = line ? parse_config(kb, line, &in->cfg) : -EINVAL;
	if (err)
		return err;
	in->files = calloc(n + 1, sizeof(*in->files));
	in->nedges = calloc(n + 1, sizeof(*in->nedges));
	in->edges = calloc(n + 1, sizeof(*in->edges));
	if (!in->files || !in->nedges || !in->edges)
		return -ENOMEM;
	for (; i < n && (line = strtok_r(NULL, "\n", &save)); i++) {
		char *tab = strchr(line, '\t'), *e;
		size_t cap = 0;

		if (!tab)
			return -EINVAL;
		*tab = 0;
		if (!(in->files[i] = strdup(line)))
			return -ENOMEM;
		in->nfiles = i + 1;
		for (e = tab + 1; *e; ) {
			char *end;
			unsigned long long idx = strtoull(e, &end, 10);
			int err;

			if (end == e || idx >= n)
				return -EINVAL;
			err = add_edge(in, i, &cap, (size_t)idx);
			if (err)
				return err;
			e = end + strspn(end, " ");
		}
	}
	return i == n ? 0 : -EINVAL;
}

void hs_kbuild_incl_free(struct hs_kbuild_incl *in)
{
	for (size_t i = 0; in && i < in->nfiles; i++) {
		free(in->files[i]);
		free(in->edges[i]);
	}
	if (in) {
		free(in->files);
		free(in->nedges);
		free(in->edges);
		hs_cppcfg_free(&in->cfg);
	}
	free(in);
}

/* The index saved by an earlier run: 0, or it is not there (or not usable). */
static int load_index(struct hs_kbuild *kb)
{
	char *path = index_path(kb), *text = NULL;
	struct hs_kbuild_incl *in = calloc(1, sizeof(*in));
	int err = path && in ? 0 : -ENOMEM;

	if (!err && access(path, R_OK))
		err = -ENOENT;
	err = err ?: hs_read_file(kb->ctx, path, &text, NULL);
	err = err ?: parse_index(kb, text, in);
	if (!err && !kb->priv && !(kb->priv = calloc(1, sizeof(*kb->priv))))
		err = -ENOMEM;
	if (err)
		hs_kbuild_incl_free(in);
	else
		kb->priv->incl = in;
	free(text);
	free(path);
	return err;
}

int hs_kbuild_incl_index(struct hs_kbuild *kb)
{
	int err;

	if (kb->priv && kb->priv->incl)
		return 0;
	if (!load_index(kb))
		return 0;
	err = build_index(kb);
	if (!err)
		save_index(kb);
	return err;
}

int hs_kbuild_includers(struct hs_kbuild *kb, const char *header, char ***out)
{
	struct hs_kbuild_incl *in;
	bool *reached, changed = true;
	long h;
	int err = 0, n = 0;

	*out = NULL;
	err = hs_kbuild_incl_index(kb);
	if (err)
		return err;
	in = kb->priv->incl;
	h = hs_kbuild_incl_find(in, header);
	if (h < 0)
		return 0;
	reached = calloc(in->nfiles, sizeof(*reached));
	if (!reached)
		return -ENOMEM;
	reached[h] = true;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < in->nfiles; i++)
			for (size_t j = 0; !reached[i] && j < in->nedges[i]; j++)
				if (reached[in->edges[i][j]])
					changed = reached[i] = true;
	}
	*out = calloc(in->nfiles, sizeof(**out));
	for (size_t i = 0; *out && i < in->nfiles; i++) {
		size_t len = strlen(in->files[i]);

		if (!reached[i] || in->files[i][len - 1] != 'c')
			continue;
		if (!((*out)[n++] = strdup(in->files[i])))
			err = -ENOMEM;
	}
	free(reached);
	if (!*out)
		return -ENOMEM;
	return err ? err : n;
}
