# SPDX-License-Identifier: GPL-2.0
# deb wraps a package made here by hand (as in t-show) as a .deb: its name,
# version and dependencies come from the MANIFEST, the package inside is the
# same bytes, the maintainer scripts are valid sh; the postinst on another
# kernel says so and touches nothing, and a failing apply fails it. Bad input
# writes nothing.
# package OUT TARGET-VERSION
package() {
	(cd p && {
		printf 'format hotsplice-update 1\nid t1\ndescription a test fix\n'
		printf 'created 2026-11-29T01:02:03Z\n'
		printf 'target-release 0.0.0-HStest\ntarget-version %s\n' "$2"
		printf 'compiler gcc-12 (test) 12.2.0\nmodule hs_t1\n'
		for f in hs_t1.ko patch.diff pre/kernel/t.o; do
			printf 'file %s %s %s\n' $f $(stat -c %s $f) $(sha256sum < $f | cut -c1-64)
		done
		printf 'func pre/kernel/t.o vmlinux t_show t_show\n'
	} > MANIFEST &&
	tar --format=ustar -cf "../$1" MANIFEST hs_t1.ko patch.diff pre/kernel/t.o)
}
kv='#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1 (2026-11-14)'
name=hotsplice-update-0.0.0-hstest
mkdir -p p/pre/kernel bin &&
printf 'not really a module\n' > p/hs_t1.ko &&
printf -- '--- a/kernel/t.c\n+++ b/kernel/t.c\n' > p/patch.diff &&
head -c 300 /dev/urandom > p/pre/kernel/t.o &&
package t1.hsu "$kv" &&
DEBEMAIL=ops@example.org DEBFULLNAME=Ops $HS deb -q -o out t1.hsu > path.out &&
deb=out/${name}_20261129.010203_amd64.deb &&
echo "$deb" > path.expect && test_cmp path.expect path.out &&
test "$(dpkg-deb -f "$deb" Package)" = $name &&
test "$(dpkg-deb -f "$deb" Version)" = 20261129.010203 &&
test "$(dpkg-deb -f "$deb" Maintainer)" = "Ops <ops@example.org>" &&
dpkg-deb -f "$deb" Depends > dep.out &&
echo "hotsplice (>= $($HS version | cut -d' ' -f2)), linux-image-0.0.0-hstest (= 6.1.192-1) | linux-image-0.0.0-hstest-unsigned (= 6.1.192-1)" > dep.expect &&
test_cmp dep.expect dep.out &&
dpkg-deb -x "$deb" x && dpkg-deb -e "$deb" x/DEBIAN &&
test_cmp t1.hsu x/usr/lib/hotsplice/updates/$name.hsu &&
for s in postinst prerm postrm; do test -x x/DEBIAN/$s && sh -n x/DEBIAN/$s || exit 1; done &&
grep -qxF "KVERSION='$kv'" x/DEBIAN/postinst &&
test_grep '^hotsplice apply "[$]HSU"' x/DEBIAN/postinst &&
test_grep "hotsplice undo \"[$]id\"" x/DEBIAN/prerm &&
test -z "$(ls -A out | grep -v '[.]deb$')" &&
# the postinst on another kernel: a message, exit 0, hotsplice not run
printf '#!/bin/sh\necho "hotsplice $*" >> %s/ran\nexit ${HS_FAKE_RC:-0}\n' "$PWD" > bin/hotsplice &&
printf '#!/bin/sh\n[ "$1" = -r ] && echo 9.9.9-other || echo "#9 other"\n' > bin/uname &&
chmod +x bin/hotsplice bin/uname &&
PATH=$PWD/bin:$PATH sh x/DEBIAN/postinst configure > pi.out 2>&1 &&
test_grep "is for Linux 0.0.0-HStest .* runs 9.9.9-other .*not applied" pi.out &&
test ! -e ran &&
# on the target kernel a failing apply fails the postinst with the reason
printf '#!/bin/sh\n[ "$1" = -r ] && echo 0.0.0-HStest || echo "%s"\n' "$kv" > bin/uname &&
HS_FAKE_RC=4 PATH=$PWD/bin:$PATH test_exit_code 1 sh x/DEBIAN/postinst configure 2> pi.err &&
test_grep "live update t1 not applied: 'hotsplice apply' exited 4" pi.err &&
test_grep '^hotsplice apply /usr/lib/hotsplice/updates/' ran &&
# options
$HS deb -q -o out --deb-version 2 --name hs-fix t1.hsu > p2.out &&
test -f out/hs-fix_2_amd64.deb &&
# a target without a Debian version needs --kernel-version
package t2.hsu '#1 SMP custom build' &&
test_exit_code 1 $HS deb -o out2 t2.hsu 2> e1.err &&
test_grep 'names no Debian version; give --kernel-version' e1.err &&
test ! -e out2/*.deb &&
$HS deb -q -o out2 --kernel-version 1.0-1 t2.hsu > /dev/null &&
test "$(dpkg-deb -f out2/*.deb Depends | grep -o '(= [^)]*)' | head -1)" = "(= 1.0-1)" &&
# bad version, damaged package, usage
test_exit_code 1 $HS deb -o out3 --deb-version 'x!' t1.hsu 2> e2.err &&
test_grep "'x!' is not a valid Debian version" e2.err &&
head -c 2000 t1.hsu > bad.hsu &&
test_exit_code 1 $HS deb -o out3 bad.hsu 2> e3.err &&
test -z "$(ls -A out3 2>/dev/null)" &&
test_exit_code 2 $HS deb t1.hsu 2> e4.err &&
test_grep '^usage: hotsplice deb' e4.err
