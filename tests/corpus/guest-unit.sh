# SPDX-License-Identifier: GPL-2.0
# guest-unit.sh - guest side of the corpus run: check, apply, smoke-test and undo one
# update package, and report one machine-readable line on the result port.
# Sourced by the generated scenarios (tests/corpus/run) from /hs/extra.

CORPUS_RES=/dev/ttyS1

# corpus_line WORDS...: a line the host reads back ("# corpus-..." in the TAP stream).
corpus_line() { echo "@@HS info $*" > $CORPUS_RES; }

# Seconds since boot, with hundredths.
corpus_now() { cut -d' ' -f1 /proc/uptime; }
corpus_secs() { awk "BEGIN { printf \"%.2f\", $2 - $1 }"; }

# The ext4 workload: a fresh ext4 file system (made on the host by mkfs.ext4: journal,
# extents) on a loop device (loop.ko is loaded by the harness) takes files that read
# back intact after the page cache is dropped.
corpus_ext4() {
	img=/tmp/corpus-ext4.img mnt=/tmp/corpus-ext4.mnt
	cp /hs/extra/ext4.img $img &&
	dev=$(losetup -f) &&
	losetup "$dev" $img &&
	mkdir -p $mnt &&
	mount -t ext4 "$dev" $mnt &&
	dd if=/dev/urandom of=$mnt/a bs=64k count=32 2>/dev/null &&
	cp $mnt/a $mnt/b && rm $mnt/a && mkdir $mnt/d && cp $mnt/b $mnt/d/c &&
	sum=$(md5sum < $mnt/b) && sync &&
	echo 3 > /proc/sys/vm/drop_caches &&
	test "$(md5sum < $mnt/d/c)" = "$sum" &&
	umount $mnt &&
	losetup -d "$dev" &&
	rm -f $img && return 0
	umount $mnt 2>/dev/null
	[ -n "${dev:-}" ] && losetup -d "$dev" 2>/dev/null
	rm -f $img
	return 1
}

# corpus_smoke: the system still works. Prints the failing step.
corpus_smoke() {
	i=0
	while [ $i -lt 40 ]; do
		/bin/true || { echo "fork/exec"; return 1; }
		i=$((i + 1))
	done
	( sleep 0 & wait ) || { echo "fork/wait"; return 1; }
	cat /proc/meminfo /proc/stat /proc/vmstat /proc/interrupts /proc/mounts \
	    /proc/self/status /proc/self/maps /proc/net/dev /proc/net/tcp /proc/modules \
	    /proc/loadavg /proc/uptime /proc/version /proc/cmdline > /dev/null ||
		{ echo "reading /proc"; return 1; }
	for p in /proc/[0-9]*; do cat "$p/stat" "$p/status" 2>/dev/null; done > /dev/null
	corpus_ext4 || { echo "ext4 on a loop device"; return 1; }
	ping -c 2 -W 2 127.0.0.1 > /dev/null 2>&1 || { echo "ping 127.0.0.1"; return 1; }
	return 0
}

# corpus_unit ID PACKAGE: the whole story of one unit; always reports
# "corpus-result ID OUTCOME CHECK_S APPLY_S UNDO_S REASON...".
corpus_unit() {
	id=$1 pkg=$2 outcome=applied why="" tc=- ta=- tu=-
	corpus_line "corpus-start $id"
	if ! why=$(corpus_smoke); then
		corpus_line "corpus-result $id smoke-before - - - smoke test failed before apply: $why"
		return 1
	fi
	t0=$(corpus_now)
	if ! hotsplice check "$pkg" > /tmp/corpus.out 2>&1; then
		tc=$(corpus_secs "$t0" "$(corpus_now)")
		why=$(grep -m1 -i 'error\|refus\|mismatch' /tmp/corpus.out || head -1 /tmp/corpus.out)
		cat /tmp/corpus.out
		corpus_line "corpus-result $id check-failed $tc - - $why"
		return 1
	fi
	t1=$(corpus_now)
	tc=$(corpus_secs "$t0" "$t1")
	if ! hotsplice apply "$pkg" > /tmp/corpus.out 2>&1; then
		ta=$(corpus_secs "$t1" "$(corpus_now)")
		why=$(grep -m1 -i 'error\|refus\|mismatch' /tmp/corpus.out || head -1 /tmp/corpus.out)
		cat /tmp/corpus.out
		corpus_line "corpus-result $id apply-failed $tc $ta - $why"
		return 1
	fi
	t2=$(corpus_now)
	ta=$(corpus_secs "$t1" "$t2")
	if ! why=$(corpus_smoke); then
		outcome=smoke-failed why="smoke test failed while applied: $why"
	elif ! hotsplice list | grep -Eq "^$id +applied "; then
		outcome=list-failed why="'hotsplice list' does not show $id as applied"
	fi
	t3=$(corpus_now)
	if ! hotsplice undo "$id" > /tmp/corpus.out 2>&1; then
		tu=$(corpus_secs "$t3" "$(corpus_now)")
		cat /tmp/corpus.out
		why="${why:+$why; }$(grep -m1 -i 'error' /tmp/corpus.out || head -1 /tmp/corpus.out)"
		corpus_line "corpus-result $id undo-failed $tc $ta $tu $why"
		return 1
	fi
	tu=$(corpus_secs "$t3" "$(corpus_now)")
	if [ $outcome = applied ] && ! why=$(corpus_smoke); then
		outcome=smoke-failed why="smoke test failed after undo: $why"
	fi
	corpus_line "corpus-result $id $outcome $tc $ta $tu ${why:--}"
	[ $outcome = applied ]
}
