// SPDX-License-Identifier: GPL-2.0
/*
 * diff_dwarf.c - read the DIEs that describe types from one relocatable object's
 * .debug_info, as gcc emits it (DWARF 2 to 5, one or more compile units),
 * applying the object's own .rela.debug_info for the offsets into .debug_str.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "diff/diff_dwarf.h"

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

/* One compile unit being read. */
struct dt_cu {
	size_t off;		/* of its header in .debug_info */
	unsigned int version, offsize, addrsize;
	struct dt_abbrev *ab;	/* indexed by code when dense */
	size_t nab;
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

int dt_read_side(struct dt_side *s)
{
	int err = side_open(s);

	for (size_t off = 0; err > 0 && off < s->info_len;)
		err = read_unit(s, off, &off) ?: 1;
	return err;
}

void dt_free_side(struct dt_side *s)
{
	free(s->rels);
	free(s->dies);
}

static int cmp_die_off(const void *key, const void *elem)
{
	size_t off = *(const size_t *)key, o = ((const struct dt_die *)elem)->off;

	return off < o ? -1 : off > o;
}

const struct dt_die *dt_die_at(const struct dt_side *s, size_t off)
{
	return off ? bsearch(&off, s->dies, s->ndies, sizeof(*s->dies), cmp_die_off) : NULL;
}
