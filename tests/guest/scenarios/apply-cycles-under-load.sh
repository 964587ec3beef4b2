# SPDX-License-Identifier: GPL-2.0
# 100 apply/undo cycles while two processes read the patched /proc/cmdline in a
# loop: every read is the old or the new text, never anything else; no
# Oops/WARN; the state is consistent at the end.
# guest-timeout: 600
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
P=$HS_PACKAGES/cmdline-mark1.hsu
orig=$(cat /proc/cmdline)
cycles=${HS_CYCLES:-100}

reader() {
	while [ ! -f /tmp/stop ]; do
		l=$(cat /proc/cmdline)
		[ "$l" = "$orig" ] || [ "$l" = "hotsplice-1: $orig" ] || echo "bad read: $l" >> /tmp/bad
	done
}
reader & r1=$!
reader & r2=$!
i=0
while [ $i -lt $cycles ]; do
	hotsplice apply -q $P || break
	hotsplice undo -q cmdline-mark1 || break
	i=$((i + 1))
done
touch /tmp/stop
wait $r1 $r2
say "$i of $cycles cycles" &&
test_eq "$cycles" "$i" cycles &&
test_must_fail test -s /tmp/bad &&
test_eq "$orig" "$(cat /proc/cmdline)" "final /proc/cmdline" &&
hotsplice list > list && test_grep '^no updates applied' list &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1
