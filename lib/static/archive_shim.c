// SPDX-License-Identifier: GPL-2.0
/*
 * archive_shim.c - linked into the static guest binary only.
 *
 * libarchive's ustar writer calls one helper that lives in the same object as
 * the table of every writer format; linking that object statically drags in
 * the xar writer, libxml2 and ICU (36 MB). hotsplice only writes regular
 * files, so this small definition of the helper keeps the binary at ~1 MB.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>

void __archive_write_entry_filetype_unsupported(struct archive *a,
						struct archive_entry *entry,
						const char *format);

void __archive_write_entry_filetype_unsupported(struct archive *a,
						struct archive_entry *entry,
						const char *format)
{
	archive_set_error(a, EINVAL, "%s: unsupported file type for %s",
			  archive_entry_pathname(entry), format);
}
