// SPDX-License-Identifier: GPL-2.0
/* klp_special.c - keep exactly the special-section entries that point into copied code. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "klp/klp_int.h"

/*
 * Entry sizes, layouts and which tables a module carries are the target
 * kernel's (lib/elf/kfacts.c, x->o->facts). .orc_unwind runs parallel to
 * .orc_unwind_ip; .altinstr_replacement holds the replacement code that
 * .altinstructions entries point to.
 */
/* Sections that reference functions but need no copy in a livepatch module. */
static const char *const ignored_prefixes[] = {
	/* and the export tables (hs_elf_export_section()): the module exports nothing */
	"__param", "__modver", ".modinfo",
	"_ftrace_events", "__tracepoints", "__bpf_raw_tp_map", "__syscalls_metadata",
	".initcall", ".init_array", ".discard", ".debug", ".comment", ".note",
	"__dyndbg", ".orc_unwind", ".altinstr_replacement",
	".altinstr_aux",	/* kept by keep_aux() */
	/* ordinary code and data: references from there are not about this code */
	".text", ".data", ".rodata", ".bss", ".init.", ".exit.", ".ref.", ".meminit",
	".sched.text", ".noinstr.text", ".entry.text", ".cpuidle.text", ".spinlock.text",
	".irqentry.text", ".softirqentry.text", ".kprobes.text", ".head.text",
};

static size_t find_section(const struct hs_klp_x *x, const char *name)
{
	const struct hs_elf_sec *s = hs_elf_sec_by_name(&x->e, name);

	return s ? s->idx : 0;
}

/* Does relocation @r (in a data table) point into copied code? */
static bool points_into_code(const struct hs_klp_x *x, const GElf_Rela *r)
{
	const struct hs_elf_sym *y = &x->e.syms[GELF_R_SYM(r->r_info)];
	size_t sec = y->sym.st_shndx;

	if (sec == SHN_UNDEF || sec >= SHN_LORESERVE || !x->xs[sec].code)
		return false;
	return hs_klp_chunk_at(x, sec, (GElf_Sxword)y->sym.st_value + r->r_addend, true);
}

/* Keep the replacement code of the alt_instr entry at @off of section @sec. */
static int keep_replacement(struct hs_klp_x *x, const struct hs_special *sp, size_t sec,
			    GElf_Addr off)
{
	const struct hs_elf_sec *s = &x->e.secs[sec];
	const unsigned char *entry = (const unsigned char *)s->data->d_buf + off;
	size_t repl = find_section(x, ".altinstr_replacement");

	for (size_t i = 0; i < hs_elf_nrelas(&x->e, s); i++) {
		const struct hs_elf_sym *y;
		GElf_Rela r;
		GElf_Sxword at;

		if (hs_elf_rela(&x->e, s, i, &r))
			return -HS_EFORMAT;
		if (r.r_offset != off + (GElf_Addr)sp->repl_off)
			continue;
		y = &x->e.syms[GELF_R_SYM(r.r_info)];
		at = (GElf_Sxword)y->sym.st_value + r.r_addend;
		if (!repl || y->sym.st_shndx != repl || at < 0 ||
		    (GElf_Addr)at + entry[sp->repllen_off] > x->e.secs[repl].shdr.sh_size) {
			hs_err(x->ctx, "'%s': section '%s': entry at 0x%lx: replacement outside '.altinstr_replacement'",
			       x->e.path, s->name, (unsigned long)off);
			return -HS_EREFUSED;
		}
		x->xs[repl].code = true;
		return hs_klp_add_chunk(x, repl, (GElf_Addr)at, entry[sp->repllen_off], 1);
	}
	hs_err(x->ctx, "'%s': section '%s': entry at 0x%lx has no replacement relocation",
	       x->e.path, s->name, (unsigned long)off);
	return -HS_EFORMAT;
}

static int keep_entry(struct hs_klp_x *x, const struct hs_special *sp, size_t sec,
		      GElf_Addr off)
{
	size_t par;
	int err;

	err = hs_klp_add_chunk(x, sec, off, sp->entsize, 1);
	if (!err && sp->repl_off >= 0)
		err = keep_replacement(x, sp, sec, off);
	if (!err && sp->parallel) {
		par = find_section(x, sp->parallel);
		if (!par || x->e.secs[par].shdr.sh_size / sp->parallel_size !=
			    x->e.secs[sec].shdr.sh_size / sp->entsize) {
			hs_err(x->ctx, "'%s': section '%s' does not match '%s'",
			       x->e.path, sp->parallel, sp->name);
			return -HS_EFORMAT;
		}
		err = hs_klp_add_chunk(x, par, off / sp->entsize * sp->parallel_size,
				       sp->parallel_size, 1);
	}
	return err;
}

/* The name of the function at @off of code section @sec, for messages. */
static const char *func_name_at(const struct hs_klp_x *x, size_t sec, GElf_Sxword off)
{
	for (size_t i = 1; i < x->e.nsyms; i++) {
		const struct hs_elf_sym *s = &x->e.syms[i];

		if (s->sym.st_shndx == sec && hs_elf_sym_is_func(s) &&
		    off >= (GElf_Sxword)s->sym.st_value &&
		    off <= (GElf_Sxword)(s->sym.st_value + s->sym.st_size))
			return s->name;
	}
	return x->e.secs[sec].name;
}

/* The relocation of section @sec at offset @off into @r; false if there is none. */
static bool rela_at(const struct hs_klp_x *x, size_t sec, GElf_Addr off, GElf_Rela *r)
{
	const struct hs_elf_sec *s = &x->e.secs[sec];

	for (size_t i = 0; i < hs_elf_nrelas(&x->e, s); i++)
		if (!hs_elf_rela(&x->e, s, i, r) && r->r_offset == off)
			return true;
	return false;
}

/* Is input symbol @y copied into the livepatch module? */
static bool is_copied(const struct hs_klp_x *x, size_t y)
{
	const struct hs_elf_sym *s = &x->e.syms[y];
	size_t sec = s->sym.st_shndx;

	return sec != SHN_UNDEF && sec < SHN_LORESERVE && sec < x->e.nsecs &&
	       hs_klp_chunk_at(x, sec, (GElf_Sxword)s->sym.st_value, !s->sym.st_size);
}

/*
 * The site bytes of the entry whose site relocation is @site (@len of them,
 * in the copied code), or NULL.
 */
static const unsigned char *site_code(const struct hs_klp_x *x, const GElf_Rela *site,
				      size_t len, size_t *sec, GElf_Sxword *at)
{
	const struct hs_elf_sym *y = &x->e.syms[GELF_R_SYM(site->r_info)];
	const Elf_Data *d;

	*sec = y->sym.st_shndx;
	*at = (GElf_Sxword)y->sym.st_value + site->r_addend;
	if (*sec == SHN_UNDEF || *sec >= SHN_LORESERVE || *sec >= x->e.nsecs)
		return NULL;
	d = x->e.secs[*sec].data;
	if (!d || !d->d_buf || *at < 0 || (GElf_Addr)*at + len > d->d_size)
		return NULL;
	return (const unsigned char *)d->d_buf + *at;
}

/* Does a relocation of section @sec patch a byte of [@at, @at + @len)? */
static bool relocated(const struct hs_klp_x *x, size_t sec, GElf_Sxword at, size_t len)
{
	const struct hs_elf_sec *s = &x->e.secs[sec];

	for (size_t i = 0; i < hs_elf_nrelas(&x->e, s); i++) {
		GElf_Rela r;

		if (hs_elf_rela(&x->e, s, i, &r) ||
		    ((GElf_Sxword)r.r_offset + 4 > at && (GElf_Sxword)r.r_offset < at + (GElf_Sxword)len))
			return true;
	}
	return false;
}

/*
 * The length of the jump-label site at @at of @csec when it is the "jmp"
 * that objtool turns into a NOP (arch_static_branch(): bit 1 of the key's
 * addend, "# objtool NOPs this") to the entry's target, objtool having not
 * run on the object (6.12: a module of several objects); 0 otherwise.
 */
static size_t jump_objtool_nops(const struct hs_klp_x *x, size_t sec, GElf_Addr off,
				const GElf_Rela *key, size_t csec, GElf_Sxword at)
{
	const unsigned char *code;
	GElf_Rela target;
	GElf_Sxword to, tat;
	size_t len, tsec;

	if (!x->o->facts->objtool_late || (key->r_addend & 3) != 2 ||
	    !rela_at(x, sec, off + 4, &target) ||
	    !site_code(x, &target, 0, &tsec, &tat) || tsec != csec)
		return 0;
	code = (const unsigned char *)x->e.secs[csec].data->d_buf + at;
	if (code[0] == 0xeb && (GElf_Addr)at + 2 <= x->e.secs[csec].data->d_size)
		len = 2, to = at + 2 + (signed char)code[1];
	else if (code[0] == 0xe9 && (GElf_Addr)at + 5 <= x->e.secs[csec].data->d_size)
		len = 5, to = at + 5 + (int32_t)(code[1] | code[2] << 8 | code[3] << 16 |
						 (uint32_t)code[4] << 24);
	else
		return 0;
	return to == tat && !relocated(x, csec, at, len) ? len : 0;
}

/*
 * Keep the entry at @off of @sp (1), drop it (0), or an error, for a module
 * patch whose entry's key is a module's symbol (its own, or another module's
 * export): a relocation to it is a livepatch relocation, which the livepatch
 * core applies when it enables the patch or the module loads, but the kernel
 * reads a module's jump-label and static-call tables earlier, when the
 * livepatch module itself loads (jump_label_add_module(),
 * static_call_add_module()). Such an entry is
 *  - a static call site: dropped. The call goes to the key's trampoline (a
 *    code relocation, which the core applies), and static_call_update()
 *    rewrites the trampoline with the sites: the call reaches what it would;
 *  - a tracepoint's jump label whose site is the NOP of a disabled key:
 *    dropped, and said: the tracepoint never fires in the new code while the
 *    update is live (its other sites, in the code not replaced, do);
 *  - any other (a static key whose state is behaviour): kept, which the
 *    extractor refuses, naming it.
 */
static int module_key_entry(struct hs_klp_x *x, const struct hs_special *sp, size_t sec,
			    GElf_Addr off)
{
	const unsigned char *code = NULL;
	GElf_Rela key, site;
	GElf_Sxword at = 0;
	size_t y, csec = 0, len = 0;
	const char *name;
	char via[1024];

	if (!rela_at(x, sec, off + (GElf_Addr)sp->key_off, &key))
		return 1;
	y = GELF_R_SYM(key.r_info);
	if (is_copied(x, y) || hs_klp_by_name(x, y))
		return 1;
	name = x->e.syms[y].name ?: "";
	if (sp->site == HS_SITE_INDIRECT)
		return 0;
	if (sp->site != HS_SITE_JUMP || strncmp(name, "__tracepoint_", 13) ||
	    !rela_at(x, sec, off, &site))
		return 1;
	for (size_t i = 0; i < 2 && !len; i++) {	/* a 5-byte site, or objtool's 2-byte one */
		size_t n = i ? 2 : 5;

		if ((code = site_code(x, &site, n, &csec, &at)) && hs_kfacts_is_site_nop(code, n))
			len = n;
	}
	if (!len && site_code(x, &site, 1, &csec, &at) &&
	    (len = jump_objtool_nops(x, sec, off, &key, csec, at))) {
		/* what objtool does at the link of the module's own objects: the NOP */
		const struct hs_klp_chunk *c = hs_klp_chunk_at(x, csec, at, false);

		if (!c || !x->xs[csec].out)
			return 1;
		memcpy(x->ow.secs[x->xs[csec].out].buf + c->out_off + (GElf_Addr)at - c->in_off,
		       hs_kfacts_site_nop(len), len);
	}
	if (!len)
		return 1;
	hs_warn(x->ctx, "'%s': function '%s': tracepoint '%s' " HS_KLP_TRACEPOINT_OFF ": the kernel reads a module's jump labels before the livepatch core can relocate them to the module's key%s",
		x->e.path, func_name_at(x, csec, at), name + 13, hs_klp_via(x->o, via, sizeof(via)));
	return 0;
}

/* Keep the entries of special section @sp whose first field points into copied code. */
static int trim_special(struct hs_klp_x *x, const struct hs_special *sp)
{
	size_t sec = find_section(x, sp->name);
	bool module = strcmp(x->o->objname, "vmlinux") != 0;
	const struct hs_elf_sec *s;
	int err = 0;

	if (!sec)
		return 0;
	s = &x->e.secs[sec];
	if (s->shdr.sh_size % sp->entsize) {
		hs_err(x->ctx, "'%s': section '%s': size %lu is not a multiple of its entry size %u (Linux %s)",
		       x->e.path, s->name, (unsigned long)s->shdr.sh_size, sp->entsize,
		       x->o->facts->series);
		return -HS_EFORMAT;
	}
	for (size_t i = 0; i < hs_elf_nrelas(&x->e, s) && !err; i++) {
		GElf_Rela r;

		err = hs_elf_rela(&x->e, s, i, &r);
		if (err || r.r_offset % sp->entsize || !points_into_code(x, &r))
			continue;
		if (sp->key_off && module && (err = module_key_entry(x, sp, sec, r.r_offset)) <= 0)
			continue;
		err = keep_entry(x, sp, sec, r.r_offset);
	}
	return err;
}

/*
 * .altinstr_aux holds out-of-line code of static_cpu_has()
 * (arch/x86/include/asm/cpufeature.h): at each call site the function
 * jumps ("jmp 6f", an alternative site) to a piece of the form
 *     6: testb $bit, boot_cpu_data+cap_byte(%rip); jnz t_yes; jmp t_no
 * whose two jumps lead back into the function, until the alternatives are
 * applied (for a module, by module_finalize() at load, before any of its
 * code runs). Pieces carry no symbols: a piece starts where code outside
 * the section jumps into it and ends where the next one starts. A piece is
 * kept when every function it is tied to (jumped in from, jumps back to) is
 * kept, dropped when none is, and refused when it is tied to both.
 */
struct aux_ref {
	GElf_Sxword at;		/* target offset in .altinstr_aux */
	size_t from;		/* section of the jump */
	GElf_Addr off;		/* offset of the relocated field in @from */
};

static int cmp_aux_ref(const void *a, const void *b)
{
	const struct aux_ref *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/* The place relocation @r of section @from points to (rel32 jumps: the end of the field). */
static GElf_Sxword rela_place(const struct hs_klp_x *x, size_t from, const GElf_Rela *r)
{
	const struct hs_elf_sym *y = &x->e.syms[GELF_R_SYM(r->r_info)];
	uint32_t type = (uint32_t)GELF_R_TYPE(r->r_info);
	GElf_Sxword at = (GElf_Sxword)y->sym.st_value + r->r_addend;

	if ((x->e.secs[from].shdr.sh_flags & SHF_EXECINSTR) &&
	    (type == R_X86_64_PC32 || type == R_X86_64_PLT32))
		at += 4;
	return at;
}

/* Every jump from code outside .altinstr_aux (@aux) into it, sorted by target. */
static int aux_refs(const struct hs_klp_x *x, size_t aux, struct aux_ref **refs, size_t *n)
{
	size_t cap = 0;

	*refs = NULL;
	*n = 0;
	for (size_t sec = 1; sec < x->e.nsecs; sec++) {
		const struct hs_elf_sec *s = &x->e.secs[sec];

		if (sec == aux || s->shdr.sh_type == SHT_RELA || !(s->shdr.sh_flags & SHF_EXECINSTR))
			continue;
		for (size_t i = 0; i < hs_elf_nrelas(&x->e, s); i++) {
			GElf_Rela r;

			if (hs_elf_rela(&x->e, s, i, &r))
				return -HS_EFORMAT;
			if (x->e.syms[GELF_R_SYM(r.r_info)].sym.st_shndx != aux)
				continue;
			if (*n == cap) {
				void *m = realloc(*refs, (cap = cap * 2 + 16) * sizeof(**refs));

				if (!m)
					return -ENOMEM;
				*refs = m;
			}
			(*refs)[(*n)++] = (struct aux_ref){ rela_place(x, sec, &r), sec, r.r_offset };
		}
	}
	if (*n)
		qsort(*refs, *n, sizeof(**refs), cmp_aux_ref);
	return 0;
}

/* One function a piece is tied to, kept in the module or not. */
struct aux_tie {
	const char *kept, *dropped;	/* a function of each kind, NULL if none */
};

static void tie(const struct hs_klp_x *x, struct aux_tie *t, size_t sec, GElf_Sxword off,
		bool end_ok)
{
	const char *name = func_name_at(x, sec, off);

	if (hs_klp_chunk_at(x, sec, off, end_ok))
		t->kept = t->kept ?: name;
	else
		t->dropped = t->dropped ?: name;
}

/* The functions the jumps of the piece [@start, @end) of @aux lead back to. */
static int tie_exits(const struct hs_klp_x *x, size_t aux, GElf_Addr start, GElf_Addr end,
		     struct aux_tie *t)
{
	const struct hs_elf_sec *s = &x->e.secs[aux];

	for (size_t i = 0; i < hs_elf_nrelas(&x->e, s); i++) {
		const struct hs_elf_sym *y;
		GElf_Rela r;
		size_t to;

		if (hs_elf_rela(&x->e, s, i, &r))
			return -HS_EFORMAT;
		if (r.r_offset < start || r.r_offset >= end)
			continue;
		y = &x->e.syms[GELF_R_SYM(r.r_info)];
		to = y->sym.st_shndx;
		if (to == SHN_UNDEF || to >= SHN_LORESERVE || to == aux ||
		    !(x->e.secs[to].shdr.sh_flags & SHF_EXECINSTR))
			continue;	/* data (boot_cpu_data) or the kernel's code */
		tie(x, t, to, rela_place(x, aux, &r), true);
	}
	return 0;
}

/* Keep or drop the piece [@start, @end) of @aux, jumped into by @refs[0..@n). */
static int aux_piece(struct hs_klp_x *x, size_t aux, GElf_Addr start, GElf_Addr end,
		     const struct aux_ref *refs, size_t n)
{
	struct aux_tie t = { NULL, NULL };
	int err;

	for (size_t i = 0; i < n; i++)
		tie(x, &t, refs[i].from, (GElf_Sxword)refs[i].off, false);
	err = tie_exits(x, aux, start, end, &t);
	if (err || !t.kept)
		return err;
	if (t.dropped || !n) {
		hs_err(x->ctx, "'%s': section '.altinstr_aux': code at 0x%lx cannot be attributed to one function: it belongs to '%s' (in the module) and %s%s%s",
		       x->e.path, (unsigned long)start, t.kept, t.dropped ? "'" : "",
		       t.dropped ?: "is jumped to by no code", t.dropped ? "' (not in the module)" : "");
		return -HS_EREFUSED;
	}
	x->xs[aux].code = true;
	return hs_klp_add_chunk(x, aux, start, end - start, 1);
}

/* Keep the pieces of .altinstr_aux that belong to the kept functions. */
static int keep_aux(struct hs_klp_x *x)
{
	size_t aux = find_section(x, ".altinstr_aux"), n = 0, i = 0;
	GElf_Addr size, start = 0;
	struct aux_ref *refs;
	int err;

	if (!aux)
		return 0;
	size = x->e.secs[aux].shdr.sh_size;
	err = aux_refs(x, aux, &refs, &n);
	while (!err && start < size) {
		size_t j = i;
		GElf_Addr end;

		while (j < n && refs[j].at == (GElf_Sxword)start)
			j++;
		if (i < n && refs[i].at < (GElf_Sxword)start) {
			hs_err(x->ctx, "'%s': section '.altinstr_aux': jump to 0x%lx outside the section",
			       x->e.path, (unsigned long)refs[i].at);
			err = -HS_EREFUSED;
			break;
		}
		end = j < n && refs[j].at < (GElf_Sxword)size ? (GElf_Addr)refs[j].at : size;
		err = aux_piece(x, aux, start, end, refs + i, j - i);
		i = j;
		start = end;
	}
	if (!err && i < n) {
		hs_err(x->ctx, "'%s': section '.altinstr_aux': jump to 0x%lx outside the section",
		       x->e.path, (unsigned long)refs[i].at);
		err = -HS_EREFUSED;
	}
	free(refs);
	return err;
}

int hs_klp_special(struct hs_klp_x *x)
{
	const struct hs_kfacts *f = x->o->facts;
	int err = 0;

	/*
	 * the tables with replacement code first (.altinstructions: its
	 * replacements may jump into .altinstr_aux), then the aux pieces,
	 * then the tables that may point into either (.orc_unwind_ip)
	 */
	for (size_t i = 0; i < f->nspecials && !err; i++)
		if (f->specials[i].keep && f->specials[i].repl_off >= 0)
			err = trim_special(x, &f->specials[i]);
	err = err ?: keep_aux(x);
	for (size_t i = 0; i < f->nspecials && !err; i++)
		if (f->specials[i].keep && f->specials[i].repl_off < 0)
			err = trim_special(x, &f->specials[i]);
	return err;
}

static bool is_known(const struct hs_klp_x *x, const char *name)
{
	if (hs_kfacts_special(x->o->facts, name) || hs_elf_export_section(name))
		return true;
	for (size_t i = 0; i < sizeof(ignored_prefixes) / sizeof(ignored_prefixes[0]); i++)
		if (!strncmp(name, ignored_prefixes[i], strlen(ignored_prefixes[i])))
			return true;
	return false;
}

int hs_klp_check_unknown(struct hs_klp_x *x)
{
	for (size_t sec = 1; sec < x->e.nsecs; sec++) {
		const struct hs_elf_sec *s = &x->e.secs[sec];

		if (s->shdr.sh_type == SHT_RELA || !(s->shdr.sh_flags & SHF_ALLOC) ||
		    is_known(x, s->name))
			continue;
		for (size_t i = 0; i < hs_elf_nrelas(&x->e, s); i++) {
			GElf_Rela r;

			if (hs_elf_rela(&x->e, s, i, &r))
				return -HS_EFORMAT;
			if (!points_into_code(x, &r))
				continue;
			hs_err(x->ctx, "'%s': section '%s': symbol '%s': special section not supported by the livepatch builder",
			       x->e.path, s->name, x->e.syms[GELF_R_SYM(r.r_info)].name);
			return -HS_EREFUSED;
		}
	}
	return 0;
}
