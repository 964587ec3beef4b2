/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klp_int.h - state shared by the livepatch extractor's files (not a public API).
 *
 * The extractor copies pieces ("chunks") of input sections into output
 * sections: a whole function section, one variable of a shared data section,
 * one entry of a special section, one replacement of .altinstr_replacement.
 * Each input section has at most one output section (same name, same flags);
 * its chunks are appended there in the order they are added, and the map
 * from input to output offsets is the chunk list. Relocations are copied last,
 * when every chunk is known: those inside a chunk move with it, the others
 * are dropped with the code or entry they belonged to.
 */
#ifndef HS_KLP_INT_H
#define HS_KLP_INT_H

#include "elf/elf.h"
#include "klp/klp.h"
#include "klp/klp_ow.h"

struct hs_klp_chunk {
	GElf_Addr in_off, len, out_off;
};

struct hs_klp_xsec {
	size_t out;			/* builder section, 0 until the first chunk */
	size_t secsym;			/* builder section symbol of @out */
	size_t rela;			/* builder .rela section of @out */
	bool whole;			/* copied entirely */
	bool code;			/* holds included functions or alternatives */
	struct hs_klp_chunk *chunks;
	size_t nchunks, cap;
};

struct hs_klp_x {
	const struct hs_ctx *ctx;
	const struct hs_klp_opts *o;
	const struct hs_klp_symvers *sv;
	struct hs_elf e;
	struct hs_ow ow;
	struct hs_klp_xsec *xs;		/* per input section */
	size_t *symout;			/* per input symbol: builder symbol, 0 if none yet */
	size_t *scanned;		/* per input section: chunks already scanned */
};

/* Where a relocation points, in input coordinates. */
struct hs_klp_target {
	size_t sym;			/* named symbol (input index), 0 if anonymous */
	size_t sec;			/* input section, 0 if undefined */
	GElf_Sxword lo, hi;		/* possible target offsets in @sec */
};

/* Add the chunk [@off, @off + @len) of input section @sec (no-op if already covered). */
int hs_klp_add_chunk(struct hs_klp_x *x, size_t sec, GElf_Addr off, GElf_Addr len,
		     size_t align);

/* The chunk of @sec holding @off (or ending at it, if @end_ok), or NULL. */
const struct hs_klp_chunk *hs_klp_chunk_at(const struct hs_klp_x *x, size_t sec,
					   GElf_Sxword off, bool end_ok);

/*
 * Is input symbol @y, when not copied, referred to by name (vmlinux's exports,
 * another unit's new globals) rather than through a ".klp.sym." placeholder?
 */
bool hs_klp_by_name(const struct hs_klp_x *x, size_t y);

/* " (in the update for the patched header(s) '...')" when @o->via is set, else "" (in @buf). */
const char *hs_klp_via(const struct hs_klp_opts *o, char *buf, size_t size);

/* Keep exactly the special-section entries of the copied code. */
int hs_klp_special(struct hs_klp_x *x);

/* Refuse when a special section this builder does not know points into copied code. */
int hs_klp_check_unknown(struct hs_klp_x *x);

/* Size in bytes of the field relocation type @type patches, 0 if unsupported. */
size_t hs_klp_rela_size(uint32_t type);

#endif
