# SPDX-License-Identifier: GPL-2.0
# lib.sh - helpers for guest scenarios, in the spirit of git's t/test-lib.sh.
# Each helper prints why it failed and returns non-zero; scenarios chain them
# with && and run under 'set -eu'.

HS_KMOD=/hs/kmod
HS_PACKAGES=/hs/packages

say() { echo "# $*"; }

fail() { echo "FAIL: $*"; return 1; }

# test_must_fail CMD...: CMD must exit non-zero (not by a signal).
test_must_fail() {
	"$@" && { echo "FAIL: expected failure: $*"; return 1; }
	rc=$?
	[ $rc -lt 128 ] || { echo "FAIL: '$*' died with signal $((rc - 128))"; return 1; }
	return 0
}

# test_exit_code N CMD...: CMD must exit with status N.
test_exit_code() {
	want=$1; shift
	rc=0; "$@" || rc=$?
	[ "$rc" = "$want" ] || { echo "FAIL: '$*' exited $rc, expected $want"; return 1; }
}

# test_cmp EXPECTED ACTUAL: files must be equal; show the difference otherwise.
test_cmp() {
	cmp -s "$1" "$2" && return 0
	echo "FAIL: $1 and $2 differ:"
	diff -u "$1" "$2" | head -40
	return 1
}

# test_eq EXPECTED ACTUAL [WHAT]
test_eq() {
	[ "$1" = "$2" ] && return 0
	echo "FAIL: ${3:-value}: expected '$1', got '$2'"
	return 1
}

# test_grep PATTERN FILE: FILE must contain a line matching PATTERN (grep -E).
test_grep() {
	grep -Eq -- "$1" "$2" && return 0
	echo "FAIL: no line matching '$1' in $2:"
	head -20 "$2"
	return 1
}

# lp_sysfs NAME FILE: read /sys/kernel/livepatch/NAME/FILE.
lp_sysfs() { cat "/sys/kernel/livepatch/$1/$2"; }

# lp_wait_transition NAME [TENTHS]: wait until NAME's transition is done (default 30 s).
lp_wait_transition() {
	i=0
	while [ "$(lp_sysfs "$1" transition 2>/dev/null)" = 1 ]; do
		i=$((i + 1))
		[ $i -lt "${2:-300}" ] || { echo "FAIL: livepatch $1: transition still running"; return 1; }
		sleep 0.1
	done
}

# wait_stopped PID: wait until process PID is stopped (SIGSTOP), at most 30 s.
wait_stopped() {
	i=0
	until grep -q '^State:.*T' "/proc/$1/status" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "FAIL: process $1 did not stop"; return 1; }
		sleep 0.1
	done
}

# lp_load KO: insmod a livepatch module and wait for its transition.
lp_load() {
	name=$(basename "$1" .ko)
	insmod "$1" || { echo "FAIL: insmod $1"; return 1; }
	[ -d "/sys/kernel/livepatch/$name" ] || { echo "FAIL: $name not in /sys/kernel/livepatch"; return 1; }
	lp_wait_transition "$name"
}

# lp_unload NAME: disable a livepatch, wait for the transition, rmmod it.
lp_unload() {
	echo 0 > "/sys/kernel/livepatch/$1/enabled" || { echo "FAIL: cannot disable $1"; return 1; }
	lp_wait_transition "$1" || return 1
	i=0
	while ! rmmod "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || { echo "FAIL: rmmod $1"; return 1; }
		sleep 0.1
	done
}

# fixture_cycle ID OBSERVE: the before / patched / after story of one fixture
# package ($HS_PACKAGES/ID.hsu) with the observations in OBSERVE (a copy of
# tests/patches/NN-NAME.observe defining observe_before/_patched/_after).
fixture_cycle() {
	. "$2" || { echo "FAIL: cannot read $2"; return 1; }
	observe_before || { echo "FAIL: $1: the unpatched behaviour is not observed"; return 1; }
	hotsplice check -q "$HS_PACKAGES/$1.hsu" &&
	hotsplice apply -q "$HS_PACKAGES/$1.hsu" || { echo "FAIL: $1: apply failed"; return 1; }
	observe_patched || { echo "FAIL: $1: the patched behaviour is not observed"; return 1; }
	hotsplice list > /tmp/fixture.list &&
	test_grep "^$1 +applied " /tmp/fixture.list &&
	hotsplice undo -q "$1" || { echo "FAIL: $1: undo failed"; return 1; }
	observe_after || { echo "FAIL: $1: after undo, the original behaviour is not back"; return 1; }
	hotsplice list > /tmp/fixture.list &&
	test_grep '^no updates applied' /tmp/fixture.list
}

# kyber_tracepoint_cycle ID [notrace]: the story of a package
# (tests/guest/patches/kyber-dispatch-module.patch) whose changed function of kyber-iosched.ko
# (/hs/modules) holds a tracepoint that the update leaves off: I/O through kyber on a loop
# device before, while live (the new code's message; unless notrace, kyber's tracepoints
# enabled and disabled: the jump-label code walks the module's sites, the patch has none to
# be walked) and after undo.
kyber_tracepoint_cycle() {
	T=/sys/kernel/tracing
	insmod /hs/modules/kyber-iosched.ko &&
	dd if=/dev/zero of=/tmp/kyber.img bs=1M count=2 2> /dev/null &&
	dev=$(losetup -f) && losetup "$dev" /tmp/kyber.img &&
	q=/sys/block/${dev#/dev/}/queue/scheduler &&
	echo kyber > $q && test_grep '\[kyber\]' $q &&
	kyber_io "$dev" &&
	hotsplice check -q "$HS_PACKAGES/$1.hsu" &&
	hotsplice apply -q "$HS_PACKAGES/$1.hsu" &&
	test_eq 1 "$(lp_sysfs "hs_$(echo "$1" | tr - _)" enabled)" "$1 enabled" &&
	kyber_io "$dev" &&
	dmesg > /tmp/kyber.klog && test_grep 'kyber: dispatched by the new code \(hotsplice\)' /tmp/kyber.klog &&
	{ [ "${2:-}" = notrace ] || {
		{ [ -d $T/events ] || mount -t tracefs nodev $T; } &&
		echo 1 > $T/events/kyber/enable && kyber_io "$dev" &&
		echo 0 > $T/events/kyber/enable
	}; } &&
	hotsplice undo -q "$1" &&
	kyber_io "$dev" &&
	echo none > $q &&
	losetup -d "$dev"
}
kyber_io() {	# kyber_io DEV: 1 MiB written through the scheduler and flushed
	dd if=/dev/zero of="$1" bs=4096 count=256 conv=fsync 2> /dev/null
}

# loop_nrproc_cycle ID: the story of a package (tests/guest/patches/loop-sizelimit-exported-call.patch)
# whose new code of loop.ko calls nr_processes(), which the running kernel does not export (the
# patch exports it; not made live): before, while live (/sys/block/loopN/loop/sizelimit shows
# the count the new code read from vmlinux, about as many as /proc lists) and after undo.
loop_nrproc_cycle() {
	grep -q '^loop ' /proc/modules &&
	dd if=/dev/zero of=/tmp/loop.img bs=1M count=1 2>/dev/null &&
	dev=$(losetup -f) && losetup "$dev" /tmp/loop.img &&
	f=/sys/block/${dev#/dev/}/loop/sizelimit &&
	test_eq 0 "$(cat $f)" "sizelimit before" &&
	hotsplice check -q "$HS_PACKAGES/$1.hsu" &&
	hotsplice apply -q "$HS_PACKAGES/$1.hsu" &&
	cat $f > /tmp/shown && test_grep '^0 \(hotsplice: [0-9]+ processes\)$' /tmp/shown &&
	n=$(sed 's/.*: \([0-9]*\) processes.*/\1/' /tmp/shown) &&
	procs=$(ls -d /proc/[0-9]* | wc -l) &&
	{ { [ "$n" -gt 0 ] && [ "$n" -ge $((procs - 20)) ] && [ "$n" -le $((procs + 20)) ]; } ||
		{ echo "FAIL: nr_processes() read $n, /proc lists $procs"; false; }; } &&
	hotsplice undo -q "$1" &&
	test_eq 0 "$(cat $f)" "sizelimit after undo" &&
	losetup -d "$dev"
}

# power_cut: cut the guest's power now, as a scenario's last step: the host
# kills QEMU when it reads this line, and the scenario counts as passed. The
# next boot of the scenario's disk finds the disk as it was at this instant.
power_cut() {
	# its 'say' lines so far (the runner collects the output in /tmp/out)
	sed -n 's/^# /@@HS info /p' /tmp/out > /dev/ttyS1 2>/dev/null
	echo "@@HS power-cut $HS_SCENARIO" > /dev/ttyS1
	sleep 60
	echo "FAIL: the host did not cut the power"
	return 1
}

# powercut_replayed_exactly: after a power cut during the apply of f-02 on top of
# cmdline-mark1 (the powercut-* scenarios), the state is mark1, or mark1 then
# f-02, and the kernel that replay brought up runs exactly that.
powercut_replayed_exactly() {
	S=/var/lib/hotsplice
	cat /run/hs-boot/replay.out &&
	test_eq 0 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
	hotsplice list > list &&
	test_grep '^cmdline-mark1 +applied ' list && grep -q '^hotsplice-1: ' /proc/cmdline &&
	if grep -q '^applied f-02 ' $S/state; then
		say "the state is the one after the apply of f-02" &&
		test_eq 3 "$(wc -l < $S/state)" "lines of the state" &&
		test -f $S/updates/f-02.hsu && test_grep '^f-02 +applied ' list &&
		test_eq "hotsplice: /proc/version is live patched" "$(tail -n 1 /proc/version)" "version"
	else
		say "the state is the one before the apply of f-02" &&
		test_eq 2 "$(wc -l < $S/state)" "lines of the state" &&
		test_must_fail test -d /sys/kernel/livepatch/hs_f_02 &&
		test_eq 1 "$(wc -l < /proc/version)" "lines of /proc/version"
	fi
}
