# SPDX-License-Identifier: GPL-2.0
# Benchmark (not a test): apply and undo of a one-function update, and run-pre
# matching of the 133 functions of kernel/sys.o, timed inside the guest.
# guest-timeout: 300
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
P=$HS_PACKAGES/cmdline-mark1.hsu
now() { cut -d' ' -f1 /proc/uptime; }
runs=${HS_BENCH_RUNS:-7}

i=0
while [ $i -lt $runs ]; do
	a=$(now); hotsplice apply -q $P; b=$(now); hotsplice undo -q cmdline-mark1; c=$(now)
	echo "apply $(awk "BEGIN { print $b - $a }") undo $(awk "BEGIN { print $c - $b }")"
	i=$((i + 1))
done > /tmp/times
awk '{ print $2 }' /tmp/times | sort -n | awk '{ v[NR] = $1 } END { printf "apply (command start to transition done), %d runs: median %.2f s, min %.2f, max %.2f\n", NR, v[int((NR + 1) / 2)], v[1], v[NR] }'
awk '{ print $4 }' /tmp/times | sort -n | awk '{ v[NR] = $1 } END { printf "undo, %d runs: median %.2f s, min %.2f, max %.2f\n", NR, v[int((NR + 1) / 2)], v[1], v[NR] }'
a=$(now); cat /proc/kallsyms > /dev/null; b=$(now)
echo "reading /proc/kallsyms alone: $(awk "BEGIN { print $b - $a }") s"
a=$(now); hotsplice match-objects --func override_release /hs/extra/sys.o > /dev/null || true; b=$(now)
hotsplice match-objects /hs/extra/sys.o > /tmp/m || true; c=$(now)
echo "run-pre matching, 1 function (incl. loading kallsyms and kcore): $(awk "BEGIN { print $b - $a }") s"
echo "run-pre matching, $(tail -1 /tmp/m): $(awk "BEGIN { print $c - $b }") s"
true
