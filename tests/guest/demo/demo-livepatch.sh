# SPDX-License-Identifier: GPL-2.0
# The demo until `hotsplice create/apply` exist: a livepatch taking effect and
# being undone in the running Debian kernel, each step narrated.
say "running kernel: $(uname -r) ($(cut -d' ' -f4- /proc/version | sed 's/.*#/#/'))" &&
say "step 1: /proc/cmdline before patching:" &&
sed 's/^/#     /' /proc/cmdline &&
say "step 2: load the livepatch module hs_test_cmdline (replaces cmdline_proc_show)" &&
lp_load $HS_KMOD/hs_test_cmdline.ko &&
say "        /sys/kernel/livepatch/hs_test_cmdline: enabled=$(lp_sysfs hs_test_cmdline enabled) transition=$(lp_sysfs hs_test_cmdline transition)" &&
say "step 3: /proc/cmdline while patched:" &&
sed 's/^/#     /' /proc/cmdline &&
say "step 4: disable and unload the livepatch" &&
lp_unload hs_test_cmdline &&
say "step 5: /proc/cmdline after undo:" &&
sed 's/^/#     /' /proc/cmdline &&
say "kernel taint flags: $(cat /proc/sys/kernel/tainted) (K=livepatch, E/O=unsigned out-of-tree module)"
