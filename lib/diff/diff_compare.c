// SPDX-License-Identifier: GPL-2.0
/* diff_compare.c - compare a pre and a post symbol: bytes, and relocations by what they point to. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/le.h"
#include "diff/diff_int.h"

bool diff_is_pcrel(unsigned int type)
{
	switch (type) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_PC64:
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
	case R_X86_64_PC16:
	case R_X86_64_PC8:
		return true;
	}
	return false;
}

static bool sym_covers(const GElf_Sym *s, long off)
{
	long v = (long)s->st_value;

	return off == v || (off > v && off < v + (long)s->st_size);
}

/* The function or variable of section @secidx that covers offset @off, 0 if none. */
size_t diff_sym_at(const struct diff_side *s, size_t secidx, long off)
{
	const struct diff_secsyms *ss;
	size_t lo = 0, hi;

	if (secidx == 0 || secidx >= s->e->nsecs)
		return 0;
	ss = &s->secsyms[secidx];
	hi = ss->n;
	while (lo < hi) {	/* first symbol with value > off */
		size_t mid = (lo + hi) / 2;

		if ((long)s->e->syms[ss->idx[mid]].sym.st_value <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo-- > 0) {
		const GElf_Sym *sym = &s->e->syms[ss->idx[lo]].sym;

		if (sym_covers(sym, off))
			return ss->idx[lo];
		if ((long)(sym->st_value + sym->st_size) + 4096 < off)
			break;	/* nothing that far back covers it */
	}
	return 0;
}

/*
 * The symbol a section-relative reference points into. In data the place is
 * the addend. A PC-relative field in code is relative to the end of the
 * instruction, which is 4 to 8 bytes after the field (an immediate of up to
 * 4 bytes may follow it): "addl $3, count(%rip)" is ".bss.count - 5". The
 * first symbol covering addend + 4 ... addend + 8 is taken.
 */
size_t diff_sym_for(const struct diff_side *s, size_t secidx, long place, bool code_pcrel)
{
	size_t t = diff_sym_at(s, secidx, place + (code_pcrel ? 4 : 0));

	for (long k = 5; !t && code_pcrel && k <= 8; k++)
		t = diff_sym_at(s, secidx, place + k);
	return t;
}

static int cmp_rela(const void *a, const void *b)
{
	const GElf_Rela *x = a, *y = b;

	return x->r_offset < y->r_offset ? -1 : x->r_offset > y->r_offset;
}

/* The relocations of @sec with offsets in [@start, @end), sorted; *@out to be freed. */
int diff_relas(const struct hs_elf *e, const struct hs_elf_sec *sec, GElf_Addr start,
	       GElf_Addr end, GElf_Rela **out, size_t *n)
{
	size_t total = hs_elf_nrelas(e, sec);
	GElf_Rela *r = calloc(total ? total : 1, sizeof(*r));

	*out = r;
	*n = 0;
	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < total; i++) {
		if (hs_elf_rela(e, sec, i, &r[*n]))
			return -HS_EFORMAT;
		if (r[*n].r_offset >= start && r[*n].r_offset < end)
			(*n)++;
	}
	qsort(r, *n, sizeof(*r), cmp_rela);
	return 0;
}

/* The name a symbol is known by on both sides: the post name of a matched pre symbol. */
static const char *ident_name(const struct diff_side *s, size_t i, const char **prefix)
{
	const struct diff_symi *si = &s->si[i];

	*prefix = "";
	if (!s->is_pre)
		return s->e->syms[i].name;
	if (si->match)
		return s->other->e->syms[si->match].name;
	*prefix = "~";	/* only in pre: equal to nothing in post */
	return s->e->syms[i].name;
}

static void const_id(const struct hs_elf_sec *sec, long off, struct diff_buf *b)
{
	const char *base = sec->data ? sec->data->d_buf : NULL;
	long size = sec->data ? (long)sec->data->d_size : 0;
	size_t ent = sec->shdr.sh_entsize ? sec->shdr.sh_entsize : 1;

	if (!base || off < 0 || off >= size) {
		diff_buf_add(b, "%s@%ld", sec->name, off);
		return;
	}
	if (sec->shdr.sh_flags & SHF_STRINGS) {
		size_t n = strnlen(base + off, (size_t)(size - off));

		diff_buf_add(b, "\"");
		diff_buf_addmem(b, base + off, n);
		diff_buf_add(b, "\"");
		return;
	}
	diff_buf_add(b, "const:");
	for (size_t i = 0; i < ent && off + (long)i < size; i++)
		diff_buf_add(b, "%02x", (unsigned char)base[off + i]);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Every offset of section @t that some relocation of the object points to. */
static void find_bounds(struct diff_side *s, size_t t)
{
	const struct hs_elf *e = s->e;
	struct diff_secsyms *ss = &s->secsyms[t];
	size_t cap = 0;

	ss->bounds_done = true;
	for (size_t i = 1; i < e->nsecs; i++) {
		const struct hs_elf_sec *sec = &e->secs[i];

		for (size_t k = 0; k < hs_elf_nrelas(e, sec); k++) {
			GElf_Rela r;
			const struct hs_elf_sym *ts;
			long off;

			if (hs_elf_rela(e, sec, k, &r))
				continue;
			ts = &e->syms[GELF_R_SYM(r.r_info)];
			if (ts->sym.st_shndx != t || s->si[ts->idx].kind != DK_NONE)
				continue;
			off = (long)ts->sym.st_value + r.r_addend +
			      (diff_is_pcrel(GELF_R_TYPE(r.r_info)) && diff_sec_is_text(sec) ? 4 : 0);
			if (ss->nbounds == cap) {
				long *nb = realloc(ss->bounds, (cap = cap * 2 + 16) * sizeof(*nb));

				if (!nb)
					return;	/* fewer bounds: regions only get longer */
				ss->bounds = nb;
			}
			ss->bounds[ss->nbounds++] = off;
		}
	}
	if (ss->nbounds)
		qsort(ss->bounds, ss->nbounds, sizeof(long), cmp_long);
}

/*
 * A piece of a section without symbols (e.g. .altinstr_replacement): known by
 * its contents, from @off to the next offset anything points to, so that it
 * does not change when pieces before it grow or shrink.
 */
static void region_id(struct diff_side *s, const struct hs_elf_sec *sec, long off,
		      struct diff_buf *b)
{
	struct diff_secsyms *ss = &s->secsyms[sec->idx];
	long end = (long)sec->shdr.sh_size;
	const unsigned char *base = sec->data ? sec->data->d_buf : NULL;
	GElf_Rela *r;
	size_t n;

	if (!ss->bounds_done)
		find_bounds(s, sec->idx);
	for (size_t i = 0; i < ss->nbounds; i++)
		if (ss->bounds[i] > off) {
			end = ss->bounds[i];
			break;
		}
	if (off < 0 || off > end || end - off > 4096 || !base) {
		diff_buf_add(b, "%s@%ld", sec->name, off);
		return;
	}
	diff_buf_add(b, "%s{", sec->name);
	for (long i = off; i < end; i++)
		diff_buf_add(b, "%02x", base[i]);
	if (diff_relas(s->e, sec, (GElf_Addr)off, (GElf_Addr)end, &r, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			const struct hs_elf_sym *t = &s->e->syms[GELF_R_SYM(r[i].r_info)];
			const char *pfx, *name = t->name;

			if (s->si[t->idx].kind != DK_NONE)
				name = ident_name(s, t->idx, &pfx);
			else if (GELF_ST_TYPE(t->sym.st_info) == STT_SECTION)
				name = s->e->secs[t->sym.st_shndx].name;
			diff_buf_add(b, " %ld:%u:%s%+ld", (long)r[i].r_offset - off,
				     (unsigned int)GELF_R_TYPE(r[i].r_info), name, (long)r[i].r_addend);
		}
	free(r);
	diff_buf_add(b, "}");
}

/*
 * What relocation @r (of section @from) points to, independent of layout:
 * a function or variable by its correlated name plus the offset into it; a
 * section symbol + addend resolved to the symbol covering that place (for a
 * PC-relative field in code the place is addend + 4: the field is followed by
 * the end of the instruction); a string in a mergeable string section by its
 * contents; an undefined symbol by its name.
 *   ".text.helper - 4"        -> "helper-4"
 *   ".rodata.str1.1 + 0x7b"   -> "\"hello world\\n\""
 */
void diff_target_id(struct diff_side *s, const struct hs_elf_sec *from, const GElf_Rela *r,
		    struct diff_buf *b)
{
	const struct hs_elf *e = s->e;
	const struct hs_elf_sym *ts = &e->syms[GELF_R_SYM(r->r_info)];
	long adj = diff_is_pcrel(GELF_R_TYPE(r->r_info)) && diff_sec_is_text(from) ? 4 : 0;
	const struct hs_elf_sec *tsec;
	const char *pfx;
	size_t t;
	long off;

	if (ts->sym.st_shndx == SHN_UNDEF || ts->sym.st_shndx >= SHN_LORESERVE) {
		diff_buf_add(b, "%s%+ld", ts->name, (long)r->r_addend);
		return;
	}
	if (s->si[ts->idx].kind != DK_NONE) {
		const char *name = ident_name(s, ts->idx, &pfx);

		diff_buf_add(b, "%s%s%+ld", pfx, name, (long)r->r_addend);
		return;
	}
	tsec = &e->secs[ts->sym.st_shndx];
	off = (long)ts->sym.st_value + r->r_addend;
	if (diff_sec_is_merge(tsec)) {
		const_id(tsec, off + adj, b);
		return;
	}
	t = diff_sym_for(s, tsec->idx, off, adj != 0);
	if (t) {
		const char *name = ident_name(s, t, &pfx);

		diff_buf_add(b, "%s%s%+ld", pfx, name, off - (long)e->syms[t].sym.st_value);
		return;
	}
	region_id(s, tsec, off + adj, b);
}

/* A symbol's bytes (NULL for .bss: all zero) and section. */
static const unsigned char *sym_bytes(const struct hs_elf *e, size_t i,
				      const struct hs_elf_sec **sec)
{
	const GElf_Sym *s = &e->syms[i].sym;

	*sec = &e->secs[s->st_shndx];
	if (!(*sec)->data || !(*sec)->data->d_buf ||
	    s->st_value + s->st_size > (*sec)->data->d_size)
		return NULL;
	return (const unsigned char *)(*sec)->data->d_buf + s->st_value;
}

bool diff_sec_is_ddebug(const struct hs_elf_sec *sec)
{
	return !strcmp(sec->name, "__dyndbg");
}

/*
 * A relocation target of local data, independent of names and of the
 * correlation: a symbol by its normalised name plus offset, and when it is
 * read-only data (a __func__ string) also by its bytes; a string by its text.
 */
static void content_target(const struct diff_side *s, const GElf_Rela *r, struct diff_buf *b)
{
	const struct hs_elf *e = s->e;
	const struct hs_elf_sym *ts = &e->syms[GELF_R_SYM(r->r_info)];
	const struct hs_elf_sec *tsec, *dsec;
	const unsigned char *data;
	long off = r->r_addend;
	size_t t = ts->idx;

	if (ts->sym.st_shndx == SHN_UNDEF || ts->sym.st_shndx >= SHN_LORESERVE) {
		diff_buf_add(b, "%s%+ld", ts->name, off);
		return;
	}
	tsec = &e->secs[ts->sym.st_shndx];
	if (s->si[t].kind == DK_NONE) {
		off += (long)ts->sym.st_value;
		if (diff_sec_is_merge(tsec)) {
			const_id(tsec, off, b);
			return;
		}
		t = diff_sym_for(s, tsec->idx, off, false);
		if (!t) {
			diff_buf_add(b, "%s%+ld", tsec->name, off);
			return;
		}
		off -= (long)e->syms[t].sym.st_value;
	}
	diff_buf_add(b, "%s%+ld", s->si[t].key, off);
	data = sym_bytes(e, t, &dsec);
	if (s->si[t].kind != DK_DATA || (dsec->shdr.sh_flags & SHF_WRITE) || !data ||
	    e->syms[t].sym.st_size > 256)
		return;
	diff_buf_add(b, "=");
	for (size_t k = 0; k < e->syms[t].sym.st_size; k++)
		diff_buf_add(b, "%02x", data[k]);
}

/*
 * What local data @i of side @s holds, whatever it is called: its size, its
 * bytes (with @loose, a __dyndbg descriptor's line number masked, see
 * is_ddebug_line_move()) and each relocation in it by place, type and
 * content_target(). The descriptor of pr_debug("hi\n") in foo() reads
 *     56:0000...|0:1:"processor_idle"+0|8:1:__func__+0=666f6f00|...
 * Returns a string to free, NULL on allocation failure.
 */
char *diff_local_content(const struct diff_side *s, size_t i, bool loose)
{
	const GElf_Sym *sym = &s->e->syms[i].sym;
	const struct hs_elf_sec *sec;
	const unsigned char *data = sym_bytes(s->e, i, &sec);
	bool ddebug = loose && diff_sec_is_ddebug(sec) && sym->st_size >= 36;
	struct diff_buf b = { 0 };
	GElf_Rela *r;
	size_t n;

	diff_buf_add(&b, "%lu:", (unsigned long)sym->st_size);
	for (size_t k = 0; data && k < sym->st_size; k++) {
		unsigned char v = data[k];

		if (ddebug && k >= 32 && k < 35)	/* lineno: bits 0-17 at 32 */
			v &= k == 34 ? 0xfc : 0;
		diff_buf_add(&b, "%02x", v);
	}
	if (diff_relas(s->e, sec, sym->st_value, sym->st_value + sym->st_size, &r, &n) == 0)
		for (size_t k = 0; k < n; k++) {
			diff_buf_add(&b, "|%lu:%u:", (unsigned long)(r[k].r_offset - sym->st_value),
				     (unsigned int)GELF_R_TYPE(r[k].r_info));
			content_target(s, &r[k], &b);
		}
	else
		b.oom = true;
	free(r);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s ? b.s : strdup("");
}

/*
 * The argument register a "mov $imm32, %reg32" at @op (B8+r) sets, 1 = %edi;
 * with @rex, as if preceded by REX.B (0x41: %r8d-%r15d). Without decoding
 * the code before @op it is not known whether a 0x41 there is a prefix or
 * the end of the previous instruction, so the caller tries both.
 */
static int mov_imm_arg(const unsigned char *code, long op, bool rex)
{
	static const int arg_of_reg[16] = {
		[7] = 1, [6] = 2, [2] = 3, [1] = 4, [8] = 5, [9] = 6,
	};

	if (op < 0 || code[op] < 0xb8 || code[op] > 0xbf)
		return 0;
	if (rex && (op < 1 || code[op - 1] != 0x41))
		return 0;
	return arg_of_reg[code[op] - 0xb8 + (rex ? 8 : 0)];
}

/* The callee of the first call/jump relocated after @after in @r[], normalised. */
static const char *next_callee(struct diff_side *s, const struct hs_elf_sec *sec,
			       GElf_Addr base, const GElf_Rela *r, size_t n, long after)
{
	for (size_t i = 0; i < n; i++) {
		const struct hs_elf_sym *t = &s->e->syms[GELF_R_SYM(r[i].r_info)];
		long off = (long)(r[i].r_offset - base);
		unsigned int type = GELF_R_TYPE(r[i].r_info);
		size_t f;

		if (off <= after || (type != R_X86_64_PLT32 && type != R_X86_64_PC32))
			continue;
		if (GELF_ST_TYPE(t->sym.st_info) != STT_SECTION)
			return s->si[t->idx].kind != DK_NONE ? s->si[t->idx].key : t->name;
		f = diff_sym_for(s, t->sym.st_shndx, (long)t->sym.st_value + r[i].r_addend, true);
		return f ? s->si[f].key : "";
	}
	(void)sec;
	return "";
}

/*
 * A __LINE__-only difference. Moving code down by some lines changes the
 * line numbers that WARN/BUG and might_sleep()-style checks carry, though
 * the code does the same. Those numbers live in two places:
 *  - the line field of a __bug_table entry: masked where entries are
 *    compared (diff_special.c);
 *  - an immediate argument of a call to a function that takes a line number
 *    (line_consumers[] above). For
 *        might_sleep();   // kernel/foo.c:120, after the patch :123
 *    gcc emits "mov $.LC0,%edi; mov $120,%esi; call __might_sleep" and after
 *    the patch the same bytes but "be 7b 00 00 00" for "be 78 00 00 00".
 * A run of differing bytes is accepted as a line move when it lies inside
 * the 4-byte immediate of "mov $imm32, %reg32" (opcode B8+r), the register is
 * the line argument of the next function called (no call can come between:
 * argument registers do not survive calls), and both values look like line
 * numbers (1 to 999999). Anything else is a code change. A consumer not in
 * the table makes the function "changed": patched needlessly, never wrong.
 */
static bool is_line_move(const struct hs_kfacts *facts, struct diff_side *post,
			 const struct hs_elf_sec *sec, GElf_Addr base, const unsigned char *a,
			 const unsigned char *b, long len, long start, long end, const GElf_Rela *r,
			 size_t n)
{
	for (long f = start - 3; f <= start; f++) {
		unsigned int va, vb;
		long from;
		int arg;

		if (f < 1 || end > f + 4 || f + 4 > len)
			continue;
		from = f >= 2 ? f - 2 : f - 1;
		if (memcmp(a + from, b + from, (size_t)(f - from)))
			continue;	/* the opcode (and prefix) must be the same */
		va = (unsigned int)hs_le(a + f, 4);
		vb = (unsigned int)hs_le(b + f, 4);
		if (va < 1 || vb < 1 || va > 999999 || vb > 999999)
			continue;
		arg = hs_kfacts_line_arg(facts, next_callee(post, sec, base, r, n, f + 3));
		if (arg && (mov_imm_arg(b, f - 1, false) == arg || mov_imm_arg(b, f - 1, true) == arg))
			return true;
	}
	return false;
}

struct range_cmp {
	const unsigned char *a, *b;	/* pre and post bytes, NULL: zeros */
	GElf_Rela *ra, *rb;
	size_t na, nb;
	const struct hs_elf_sec *sa, *sb;
	GElf_Addr va, vb;		/* symbol values: start of the range */
	long len;
	char where[200];		/* the first difference found, for a refusal */
};

static int relas_equal(struct hs_diff_priv *p, struct range_cmp *c, bool *eq)
{
	struct diff_buf x = { 0 }, y = { 0 };
	int err = 0;

	*eq = c->na == c->nb;
	if (!*eq)
		snprintf(c->where, sizeof(c->where), "%zu relocations, were %zu", c->nb, c->na);
	for (size_t i = 0; *eq && i < c->na; i++) {
		unsigned long at = c->ra[i].r_offset - c->va;

		x.len = y.len = 0;
		if (at != c->rb[i].r_offset - c->vb ||
		    GELF_R_TYPE(c->ra[i].r_info) != GELF_R_TYPE(c->rb[i].r_info)) {
			snprintf(c->where, sizeof(c->where), "relocation %zu moved or changed type", i);
			*eq = false;
			break;
		}
		diff_target_id(&p->pre, c->sa, &c->ra[i], &x);
		diff_target_id(&p->post, c->sb, &c->rb[i], &y);
		if (x.oom || y.oom) {
			err = -ENOMEM;
			break;
		}
		*eq = x.len == y.len && !memcmp(x.s, y.s, x.len);
		if (!*eq)
			snprintf(c->where, sizeof(c->where), "at +0x%lx: a pointer to '%.*s', was "
				 "'%.*s'", at, (int)y.len, y.s, (int)x.len, x.s);
	}
	free(x.s);
	free(y.s);
	return err;
}

/* Compare bytes; for code, accept differences that only move line numbers. */
/*
 * A dynamic-debug descriptor (struct _ddebug in include/linux/dynamic_debug.h:
 * four pointers, then a word whose low 18 bits are the call site's line) in
 * section __dyndbg: a pr_debug() that only moved to another line changes that
 * field and nothing else, which is not a change of the data. Bytes [@i, @end)
 * of the range differ.
 */
static bool is_ddebug_line_move(const struct range_cmp *c, long i, long end)
{
	const long word = 4 * (long)sizeof(uint64_t);
	uint32_t wa, wb;

	if (strcmp(c->sb->name, "__dyndbg") || !c->a || !c->b || c->len < word + 4 ||
	    i < word || end > word + 4)
		return false;
	memcpy(&wa, c->a + word, 4);
	memcpy(&wb, c->b + word, 4);
	return !((wa ^ wb) & ~0x3ffffu);
}

static bool bytes_equal(struct hs_diff_priv *p, struct range_cmp *c, bool code)
{
	static const unsigned char zero[1];

	if (!c->a || !c->b) {
		for (long i = 0; i < c->len; i++)
			if ((c->a ? c->a[i] : zero[0]) != (c->b ? c->b[i] : zero[0]))
				return false;
		return true;
	}
	for (long i = 0; i < c->len; i++) {
		long end = i;

		if (c->a[i] == c->b[i])
			continue;
		while (end < c->len && c->a[end] != c->b[end])
			end++;
		if (code ? !is_line_move(p->facts, &p->post, c->sb, c->vb, c->a, c->b, c->len, i, end,
					 c->rb, c->nb) : !is_ddebug_line_move(c, i, end)) {
			snprintf(c->where, sizeof(c->where), "%ld byte(s) differ at +0x%lx", end - i, i);
			return false;
		}
		hs_debug(p->ctx, "'%s': section '%s': offset %ld: only a line number moved",
			 p->objname, c->sb->name, i);
		i = end;
	}
	return true;
}

/* Compare pre symbol @pre with post symbol @post: size, bytes, relocations. */
static int range_equal(struct hs_diff_priv *p, size_t pre, size_t post, bool code, bool *eq,
		       bool *size_differs, char *where, size_t wlen)
{
	const GElf_Sym *sa = &p->pre.e->syms[pre].sym, *sb = &p->post.e->syms[post].sym;
	struct range_cmp c = { 0 };
	int err;

	*size_differs = sa->st_size != sb->st_size;
	*eq = false;
	if (*size_differs)
		return 0;
	c.a = sym_bytes(p->pre.e, pre, &c.sa);
	c.b = sym_bytes(p->post.e, post, &c.sb);
	c.va = sa->st_value;
	c.vb = sb->st_value;
	c.len = (long)sa->st_size;
	err = diff_relas(p->pre.e, c.sa, c.va, c.va + sa->st_size, &c.ra, &c.na);
	err = err ?: diff_relas(p->post.e, c.sb, c.vb, c.vb + sb->st_size, &c.rb, &c.nb);
	err = err ?: relas_equal(p, &c, eq);
	if (!err && *eq)
		*eq = bytes_equal(p, &c, code);
	if (where && wlen)
		snprintf(where, wlen, "%s", c.where);
	free(c.ra);
	free(c.rb);
	return err;
}

/*
 * A function is unchanged when its code, its .cold part and its entries in
 * the special sections (diff_special.c) are all equal.
 */
int diff_func_equal(struct hs_diff_priv *p, size_t pre, size_t post, bool *equal)
{
	const struct diff_symi *a = &p->pre.si[pre], *b = &p->post.si[post];
	bool size_differs;
	int err = range_equal(p, pre, post, true, equal, &size_differs, NULL, 0);

	if (err || !*equal)
		return err;
	if (!a->cold != !b->cold) {
		*equal = false;
		return 0;
	}
	if (a->cold) {
		err = range_equal(p, a->cold, b->cold, true, equal, &size_differs, NULL, 0);
		if (err || !*equal)
			return err;
	}
	*equal = !a->special == !b->special && (!a->special || !strcmp(a->special, b->special));
	return 0;
}

/*
 * Compare two variables. Returns 1 if equal, 0 if not (with @why), or
 * -errno.
 */
int diff_data_equal(struct hs_diff_priv *p, size_t pre, size_t post, char *why, size_t len)
{
	const GElf_Sym *sa = &p->pre.e->syms[pre].sym, *sb = &p->post.e->syms[post].sym;
	bool eq, size_differs;
	char where[200] = "";
	int err = range_equal(p, pre, post, false, &eq, &size_differs, where, sizeof(where));

	if (err)
		return err;
	if (size_differs)
		snprintf(why, len, "size changed from %lu to %lu", (unsigned long)sa->st_size,
			 (unsigned long)sb->st_size);
	else if (!eq)
		snprintf(why, len, "initial value changed%s%s%s", where[0] ? " (" : "", where,
			 where[0] ? ")" : "");
	return eq;
}
