// SPDX-License-Identifier: GPL-2.0
/* manifest.c - a package's MANIFEST: written from, parsed into, checked against hs_pkg. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "package/manifest.h"

/* Values are single-line: newlines in free text become spaces. */
static void sb_key(struct hs_strbuf *b, const char *key, const char *val)
{
	if (!val)
		return;		/* optional and absent */
	hs_strbuf_printf(b, "%s ", key);
	for (const char *p = val ? val : ""; *p; p++)
		hs_strbuf_printf(b, "%c", *p == '\n' || *p == '\r' ? ' ' : *p);
	hs_strbuf_printf(b, "\n");
}

int hs_pkg_manifest_text(const struct hs_pkg *pkg, struct hs_strbuf *b)
{
	sb_key(b, "format", HS_PKG_FORMAT);
	sb_key(b, "id", pkg->id);
	sb_key(b, "description", pkg->description);
	sb_key(b, "created", pkg->created);
	sb_key(b, "target-release", pkg->target_release);
	sb_key(b, "target-version", pkg->target_version);
	sb_key(b, "effective-version", pkg->effective_version);
	sb_key(b, "compiler", pkg->compiler);
	sb_key(b, "module", pkg->module);
	for (size_t i = 0; i < pkg->nfiles; i++)
		hs_strbuf_printf(b, "file %s %zu %s\n", pkg->files[i].path, pkg->files[i].size,
				 pkg->files[i].sha256);
	for (size_t i = 0; i < pkg->nfuncs; i++)
		hs_strbuf_printf(b, "func %s %s %s %s %lu\n", pkg->funcs[i].obj, pkg->funcs[i].klp_obj,
				 pkg->funcs[i].name, pkg->funcs[i].new_name, pkg->funcs[i].sympos);
	for (size_t i = 0; i < pkg->nklpsyms; i++)
		hs_strbuf_printf(b, "klpsym %s %s %lu\n", pkg->klpsyms[i].klp_obj, pkg->klpsyms[i].name,
				 pkg->klpsyms[i].sympos);
	if (pkg->replace)
		sb_key(b, "replace", "yes");
	if (pkg->release_from)
		hs_strbuf_printf(b, "release %s %s\n", pkg->release_from, pkg->release_to);
	for (size_t i = 0; i < pkg->nbase; i++)
		sb_key(b, "base", pkg->base[i]);
	for (size_t i = 0; i < pkg->nincludes; i++)
		sb_key(b, "includes", pkg->includes[i]);
	return b->err;
}

static char **scalar_slot(struct hs_pkg *pkg, const char *key)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "id", offsetof(struct hs_pkg, id) },
		{ "description", offsetof(struct hs_pkg, description) },
		{ "created", offsetof(struct hs_pkg, created) },
		{ "target-release", offsetof(struct hs_pkg, target_release) },
		{ "target-version", offsetof(struct hs_pkg, target_version) },
		{ "effective-version", offsetof(struct hs_pkg, effective_version) },
		{ "compiler", offsetof(struct hs_pkg, compiler) },
		{ "module", offsetof(struct hs_pkg, module) },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].key, key))
			return (char **)((char *)pkg + keys[i].off);
	return NULL;
}

static int parse_file_line(struct hs_pkg *pkg, const char *val)
{
	char path[1024], hex[65];
	struct hs_pkg_file *files;
	size_t size;

	if (sscanf(val, "%1023s %zu %64s", path, &size, hex) != 3 || strlen(hex) != 64)
		return -HS_EFORMAT;
	if (pkg->nfiles >= HS_PKG_MEMBERS_MAX)
		return -E2BIG;
	files = realloc(pkg->files, (pkg->nfiles + 1) * sizeof(*files));
	if (!files)
		return -ENOMEM;
	pkg->files = files;
	memset(&files[pkg->nfiles], 0, sizeof(*files));
	files[pkg->nfiles].path = strdup(path);
	if (!files[pkg->nfiles].path)
		return -ENOMEM;
	files[pkg->nfiles].size = size;
	memcpy(files[pkg->nfiles].sha256, hex, sizeof(hex));
	pkg->nfiles++;
	return 0;
}

static int parse_func_line(struct hs_pkg *pkg, const char *val)
{
	char obj[1024], klp[256], name[512], new_name[512];
	unsigned long sympos = 0;
	int n = sscanf(val, "%1023s %255s %511s %511s %lu", obj, klp, name, new_name, &sympos);

	if (n != 4 && n != 5)
		return -HS_EFORMAT;
	if (pkg->nfuncs >= HS_PKG_MEMBERS_MAX)
		return -E2BIG;
	n = hs_pkg_add_func(pkg, obj, klp, name, new_name);
	if (!n)
		pkg->funcs[pkg->nfuncs - 1].sympos = sympos;
	return n;
}

static int parse_klpsym_line(struct hs_pkg *pkg, const char *val)
{
	char klp[256], name[512];
	unsigned long sympos;

	if (sscanf(val, "%255s %511s %lu", klp, name, &sympos) != 3)
		return -HS_EFORMAT;
	if (pkg->nklpsyms >= HS_PKG_MEMBERS_MAX)
		return -E2BIG;
	return hs_pkg_add_klpsym(pkg, klp, name, sympos);
}

static int parse_release_line(struct hs_pkg *pkg, const char *val)
{
	char from[128], to[128];

	if (sscanf(val, "%127s %127s", from, to) != 2 || pkg->release_from)
		return -HS_EFORMAT;
	pkg->release_from = strdup(from);
	pkg->release_to = strdup(to);
	return pkg->release_from && pkg->release_to ? 0 : -ENOMEM;
}

static int parse_manifest_line(const struct hs_ctx *ctx, const char *pkgpath,
			       struct hs_pkg *pkg, char *line, int lineno)
{
	char *val = strchr(line, ' ');
	char **slot;
	int err;

	if (!val) {
		hs_err(ctx, "'%s': MANIFEST line %d: no value", pkgpath, lineno);
		return -HS_EFORMAT;
	}
	*val++ = 0;
	if (!strcmp(line, "format")) {
		if (strcmp(val, HS_PKG_FORMAT)) {
			hs_err(ctx, "'%s': unknown package format '%s' (expected '%s')",
			       pkgpath, val, HS_PKG_FORMAT);
			return -HS_EFORMAT;
		}
		return 0;
	}
	if (!strcmp(line, "file"))
		err = parse_file_line(pkg, val);
	else if (!strcmp(line, "func"))
		err = parse_func_line(pkg, val);
	else if (!strcmp(line, "klpsym"))
		err = parse_klpsym_line(pkg, val);
	else if (!strcmp(line, "replace"))
		err = strcmp(val, "yes") ? -HS_EFORMAT : (pkg->replace = 1, 0);
	else if (!strcmp(line, "release"))
		err = parse_release_line(pkg, val);
	else if (!strcmp(line, "base") || !strcmp(line, "includes"))
		err = !hs_pkg_id_valid(val) ? -HS_EFORMAT : *line == 'b' ?
		      hs_pkg_add_str(&pkg->base, &pkg->nbase, val) :
		      hs_pkg_add_str(&pkg->includes, &pkg->nincludes, val);
	else if ((slot = scalar_slot(pkg, line))) {
		free(*slot);
		*slot = strdup(val);
		err = *slot ? 0 : -ENOMEM;
	} else {
		return 0;	/* unknown keys are for newer readers */
	}
	if (err == -HS_EFORMAT)
		hs_err(ctx, "'%s': MANIFEST line %d: malformed '%s' entry", pkgpath, lineno, line);
	if (err == -E2BIG) {
		hs_err(ctx, "'%s': MANIFEST line %d: more than %d '%s' entries", pkgpath, lineno,
		       HS_PKG_MEMBERS_MAX, line);
		err = -HS_EFORMAT;
	}
	return err;
}

int hs_pkg_manifest_parse(const struct hs_ctx *ctx, const char *pkgpath, struct hs_pkg *pkg,
			  char *text)
{
	int lineno = 0, err = 0, saw_format = 0;
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l && !err; l = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (!strncmp(l, "format ", 7))
			saw_format = 1;
		err = parse_manifest_line(ctx, pkgpath, pkg, l, lineno);
	}
	if (!err && !saw_format) {
		hs_err(ctx, "'%s': MANIFEST has no format line", pkgpath);
		return -HS_EFORMAT;
	}
	return err;
}

/* A function name is one word without ',' or ':' (the state's FUNCS separators). */
static int func_name_valid(const char *s)
{
	return hs_pkg_word_valid(s) && !strpbrk(s, ",:");
}

static int check_funcs(const struct hs_ctx *ctx, const char *path, const struct hs_pkg *pkg)
{
	for (size_t i = 0; i < pkg->nfuncs; i++) {
		const struct hs_pkg_func *f = &pkg->funcs[i];

		if (!func_name_valid(f->name) || !func_name_valid(f->new_name) ||
		    (strcmp(f->klp_obj, "vmlinux") && !hs_pkg_modname_valid(f->klp_obj))) {
			hs_err(ctx, "'%s': MANIFEST: invalid function entry '%s' (%s)", path, f->name,
			       f->klp_obj);
			return -HS_EFORMAT;
		}
		if (!hs_pkg_file(pkg, f->obj)) {
			hs_err(ctx, "'%s': function '%s': object '%s' is not in the package",
			       path, f->name, f->obj);
			return -HS_EFORMAT;
		}
	}
	return 0;
}

int hs_pkg_manifest_check(const struct hs_ctx *ctx, const char *path, const struct hs_pkg *pkg)
{
	const char *missing = !pkg->id ? "id" : !pkg->target_release ? "target-release" :
			      !pkg->target_version ? "target-version" :
			      !pkg->module ? "module" : NULL;

	if (missing) {
		hs_err(ctx, "'%s': MANIFEST has no '%s'", path, missing);
		return -HS_EFORMAT;
	}
	if (!hs_pkg_id_valid(pkg->id)) {
		hs_err(ctx, "'%s': invalid update id '%s'", path, pkg->id);
		return -HS_EFORMAT;
	}
	if (!hs_pkg_modname_valid(pkg->module)) {
		hs_err(ctx, "'%s': invalid module name '%s'", path, pkg->module);
		return -HS_EFORMAT;
	}
	if (!hs_pkg_word_valid(pkg->target_release) ||
	    (pkg->effective_version && !hs_pkg_word_valid(pkg->effective_version)) ||
	    (pkg->description && !hs_pkg_text_valid(pkg->description))) {
		hs_err(ctx, "'%s': MANIFEST: target-release and effective-version must be one word, the description one line of text",
		       path);
		return -HS_EFORMAT;
	}
	if (!pkg->nfuncs) {
		hs_err(ctx, "'%s': MANIFEST lists no function", path);
		return -HS_EFORMAT;
	}
	return check_funcs(ctx, path, pkg);
}
