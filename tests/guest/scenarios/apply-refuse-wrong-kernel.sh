# SPDX-License-Identifier: GPL-2.0
# A package built for another kernel (Debian 6.1.192-2) is refused before
# anything is loaded, naming both kernels.
# guest-package: cmdline-for-92-2 tests/guest/patches/cmdline-mark1.patch 6.1.192-2
P=$HS_PACKAGES/cmdline-for-92-2.hsu

test_exit_code 4 hotsplice check $P 2> check.err &&
test_grep "is for kernel 6.1.0-56-cloud-amd64 .*Debian 6.1.192-2.*but this kernel is 6.1.0-55-cloud-amd64" check.err &&
test_exit_code 4 hotsplice apply $P 2> apply.err &&
test_grep "is for kernel 6.1.0-56-cloud-amd64" apply.err &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_for_92_2 &&
hotsplice list > list && test_grep '^no updates applied' list
