# SPDX-License-Identifier: GPL-2.0
# Self-test: a guest that stops reporting (here: its runner is stopped) is shown
# and booted again for the scenarios that did not report; this one passes then.
# guest-timeout: 5
grep -q 'hs.retry=1' /proc/cmdline || kill -STOP "$(cat /tmp/hs-runner.pid)"
