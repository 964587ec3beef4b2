# SPDX-License-Identifier: GPL-2.0
# Guest boot: wall time of tests/guest/run for one trivial scenario (QEMU start to power-off),
# 5 runs, median. Also the livepatch load-to-transition-done time of the harness module.
set -euo pipefail
mkdir -p build/bench/boot
cat > build/bench/boot/trivial.sh <<'S'
# SPDX-License-Identifier: GPL-2.0
true
S
times=()
for i in 1 2 3 4 5; do
	t0=$(date +%s.%N)
	HS_SCENARIO_DIR=$PWD/build/bench/boot tests/guest/run trivial >/dev/null
	times+=("$(echo "$(date +%s.%N) - $t0" | bc)")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "boot+run+poweroff, 5 runs: median %.2f s (min %.2f, max %.2f)\n", a[3], a[1], a[5]}'
