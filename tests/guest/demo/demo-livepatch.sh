# SPDX-License-Identifier: GPL-2.0
# make demo, in the guest: the old kernel takes Debian's ext4 fix live, then gives it back.
# guest-timeout: 120
# The package is the one `make demo` created on the host (scripts/demo, step 3).
P=/hs/extra/hotsplice-debian-1154101.hsu
step() { echo; echo "\$ $*"; "$@"; }

say "the machine runs the OLD kernel:" &&
step uname -rv &&
step hotsplice uname -r &&
step hotsplice check $P &&
step hotsplice apply $P &&
step hotsplice list &&
step hotsplice uname -r &&
step cat /sys/kernel/livepatch/hs_debian_1154101/enabled &&
say "ext4 keeps working with the new code (a file system on a loop device):" &&
. /hs/patches/10-debian-ext4-mballoc.observe && observe_patched && echo "ext4 workload: ok" &&
step hotsplice undo debian-1154101 &&
step hotsplice list &&
step hotsplice uname -r
