# SPDX-License-Identifier: GPL-2.0
# Benchmark (not a test): the cost of a call through a replaced function. A tight
# loop of 1-byte writes to /dev/null (write_null, replaced by
# bench/patches/null-write-noop.patch) and of 1-byte pipe writes + reads (pipe_read,
# replaced by tests/guest/patches/pipe-read-noop.patch), both updates identical in
# behaviour; unpatched and patched rounds alternate.
# guest-timeout: 900
# guest-package: null-write-noop bench/patches/null-write-noop.patch
# guest-package: pipe-read-noop tests/guest/patches/pipe-read-noop.patch
. /hs/extra/bench.conf
H=/hs/extra/hsb

# rounds KIND ID: CALL_RUNS rounds of (unpatched, patched) ns per call
rounds() {
	i=0
	: > "/tmp/$1.unpatched"; : > "/tmp/$1.patched"
	while [ $i -lt "$CALL_RUNS" ]; do
		$H calls "$1" "$CALL_N" >> "/tmp/$1.unpatched" &&
		hotsplice apply -q "$HS_PACKAGES/$2.hsu" &&
		$H calls "$1" "$CALL_N" >> "/tmp/$1.patched" &&
		hotsplice undo -q "$2" || return 1
		i=$((i + 1))
	done
	echo "BENCH call-$1 unpatched ns $(tr '\n' ' ' < "/tmp/$1.unpatched")"
	echo "BENCH call-$1 patched ns $(tr '\n' ' ' < "/tmp/$1.patched")"
}

rounds null null-write-noop &&
rounds pipe pipe-read-noop
