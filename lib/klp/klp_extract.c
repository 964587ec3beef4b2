// SPDX-License-Identifier: GPL-2.0
/* klp_extract.c - copy the included functions and what they need into a new object. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"
#include "klp/klp_int.h"

size_t hs_klp_rela_size(uint32_t type)
{
	switch (type) {
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		return 4;
	}
	return 0;
}

const struct hs_klp_chunk *hs_klp_chunk_at(const struct hs_klp_x *x, size_t sec,
					   GElf_Sxword off, bool end_ok)
{
	const struct hs_klp_xsec *xs = &x->xs[sec];
	const struct hs_klp_chunk *end = NULL;

	if (off < 0)
		return NULL;
	for (size_t i = 0; i < xs->nchunks; i++) {
		const struct hs_klp_chunk *c = &xs->chunks[i];

		if ((GElf_Addr)off >= c->in_off && (GElf_Addr)off < c->in_off + c->len)
			return c;
		if ((GElf_Addr)off == c->in_off + c->len)
			end = c;
	}
	return end_ok ? end : NULL;
}

static int out_section(struct hs_klp_x *x, size_t sec)
{
	struct hs_klp_xsec *xs = &x->xs[sec];
	const struct hs_elf_sec *s = &x->e.secs[sec];
	long out, sym;

	if (xs->out)
		return 0;
	if (strcmp(x->o->objname, "vmlinux") && (s->shdr.sh_flags & SHF_EXECINSTR)) {
		/* a module's code: its name tells finalize which klp object it patches */
		char *name = hs_klp_code_sec_name(x->o->objname, s->name);

		if (!name)
			return -ENOMEM;
		out = hs_ow_add_sec(&x->ow, name, s->shdr.sh_type,
				    s->shdr.sh_flags & ~SHF_GROUP, 1, s->shdr.sh_entsize, 0);
		free(name);
	} else {
		out = hs_ow_add_sec(&x->ow, s->name, s->shdr.sh_type,
				    s->shdr.sh_flags & ~SHF_GROUP, 1, s->shdr.sh_entsize, 0);
	}
	if (out < 0)
		return (int)out;
	sym = hs_ow_add_sym(&x->ow, "", GELF_ST_INFO(STB_LOCAL, STT_SECTION), 0, (size_t)out,
			    0, 0);
	if (sym < 0)
		return (int)sym;
	xs->out = (size_t)out;
	xs->secsym = (size_t)sym;
	return 0;
}

int hs_klp_add_chunk(struct hs_klp_x *x, size_t sec, GElf_Addr off, GElf_Addr len,
		     size_t align)
{
	struct hs_klp_xsec *xs = &x->xs[sec];
	const struct hs_elf_sec *s = &x->e.secs[sec];
	struct hs_klp_chunk *c;
	const void *data = NULL;
	size_t out_off;
	int err;

	for (size_t i = 0; i < xs->nchunks; i++) {
		c = &xs->chunks[i];
		if (off >= c->in_off && off + len <= c->in_off + c->len && (len || off < c->in_off + c->len))
			return 0;
		if (off < c->in_off + c->len && c->in_off < off + len) {
			hs_err(x->ctx, "'%s': section '%s': overlapping pieces at 0x%lx",
			       x->e.path, s->name, (unsigned long)off);
			return -HS_EREFUSED;
		}
	}
	if (off + len > s->shdr.sh_size)
		HS_BUG("chunk beyond the end of its section");
	err = out_section(x, sec);
	if (err)
		return err;
	if (s->data && s->shdr.sh_type != SHT_NOBITS)
		data = (const char *)s->data->d_buf + off;
	err = hs_ow_append(&x->ow, xs->out, data, len, align, &out_off);
	if (err)
		return err;
	if (xs->nchunks == xs->cap) {
		size_t ncap = xs->cap ? xs->cap * 2 : 4;
		void *n = realloc(xs->chunks, ncap * sizeof(*xs->chunks));

		if (!n)
			return -ENOMEM;
		xs->chunks = n;
		xs->cap = ncap;
	}
	xs->chunks[xs->nchunks++] = (struct hs_klp_chunk){ off, len, out_off };
	return 0;
}

static int add_whole(struct hs_klp_x *x, size_t sec)
{
	const struct hs_elf_sec *s = &x->e.secs[sec];

	if (x->xs[sec].whole)
		return 0;
	if (x->xs[sec].nchunks) {
		hs_err(x->ctx, "'%s': section '%s': needed both whole and in parts",
		       x->e.path, s->name);
		return -HS_EREFUSED;
	}
	x->xs[sec].whole = true;
	return hs_klp_add_chunk(x, sec, 0, s->shdr.sh_size, s->shdr.sh_addralign);
}

/* Sections whose code must never be copied into a module. */
static bool is_init_section(const char *name)
{
	return !strncmp(name, ".init.", 6) || !strncmp(name, ".exit.", 6) ||
	       !strncmp(name, ".meminit.", 9);
}

static bool name_listed(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/*
 * Is @s the "__pfx_<name>" symbol objtool gives the padding before function
 * @f (6.12's CALL_PADDING: the facts' padding bytes, at the start of @f's
 * section)? An object objtool has run on has them: on 6.12 a module made of
 * one object (objtool runs there at compile time, not on vmlinux.o).
 */
static bool is_prefix_of(const struct hs_klp_x *x, const struct hs_elf_sym *s,
			 const struct hs_elf_sym *f)
{
	unsigned int pad = x->o->facts->padding;

	return pad && s->sym.st_shndx == f->sym.st_shndx && s->name && f->name &&
	       !strncmp(s->name, "__pfx_", 6) && !strcmp(s->name + 6, f->name) &&
	       s->sym.st_value + pad == f->sym.st_value;
}

/* Include function @name: its section, which must hold nothing else, and its .cold parts. */
static int include_function(struct hs_klp_x *x, const char *name)
{
	const struct hs_elf_sym *f = hs_elf_sym_by_name(&x->e, name);
	size_t len = strlen(name);
	int err;

	if (!f || !hs_elf_sym_is_func(f) || f->sym.st_shndx >= SHN_LORESERVE) {
		hs_err(x->ctx, "'%s': symbol '%s': no such function", x->e.path, name);
		return -ENOENT;
	}
	for (size_t i = 1; i < x->e.nsyms; i++) {
		const struct hs_elf_sym *s = &x->e.syms[i];
		bool cold = !strncmp(s->name, name, len) && !strncmp(s->name + len, ".cold", 5);
		const char *sec;

		if (!hs_elf_sym_is_func(s) || s->sym.st_shndx >= SHN_LORESERVE || is_prefix_of(x, s, f))
			continue;
		sec = x->e.secs[s->sym.st_shndx].name;
		if (s->sym.st_shndx == f->sym.st_shndx && s->sym.st_value != f->sym.st_value) {
			hs_err(x->ctx, "'%s': section '%s': symbol '%s': shares its section with '%s' (compile with -ffunction-sections)",
			       x->e.path, sec, name, s->name);
			return -HS_EREFUSED;
		}
		if (s != f && !cold)
			continue;
		if (is_init_section(sec)) {
			hs_err(x->ctx, "'%s': section '%s': symbol '%s': init/exit code cannot be live patched",
			       x->e.path, sec, s->name);
			return -HS_EREFUSED;
		}
		x->xs[s->sym.st_shndx].code = true;
		err = add_whole(x, s->sym.st_shndx);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Bytes of immediate operand that follow the RIP-relative displacement at @off
 * of code @c (the CPU adds them to the relocation's -4 bias), or -1 when the
 * instruction cannot be told apart. Example: "c7 05 <disp32> <imm32>" (movl
 * $imm, var(%rip)) has 4, so var = addend + 8; "8b 05 <disp32>" has 0.
 */
static int imm_after_disp(const unsigned char *c, size_t off)
{
	static const unsigned char imm1[] = { 0x80, 0x82, 0x83, 0xc0, 0xc1, 0xc6, 0x6b };
	static const unsigned char imm4[] = { 0x81, 0xc7, 0x69 };
	unsigned char op, reg;
	bool o16, esc;

	if (off >= 1 && (c[off - 1] == 0xe8 || c[off - 1] == 0xe9))
		return 0;			/* call/jmp rel32 */
	if (off >= 2 && c[off - 2] == 0x0f && (c[off - 1] & 0xf0) == 0x80)
		return 0;			/* jcc rel32 */
	if (off < 3 || (c[off - 1] & 0xc7) != 0x05)
		return -1;			/* not a RIP-relative ModRM */
	op = c[off - 2];
	reg = (c[off - 1] >> 3) & 7;
	esc = c[off - 3] == 0x0f || c[off - 3] == 0x38 || c[off - 3] == 0x3a;
	o16 = c[off - 3] == 0x66 || (off >= 4 && (c[off - 3] & 0xf0) == 0x40 && c[off - 4] == 0x66);
	if (memchr(imm1, op, sizeof(imm1)) || memchr(imm4, op, sizeof(imm4)) ||
	    op == 0xf6 || op == 0xf7 || op == 0xba)
		if (esc)
			return op == 0xba && c[off - 3] == 0x0f ? 1 : -1;
	if (esc)
		return off >= 4 && c[off - 3] == 0x3a && c[off - 4] == 0x0f ? 1 : 0;
	if (memchr(imm1, op, sizeof(imm1)))
		return 1;
	if (memchr(imm4, op, sizeof(imm4)))
		return o16 ? 2 : 4;
	if (op == 0xf6)
		return reg <= 1 ? 1 : 0;
	if (op == 0xf7)
		return reg <= 1 ? (o16 ? 2 : 4) : 0;
	return 0;
}

/* The possible target offsets of @r in section @sec (where it lives: @from). */
static void rela_window(const struct hs_klp_x *x, size_t from, const GElf_Rela *r,
			struct hs_klp_target *t)
{
	const struct hs_elf_sym *y = &x->e.syms[GELF_R_SYM(r->r_info)];
	uint32_t type = (uint32_t)GELF_R_TYPE(r->r_info);
	bool code = x->e.secs[from].shdr.sh_flags & SHF_EXECINSTR;

	t->sym = GELF_ST_TYPE(y->sym.st_info) == STT_SECTION ? 0 : y->idx;
	t->sec = y->sym.st_shndx < SHN_LORESERVE ? y->sym.st_shndx : 0;
	t->lo = (GElf_Sxword)y->sym.st_value + r->r_addend;
	t->hi = t->lo;
	/* x86 RIP-relative: the displacement is followed by up to 4 immediate bytes */
	if (code && (type == R_X86_64_PC32 || type == R_X86_64_PLT32)) {
		const Elf_Data *d = x->e.secs[from].data;
		int imm = type == R_X86_64_PLT32 ? 0 : -1;

		if (imm < 0 && d && r->r_offset < d->d_size)
			imm = imm_after_disp(d->d_buf, r->r_offset);
		t->lo += 4 + (imm > 0 ? imm : 0);
		t->hi += imm >= 0 ? 4 + imm : 8;
	}
}

/*
 * Two names of one place: the same start and size, or a label (size 0) at the
 * start of a sized symbol (BTF_ID_LIST's array and its first entry): both
 * name the same address.
 */
static bool same_place(const struct hs_elf_sym *a, const struct hs_elf_sym *b)
{
	return a->sym.st_value == b->sym.st_value &&
	       (a->sym.st_size == b->sym.st_size || !a->sym.st_size || !b->sym.st_size);
}

/*
 * Of two names of one place, is @b the better to refer by than @a: a global,
 * then a label (the name the source gave the place, not a generated entry of
 * it, like __BTF_ID__struct__X__<counter>, whose number differs between builds)?
 */
static bool better_name(const struct hs_elf_sym *b, const struct hs_elf_sym *a)
{
	bool gb = GELF_ST_BIND(b->sym.st_info) != STB_LOCAL;
	bool ga = GELF_ST_BIND(a->sym.st_info) != STB_LOCAL;

	if (gb != ga)
		return gb;
	return !b->sym.st_size && a->sym.st_size;
}

/*
 * The one named symbol of @t->sec that the window of @t falls in: 0 if none,
 * -1 if several places (of several names of one place, the global one, else
 * the first: they name the same bytes). With @past_end, the one whose end the
 * window starts at instead: a pointer one past the end of an array
 * (&a[ARRAY_SIZE(a)], a loop's bound).
 */
static long name_target_at(const struct hs_klp_x *x, const struct hs_klp_target *t, bool past_end)
{
	long found = 0;

	for (size_t i = 1; i < x->e.nsyms; i++) {
		const struct hs_elf_sym *s = &x->e.syms[i];
		GElf_Sxword v = (GElf_Sxword)s->sym.st_value;
		GElf_Sxword end = v + (GElf_Sxword)(s->sym.st_size ? s->sym.st_size : 1);
		unsigned char type = GELF_ST_TYPE(s->sym.st_info);

		if (s->sym.st_shndx != t->sec || !*s->name || !strncmp(s->name, ".L", 2) ||
		    type == STT_SECTION || type == STT_FILE)
			continue;
		if (past_end ? !s->sym.st_size || t->lo != end : t->hi < v || t->lo >= end)
			continue;
		if (found && !same_place(&x->e.syms[found], s))
			return -1;
		if (!found || better_name(s, &x->e.syms[found]))
			found = (long)i;
	}
	return found;
}

static long name_target(const struct hs_klp_x *x, const struct hs_klp_target *t)
{
	long found = name_target_at(x, t, false);

	return found ? found : name_target_at(x, t, true);
}

enum copy_how { COPY_NONE, COPY_WHOLE, COPY_SYMBOL };

/* Is the data at @t new to the module (copied) or the running kernel's (referenced)? */
static enum copy_how copy_policy(const struct hs_klp_x *x, const struct hs_klp_target *t)
{
	const struct hs_elf_sec *s = &x->e.secs[t->sec];
	const char *name = t->sym ? x->e.syms[t->sym].name : "";

	if (!t->sec || (s->shdr.sh_flags & SHF_EXECINSTR))
		return COPY_NONE;
	if (s->shdr.sh_flags & SHF_MERGE)
		return COPY_WHOLE;	/* string literals and constants: no identity */
	if (!t->sym)
		return COPY_NONE;
	if (!strncmp(name, "__func__.", 9) || !strncmp(name, "__already_done.", 15) ||
	    !strcmp(s->name, "__dyndbg"))
		return COPY_SYMBOL;	/* per-call-site data of the copied code */
	if (name_listed(name, x->o->new_data, x->o->nnew_data))
		return COPY_SYMBOL;
	return COPY_NONE;
}

/* Copy what relocation @r of section @from needs (closure step). */
static int need_target(struct hs_klp_x *x, size_t from, const GElf_Rela *r)
{
	struct hs_klp_target t;
	const struct hs_elf_sym *s;
	long named;

	rela_window(x, from, r, &t);
	if (!t.sec || x->xs[t.sec].whole)
		return 0;
	if (copy_policy(x, &t) == COPY_WHOLE)
		return add_whole(x, t.sec);
	if (!t.sym) {
		named = name_target(x, &t);
		if (named <= 0)
			return 0;	/* reported when the relocation is written */
		t.sym = (size_t)named;
	}
	if (copy_policy(x, &t) != COPY_SYMBOL)
		return 0;
	s = &x->e.syms[t.sym];
	return hs_klp_add_chunk(x, t.sec, s->sym.st_value, s->sym.st_size,
				x->e.secs[t.sec].shdr.sh_addralign);
}

/* Scan every chunk not scanned yet until nothing new is added. */
static int close_over_references(struct hs_klp_x *x)
{
	bool again = true;
	int err = 0;

	while (again && !err) {
		again = false;
		for (size_t sec = 1; sec < x->e.nsecs && !err; sec++) {
			struct hs_klp_xsec *xs = &x->xs[sec];

			for (; x->scanned[sec] < xs->nchunks && !err; x->scanned[sec]++) {
				const struct hs_klp_chunk c = xs->chunks[x->scanned[sec]];

				again = true;
				for (size_t i = 0; i < hs_elf_nrelas(&x->e, &x->e.secs[sec]) && !err; i++) {
					GElf_Rela r;

					err = hs_elf_rela(&x->e, &x->e.secs[sec], i, &r);
					if (!err && r.r_offset >= c.in_off && r.r_offset < c.in_off + c.len)
						err = need_target(x, sec, &r);
				}
			}
		}
	}
	return err;
}

static bool in_list(const char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return true;
	return false;
}

/* Is @name a new global function or variable of unit @o? */
static bool new_global(const struct hs_klp_opts *o, const char *name)
{
	return in_list(o->new_funcs, o->nnew_funcs, name) ||
	       in_list(o->new_data, o->nnew_data, name);
}

/* Is @name a new global of another unit of this module (linked with it, not in the kernel)? */
static bool other_unit_defines(const struct hs_klp_x *x, const char *name)
{
	for (size_t k = 0; k < x->o->nunits; k++)
		if (x->o->units[k].post != x->o->post && new_global(&x->o->units[k], name))
			return true;
	return false;
}

/* A ".klp.sym.<obj>.<name>,<pos>" placeholder for input symbol @s, as the kernel knows it. */
static long klp_placeholder(struct hs_klp_x *x, const struct hs_elf_sym *s, const char *obj)
{
	const char *name = s->name;
	unsigned long pos = 0;
	char *klp;
	long out;

	for (size_t i = 0; i < x->o->nrenames; i++)
		if (!strcmp(x->o->renames[i].name, s->name))
			name = x->o->renames[i].old_name;
	bool listed = false;

	for (size_t i = 0; i < x->o->nsympos; i++)
		if (!strcmp(x->o->sympos[i].name, name))
			pos = x->o->sympos[i].pos, listed = true;
	if (!listed && x->o->resolve_sympos) {
		int err = x->o->resolve_sympos(x->o->resolve_arg, x->o, &obj, name,
					       GELF_ST_BIND(s->sym.st_info) != STB_LOCAL, &pos);

		if (err)
			return err;
	}
	klp = hs_klp_sym_name(obj, name, pos);
	if (!klp)
		return -ENOMEM;
	out = hs_ow_add_sym(&x->ow, klp, GELF_ST_INFO(STB_GLOBAL, STT_NOTYPE), 0, SHN_UNDEF, 0, 0);
	free(klp);
	return out;
}

/* The module exporting input symbol @y as the livepatch module may import it, or NULL. */
static const char *importable_from(const struct hs_klp_x *x, size_t y)
{
	const struct hs_elf_sym *s = &x->e.syms[y];
	const char *exp;

	if (GELF_ST_BIND(s->sym.st_info) == STB_LOCAL)
		return NULL;
	exp = hs_klp_symvers_find(x->sv, s->name);
	/*
	 * An export for named modules only (6.12's EXPORT_SYMBOL_FOR_MODULES, in the
	 * namespace "module:NAME"): the livepatch module is none of them and could
	 * not import it, so it refers to it as to any symbol that is not exported.
	 */
	if (exp && !strncmp(hs_klp_symvers_ns(x->sv, s->name) ?: "", "module:", 7))
		return NULL;
	return exp;
}

/*
 * Is input symbol @y, when not copied, referred to by name (an ordinary
 * relocation, applied when the livepatch module loads) rather than through a
 * klp placeholder? Code uses vmlinux's exports by name. A module's own exports
 * are resolved like its locals, and another module's exports through a
 * placeholder of that module: the patch may load before either module, and
 * the patched module's relocations are applied when it loads (after its
 * dependencies). New globals of another unit of the update are the module's own.
 */
bool hs_klp_by_name(const struct hs_klp_x *x, size_t y)
{
	const struct hs_elf_sym *s = &x->e.syms[y];
	const char *exp = importable_from(x, y);

	return (exp && !strcmp(exp, "vmlinux")) ||
	       (GELF_ST_BIND(s->sym.st_info) != STB_LOCAL && other_unit_defines(x, s->name));
}

const char *hs_klp_via(const struct hs_klp_opts *o, char *buf, size_t size)
{
	if (!o->via)
		return "";
	snprintf(buf, size, "%s%s')", hs_names_noun(o->via, " (in the update for the patched header '",
						    " (in the update for the patched headers '"), o->via);
	return buf;
}

/* The builder symbol for input symbol @y when it is not copied: by name or klp placeholder. */
static long external_sym(struct hs_klp_x *x, size_t from, size_t y)
{
	const struct hs_elf_sym *s = &x->e.syms[y];
	const char *obj = x->o->objname, *exp = importable_from(x, y);
	unsigned char bind = GELF_ST_BIND(s->sym.st_info);
	bool module = strcmp(obj, "vmlinux") != 0;
	long out;

	if (x->symout[y])
		return (long)x->symout[y];
	if (hs_klp_by_name(x, y)) {
		out = hs_ow_add_sym(&x->ow, s->name, GELF_ST_INFO(bind, STT_NOTYPE), 0,
				    SHN_UNDEF, 0, 0);
	} else if (module && !(x->e.secs[from].shdr.sh_flags & SHF_EXECINSTR)) {
		/* hs_klp_special() keeps only the entries that cannot do without */
		char via[1024];

		hs_err(x->ctx, "'%s': section '%s': symbol '%s': special-section entries of a module patch cannot use a livepatch relocation%s%s",
		       x->e.path, x->e.secs[from].name, s->name,
		       !strcmp(x->e.secs[from].name, "__jump_table") ?
		       " (a module's static key: the kernel reads a module's jump labels when it loads, before the livepatch core relocates them; a fix meant to go live tests such a key with static_key_enabled())" : "",
		       hs_klp_via(x->o, via, sizeof(via)));
		return -HS_EREFUSED;
	} else {
		out = klp_placeholder(x, s, module && exp ? exp : obj);
	}
	if (out > 0)
		x->symout[y] = (size_t)out;
	return out;
}

/* The builder copy of input symbol @y, which lies in a copied chunk @c. */
static long copied_sym(struct hs_klp_x *x, size_t y, const struct hs_klp_chunk *c)
{
	const struct hs_elf_sym *s = &x->e.syms[y];
	unsigned char type = GELF_ST_TYPE(s->sym.st_info), bind = STB_LOCAL;
	long out;

	if (x->symout[y])
		return (long)x->symout[y];
	/* a new global stays global when the module's other units call it */
	if (x->o->nunits > 1 && GELF_ST_BIND(s->sym.st_info) == STB_GLOBAL && s->name &&
	    new_global(x->o, s->name))
		bind = STB_GLOBAL;
	out = hs_ow_add_sym(&x->ow, s->name, GELF_ST_INFO(bind, type), s->sym.st_other,
			    x->xs[s->sym.st_shndx].out,
			    s->sym.st_value - c->in_off + c->out_off, s->sym.st_size);
	if (out > 0)
		x->symout[y] = (size_t)out;
	return out;
}

/* Translate the target of relocation @r (in section @from) into builder terms. */
static int map_target(struct hs_klp_x *x, size_t from, const GElf_Rela *r, size_t *sym,
		      GElf_Sxword *addend)
{
	const struct hs_elf_sym *y = &x->e.syms[GELF_R_SYM(r->r_info)];
	const struct hs_klp_chunk *c;
	struct hs_klp_target t;
	long named, out;

	rela_window(x, from, r, &t);
	*addend = r->r_addend;
	if (t.sec && !t.sym && (x->xs[t.sec].whole || t.lo == t.hi) &&
	    (c = hs_klp_chunk_at(x, t.sec, t.lo, true))) {
		*sym = x->xs[t.sec].secsym;
		*addend = r->r_addend + (GElf_Sxword)c->out_off - (GElf_Sxword)c->in_off;
		return 0;
	}
	if (t.sec && !t.sym) {
		named = name_target(x, &t);
		if (named <= 0) {
			hs_err(x->ctx, "'%s': section '%s': reference at 0x%lx to section '%s'%+ld does not name %s symbol",
			       x->e.path, x->e.secs[from].name, (unsigned long)r->r_offset,
			       x->e.secs[t.sec].name, (long)r->r_addend, named ? "exactly one" : "a");
			return -HS_EREFUSED;
		}
		y = &x->e.syms[named];
		*addend = r->r_addend - (GElf_Sxword)y->sym.st_value;
	}
	if (t.sec && is_init_section(x->e.secs[t.sec].name)) {
		hs_err(x->ctx, "'%s': section '%s': symbol '%s': init/exit data or code is gone after boot",
		       x->e.path, x->e.secs[from].name, y->name);
		return -HS_EREFUSED;
	}
	c = t.sec ? hs_klp_chunk_at(x, t.sec, (GElf_Sxword)y->sym.st_value, !y->sym.st_size) : NULL;
	out = c ? copied_sym(x, y->idx, c) : external_sym(x, from, y->idx);
	if (out < 0)
		return (int)out;
	*sym = (size_t)out;
	return 0;
}

/* Copy the relocations of input section @sec that fall inside its chunks. */
static int copy_relas(struct hs_klp_x *x, size_t sec)
{
	const struct hs_elf_sec *s = &x->e.secs[sec];
	struct hs_klp_xsec *xs = &x->xs[sec];
	int err = 0;

	for (size_t i = 0; i < hs_elf_nrelas(&x->e, s) && !err; i++) {
		const struct hs_klp_chunk *c;
		GElf_Sxword addend;
		GElf_Rela r;
		size_t sym = 0, size;

		err = hs_elf_rela(&x->e, s, i, &r);
		if (err)
			break;
		c = hs_klp_chunk_at(x, sec, (GElf_Sxword)r.r_offset, false);
		if (!c)
			continue;
		size = hs_klp_rela_size((uint32_t)GELF_R_TYPE(r.r_info));
		if (!size || r.r_offset + size > c->in_off + c->len) {
			hs_err(x->ctx, "'%s': section '%s': relocation type %u at 0x%lx is not supported here",
			       x->e.path, s->name, (unsigned)GELF_R_TYPE(r.r_info),
			       (unsigned long)r.r_offset);
			return -HS_EREFUSED;
		}
		err = map_target(x, sec, &r, &sym, &addend);
		if (err)
			break;
		if (!xs->rela) {
			char *name;
			long rs;

			if (asprintf(&name, ".rela%s", s->name) < 0)
				return -ENOMEM;
			rs = hs_ow_add_sec(&x->ow, name, SHT_RELA, 0, 8, 0, xs->out);
			free(name);
			if (rs < 0)
				return (int)rs;
			xs->rela = (size_t)rs;
		}
		err = hs_ow_add_rela(&x->ow, xs->rela, r.r_offset - c->in_off + c->out_off,
				     (uint32_t)GELF_R_TYPE(r.r_info), sym, addend);
	}
	return err;
}

/* Name the included functions, and give each replaced one the alias the glue uses. */
static int add_function_symbols(struct hs_klp_x *x)
{
	for (size_t i = 0; i < x->o->nfuncs + x->o->nnew_funcs; i++) {
		const char *name = i < x->o->nfuncs ? x->o->funcs[i].name
						    : x->o->new_funcs[i - x->o->nfuncs];
		const struct hs_elf_sym *f = hs_elf_sym_by_name(&x->e, name);
		const struct hs_klp_chunk *c = hs_klp_chunk_at(x, f->sym.st_shndx, 0, false);
		char alias[64];
		long out = copied_sym(x, f->idx, c);

		if (out < 0)
			return (int)out;
		if (i >= x->o->nfuncs)
			continue;
		snprintf(alias, sizeof(alias), "__hotsplice_func_%zu", x->o->func_base + i);
		out = hs_ow_add_sym(&x->ow, alias, GELF_ST_INFO(STB_GLOBAL, STT_FUNC), 0,
				    x->xs[f->sym.st_shndx].out, f->sym.st_value - c->in_off + c->out_off,
				    f->sym.st_size);
		if (out < 0)
			return (int)out;
	}
	return 0;
}

/* Name everything copied that has a name (.cold parts, new variables, __func__). */
static int add_copied_symbols(struct hs_klp_x *x)
{
	for (size_t i = 1; i < x->e.nsyms; i++) {
		const struct hs_elf_sym *s = &x->e.syms[i];
		unsigned char type = GELF_ST_TYPE(s->sym.st_info);
		const struct hs_klp_chunk *c;
		long out;

		if (s->sym.st_shndx == SHN_UNDEF || s->sym.st_shndx >= SHN_LORESERVE ||
		    type == STT_SECTION || type == STT_FILE || !*s->name ||
		    !strncmp(s->name, ".L", 2))
			continue;
		c = hs_klp_chunk_at(x, s->sym.st_shndx, (GElf_Sxword)s->sym.st_value, false);
		if (!c || s->sym.st_value + s->sym.st_size > c->in_off + c->len)
			continue;
		out = copied_sym(x, i, c);
		if (out < 0)
			return (int)out;
	}
	return 0;
}

static int select_functions(struct hs_klp_x *x)
{
	int err = 0;

	/* a unit of several may only add what another one calls (create_module.c) */
	if (!x->o->nfuncs && (x->o->nunits < 2 || (!x->o->nnew_funcs && !x->o->nnew_data))) {
		hs_err(x->ctx, "'%s': no function to replace", x->e.path);
		return -EINVAL;
	}
	for (size_t i = 0; i < x->o->nfuncs && !err; i++)
		err = include_function(x, x->o->funcs[i].name);
	for (size_t i = 0; i < x->o->nnew_funcs && !err; i++)
		err = include_function(x, x->o->new_funcs[i]);
	return err;
}

static int write_relas(struct hs_klp_x *x)
{
	int err = 0;

	for (size_t sec = 1; sec < x->e.nsecs && !err; sec++)
		if (x->xs[sec].nchunks)
			err = copy_relas(x, sec);
	return err;
}

static int x_init(struct hs_klp_x *x)
{
	int err;

	err = hs_elf_open(x->ctx, x->o->post, &x->e);
	if (err)
		return err;
	err = hs_ow_init(&x->ow);
	if (err)
		return err;
	x->xs = calloc(x->e.nsecs, sizeof(*x->xs));
	x->scanned = calloc(x->e.nsecs, sizeof(*x->scanned));
	x->symout = calloc(x->e.nsyms, sizeof(*x->symout));
	return x->xs && x->scanned && x->symout ? 0 : -ENOMEM;
}

static void x_free(struct hs_klp_x *x)
{
	for (size_t i = 0; x->xs && i < x->e.nsecs; i++)
		free(x->xs[i].chunks);
	free(x->xs);
	free(x->scanned);
	free(x->symout);
	hs_ow_free(&x->ow);
	hs_elf_close(&x->e);
}

int hs_klp_extract(const struct hs_ctx *ctx, const struct hs_klp_opts *o,
		   const struct hs_klp_symvers *sv, const char *out)
{
	struct hs_klp_x x;
	int err;

	memset(&x, 0, sizeof(x));
	x.ctx = ctx;
	x.o = o;
	x.sv = sv;
	err = x_init(&x);
	err = err ?: select_functions(&x);
	err = err ?: close_over_references(&x);
	err = err ?: hs_klp_special(&x);
	err = err ?: close_over_references(&x);
	err = err ?: hs_klp_check_unknown(&x);
	err = err ?: add_function_symbols(&x);
	err = err ?: add_copied_symbols(&x);
	err = err ?: write_relas(&x);
	err = err ?: hs_ow_write(ctx, &x.ow, out);
	x_free(&x);
	return err;
}
