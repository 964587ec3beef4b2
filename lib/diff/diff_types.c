// SPDX-License-Identifier: GPL-2.0
/* diff_types.c - refuse layout changes of struct and union types, read from the objects' DWARF. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache.h"
#include "diff/diff_dwarf.h"
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

#define DT_MAXDEPTH 16		/* typedef/cv/array chains followed before giving up */

/* A struct or union with a key, and its layout as a string. */
struct dt_type {
	const char *name;	/* tag, typedef or variable name */
	bool via_var;		/* anonymous, named by a variable of its type */
	size_t die;
	char *sig;
};

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
	const struct dt_die *d = dt_die_at(s, off);

	for (int i = 0; d && i < DT_MAXDEPTH; i++) {
		if (!is_qualifier(d) && !(typedefs && d->tag == DW_TAG_typedef) &&
		    !(arrays && d->tag == DW_TAG_array_type))
			return d;
		d = dt_die_at(s, d->type);
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
	const struct dt_die *d = dt_die_at(s, off), *t;
	char in[96];

	if (!d || depth > 6) {
		say(buf, len, "void");
		return;
	}
	t = d->tag == DW_TAG_pointer_type ? dt_die_at(s, d->type) : NULL;
	if (d->tag == DW_TAG_typedef && (t = strip(s, d->type, true, false)) &&
	    t->tag == DW_TAG_base_type) {
		/* a typedef of a base type is that type (__kernel_long_t is long) */
		say(buf, len, "%x:%s", t->tag, t->name ? t->name : "");
	} else if (t && t->tag == DW_TAG_subroutine_type) {
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
	has_a = err = dt_read_side(&a);
	has_b = err = err < 0 ? err : dt_read_side(&b);
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
	dt_free_side(&a);
	dt_free_side(&b);
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
	int err = dt_read_side(&a);

	for (size_t i = 0; i < n; i++)
		verdict[i] = 0;
	err = err > 0 ? dt_read_side(&b) : err;
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
	dt_free_side(&a);
	dt_free_side(&b);
	return err < 0 ? err : 0;
}
