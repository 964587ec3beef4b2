// SPDX-License-Identifier: GPL-2.0
/*
 * test_prove.c - the target's proof of a replaced function's recorded
 * position against a kallsyms file made here: accepted when the matching
 * running copy is the recorded one, refused (object, function, expected
 * position and what the kernel has named) when it is another, when the name
 * is not unique for position 0, or when there are fewer copies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "core/cache.h"
#include "target/prove.h"

static void check(const struct hs_kallsyms *ks, const char *name, unsigned long recorded,
		  unsigned long matched, int want, const char *msg)
{
	struct hs_runpre_env env = { .ks = ks };
	struct hs_pkg pkg = { .id = "t1" };
	struct hs_prove p = { .ctx = unit_ctx(), .pkg = &pkg, .env = &env };
	struct hs_pkg_func f = { .obj = "pre/t.o", .klp_obj = "vmlinux", .name = (char *)name,
				 .new_name = (char *)name, .sympos = recorded };
	struct hs_runpre_func v = { .name = (char *)name, .matched = 1, .sympos = matched };

	unit_messages();
	assert_int_equal(hs_prove_func(&p, &f, &v), want);
	if (msg)
		assert_non_null(strstr(unit_messages(), msg));
}

static void proves_recorded_positions(void **state)
{
	char path[] = "/tmp/hs-prove.XXXXXX";
	int fd = mkstemp(path);
	const char *text = "ffffffff81000100 t show\nffffffff81000200 t show\n"
			   "ffffffff81000300 T unique\nffffffff81000400 t show\t[ext4]\n";
	struct hs_kallsyms ks;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	assert_int_equal(hs_kallsyms_load(unit_ctx(), path, &ks), 0);
	check(&ks, "show", 2, 2, 0, NULL);
	check(&ks, "unique", 0, 0, 0, NULL);
	check(&ks, "unique", 1, 0, 0, NULL);
	check(&ks, "show", 1, 2, -HS_EREFUSED,
	      "vmlinux: function 'show': expected sympos 1, but the running code that matches the pre code is copy 2: refused");
	check(&ks, "show", 0, 1, -HS_EREFUSED,
	      "expected sympos 0 (unique), but the name is not unique in the running kernel (2 copies");
	check(&ks, "show", 3, 2, -HS_EREFUSED, "expected sympos 3, but the running kernel has 2 of that name");
	hs_kallsyms_free(&ks);
	unlink(path);
}

/*
 * A livepatch symbol of an object that is no module name ('drivers/virtio/virtio',
 * Module.symvers's path): refused before anything loads (the livepatch core
 * would refuse the whole update at its load, or when the module loads).
 */
static void klp_object_must_be_a_module_name(void **state)
{
	char path[] = "/tmp/hs-prove.XXXXXX";
	int fd = mkstemp(path);
	const char *text = "ffffffff81000300 T unique\n";
	struct hs_runpre_env env = { 0 };
	struct hs_pkg pkg = { .id = "t1" };
	struct hs_prove p = { .ctx = unit_ctx(), .pkg = &pkg, .env = &env };
	struct hs_kallsyms ks;
	char *ko = NULL;
	size_t len;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	assert_int_equal(hs_kallsyms_load(unit_ctx(), path, &ks), 0);
	env.ks = &ks;
	assert_int_equal(hs_read_file(unit_ctx(), unit_fixture("modfix-path"), &ko, &len), 0);
	unit_messages();
	assert_int_equal(hs_prove_klpsyms(&p, ko, len), -HS_EREFUSED);
	assert_non_null(strstr(unit_messages(), "drivers/virtio/virtio: symbol 'virtio_config_changed' used by the update: 'drivers/virtio/virtio' is not a module name"));
	free(ko);
	hs_kallsyms_free(&ks);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proves_recorded_positions),
		cmocka_unit_test(klp_object_must_be_a_module_name),
	};

	return cmocka_run_group_tests_name("prove", tests, NULL, NULL);
}
