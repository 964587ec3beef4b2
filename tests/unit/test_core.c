// SPDX-License-Identifier: GPL-2.0
/*
 * test_core.c - the small helpers several layers share: the growing string
 * (strbuf.c), the string vector and its comparator (strv.c), writing a whole
 * buffer (fsutil.c), C token boundaries and keywords (build/ctok.c), the
 * update-id and MANIFEST-text rules (package.c), a .config value (kfacts.c)
 * and a command's output read line by line (spawn.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "core/json.h"
#include "core/spawn.h"
#include "build/ctok.h"
#include "core/fsutil.h"
#include "core/strbuf.h"
#include "core/strv.h"
#include "elf/kfacts.h"
#include "package/package.h"

static void strbuf_grows(void **state)
{
	struct hs_strbuf b = { .s = malloc(4), .cap = 4 };

	(void)state;
	assert_non_null(b.s);
	b.s[0] = 0;
	for (int i = 0; i < 100; i++)
		hs_strbuf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.err, 0);
	assert_int_equal(b.len, 200);
	assert_int_equal(strlen(b.s), 200);
	assert_memory_equal(b.s, "0,1,2,3,4,5,6,7,8,9,0,", 22);
	free(b.s);
}

static void strv_sorts_and_drops_duplicates(void **state)
{
	struct hs_strv sv = { 0 };
	const char *key = "b";

	(void)state;
	assert_int_equal(hs_strv_push(&sv, "bxx", 1), 0);
	assert_int_equal(hs_strv_push(&sv, "a", 1), 0);
	assert_int_equal(hs_strv_push(&sv, "b", 1), 0);
	hs_strv_sort_uniq(&sv);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[0], "a");
	assert_string_equal(sv.v[1], "b");
	assert_non_null(bsearch(&key, sv.v, sv.n, sizeof(char *), hs_strv_cmp));
	hs_strv_free(&sv);
}

static void write_all_writes_everything(void **state)
{
	static char big[200000];
	char tmpl[] = "/tmp/hs-unit-core.XXXXXX";
	int fd = mkstemp(tmpl);

	(void)state;
	assert_true(fd >= 0);
	memset(big, 'x', sizeof(big));
	assert_int_equal(hs_write_all(fd, big, sizeof(big)), 0);
	assert_int_equal(lseek(fd, 0, SEEK_END), sizeof(big));
	close(fd);
	unlink(tmpl);
	assert_int_equal(hs_write_all(-1, "x", 1), -EBADF);
}

struct lines_seen {
	size_t n, bad;
	char first_bad[64];
};

static void see_line(void *arg, const char *line)
{
	struct lines_seen *l = arg;

	l->n++;
	if (strcmp(line, "0123456789") && !l->bad++)
		snprintf(l->first_bad, sizeof(l->first_bad), "%s", line);
}

/*
 * Lines are whole whatever the reads: a read that filled the buffer while a
 * line was unfinished passed the line on in two pieces (a 2,400-line diff of
 * fs/ntfs/layout.h, "SYNCHRONIZE" cut after its 'S', failed to parse).
 */
static void spawn_lines_are_whole(void **state)
{
	char tmpl[] = "/tmp/hs-unit-lines.XXXXXX";
	char *argv[] = { "cat", tmpl, NULL };
	struct lines_seen l = { 0 };
	static char text[11 * 60000];
	int fd = mkstemp(tmpl);

	(void)state;
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(text); i += 11)
		memcpy(text + i, "0123456789\n", 11);
	assert_int_equal(hs_write_all(fd, text, sizeof(text)), 0);
	close(fd);
	for (int round = 0; round < 5; round++) {
		memset(&l, 0, sizeof(l));
		assert_int_equal(hs_spawn_run(unit_ctx(), argv, NULL, see_line, &l), 0);
		if (l.bad)
			fail_msg("round %d: %zu cut lines, the first '%s'", round, l.bad, l.first_bad);
		assert_int_equal(l.n, 60000);
	}
	unlink(tmpl);
}

static void ctok_ends_tokens(void **state)
{
	static const char s[] = "__x$1 0x1e+5f \"a\\\nb\" 'c' -> $y";
	uint32_t line = 0;
	size_t i = 0, n = strlen(s);
	char kind;

	(void)state;
	i = hs_ctok_end(s, n, 0, &line, &kind);
	assert_int_equal(kind, 'i');
	assert_int_equal(i, 5);				/* __x$1 */
	i = hs_ctok_end(s, n, 6, &line, &kind);
	assert_int_equal(kind, 'n');
	assert_int_equal(i, 13);			/* 0x1e+5f */
	i = hs_ctok_end(s, n, 14, &line, &kind);
	assert_int_equal(kind, 's');
	assert_int_equal(i, 20);			/* the string, across an escaped newline */
	assert_int_equal(line, 1);
	i = hs_ctok_end(s, n, 21, &line, &kind);
	assert_int_equal(kind, 's');
	assert_int_equal(i, 24);
	i = hs_ctok_end(s, n, 25, &line, &kind);
	assert_int_equal(kind, 'p');
	assert_int_equal(i, 26);			/* one character of -> */
	i = hs_ctok_end(s, n, 28, &line, &kind);
	assert_int_equal(kind, 'i');
	assert_int_equal(i, n);				/* $y */
	assert_true(hs_ctok_keyword("__attribute__", 13));
	assert_true(hs_ctok_keyword("_Atomic", 7));
	assert_true(hs_ctok_keyword("typeofx", 6));	/* "typeof" */
	assert_false(hs_ctok_keyword("typeofx", 7));
	assert_false(hs_ctok_keyword("list_head", 9));
	assert_true(hs_ctok_idch('$'));
	assert_false(hs_ctok_idch('-'));
}

static void id_and_text_rules(void **state)
{
	char id[] = "fix CVE-2024.1_ä";
	char text[HS_PKG_TEXT_MAX + 20];

	(void)state;
	hs_pkg_id_fix(id);
	assert_string_equal(id, "fix-CVE-2024-1_--");
	assert_true(hs_pkg_id_valid(id));
	hs_pkg_id_fix(NULL);
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = 0;
	text[3] = '\n';
	text[4] = 0x7f;
	hs_pkg_text_fix(text);
	assert_int_equal(strlen(text), HS_PKG_TEXT_MAX);
	assert_memory_equal(text, "aaa  a", 6);
	assert_true(hs_pkg_text_valid(text));
	hs_pkg_text_fix(NULL);
}

static void config_values(void **state)
{
	static const char config[] = "# CONFIG_X is not set\nCONFIG_LIVEPATCH=y\n"
				     "CONFIG_CC_VERSION_TEXT=\"gcc 12\"\nCONFIG_LIVE=m";
	size_t len = 0;
	const char *v;

	(void)state;
	v = hs_kfacts_config_find(config, "LIVEPATCH", &len);
	assert_non_null(v);
	assert_int_equal(len, 1);
	assert_int_equal(*v, 'y');
	v = hs_kfacts_config_find(config, "CC_VERSION_TEXT", &len);
	assert_int_equal(len, 8);
	assert_memory_equal(v, "\"gcc 12\"", 8);
	v = hs_kfacts_config_find(config, "LIVE", &len);	/* the last line, no newline */
	assert_int_equal(len, 1);
	assert_int_equal(*v, 'm');
	assert_null(hs_kfacts_config_find(config, "X", &len));
	assert_null(hs_kfacts_config_find(NULL, "X", &len));
}

static char *json_of(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	hs_json_str(f, s);
	fclose(f);
	return out;
}

/* JSON strings stay UTF-8: a message cut inside a character, or a hostile package's bytes. */
static void json_strings_are_utf8(void **state)
{
	char *j;

	(void)state;
	j = json_of("error: \xe2\x80\x98x\xe2\x80\x99 \"q\"\n");
	assert_string_equal(j, "\"error: \xe2\x80\x98x\xe2\x80\x99 \\\"q\\\"\\n\"");
	free(j);
	j = json_of("cut \xe2\x80");
	assert_string_equal(j, "\"cut \\ufffd\\ufffd\"");
	free(j);
	j = json_of("\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xff \xf0\x9f\x98\x80");
	assert_string_equal(j, "\"\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd"
			    "\\ufffd \\ufffd \xf0\x9f\x98\x80\"");
	free(j);
}

/* A message cut to a buffer's size loses the character it cut, and only that. */
static void utf8_cut_drops_a_cut_character(void **state)
{
	char a[] = "no \xe2\x80\x98x\xe2\x80\x99", b[] = "cut \xe2\x80", c[] = "cut \xf0\x9f\x98",
	     d[] = "ascii", e[] = "\xe2";

	(void)state;
	hs_utf8_cut(a);
	hs_utf8_cut(b);
	hs_utf8_cut(c);
	hs_utf8_cut(d);
	hs_utf8_cut(e);
	assert_string_equal(a, "no \xe2\x80\x98x\xe2\x80\x99");
	assert_string_equal(b, "cut ");
	assert_string_equal(c, "cut ");
	assert_string_equal(d, "ascii");
	assert_string_equal(e, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strbuf_grows),
		cmocka_unit_test(strv_sorts_and_drops_duplicates),
		cmocka_unit_test(write_all_writes_everything),
		cmocka_unit_test(spawn_lines_are_whole),
		cmocka_unit_test(ctok_ends_tokens),
		cmocka_unit_test(id_and_text_rules),
		cmocka_unit_test(config_values),
		cmocka_unit_test(json_strings_are_utf8),
		cmocka_unit_test(utf8_cut_drops_a_cut_character),
	};

	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
