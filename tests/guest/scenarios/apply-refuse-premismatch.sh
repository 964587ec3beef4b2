# SPDX-License-Identifier: GPL-2.0
# A package whose pre code does not match the running kernel is refused by
# run-pre matching, naming the function and the first differing offset.
# It is built from the 6.1.192-2 source with the 6.1.192-1 headers, so its
# release and version strings are right but ext4_mb_load_buddy_gfp is the
# 6.1.192-2 code (Debian changed that function between the two).
# guest-package: ext4-mismatch tests/guest/patches/ext4-buddy-noop-6.1.192-2.patch - --source @CACHE@/6.1.192-2/source --headers @CACHE@/6.1.192-1/headers
P=$HS_PACKAGES/ext4-mismatch.hsu

test_exit_code 4 hotsplice check $P 2> check.err &&
test_grep "function 'ext4_mb_load_buddy_gfp' \(vmlinux\) does not match the running kernel: 0x[0-9a-f]+: \+0x[0-9a-f]+: " check.err &&
test_grep "nothing was changed" check.err &&
test_exit_code 4 hotsplice apply $P 2> apply.err &&
test_grep "ext4_mb_load_buddy_gfp" apply.err &&
test_must_fail test -d /sys/kernel/livepatch/hs_ext4_mismatch &&
test_must_fail grep -q '^hs_ext4_mismatch ' /proc/modules &&
hotsplice list > list && test_grep '^no updates applied' list
