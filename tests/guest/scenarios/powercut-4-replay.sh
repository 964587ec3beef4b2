# SPDX-License-Identifier: GPL-2.0
# Power cut story, boot 4 of 4: after the cut while apply recorded the update,
# the state is before or after it and replay restored exactly that. Undo
# clears everything.
# guest-disk: powercut
# guest-boot: 4
# guest-boot-replay: yes
# guest-timeout: 60
S=/var/lib/hotsplice

powercut_replayed_exactly &&
hotsplice undo -q --all &&
test_eq "" "$(ls /sys/kernel/livepatch 2>/dev/null)" "livepatches" &&
test_eq 1 "$(wc -l < /proc/version)" "lines of /proc/version" &&
hotsplice list > list2 && test_grep '^no updates applied' list2
