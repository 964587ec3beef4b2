# SPDX-License-Identifier: GPL-2.0
# The benchmark's own code paths, cheaply (make bench is not part of make check):
# the measuring tool bench/hsb.c, the HS_TIMING marks, the guest's series parser
# and the table formatter, on small inputs with known answers.
export HOTSPLICE_STATE=$PWD/state HOTSPLICE_RUN=$PWD/run
B=$HS_ROOT/bench
gcc -O2 -Wall -Wextra -Werror -static -pthread -o hsb "$B/hsb.c" &&
test_exit_code 2 ./hsb &&
test_exit_code 2 ./hsb calls nothing 10 &&
test_exit_code 3 ./hsb time t1 sh -c 'exit 3' 2> t1.err &&
test_grep '^hsb-start t1 [0-9]+\.[0-9]{6}$' t1.err &&
test_grep '^hsb-end t1 [0-9.]+ cpu=[0-9.]+ maxrss_kb=[0-9]+ rc=3$' t1.err &&
./hsb calls getppid 1000 > calls.out &&
test_grep '^[0-9]+\.[0-9]$' calls.out &&
./hsb gaps 0.1 > gaps.out &&
test_grep "^gaps cpus=$(nproc) window=0\.[0-9]+ max_ms=[0-9.]+ over_1ms=[0-9]+$" gaps.out &&
# a mark at the start of undo, even with -q; the error after it changes nothing
HS_TIMING=1 test_exit_code 1 ./hsb time u "$HS" undo -q nothing 2> undo.err &&
test_grep '^timing: start [0-9]+\.[0-9]{6}$' undo.err &&
test_grep 'rc=1$' undo.err &&
HS_TIMING=0 test_exit_code 1 "$HS" undo -q nothing 2> undo0.err &&
test_must_fail grep -q timing: undo0.err &&
# series.awk: stages between marks, "done" at the switched mark, failed runs named
cat > stream <<'S' &&
hsb-start a 1.000000
timing: start 1.010000
timing: switched 1.500000
hsb-end a 1.600000 cpu=0 maxrss_kb=0 rc=0
hsb-start a 2.000000
timing: start 2.020000
timing: switched 2.400000
hsb-end a 2.450000 cpu=0 maxrss_kb=0 rc=1
S
awk -f "$B/guest/series.awk" stream > series &&
cat > series.exp <<'S' &&
BENCH a start ms 10.000 20.000
BENCH a switched ms 490.000 380.000
BENCH a done ms 500.000 400.000
BENCH a exit ms 100.000 50.000
BENCH a total ms 600.000 450.000
BENCH-FAILED a rc=1
S
test_cmp series.exp series &&
# table.awk: runs, min, median (odd and even counts), max, a ratio of medians
printf 'row\ts1\tx\tms\tm1\t3 1 2\nrow\ts1\ty\tms\tm1\t40 1 2 10\n' > r.tsv &&
printf 'ratio\ts1\tx/y\tx\tmedians\tx\ty\nratio\ts1\tx/z\tx\tmedians\tx\tz\nnote\ts1\thi\n' >> r.tsv &&
awk -f "$B/table.awk" r.tsv > table &&
cat > table.exp <<'S' &&

== s1
  figure                                                       runs       min    median       max  unit
  (m1)
  x                                                               3      1.00      2.00      3.00  ms
  y                                                               4      1.00      6.00      40.0  ms
  (medians)
  x/y                                                             -         -      0.33         -  x
  (medians (a figure is missing))
  x/z                                                             -         -       n/a         -  x
  note: hi
S
test_cmp table.exp table &&
awk -v md=1 -f "$B/table.awk" r.tsv > table.md &&
test_grep '^\| y \| 4 \| 1.00 \| 6.00 \| 40.0 \| ms \| m1 \|$' table.md &&
test_grep '^- hi$' table.md &&
test_exit_code 2 "$B/run" --frobnicate
