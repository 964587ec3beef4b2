# SPDX-License-Identifier: GPL-2.0
# Signed updates: with the test administrator's certificate trusted
# ($HOTSPLICE_TRUSTED), an unsigned package, a signed one whose MANIFEST was
# changed, and a signed one whose module was changed are refused (exit 4)
# before anything is loaded, the kernel and the state unchanged; the signed
# package applies (its module loaded exactly as signed) and undo takes it out.
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: cmdline-signed tests/guest/patches/cmdline-mark1.patch 6.1.192-1 @SIGN@
export HOTSPLICE_TRUSTED=/tmp/hs-trusted
S=$HS_PACKAGES/cmdline-signed.hsu
W=/tmp/signed-updates
rm -rf $W $HOTSPLICE_TRUSTED && mkdir -p $W/m $W/k $HOTSPLICE_TRUSTED && cd $W

# retamper DIR OUT: pack DIR again as OUT, members in the package's order
repack() { (cd "$1" && tar -cf "../$2" $(tar -tf "$S")); }

cp /hs/keys/admin.crt $HOTSPLICE_TRUSTED/ &&
tar -xf $S -C m && sed -i 's/^description .*/description an innocent-looking change/' m/MANIFEST &&
repack m manifest.hsu &&
tar -xf $S -C k && printf 'X' | dd of=k/hs_cmdline_signed.ko bs=1 seek=4096 conv=notrunc 2>/dev/null &&
repack k module.hsu &&
hotsplice show $S > show.out && test_grep '^signer      /CN=hotsplice guest test admin ' show.out &&
test_grep '^signature   trusted$' show.out && test_grep '^module      hs_cmdline_signed.ko \(signed\)$' show.out &&
hotsplice list > list0 && cat /proc/cmdline > cmdline0 &&
test_must_fail grep -q '^hotsplice-1: ' cmdline0 &&

test_exit_code 4 hotsplice apply $HS_PACKAGES/cmdline-mark1.hsu 2> unsigned.err &&
test_grep "update 'cmdline-mark1' refused: it is not signed \('/tmp/hs-trusted' holds 1 trusted certificate\); nothing was changed" unsigned.err &&
test_exit_code 4 hotsplice check $HS_PACKAGES/cmdline-mark1.hsu 2> unsigned-check.err &&
test_exit_code 4 hotsplice apply manifest.hsu 2> manifest.err &&
test_grep "update 'cmdline-signed' refused: its signature does not verify against the trusted certificates" manifest.err &&
test_exit_code 4 hotsplice apply module.hsu 2> module.err &&
test_grep "member 'hs_cmdline_signed.ko' is corrupted" module.err &&
test_grep "'module.hsu': refused: damaged or tampered with" module.err &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_signed &&
hotsplice list > list1 && test_cmp list0 list1 && cat /proc/cmdline > cmdline1 && test_cmp cmdline0 cmdline1 &&

hotsplice apply $S 2> apply.err &&
test_grep "update 'cmdline-signed': signed by /CN=hotsplice guest test admin .*, trusted" apply.err &&
grep -q '^hotsplice-1: ' /proc/cmdline &&
test "$(lp_sysfs hs_cmdline_signed enabled)" = 1 &&
hotsplice list | grep -q cmdline-signed &&
hotsplice undo cmdline-signed &&
cat /proc/cmdline > cmdline2 && test_cmp cmdline0 cmdline2 &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_signed
