// SPDX-License-Identifier: GPL-2.0
/* debpkg.c - wrap an update package as a Debian package, built by dpkg-deb. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/cache.h"
#include "ship/debpkg.h"
#include "package/package.h"
#include "core/spawn.h"

int hs_deb_name_valid(const char *s)
{
	/* Debian policy 5.6.1: [a-z0-9][a-z0-9+.-]+ */
	if (!s || strlen(s) < 2 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr("+.-", *s))
			return 0;
	return 1;
}

int hs_deb_version_valid(const char *s)
{
	/* policy 5.6.12, without an epoch: starts with a digit, [A-Za-z0-9.+~-] */
	if (!s || !isdigit((unsigned char)s[0]) || strlen(s) > 100)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".+~-", *s))
			return 0;
	return s[-1] != '-';
}

/* The Debian version in a Debian kernel's `uname -v`: the word after "Debian ". */
static char *debian_version_of(const char *uname_v)
{
	const char *p = uname_v ? strstr(uname_v, " Debian ") : NULL;
	size_t n;

	if (!p)
		return NULL;
	p += strlen(" Debian ");
	n = strcspn(p, " ");
	return n ? strndup(p, n) : NULL;
}

/* "2026-12-06T03:00:00Z" -> "20261206.030000": later builds sort higher. */
static char *version_of_created(const char *created)
{
	char d[15];
	size_t n = 0;

	for (const char *p = created ? created : ""; *p && n < sizeof(d) - 1; p++)
		if (isdigit((unsigned char)*p))
			d[n++] = *p;
	if (n != 14)
		return NULL;
	d[n] = '\0';
	return hs_strdupf("%.8s.%s", d, d + 8);
}

static char *lower(const char *s)
{
	char *r = strdup(s);

	for (char *p = r; p && *p; p++)
		*p = tolower((unsigned char)*p);
	return r;
}

void hs_deb_info_free(struct hs_deb_info *info)
{
	free(info->name);
	free(info->version);
	free(info->kernel_package);
	free(info->kernel_version);
	free(info->arch);
	memset(info, 0, sizeof(*info));
}

int hs_deb_info(const struct hs_ctx *ctx, const struct hs_pkg *pkg,
		const struct hs_deb_opts *o, struct hs_deb_info *info)
{
	char *rel = lower(pkg->target_release);

	memset(info, 0, sizeof(*info));
	info->name = o->name ? strdup(o->name) : hs_strdupf("hotsplice-update-%s", rel ?: "");
	info->version = o->version ? strdup(o->version) : version_of_created(pkg->created);
	info->kernel_package = hs_strdupf("linux-image-%s", rel ?: "");
	info->kernel_version = o->kernel_version ? strdup(o->kernel_version)
						 : debian_version_of(pkg->target_version);
	info->arch = strdup(o->arch ?: "amd64");
	free(rel);
	if (!info->name || !info->kernel_package || !info->arch) {
		hs_deb_info_free(info);
		return -ENOMEM;
	}
	if (!hs_deb_name_valid(info->name) || !hs_deb_name_valid(info->kernel_package)) {
		hs_err(ctx, "'%s' (or '%s') is not a valid Debian package name", info->name,
		       info->kernel_package);
		goto inval;
	}
	if (!hs_deb_version_valid(info->version)) {
		hs_err(ctx, "update '%s': '%s' is not a valid Debian version (created '%s'); give --deb-version",
		       pkg->id, info->version ?: "", pkg->created ?: "");
		goto inval;
	}
	if (!hs_deb_version_valid(info->kernel_version)) {
		hs_err(ctx, "update '%s': kernel version '%s' names no Debian version; give --kernel-version",
		       pkg->id, pkg->target_version);
		goto inval;
	}
	if (!hs_deb_name_valid(info->arch)) {
		hs_err(ctx, "'%s' is not a valid Debian architecture", info->arch);
		goto inval;
	}
	return 0;
inval:
	hs_deb_info_free(info);
	return -EINVAL;
}

/* A value put in single quotes in a maintainer script: no quote, no newline. */
static int shell_safe(const struct hs_ctx *ctx, const char *what, const char *s)
{
	if (!s || strpbrk(s, "'\n\\")) {
		hs_err(ctx, "%s '%s' cannot go into a maintainer script (quote or newline)", what,
		       s ?: "");
		return -EINVAL;
	}
	return 0;
}

/* The space-separated ids a cumulative update is built on ("" if none). */
static char *bases_of(const struct hs_pkg *pkg)
{
	char *r = strdup(""), *n;

	for (size_t i = 0; r && i < pkg->nbase; i++) {
		n = hs_strdupf("%s%s%s", r, i ? " " : "", pkg->base[i]);
		free(r);
		r = n;
	}
	return r;
}

/* The part of every maintainer script that names the update and its kernel. */
static char *script_head(const struct hs_pkg *pkg, const struct hs_deb_info *info,
			 const char *what)
{
	char *bases = bases_of(pkg), *r;

	if (!bases)
		return NULL;
	r = hs_strdupf("#!/bin/sh\n"
		       "# %s of %s: live kernel update '%s' (see hotsplice-deb(1))\n"
		       "set -e\n"
		       "NAME='%s'\nID='%s'\nBASES='%s'\nRELEASE='%s'\nKVERSION='%s'\n"
		       "HSU='" HS_DEB_UPDATES_DIR "/%s.hsu'\n"
		       "REC='" HS_DEB_RECORD_DIR "/%s'\n"
		       "running() { [ \"$(uname -r)\" = \"$RELEASE\" ] && [ \"$(uname -v)\" = \"$KVERSION\" ]; }\n"
		       "applied() { hotsplice list --json 2>/dev/null | grep -qF \"{\\\"id\\\": \\\"$1\\\", \\\"state\\\": \\\"applied\\\"\"; }\n",
		       what, info->name, pkg->id, info->name, pkg->id, bases, pkg->target_release,
		       pkg->target_version, info->name, info->name);
	free(bases);
	return r;
}

/*
 * REC lists the updates this package applied, newest first. On an upgrade to a
 * cumulative update built on the previous one (BASES), the new one is applied
 * over it (atomic replace: no moment without the fixes; the old one is kept as
 * superseded). Otherwise the previous updates are undone first (two updates of
 * one kernel usually replace the same functions), then the new one is applied;
 * if that fails, the previous one is applied again from the copy REC.hsu, so
 * the machine is as it was.
 */
static const char postinst_body[] =
	"case \"$1\" in\n"
	"configure|abort-upgrade|abort-remove|abort-deconfigure) ;;\n"
	"*) exit 0 ;;\n"
	"esac\n"
	"if ! running; then\n"
	"\techo \"$NAME: live update $ID is for Linux $RELEASE ($KVERSION); this machine runs $(uname -r) ($(uname -v)): not applied, kept in $HSU (run 'dpkg-reconfigure $NAME' once that kernel runs)\"\n"
	"\texit 0\n"
	"fi\n"
	"prev= chain= undone=\n"
	"[ ! -r \"$REC\" ] || prev=$(cat \"$REC\")\n"
	"set -- $prev\n"
	"if [ $# -gt 0 ] && [ \"$1\" != \"$ID\" ] && applied \"$1\"; then\n"
	"\tcase \" $BASES \" in\n"
	"\t*\" $1 \"*) chain=\" $prev\" ;;\n"
	"\t*)\tfor id in $prev; do\n"
	"\t\t\tapplied \"$id\" || continue\n"
	"\t\t\tif ! hotsplice undo \"$id\"; then\n"
	"\t\t\t\techo \"$NAME: live update $ID not applied: the previous version's update $id cannot be undone (the reason is above)\" >&2\n"
	"\t\t\t\texit 1\n"
	"\t\t\tfi\n"
	"\t\t\techo \"$NAME: the previous version's update $id undone\"\n"
	"\t\t\tundone=$id\n"
	"\t\tdone ;;\n"
	"\tesac\n"
	"fi\n"
	"rc=0\n"
	"hotsplice apply \"$HSU\" || rc=$?\n"
	"case $rc in\n"
	"0) ;;\n"
	"3) echo \"$NAME: live update $ID was already applied\" ;;\n"
	"*) echo \"$NAME: live update $ID not applied: 'hotsplice apply' exited $rc (the reason is above); the running kernel is unchanged\" >&2\n"
	"   if [ -n \"$undone\" ]; then\n"
	"\tif hotsplice apply -q \"$REC.hsu\"; then echo \"$NAME: the previous update $undone applied again\" >&2\n"
	"\telse echo \"$NAME: the previous update $undone could not be applied again: apply $REC.hsu by hand\" >&2; fi\n"
	"   fi\n"
	"   exit 1 ;;\n"
	"esac\n"
	"mkdir -p \"${REC%/*}\"\n"
	"cp \"$HSU\" \"$REC.hsu.new\"\n"
	"echo \"$ID$chain\" > \"$REC.new\"\n"
	"mv \"$REC.hsu.new\" \"$REC.hsu\"\n"
	"mv \"$REC.new\" \"$REC\"\n"
	"if [ -n \"$chain\" ]; then echo \"$NAME: live update $ID took the place of$chain\"; fi\n"
	"exit 0\n";

/* Undo what this package applied, newest first (undoing a cumulative update
 * makes the one it took the place of live again: that is undone next). */
static const char prerm_body[] =
	"case \"$1\" in\n"
	"remove|deconfigure) ;;\n"
	"*) exit 0 ;;\n"
	"esac\n"
	"[ -r \"$REC\" ] || exit 0\n"
	"ids=$(cat \"$REC\")\n"
	"if ! running; then\n"
	"\techo \"$NAME: live update $ids is for Linux $RELEASE, which is not running: nothing to undo ('hotsplice undo --purge' forgets updates recorded for other kernels)\"\n"
	"\texit 0\n"
	"fi\n"
	"for id in $ids; do\n"
	"\tif ! applied \"$id\"; then\n"
	"\t\techo \"$NAME: live update $id is not applied: nothing to undo\"\n"
	"\t\tcontinue\n"
	"\tfi\n"
	"\trc=0\n"
	"\thotsplice undo \"$id\" || rc=$?\n"
	"\tif [ $rc != 0 ]; then\n"
	"\t\techo \"$NAME: live update $id not undone: 'hotsplice undo' exited $rc (the reason is above); the package stays installed\" >&2\n"
	"\t\texit 1\n"
	"\tfi\n"
	"done\n"
	"exit 0\n";

static const char postrm_body[] =
	"case \"$1\" in\n"
	"remove|purge)\n"
	"\trm -f \"$REC\" \"$REC.hsu\"\n"
	"\trmdir \"${REC%/*}\" 2>/dev/null || true ;;\n"
	"esac\n"
	"exit 0\n";

static char *control_text(const struct hs_pkg *pkg, const struct hs_deb_info *info,
			  const struct hs_deb_opts *o, size_t kib)
{
	const char *k = info->kernel_package, *kv = info->kernel_version;

	return hs_strdupf("Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: %s\n"
			  "Installed-Size: %zu\n"
			  "Depends: hotsplice (>= %s), %s (= %s) | %s-unsigned (= %s)\n"
			  "Section: kernel\nPriority: optional\n"
			  "Description: live update %s for Linux %s\n"
			  " %s\n .\n"
			  " Kernel: %s,\n %s.\n"
			  " Effective version once applied: %s. Functions replaced: %zu.\n"
			  " Installing this package applies the update to the running kernel\n"
			  " when it is that kernel (hotsplice apply); removing it undoes it.\n",
			  info->name, info->version, info->arch,
			  o->maintainer ?: HS_DEB_MAINTAINER, kib, HS_VERSION,
			  k, kv, k, kv, pkg->id, pkg->target_release,
			  pkg->description && *pkg->description ? pkg->description : pkg->id,
			  pkg->target_release, pkg->target_version,
			  pkg->effective_version ?: "unchanged", pkg->nfuncs);
}

static const char copyright_text[] =
	"This package holds a live kernel update made by hotsplice from a patch to\n"
	"the Linux kernel: the livepatch module, the patch and the pre objects are\n"
	"derived from the Linux kernel source.\n\n"
	"Copyright (C) 1991-2026 Linus Torvalds and the Linux kernel authors\n"
	"License: GPL-2\n"
	"On Debian systems, the complete text of the GNU General Public License\n"
	"version 2 can be found in '/usr/share/common-licenses/GPL-2'.\n";

/* usr/share/doc/NAME/changelog.gz: one entry, dated as the update was created. */
static int put_changelog(const struct hs_ctx *ctx, const char *dir, const struct hs_pkg *pkg,
			 const struct hs_deb_info *info, const struct hs_deb_opts *o)
{
	char *path = hs_strdupf("%s/usr/share/doc/%s/changelog.gz", dir, info->name);
	char date[64] = "Thu, 01 Jan 1970 00:00:00 +0000", *text;
	struct tm tm = { 0 };
	gzFile gz;
	int err = 0;

	if (pkg->created && strptime(pkg->created, "%Y-%m-%dT%H:%M:%S", &tm))
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	text = hs_strdupf("%s (%s) stable; urgency=medium\n\n  * Live kernel update %s: %s\n\n"
			  " -- %s  %s\n", info->name, info->version, pkg->id,
			  pkg->description && *pkg->description ? pkg->description : pkg->id,
			  o->maintainer ?: HS_DEB_MAINTAINER, date);
	if (!path || !text) {
		err = -ENOMEM;
		goto out;
	}
	gz = gzopen(path, "wb9");
	if (!gz || gzwrite(gz, text, strlen(text)) != (int)strlen(text) || gzclose(gz) != Z_OK) {
		err = -EIO;
		hs_err(ctx, "cannot write '%s'", path);
	}
out:
	free(path);
	free(text);
	return err;
}

/* Write @text to @dir/@rel with @mode, directories created. */
static int put(const struct hs_ctx *ctx, const char *dir, const char *rel, const char *text,
	       mode_t mode)
{
	char *path = hs_strdupf("%s/%s", dir, rel), *slash;
	int err;

	if (!path || !text) {
		free(path);
		return -ENOMEM;
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	err = hs_mkdir_p(ctx, path);
	*slash = '/';
	err = err ?: hs_write_file_atomic(ctx, path, text, strlen(text));
	if (!err && chmod(path, mode))
		err = -errno;
	free(path);
	return err;
}

static int put_script(const struct hs_ctx *ctx, const char *dir, const char *name,
		      const struct hs_pkg *pkg, const struct hs_deb_info *info, const char *body)
{
	char *head = script_head(pkg, info, name);
	char *text = head ? hs_strdupf("%s%s", head, body) : NULL;
	char *rel = hs_strdupf("DEBIAN/%s", name);
	int err = put(ctx, dir, rel, text, 0755);

	free(head);
	free(text);
	free(rel);
	return err;
}

/* Fill the staging directory @dir: the payload, then DEBIAN/. */
static int stage(const struct hs_ctx *ctx, const char *dir, const char *hsu,
		 const struct hs_pkg *pkg, const struct hs_deb_info *info,
		 const struct hs_deb_opts *o)
{
	char *payload = hs_strdupf("%s" HS_DEB_UPDATES_DIR "/%s.hsu", dir, info->name);
	char *doc = hs_strdupf("usr/share/doc/%s/copyright", info->name);
	char *control = NULL;
	struct stat st;
	int err = payload && doc ? 0 : -ENOMEM;

	err = err ?: shell_safe(ctx, "kernel release", pkg->target_release);
	err = err ?: shell_safe(ctx, "kernel version", pkg->target_version);
	err = err ?: put(ctx, dir, doc, copyright_text, 0644);
	err = err ?: put_changelog(ctx, dir, pkg, info, o);
	if (!err) {
		*strrchr(payload, '/') = '\0';
		err = hs_mkdir_p(ctx, payload);
		payload[strlen(payload)] = '/';
	}
	err = err ?: hs_copy_file(ctx, hsu, payload);
	if (!err && stat(payload, &st))
		err = -errno;
	if (!err) {
		control = control_text(pkg, info, o, ((size_t)st.st_size + 4096) / 1024 + 4);
		err = put(ctx, dir, "DEBIAN/control", control, 0644);
	}
	err = err ?: put_script(ctx, dir, "postinst", pkg, info, postinst_body);
	err = err ?: put_script(ctx, dir, "prerm", pkg, info, prerm_body);
	err = err ?: put_script(ctx, dir, "postrm", pkg, info, postrm_body);
	free(payload);
	free(doc);
	free(control);
	return err;
}

static void log_line(void *arg, const char *line)
{
	hs_debug(arg, "%s", line);
}

/* dpkg-deb --build @dir into @out (through a temporary name beside it). */
static int run_dpkg_deb(const struct hs_ctx *ctx, const char *dir, const char *out)
{
	char *tmp = hs_strdupf("%s.tmp", out);
	char *argv[] = { "dpkg-deb", "--root-owner-group", "-Zxz", "--build", (char *)dir, tmp,
			 NULL };
	int rc;

	if (!tmp)
		return -ENOMEM;
	rc = hs_spawn_run(ctx, argv, NULL, log_line, (void *)ctx);
	if (rc > 0) {
		hs_err(ctx, "dpkg-deb --build '%s' failed (exit %d)", dir, rc);
		rc = -EIO;
	}
	if (!rc && rename(tmp, out)) {
		rc = -errno;
		hs_err(ctx, "cannot rename '%s' to '%s': %s", tmp, out, strerror(errno));
	}
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

int hs_deb_build(const struct hs_ctx *ctx, const char *hsu, const struct hs_deb_opts *o,
		 const char *outdir, char **out)
{
	struct hs_pkg pkg = { 0 };
	struct hs_deb_info info = { 0 };
	char *dir = NULL, *deb = NULL;
	int err;

	*out = NULL;
	err = hs_pkg_read(ctx, hsu, &pkg);
	err = err ?: hs_deb_info(ctx, &pkg, o, &info);
	err = err ?: hs_mkdir_p(ctx, outdir);
	if (err)
		goto out;
	dir = hs_strdupf("%s/.hsdeb-XXXXXX", outdir);
	deb = hs_strdupf("%s/%s_%s_%s.deb", outdir, info.name, info.version, info.arch);
	if (!dir || !deb) {
		err = -ENOMEM;
		goto out;
	}
	if (!mkdtemp(dir)) {
		err = -errno;
		hs_err(ctx, "cannot make a directory in '%s': %s", outdir, strerror(errno));
		goto out;
	}
	/* dpkg-deb wants 0755 on the root and DEBIAN, not mkdtemp's 0700 */
	if (chmod(dir, 0755))
		err = -errno;
	err = err ?: stage(ctx, dir, hsu, &pkg, &info, o);
	err = err ?: run_dpkg_deb(ctx, dir, deb);
	hs_rm_rf(dir);
	if (!err) {
		*out = deb;
		deb = NULL;
	}
out:
	free(dir);
	free(deb);
	hs_deb_info_free(&info);
	hs_pkg_free(&pkg);
	return err;
}
