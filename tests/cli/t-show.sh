# SPDX-License-Identifier: GPL-2.0
# show on a package made here by hand (a ustar with MANIFEST first, sizes and
# sha256 digests as lib/package/package.h describes): the text and JSON output, with
# and without a declared effective version; check refuses it (exit 4) because
# it is for another kernel, before it reads or creates any state.
export HOTSPLICE_STATE=$PWD/state HOTSPLICE_RUN=$PWD/run
# package OUT EFFECTIVE-LINE: a package of update 't1' from the files in p/
package() {
	(cd p && {
		printf 'format hotsplice-update 1\nid t1\n'
		printf 'description fix "quoted" \\ text\ncreated 2026-11-29T00:00:00Z\n'
		printf 'target-release 0.0.0-hstest\ntarget-version #1 SMP hotsplice test\n'
		[ -n "$2" ] && printf '%s\n' "$2"
		printf 'compiler gcc-12 (test) 12.2.0\nmodule hs_t1\n'
		for f in hs_t1.ko patch.diff pre/kernel/t.o; do
			printf 'file %s %s %s\n' $f $(stat -c %s $f) $(sha256sum < $f | cut -c1-64)
		done
		printf 'func pre/kernel/t.o vmlinux t_show t_show\n'
		printf 'func pre/kernel/t.o vmlinux t_other t_other\n'
	} > MANIFEST &&
	tar --format=ustar -cf "../$1" MANIFEST hs_t1.ko patch.diff pre/kernel/t.o)
}
# line PATH: the text output's line for member PATH
line() {
	printf '  %-40s %8s  sha256 %.16s…\n' "$1" $(stat -c %s "p/$1") $(sha256sum < "p/$1" | cut -c1-64)
}
mkdir -p p/pre/kernel &&
printf 'not really a module\n' > p/hs_t1.ko &&
printf -- '--- a/kernel/t.c\n+++ b/kernel/t.c\n' > p/patch.diff &&
head -c 300 /dev/urandom > p/pre/kernel/t.o &&
package t1.hsu 'effective-version 0.0.0-hstest+t1' &&
package t1-noeff.hsu '' &&
$HS show t1.hsu > show.out &&
{
	printf 'update      t1\n'
	printf 'description fix "quoted" \\ text\n'
	printf 'created     2026-11-29T00:00:00Z\n'
	printf 'kernel      0.0.0-hstest #1 SMP hotsplice test\n'
	printf 'effective   0.0.0-hstest+t1\n'
	printf 'compiler    gcc-12 (test) 12.2.0\n'
	printf 'module      hs_t1.ko\n'
	printf 'signature   none\n'
	printf 'functions   2\n'
	printf '  %-40s %s\n' t_show 'kernel/t.o (vmlinux)' t_other 'kernel/t.o (vmlinux)'
	printf 'files\n'
	line hs_t1.ko && line patch.diff && line pre/kernel/t.o
} > show.expect &&
test_cmp show.expect show.out &&
$HS show t1-noeff.hsu > noeff.out &&
grep -v '^effective ' show.expect > noeff.expect &&
test_cmp noeff.expect noeff.out &&
$HS show --json t1.hsu > json.out &&
test_grep '^\{"id": "t1", "description": "fix \\"quoted\\" \\\\ text", "created": "2026-11-29T00:00:00Z", "target_release": "0.0.0-hstest", "target_version": "#1 SMP hotsplice test", "effective_version": "0.0.0-hstest\+t1", "compiler": "gcc-12 \(test\) 12.2.0", "module": "hs_t1",$' json.out &&
test_grep '^ "functions": \[\{"object": "kernel/t.o", "klp_object": "vmlinux", "name": "t_show", "sympos": 0\}, \{"object": "kernel/t.o", "klp_object": "vmlinux", "name": "t_other", "sympos": 0\}\],$' json.out &&
test_grep '^ "signer": null, "signature": "unsigned", "module_signed": false,$' json.out &&
test_grep "^ \"files\": \[\{\"path\": \"hs_t1.ko\", \"size\": $(stat -c %s p/hs_t1.ko), \"sha256\": \"$(sha256sum < p/hs_t1.ko | cut -c1-64)\"\}, " json.out &&
test_grep '"path": "pre/kernel/t.o", "size": 300, "sha256": "[0-9a-f]{64}"\}\]\}$' json.out &&
test_grep '^ "cumulative": false, "base": \[\], "includes": \[\], "release": null,$' json.out &&
test "$(wc -l < json.out)" = 5 &&
$HS show --json t1-noeff.hsu > json-noeff.out &&
test_grep '"effective_version": null, ' json-noeff.out &&
test_exit_code 4 $HS check t1.hsu 2> check.err &&
test_grep "^error: update 't1' is for kernel 0.0.0-hstest #1 SMP hotsplice test, but this kernel is $(uname -r) " check.err &&
test ! -e state
