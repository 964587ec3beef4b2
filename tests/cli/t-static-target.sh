# SPDX-License-Identifier: GPL-2.0
# The static target binary (build/hotsplice.static, what guests and target machines
# run) is the target archive alone: it has the verbs of the running kernel, names the
# full hotsplice for the others, and holds no build pipeline or patch parser.
S=$HS_ROOT/build/hotsplice.static
export HOTSPLICE_STATE=$PWD/state HOTSPLICE_CACHE=$PWD/cache HOTSPLICE_RUN=$PWD/run
test -x "$S" &&
$S --help > h.out &&
test_grep "^   create .*(build host: not in this binary)" h.out &&
test_grep "^   apply          verify, then switch" h.out &&
! grep -q "^   apply .*not in this binary" h.out &&
test_exit_code 2 $S create --kernel 6.1.192-1 --patch p.diff 2> c.err &&
test_grep "'create' is not in this hotsplice: it is the target-only build" c.err &&
test_exit_code 2 $S deb -o out a.hsu 2> d.err &&
test_grep "'deb' is not in this hotsplice" d.err &&
test ! -e out && test ! -e state &&
$S list > l.out &&
test_grep "no updates" l.out &&
# the full hotsplice has the build pipeline, the static one none of it
nm "$HS" | grep -q " T hs_patch_parse$" &&
nm "$HS" | grep -q " T hs_create$" &&
! nm "$S" | grep -E " T (hs_patch_parse|hs_create|hs_kbuild_[a-z_]*|hs_diff_[a-z_]*|hs_klp_[a-z_]*|hs_release_[a-z_]*|hs_sign_[a-z_]*)$"
