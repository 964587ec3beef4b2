/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debpkg.h - an update package wrapped as a Debian package (.deb), so that apt
 * installs, upgrades and removes live updates like any other package.
 *
 * The .deb is built by dpkg-deb (spawned; dpkg is essential on every Debian
 * machine, so the format is exactly the one apt and dpkg read) from a staging
 * directory holding
 *
 *   /usr/lib/hotsplice/updates/NAME.hsu   the update package, unchanged
 *   /usr/share/doc/NAME/copyright
 *   DEBIAN/control, postinst, prerm, postrm
 *
 * NAME is hotsplice-update-RELEASE (RELEASE: the kernel's `uname -r`, lower
 * case), so the updates for one kernel are versions of one package and apt
 * moves a machine to the newest. The package depends on hotsplice and on the
 * exact kernel image package (linux-image-RELEASE, or its -unsigned build, at
 * the Debian version named in the target's `uname -v`).
 *
 * postinst applies the update when the running kernel is the target (uname -r
 * and uname -v equal) and records in /var/lib/hotsplice-deb/NAME the ids it
 * applied, newest first, with a copy of the newest (NAME.hsu). An upgrade to a
 * cumulative update built on the previous one applies it over it (atomic
 * replace); any other upgrade undoes the previous update first and applies it
 * again from its copy if the new one fails. A failed apply fails the
 * installation (the running kernel is as it was). On another kernel it says so
 * and exits 0: the update stays in /usr/lib/hotsplice/updates for
 * `dpkg-reconfigure NAME` once that kernel runs. prerm undoes the recorded
 * updates, newest first, on removal.
 */
#ifndef HS_DEBPKG_H
#define HS_DEBPKG_H

#include "core/hotsplice.h"
#include "package/package.h"

#define HS_DEB_UPDATES_DIR "/usr/lib/hotsplice/updates"
#define HS_DEB_RECORD_DIR "/var/lib/hotsplice-deb"
#define HS_DEB_MAINTAINER "hotsplice <root@localhost>"

struct hs_deb_opts {
	const char *name;		/* package name; NULL: hotsplice-update-RELEASE */
	const char *version;		/* Debian version; NULL: from the package's created time */
	const char *kernel_version;	/* image package version; NULL: from target uname -v */
	const char *maintainer;		/* NULL: HS_DEB_MAINTAINER */
	const char *arch;		/* NULL: amd64 */
};

/* What the .deb of an update is called and depends on (strings owned). */
struct hs_deb_info {
	char *name;
	char *version;
	char *kernel_package;	/* linux-image-RELEASE */
	char *kernel_version;
	char *arch;
};

/*
 * Work out @info for update @pkg with @o. Returns 0, or -EINVAL (logged) when a
 * name or version is not valid for Debian or the target names no Debian version.
 */
int hs_deb_info(const struct hs_ctx *ctx, const struct hs_pkg *pkg,
		const struct hs_deb_opts *o, struct hs_deb_info *info);

void hs_deb_info_free(struct hs_deb_info *info);

/*
 * Build the .deb of the update package at @hsu into directory @outdir (created):
 * OUTDIR/NAME_VERSION_ARCH.deb, written atomically; its path in *@out (malloc'd).
 * The package is read and verified first. Returns 0 or a negative error (logged).
 */
int hs_deb_build(const struct hs_ctx *ctx, const char *hsu, const struct hs_deb_opts *o,
		 const char *outdir, char **out);

/* True if @s is a valid Debian package name / version. */
int hs_deb_name_valid(const char *s);
int hs_deb_version_valid(const char *s);

#endif
