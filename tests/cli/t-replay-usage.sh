# SPDX-License-Identifier: GPL-2.0
# replay and undo --purge: usage errors exit 2 before reading any state.
test_exit_code 2 $HS replay extra 2> a.err &&
test_grep '^usage: hotsplice replay' a.err &&
test_exit_code 2 $HS replay --timeout soon 2> b.err &&
test_grep "'soon' is not a number of seconds" b.err &&
test_exit_code 2 $HS replay --frobnicate 2> c.err &&
test_grep '^usage: hotsplice replay' c.err &&
test_exit_code 2 $HS undo --purge --all 2> d.err &&
test_grep '^usage: hotsplice undo' d.err &&
test_exit_code 2 $HS undo --purge some-id 2> e.err &&
test_grep '^usage: hotsplice undo .*--purge' e.err &&
$HS help replay > h.out && test_grep '^usage: hotsplice replay \[--timeout S\] \[-q \| -v\]$' h.out
