# SPDX-License-Identifier: GPL-2.0
# update-repo makes a signed reprepro repository that apt (with Signed-By) reads:
# a live update added as two versions of one package: apt's candidate is the newer;
# a repository whose signature is not by the Signed-By key is refused by apt.
mkdir -p p/pre/kernel &&
printf 'm\n' > p/hs_t1.ko && printf 'd\n' > p/patch.diff && printf 'o\n' > p/pre/kernel/t.o &&
(cd p && {
	printf 'format hotsplice-update 1\nid t1\ndescription a test fix\ncreated 2026-11-29T01:02:03Z\n'
	printf 'target-release 0.0.0-hstest\ntarget-version #1 SMP Debian 6.1.192-1 (x)\n'
	printf 'compiler gcc-12\nmodule hs_t1\n'
	for f in hs_t1.ko patch.diff pre/kernel/t.o; do
		printf 'file %s %s %s\n' $f $(stat -c %s $f) $(sha256sum < $f | cut -c1-64)
	done
	printf 'func pre/kernel/t.o vmlinux t_show t_show\n'
} > MANIFEST && tar --format=ustar -cf ../t1.hsu MANIFEST hs_t1.ko patch.diff pre/kernel/t.o) &&
$HS deb -q -o debs --deb-version 1 t1.hsu > /dev/null &&
$HS deb -q -o debs --deb-version 2 t1.hsu > /dev/null &&
"$HS_ROOT/scripts/update-repo" --repo repo debs/*_1_amd64.deb > sources.out 2> add1.err &&
test_grep '^Signed-By: /etc/apt/keyrings/hotsplice-archive-keyring.gpg$' sources.out &&
test -s repo/public/dists/bookworm/InRelease &&
test "$(stat -c %a repo/gnupg)" = 700 &&
test ! -e repo/public/gnupg &&
# apt with its own state, reading only this repository
mkdir -p apt/lists/partial apt/cache/archives/partial apt/etc/preferences.d apt/etc/apt.conf.d &&
sed "s@^Signed-By: .*@Signed-By: $PWD/repo/public/hotsplice-archive-keyring.gpg@" sources.out > apt/etc/hs.sources &&
: > apt/status &&
A="-o Dir::State::Lists=$PWD/apt/lists -o Dir::Cache=$PWD/apt/cache -o Dir::State::status=$PWD/apt/status
   -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$PWD/apt/etc/srcparts
   -o Dir::Etc::Parts=$PWD/apt/etc/apt.conf.d -o Dir::Etc::PreferencesParts=$PWD/apt/etc/preferences.d
   -o APT::Architecture=amd64 -o Debug::NoLocking=1" &&
mkdir -p apt/etc/srcparts && cp apt/etc/hs.sources apt/etc/srcparts/ &&
apt-get $A update > upd1.out 2>&1 &&
apt-cache $A policy hotsplice-update-0.0.0-hstest > pol1.out &&
test_grep 'Candidate: 1$' pol1.out &&
"$HS_ROOT/scripts/update-repo" --repo repo debs/*_2_amd64.deb > /dev/null 2> add2.err &&
apt-get $A update > upd2.out 2>&1 &&
apt-cache $A policy hotsplice-update-0.0.0-hstest > pol2.out &&
test_grep 'Candidate: 2$' pol2.out &&
# another key: apt refuses the repository
GNUPGHOME=$PWD/other && mkdir -m 0700 other &&
GNUPGHOME=$PWD/other gpg --batch --quiet --passphrase '' --quick-generate-key 'other <o@example.org>' ed25519 sign never 2>/dev/null &&
GNUPGHOME=$PWD/other gpg --batch --export > other.gpg &&
sed "s@^Signed-By: .*@Signed-By: $PWD/other.gpg@" sources.out > apt/etc/srcparts/hs.sources &&
test_must_fail apt-get $A -o APT::Update::Error-Mode=any update > upd3.out 2>&1 &&
GNUPGHOME=$PWD/other gpgconf --kill gpg-agent &&
test_grep 'NO_PUBKEY|not signed|signatures were invalid|is not signed' upd3.out
