// SPDX-License-Identifier: GPL-2.0
/* vmlinuz.c - decode the kallsyms table of a bzImage kernel image. */
#include <archive.h>
#include <archive_entry.h>
#include <gelf.h>
#include <libelf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "core/le.h"
#include "build/vmlinuz.h"

#define MAX_IMAGE (512u << 20)	/* a decompressed kernel is far smaller */

static uint16_t u16(const unsigned char *p)
{
	return (uint16_t)hs_le(p, 2);
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)hs_le(p, 4);
}

/* The compressed payload of bzImage @d: 0 with its place, or -HS_EFORMAT. */
static int payload(const unsigned char *d, size_t len, size_t *off, size_t *plen)
{
	size_t setup, pm;

	if (len < 0x250 || memcmp(d + 0x202, "HdrS", 4))
		return -HS_EFORMAT;
	setup = d[0x1f1] ? d[0x1f1] : 4;
	pm = (setup + 1) * 512;
	*off = pm + u32(d + 0x248);
	*plen = u32(d + 0x24c);
	return *off < len && *plen <= len - *off ? 0 : -HS_EFORMAT;
}

/*
 * Decompress @in with whatever filter libarchive recognises (gzip, xz, lz4,
 * zstd, ...). What was decompressed before an error at the end is kept.
 */
int hs_decompress(const void *in, size_t len, unsigned char **out, size_t *outlen)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	size_t used = 0, cap = len * 4 + 4096;
	unsigned char *buf = malloc(cap);
	la_ssize_t n = 0;

	if (!a || !buf) {
		archive_read_free(a);
		free(buf);
		return -ENOMEM;
	}
	/* what Kconfig offers for the kernel image (KERNEL_*) and for modules (MODULE_COMPRESS_*) */
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_lz4(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_memory(a, in, len) != ARCHIVE_OK ||
	    archive_read_next_header(a, &ent) != ARCHIVE_OK)
		n = -1;
	while (n >= 0 && (n = archive_read_data(a, buf + used, cap - used)) > 0) {
		used += (size_t)n;
		if (used == cap && cap < MAX_IMAGE) {
			unsigned char *b = realloc(buf, cap * 2);

			if (!b)
				break;
			buf = b;
			cap *= 2;
		}
	}
	archive_read_free(a);
	if (!used) {
		free(buf);
		return -HS_EFORMAT;
	}
	*out = buf;
	*outlen = used;
	return 0;
}

/* Is the token table, ending before the token index at @p, at @t? */
static bool token_table_at(const unsigned char *d, size_t t, size_t p)
{
	for (int i = 0; i < 256; i++) {
		size_t s = t + u16(d + p + 2 * i), e;

		e = i < 255 ? t + u16(d + p + 2 * i + 2) - 1 : s + strnlen((const char *)d + s, 64);
		if (e <= s || e >= p || d[e] || memchr(d + s, 0, e - s))
			return false;
		if (i == 255 && ((e + 1 + 7) & ~(size_t)7) != p)
			return false;
	}
	return true;
}

/* The token index at @p (256 rising u16 from 0) and its token table: *@t. */
static bool token_tables(const unsigned char *d, size_t len, size_t p, size_t *t)
{
	size_t last;

	if (p + 512 > len || u16(d + p))
		return false;
	for (int i = 1; i < 256; i++) {
		unsigned int prev = u16(d + p + 2 * i - 2), cur = u16(d + p + 2 * i);

		if (cur < prev + 2 || cur - prev > 64)
			return false;
	}
	last = u16(d + p + 510);
	if (p < last + 80)
		return false;
	for (size_t c = (p - last - 2) & ~(size_t)7; c + last + 72 > p && c >= 8; c -= 8)
		if (token_table_at(d, c, p)) {
			*t = c;
			return true;
		}
	return false;
}

struct tables {
	size_t names, markers, num, tokens, index;
};

/* Are @n names from @x + 8 on, with their markers at @mk? */
static bool names_fit(const unsigned char *d, size_t x, uint32_t n, size_t mk)
{
	size_t m = (n + 255) / 256, off = x + 8;

	if (mk <= off || u32(d + mk) != 0 || (m > 1 && u32(d + mk + 4) >= mk - off))
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t l = d[off];

		if (!(i & 255) && u32(d + mk + 4 * (i >> 8)) != off - x - 8)
			return false;
		if (l & 0x80)
			l = (l & 0x7f) | (size_t)d[off + 1] << 7, off++;
		off += 1 + l;
		if (!l || off > mk)
			return false;
	}
	return ((off + 7) & ~(size_t)7) == mk;
}

/*
 * Are kallsyms_num_syms at @x and kallsyms_names after it? Their markers end
 * where the token table begins (Linux 6.12), or where kallsyms_seqs_of_names
 * (3 bytes per symbol) begins, which ends there (Linux 6.1).
 */
static bool names_at(const unsigned char *d, size_t x, struct tables *tb)
{
	uint32_t n = u32(d + x);
	size_t m = (n + 255) / 256, seqs, mk[2];

	if (n < 256 || n > (1u << 22) || (size_t)n * 3 + 4 * m + x + 16 > tb->tokens)
		return false;
	seqs = (tb->tokens - (size_t)n * 3) & ~(size_t)7;
	mk[0] = (tb->tokens - 4 * m) & ~(size_t)7;
	mk[1] = (seqs - 4 * m) & ~(size_t)7;
	for (int k = 0; k < 2; k++)
		if (names_fit(d, x, n, mk[k])) {
			tb->num = x;
			tb->names = x + 8;
			tb->markers = mk[k];
			return true;
		}
	return false;
}

static int find_tables(const unsigned char *d, size_t len, struct tables *tb)
{
	bool found = false;

	for (size_t p = 0; p + 512 <= len && !found; p += 8)
		if (token_tables(d, len, p, &tb->tokens))
			found = true, tb->index = p;
	if (!found)
		return -HS_EFORMAT;
	for (size_t x = 0; x + 8 < tb->tokens; x += 8)
		if (names_at(d, x, tb))
			return 0;
	return -HS_EFORMAT;
}

/* Expand every symbol into "Tname\n" lines. */
static int expand(const unsigned char *d, const struct tables *tb, char **text, size_t *count)
{
	uint32_t n = u32(d + tb->num);
	size_t cap = (size_t)n * 32 + 1, used = 0, off = tb->names;
	char *out = malloc(cap);

	for (size_t i = 0; out && i < n; i++) {
		size_t l = d[off++];

		if (l & 0x80)
			l = (l & 0x7f) | (size_t)d[off++] << 7;
		for (size_t k = 0; k < l && out; k++) {
			const char *tok = (const char *)d + tb->tokens + u16(d + tb->index + 2 * d[off + k]);
			size_t tl = strlen(tok);

			if (used + tl + 2 > cap) {
				char *o = realloc(out, cap * 2);

				if (!o)
					free(out);
				out = o;
				cap *= 2;
			}
			if (out)
				memcpy(out + used, tok, tl), used += tl;
		}
		off += l;
		if (out)
			out[used++] = '\n';
	}
	if (!out)
		return -ENOMEM;
	out[used] = 0;
	*text = out;
	*count = n;
	return 0;
}

/*
 * kallsyms_offsets and kallsyms_relative_base: after the token index (Linux
 * 6.12) or before kallsyms_num_syms (Linux 6.1), each aligned to 8. An offset
 * is relative to the base; with absolute per-CPU symbols (x86_64 SMP) a
 * negative one is base - 1 - offset and a positive one an absolute per-CPU
 * address. The right place decodes to addresses in kallsyms' (address) order.
 */
static bool decode_addrs(const unsigned char *d, size_t len, size_t offs, size_t rb,
			 uint32_t n, uint64_t *addr)
{
	uint64_t base, prev = 0;
	bool absolute = false;

	if (rb + 8 > len || offs + (size_t)n * 4 > rb)
		return false;
	base = hs_le(d + rb, 8);
	if (base >> 47 != 0x1ffff)	/* a kernel address */
		return false;
	for (uint32_t i = 0; i < n; i++)
		absolute |= (int32_t)u32(d + offs + 4 * (size_t)i) < 0;
	for (uint32_t i = 0; i < n; i++) {
		int32_t v = (int32_t)u32(d + offs + 4 * (size_t)i);

		addr[i] = !absolute ? base + (uint32_t)v : v < 0 ? base - 1 - v : (uint64_t)v;
		if (addr[i] < prev)
			return false;
		prev = addr[i];
	}
	return true;
}

static uint64_t *find_addrs(const unsigned char *d, size_t len, const struct tables *tb)
{
	uint32_t n = u32(d + tb->num);
	size_t offs612 = (tb->index + 512 + 7) & ~(size_t)7;
	uint64_t *addr = malloc(((size_t)n + 1) * sizeof(*addr));

	if (addr && tb->num >= 8 + (size_t)n * 4 &&
	    decode_addrs(d, len, (tb->num - 8 - (size_t)n * 4) & ~(size_t)7, tb->num - 8, n, addr))
		return addr;
	if (addr && decode_addrs(d, len, offs612, (offs612 + (size_t)n * 4 + 7) & ~(size_t)7, n,
				 addr))
		return addr;
	free(addr);
	return NULL;
}

/*
 * The payload decompressed whole. The kernel's build appends the decompressed
 * size (u32) to every payload but gzip's; a decoder may stop short at those
 * bytes (zstd in libarchive loses its last block), so the stream without them
 * is tried first, and the whole payload when that does not give the size.
 */
static int decompress_payload(const unsigned char *p, size_t plen, unsigned char **out,
			      size_t *outlen)
{
	unsigned char *again = NULL;
	size_t alen = 0;
	int err = plen > 4 ? hs_decompress(p, plen - 4, out, outlen) : -HS_EFORMAT;

	if (!err && *outlen == u32(p + plen - 4))
		return 0;
	if (hs_decompress(p, plen, &again, &alen))
		return err;
	if (!err && *outlen >= alen) {
		free(again);
		return 0;
	}
	if (!err)
		free(*out);
	*out = again;
	*outlen = alen;
	return 0;
}

/* The decompressed vmlinux of image @path and its kallsyms tables. */
static int load_image(const struct hs_ctx *ctx, const char *path, unsigned char **vmlinux,
		      size_t *vlen, struct tables *tb)
{
	char *img = NULL;
	size_t len = 0, off = 0, plen = 0;
	int err = hs_read_file(ctx, path, &img, &len);

	*vmlinux = NULL;
	if (err)
		return err;
	err = payload((unsigned char *)img, len, &off, &plen);
	err = err ?: decompress_payload((unsigned char *)img + off, plen, vmlinux, vlen);
	free(img);
	if (err == -HS_EFORMAT)
		hs_err(ctx, "'%s': not a kernel image with a payload hotsplice can decompress", path);
	err = err ?: find_tables(*vmlinux, *vlen, tb);
	if (err == -HS_EFORMAT && *vmlinux)
		hs_err(ctx, "'%s': no kallsyms table found in the kernel", path);
	if (err) {
		free(*vmlinux);
		*vmlinux = NULL;
	}
	return err;
}

int hs_vmlinuz_kallsyms(const struct hs_ctx *ctx, const char *path, char **text, size_t *n)
{
	unsigned char *vmlinux = NULL;
	size_t vlen = 0;
	struct tables tb;
	int err = load_image(ctx, path, &vmlinux, &vlen, &tb);

	err = err ?: expand(vmlinux, &tb, text, n);
	free(vmlinux);
	return err;
}

/* The loaded sections of the payload (an ELF executable), bounds checked. */
static void read_sections(struct hs_vmlinuz *vz)
{
	Elf *elf;
	size_t n = 0;

	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !(elf = elf_memory((char *)vz->image, vz->len)))
		return;
	if (elf_kind(elf) == ELF_K_ELF && !elf_getshdrnum(elf, &n) &&
	    (vz->secs = calloc(n + 1, sizeof(*vz->secs)))) {
		for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
			GElf_Shdr sh;

			if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
			    !(sh.sh_flags & SHF_ALLOC) || sh.sh_offset > vz->len ||
			    sh.sh_size > vz->len - sh.sh_offset)
				continue;
			vz->secs[vz->nsecs++] = (struct hs_vmlinuz_sec){ sh.sh_addr, sh.sh_size,
									  sh.sh_offset };
		}
	}
	elf_end(elf);
}

int hs_vmlinuz_open(const struct hs_ctx *ctx, const char *path, char **text, size_t *n,
		    struct hs_vmlinuz *vz)
{
	struct tables tb;
	int err;

	memset(vz, 0, sizeof(*vz));
	err = load_image(ctx, path, &vz->image, &vz->len, &tb);
	err = err ?: expand(vz->image, &tb, text, n);
	if (err) {
		hs_vmlinuz_close(vz);
		return err;
	}
	vz->n = *n;
	vz->addr = find_addrs(vz->image, vz->len, &tb);
	/* the payload of an x86 bzImage is vmlinux itself, stripped: an ELF executable */
	if (vz->addr)
		read_sections(vz);
	if (!vz->nsecs)
		hs_debug(ctx, "'%s': the running code cannot be read from the image (%s)", path,
			 vz->addr ? "its payload is not an ELF" : "no kallsyms addresses");
	return 0;
}

const unsigned char *hs_vmlinuz_bytes(const struct hs_vmlinuz *vz, uint64_t addr, size_t len)
{
	for (size_t i = 0; i < vz->nsecs; i++) {
		const struct hs_vmlinuz_sec *sh = &vz->secs[i];

		if (addr < sh->addr || addr - sh->addr > sh->size || len > sh->size - (addr - sh->addr))
			continue;
		return vz->image + sh->offset + (addr - sh->addr);
	}
	return NULL;
}

void hs_vmlinuz_close(struct hs_vmlinuz *vz)
{
	free(vz->secs);
	free(vz->image);
	free(vz->addr);
	memset(vz, 0, sizeof(*vz));
}
