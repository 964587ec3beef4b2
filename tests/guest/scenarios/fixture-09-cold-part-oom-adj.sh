# SPDX-License-Identifier: GPL-2.0
# Fixture 09-cold-part-oom-adj (tests/patches/09-cold-part-oom-adj.patch): create, check, apply, observe, undo.
# writing the legacy /proc/PID/oom_adj goes through
# guest-timeout: 90
# guest-package: f-09 tests/patches/09-cold-part-oom-adj.patch
fixture_cycle f-09 /hs/patches/09-cold-part-oom-adj.observe
