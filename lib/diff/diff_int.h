/* SPDX-License-Identifier: GPL-2.0 */
/* diff_int.h - state shared by the differ's files (diff*.c), not a public interface. */
#ifndef HS_DIFF_INT_H
#define HS_DIFF_INT_H

#include "diff/diff.h"

enum diff_kind {
	DK_NONE,	/* not classified: section, file, label, merged constant */
	DK_FUNC,
	DK_DATA,
};

/* What the differ knows about one symbol of one side. */
struct diff_symi {
	char *key;		/* normalised name, see diff_sym_key() */
	enum diff_kind kind;
	bool init;		/* lives in .init.* or .exit.* */
	bool numbered;		/* gcc added a number: static local or clone */
	bool is_cold;		/* a .cold part: folded into @parent */
	bool ambiguous;		/* static local with several candidates */
	bool local;		/* local data: paired by owner and content, not by name */
	bool site;		/* per-call-site data (__dyndbg descriptor, __func__) */
	size_t match;		/* the same symbol on the other side, 0 if none */
	size_t parent;		/* .cold part: its function, 0 if not found */
	size_t cold;		/* function: its .cold part, 0 if none */
	long entry;		/* index into hs_diff.syms, -1 if none */
	char *group;		/* local data: its kind, from its name or section */
	char *owners;		/* local data: keys of the functions using it, sorted, ','-joined */
	char *content;		/* local data: diff_local_content() */
	char *loose;		/* the same without a descriptor's line number */
	char *special;		/* function: signature of its special-section entries */
};

/* Symbols of one section sorted by value, for "which symbol is at offset X". */
struct diff_secsyms {
	size_t *idx;
	size_t n;
	long *bounds;		/* sorted offsets referenced by relocations, lazily */
	size_t nbounds;
	bool bounds_done;
};

struct diff_side {
	const struct hs_elf *e;
	const struct diff_side *other;	/* the other object */
	bool is_pre;
	struct diff_symi *si;		/* indexed by symbol index */
	struct diff_secsyms *secsyms;	/* indexed by section index */
	char *unowned;			/* signature of special entries owned by no function */
};

struct hs_diff_priv {
	struct diff_side pre, post;
	const struct hs_ctx *ctx;
	const struct hs_kfacts *facts;	/* the target kernel's special sections */
	const char *objname;
};

/* A growing string; @oom is set on allocation failure and later calls do nothing. */
struct diff_buf {
	char *s;
	size_t len, cap;
	bool oom;
};

__attribute__((format(printf, 2, 3)))
void diff_buf_add(struct diff_buf *b, const char *fmt, ...);
void diff_buf_addmem(struct diff_buf *b, const void *p, size_t n);

/* diff_correlate.c */
char *diff_sym_key(const char *name, bool *numbered);
int diff_side_load(const struct hs_ctx *ctx, const struct hs_elf *e, struct diff_side *s);
void diff_side_free(struct diff_side *s);
int diff_correlate(struct hs_diff_priv *p);
void diff_pair(struct hs_diff_priv *p, size_t pre, size_t post);
bool diff_sec_is_text(const struct hs_elf_sec *sec);
bool diff_sec_is_merge(const struct hs_elf_sec *sec);
bool diff_sec_is_init(const char *name);

/* diff_locals.c: pair the unmatched local data, strongest evidence first. */
int diff_match_locals(struct hs_diff_priv *p);

/* diff_compare.c */
size_t diff_sym_at(const struct diff_side *s, size_t secidx, long off);
size_t diff_sym_for(const struct diff_side *s, size_t secidx, long place, bool code_pcrel);
int diff_relas(const struct hs_elf *e, const struct hs_elf_sec *sec, GElf_Addr start,
	       GElf_Addr end, GElf_Rela **out, size_t *n);
void diff_target_id(struct diff_side *s, const struct hs_elf_sec *from, const GElf_Rela *r,
		    struct diff_buf *b);
int diff_func_equal(struct hs_diff_priv *p, size_t pre, size_t post, bool *equal);
int diff_data_equal(struct hs_diff_priv *p, size_t pre, size_t post, char *why, size_t len);
bool diff_is_pcrel(unsigned int type);
bool diff_sec_is_ddebug(const struct hs_elf_sec *sec);
char *diff_local_content(const struct diff_side *s, size_t i, bool loose);

/* diff_classify.c */
#define DIFF_NOTRACE_REASON "cannot be redirected: no __fentry__ call at its start (notrace?)"
size_t diff_side_target(const struct diff_side *s, const struct hs_elf_sec *from,
			const GElf_Rela *r, enum hs_diff_ref_kind *kind);
size_t diff_ref_target(struct hs_diff_priv *p, const struct hs_elf_sec *from, const GElf_Rela *r,
		       enum hs_diff_ref_kind *kind);
void diff_refuse(struct hs_diff *d, int i, const char *why);
int diff_refs_of(struct hs_diff_priv *p, struct hs_diff *d, size_t ent, size_t f);
bool diff_has_fentry(const struct hs_elf *e, size_t i);

/* diff_callers.c */
int diff_notrace_callers(struct hs_diff_priv *p, struct hs_diff *d);
int diff_code_refs(const struct diff_side *s, size_t j, size_t f);

/* diff_tables.c */
int diff_readonly_tables(struct hs_diff_priv *p, struct hs_diff *d);

/* diff_special.c */
int diff_special_collect(struct hs_diff_priv *p, struct diff_side *s);
int diff_other_sections(struct hs_diff_priv *p, struct hs_diff *d);

/* diff_classify.c */
int diff_classify(struct hs_diff_priv *p, struct hs_diff *d);
int diff_add_entry(struct hs_diff *d, const char *name, enum hs_diff_class cls);

/*
 * diff_types.c: when anything in @d changed, compare the struct/union layouts
 * described by the DWARF of pre and post; add a refused changed-type entry
 * per type whose layout changed. Returns 0 or -errno / -HS_EFORMAT.
 */
int diff_types(struct hs_diff_priv *p, struct hs_diff *d);

#endif
