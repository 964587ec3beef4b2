// SPDX-License-Identifier: GPL-2.0
/* sympos.c - decide kallsyms positions from the target build's System.map and modules. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/sympos.h"
#include "build/vmlinuz.h"

/* How many symbols on each side of a copy count as its neighbours. */
#define NEIGHBOURS 64

int hs_sympos_open(const struct hs_ctx *ctx, const char *root, const char *release,
		   struct hs_sympos *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->ctx = ctx;
	sp->root = root ? strdup(root) : NULL;
	sp->release = strdup(release);
	if ((root && !sp->root) || !sp->release) {
		hs_sympos_close(sp);
		return -ENOMEM;
	}
	return 0;
}

void hs_sympos_close(struct hs_sympos *sp)
{
	for (size_t i = 0; i < sp->nobjs; i++) {
		free(sp->objs[i].obj);
		free(sp->objs[i].text);
		free(sp->objs[i].ents);
		free(sp->objs[i].by_name);
		if (sp->objs[i].vz)
			hs_vmlinuz_close(sp->objs[i].vz);
		free(sp->objs[i].vz);
		if (sp->objs[i].ko)
			hs_elf_close(sp->objs[i].ko);
		free(sp->objs[i].ko);
		free(sp->objs[i].kobuf);
	}
	free(sp->objs);
	free(sp->root);
	free(sp->release);
	memset(sp, 0, sizeof(*sp));
}

char *hs_sympos_root_of_headers(const char *headers, const char *release)
{
	char real[PATH_MAX], *root, *map;
	size_t n;
	const char *tail = "/usr/src/linux-headers-";

	if (!realpath(headers, real))
		return NULL;
	n = strlen(real);
	if (n < strlen(tail) + strlen(release) ||
	    strcmp(real + n - strlen(release), release) ||
	    strncmp(real + n - strlen(release) - strlen(tail), tail, strlen(tail)))
		return NULL;
	root = strndup(real, n - strlen(release) - strlen(tail));
	map = root ? hs_strdupf("%s/boot/System.map-%s", root, release) : NULL;
	if (!map || access(map, R_OK)) {
		free(root);
		root = NULL;
	}
	free(map);
	return root;
}

/* Order of by_name: by name, then kallsyms order. */
static int cmp_by_name(const void *a, const void *b, void *arg)
{
	const struct hs_symorder *o = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(o->ents[x].name, o->ents[y].name);

	return c ?: (x > y) - (x < y);
}

static int index_obj(struct hs_symorder *o)
{
	o->by_name = malloc((o->n + 1) * sizeof(*o->by_name));
	if (!o->by_name)
		return -ENOMEM;
	for (size_t i = 0; i < o->n; i++)
		o->by_name[i] = i;
	qsort_r(o->by_name, o->n, sizeof(*o->by_name), cmp_by_name, o);
	return 0;
}

size_t hs_symorder_copies(const struct hs_symorder *o, const char *name, const size_t **first)
{
	size_t lo = 0, hi = o->n, start;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(o->ents[o->by_name[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	start = lo;
	while (lo < o->n && !strcmp(o->ents[o->by_name[lo]].name, name))
		lo++;
	*first = o->by_name + start;
	return lo - start;
}

static int add_ent(struct hs_symorder *o, size_t *cap, const char *name, bool global)
{
	if (o->n == *cap) {
		struct hs_symord_ent *e = realloc(o->ents, (*cap * 2 + 64) * sizeof(*e));

		if (!e)
			return -ENOMEM;
		o->ents = e;
		*cap = *cap * 2 + 64;
	}
	o->ents[o->n++] = (struct hs_symord_ent){ name, global, 0 };
	return 0;
}

/* System.map: "ffffffff81000000 T _stext" per line, sorted by address like kallsyms. */
static int load_system_map(struct hs_sympos *sp, struct hs_symorder *o, const char *path)
{
	char *save = NULL;
	size_t cap = 0;
	int err = hs_read_file(sp->ctx, path, &o->text, NULL);

	for (char *l = err ? NULL : strtok_r(o->text, "\n", &save); l && !err;
	     l = strtok_r(NULL, "\n", &save)) {
		char *type = strchr(l, ' '), *name;

		if (!type || !type[1] || type[2] != ' ' || !type[3])
			continue;
		name = type + 3;
		name[strcspn(name, " \t")] = 0;
		/* what kallsyms leaves out: undefined, debugging and absolute symbols */
		if (strchr("UuNnaA", type[1]))
			continue;
		err = add_ent(o, &cap, name, type[1] >= 'A' && type[1] <= 'Z');
	}
	return err;
}

/* kallsyms as decoded from the kernel image: "Tname" per line, with addresses when known. */
static int load_image_syms(struct hs_symorder *o, size_t n)
{
	size_t cap = n, line = 0;
	char *save = NULL;
	int err = 0;

	o->ents = malloc((n + 1) * sizeof(*o->ents));
	if (!o->ents)
		return -ENOMEM;
	for (char *l = strtok_r(o->text, "\n", &save); l && !err;
	     l = strtok_r(NULL, "\n", &save), line++) {
		if (!l[0] || !l[1])
			continue;
		err = add_ent(o, &cap, l + 1, l[0] >= 'A' && l[0] <= 'Z');
		if (!err && o->vz->addr && line < o->vz->n)
			o->ents[o->n - 1].addr = o->vz->addr[line];
	}
	return err;
}

/*
 * vmlinux's symbols: a real boot/System.map-R (Debian's image package ships
 * a one-line stub pointing at the -dbg package), else the kallsyms table in
 * boot/vmlinuz-R itself.
 */
static int load_vmlinux(struct hs_sympos *sp, struct hs_symorder *o)
{
	char *map = hs_strdupf("%s/boot/System.map-%s", sp->root, sp->release);
	char *img = hs_strdupf("%s/boot/vmlinuz-%s", sp->root, sp->release);
	size_t n = 0;
	int err = map && img ? 0 : -ENOMEM;

	if (!err && !access(map, R_OK))
		err = load_system_map(sp, o, map);
	if (!err && o->n < 2) {
		free(o->text);
		free(o->ents);
		o->text = NULL;
		o->ents = NULL;
		o->n = 0;
		o->vz = calloc(1, sizeof(*o->vz));
		if (!o->vz)
			err = -ENOMEM;
		else if (access(img, R_OK))
			o->missing = true;
		else
			err = hs_vmlinuz_open(sp->ctx, img, &o->text, &n, o->vz);
		if (!err && !o->missing)
			err = load_image_syms(o, n);
		if (!err && !o->missing)
			hs_debug(sp->ctx, "'%s': %zu kallsyms symbols", img, o->n);
	}
	free(map);
	free(img);
	return err;
}

/* The module file of @obj under @dir (recursively): NAME.ko[.xz|.zst|.gz], '-' or '_'. */
static char *find_module(const char *dir, const char *obj, int depth)
{
	DIR *d = depth < 8 ? opendir(dir) : NULL;
	struct dirent *de;
	char *found = NULL;

	while (d && !found && (de = readdir(d))) {
		char *path;
		size_t n = strlen(de->d_name), k;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		path = hs_strdupf("%s/%s", dir, de->d_name);
		if (!path || lstat(path, &st)) {
			free(path);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			found = find_module(path, obj, depth + 1);
		} else if (n > strlen(obj) + 2 && !strncmp(de->d_name + strlen(obj), ".ko", 3) &&
			   strspn(de->d_name + strlen(obj) + 3, ".xzstgz") == n - strlen(obj) - 3) {
			for (k = 0; k < strlen(obj); k++)
				if (!(de->d_name[k] == obj[k] ||
				      (de->d_name[k] == '-' && obj[k] == '_')))
					break;
			if (k == strlen(obj))
				found = strdup(path);
		}
		free(path);
	}
	if (d)
		closedir(d);
	return found;
}

/* A module's symbols as its kallsyms will list them (the kernel's is_core_symbol()). */
static int load_module_syms(struct hs_sympos *sp, struct hs_symorder *o, const char *path)
{
	struct hs_elf e;
	size_t cap = 0, len = 0, total = 0, flen = 0, klen = 0;
	char *file = NULL;
	unsigned char *ko = NULL;
	int err = hs_read_file(sp->ctx, path, &file, &flen);

	if (!err && flen > 4 && memcmp(file, ELFMAG, SELFMAG)) {
		err = hs_decompress(file, flen, &ko, &klen);	/* .ko.xz, .ko.zst */
		if (err == -HS_EFORMAT)
			hs_err(sp->ctx, "'%s': cannot decompress", path);
	}
	err = err ?: hs_elf_open_mem(sp->ctx, path, ko ? ko : (unsigned char *)file,
				     ko ? klen : flen, &e);
	if (err) {
		free(file);
		free(ko);
		return err;
	}
	for (size_t i = 1; i < e.nsyms; i++)
		total += strlen(e.syms[i].name ?: "") + 1;
	o->text = malloc(total + 1);
	err = o->text ? 0 : -ENOMEM;
	for (size_t i = 1; i < e.nsyms && !err; i++) {
		const struct hs_elf_sym *s = &e.syms[i];
		const struct hs_elf_sec *sec;
		unsigned char bind = GELF_ST_BIND(s->sym.st_info);

		if (!s->name || !*s->name || s->sym.st_shndx == SHN_UNDEF ||
		    s->sym.st_shndx >= e.nsecs)
			continue;
		sec = &e.secs[s->sym.st_shndx];
		if (!(sec->shdr.sh_flags & SHF_ALLOC) || !strncmp(sec->name ?: "", ".init", 5))
			continue;
		memcpy(o->text + len, s->name, strlen(s->name) + 1);
		err = add_ent(o, &cap, o->text + len, bind != STB_LOCAL);
		if (!err)	/* its place in the .ko: section, offset */
			o->ents[o->n - 1].addr = (uint64_t)s->sym.st_shndx << 32 | s->sym.st_value;
		len += strlen(s->name) + 1;
	}
	/* kept for hs_sympos_by_code(): the module's relocations tell its copies apart */
	o->ko = err ? NULL : malloc(sizeof(*o->ko));
	if (o->ko) {
		*o->ko = e;
		o->ko->path = o->obj;	/* (@path is the caller's) */
		o->kobuf = ko ? (void *)ko : file;
		free(ko ? file : NULL);
		return 0;
	}
	hs_elf_close(&e);
	free(file);
	free(ko);
	return err;
}

static int load_obj(struct hs_sympos *sp, struct hs_symorder *o)
{
	char *path = NULL, *dir;
	int err = 0;

	if (!sp->root) {
		o->missing = true;
	} else if (!strcmp(o->obj, "vmlinux")) {
		err = load_vmlinux(sp, o);
	} else {
		dir = hs_strdupf("%s/lib/modules/%s/kernel", sp->root, sp->release);
		if (!dir)
			return -ENOMEM;
		path = find_module(dir, o->obj, 0);
		free(dir);
		if (!path)
			o->missing = true;
		else
			err = load_module_syms(sp, o, path);
	}
	if (o->missing)
		hs_warn(sp->ctx, "%s: no %s of kernel %s%s%s: the positions of its same-named symbols are left to the target, which refuses an ambiguous name",
			o->obj, strcmp(o->obj, "vmlinux") ? "module file" : "System.map or vmlinuz",
			sp->release, sp->root ? " under " : "", sp->root ?: "");
	free(path);
	return err ?: o->missing ? 0 : index_obj(o);
}

static int get_obj(struct hs_sympos *sp, const char *obj, struct hs_symorder **out)
{
	struct hs_symorder *v;
	int err;

	for (size_t i = 0; i < sp->nobjs; i++)
		if (!strcmp(sp->objs[i].obj, obj)) {
			*out = &sp->objs[i];
			return 0;
		}
	v = realloc(sp->objs, (sp->nobjs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	sp->objs = v;
	v += sp->nobjs;
	memset(v, 0, sizeof(*v));
	v->obj = strdup(obj);
	if (!v->obj)
		return -ENOMEM;
	sp->nobjs++;
	err = load_obj(sp, v);
	*out = v;
	return err;
}

/* Whether @pre defines @name (any named symbol but sections and files). */
static bool pre_defines(const struct hs_elf *pre, const char *name)
{
	for (size_t i = 1; pre && i < pre->nsyms; i++) {
		const struct hs_elf_sym *s = &pre->syms[i];
		int t = GELF_ST_TYPE(s->sym.st_info);

		if (s->sym.st_shndx != SHN_UNDEF && t != STT_SECTION && t != STT_FILE &&
		    s->name && !strcmp(s->name, name))
			return true;
	}
	return false;
}

/* How many symbols near entry @at are the patched file's own (defined in @pre, unique). */
static size_t neighbours(const struct hs_symorder *o, size_t at, const struct hs_elf *pre)
{
	size_t lo = at > NEIGHBOURS ? at - NEIGHBOURS : 0, score = 0;
	size_t hi = at + NEIGHBOURS < o->n ? at + NEIGHBOURS : o->n - 1;
	const size_t *first;

	for (size_t k = lo; k <= hi; k++)
		if (k != at && hs_symorder_copies(o, o->ents[k].name, &first) == 1 &&
		    pre_defines(pre, o->ents[k].name))
			score++;
	return score;
}

/* Among the @n copies at @idx, the one of the patched file; 0 if none stands out. */
static unsigned long by_neighbours(const struct hs_symorder *o, const size_t *idx, size_t n,
				   const struct hs_elf *pre, size_t *best_score)
{
	unsigned long best = 0;
	size_t second = 0;

	*best_score = 0;
	for (size_t k = 0; k < n; k++) {
		size_t s = neighbours(o, idx[k], pre);

		if (s > *best_score) {
			second = *best_score;
			*best_score = s;
			best = k + 1;
		} else if (s > second) {
			second = s;
		}
	}
	return *best_score > second ? best : 0;
}

int hs_sympos_decide(struct hs_sympos *sp, const char *obj, const char *name, bool global,
		     const struct hs_elf *pre, unsigned long *pos)
{
	struct hs_symorder *o;
	const size_t *idx;
	size_t n, nglobal = 0, score;
	unsigned long at = 0;
	int err = get_obj(sp, obj, &o);

	*pos = 0;
	if (err || o->missing)
		return err;
	n = hs_symorder_copies(o, name, &idx);
	if (!n) {
		hs_err(sp->ctx, "%s: symbol '%s' is not in the symbols of kernel %s: the update could not find it there",
		       obj, name, sp->release);
		return -HS_EREFUSED;
	}
	if (n == 1)
		return 0;
	for (size_t k = 0; global && k < n; k++)
		if (o->ents[idx[k]].global && !nglobal++)
			at = k + 1;
	if ((!global || nglobal != 1) && (at = hs_sympos_by_code(o, idx, n, pre, name)))
		hs_debug(sp->ctx, "%s: '%s': the target build's code refers to copy %lu", obj, name, at);
	else if (!global || nglobal != 1)
		at = by_neighbours(o, idx, n, pre, &score);
	if (!at) {
		hs_err(sp->ctx, "%s: symbol '%s': %zu copies in kernel %s and none stands out as the patched file's: cannot decide its position",
		       obj, name, n, sp->release);
		return -HS_EREFUSED;
	}
	hs_debug(sp->ctx, "%s: '%s' is copy %lu of %zu in kernel %s", obj, name, at, n,
		 sp->release);
	*pos = at;
	return 0;
}

int hs_sympos_decide_funcs(struct hs_sympos *sp, const char *obj, const struct hs_elf *pre,
			   struct hs_klp_func *funcs, size_t n)
{
	int err = 0, refused = 0;

	for (size_t i = 0; i < n && !err; i++) {
		const char *name = funcs[i].old_name ? funcs[i].old_name : funcs[i].name;
		const struct hs_elf_sym *s = hs_elf_sym_by_name(pre, name);

		err = hs_sympos_decide(sp, obj, name,
				       s && GELF_ST_BIND(s->sym.st_info) != STB_LOCAL, pre,
				       &funcs[i].sympos);
		if (err == -HS_EREFUSED)
			refused = 1, err = 0;
	}
	return err ?: refused ? -HS_EREFUSED : 0;
}

/* How many copies of @name object @obj of the target has; -1 when its symbols cannot be read. */
static long copies_in(struct hs_sympos *sp, const char *obj, const char *name)
{
	struct hs_symorder *o;
	const size_t *idx;
	int err = get_obj(sp, obj, &o);

	return err || o->missing ? -1 : (long)hs_symorder_copies(o, name, &idx);
}

/*
 * A module's new code refers to a global that the module does not define and
 * that no module may import: a function of vmlinux the running kernel does
 * not export (6.1.190's nfnetlink_queue.c calls skb_crc32c_csum_help(), which
 * net/core/dev.c exports from then on). The livepatch core lets a module's
 * relocation sections name that module's symbols only (klp_resolve_symbols():
 * "invalid access to vmlinux symbol"), but vmlinux's relocation sections may
 * relocate any section of the livepatch module, and the module loader applies
 * them when the livepatch module loads: *@obj becomes "vmlinux", so the
 * reference goes there. A name neither has is refused, naming the unit's object.
 */
static int module_refers_to_vmlinux(struct hs_sympos *sp, const struct hs_klp_opts *unit,
				    const char **obj, const char *name)
{
	if (!strcmp(*obj, "vmlinux") || copies_in(sp, *obj, name) != 0)
		return 0;
	if (copies_in(sp, "vmlinux", name) > 0) {
		hs_debug(sp->ctx, "'%s': module %s's new code reaches '%s' of vmlinux through "
			 "vmlinux's livepatch relocations", unit->post, *obj, name);
		*obj = "vmlinux";
		return 0;
	}
	hs_err(sp->ctx, "'%s': the new code of module %s refers to '%s', which neither the "
	       "module nor vmlinux of kernel %s has", unit->post, *obj, name, sp->release);
	return -HS_EREFUSED;
}

int hs_sympos_klp_resolve(void *arg, const struct hs_klp_opts *unit, const char **obj,
			  const char *name, bool global, unsigned long *pos)
{
	const struct hs_sympos_units *u = arg;
	const char *own = *obj;
	int err = global ? module_refers_to_vmlinux(u->sp, unit, obj, name) : 0;

	if (err)
		return err;
	if (*obj != own)	/* vmlinux's global: the module's pre object tells nothing */
		return hs_sympos_decide(u->sp, *obj, name, global, NULL, pos);
	for (size_t i = 0; i < u->n; i++)
		if (u->post[i] == unit->post || !strcmp(u->post[i], unit->post))
			return hs_sympos_decide(u->sp, *obj, name, global, u->pre[i], pos);
	return hs_sympos_decide(u->sp, *obj, name, global, NULL, pos);
}
