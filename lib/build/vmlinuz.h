/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmlinuz.h - the symbol table a kernel image will show in /proc/kallsyms,
 * read from the image itself (an x86 bzImage, as Debian's image package
 * ships it as boot/vmlinuz-<release>): the compressed payload (its place is
 * in the boot protocol's setup header: payload_offset, payload_length) is
 * decompressed with libarchive, and the kallsyms tables that
 * scripts/kallsyms.c generated are found in it and decoded:
 *
 *   kallsyms_offsets, kallsyms_relative_base, kallsyms_num_syms (u32),
 *   kallsyms_names (per symbol: its length as ULEB128, then that many token
 *   numbers), kallsyms_markers (u32 per 256 symbols, the first 0),
 *   kallsyms_seqs_of_names (3 bytes per symbol), kallsyms_token_table (256
 *   NUL-terminated strings), kallsyms_token_index (256 u16 offsets into it),
 *   each table aligned to 8 bytes.
 *
 * A symbol's first character is its type ('t', 'T', 'd', ...). The order is
 * the kernel's own: the one kallsyms_on_each_symbol() and hence the
 * livepatch core's sympos count in.
 */
#ifndef HS_VMLINUZ_H
#define HS_VMLINUZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/hotsplice.h"

/* A kernel image opened to read its symbols' addresses and its code. */
struct hs_vmlinuz {
	unsigned char *image;	/* the decompressed payload: vmlinux, an ELF executable */
	size_t len;
	uint64_t *addr;		/* per kallsyms symbol, in kallsyms order; NULL: unknown */
	size_t n;
	struct hs_vmlinuz_sec {	/* the payload's loaded sections */
		uint64_t addr, size, offset;
	} *secs;
	size_t nsecs;
};

/*
 * Decode the kallsyms of kernel image @path: *@text receives "Tname\n" per
 * symbol, in kallsyms order (malloc'd), *@n the count. Returns 0,
 * -HS_EFORMAT (not a bzImage, or no kallsyms table found; logged) or -errno.
 */
int hs_vmlinuz_kallsyms(const struct hs_ctx *ctx, const char *path, char **text, size_t *n);

/*
 * Like hs_vmlinuz_kallsyms(), keeping the image in @vz: the symbols' link-time
 * addresses (kallsyms_offsets and kallsyms_relative_base decoded; vz->addr
 * NULL when they cannot be found) and the bytes at an address. Close with
 * hs_vmlinuz_close() also after an error.
 */
int hs_vmlinuz_open(const struct hs_ctx *ctx, const char *path, char **text, size_t *n,
		    struct hs_vmlinuz *vz);

/*
 * The @len bytes at link-time address @addr of the image, as the kernel was
 * built (before boot-time patching: alternatives, static calls, sealed ENDBR),
 * or NULL when they are not in a loaded section of the image.
 */
const unsigned char *hs_vmlinuz_bytes(const struct hs_vmlinuz *vz, uint64_t addr, size_t len);

void hs_vmlinuz_close(struct hs_vmlinuz *vz);

/*
 * Decompress @len bytes at @in (gzip, xz, lz4, zstd, ... as libarchive
 * recognises them) into a malloc'd *@out; what was decompressed before an
 * error at the end is kept. Returns 0, -HS_EFORMAT (nothing came out) or
 * -ENOMEM.
 */
int hs_decompress(const void *in, size_t len, unsigned char **out, size_t *outlen);

#endif
