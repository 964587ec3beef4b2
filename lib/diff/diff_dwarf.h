/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diff_dwarf.h - a reader of the DWARF that describes types in one relocatable
 * object, for diff_types.c: the DIEs of types, members, subranges and variables.
 */
#ifndef HS_DIFF_DWARF_H
#define HS_DIFF_DWARF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/elf.h"

enum {
	DW_TAG_array_type = 0x01, DW_TAG_class_type = 0x02, DW_TAG_enumeration_type = 0x04,
	DW_TAG_member = 0x0d, DW_TAG_pointer_type = 0x0f, DW_TAG_reference_type = 0x10,
	DW_TAG_structure_type = 0x13, DW_TAG_subroutine_type = 0x15, DW_TAG_typedef = 0x16,
	DW_TAG_union_type = 0x17, DW_TAG_subrange_type = 0x21, DW_TAG_base_type = 0x24,
	DW_TAG_const_type = 0x26, DW_TAG_variable = 0x34, DW_TAG_volatile_type = 0x35,
	DW_TAG_restrict_type = 0x37, DW_TAG_atomic_type = 0x47,

	DW_AT_name = 0x03, DW_AT_byte_size = 0x0b, DW_AT_bit_offset = 0x0c, DW_AT_bit_size = 0x0d,
	DW_AT_upper_bound = 0x2f, DW_AT_count = 0x37, DW_AT_data_member_location = 0x38,
	DW_AT_declaration = 0x3c, DW_AT_type = 0x49, DW_AT_data_bit_offset = 0x6b,

	DW_OP_plus_uconst = 0x23,
};

#define DT_NONE ((size_t)-1)

/* A DIE that describes a type, a member, a subrange or a variable. */
struct dt_die {
	size_t off;		/* offset in .debug_info */
	size_t end;		/* index past its last recorded descendant */
	size_t parent;		/* index of the recorded parent DIE, DT_NONE if none */
	size_t type;		/* DW_AT_type as a .debug_info offset, 0 if none */
	const char *name;
	uint64_t size;		/* DW_AT_byte_size; subrange: element count */
	int64_t loc;		/* member: DW_AT_data_member_location, -1 if none */
	uint64_t bit_size;	/* member: DW_AT_bit_size, 0 if none */
	uint64_t bit_off;	/* member: DW_AT_data_bit_offset or DW_AT_bit_offset + 1, 0 if none */
	uint16_t tag;
	bool has_size, decl;
};

struct dt_rel;

/* One side's DWARF and the DIEs kept from it. */
struct dt_side {
	const struct hs_elf *e;
	const char *objname;
	const struct hs_ctx *ctx;
	const uint8_t *info, *abbrev;
	size_t info_len, abbrev_len;
	const char *str, *line_str;
	size_t str_len, line_str_len;
	struct dt_rel *rels;
	size_t nrels;
	struct dt_die *dies;
	size_t ndies, cap;
};

/*
 * Read @s->e's .debug_info into @s->dies, sorted by offset: 1 if the object
 * has DWARF, 0 if it has none, or -errno (the error logged). Free with
 * dt_free_side() in every case.
 */
int dt_read_side(struct dt_side *s);

void dt_free_side(struct dt_side *s);

/* The kept DIE at .debug_info offset @off, or NULL. */
const struct dt_die *dt_die_at(const struct dt_side *s, size_t off);

#endif
