# SPDX-License-Identifier: GPL-2.0
# On 6.1, a package made for Debian's 6.12.113-1~deb12u1 is refused before anything is
# loaded, naming both kernels.
# guest-package: cmdline-612 tests/guest/patches/cmdline-mark1.patch 6.12.113-1~deb12u1
P=$HS_PACKAGES/cmdline-612.hsu

test_exit_code 4 hotsplice check $P 2> check.err &&
test_grep "is for kernel 6.12.113.deb12-cloud-amd64 .*but this kernel is 6.1.0-55-cloud-amd64" check.err &&
test_exit_code 4 hotsplice apply $P 2> apply.err &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_612 &&
hotsplice list > list && test_grep '^no updates applied' list
