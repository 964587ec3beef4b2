// SPDX-License-Identifier: GPL-2.0
/* package.c - read, verify and write update packages (ustar via libarchive). */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/fsutil.h"
#include "core/strbuf.h"
#include "core/strv.h"
#include "package/manifest.h"
#include "package/package.h"

#define MANIFEST "MANIFEST"

/* 1 to @max characters, each a letter, digit, '-' or '_'. */
static int name_valid(const char *s, size_t max)
{
	return strlen(s) <= max && hs_name_valid(s, "-");
}

int hs_pkg_id_valid(const char *id)
{
	return name_valid(id, HS_PKG_ID_MAX);
}

int hs_pkg_modname_valid(const char *name)
{
	return name_valid(name, HS_PKG_MODNAME_MAX);
}

void hs_pkg_id_fix(char *id)
{
	for (char *p = id; p && *p; p++)
		if (!hs_name_char(*p, "-"))
			*p = '-';
}

int hs_pkg_word_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > HS_PKG_WORD_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 0;
	return 1;
}

/* A control character: none in a line of MANIFEST text. */
static bool text_ctl(char c)
{
	return (unsigned char)c < ' ' || c == 0x7f;
}

int hs_pkg_text_valid(const char *s)
{
	size_t n = strlen(s);

	if (n > HS_PKG_TEXT_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (text_ctl(s[i]))
			return 0;
	return 1;
}

void hs_pkg_text_fix(char *s)
{
	for (char *p = s; p && *p; p++)
		if (text_ctl(*p))
			*p = ' ';
	if (s && strlen(s) > HS_PKG_TEXT_MAX)
		s[HS_PKG_TEXT_MAX] = 0;
}

const struct hs_pkg_file *hs_pkg_file(const struct hs_pkg *pkg, const char *path)
{
	for (size_t i = 0; i < pkg->nfiles; i++)
		if (!strcmp(pkg->files[i].path, path))
			return &pkg->files[i];
	return NULL;
}

int hs_pkg_add_file(struct hs_pkg *pkg, const char *path, const void *data, size_t size)
{
	struct hs_pkg_file *f, *files;

	files = realloc(pkg->files, (pkg->nfiles + 1) * sizeof(*files));
	if (!files)
		return -ENOMEM;
	pkg->files = files;
	f = &files[pkg->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->data = malloc(size ? size : 1);
	if (!f->path || !f->data) {
		free(f->path);
		free(f->data);
		return -ENOMEM;
	}
	memcpy(f->data, data, size);
	f->size = size;
	hs_sha256_hex(data, size, f->sha256);
	pkg->nfiles++;
	return 0;
}

int hs_pkg_add_func(struct hs_pkg *pkg, const char *obj, const char *klp_obj,
		    const char *name, const char *new_name)
{
	struct hs_pkg_func *f, *funcs;

	funcs = realloc(pkg->funcs, (pkg->nfuncs + 1) * sizeof(*funcs));
	if (!funcs)
		return -ENOMEM;
	pkg->funcs = funcs;
	f = &funcs[pkg->nfuncs];
	f->obj = strdup(obj);
	f->klp_obj = strdup(klp_obj);
	f->name = strdup(name);
	f->new_name = strdup(new_name);
	if (!f->obj || !f->klp_obj || !f->name || !f->new_name) {
		free(f->obj);
		free(f->klp_obj);
		free(f->name);
		free(f->new_name);
		return -ENOMEM;
	}
	pkg->nfuncs++;
	return 0;
}

int hs_pkg_add_str(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(s);
	if (!nv[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

int hs_pkg_has_str(char *const *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], id))
			return 1;
	return 0;
}

int hs_pkg_cumulative(const struct hs_pkg *pkg)
{
	return pkg->nbase > 0 || pkg->replace;
}

int hs_pkg_add_klpsym(struct hs_pkg *pkg, const char *klp_obj, const char *name,
		      unsigned long sympos)
{
	struct hs_pkg_klpsym *v = realloc(pkg->klpsyms, (pkg->nklpsyms + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	pkg->klpsyms = v;
	v += pkg->nklpsyms;
	v->klp_obj = strdup(klp_obj);
	v->name = strdup(name);
	v->sympos = sympos;
	if (!v->klp_obj || !v->name) {
		free(v->klp_obj);
		free(v->name);
		return -ENOMEM;
	}
	pkg->nklpsyms++;
	return 0;
}

void hs_pkg_free(struct hs_pkg *pkg)
{
	for (size_t i = 0; i < pkg->nbase; i++)
		free(pkg->base[i]);
	for (size_t i = 0; i < pkg->nincludes; i++)
		free(pkg->includes[i]);
	free(pkg->base);
	free(pkg->includes);
	free(pkg->release_from);
	free(pkg->release_to);
	for (size_t i = 0; i < pkg->nfiles; i++) {
		free(pkg->files[i].path);
		free(pkg->files[i].data);
	}
	for (size_t i = 0; i < pkg->nfuncs; i++) {
		free(pkg->funcs[i].obj);
		free(pkg->funcs[i].klp_obj);
		free(pkg->funcs[i].name);
		free(pkg->funcs[i].new_name);
	}
	for (size_t i = 0; i < pkg->nklpsyms; i++) {
		free(pkg->klpsyms[i].klp_obj);
		free(pkg->klpsyms[i].name);
	}
	free(pkg->klpsyms);
	free(pkg->manifest);
	free(pkg->sig);
	free(pkg->files);
	free(pkg->funcs);
	free(pkg->id);
	free(pkg->description);
	free(pkg->created);
	free(pkg->target_release);
	free(pkg->target_version);
	free(pkg->effective_version);
	free(pkg->compiler);
	free(pkg->module);
	memset(pkg, 0, sizeof(*pkg));
}

/* ---- reading ---- */

static int read_member(const struct hs_ctx *ctx, const char *path, struct archive *a,
		       struct archive_entry *ent, size_t max, unsigned char **data, size_t *size)
{
	la_int64_t sz = archive_entry_size(ent);
	la_ssize_t n;

	if (sz < 0 || (uint64_t)sz > max) {
		hs_err(ctx, "'%s': member '%s': bad size", path, archive_entry_pathname(ent));
		return -HS_EFORMAT;
	}
	*data = malloc((size_t)sz + 1);
	if (!*data)
		return -ENOMEM;
	n = archive_read_data(a, *data, (size_t)sz);
	if (n != sz) {
		hs_err(ctx, "'%s': member '%s' is truncated: %s", path,
		       archive_entry_pathname(ent), n < 0 ? archive_error_string(a) : "short read");
		free(*data);
		*data = NULL;
		return -HS_EFORMAT;
	}
	(*data)[sz] = 0;
	*size = (size_t)sz;
	return 0;
}

/* Attach one non-MANIFEST member to its "file" entry, checking size and digest. */
static int attach_member(const struct hs_ctx *ctx, const char *path, struct hs_pkg *pkg,
			 const char *name, unsigned char *data, size_t size)
{
	struct hs_pkg_file *f = (struct hs_pkg_file *)hs_pkg_file(pkg, name);
	char hex[65];

	if (!f) {
		hs_err(ctx, "'%s': member '%s' is not listed in the MANIFEST", path, name);
		return -HS_EFORMAT;
	}
	if (f->data) {
		hs_err(ctx, "'%s': member '%s' appears twice", path, name);
		return -HS_EFORMAT;
	}
	hs_sha256_hex(data, size, hex);
	if (size != f->size || strcmp(hex, f->sha256)) {
		hs_err(ctx, "'%s': member '%s' is corrupted (size %zu, expected %zu; digest %.12s…, expected %.12s…)",
		       path, name, size, f->size, hex, f->sha256);
		return -HS_EFORMAT;
	}
	f->data = data;
	return 0;
}

/* The members of the archive @a (@len bytes), MANIFEST first, into @pkg. */
static int read_members(const struct hs_ctx *ctx, const char *path, struct archive *a,
			size_t len, struct hs_pkg *pkg)
{
	struct archive_entry *ent;
	unsigned char *data;
	int r, err, first = 1;
	size_t size, count = 0;

	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(ent);

		if (++count > HS_PKG_MEMBERS_MAX + 2) {	/* with MANIFEST and MANIFEST.sig */
			hs_err(ctx, "'%s': more than %d members", path, HS_PKG_MEMBERS_MAX);
			return -HS_EFORMAT;
		}
		if (!name || archive_entry_filetype(ent) != AE_IFREG)
			continue;
		err = read_member(ctx, path, a, ent, len, &data, &size);
		if (err)
			return err;
		if (first) {
			first = 0;
			if (strcmp(name, MANIFEST)) {
				free(data);
				hs_err(ctx, "'%s': not a hotsplice package (first member is '%s', not MANIFEST)",
				       path, name);
				return -HS_EFORMAT;
			}
			pkg->manifest = malloc(size + 1);
			err = pkg->manifest ? 0 : -ENOMEM;
			if (!err) {
				memcpy(pkg->manifest, data, size + 1);
				pkg->manifest_len = size;
			}
			err = err ?: hs_pkg_manifest_parse(ctx, path, pkg, (char *)data);
			free(data);
		} else if (!strcmp(name, HS_PKG_SIG) && !pkg->sig) {
			pkg->sig = data;	/* checked by its reader (trust.h) */
			pkg->sig_len = size;
		} else {
			err = attach_member(ctx, path, pkg, name, data, size);
			if (err)
				free(data);
		}
		if (err)
			return err;
	}
	if (r != ARCHIVE_EOF || first) {
		hs_err(ctx, "'%s': %s", path, first ? "empty or not a hotsplice package" :
		       archive_error_string(a) ? archive_error_string(a) : "truncated");
		return -HS_EFORMAT;
	}
	return 0;
}

int hs_pkg_read_bytes(const struct hs_ctx *ctx, const char *path, unsigned char **data,
		      size_t *len)
{
	struct stat st;
	size_t got = 0;
	int fd, err = 0;

	*data = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		err = -errno;
		hs_err(ctx, "cannot open package '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > HS_PKG_SIZE_MAX) {
		hs_err(ctx, "'%s': %s", path, S_ISREG(st.st_mode) ? "larger than a package can be (256 MiB)" :
		       "not a regular file");
		err = -HS_EFORMAT;
		goto out;
	}
	*data = malloc((size_t)st.st_size + 1);
	if (!*data) {
		err = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, *data + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			hs_err(ctx, "cannot read package '%s': %s", path,
			       n < 0 ? strerror(errno) : "it shrank while being read");
			goto out;
		}
		got += (size_t)n;
	}
	*len = got;
out:
	if (fd >= 0)
		close(fd);
	if (err) {
		free(*data);
		*data = NULL;
	}
	return err;
}

int hs_pkg_parse(const struct hs_ctx *ctx, const char *name, const void *data, size_t len,
		 struct hs_pkg *pkg)
{
	struct archive *a;
	int err;

	memset(pkg, 0, sizeof(*pkg));
	if (len > HS_PKG_SIZE_MAX) {
		hs_err(ctx, "'%s': larger than a package can be (256 MiB)", name);
		return -HS_EFORMAT;
	}
	a = archive_read_new();
	if (!a)
		return -ENOMEM;
	archive_read_support_format_tar(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		hs_err(ctx, "cannot open package '%s': %s", name, archive_error_string(a));
		archive_read_free(a);
		return -HS_EFORMAT;
	}
	err = read_members(ctx, name, a, len, pkg);
	archive_read_free(a);
	for (size_t i = 0; !err && i < pkg->nfiles; i++)
		if (!pkg->files[i].data) {
			hs_err(ctx, "'%s': member '%s' listed in the MANIFEST is missing (truncated package?)",
			       name, pkg->files[i].path);
			err = -HS_EFORMAT;
		}
	err = err ?: hs_pkg_manifest_check(ctx, name, pkg);
	if (err)
		hs_pkg_free(pkg);
	return err;
}

int hs_pkg_read(const struct hs_ctx *ctx, const char *path, struct hs_pkg *pkg)
{
	unsigned char *data;
	size_t len;
	int err;

	memset(pkg, 0, sizeof(*pkg));
	err = hs_pkg_read_bytes(ctx, path, &data, &len);
	if (err)
		return err;
	err = hs_pkg_parse(ctx, path, data, len, pkg);
	free(data);
	return err;
}

/* ---- writing ---- */

static int write_member(const struct hs_ctx *ctx, struct archive *a, const char *name,
			const void *data, size_t size)
{
	struct archive_entry *ent = archive_entry_new();
	int err = 0;

	if (!ent)
		return -ENOMEM;
	archive_entry_set_pathname(ent, name);
	archive_entry_set_size(ent, (la_int64_t)size);
	archive_entry_set_filetype(ent, AE_IFREG);
	archive_entry_set_perm(ent, 0644);
	archive_entry_set_mtime(ent, 0, 0);
	if (archive_write_header(a, ent) != ARCHIVE_OK ||
	    archive_write_data(a, data, size) != (la_ssize_t)size) {
		hs_err(ctx, "cannot write package member '%s': %s", name, archive_error_string(a));
		err = -EIO;
	}
	archive_entry_free(ent);
	return err;
}

static int write_archive(const struct hs_ctx *ctx, int fd, struct hs_pkg *pkg)
{
	struct hs_strbuf m = { .s = malloc(4096), .cap = 4096 };
	struct archive *a = archive_write_new();
	int err;

	if (!a || !m.s) {
		free(m.s);
		archive_write_free(a);
		return -ENOMEM;
	}
	m.s[0] = 0;
	archive_write_set_format_ustar(a);
	archive_write_set_bytes_in_last_block(a, 1);
	err = hs_pkg_manifest_text(pkg, &m);
	if (!err && archive_write_open_fd(a, fd) != ARCHIVE_OK)
		err = -EIO;
	err = err ?: write_member(ctx, a, MANIFEST, m.s, m.len);
	if (!err && pkg->sign) {
		unsigned char *sig = NULL;
		size_t siglen = 0;

		err = pkg->sign(pkg->sign_arg, m.s, m.len, &sig, &siglen);
		err = err ?: write_member(ctx, a, HS_PKG_SIG, sig, siglen);
		free(sig);
	}
	for (size_t i = 0; !err && i < pkg->nfiles; i++)
		err = write_member(ctx, a, pkg->files[i].path, pkg->files[i].data,
				   pkg->files[i].size);
	if (archive_write_close(a) != ARCHIVE_OK && !err)
		err = -EIO;
	archive_write_free(a);
	free(m.s);
	return err;
}

int hs_pkg_write(const struct hs_ctx *ctx, const char *path, struct hs_pkg *pkg)
{
	char created[32];
	time_t now = time(NULL);
	struct hs_atomic_file af;
	int err;

	if (!pkg->created) {
		strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
		pkg->created = strdup(created);
		if (!pkg->created)
			return -ENOMEM;
	}
	err = hs_atomic_open(ctx, path, 0644, &af);
	if (err)
		return err;
	err = write_archive(ctx, af.fd, pkg);
	if (err) {
		hs_err(ctx, "cannot write package '%s'", path);
		hs_atomic_abort(&af);
		return err;
	}
	return hs_atomic_commit(ctx, &af);
}
