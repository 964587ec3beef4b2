# SPDX-License-Identifier: GPL-2.0
# list and uname read only: on a missing state store (which they do not create), on a
# state holding an update recorded for another kernel (shown with --all only,
# never counted by uname), and on a damaged state (exit 1 naming the file and
# line, the file left as it was). The state store is a directory made here.
export HOTSPLICE_STATE=$PWD/state HOTSPLICE_RUN=$PWD/run
rel=$(uname -r) &&
deb=$(uname -v | sed -n 's/.*Debian \([^ ]*\).*/\1/p') &&
eff=${deb:-$rel} &&
$HS list > a.out &&
echo "no updates applied to $rel" > a.expect && test_cmp a.expect a.out &&
test ! -e state &&
$HS list --json > b.out &&
echo "{\"kernel\": \"$rel\", \"replay\": null, \"updates\": []}" > b.expect && test_cmp b.expect b.out &&
$HS uname > c.out && echo "$eff" > c.expect && test_cmp c.expect c.out &&
$HS uname -r > c2.out && test_cmp c.expect c2.out &&
$HS uname -a > d.out &&
echo "$eff (running $rel $(uname -v); 0 updates applied)" > d.expect && test_cmp d.expect d.out &&
mkdir -m 755 state &&
printf 'hotsplice-state 1\napplied old-fix hs_old_fix 1700000000 0.0.0-hstest 0123456789abcdef 0.0.0-hstest+1 vmlinux:t_show,vmlinux:t_other an old fix\n' > state/state &&
cp state/state state.copy &&
$HS list > e.out && test_cmp a.expect e.out &&
$HS list --all > f.out &&
test_grep '^ID +STATE +APPLIED +DESCRIPTION / FUNCTIONS$' f.out &&
test_grep "^old-fix +other-kernel +$(date -d @1700000000 '+%Y-%m-%d %H:%M:%S') +an old fix$" f.out &&
test_grep '^ +functions: vmlinux:t_show,vmlinux:t_other \(for kernel 0.0.0-hstest\)$' f.out &&
$HS list --json > g.out &&
test_grep '^  \{"id": "old-fix", "state": "other-kernel", "livepatch": "hs_old_fix", "description": "an old fix", "functions": "vmlinux:t_show,vmlinux:t_other", "target_release": "0.0.0-hstest", "effective_version": "0.0.0-hstest\+1", "replaced_by": null, "applied_at": 1700000000\}' g.out &&
$HS uname -a > h.out && test_cmp d.expect h.out &&
test_cmp state.copy state/state &&
printf 'hotsplice-state 1\napplied broken\n' > state/state && cp state/state state.copy &&
test_exit_code 1 $HS list 2> i.err &&
test_grep "^error: the state '$PWD/state/state' is damaged at line 2; it was not changed" i.err &&
test_exit_code 1 $HS uname 2> j.err && test_grep "is damaged at line 2" j.err &&
test_exit_code 1 $HS list --json > k.out 2>/dev/null && test ! -s k.out &&
test_cmp state.copy state/state &&
echo 'something else' > state/state &&
test_exit_code 1 $HS list 2> l.err && test_grep "is damaged at line 1" l.err &&
test ! -e run && test ! -e state/lock && test ! -e state/updates &&
test "$(stat -c %a state)" = 755
