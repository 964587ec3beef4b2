// SPDX-License-Identifier: GPL-2.0
/* test_diff_types.c - lib/diff/diff_types.c, diff_dwarf.c: struct/union layout changes in the DWARF. */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "diff/diff.h"

/* Diff fixtures @prefix-@c-pre/-post as "@prefix-@c.o"; the caller frees @d. */
static int run_diff(const char *prefix, const char *c, struct hs_diff *d)
{
	char pre[4096], post[4096], obj[256], name[128];

	snprintf(name, sizeof(name), "%s-%s-pre", prefix, c);
	snprintf(pre, sizeof(pre), "%s", unit_fixture(name));
	snprintf(name, sizeof(name), "%s-%s-post", prefix, c);
	snprintf(post, sizeof(post), "%s", unit_fixture(name));
	snprintf(obj, sizeof(obj), "%s-%s.o", prefix, c);
	return hs_diff_objects(unit_ctx(), hs_kfacts_series("6.1"), strdup(obj), pre, post, d);
}

static void done(struct hs_diff *d)
{
	free((char *)d->objname);
	hs_diff_free(d);
}

static char *print(const struct hs_diff *d, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	assert_int_equal(json ? hs_diff_print_json(d, f) : hs_diff_print(d, f), 0);
	fclose(f);
	return out;
}

/* Diff type case @c, expect @want, compare hs_diff_print() with its golden file. */
static void check_golden(const char *c, int want)
{
	char golden[256], *expect, *out;
	struct hs_diff d;

	assert_int_equal(run_diff("dtype", c, &d), want);
	out = print(&d, false);
	snprintf(golden, sizeof(golden), "tests/unit/golden/dtype-%s.txt", c);
	expect = unit_slurp(golden);
	if (strcmp(out, expect))
		fprintf(stderr, "# %s: got:\n%s# expected:\n%s", c, out, expect);
	assert_string_equal(out, expect);
	done(&d);
	free(expect);
	free(out);
	unit_messages();
}

/* A struct that only lives on the heap grows: the fixture-18 case, in DWARF 5, 4 and 2. */
static void golden_heap(void **s) { (void)s; check_golden("heap", -HS_EREFUSED); }
static void golden_dwarf4(void **s) { (void)s; check_golden("dwarf4", -HS_EREFUSED); }
static void golden_dwarf2(void **s) { (void)s; check_golden("dwarf2", -HS_EREFUSED); }
/* Same-size changes: order, bit fields, member sizes, anonymous members, typedef, variable. */
static void golden_members(void **s) { (void)s; check_golden("members", -HS_EREFUSED); }
/* Moved, new and same-named local structs are not changes. */
static void golden_nochange(void **s) { (void)s; check_golden("nochange", 0); }
/* A grown struct that no code looks into: no code change, nothing to check. */
static void golden_opaque(void **s) { (void)s; check_golden("opaque", -HS_ENOCHANGE); }

/*
 * A member whose type is now written through a typedef of the same base type
 * (long as __kernel_long_t, unsigned int as u32) keeps the type; a typedef of
 * another struct, or another base type, does not.
 */
static void typedefs_of_base_types_are_those_types(void **state)
{
	char *tags[] = { "span", "counted", "signs" };
	int verdict[3];
	struct hs_diff d;

	(void)state;
	run_diff("dtype", "typedef", &d);
	assert_int_equal(hs_diff_types_same(unit_ctx(), &d, tags, 3, verdict), 0);
	assert_int_equal(verdict[0], 1);
	assert_int_equal(verdict[1], -1);
	assert_int_equal(verdict[2], -1);
	done(&d);
	unit_messages();
}

/*
 * A member wrapped in an anonymous union with another view of the same bytes
 * keeps the layout; a member that changes type at the same size keeps it too,
 * but the strict check of hs_diff_types_same() (for files not compiled) sees it.
 */
static void alias_members_keep_the_layout(void **state)
{
	char *tags[] = { "entry", "absent" };
	int verdict[2];
	struct hs_diff d;

	(void)state;
	assert_int_equal(run_diff("dtype", "alias", &d), 0);
	for (size_t i = 0; i < d.nsyms; i++)
		assert_int_not_equal(d.syms[i].cls, HS_DIFF_CHANGED_TYPE);
	assert_int_equal(hs_diff_types_same(unit_ctx(), &d, tags, 2, verdict), 0);
	assert_int_equal(verdict[0], -1);	/* int mode -> unsigned int mode */
	assert_int_equal(verdict[1], 0);
	done(&d);
	assert_int_equal(run_diff("dtype", "nochange", &d), 0);
	tags[0] = "keep";
	assert_int_equal(hs_diff_types_same(unit_ctx(), &d, tags, 1, verdict), 0);
	assert_int_equal(verdict[0], 1);
	done(&d);
	unit_messages();
}

static void refusal_names_the_type_in_log_and_json(void **state)
{
	const struct hs_diff_sym *t;
	struct hs_diff d;
	char *json;

	(void)state;
	assert_int_equal(run_diff("dtype", "heap", &d), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "'dtype-heap.o': type 'timers_like': "
						"changed-type: layout changed (size 24 -> 32)"));
	t = hs_diff_find(&d, "timers_like");
	assert_non_null(t);
	assert_int_equal(t->cls, HS_DIFF_CHANGED_TYPE);
	assert_true(t->refused);
	assert_false(t->is_func);
	assert_int_equal(t->pre_idx + t->post_idx, 0);
	assert_int_equal(d.nrefused, 1);
	assert_int_equal(d.nfuncs, 2);
	json = print(&d, true);
	assert_non_null(strstr(json, "{\"name\": \"timers_like\", \"class\": \"changed-type\", "
				     "\"refused\": true"));
	free(json);
	done(&d);
}

static void objects_without_dwarf_are_diffed_with_a_warning(void **state)
{
	struct hs_diff d;

	(void)state;
	assert_int_equal(run_diff("diff", "data", &d), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "'diff-data.o': no DWARF (section "
						"'.debug_info') in the pre object"));
	done(&d);
}

/* Copy fixture @name to @out with the 16-bit version of its first DWARF unit set to @version. */
static void write_bad_version(const char *name, const char *out, unsigned int version)
{
	int fd = open(unit_fixture(name), O_RDONLY);
	Elf *e;
	Elf_Scn *scn = NULL;
	size_t shstrndx, off = 0;
	char *buf = calloc(1, 1 << 20);
	ssize_t n;
	FILE *f;

	assert_true(fd >= 0 && buf);
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(e);
	assert_int_equal(elf_getshdrstrndx(e, &shstrndx), 0);
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;

		gelf_getshdr(scn, &sh);
		if (!strcmp(elf_strptr(e, shstrndx, sh.sh_name), ".debug_info"))
			off = sh.sh_offset;
	}
	elf_end(e);
	n = pread(fd, buf, 1 << 20, 0);
	close(fd);
	assert_true(off && n > 0 && (size_t)n > off + 6);
	buf[off + 4] = (char)version;
	buf[off + 5] = 0;
	f = fopen(out, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	free(buf);
}

static void malformed_dwarf_is_an_error(void **state)
{
	char path[] = "/tmp/hs-unit-dtype-XXXXXX";
	int fd = mkstemp(path);
	struct hs_diff d;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_bad_version("dtype-heap-post", path, 9);
	assert_int_equal(hs_diff_objects(unit_ctx(), hs_kfacts_series("6.1"), "bad.o", unit_fixture("dtype-heap-pre"), path,
					 &d), -HS_EFORMAT);
	hs_diff_free(&d);
	assert_non_null(strstr(unit_messages(), "'bad.o': section '.debug_info': bad unit header "
						"at offset 0"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_heap),
		cmocka_unit_test(golden_dwarf4),
		cmocka_unit_test(golden_dwarf2),
		cmocka_unit_test(golden_members),
		cmocka_unit_test(golden_nochange),
		cmocka_unit_test(golden_opaque),
		cmocka_unit_test(alias_members_keep_the_layout),
		cmocka_unit_test(typedefs_of_base_types_are_those_types),
		cmocka_unit_test(refusal_names_the_type_in_log_and_json),
		cmocka_unit_test(objects_without_dwarf_are_diffed_with_a_warning),
		cmocka_unit_test(malformed_dwarf_is_an_error),
	};

	return cmocka_run_group_tests_name("diff_types", tests, NULL, NULL);
}
