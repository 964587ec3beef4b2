# SPDX-License-Identifier: GPL-2.0
# Signed packages on a package made here by hand (as in t-show.sh), signed
# with the openssl command (an independent CMS signer) by a throwaway key:
# with a certificate in $HOTSPLICE_TRUSTED, check accepts the signed package
# (and goes on to refuse it for being built for another kernel), and refuses
# with exit status 4 an unsigned one, one signed by an untrusted key, one
# whose MANIFEST, member or signature was changed; without a trusted
# certificate every one of them gets as far as the kernel check. show names
# the signer. create's signing options are checked before anything is built.
export HOTSPLICE_STATE=$PWD/state HOTSPLICE_RUN=$PWD/run HOTSPLICE_TRUSTED=$PWD/trusted
# key NAME: a throwaway self-signed certificate and key
key() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.crt" \
		-subj "/CN=hotsplice $1" -days 2 2>/dev/null
}
# package OUT [KEY]: update 't1' from the files in p/, signed by KEY when given
package() {
	(cd p && {
		printf 'format hotsplice-update 1\nid t1\ndescription signed test\n'
		printf 'target-release 0.0.0-hstest\ntarget-version #1 SMP hotsplice test\n'
		printf 'module hs_t1\n'
		for f in hs_t1.ko pre/kernel/t.o; do
			printf 'file %s %s %s\n' $f $(stat -c %s $f) $(sha256sum < $f | cut -c1-64)
		done
		printf 'func pre/kernel/t.o vmlinux t_show t_show 2\n'
	} > MANIFEST &&
	if [ -n "${2:-}" ]; then
		openssl cms -sign -binary -outform DER -in MANIFEST -signer "../$2.crt" \
			-inkey "../$2.key" -out MANIFEST.sig &&
		tar --format=ustar -cf "../$1" MANIFEST MANIFEST.sig hs_t1.ko pre/kernel/t.o
	else
		tar --format=ustar -cf "../$1" MANIFEST hs_t1.ko pre/kernel/t.o
	fi)
}
# retar IN OUT EDIT: IN unpacked, EDIT run in it, packed again as OUT
retar() {
	rm -rf x && mkdir x && tar -xf "$1" -C x && (cd x && eval "$3" &&
	tar --format=ustar -cf "../$2" MANIFEST MANIFEST.sig hs_t1.ko pre/kernel/t.o)
}
wrong_kernel="^error: update 't1' is for kernel 0.0.0-hstest"
key admin && key other &&
mkdir -p p/pre/kernel trusted &&
printf 'not really a module\n' > p/hs_t1.ko &&
head -c 300 /dev/urandom > p/pre/kernel/t.o &&
package unsigned.hsu && package signed.hsu admin && package other.hsu other &&
retar signed.hsu manifest.hsu "sed -i 's/signed test/signed, then changed/' MANIFEST" &&
retar signed.hsu member.hsu "printf X | dd of=hs_t1.ko bs=1 seek=3 conv=notrunc 2>/dev/null" &&
retar signed.hsu sig.hsu "printf '\\377' | dd of=MANIFEST.sig bs=1 seek=\$((\$(stat -c %s MANIFEST.sig) - 20)) conv=notrunc 2>/dev/null" &&

# no trusted certificate: signatures are not required
for p in unsigned signed other manifest sig; do
	test_exit_code 4 $HS check $p.hsu 2> $p.err0 && test_grep "$wrong_kernel" $p.err0 || exit 1
done &&

# the admin's certificate is trusted
cp admin.crt trusted/ &&
test_exit_code 4 $HS check signed.hsu 2> signed.err &&
test_grep "^update 't1': signed by /CN=hotsplice admin \(sha256 [0-9A-F:]+…\), trusted" signed.err &&
test_grep "$wrong_kernel" signed.err &&
test_exit_code 4 $HS check unsigned.hsu 2> unsigned.err &&
test_grep "^error: 'unsigned.hsu': update 't1' refused: it is not signed \('$PWD/trusted' holds 1 trusted certificate\); nothing was changed" unsigned.err &&
test_exit_code 4 $HS apply other.hsu 2> other.err &&
test_grep "^error: 'other.hsu': update 't1' refused: its signature does not verify against the trusted certificates: " other.err &&
test_exit_code 4 $HS check manifest.hsu 2> manifest.err &&
test_grep "^error: 'manifest.hsu': update 't1' refused: its signature does not verify" manifest.err &&
test_exit_code 4 $HS check sig.hsu 2> sig.err &&
test_grep "^error: 'sig.hsu': update 't1' refused: its (signature does not verify|signature \(MANIFEST.sig\) is not a CMS)" sig.err &&
test_exit_code 4 $HS check member.hsu 2> member.err &&
test_grep "member 'hs_t1.ko' is corrupted" member.err &&
test_grep "^error: 'member.hsu': refused: damaged or tampered with, and '$PWD/trusted' trusts only intact packages" member.err &&
for p in unsigned other manifest sig member; do
	test_must_fail grep -q "$wrong_kernel" $p.err || exit 1
done &&

# a certificate file among others: any trusted certificate will do
cat other.crt > trusted/other.pem && echo "not a certificate" > trusted/README &&
test_exit_code 4 $HS check other.hsu 2> other2.err && test_grep "$wrong_kernel" other2.err &&

# show: the signer, and whether it is trusted here
$HS show signed.hsu > show.out &&
test_grep '^signer      /CN=hotsplice admin \(sha256 [0-9A-F:]{23}…\)$' show.out &&
test_grep '^signature   trusted$' show.out &&
test_grep '^  t_show +kernel/t.o \(vmlinux\) sympos 2$' show.out &&
rm trusted/admin.crt &&
$HS show signed.hsu > show2.out && test_grep '^signature   not trusted: ' show2.out &&
rm -r trusted && $HS show --json signed.hsu > show.json &&
test_grep '"signer": "/CN=hotsplice admin \(sha256 [0-9A-F:]+…\)", "signature": "not verified", "module_signed": false' show.json &&
$HS show unsigned.hsu > show3.out && test_grep '^signature   none$' show3.out &&
test ! -e state &&

# create: key and certificate together, read before anything is compiled
test_exit_code 2 $HS create --patch x.patch --source s --headers h --sign-key admin.key 2> c1.err &&
test_exit_code 2 $HS create --patch x.patch --source s --headers h --sign-cert admin.crt 2> c2.err &&
test_exit_code 1 $HS create --patch x.patch --source s --headers h --sign-key nokey.pem --sign-cert admin.crt 2> c3.err &&
test_grep "^error: 'nokey.pem': cannot read a PEM private key" c3.err &&
test_exit_code 1 $HS create --patch x.patch --source s --headers h --sign-key other.key --sign-cert admin.crt 2> c4.err &&
test_grep "^error: 'admin.crt': the key 'other.key' does not belong to this certificate" c4.err
