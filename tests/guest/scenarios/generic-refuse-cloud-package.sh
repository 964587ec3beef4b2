# SPDX-License-Identifier: GPL-2.0
# On the generic amd64 flavour, a package made for the cloud-amd64 flavour of the same
# Debian version is refused before anything is loaded, naming both kernels.
# guest-kernel: 6.1.192-1/amd64
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch 6.1.192-1
P=$HS_PACKAGES/cmdline-mark1.hsu

test_exit_code 4 hotsplice check $P 2> check.err &&
test_grep "is for kernel 6.1.0-55-cloud-amd64 .*but this kernel is 6.1.0-55-amd64" check.err &&
test_exit_code 4 hotsplice apply $P 2> apply.err &&
test_grep "is for kernel 6.1.0-55-cloud-amd64" apply.err &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
hotsplice list > list && test_grep '^no updates applied' list
