// SPDX-License-Identifier: GPL-2.0
/* diff_types.c - refuse layout changes of struct and union types, read from the objects' DWARF. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "diff/diff_int.h"

/*
 * Why: a replacement function reads and writes objects that the running
 * kernel's code allocated, on the heap (struct timers_private of
 * fs/proc/base.c, one per open file), on the stacks of sleeping tasks or in
 * static instances. If the patch changes the layout of their type, the new
 * code would use new offsets on objects of the old layout. Comparing symbols
 * cannot see this when no variable of the type exists, so compare the types
 * themselves: every struct and union the compiler described in pre and post.
 *
 * How: a small reader of .debug_info as gcc emits it into a relocatable
 * object (DWARF 2 to 5, one or more compile units), applying the object's
 * own .rela.debug_info for the offsets into .debug_str. It keeps only the
 * DIEs that describe types (and variables, whose name keys an anonymous
 * type). A struct or union is identified by its tag, or by the typedef or
 * the variable that names it when it is anonymous; its layout is its size
 * and, per member, name, offset, bit position and the size of the member's
 * type, with anonymous struct/union members expanded in place. Declaration
 * lines are not part of it, so a type that merely moved is unchanged.
 *
 * Example: pre "struct tp { void *a; void *b; }" (size 16), post with a new
 * member between a and b (size 24): same key "tp", different layout, so
 *     fs/proc/base.o: refused changed-type tp: layout changed (size 16 -> 24)
 * A type only in post (new) or only in pre (no longer used) is not a change.
 * Types are compared whenever anything else in the object changed; an
 * object whose code is unchanged cannot use a changed type.
 */

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

enum dw_form {
	DW_FORM_addr = 0x01, DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04, DW_FORM_data2 = 0x05,
	DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07, DW_FORM_string = 0x08, DW_FORM_block = 0x09,
	DW_FORM_block1 = 0x0a, DW_FORM_data1 = 0x0b, DW_FORM_flag = 0x0c, DW_FORM_sdata = 0x0d,
	DW_FORM_strp = 0x0e, DW_FORM_udata = 0x0f, DW_FORM_ref_addr = 0x10, DW_FORM_ref1 = 0x11,
	DW_FORM_ref2 = 0x12, DW_FORM_ref4 = 0x13, DW_FORM_ref8 = 0x14, DW_FORM_ref_udata = 0x15,
	DW_FORM_indirect = 0x16, DW_FORM_sec_offset = 0x17, DW_FORM_exprloc = 0x18,
	DW_FORM_flag_present = 0x19, DW_FORM_strx = 0x1a, DW_FORM_addrx = 0x1b,
	DW_FORM_ref_sup4 = 0x1c, DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e,
	DW_FORM_line_strp = 0x1f, DW_FORM_ref_sig8 = 0x20, DW_FORM_implicit_const = 0x21,
	DW_FORM_loclistx = 0x22, DW_FORM_rnglistx = 0x23, DW_FORM_ref_sup8 = 0x24,
	DW_FORM_strx1 = 0x25, DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27, DW_FORM_strx4 = 0x28,
	DW_FORM_addrx1 = 0x29, DW_FORM_addrx2 = 0x2a, DW_FORM_addrx3 = 0x2b,
	DW_FORM_addrx4 = 0x2c, DW_FORM_GNU_addr_index = 0x1f01, DW_FORM_GNU_str_index = 0x1f02,
	DW_FORM_GNU_ref_alt = 0x1f20, DW_FORM_GNU_strp_alt = 0x1f21,
};

#define DT_NONE ((size_t)-1)
#define DT_MAXDEPTH 16		/* typedef/cv/array chains followed before giving up */

/* One relocation of .debug_info, applied: the value the linker would write. */
struct dt_rel {
	uint64_t off, val;
};

struct dt_attrspec {
	uint64_t at, form;
	int64_t implicit;
};

struct dt_abbrev {
	uint64_t code, tag;
	bool children;
	size_t nattrs;
	struct dt_attrspec *a;
};

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

/* One compile unit being read. */
struct dt_cu {
	size_t off;		/* of its header in .debug_info */
	unsigned int version, offsize, addrsize;
	struct dt_abbrev *ab;	/* indexed by code when dense */
	size_t nab;
};

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

/* A struct or union with a key, and its layout as a string. */
struct dt_type {
	const char *name;	/* tag, typedef or variable name */
	bool via_var;		/* anonymous, named by a variable of its type */
	size_t die;
	char *sig;
};

struct dt_val {
	uint64_t u;
	const char *s;
	const uint8_t *blk;
	size_t blen;
};

struct dt_cur {
	const uint8_t *p, *start, *end;
	bool bad;
};

static uint64_t rd_fixed(struct dt_cur *c, unsigned int n)
{
	uint64_t v = 0;

	if ((size_t)(c->end - c->p) < n) {
		c->bad = true;
		c->p = c->end;
		return 0;
	}
	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	return v;
}

static uint64_t rd_leb(struct dt_cur *c, bool is_signed)
{
	uint64_t v = 0;
	unsigned int shift = 0;
	uint8_t b = 0x80;

	while (c->p < c->end && (b & 0x80)) {
		b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	}
	if (b & 0x80)
		c->bad = true;
	else if (is_signed && shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	return v;
}

static void skip(struct dt_cur *c, uint64_t n)
{
	if ((uint64_t)(c->end - c->p) < n) {
		c->bad = true;
		c->p = c->end;
	} else {
		c->p += n;
	}
}

static int cmp_rel(const void *a, const void *b)
{
	const struct dt_rel *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* The relocated value of the field at @off of .debug_info, or @raw if none applies. */
static uint64_t relocated(const struct dt_side *s, size_t off, uint64_t raw)
{
	struct dt_rel key = { off, 0 };
	const struct dt_rel *r = s->nrels ? bsearch(&key, s->rels, s->nrels, sizeof(key), cmp_rel)
					  : NULL;

	return r ? r->val : raw;
}

static int load_rels(struct dt_side *s, const struct hs_elf_sec *sec)
{
	size_t n = hs_elf_nrelas(s->e, sec);

	s->rels = calloc(n ? n : 1, sizeof(*s->rels));
	if (!s->rels)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;
		unsigned int type;

		if (hs_elf_rela(s->e, sec, i, &r)) {
			hs_err(s->ctx, "'%s': section '.rela.debug_info': bad relocation %zu",
			       s->objname, i);
			return -HS_EFORMAT;
		}
		type = GELF_R_TYPE(r.r_info);
		if (type != R_X86_64_32 && type != R_X86_64_64 && type != R_X86_64_32S)
			continue;
		s->rels[s->nrels].off = r.r_offset;
		s->rels[s->nrels++].val = s->e->syms[GELF_R_SYM(r.r_info)].sym.st_value +
					  (uint64_t)r.r_addend;
	}
	qsort(s->rels, s->nrels, sizeof(*s->rels), cmp_rel);
	return 0;
}

static const uint8_t *sec_bytes(const struct hs_elf *e, const char *name, size_t *len,
				const struct hs_elf_sec **out)
{
	const struct hs_elf_sec *sec = hs_elf_sec_by_name(e, name);

	*len = 0;
	if (out)
		*out = sec;
	if (!sec || !sec->data || !sec->data->d_buf)
		return NULL;
	*len = sec->data->d_size;
	return sec->data->d_buf;
}

/* Find the DWARF sections of @e; 1 if it has .debug_info, 0 if not, or -errno. */
static int side_open(struct dt_side *s)
{
	const struct hs_elf_sec *info;

	s->info = sec_bytes(s->e, ".debug_info", &s->info_len, &info);
	if (!s->info)
		return 0;
	if (info->shdr.sh_flags & SHF_COMPRESSED) {
		hs_err(s->ctx, "'%s': section '.debug_info': compressed DWARF is not supported",
		       s->objname);
		return -HS_EFORMAT;
	}
	s->abbrev = sec_bytes(s->e, ".debug_abbrev", &s->abbrev_len, NULL);
	s->str = (const char *)sec_bytes(s->e, ".debug_str", &s->str_len, NULL);
	s->line_str = (const char *)sec_bytes(s->e, ".debug_line_str", &s->line_str_len, NULL);
	if (!s->abbrev) {
		hs_err(s->ctx, "'%s': section '.debug_abbrev' missing", s->objname);
		return -HS_EFORMAT;
	}
	return info->rela_idx ? load_rels(s, info) ?: 1 : 1;
}

static void free_abbrevs(struct dt_cu *cu)
{
	for (size_t i = 0; i < cu->nab; i++)
		free(cu->ab[i].a);
	free(cu->ab);
	cu->ab = NULL;
	cu->nab = 0;
}

static int add_attrspec(struct dt_abbrev *ab, uint64_t at, uint64_t form, int64_t implicit)
{
	struct dt_attrspec *n = realloc(ab->a, (ab->nattrs + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	ab->a = n;
	ab->a[ab->nattrs++] = (struct dt_attrspec){ at, form, implicit };
	return 0;
}

/* Read the abbreviation table at @off of .debug_abbrev into @cu, indexed by code. */
static int read_abbrevs(struct dt_side *s, struct dt_cu *cu, uint64_t off)
{
	struct dt_cur c = { s->abbrev + (off < s->abbrev_len ? off : s->abbrev_len), s->abbrev,
			    s->abbrev + s->abbrev_len, off >= s->abbrev_len };
	int err = 0;

	while (!err && !c.bad) {
		uint64_t code = rd_leb(&c, false), at, form;
		struct dt_abbrev *ab;

		if (!code)
			return 0;
		if (code > 1000000 || c.bad)
			break;
		if (code >= cu->nab) {
			size_t n = code + 64;

			ab = realloc(cu->ab, n * sizeof(*ab));
			if (!ab)
				return -ENOMEM;
			memset(ab + cu->nab, 0, (n - cu->nab) * sizeof(*ab));
			cu->ab = ab;
			cu->nab = n;
		}
		ab = &cu->ab[code];
		ab->code = code;
		ab->tag = rd_leb(&c, false);
		ab->children = rd_fixed(&c, 1);
		do {
			at = rd_leb(&c, false);
			form = rd_leb(&c, false);
			if (at || form)
				err = add_attrspec(ab, at, form, form == DW_FORM_implicit_const ?
						   (int64_t)rd_leb(&c, true) : 0);
		} while (!err && !c.bad && (at || form));
	}
	if (err)
		return err;
	hs_err(s->ctx, "'%s': section '.debug_abbrev': malformed table at offset %lu",
	       s->objname, (unsigned long)off);
	return -HS_EFORMAT;
}

/* An offset-sized field that the object's relocations may fill in. */
static uint64_t rd_offset(const struct dt_side *s, struct dt_cur *c, unsigned int size)
{
	size_t at = (size_t)(c->p - c->start);

	return relocated(s, at, rd_fixed(c, size));
}

static const char *str_at(const char *base, size_t len, uint64_t off)
{
	return base && off < len && memchr(base + off, 0, len - off) ? base + off : NULL;
}

static void rd_block(struct dt_cur *c, uint64_t n, struct dt_val *v)
{
	v->blk = c->p;
	v->blen = (size_t)n;
	skip(c, n);
}

/* Read one attribute value of form @form; -ENOTSUP for a form this reader does not know. */
static int rd_form(const struct dt_side *s, const struct dt_cu *cu, struct dt_cur *c,
		   uint64_t form, int64_t implicit, struct dt_val *v)
{
	memset(v, 0, sizeof(*v));
	switch (form) {
	case DW_FORM_flag_present: v->u = 1; break;
	case DW_FORM_implicit_const: v->u = (uint64_t)implicit; break;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1:
	case DW_FORM_addrx1: v->u = rd_fixed(c, 1); break;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2:
		v->u = rd_fixed(c, 2); break;
	case DW_FORM_strx3: case DW_FORM_addrx3: v->u = rd_fixed(c, 3); break;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_ref_sup4: case DW_FORM_strx4:
	case DW_FORM_addrx4: v->u = rd_fixed(c, 4); break;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8:
		v->u = rd_fixed(c, 8); break;
	case DW_FORM_data16: skip(c, 16); break;
	case DW_FORM_sdata: v->u = rd_leb(c, true); break;
	case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx: case DW_FORM_addrx:
	case DW_FORM_loclistx: case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index: v->u = rd_leb(c, false); break;
	case DW_FORM_addr: v->u = rd_offset(s, c, cu->addrsize); break;
	case DW_FORM_ref_addr:
		v->u = rd_offset(s, c, cu->version < 3 ? cu->addrsize : cu->offsize); break;
	case DW_FORM_sec_offset: case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt: v->u = rd_offset(s, c, cu->offsize); break;
	case DW_FORM_strp:
		v->u = rd_offset(s, c, cu->offsize);
		v->s = str_at(s->str, s->str_len, v->u);
		break;
	case DW_FORM_line_strp:
		v->u = rd_offset(s, c, cu->offsize);
		v->s = str_at(s->line_str, s->line_str_len, v->u);
		break;
	case DW_FORM_string:
		v->s = (const char *)c->p;
		while (c->p < c->end && *c->p)
			c->p++;
		skip(c, 1);
		break;
	case DW_FORM_block1: rd_block(c, rd_fixed(c, 1), v); break;
	case DW_FORM_block2: rd_block(c, rd_fixed(c, 2), v); break;
	case DW_FORM_block4: rd_block(c, rd_fixed(c, 4), v); break;
	case DW_FORM_block: case DW_FORM_exprloc: rd_block(c, rd_leb(c, false), v); break;
	case DW_FORM_indirect:
		form = rd_leb(c, false);
		return form == DW_FORM_indirect ? -ENOTSUP : rd_form(s, cu, c, form, 0, v);
	default:
		return -ENOTSUP;
	}
	return 0;
}

static bool form_is_cu_ref(uint64_t form)
{
	return form == DW_FORM_ref1 || form == DW_FORM_ref2 || form == DW_FORM_ref4 ||
	       form == DW_FORM_ref8 || form == DW_FORM_ref_udata;
}

static bool tag_kept(uint64_t tag)
{
	switch (tag) {
	case DW_TAG_array_type: case DW_TAG_class_type: case DW_TAG_enumeration_type:
	case DW_TAG_member: case DW_TAG_pointer_type: case DW_TAG_reference_type:
	case DW_TAG_structure_type: case DW_TAG_subroutine_type: case DW_TAG_typedef:
	case DW_TAG_union_type: case DW_TAG_subrange_type: case DW_TAG_base_type:
	case DW_TAG_const_type: case DW_TAG_variable: case DW_TAG_volatile_type:
	case DW_TAG_restrict_type: case DW_TAG_atomic_type:
		return true;
	}
	return false;
}

/* A member's offset: a constant, or (DWARF 2) the expression DW_OP_plus_uconst N. */
static int64_t member_loc(const struct dt_val *v)
{
	struct dt_cur c = { v->blk, v->blk, v->blk + v->blen, false };
	uint64_t n;

	if (!v->blk)
		return (int64_t)v->u;
	if (v->blen < 2 || *c.p++ != DW_OP_plus_uconst)
		return -2;	/* an expression: never equal to a plain offset */
	n = rd_leb(&c, false);
	return c.bad ? -2 : (int64_t)n;
}

/* Store attribute @a of value @v into @d. */
static void take_attr(const struct dt_cu *cu, const struct dt_attrspec *a, const struct dt_val *v,
		      struct dt_die *d)
{
	switch (a->at) {
	case DW_AT_name: d->name = v->s; break;
	case DW_AT_byte_size: d->size = v->u; d->has_size = true; break;
	case DW_AT_count: d->size = v->u; d->has_size = true; break;
	case DW_AT_upper_bound: d->size = v->u + 1; d->has_size = true; break;
	case DW_AT_bit_size: d->bit_size = v->u; break;
	case DW_AT_bit_offset: case DW_AT_data_bit_offset: d->bit_off = v->u + 1; break;
	case DW_AT_data_member_location: d->loc = member_loc(v); break;
	case DW_AT_declaration: d->decl = v->u != 0; break;
	case DW_AT_type:
		if (form_is_cu_ref(a->form))
			d->type = cu->off + v->u;
		else if (a->form == DW_FORM_ref_addr)
			d->type = v->u;
		break;
	}
}

/* Read the attributes of the DIE at @c with abbreviation @ab into @d. */
static int read_die(struct dt_side *s, const struct dt_cu *cu, const struct dt_abbrev *ab,
		    struct dt_cur *c, struct dt_die *d)
{
	bool keep = tag_kept(ab->tag);

	d->tag = (uint16_t)ab->tag;
	d->loc = -1;
	for (size_t i = 0; i < ab->nattrs && !c->bad; i++) {
		const struct dt_attrspec *a = &ab->a[i];
		struct dt_val v;

		if (rd_form(s, cu, c, a->form, a->implicit, &v)) {
			hs_err(s->ctx, "'%s': section '.debug_info': unsupported form 0x%lx at "
				       "offset %lu", s->objname, (unsigned long)a->form,
			       (unsigned long)(c->p - c->start));
			return -HS_EFORMAT;
		}
		if (keep && a->at == DW_AT_name && !v.s) {
			hs_err(s->ctx, "'%s': section '.debug_info': unreadable name (form 0x%lx) "
				       "at offset %lu", s->objname, (unsigned long)a->form,
			       (unsigned long)d->off);
			return -HS_EFORMAT;
		}
		if (keep)
			take_attr(cu, a, &v, d);
	}
	return 0;
}

static int push_die(struct dt_side *s, const struct dt_die *d)
{
	if (s->ndies == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct dt_die *n = realloc(s->dies, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->dies = n;
		s->cap = cap;
	}
	s->dies[s->ndies] = *d;
	s->dies[s->ndies].end = s->ndies + 1;
	s->ndies++;
	return 0;
}

/* Walk the DIE tree of one unit from @c to its end, keeping the type DIEs. */
static int walk_unit(struct dt_side *s, const struct dt_cu *cu, struct dt_cur *c)
{
	size_t stack[256], depth = 0;
	int err = 0;

	while (!err && c->p < c->end && !c->bad) {
		size_t off = (size_t)(c->p - c->start);
		uint64_t code = rd_leb(c, false);
		struct dt_die d = { .off = off };
		const struct dt_abbrev *ab;

		if (!code) {
			if (depth && stack[--depth] != DT_NONE)
				s->dies[stack[depth]].end = s->ndies;
			continue;
		}
		ab = code < cu->nab && cu->ab[code].code ? &cu->ab[code] : NULL;
		if (!ab) {
			hs_err(s->ctx, "'%s': section '.debug_info': unknown abbreviation %lu at "
				       "offset %zu", s->objname, (unsigned long)code, off);
			return -HS_EFORMAT;
		}
		d.parent = depth ? stack[depth - 1] : DT_NONE;
		err = read_die(s, cu, ab, c, &d);
		if (!err && tag_kept(ab->tag))
			err = push_die(s, &d);
		if (err || !ab->children)
			continue;
		if (depth == sizeof(stack) / sizeof(stack[0])) {
			hs_err(s->ctx, "'%s': section '.debug_info': DIEs nested too deep at "
				       "offset %zu", s->objname, off);
			return -HS_EFORMAT;
		}
		stack[depth++] = tag_kept(ab->tag) ? s->ndies - 1 : DT_NONE;
	}
	if (!err && c->bad) {
		hs_err(s->ctx, "'%s': section '.debug_info': truncated unit at offset %zu",
		       s->objname, cu->off);
		return -HS_EFORMAT;
	}
	return err;
}

/* Read the unit header at @off; on success *@next is the offset of the next unit. */
static int read_unit(struct dt_side *s, size_t off, size_t *next)
{
	struct dt_cur c = { s->info + off, s->info, s->info + s->info_len, false };
	struct dt_cu cu = { .off = off, .offsize = 4 };
	uint64_t len = rd_fixed(&c, 4), abbrev_off, unit_type = 1;
	int err;

	if (len == 0xffffffff) {
		cu.offsize = 8;
		len = rd_fixed(&c, 8);
	}
	if (c.bad || len > (uint64_t)(c.end - c.p))
		goto bad;
	c.end = c.p + len;
	*next = (size_t)(c.end - s->info);
	cu.version = (unsigned int)rd_fixed(&c, 2);
	if (cu.version < 2 || cu.version > 5)
		goto bad;
	if (cu.version == 5) {
		unit_type = rd_fixed(&c, 1);
		cu.addrsize = (unsigned int)rd_fixed(&c, 1);
		abbrev_off = rd_offset(s, &c, cu.offsize);
	} else {
		abbrev_off = rd_offset(s, &c, cu.offsize);
		cu.addrsize = (unsigned int)rd_fixed(&c, 1);
	}
	if (unit_type == 2 || unit_type == 6)	/* type units: signature, type offset */
		skip(&c, 8 + cu.offsize);
	else if (unit_type == 4 || unit_type == 5)	/* skeleton/split: dwo id */
		skip(&c, 8);
	if (c.bad)
		goto bad;
	err = read_abbrevs(s, &cu, abbrev_off);
	err = err ?: walk_unit(s, &cu, &c);
	free_abbrevs(&cu);
	return err;
bad:
	hs_err(s->ctx, "'%s': section '.debug_info': bad unit header at offset %zu", s->objname,
	       off);
	return -HS_EFORMAT;
}

static int read_side(struct dt_side *s)
{
	int err = side_open(s);

	for (size_t off = 0; err > 0 && off < s->info_len;)
		err = read_unit(s, off, &off) ?: 1;
	return err;
}

static void free_side(struct dt_side *s)
{
	free(s->rels);
	free(s->dies);
}

static int cmp_die_off(const void *key, const void *elem)
{
	size_t off = *(const size_t *)key, o = ((const struct dt_die *)elem)->off;

	return off < o ? -1 : off > o;
}

/* The kept DIE at .debug_info offset @off, or NULL. */
static const struct dt_die *die_at(const struct dt_side *s, size_t off)
{
	return off ? bsearch(&off, s->dies, s->ndies, sizeof(*s->dies), cmp_die_off) : NULL;
}

static bool is_aggregate(const struct dt_die *d)
{
	return d && (d->tag == DW_TAG_structure_type || d->tag == DW_TAG_union_type ||
		     d->tag == DW_TAG_class_type);
}

static bool is_qualifier(const struct dt_die *d)
{
	return d->tag == DW_TAG_const_type || d->tag == DW_TAG_volatile_type ||
	       d->tag == DW_TAG_restrict_type || d->tag == DW_TAG_atomic_type;
}

/* The type @off names with qualifiers (and typedefs if @typedefs, arrays if @arrays) removed. */
static const struct dt_die *strip(const struct dt_side *s, size_t off, bool typedefs,
				  bool arrays)
{
	const struct dt_die *d = die_at(s, off);

	for (int i = 0; d && i < DT_MAXDEPTH; i++) {
		if (!is_qualifier(d) && !(typedefs && d->tag == DW_TAG_typedef) &&
		    !(arrays && d->tag == DW_TAG_array_type))
			return d;
		d = die_at(s, d->type);
	}
	return NULL;
}

/* Size in bytes of the type at @off (0 if unknown, void or a function). */
static uint64_t type_size(const struct dt_side *s, size_t off, int depth)
{
	const struct dt_die *d = strip(s, off, true, false);
	uint64_t n;

	if (!d || depth > DT_MAXDEPTH)
		return 0;
	if (d->has_size || d->tag != DW_TAG_array_type)
		return d->has_size ? d->size : d->tag == DW_TAG_pointer_type ? 8 : 0;
	n = type_size(s, d->type, depth + 1);
	for (size_t i = (size_t)(d - s->dies) + 1; i < d->end; i++)
		if (s->dies[i].tag == DW_TAG_subrange_type &&
		    s->dies[i].parent == (size_t)(d - s->dies))
			n *= s->dies[i].has_size ? s->dies[i].size : 0;
	return n;
}

/* Append the layout of struct/union @d to @b; anonymous aggregate members nest. */
static void layout_sig(const struct dt_side *s, const struct dt_die *d, struct diff_buf *b,
		       int depth)
{
	size_t self = (size_t)(d - s->dies);

	diff_buf_add(b, "%c%lu{", d->tag == DW_TAG_union_type ? 'U' : 'S',
		     (unsigned long)d->size);
	for (size_t i = self + 1; i < d->end && depth < DT_MAXDEPTH; i++) {
		const struct dt_die *m = &s->dies[i], *t;

		if (m->parent != self || m->tag != DW_TAG_member)
			continue;
		diff_buf_add(b, "%s@%ld:%lu:%lu:%lu", m->name ? m->name : "", (long)m->loc,
			     (unsigned long)m->bit_off, (unsigned long)m->bit_size,
			     (unsigned long)type_size(s, m->type, 0));
		t = strip(s, m->type, false, false);
		if (is_aggregate(t) && !t->name)
			layout_sig(s, t, b, depth + 1);
		diff_buf_add(b, ";");
	}
	diff_buf_add(b, "}");
}

static int add_type(struct dt_type **v, size_t *n, const struct dt_side *s,
		    const struct dt_die *d, const char *name, bool via_var)
{
	struct diff_buf b = { 0 };
	struct dt_type *t;

	layout_sig(s, d, &b, 0);
	t = b.oom ? NULL : realloc(*v, (*n + 1) * sizeof(*t));
	if (!t) {
		free(b.s);
		return -ENOMEM;
	}
	*v = t;
	t[(*n)++] = (struct dt_type){ name, via_var, (size_t)(d - s->dies), b.s };
	return 0;
}

static int cmp_type(const void *a, const void *b)
{
	const struct dt_type *x = a, *y = b;

	if (x->via_var != y->via_var)
		return x->via_var ? 1 : -1;
	return strcmp(x->name, y->name) ?: strcmp(x->sig, y->sig);
}

/*
 * The keyed structs and unions of @s, sorted by key then layout: named ones
 * by tag, anonymous ones by the first typedef naming them, else by the first
 * variable of their type (or array of it).
 */
static int collect_types(const struct dt_side *s, struct dt_type **out, size_t *n)
{
	bool *keyed = calloc(s->ndies + 1, sizeof(*keyed));
	int err = keyed ? 0 : -ENOMEM;

	*out = NULL;
	*n = 0;
	for (int pass = 0; pass < 3 && !err; pass++) {
		for (size_t i = 0; i < s->ndies && !err; i++) {
			const struct dt_die *d = &s->dies[i], *t = d;

			if (pass && (!d->name || d->tag != (pass == 1 ? DW_TAG_typedef :
								       DW_TAG_variable)))
				continue;
			if (pass)
				t = strip(s, d->type, false, pass == 2);
			if (!is_aggregate(t) || t->decl || (!pass && !t->name) ||
			    (pass && t->name) || keyed[t - s->dies])
				continue;
			keyed[t - s->dies] = true;
			err = add_type(out, n, s, t, d->name, pass == 2);
		}
	}
	free(keyed);
	if (!err)
		qsort(*out, *n, sizeof(**out), cmp_type);
	return err;
}

static void free_types(struct dt_type *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].sig);
	free(v);
}

/* Members of struct @d in order, into @m (at most @max); their number. */
static size_t members(const struct dt_side *s, const struct dt_die *d, const struct dt_die **m,
		      size_t max)
{
	size_t self = (size_t)(d - s->dies), n = 0;

	for (size_t i = self + 1; i < d->end && n < max; i++)
		if (s->dies[i].parent == self && s->dies[i].tag == DW_TAG_member)
			m[n++] = &s->dies[i];
	return n;
}

static bool has_member(const struct dt_die *const *m, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (m[i]->name && !strcmp(m[i]->name, name))
			return true;
	return false;
}

/* Say how member @i differs between @a (pre) and @b (post), or nothing if it does not. */
static bool member_change(const struct dt_side *sa, const struct dt_die *const *a, size_t na,
			  const struct dt_side *sb, const struct dt_die *const *b, size_t nb,
			  size_t i, char *why, size_t len)
{
	const char *an = i < na && a[i]->name ? a[i]->name : "(anonymous)";
	const char *bn = i < nb && b[i]->name ? b[i]->name : "(anonymous)";
	uint64_t as, bs;

	if (i >= na || i >= nb) {
		snprintf(why, len, "member '%s' %s", i >= na ? bn : an, i >= na ? "added" : "removed");
		return true;
	}
	if (strcmp(an, bn)) {
		if (!has_member(a, na, bn) || !has_member(b, nb, an))
			snprintf(why, len, "member '%s' %s", has_member(a, na, bn) ? an : bn,
				 has_member(a, na, bn) ? "removed" : "added");
		else
			snprintf(why, len, "member '%s' moved", bn);
		return true;
	}
	as = type_size(sa, a[i]->type, 0);
	bs = type_size(sb, b[i]->type, 0);
	if (a[i]->loc != b[i]->loc)
		snprintf(why, len, "member '%s' offset %ld -> %ld", an, (long)a[i]->loc,
			 (long)b[i]->loc);
	else if (a[i]->bit_off != b[i]->bit_off || a[i]->bit_size != b[i]->bit_size)
		snprintf(why, len, "member '%s' bit field changed", an);
	else if (as != bs)
		snprintf(why, len, "member '%s' size %lu -> %lu", an, (unsigned long)as,
			 (unsigned long)bs);
	else
		return false;
	return true;
}

/* snprintf() into a reason buffer: truncation is acceptable there. */
__attribute__((format(printf, 3, 4)))
static void say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static const struct dt_die *anon_aggregate(const struct dt_side *s, const struct dt_die *m)
{
	const struct dt_die *t = strip(s, m->type, false, false);

	return is_aggregate(t) && !t->name ? t : NULL;
}

/* Into @what, the first difference between the layouts @a (pre) and @b (post), if any. */
static void what_changed(const struct dt_side *sa, const struct dt_die *a,
			 const struct dt_side *sb, const struct dt_die *b, char *what, size_t len,
			 int depth)
{
	const struct dt_die **ma = calloc(a->end - (size_t)(a - sa->dies), sizeof(*ma));
	const struct dt_die **mb = calloc(b->end - (size_t)(b - sb->dies), sizeof(*mb));
	size_t na = 0, nb = 0;

	*what = 0;
	if (a->tag != b->tag || a->size != b->size || !ma || !mb) {
		if (a->tag != b->tag)
			snprintf(what, len, "%s became a %s", a->tag == DW_TAG_union_type ?
				 "union" : "struct", b->tag == DW_TAG_union_type ? "union" : "struct");
		else
			snprintf(what, len, "size %lu -> %lu", (unsigned long)a->size,
				 (unsigned long)b->size);
	} else {
		na = members(sa, a, ma, a->end - (size_t)(a - sa->dies));
		nb = members(sb, b, mb, b->end - (size_t)(b - sb->dies));
	}
	for (size_t i = 0; !*what && i < (na > nb ? na : nb); i++) {
		const struct dt_die *x, *y;
		char inner[128];

		if (member_change(sa, ma, na, sb, mb, nb, i, what, len))
			break;
		x = anon_aggregate(sa, ma[i]);
		y = anon_aggregate(sb, mb[i]);
		if (!x || !y || depth >= DT_MAXDEPTH)
			continue;
		what_changed(sa, x, sb, y, inner, sizeof(inner), depth + 1);
		if (*inner)
			say(what, len, "%s, in an anonymous %s at offset %ld", inner,
				 y->tag == DW_TAG_union_type ? "union" : "struct", (long)mb[i]->loc);
	}
	free(ma);
	free(mb);
}

/* The reason text of a layout change from @a (pre) to @b (post), after @prefix. */
static void describe(const struct dt_side *sa, const struct dt_die *a, const struct dt_side *sb,
		     const struct dt_die *b, const char *prefix, char *why, size_t len)
{
	char what[128];

	what_changed(sa, a, sb, b, what, sizeof(what), 0);
	say(why, len, "%slayout changed (%s)", prefix, *what ? what : "member types");
}

/* A member at the bottom of a layout: anonymous struct/union members expanded in place. */
struct dt_leaf {
	const char *name;
	int64_t off;
	uint64_t bit_off, bit_size, size;
	char type[96];		/* the member's type, shallowly: "*fn", "19:sock", ... */
};

/* The type at @off as a short string: qualifiers, pointers and arrays of a named type. */
static void type_str(const struct dt_side *s, size_t off, char *buf, size_t len, int depth)
{
	const struct dt_die *d = die_at(s, off), *t;
	char in[96];

	if (!d || depth > 6) {
		say(buf, len, "void");
		return;
	}
	t = d->tag == DW_TAG_pointer_type ? die_at(s, d->type) : NULL;
	if (t && t->tag == DW_TAG_subroutine_type) {
		say(buf, len, "*fn");	/* a call with other arguments would be changed text */
	} else if (d->tag == DW_TAG_pointer_type || d->tag == DW_TAG_array_type ||
		   is_qualifier(d)) {
		type_str(s, d->type, in, sizeof(in), depth + 1);
		say(buf, len, "%x(%s)", d->tag, in);
	} else {
		say(buf, len, "%x:%s", d->tag, d->name ? d->name : "");
	}
}

/* Append the leaves of struct/union @d at byte offset @base to @v (@n of @cap). */
static void flatten(const struct dt_side *s, const struct dt_die *d, int64_t base,
		    struct dt_leaf *v, size_t *n, size_t cap, int depth)
{
	size_t self = (size_t)(d - s->dies);

	for (size_t i = self + 1; i < d->end && depth < DT_MAXDEPTH; i++) {
		const struct dt_die *m = &s->dies[i], *t;
		int64_t off = base + (m->loc > 0 ? m->loc : 0);

		if (m->parent != self || m->tag != DW_TAG_member)
			continue;
		t = anon_aggregate(s, m);
		if (t && !m->name) {
			flatten(s, t, off, v, n, cap, depth + 1);
			continue;
		}
		if (*n == cap)
			return;
		v[*n] = (struct dt_leaf){ .name = m->name ? m->name : "", .off = off,
					  .bit_off = m->bit_off, .bit_size = m->bit_size,
					  .size = type_size(s, m->type, 0) };
		type_str(s, m->type, v[*n].type, sizeof(v[*n].type), 0);
		(*n)++;
	}
}

static bool same_place(const struct dt_leaf *a, const struct dt_leaf *b)
{
	return a->off == b->off && a->bit_off == b->bit_off && a->bit_size == b->bit_size &&
	       a->size == b->size;
}

/*
 * Is post layout @b a compatible successor of pre layout @a: the same size,
 * every pre member still at its place (with its type if @strict), and every
 * new member an alias of the storage of an old one (a member wrapped in an
 * anonymous union with another view of it)? Code built for either reads and
 * writes the same bytes the same way.
 */
static bool compatible(const struct dt_side *sa, const struct dt_die *a,
		       const struct dt_side *sb, const struct dt_die *b, bool strict)
{
	size_t cap_a = a->end - (size_t)(a - sa->dies), cap_b = b->end - (size_t)(b - sb->dies);
	struct dt_leaf *la = calloc(cap_a + 1, sizeof(*la)), *lb = calloc(cap_b + 1, sizeof(*lb));
	size_t na = 0, nb = 0;
	bool ok = la && lb && a->tag == b->tag && a->size == b->size;

	if (ok) {
		flatten(sa, a, 0, la, &na, cap_a, 0);
		flatten(sb, b, 0, lb, &nb, cap_b, 0);
	}
	for (size_t i = 0; ok && i < na; i++) {
		bool found = false;

		for (size_t k = 0; k < nb && !found; k++)
			found = !strcmp(la[i].name, lb[k].name) && same_place(&la[i], &lb[k]) &&
				(!strict || !strcmp(la[i].type, lb[k].type));
		ok = found;
	}
	for (size_t k = 0; ok && k < nb; k++) {
		bool old = false, alias = false;

		for (size_t i = 0; i < na && !old; i++)
			old = !strcmp(la[i].name, lb[k].name);
		for (size_t i = 0; i < na && !old && !alias; i++)
			alias = same_place(&la[i], &lb[k]);
		ok = old || alias;
	}
	free(la);
	free(lb);
	return ok;
}

static bool sig_in(const struct dt_type *v, size_t from, size_t to, const char *sig)
{
	for (size_t i = from; i < to; i++)
		if (!strcmp(v[i].sig, sig))
			return true;
	return false;
}

/* End of the run of entries with the key of @v[@i]. */
static size_t key_end(const struct dt_type *v, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && v[j].via_var == v[i].via_var && !strcmp(v[j].name, v[i].name))
		j++;
	return j;
}

/*
 * Add a refused changed-type entry for key @a[ai..ae) of pre against
 * @b[bi..be) of post when a pre layout is gone and a post layout is new.
 */
static int compare_key(struct dt_side *sa, const struct dt_type *a, size_t ai, size_t ae,
		       struct dt_side *sb, const struct dt_type *b, size_t bi, size_t be,
		       struct hs_diff *d)
{
	size_t gone = ae, fresh = be;
	int i;

	for (size_t k = ai; k < ae && gone == ae; k++)
		if (!sig_in(b, bi, be, a[k].sig))
			gone = k;
	for (size_t k = bi; k < be && fresh == be; k++)
		if (!sig_in(a, ai, ae, b[k].sig))
			fresh = k;
	if (gone == ae || fresh == be)
		return 0;
	if (ae - ai == 1 && be - bi == 1 &&
	    compatible(sa, &sa->dies[a[ai].die], sb, &sb->dies[b[bi].die], false)) {
		hs_debug(sa->ctx, "'%s': type '%s': only aliases of existing members added",
			 sa->objname, a[ai].name);
		return 0;
	}
	i = diff_add_entry(d, b[fresh].name, HS_DIFF_CHANGED_TYPE);
	if (i < 0)
		return i;
	d->syms[i].refused = true;
	describe(sa, &sa->dies[a[gone].die], sb, &sb->dies[b[fresh].die],
		 b[fresh].via_var ? "the anonymous type of this variable: " : "",
		 d->syms[i].reason, sizeof(d->syms[i].reason));
	return 0;
}

static int compare_types(struct dt_side *sa, const struct dt_type *a, size_t na,
			 struct dt_side *sb, const struct dt_type *b, size_t nb, struct hs_diff *d)
{
	size_t i = 0, j = 0;
	int err = 0;

	while (!err && i < na && j < nb) {
		size_t ie = key_end(a, na, i), je = key_end(b, nb, j);
		int c = a[i].via_var != b[j].via_var ? (a[i].via_var ? 1 : -1) :
			strcmp(a[i].name, b[j].name);

		if (!c)
			err = compare_key(sa, a, i, ie, sb, b, j, je, d);
		if (c <= 0)
			i = ie;
		if (c >= 0)
			j = je;
	}
	return err;
}

static bool anything_changed(const struct hs_diff *d)
{
	for (size_t i = 0; i < d->nsyms; i++)
		if (d->syms[i].cls != HS_DIFF_UNCHANGED)
			return true;
	return false;
}

int diff_types(struct hs_diff_priv *p, struct hs_diff *d)
{
	struct dt_side a = { .e = p->pre.e, .objname = p->objname, .ctx = p->ctx };
	struct dt_side b = { .e = p->post.e, .objname = p->objname, .ctx = p->ctx };
	struct dt_type *ta = NULL, *tb = NULL;
	size_t na = 0, nb = 0;
	double t0 = hs_now();
	int err, has_a, has_b;

	if (!anything_changed(d))
		return 0;
	has_a = err = read_side(&a);
	has_b = err = err < 0 ? err : read_side(&b);
	if (err >= 0 && (!has_a || !has_b)) {
		hs_warn(p->ctx, "'%s': no DWARF (section '.debug_info') in the %s object: "
				"struct layout changes not checked", p->objname,
			!has_a ? "pre" : "post");
		err = 0;
	} else if (err >= 0) {
		err = collect_types(&a, &ta, &na);
		err = err ?: collect_types(&b, &tb, &nb);
		err = err ?: compare_types(&a, ta, na, &b, tb, nb, d);
		hs_debug(p->ctx, "'%s': compared %zu pre and %zu post struct/union types in %.1f ms",
			 p->objname, na, nb, (hs_now() - t0) * 1000);
	}
	free_types(ta, na);
	free_types(tb, nb);
	free_side(&a);
	free_side(&b);
	return err < 0 ? err : 0;
}

/* The entry of named struct/union @tag in sorted @v, or NULL. */
static const struct dt_type *find_type(const struct dt_type *v, size_t n, const char *tag)
{
	for (size_t i = 0; i < n; i++)
		if (!v[i].via_var && !strcmp(v[i].name, tag))
			return &v[i];
	return NULL;
}

int hs_diff_types_same(const struct hs_ctx *ctx, const struct hs_diff *d, char *const *tags,
		       size_t n, int *verdict)
{
	struct dt_side a = { .e = &d->pre, .objname = d->objname, .ctx = ctx };
	struct dt_side b = { .e = &d->post, .objname = d->objname, .ctx = ctx };
	struct dt_type *ta = NULL, *tb = NULL;
	size_t na = 0, nb = 0;
	int err = read_side(&a);

	for (size_t i = 0; i < n; i++)
		verdict[i] = 0;
	err = err > 0 ? read_side(&b) : err;
	if (err > 0)
		err = collect_types(&a, &ta, &na) ?: collect_types(&b, &tb, &nb);
	for (size_t i = 0; err == 0 && i < n; i++) {
		const struct dt_type *x = find_type(ta, na, tags[i]), *y = find_type(tb, nb, tags[i]);

		if (x && y)
			verdict[i] = compatible(&a, &a.dies[x->die], &b, &b.dies[y->die], true) ?
				     1 : -1;
	}
	free_types(ta, na);
	free_types(tb, nb);
	free_side(&a);
	free_side(&b);
	return err < 0 ? err : 0;
}
