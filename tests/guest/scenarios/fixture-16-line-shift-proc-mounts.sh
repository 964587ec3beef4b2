# SPDX-License-Identifier: GPL-2.0
# Fixture 16-line-shift-proc-mounts (tests/patches/16-line-shift-proc-mounts.patch): create, check, apply, observe, undo.
# proc_show_options() (fs/proc/inode.c) adds the
# guest-timeout: 90
# guest-package: f-16 tests/patches/16-line-shift-proc-mounts.patch
fixture_cycle f-16 /hs/patches/16-line-shift-proc-mounts.observe
