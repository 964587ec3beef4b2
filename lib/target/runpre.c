// SPDX-License-Identifier: GPL-2.0
/* runpre.c - run-pre matching of pre object code against the running kernel. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/runpre.h"

/*
 * How the kernel rewrites its own code after it was compiled, and what we
 * accept there, is the target kernel's (lib/elf/kfacts.c). A site is found
 * through the pre object's special sections, whose relocations point into
 * the function (site = symbol + addend), or, where objtool has not listed
 * them in the object (6.12 runs it on vmlinux.o only), through the
 * relocations of the code itself: a jmp to __x86_return_thunk, a call or
 * jmp to a retpoline thunk or a static call trampoline, an ENDBR64 opening
 * the function.
 */
#define SITE_ANY	HS_SITE_ANY
#define SITE_FENTRY	HS_SITE_FENTRY
#define SITE_JUMP	HS_SITE_JUMP
#define SITE_RET	HS_SITE_RET
#define SITE_INDIRECT	HS_SITE_INDIRECT
#define SITE_LOCK	HS_SITE_LOCK
#define SITE_ENDBR	HS_SITE_ENDBR

struct site {
	size_t off, len;
	enum hs_site_kind kind;
};

/* One function of the pre object, with what is needed to compare it. */
struct prefn {
	const struct hs_elf *e;
	const struct hs_elf_sec *sec;
	const char *name;
	const char *mod;
	uint64_t start, size;		/* within sec */
	const unsigned char *code;
	struct site *sites;
	size_t nsites;
	unsigned char *cls;		/* per byte: 0 compare, 1 done */
};

/* Length of the call/jmp/jcc instruction at @p (a rel32 branch), else @dflt. */
static size_t branch_len(const unsigned char *p, size_t avail, size_t dflt)
{
	if (avail >= 5 && (p[0] == 0xe8 || p[0] == 0xe9))
		return 5;
	if (avail >= 6 && p[0] == 0x0f && (p[1] & 0xf0) == 0x80)
		return 6;
	if (avail >= 2 && (p[0] == 0xeb || hs_kfacts_is_site_nop(p, 2)))
		return 2;
	return dflt;
}

static int add_site(struct prefn *f, size_t off, size_t len, enum hs_site_kind kind)
{
	struct site *s;

	if (off >= f->size)
		return 0;
	if (len > f->size - off)
		len = f->size - off;
	s = realloc(f->sites, (f->nsites + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	f->sites = s;
	s[f->nsites++] = (struct site){ off, len, kind };
	return 0;
}

/* Collect the sites of one special section that fall into @f. */
static int collect_table(struct prefn *f, const struct hs_special *t)
{
	const struct hs_elf_sec *sec = hs_elf_sec_by_name(f->e, t->name);
	size_t n;
	int err = 0;

	if (!sec || !sec->data)
		return 0;
	n = hs_elf_nrelas(f->e, sec);
	for (size_t i = 0; i < n && !err; i++) {
		const struct hs_elf_sym *sym;
		uint64_t target, entry;
		size_t len;
		GElf_Rela r;

		if (hs_elf_rela(f->e, sec, i, &r) || r.r_offset % t->entsize)
			continue;	/* not the entry's site field */
		sym = &f->e->syms[GELF_R_SYM(r.r_info)];
		if (sym->sym.st_shndx != f->sec->idx)
			continue;
		target = sym->sym.st_value + (uint64_t)r.r_addend;
		if (target < f->start || target >= f->start + f->size)
			continue;
		target -= f->start;
		entry = r.r_offset;
		if (t->len_off >= 0 && entry + (uint64_t)t->len_off < sec->data->d_size)
			len = ((const unsigned char *)sec->data->d_buf)[entry + t->len_off];
		else if (t->site == SITE_LOCK)
			len = 1;
		else if (t->site == SITE_ENDBR)
			len = 4;
		else
			len = branch_len(f->code + target, f->size - target, 5);
		err = add_site(f, target, len, t->site);
	}
	return err;
}

/* The kind of site a branch at @off of @f to the symbol @name is, or HS_SITE_NONE. */
static enum hs_site_kind branch_site(const struct prefn *f, size_t off, const char *name,
				     size_t *len)
{
	const unsigned char *p = f->code + off;

	*len = branch_len(p, f->size - off, 0);
	if (!*len || *len == 2)
		return HS_SITE_NONE;
	if (!strcmp(name, "__fentry__") && p[0] == 0xe8 &&
	    off == hs_kfacts_fentry_off(f->code, f->size))
		return SITE_FENTRY;	/* also without an __mcount_loc entry */
	if (!strcmp(name, "__x86_return_thunk"))
		return p[0] == 0xe9 ? SITE_RET : SITE_INDIRECT;	/* jcc: rewritten whole */
	if (!strncmp(name, "__x86_indirect_thunk_", 21) ||
	    !strncmp(name, "__x86_indirect_jump_thunk_", 26) || !strncmp(name, "__SCT__", 7))
		return SITE_INDIRECT;
	return HS_SITE_NONE;
}

/* Sites known from the code's own relocations (objects objtool has not seen). */
static int collect_branches(struct prefn *f)
{
	size_t n = hs_elf_nrelas(f->e, f->sec);
	int err = 0;

	if (f->size >= 4 && hs_kfacts_is_endbr(f->code, false))
		err = add_site(f, 0, 4, SITE_ENDBR);
	for (size_t i = 0; i < n && !err; i++) {
		enum hs_site_kind kind;
		size_t off, len;
		GElf_Rela r;

		if (hs_elf_rela(f->e, f->sec, i, &r) || r.r_offset <= f->start ||
		    r.r_offset >= f->start + f->size)
			continue;
		/* the field follows the opcode: e8/e9 (1 byte) or 0f 8x (2 bytes) */
		off = r.r_offset - f->start - 1;
		if (off && f->code[off - 1] == 0x0f && (f->code[off] & 0xf0) == 0x80)
			off--;
		kind = branch_site(f, off, f->e->syms[GELF_R_SYM(r.r_info)].name, &len);
		if (kind != HS_SITE_NONE && off + len == r.r_offset - f->start + 4)
			err = add_site(f, off, len, kind);
	}
	return err;
}

static int collect_sites(struct prefn *f, const struct hs_kfacts *facts)
{
	int err = 0;

	for (size_t i = 0; i < facts->nspecials && !err; i++)
		if (facts->specials[i].site != HS_SITE_NONE)
			err = collect_table(f, &facts->specials[i]);
	return err ?: collect_branches(f);
}

/* Does the running code @run accept site @s of the pre code @pre? */
static int site_ok(const struct site *s, const unsigned char *pre, const unsigned char *run)
{
	switch (s->kind) {
	case SITE_ANY:
	case SITE_INDIRECT:
		return 1;
	case SITE_FENTRY:
		return s->len == 5 && (run[0] == 0xe8 || hs_kfacts_is_site_nop(run, 5));
	case SITE_JUMP:
		if (s->len == 2)
			return run[0] == 0xeb || hs_kfacts_is_site_nop(run, 2);
		return s->len == 5 && (run[0] == 0xe9 || hs_kfacts_is_site_nop(run, 5));
	case SITE_RET:
		if (run[0] == pre[0])
			return 1;
		if (run[0] != 0xc3)
			return 0;
		for (size_t i = 1; i < s->len; i++)
			if (run[i] != 0xcc)
				return 0;
		return 1;
	case SITE_LOCK:
		return run[0] == 0xf0 || run[0] == 0x3e;
	case SITE_ENDBR:
		return s->len == 4 && hs_kfacts_is_endbr(run, true);
	case HS_SITE_NONE:
		break;
	}
	return 0;
}

static const char *site_name(enum hs_site_kind k)
{
	static const char *const names[] = {
		[HS_SITE_NONE] = "table", [SITE_ENDBR] = "ENDBR", [SITE_ANY] = "alternative", [SITE_FENTRY] = "ftrace call",
		[SITE_JUMP] = "static key jump", [SITE_RET] = "return thunk",
		[SITE_INDIRECT] = "indirect call", [SITE_LOCK] = "lock prefix",
	};
	return names[k];
}

static size_t reloc_len(uint32_t type)
{
	switch (type) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
		return 4;
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	}
	return 0;
}

/* The symbol value S the running bytes encode for relocation @r at address @p. */
static uint64_t reloc_symval(uint32_t type, const unsigned char *field, uint64_t p,
			     int64_t addend)
{
	int32_t v32;
	uint64_t v64;

	switch (type) {
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		memcpy(&v32, field, 4);
		return (uint64_t)(int64_t)v32 - (uint64_t)addend + p;	/* mod 2^64 */
	case R_X86_64_32:
		memcpy(&v32, field, 4);
		return (uint64_t)(uint32_t)v32 - (uint64_t)addend;
	case R_X86_64_32S:
		memcpy(&v32, field, 4);
		return (uint64_t)(int64_t)v32 - (uint64_t)addend;
	case R_X86_64_PC64:
		memcpy(&v64, field, 8);
		return v64 - (uint64_t)addend + p;
	default:
		memcpy(&v64, field, 8);
		return v64 - (uint64_t)addend;
	}
}

/*
 * The named symbol a relocation refers to: itself, or for a section symbol
 * (gas refers to local functions and variables through their section) the
 * one function or object at offset 0 of that section, or the function after
 * its @padding bytes of padding (6.12: CALL_PADDING). NULL if none.
 */
static const struct hs_elf_sym *reloc_named_sym(const struct hs_elf *e, size_t symidx,
						unsigned int padding)
{
	const struct hs_elf_sym *s = &e->syms[symidx];

	if (GELF_ST_TYPE(s->sym.st_info) != STT_SECTION)
		return s->name[0] ? s : NULL;
	for (size_t i = 1; i < e->nsyms; i++) {
		const struct hs_elf_sym *c = &e->syms[i];
		int t = GELF_ST_TYPE(c->sym.st_info);

		if (c->sym.st_shndx == s->sym.st_shndx && c->name[0] &&
		    ((c->sym.st_value == 0 && (t == STT_FUNC || t == STT_OBJECT)) ||
		     (padding && c->sym.st_value == padding && t == STT_FUNC)))
			return c;
	}
	return NULL;
}

struct resolved {
	struct hs_runpre_sym *v;
	size_t n;
};

static bool same_opt(const char *a, const char *b)
{
	return !!a == !!b && (!a || !strcmp(a, b));
}

/* @s is symbol @name of @mod as @obj's code refers to it (@obj NULL: a global). */
static bool same_sym(const struct hs_runpre_sym *s, const char *name, const char *mod,
		     const char *obj)
{
	return !strcmp(s->name, name) && same_opt(s->mod, mod) && same_opt(s->obj, obj);
}

static void sym_free(struct hs_runpre_sym *s)
{
	free(s->name);
	free(s->mod);
	free(s->obj);
}

static int resolved_add(struct resolved *r, const char *name, const char *mod, const char *obj,
			uint64_t addr, unsigned long sympos)
{
	struct hs_runpre_sym *v;

	for (size_t i = 0; i < r->n; i++)
		if (same_sym(&r->v[i], name, mod, obj))
			return r->v[i].addr == addr ? 0 : -HS_EMISMATCH;
	v = realloc(r->v, (r->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->v = v;
	v += r->n;
	v->name = strdup(name);
	v->mod = mod ? strdup(mod) : NULL;
	v->obj = obj ? strdup(obj) : NULL;
	v->addr = addr;
	v->sympos = sympos;
	if (!v->name || (mod && !v->mod) || (obj && !v->obj)) {
		sym_free(v);
		return -ENOMEM;
	}
	r->n++;
	return 0;
}

static void resolved_free(struct resolved *r)
{
	for (size_t i = 0; i < r->n; i++)
		sym_free(&r->v[i]);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/*
 * Check that relocation @r of @f, whose field the running code at @runaddr
 * encodes as @field, points at a running symbol of the expected name; record
 * which one (its sympos) in @res.
 */
static int check_reloc(const struct prefn *f, const struct hs_runpre_env *env,
		       const GElf_Rela *r, const unsigned char *field, uint64_t runaddr,
		       struct resolved *res, char *why, size_t whylen)
{
	const struct hs_elf_sym *named = reloc_named_sym(f->e, GELF_R_SYM(r->r_info),
							 env->facts->padding);
	uint64_t off = r->r_offset - f->start;
	uint64_t s = reloc_symval(GELF_R_TYPE(r->r_info), field, runaddr + off, r->r_addend);
	const char *mod = f->mod;
	const struct hs_ksym *at;
	const size_t *idx;
	size_t n;

	if (!named)
		return 0;	/* e.g. merged strings: nothing to name */
	if (named != &f->e->syms[GELF_R_SYM(r->r_info)])
		s += named->sym.st_value;	/* the section's address: the symbol is further in */
	n = hs_kallsyms_find(env->ks, mod, named->name, &idx);
	if (!n && mod) {
		mod = NULL;
		n = hs_kallsyms_find(env->ks, NULL, named->name, &idx);
	}
	if (!n)
		return 0;	/* not in kallsyms: cannot be checked, nothing to resolve */
	for (size_t k = 0; k < n; k++) {
		uint64_t want = env->ks->syms[idx[k]].addr;
		int err;

		/*
		 * call-depth tracking (CALL_THUNKS, retbleed=stuff) makes a direct
		 * call enter the accounting thunk the kernel wrote into the
		 * callee's padding: a call up to @padding bytes early is the same
		 */
		if (want != s && !(off && field[-1] == 0xe8 && env->facts->padding &&
				   s < want && want - s <= env->facts->padding))
			continue;
		err = resolved_add(res, named->name, mod,
				   GELF_ST_BIND(named->sym.st_info) == STB_LOCAL ? f->e->path : NULL,
				   want, n > 1 ? k + 1 : 0);
		if (err == -HS_EMISMATCH)
			snprintf(why, whylen, "+0x%" PRIx64 ": '%s' resolves to two different places",
				 off, named->name);
		return err;
	}
	at = hs_kallsyms_at(env->ks, s);
	snprintf(why, whylen, "+0x%" PRIx64 ": refers to 0x%" PRIx64 " (%s+0x%" PRIx64 "), not to '%s'",
		 off, s, at ? at->name : "?", at ? s - at->addr : 0, named->name);
	return -HS_EMISMATCH;
}

static int check_sites(struct prefn *f, const unsigned char *run, char *why, size_t whylen)
{
	for (size_t i = 0; i < f->nsites; i++)
		if (f->sites[i].kind == SITE_ANY)
			memset(f->cls + f->sites[i].off, 1, f->sites[i].len);
	for (size_t i = 0; i < f->nsites; i++) {
		const struct site *s = &f->sites[i];

		if (s->kind == SITE_ANY || memchr(f->cls + s->off, 1, s->len))
			continue;
		if (!site_ok(s, f->code + s->off, run + s->off)) {
			snprintf(why, whylen, "+0x%zx: %s site differs (found %02x %02x)", s->off,
				 site_name(s->kind), run[s->off], s->len > 1 ? run[s->off + 1] : 0);
			return -HS_EMISMATCH;
		}
		memset(f->cls + s->off, 1, s->len);
	}
	return 0;
}

static int check_relocs(struct prefn *f, const struct hs_runpre_env *env,
			const unsigned char *run, uint64_t runaddr, struct resolved *res,
			char *why, size_t whylen)
{
	size_t n = hs_elf_nrelas(f->e, f->sec);
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		uint64_t off;
		size_t len;
		GElf_Rela r;

		if (hs_elf_rela(f->e, f->sec, i, &r) || r.r_offset < f->start ||
		    r.r_offset >= f->start + f->size)
			continue;
		off = r.r_offset - f->start;
		len = reloc_len(GELF_R_TYPE(r.r_info));
		if (!len || off + len > f->size) {
			snprintf(why, whylen, "+0x%" PRIx64 ": unsupported relocation type %u",
				 off, (unsigned)GELF_R_TYPE(r.r_info));
			return -HS_EMISMATCH;
		}
		if (memchr(f->cls + off, 1, len))
			continue;	/* inside a site the kernel rewrites */
		err = check_reloc(f, env, &r, run + off, runaddr, res, why, whylen);
		memset(f->cls + off, 1, len);
	}
	return err;
}

/* Compare @f with the running copy at @addr. 0 on a match, else -HS_EMISMATCH and @why. */
static int compare_copy(struct prefn *f, const struct hs_runpre_env *env, uint64_t addr,
			struct resolved *res, char *why, size_t whylen)
{
	unsigned char *run = malloc(f->size ? f->size : 1);
	int err;

	if (!run)
		return -ENOMEM;
	memset(f->cls, 0, f->size);
	err = env->read(env->read_arg, addr, run, f->size);
	if (err) {
		snprintf(why, whylen, "cannot read kernel memory at 0x%" PRIx64 ": %s", addr,
			 strerror(-err));
		free(run);
		return -HS_EMISMATCH;
	}
	err = check_sites(f, run, why, whylen);
	err = err ?: check_relocs(f, env, run, addr, res, why, whylen);
	for (size_t i = 0; !err && i < f->size; i++)
		if (!f->cls[i] && f->code[i] != run[i]) {
			snprintf(why, whylen, "+0x%zx: expected %02x, found %02x", i, f->code[i], run[i]);
			err = -HS_EMISMATCH;
		}
	free(run);
	return err;
}

static int find_prefn(const struct hs_ctx *ctx, const struct hs_kfacts *facts,
		      const struct hs_elf *e, const char *name, struct prefn *f)
{
	for (size_t i = 1; i < e->nsyms; i++) {
		const struct hs_elf_sym *s = &e->syms[i];
		int err;

		if (!hs_elf_sym_is_func(s) || strcmp(s->name, name))
			continue;
		err = hs_elf_func_bytes(ctx, e, s, &f->sec, &f->code);
		if (err)
			return err;
		f->e = e;
		f->name = s->name;
		f->start = s->sym.st_value;
		f->size = s->sym.st_size;
		f->cls = malloc(f->size);
		return f->cls ? collect_sites(f, facts) : -ENOMEM;
	}
	hs_err(ctx, "'%s': function '%s' not found in the pre object", e->path, name);
	return -HS_EFORMAT;
}

static struct hs_runpre_func *new_verdict(struct hs_runpre *out, const char *mod,
					  const char *name)
{
	struct hs_runpre_func *v = realloc(out->funcs, (out->nfuncs + 1) * sizeof(*v));

	if (!v)
		return NULL;
	out->funcs = v;
	v += out->nfuncs;
	memset(v, 0, sizeof(*v));
	v->name = strdup(name);
	v->mod = mod ? strdup(mod) : NULL;
	if (!v->name || (mod && !v->mod)) {
		free(v->name);
		free(v->mod);
		return NULL;
	}
	out->nfuncs++;
	return v;
}

/*
 * Move the symbols resolved by the matching copy into @out; a symbol another
 * matched function resolved elsewhere is -HS_EMISMATCH, named in @v's reason.
 */
static int keep_resolved(struct hs_runpre *out, struct resolved *res, struct hs_runpre_func *v)
{
	for (size_t i = 0; i < res->n; i++) {
		const struct hs_runpre_sym *r = &res->v[i];
		struct hs_runpre_sym *syms;
		size_t k = 0;

		while (k < out->nsyms && !same_sym(&out->syms[k], r->name, r->mod, r->obj))
			k++;
		if (k < out->nsyms) {
			if (out->syms[k].addr == r->addr)
				continue;
			snprintf(v->why, sizeof(v->why),
				 "it refers to '%s' at 0x%" PRIx64 ", another function of the update to 0x%" PRIx64,
				 r->name, r->addr, out->syms[k].addr);
			return -HS_EMISMATCH;
		}
		syms = realloc(out->syms, (out->nsyms + 1) * sizeof(*syms));
		if (!syms)
			return -ENOMEM;
		out->syms = syms;
		syms[out->nsyms++] = res->v[i];
		res->v[i].name = res->v[i].mod = res->v[i].obj = NULL;
	}
	return 0;
}

/* Append " at 0x...: reason" for one non-matching copy to the verdict. */
static void add_why(struct hs_runpre_func *v, uint64_t addr, const char *why)
{
	size_t used = strlen(v->why);

	snprintf(v->why + used, sizeof(v->why) - used, "%s0x%" PRIx64 ": %s",
		 used ? "; " : "", addr, why);
}

static int match_copies(struct prefn *f, const struct hs_runpre_env *env,
			struct hs_runpre_func *v, struct hs_runpre *out)
{
	struct resolved res = { 0 }, keep = { 0 };
	const size_t *idx;
	size_t n, matches = 0;
	int err = 0;

	n = hs_kallsyms_find(env->ks, f->mod, f->name, &idx);
	for (size_t k = 0; k < n && err != -ENOMEM; k++) {
		const struct hs_ksym *ks = &env->ks->syms[idx[k]];
		char why[256] = "";

		if (!strchr("tTwW", ks->type))
			continue;
		err = compare_copy(f, env, ks->addr, &res, why, sizeof(why));
		if (err) {
			add_why(v, ks->addr, why);
			resolved_free(&res);
			continue;
		}
		if (!matches++ || (env->sympos && k + 1 == env->sympos)) {
			resolved_free(&keep);
			v->addr = ks->addr;
			v->sympos = n > 1 ? k + 1 : 0;
			keep = res;
			res = (struct resolved){ 0 };
		}
		resolved_free(&res);
	}
	if (err == -ENOMEM) {
		resolved_free(&keep);
		return err;
	}
	if (!n)
		snprintf(v->why, sizeof(v->why), "not in /proc/kallsyms of %s", f->mod ?: "vmlinux");
	else if (matches > 1 && !(env->sympos && v->sympos == env->sympos))
		snprintf(v->why, sizeof(v->why), "%zu running copies match; cannot tell which one the update is for",
			 matches);
	v->matched = matches == 1 || (matches > 1 && env->sympos && v->sympos == env->sympos);
	v->nmatch = matches;
	err = v->matched ? keep_resolved(out, &keep, v) : -HS_EMISMATCH;
	resolved_free(&keep);
	if (err == -HS_EMISMATCH)
		v->matched = 0;
	return err;
}

/*
 * Run-pre matching of one function, in the manner of Ksplice: the pre object's
 * bytes must equal the running bytes everywhere except
 *  - relocation fields, whose running values are decoded into the address of the
 *    referenced symbol; that address must be one of the symbol's running copies
 *    (which tells its sympos, e.g. which of three static 'show_stat' a call goes to);
 *  - sites the kernel rewrites at boot or at run time, found in the pre object's
 *    special sections (.altinstructions, __jump_table, .return_sites, ...), where
 *    each rewrite the kernel may have made is accepted (see site_ok()).
 * Example: pre "e8 00 00 00 00" with a __fentry__ relocation matches a running
 * "0f 1f 44 00 00"; pre "e8 00 00 00 00" calling .text.helper-4 matches a running
 * "e8 3c 12 00 00" only if that call lands on a running 'helper'.
 */
int hs_runpre_match_func(const struct hs_ctx *ctx, const struct hs_runpre_env *env,
			 const struct hs_elf *pre, const char *mod, const char *name,
			 struct hs_runpre *out)
{
	struct hs_runpre_func *v;
	struct prefn f = { .mod = mod };
	int err;

	err = find_prefn(ctx, env->facts, pre, name, &f);
	if (err)
		goto out_free;
	v = new_verdict(out, mod, name);
	if (!v) {
		err = -ENOMEM;
		goto out_free;
	}
	err = match_copies(&f, env, v, out);
	if (err == -HS_EMISMATCH)
		hs_debug(ctx, "'%s': function '%s': no match: %s", pre->path, name, v->why);
out_free:
	free(f.sites);
	free(f.cls);
	return err;
}

int hs_runpre_not_loaded(struct hs_runpre *out, const char *mod, const char *name)
{
	struct hs_runpre_func *v = new_verdict(out, mod, name);

	if (!v)
		return -ENOMEM;
	v->not_loaded = 1;
	snprintf(v->why, sizeof(v->why), "module %s is not loaded", mod);
	return 0;
}

const struct hs_runpre_sym *hs_runpre_sym(const struct hs_runpre *rp, const char *mod,
					  const char *name, unsigned long sympos)
{
	const struct hs_runpre_sym *first = NULL;

	for (size_t i = 0; i < rp->nsyms; i++) {
		const struct hs_runpre_sym *s = &rp->syms[i];

		if (strcmp(s->name, name) || !same_opt(s->mod, mod))
			continue;
		if (s->sympos == sympos)
			return s;
		first = first ?: s;
	}
	return first;
}

void hs_runpre_free(struct hs_runpre *rp)
{
	for (size_t i = 0; i < rp->nfuncs; i++) {
		free(rp->funcs[i].name);
		free(rp->funcs[i].mod);
	}
	for (size_t i = 0; i < rp->nsyms; i++)
		sym_free(&rp->syms[i]);
	free(rp->funcs);
	free(rp->syms);
	memset(rp, 0, sizeof(*rp));
}
