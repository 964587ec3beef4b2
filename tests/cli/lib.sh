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
