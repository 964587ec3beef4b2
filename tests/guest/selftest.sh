#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove the harness can fail: run tests/guest/selftest/ (scenarios that must fail
# for a known reason, then one that must pass) and check each verdict.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=$(HS_SCENARIO_DIR=$PWD/tests/guest/selftest HS_GUEST_IDLE_MARGIN=10 tests/guest/run 2>&1)
n=0
expect() { # NAME PATTERN
	n=$((n + 1))
	if grep -Eq "$2" <<<"$out"; then
		echo "ok $n - guest-harness/$1"
	else
		echo "not ok $n - guest-harness/$1: no line matching '$2' in:"
		sed 's/^/# /' <<<"$out" | tail -40
	fi
}
expect detects-failed-check '^not ok [0-9]+ - guest/fails-exit: exit status 1'
expect shows-failure-output "^#   FAIL: one: expected '1', got '2'"
expect detects-check-in-broken-chain "^not ok [0-9]+ - guest/fails-broken-chain: a check failed: broken: expected '1', got '2'"
expect detects-kernel-warning '^not ok [0-9]+ - guest/fails-warn: kernel log: .*WARNING'
expect detects-new-taint '^not ok [0-9]+ - guest/fails-warn: .*new kernel taint'
expect detects-timeout '^not ok [0-9]+ - guest/fails-timeout: timed out after 2s'
expect stops-what-a-timed-out-scenario-started '^ok [0-9]+ - guest/gone-after-timeout'
expect detects-leaked-livepatch '^not ok [0-9]+ - guest/fails-leak: left livepatch loaded: hs_test_cmdline'
expect clean-scenario-passes '^ok [0-9]+ - guest/passes'
expect names-hung-scenario "^# WARNING: the guest hung while running 'hangs-once'"
expect shows-hung-vcpus '^# CPU#1 RIP=[0-9a-f]+ CPL=[0-3]'
expect shows-hung-backtraces '^#   .*NMI backtrace for cpu'
expect boots-again-after-hang '^ok [0-9]+ - guest/hangs-once'
n=$((n + 1))
want=$(ls tests/guest/selftest/*.sh | wc -l)
got=$(grep -cE '^(ok|not ok) [0-9]+ - guest/' <<<"$out")
last=$(grep -oE '^(ok|not ok) [0-9]+' <<<"$out" | tail -1 | grep -oE '[0-9]+$')
if [ "$got" = "$want" ] && [ "$last" = "$want" ]; then
	echo "ok $n - guest-harness/counts-each-scenario-once"
else
	echo "not ok $n - guest-harness/counts-each-scenario-once: $got verdicts, last numbered $last, for $want scenarios"
fi
