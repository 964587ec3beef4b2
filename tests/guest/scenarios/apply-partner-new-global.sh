# SPDX-License-Identifier: GPL-2.0
# A fix that spans two files, given whole: fs/proc/loadavg.c only adds a new global
# function, and the change to fs/proc/uptime.c is its only caller (the shape of the
# half-a-fix issue, with both halves). The file that replaces nothing is linked into the
# module all the same, and the caller calls its new function: /proc/uptime ends with
# " hotsplice" while live (it was "no function to replace", or a symbol the kernel lacks).
# guest-timeout: 90
# guest-package: pair tests/guest/patches/partner-new-global-uptime.patch
grep -qv hotsplice /proc/uptime &&
hotsplice check -q $HS_PACKAGES/pair.hsu &&
hotsplice apply -q $HS_PACKAGES/pair.hsu &&
test_grep ' hotsplice$' /proc/uptime &&
test_grep '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+/[0-9]+ [0-9]+$' /proc/loadavg &&
hotsplice undo -q pair &&
test_must_fail grep -q hotsplice /proc/uptime
