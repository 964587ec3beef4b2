# SPDX-License-Identifier: GPL-2.0
# Fixture 09 on Debian 12's 6.12 (cold part (.text.unlikely) of a changed function): create, check, apply, observe, undo.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 90
# guest-package: k612-09 tests/patches/09-cold-part-oom-adj.patch
fixture_cycle k612-09 /hs/patches/09-cold-part-oom-adj.observe
