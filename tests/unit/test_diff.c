// SPDX-License-Identifier: GPL-2.0
/* test_diff.c - lib/diff*.c on pre/post fixture pairs, against golden text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "diff/diff_int.h"

/* Diff fixture diff-@c-pre against diff-@c-@post_side as "diff-@c.o"; the caller frees @d. */
static int diff_sides(const char *c, const char *post_side, struct hs_diff *d)
{
	char pre[4096], post[4096], obj[256], name[128];

	snprintf(name, sizeof(name), "diff-%s-pre", c);
	snprintf(pre, sizeof(pre), "%s", unit_fixture(name));
	snprintf(name, sizeof(name), "diff-%s-%s", c, post_side);
	snprintf(post, sizeof(post), "%s", unit_fixture(name));
	snprintf(obj, sizeof(obj), "diff-%s.o", c);
	return hs_diff_objects(unit_ctx(), hs_kfacts_series("6.1"), strdup(obj), pre, post, d);
}

/* Diff fixtures diff-@c-pre/-post as "diff-@c.o"; the caller frees @d. */
static int run_diff(const char *c, struct hs_diff *d)
{
	return diff_sides(c, "post", d);
}

/* Diff fixture diff-@c-pre against itself: a file the patch leaves alone. */
static int run_same(const char *c, struct hs_diff *d)
{
	return diff_sides(c, "pre", d);
}

/* Diff case @c, expect @want, compare hs_diff_print() with its golden file. */
static void check_golden(const char *c, int want)
{
	char golden[256], *expect, *out = NULL;
	size_t len = 0;
	struct hs_diff d;
	FILE *f;

	assert_int_equal(run_diff(c, &d), want);
	f = open_memstream(&out, &len);
	assert_int_equal(hs_diff_print(&d, f), 0);
	fclose(f);
	snprintf(golden, sizeof(golden), "tests/unit/golden/diff-%s.txt", c);
	expect = unit_slurp(golden);
	if (strcmp(out, expect))
		fprintf(stderr, "# %s: got:\n%s# expected:\n%s", c, out, expect);
	assert_string_equal(out, expect);
	free((char *)d.objname);
	hs_diff_free(&d);
	free(expect);
	free(out);
	unit_messages();
}

static void golden_suffix(void **s) { (void)s; check_golden("suffix", 0); }
static void golden_reloc(void **s) { (void)s; check_golden("reloc", 0); }
static void golden_static(void **s) { (void)s; check_golden("static", 0); }
static void golden_line(void **s) { (void)s; check_golden("line", -HS_ENOCHANGE); }
static void golden_line2(void **s) { (void)s; check_golden("line2", 0); }
static void golden_data(void **s) { (void)s; check_golden("data", -HS_EREFUSED); }
/* a pr_debug site's line moved: not a change; its format changed: a new site, g changed */
static void golden_ddebug(void **s) { (void)s; check_golden("ddebug", 0); }
/* renumbered descriptors and __func__ strings are paired by owner and content */
static void golden_sites(void **s) { (void)s; check_golden("sites", 0); }
/* renumbered static locals are paired by owner; beta()'s changed value is reported */
static void golden_locals(void **s) { (void)s; check_golden("locals", -HS_EREFUSED); }
static void golden_init(void **s) { (void)s; check_golden("init", -HS_EREFUSED); }
/* A changed global notrace function is carried; its callers in other files are create's to find. */
static void golden_notrace(void **s)
{
	struct hs_diff d;

	(void)s;
	check_golden("notrace", 0);
	assert_int_equal(run_diff("notrace", &d), 0);
	for (size_t i = 0; i < d.nsyms; i++)
		if (!strcmp(d.syms[i].name, "fast_path")) {
			assert_true(d.syms[i].via_callers);
			assert_true(d.syms[i].callers_outside);
			assert_false(d.syms[i].refused);
		}
	free((char *)d.objname);
	hs_diff_free(&d);
}

/* Another file's callers of such a function are replaced; one storing its address refuses. */
static void outside_callers_are_replaced(void **s)
{
	struct hs_diff d;
	char why[256] = "";
	size_t changed = 0;

	(void)s;
	assert_int_equal(run_same("outside", &d), -HS_ENOCHANGE);
	assert_int_equal(hs_diff_reach_callers(&d, "step_not_called", why, sizeof(why)), 0);
	assert_int_equal(d.nfuncs, 0);
	assert_int_equal(hs_diff_reach_callers(&d, "fast_path", why, sizeof(why)), 0);
	for (size_t i = 0; i < d.nsyms; i++) {
		const struct hs_diff_sym *y = &d.syms[i];

		if (y->cls != HS_DIFF_CHANGED_FUNC)
			continue;
		changed++;
		assert_true(!strcmp(y->name, "caller_a") || !strcmp(y->name, "caller_b"));
		assert_non_null(strstr(y->reason, "calls 'fast_path'"));
		assert_true(y->nrefs > 0);
	}
	assert_int_equal(changed, 2);
	assert_int_equal(d.nfuncs, 2);
	/* asking again changes nothing */
	assert_int_equal(hs_diff_reach_callers(&d, "fast_path", why, sizeof(why)), 0);
	assert_int_equal(d.nfuncs, 2);
	free((char *)d.objname);
	hs_diff_free(&d);
	assert_int_equal(run_same("outaddr", &d), -HS_ENOCHANGE);
	assert_int_equal(hs_diff_reach_callers(&d, "fast_path", why, sizeof(why)), -HS_EREFUSED);
	assert_non_null(strstr(why, "takes the address of 'fast_path'"));
	free((char *)d.objname);
	hs_diff_free(&d);
}
/* A changed static notrace function is carried and its callers replaced, unless its address is stored. */
static void golden_callers(void **s)
{
	struct hs_diff d;

	(void)s;
	check_golden("callers", -HS_EREFUSED);
	assert_int_equal(run_diff("callers", &d), -HS_EREFUSED);
	for (size_t i = 0; i < d.nsyms; i++) {
		const struct hs_diff_sym *y = &d.syms[i];

		if (!strcmp(y->name, "helper"))
			assert_true(y->via_callers && !y->refused &&
				    strstr(y->reason, "2 replaced caller(s)"));
		if (!strncmp(y->name, "caller_", 7))
			assert_true(!y->via_callers && strstr(y->reason, "calls 'helper'"));
		if (!strcmp(y->name, "callback"))
			assert_true(y->refused && strstr(y->reason, "address is taken"));
	}
	free((char *)d.objname);
	hs_diff_free(&d);
	unit_messages();
}
static void golden_newfunc(void **s) { (void)s; check_golden("newfunc", 0); }
static void golden_nochange(void **s) { (void)s; check_golden("nochange", -HS_ENOCHANGE); }
/* stubs named by __COUNTER__, renumbered: pointers to them are no change */
static void golden_uniqueid(void **s) { (void)s; check_golden("uniqueid", -HS_ENOCHANGE); }

/*
 * Exports added and removed (6.1's ___ksymtab_gpl+NAME sections) with a
 * changed function: the function goes live, the export change is said, named,
 * and left as it is (it was refused before).
 */
static void export_changes_are_said_not_refused(void **state)
{
	struct hs_diff d;
	const char *msgs;

	(void)state;
	unit_messages();
	assert_int_equal(run_diff("export", &d), 0);
	msgs = unit_messages();
	assert_int_equal(d.nrefused, 0);
	assert_int_equal(d.nfuncs, 1);
	assert_int_equal(d.nexports, 2);
	assert_non_null(strstr(msgs, "symbol '___ksymtab_gpl+shown': the exports change "
			       "(EXPORT_SYMBOL; added: 'shown'), " HS_DIFF_EXPORT_NOT_LIVE));
	assert_non_null(strstr(msgs, "symbol '___ksymtab_gpl+hidden': the exports change "
			       "(EXPORT_SYMBOL; removed: 'hidden'), " HS_DIFF_EXPORT_NOT_LIVE));
	free((char *)d.objname);
	hs_diff_free(&d);
	check_golden("export", 0);
}

static void keys_drop_numbers_keep_clone_kinds(void **state)
{
	static const char *const cases[][2] = {
		{ "foo", "foo" },
		{ "foo.isra.0", "foo.isra" },
		{ "foo.constprop.0.isra.0", "foo.constprop.isra" },
		{ "foo.part.12", "foo.part" },
		{ "foo.cold", "foo.cold" },
		{ "foo.part.3.cold", "foo.part.cold" },
		{ "foo.lto_priv.7", "foo.lto_priv" },
		{ "count.35", "count" },
		{ ".LC5", ".LC5" },
	};
	bool numbered;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *k = diff_sym_key(cases[i][0], &numbered);

		assert_string_equal(k, cases[i][1]);
		free(k);
	}
	free(diff_sym_key("count.35", &numbered));
	assert_true(numbered);
	free(diff_sym_key("foo.cold", &numbered));
	assert_false(numbered);
}

static const struct hs_diff_ref *find_ref(const struct hs_diff_sym *s, const char *prefix)
{
	for (size_t i = 0; i < s->nrefs; i++)
		if (!strncmp(s->refs[i].name, prefix, strlen(prefix)))
			return &s->refs[i];
	return NULL;
}

/* Does pre function @f reference pre symbol @sym (directly or via its section)? */
static bool pre_uses(const struct hs_diff *d, size_t f, size_t sym)
{
	const GElf_Sym *fs = &d->pre.syms[f].sym;
	const struct hs_elf_sec *sec = &d->pre.secs[fs->st_shndx];
	size_t shndx = d->pre.syms[sym].sym.st_shndx;

	for (size_t i = 0; i < hs_elf_nrelas(&d->pre, sec); i++) {
		GElf_Rela r;
		const struct hs_elf_sym *t;

		assert_int_equal(hs_elf_rela(&d->pre, sec, i, &r), 0);
		t = &d->pre.syms[GELF_R_SYM(r.r_info)];
		if (t->idx == sym || (GELF_ST_TYPE(t->sym.st_info) == STT_SECTION &&
				      t->sym.st_shndx == shndx))
			return true;
	}
	return false;
}

/* The 4-byte initial value of data symbol @i of @e. */
static int int_value(const struct hs_elf *e, size_t i)
{
	const struct hs_elf_sec *sec = &e->secs[e->syms[i].sym.st_shndx];
	int v;

	assert_non_null(sec->data);
	memcpy(&v, (const char *)sec->data->d_buf + e->syms[i].sym.st_value, sizeof(v));
	return v;
}

/*
 * Every paired descriptor and __func__ string is the same site on both sides
 * (same owners, same content but for the line), whatever its number; a
 * function whose sites were only renumbered is unchanged.
 */
static void sites_pair_by_owner_and_content(void **state)
{
	const struct diff_side *pre, *post;
	size_t npaired = 0;
	struct hs_diff d;

	(void)state;
	assert_int_equal(run_diff("sites", &d), 0);
	pre = &d.priv->pre;
	post = &d.priv->post;
	for (size_t j = 1; j < d.post.nsyms; j++) {
		const struct diff_symi *b = &post->si[j], *a;

		if (!b->local || !b->match)
			continue;
		a = &pre->si[b->match];
		assert_true(a->site && b->site);
		assert_string_equal(a->group, b->group);
		assert_string_equal(a->owners, b->owners);
		assert_string_equal(a->loose, b->loose);
		npaired++;
	}
	assert_int_equal(npaired, 4 + 3);	/* descriptors, __func__ of first/second/third */
	assert_int_equal(hs_diff_find(&d, "second")->cls, HS_DIFF_UNCHANGED);
	assert_int_equal(hs_diff_find(&d, "third")->cls, HS_DIFF_UNCHANGED);
	assert_int_equal(find_ref(hs_diff_find(&d, "first"), "__UNIQUE_ID_ddebug0.")->kind,
			 HS_REF_INCLUDED);
	free((char *)d.objname);
	hs_diff_free(&d);
	unit_messages();
}

/*
 * The refused 'limit' is beta()'s on both sides (7 -> 8); alpha()'s is
 * unchanged, and so is beta(), whose renumbered lock keys pair in order.
 */
static void locals_change_reported_on_its_own_function(void **state)
{
	const struct hs_diff_sym *limit = NULL;
	struct hs_diff d;

	(void)state;
	assert_int_equal(run_diff("locals", &d), -HS_EREFUSED);
	for (size_t i = 0; i < d.nsyms; i++)
		if (d.syms[i].cls == HS_DIFF_CHANGED_DATA) {
			assert_null(limit);
			limit = &d.syms[i];
		}
	assert_non_null(limit);
	assert_string_equal(limit->name, "limit");
	assert_int_equal(int_value(&d.pre, limit->pre_idx), 7);
	assert_int_equal(int_value(&d.post, limit->post_idx), 8);
	assert_int_equal(hs_diff_find(&d, "alpha")->cls, HS_DIFF_UNCHANGED);
	assert_int_equal(hs_diff_find(&d, "beta")->cls, HS_DIFF_UNCHANGED);
	assert_int_equal(d.nrefused, 1);	/* lockers()' keys of size 0 are never ambiguous */
	free((char *)d.objname);
	hs_diff_free(&d);
	unit_messages();
}

/*
 * A new once-only flag among others that nothing tells apart (a WARN_ONCE site
 * added): its identity does not matter (the module carries its own), so the
 * change is not refused as an unmatched static local.
 */
static void new_once_flag_is_not_ambiguous(void **state)
{
	struct hs_diff d;

	(void)state;
	assert_int_equal(run_diff("once", &d), 0);
	assert_int_equal(hs_diff_find(&d, "warner")->cls, HS_DIFF_CHANGED_FUNC);
	assert_int_equal(d.nrefused, 0);
	free((char *)d.objname);
	hs_diff_free(&d);
	unit_messages();
}

/* The bytes of post symbol @i of @d. */
static const void *post_bytes(const struct hs_diff *d, size_t i)
{
	const GElf_Sym *sym = &d->post.syms[i].sym;

	assert_non_null(d->post.secs[sym->st_shndx].data);
	return (const char *)d->post.secs[sym->st_shndx].data->d_buf + sym->st_value;
}

/* How many references of @fn are to @prefix* data; each must be of kind @want(text). */
static size_t check_refs(const struct hs_diff *d, const char *fn, const char *prefix,
			 enum hs_diff_ref_kind (*want)(const void *bytes))
{
	const struct hs_diff_sym *s = hs_diff_find(d, fn);
	size_t n = 0;

	assert_non_null(s);
	assert_int_equal(s->cls, HS_DIFF_CHANGED_FUNC);
	for (size_t i = 0; i < s->nrefs; i++)
		if (!strncmp(s->refs[i].name, prefix, strlen(prefix))) {
			n++;
			assert_int_equal(s->refs[i].kind, want(post_bytes(d, s->refs[i].post_sym)));
		}
	return n;
}

static enum hs_diff_ref_kind msg_kind(const void *text)
{
	return !strcmp(text, "value is too small") || !strcmp(text, "busy") ? HS_REF_KERNEL :
	       HS_REF_INCLUDED;
}

static enum hs_diff_ref_kind limit_kind(const void *rs)
{
	int interval;

	memcpy(&interval, rs, sizeof(interval));
	return interval == 2 ? HS_REF_INCLUDED : HS_REF_KERNEL;
}

/*
 * A changed message (read-only __msg), a third ratelimit state (_rs) in
 * checker(), a changed limit in limiter(): none is ambiguous or changed data.
 * A changed message or limit is the module's own copy, never the old one; an
 * unchanged message or limit is the running kernel's.
 */
static void messages_and_ratelimits_are_not_ambiguous(void **state)
{
	struct hs_diff d;

	(void)state;
	assert_int_equal(run_diff("msg", &d), 0);
	assert_int_equal(d.nrefused, 0);
	assert_int_equal(check_refs(&d, "checker", "__msg", msg_kind), 3);
	assert_int_equal(check_refs(&d, "checker", "_rs", limit_kind), 3);
	assert_int_equal(check_refs(&d, "limiter", "__msg", msg_kind), 1);
	assert_int_equal(check_refs(&d, "limiter", "_rs", limit_kind), 1);
	free((char *)d.objname);
	hs_diff_free(&d);
	unit_messages();
}

/* The kind of @fn's reference to @name in @d (fails if there is none). */
static enum hs_diff_ref_kind ref_kind_of(const struct hs_diff *d, const char *fn, const char *name)
{
	const struct hs_diff_sym *s = hs_diff_find(d, fn);

	assert_non_null(s);
	for (size_t i = 0; i < s->nrefs; i++)
		if (!strcmp(s->refs[i].name, name))
			return s->refs[i].kind;
	fail_msg("%s does not reference %s", fn, name);
	return HS_REF_EXTERN;
}

/*
 * A changed read-only table that only this file's code reads (msg_policy,
 * limits) goes live: the module carries it, its readers are replaced. One
 * that holds code addresses (ops_tab) or whose address data keeps (held) is
 * still refused.
 */
static void readonly_tables_go_live_with_their_readers(void **state)
{
	static const char *const readers[] = { "parse_msg", "limit_of", "limit_twice" };
	struct hs_diff d;

	(void)state;
	assert_int_equal(run_diff("table", &d), -HS_EREFUSED);
	assert_int_equal(d.nrefused, 2);
	assert_true(hs_diff_find(&d, "ops_tab")->refused);
	assert_true(hs_diff_find(&d, "held")->refused);
	assert_int_equal(hs_diff_find(&d, "msg_policy")->cls, HS_DIFF_CHANGED_DATA);
	assert_false(hs_diff_find(&d, "msg_policy")->refused);
	assert_false(hs_diff_find(&d, "limits")->refused);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(hs_diff_find(&d, readers[i])->cls, HS_DIFF_CHANGED_FUNC);
	assert_int_equal(ref_kind_of(&d, "parse_msg", "msg_policy"), HS_REF_INCLUDED);
	assert_int_equal(ref_kind_of(&d, "limit_of", "limits"), HS_REF_INCLUDED);
	assert_int_equal(ref_kind_of(&d, "limit_twice", "limits"), HS_REF_INCLUDED);
	assert_int_equal(hs_diff_find(&d, "held_at")->cls, HS_DIFF_UNCHANGED);
	free((char *)d.objname);
	hs_diff_free(&d);
	unit_messages();
}

/* The renumbered static local of tock() is the running kernel's, tock's own. */
static void static_locals_use_the_kernel_copy(void **state)
{
	const struct hs_diff_sym *tock, *early;
	const struct hs_diff_ref *count, *fc;
	struct hs_diff d;

	(void)state;
	assert_int_equal(run_diff("static", &d), 0);
	tock = hs_diff_find(&d, "tock");
	assert_non_null(tock);
	assert_int_equal(tock->cls, HS_DIFF_CHANGED_FUNC);
	count = find_ref(tock, "count.");
	fc = find_ref(tock, "file_counter");
	assert_non_null(count);
	assert_non_null(fc);
	assert_int_equal(count->kind, HS_REF_KERNEL);
	assert_int_equal(fc->kind, HS_REF_KERNEL);
	assert_true(pre_uses(&d, tock->pre_idx, count->pre_sym));
	early = hs_diff_find(&d, "early");
	assert_non_null(early);
	assert_int_equal(find_ref(early, "count.")->kind, HS_REF_INCLUDED);
	free((char *)d.objname);
	hs_diff_free(&d);
	unit_messages();
}

static void new_helper_is_included_and_cold_part_folded(void **state)
{
	const struct hs_diff_sym *ep, *wc;
	struct hs_diff d;

	(void)state;
	assert_int_equal(run_diff("newfunc", &d), 0);
	ep = hs_diff_find(&d, "entry_point");
	assert_non_null(find_ref(ep, "hs_helper"));
	assert_int_equal(find_ref(ep, "hs_helper")->kind, HS_REF_INCLUDED);
	assert_int_equal(find_ref(hs_diff_find(&d, "hs_helper"), "compute")->kind, HS_REF_EXTERN);
	assert_int_equal(d.nfuncs, 2);
	free((char *)d.objname);
	hs_diff_free(&d);

	assert_int_equal(run_diff("suffix", &d), 0);
	wc = hs_diff_find(&d, "with_cold");
	assert_non_null(wc);
	assert_true(wc->pre_cold && wc->post_cold);
	assert_string_equal(d.post.syms[wc->post_cold].name, "with_cold.cold");
	assert_null(hs_diff_find(&d, "with_cold.cold"));
	assert_int_equal(hs_diff_find(&d, "scale.constprop")->cls, HS_DIFF_UNCHANGED);
	assert_int_equal(hs_diff_find(&d, "first_field.isra")->cls, HS_DIFF_UNCHANGED);
	free((char *)d.objname);
	hs_diff_free(&d);
	unit_messages();
}

static void refusals_are_logged_and_json_is_written(void **state)
{
	char *out = NULL;
	size_t len = 0;
	struct hs_diff d;
	const char *msgs;
	FILE *f;

	(void)state;
	assert_int_equal(run_diff("data", &d), -HS_EREFUSED);
	msgs = unit_messages();
	assert_non_null(strstr(msgs, "'diff-data.o': symbol 'limit': changed-data: "
				     "initial value changed"));
	assert_int_equal(d.nrefused, 2);	/* the static const table goes live with lookup() */
	f = open_memstream(&out, &len);
	assert_int_equal(hs_diff_print_json(&d, f), 0);
	fclose(f);
	assert_non_null(strstr(out, "\"result\": \"refused\""));
	assert_non_null(strstr(out, "{\"name\": \"fresh\", \"class\": \"new-data\""));
	free(out);
	free((char *)d.objname);
	hs_diff_free(&d);
}

static void missing_object_is_an_error(void **state)
{
	struct hs_diff d;

	(void)state;
	assert_int_equal(hs_diff_objects(unit_ctx(), hs_kfacts_series("6.1"), "x.o", "/nonexistent/pre.o",
					 unit_fixture("basic"), &d), -2 /* -ENOENT */);
	hs_diff_free(&d);
	assert_non_null(strstr(unit_messages(), "cannot open '/nonexistent/pre.o'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_suffix),
		cmocka_unit_test(golden_reloc),
		cmocka_unit_test(golden_static),
		cmocka_unit_test(golden_line),
		cmocka_unit_test(golden_line2),
		cmocka_unit_test(golden_data),
		cmocka_unit_test(golden_ddebug),
		cmocka_unit_test(golden_sites),
		cmocka_unit_test(golden_locals),
		cmocka_unit_test(golden_init),
		cmocka_unit_test(golden_notrace),
		cmocka_unit_test(outside_callers_are_replaced),
		cmocka_unit_test(golden_callers),
		cmocka_unit_test(golden_newfunc),
		cmocka_unit_test(golden_nochange),
		cmocka_unit_test(golden_uniqueid),
		cmocka_unit_test(export_changes_are_said_not_refused),
		cmocka_unit_test(keys_drop_numbers_keep_clone_kinds),
		cmocka_unit_test(new_once_flag_is_not_ambiguous),
		cmocka_unit_test(messages_and_ratelimits_are_not_ambiguous),
		cmocka_unit_test(readonly_tables_go_live_with_their_readers),
		cmocka_unit_test(static_locals_use_the_kernel_copy),
		cmocka_unit_test(sites_pair_by_owner_and_content),
		cmocka_unit_test(locals_change_reported_on_its_own_function),
		cmocka_unit_test(new_helper_is_included_and_cold_part_folded),
		cmocka_unit_test(refusals_are_logged_and_json_is_written),
		cmocka_unit_test(missing_object_is_an_error),
	};

	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
