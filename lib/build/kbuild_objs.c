// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_objs.c - which compile units a patch touches, where kbuild links
 * each (vmlinux, a module, nowhere), and kbuild's command line for each.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "core/cache.h"
#include "build/kbuild_priv.h"
#include "core/strv.h"

/* Top-level directories the kernel's Makefile descends into (besides arch/x86). */
static const char *const top_dirs[] = {
	"init", "usr", "kernel", "certs", "mm", "fs", "ipc", "security", "crypto",
	"block", "io_uring", "drivers", "sound", "net", "lib", "virt",
};

/* Reached from arch/x86/Makefile rather than arch/x86/Kbuild, with their option. */
static const char *const x86_makefile_dirs[][2] = {
	{ "arch/x86/lib", NULL }, { "arch/x86/pci", "PCI" }, { "arch/x86/video", "FB" },
	{ "arch/x86/math-emu", "MATH_EMULATION" }, { "arch/x86/power", "PM" },
};

static const char print_mk[] =
	"# hotsplice: print the lists kbuild computed for one directory\n"
	"hs-print:\n"
	"\t@echo 'y=$(real-obj-y) $(lib-y)'\n"
	"\t@echo 'm=$(real-obj-m)'\n"
	"\t@echo 's=$(subdir-ym)'\n";

void hs_kbuild_priv_free(struct hs_kbuild *kb)
{
	struct hs_kbuild_priv *p = kb->priv;

	if (!p)
		return;
	for (size_t i = 0; i < p->ndirs; i++) {
		free(p->dirs[i].dir);
		free(p->dirs[i].obj_y);
		free(p->dirs[i].obj_m);
		free(p->dirs[i].subdirs);
	}
	free(p->dirs);
	for (size_t i = 0; i < p->nmemo; i++)
		free(p->memo[i].path);
	free(p->memo);
	hs_kbuild_incl_free(p->incl);
	free(p);
	kb->priv = NULL;
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *s = list; s && (s = strstr(s, word)); s += n)
		if ((s == list || s[-1] == ' ') && (s[n] == ' ' || !s[n]))
			return true;
	return false;
}

static void on_list_line(void *arg, const char *line)
{
	struct hs_kbuild_dir *d = arg;
	char **slot = NULL;

	if (!strncmp(line, "y=", 2))
		slot = &d->obj_y;
	else if (!strncmp(line, "m=", 2))
		slot = &d->obj_m;
	else if (!strncmp(line, "s=", 2))
		slot = &d->subdirs;
	if (slot && !*slot)
		*slot = strdup(line + 2);
}

/*
 * The file of <tree>/dircache/ that keeps @dir's lists: keyed by the directory
 * and the identity of its Makefile and Kbuild (the tree's own key covers the
 * source, the .config and the compiler). NULL: out of memory.
 */
static char *dir_cache_path(const struct hs_kbuild *kb, const char *dir)
{
	struct stat mk = { 0 }, kbuild = { 0 };
	char *path = hs_strdupf("%s/%s/Makefile", kb->source, dir);

	if (path)
		stat(path, &mk);
	free(path);
	path = hs_strdupf("%s/%s/Kbuild", kb->source, dir);
	if (path)
		stat(path, &kbuild);
	free(path);
	return hs_kbuild_cache_file(kb, "dircache",
		hs_strdupf("v1\n%s\n%lu %ld %ld.%09ld\n%lu %ld %ld.%09ld\n", dir,
			   (unsigned long)mk.st_ino, (long)mk.st_size, (long)mk.st_mtim.tv_sec,
			   mk.st_mtim.tv_nsec, (unsigned long)kbuild.st_ino, (long)kbuild.st_size,
			   (long)kbuild.st_mtim.tv_sec, kbuild.st_mtim.tv_nsec), ".lst");
}

/* @dir's lists from its file @path in <tree>/dircache into @d: whether it had one. */
static bool dir_cache_load(const char *path, struct hs_kbuild_dir *d)
{
	char *text = NULL;
	bool ok = false;

	if (path && !access(path, R_OK) && !hs_read_file(NULL, path, &text, NULL)) {
		for (char *s = text, *nl; *s; s = nl + 1) {
			if (!(nl = strchr(s, '\n')))
				break;
			*nl = 0;
			on_list_line(d, s);
		}
		ok = d->obj_y && d->obj_m && d->subdirs;
	}
	free(text);
	return ok;
}

/* Keep the lists @d in @path for the next commands on this tree (best effort). */
static void dir_cache_save(const struct hs_kbuild *kb, char *path, const struct hs_kbuild_dir *d)
{
	char *text, *slash = path ? strrchr(path, '/') : NULL;

	if (!slash || !d->obj_y || !d->obj_m || !d->subdirs)
		return;
	text = hs_strdupf("y=%s\nm=%s\ns=%s\n", d->obj_y, d->obj_m, d->subdirs);
	*slash = 0;
	if (text && !hs_mkdir_p(kb->ctx, path)) {
		*slash = '/';
		hs_write_file_atomic(kb->ctx, path, text, strlen(text));
	}
	*slash = '/';
	free(text);
}

/*
 * Ask kbuild (scripts/Makefile.build) for @dir's lists: one make for each
 * directory; kept in @cache (dir_cache_path()) when make could read it.
 */
static int dir_lists_make(struct hs_kbuild *kb, const char *dir, char *cache,
			  struct hs_kbuild_dir *d)
{
	char *mk = hs_kbuild_tool(kb, "kbuild-print.mk", print_mk, 0644);
	char *build = hs_strdupf("%s/scripts/Makefile.build", kb->source);
	char *obj = hs_strdupf("obj=%s", dir), *src = hs_strdupf("srctree=%s", kb->source);
	char *cc = hs_strdupf("CC=%s", kb->cc), *vpath = hs_strdupf("VPATH=%s", kb->source);
	/* VPATH as kbuild sets it for a build outside the source: 6.12 finds Kbuild through it */
	char *argv[] = { "make", "-s", "-f", build, "-f", mk, "-I", kb->source, obj, src,
			 "objtree=.", cc, vpath, "hs-print", NULL };
	int err = 0, status;

	if (!build || !obj || !src || !cc || !vpath)
		err = -ENOMEM;
	else if (!mk)		/* (hs_kbuild_tool() said why) */
		err = -EIO;
	status = err ? -1 : hs_spawn_run(kb->ctx, argv, kb->tree, on_list_line, d);
	if (!err && status < 0)
		err = -EIO;
	/* a directory kbuild cannot read (no Makefile) simply builds nothing; not kept */
	if (!err && status == 0)
		dir_cache_save(kb, cache, d);
	free(mk);
	free(build);
	free(obj);
	free(src);
	free(cc);
	free(vpath);
	return err;
}

/*
 * @dir's lists: cached in kb->priv for this command and in <tree>/dircache
 * for the next ones (a header's includers ask for the directories kbuild
 * reaches: hundreds of makes, tens of seconds).
 */
static int dir_lists(struct hs_kbuild *kb, const char *dir, const struct hs_kbuild_dir **out)
{
	struct hs_kbuild_priv *p = kb->priv;
	struct hs_kbuild_dir d = { 0 }, *dirs;
	char *cache;
	int err = 0;

	for (size_t i = 0; p && i < p->ndirs; i++)
		if (!strcmp(p->dirs[i].dir, dir)) {
			*out = &p->dirs[i];
			return 0;
		}
	if (!p && !(p = kb->priv = calloc(1, sizeof(*p))))
		return -ENOMEM;
	cache = dir_cache_path(kb, dir);
	if (!cache || !dir_cache_load(cache, &d)) {
		free(d.obj_y);
		free(d.obj_m);
		free(d.subdirs);
		d = (struct hs_kbuild_dir){ 0 };
		err = dir_lists_make(kb, dir, cache, &d);
	}
	free(cache);
	d.dir = strdup(dir);
	dirs = err || !d.dir ? NULL : realloc(p->dirs, (p->ndirs + 1) * sizeof(*dirs));
	if (!dirs) {
		free(d.dir);
		free(d.obj_y);
		free(d.obj_m);
		free(d.subdirs);
		return err ?: -ENOMEM;
	}
	p->dirs = dirs;
	dirs[p->ndirs] = d;
	*out = &dirs[p->ndirs++];
	return 0;
}

static bool config_set(const struct hs_kbuild *kb, const char *name)
{
	char *v = name ? hs_kbuild_config_value(kb->config, name) : NULL;
	bool set = !name || (v && (!strcmp(v, "y") || !strcmp(v, "m")));

	free(v);
	return set;
}

/* Is the directory @dir (no trailing '/') one kbuild descends into? */
static int dir_reached(struct hs_kbuild *kb, const char *dir, bool *reached)
{
	char *child = strdup(dir), *slash;
	const struct hs_kbuild_dir *parent;
	int err = 0;

	*reached = false;
	if (!child)
		return -ENOMEM;
	while (!err) {
		if (!strcmp(child, "arch/x86")) {
			*reached = true;
			break;
		}
		slash = strrchr(child, '/');
		if (!slash) {
			for (size_t i = 0; i < sizeof(top_dirs) / sizeof(top_dirs[0]); i++)
				*reached |= !strcmp(child, top_dirs[i]);
			break;
		}
		*slash = 0;
		err = dir_lists(kb, child, &parent);
		*slash = '/';
		if (err || has_word(parent->subdirs, child)) {
			*slash = 0;
			continue;
		}
		for (size_t i = 0; i < sizeof(x86_makefile_dirs) / sizeof(x86_makefile_dirs[0]); i++)
			if (!strcmp(child, x86_makefile_dirs[i][0]) &&
			    config_set(kb, x86_makefile_dirs[i][1]))
				*reached = true;
		break;
	}
	free(child);
	return err;
}

int hs_kbuild_where(struct hs_kbuild *kb, const char *obj, enum hs_unit_where *where)
{
	char *dir = strdup(obj), *slash;
	const struct hs_kbuild_dir *d;
	bool reached = false, in_y = false, in_m = false;
	int err = 0;

	*where = HS_UNIT_NOT_BUILT;
	if (!dir)
		return -ENOMEM;
	/*
	 * The directory that lists the object: its own, or one up to 3 above
	 * (security/selinux/Makefile lists "ss/services.o"), of those kbuild
	 * reaches. One it does not reach is not asked: its parent's lists say
	 * so, and a header's includers in the parts of drivers/ a configuration
	 * leaves out then cost no make each.
	 */
	for (int up = 0; !err && !in_y && !in_m && up <= 3; up++) {
		slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = 0;
		err = dir_reached(kb, dir, &reached);
		if (err || !reached)
			continue;
		err = dir_lists(kb, dir, &d);
		in_y = !err && has_word(d->obj_y, obj);
		in_m = !err && has_word(d->obj_m, obj);
	}
	if (!err && (in_y || in_m))
		*where = in_y ? HS_UNIT_VMLINUX : HS_UNIT_MODULE;
	free(dir);
	return err;
}

static bool is_sep(char c)
{
	return strchr(" \t\n\\'\";:=()", c) != NULL;
}

/*
 * Does the saved command of the tree file @rel (its .cmd: the command and,
 * for most targets, the files it was made from) name the source file @src,
 * directly or through a tree file the command runs or reads (e.g. a host
 * program, with its own .cmd)?
 */
static bool cmd_names(struct hs_kbuild *kb, const char *rel, const char *src, int depth)
{
	const char *slash = strrchr(rel, '/');
	char *path = hs_strdupf("%s/%.*s.%s.cmd", kb->tree, slash ? (int)(slash - rel + 1) : 0,
				rel, slash ? slash + 1 : rel);
	char *want = hs_strdupf("%s/%s", kb->source, src), *text = NULL;
	bool found = false;

	if (!path || !want || access(path, R_OK) || hs_read_file(kb->ctx, path, &text, NULL))
		goto out;
	for (char *t = text; *t && !found; ) {
		size_t n = 0;
		char c;

		while (*t && is_sep(*t))
			t++;
		while (t[n] && !is_sep(t[n]))
			n++;
		if (!n)
			break;
		c = t[n];
		t[n] = 0;
		found = !strcmp(t, want) || (depth < 3 && *t != '/' && *t != '-' &&
					      strchr(t, '/') && strcmp(t, rel) &&
					      cmd_names(kb, t, src, depth + 1));
		t[n] = c;
		t += n;
	}
out:
	free(path);
	free(want);
	free(text);
	return found;
}

/* Is the tree file @name (in a unit's directory) a compiled output rather than a generated input? */
static bool is_output(const char *name)
{
	static const char *const ext[] = { ".o", ".a", ".ko", ".mod", ".mod.c", ".order", ".s",
					   ".i", ".lst", ".symvers" };
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (n > strlen(ext[i]) && !strcmp(name + n - strlen(ext[i]), ext[i]))
			return true;
	return false;
}

/* Refuse when @f is an input of a file kbuild generated in @dir of the tree. */
static int check_gen_dir(struct hs_kbuild *kb, const char *dir, const char *obj,
			 const struct hs_patch_file *f)
{
	char *path = hs_strdupf("%s/%s", kb->tree, dir);
	DIR *d = path ? opendir(path) : NULL;
	struct dirent *e;
	int err = path ? 0 : -ENOMEM;

	while (d && !err && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char *gen;

		if (e->d_name[0] != '.' || n < 6 || !hs_str_ends(e->d_name, ".cmd"))
			continue;
		gen = hs_strdupf("%s/%.*s", dir, (int)(n - 5), e->d_name + 1);
		if (!gen)
			err = -ENOMEM;
		else if (!is_output(gen) && cmd_names(kb, gen, f->path, 0)) {
			hs_err(kb->ctx, "'%s': kbuild generates '%s' from it before compiling '%s', "
			       "and the post object would see the unpatched '%s': not supported",
			       f->path, gen, obj, gen);
			err = -HS_EREFUSED;
		}
		free(gen);
	}
	if (d)
		closedir(d);
	free(path);
	return err;
}

int hs_kbuild_prereq_inputs(struct hs_kbuild *kb, const struct hs_kbuild_units *u,
			    const struct hs_patch *p)
{
	int err = 0;

	for (size_t i = 0; i < u->n && !err; i++) {
		char *dir = strdup(u->u[i].obj);

		if (!dir)
			return -ENOMEM;
		*(strrchr(dir, '/') ?: dir) = 0;
		for (size_t k = 0; k < p->nfiles && !err; k++)
			if (!p->files[k].is_binary)
				err = check_gen_dir(kb, dir, u->u[i].obj, &p->files[k]);
		free(dir);
	}
	return err;
}
