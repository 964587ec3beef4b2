# SPDX-License-Identifier: GPL-2.0
# runner.sh - guest side of the harness: run each scenario in /hs/scenarios in
# order and report on /dev/ttyS1. A scenario fails when it exits non-zero, times
# out, leaves a livepatch loaded, or the kernel log shows a problem or a new taint.

RES=/dev/ttyS1
stty -F $RES raw -echo 2>/dev/null
emit() { echo "@@HS $*" > $RES; }

# Taint bits a livepatch or an unsigned, out-of-tree module sets: O=12, E=13, K=15.
TAINT_OK=$(( (1 << 12) | (1 << 13) | (1 << 15) ))
BAD_KLOG='Oops|BUG:|WARNING:|Kernel panic|general protection fault|soft lockup|hard LOCKUP|rcu.*(detected stall|self-detected stall)|blocked for more than|Call Trace:|UBSAN:|KASAN:|kernel BUG'

# scenario_header FILE KEY DEFAULT
scenario_header() {
	v=$(sed -n "s/^# guest-$2: *//p" "$1" | head -1)
	echo "${v:-$3}"
}

# send_lines PREFIX FILE [MAX]: forward a file to the host, one line each.
send_lines() {
	tail -n "${3:-200}" "$2" | while IFS= read -r l; do emit "out $1$l"; done
}

# Disable and unload livepatches a failed scenario left behind.
cleanup_livepatches() {
	for p in /sys/kernel/livepatch/*; do
		[ -d "$p" ] || continue
		echo 0 > "$p/enabled" 2>/dev/null
		i=0
		while [ "$(cat "$p/transition" 2>/dev/null)" = 1 ] && [ $i -lt 100 ]; do
			sleep 0.1; i=$((i + 1))
		done
		rmmod "${p##*/}" 2>/dev/null
	done
}

grep -q "hs.verbose=1" /proc/cmdline && HS_VERBOSE=1
emit "info guest: $(uname -r) $(cut -d' ' -f4- /proc/version)"
echo $$ > /tmp/hs-runner.pid	# (the harness self-test stops it to fake a hang)
echo 1 > /proc/sys/kernel/sysrq	# the host asks a hung guest for backtraces
dmesg -n 5	# (and the console shows a lockup report's backtrace, "quiet" or not)
if [ -f "/lib/modules/$(uname -r)/load-order" ] && [ -e /sys/bus/pci ]; then
	for m in $(cat "/lib/modules/$(uname -r)/load-order"); do
		insmod "/lib/modules/$(uname -r)/$m" 2>/dev/null
	done
fi
dmesg > /tmp/boot.klog
if grep -Eq "$BAD_KLOG" /tmp/boot.klog; then
	emit "info kernel log of the boot shows a problem:"
	grep -E -B2 -A10 "$BAD_KLOG" /tmp/boot.klog | head -40 | while IFS= read -r l; do emit "out $l"; done
fi
dmesg -c > /dev/null

for s in /hs/scenarios/*.sh; do
	name=${s##*/}; name=${name%.sh}
	limit=$(scenario_header "$s" timeout 60)
	taint0=$(cat /proc/sys/kernel/tainted)
	lp0=$(ls /sys/kernel/livepatch 2>/dev/null | tr '\n' ' ')
	t0=$(cut -d' ' -f1 /proc/uptime)
	echo "HS scenario $name start" > /dev/kmsg
	# its own session: busybox timeout stops only the shell, so what the shell started
	# (an apply half-way, a reader loop) is stopped with its process group after a failure
	HS_SCENARIO=$name timeout "$limit" setsid sh -c "echo \$\$ > /tmp/scenario.pgid
		set -eu; . /hs/lib.sh; . '$s'" > /tmp/out 2>&1
	rc=$?
	if [ $rc != 0 ] && [ -s /tmp/scenario.pgid ]; then
		kill -9 -- "-$(cat /tmp/scenario.pgid)" 2>/dev/null
		sleep 0.2
	fi
	rm -f /tmp/scenario.pgid
	t1=$(cut -d' ' -f1 /proc/uptime)
	lp1=$(ls /sys/kernel/livepatch 2>/dev/null | tr '\n' ' ')
	dmesg -c > /tmp/klog
	taint1=$(cat /proc/sys/kernel/tainted)
	why=""
	if [ $rc = 143 ] || [ $rc = 124 ]; then why="timed out after ${limit}s"
	elif [ $rc != 0 ]; then why="exit status $rc"; fi
	# a failed check whose && chain was broken by a ';' still fails the scenario
	if [ -z "$why" ] && grep -q '^FAIL: ' /tmp/out; then
		why="a check failed: $(grep -m1 '^FAIL: ' /tmp/out | cut -c7-100)"
	fi
	allow=$(scenario_header "$s" allow-klog '^$')
	if grep -Ev "$allow" /tmp/klog | grep -Eq "$BAD_KLOG"; then
		why="${why:+$why; }kernel log: $(grep -Ev "$allow" /tmp/klog | grep -Em1 "$BAD_KLOG" | cut -c1-120)"
	fi
	new=$(( (taint1 & ~taint0) & ~TAINT_OK ))
	[ $new != 0 ] && why="${why:+$why; }new kernel taint $new (was $taint0, now $taint1)"
	# livepatches loaded before it (replayed at boot) may go; new ones must, unless
	# the scenario leaves them for the next boot to replay
	left=""
	for p in $lp1; do case " $lp0" in *" $p "*) ;; *) left="$left$p " ;; esac; done
	[ "$(scenario_header "$s" keep-livepatches no)" = yes ] && left=""
	if [ -n "$left" ]; then
		why="${why:+$why; }left livepatch loaded: $left"
		# what it applied is taken out the way a user would, then whatever is left
		[ $rc != 0 ] && hotsplice undo --all -q > /dev/null 2>&1
		cleanup_livepatches
	fi
	secs=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")
	if [ -z "$why" ]; then
		emit "ok $name (${secs}s)"
		[ -n "${HS_VERBOSE:-}" ] && send_lines "" /tmp/out
	else
		emit "not-ok $name $why"
		send_lines "" /tmp/out
		emit "out --- kernel log:"
		send_lines "" /tmp/klog 100
	fi
done
emit done
