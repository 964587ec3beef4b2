# SPDX-License-Identifier: GPL-2.0
# lib.sh - helpers for command-line tests (git t/ style); each test is one && chain.
test_must_fail() {
	"$@" && { echo "FAIL: expected failure: $*"; return 1; }
	[ $? -lt 128 ] || { echo "FAIL: '$*' died by a signal"; return 1; }
}
test_exit_code() {
	local want=$1 rc=0
	shift
	"$@" || rc=$?
	[ "$rc" = "$want" ] || { echo "FAIL: '$*' exited $rc, expected $want"; return 1; }
}
test_cmp() {
	cmp -s "$1" "$2" || { echo "FAIL: $1 and $2 differ:"; diff -u "$1" "$2"; return 1; }
}
test_grep() {
	grep -Eq -- "$1" "$2" || { echo "FAIL: no line matching '$1' in $2:"; cat "$2"; return 1; }
}
# test_manifest DESCRIPTION: p/MANIFEST of a hand-made update t1 whose members are
# p/hs_t1.ko, p/patch.diff and p/pre/kernel/t.o (sizes and digests as they are now)
test_manifest() {
	local f
	(cd p && {
		printf 'format hotsplice-update 1\nid t1\ndescription %s\n' "$1"
		printf 'target-release 0.0.0-hstest\ntarget-version #1 hotsplice test\nmodule hs_t1\n'
		for f in hs_t1.ko patch.diff pre/kernel/t.o; do
			printf 'file %s %s %s\n' $f $(stat -c %s $f) $(sha256sum < $f | cut -c1-64)
		done
		printf 'func pre/kernel/t.o vmlinux t_show t_show\n'
	} > MANIFEST)
}
