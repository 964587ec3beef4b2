# SPDX-License-Identifier: GPL-2.0
# Truncated, corrupted and empty packages are refused with what is wrong;
# nothing is loaded and the state is unchanged.
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
P=$HS_PACKAGES/cmdline-mark1.hsu
size=$(wc -c < $P)

head -c $((size / 2)) $P > trunc.hsu &&
cp $P corrupt.hsu &&
printf 'X' | dd of=corrupt.hsu bs=1 seek=$((size - 2048)) conv=notrunc 2>/dev/null &&
: > empty.hsu &&
echo "not a package" > text.hsu &&
hotsplice list > list0 &&

test_exit_code 1 hotsplice apply trunc.hsu 2> trunc.err &&
test_grep 'trunc.hsu' trunc.err &&
test_exit_code 1 hotsplice apply corrupt.hsu 2> corrupt.err &&
test_grep "corrupt.hsu.*(corrupted|truncated|missing)" corrupt.err &&
test_exit_code 1 hotsplice apply empty.hsu 2> empty.err &&
test_grep "empty.hsu" empty.err &&
test_exit_code 1 hotsplice check text.hsu 2> text.err &&
test_grep "text.hsu" text.err &&
test_exit_code 1 hotsplice apply /nonexistent.hsu 2> none.err &&
test_grep "/nonexistent.hsu" none.err &&

test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
hotsplice list > list1 && test_cmp list0 list1
