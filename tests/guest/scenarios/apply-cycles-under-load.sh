# SPDX-License-Identifier: GPL-2.0
# 40 apply/undo cycles (80 transitions; about 1.5 s a cycle under TCG, the
# largest share of make check's guest time) while two processes read the patched
# /proc/cmdline in a loop: every read is the old or the new text, never anything
# else; no Oops/WARN; the state is consistent at the end.
# guest-timeout: 300
# guest-alone: yes
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
P=$HS_PACKAGES/cmdline-mark1.hsu
orig=$(cat /proc/cmdline)
cycles=40

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
