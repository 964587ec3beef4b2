# SPDX-License-Identifier: GPL-2.0
# make install puts the command, the man pages, the systemd unit and the init
# script under DESTDIR, with the unit starting replay early at boot.
make -s -C "$HS_ROOT" install DESTDIR="$PWD/root" > make.out 2>&1 &&
test -x root/usr/sbin/hotsplice &&
test -f root/usr/share/man/man1/hotsplice.1 &&
test -f root/usr/share/man/man1/hotsplice-replay.1 &&
test -x root/etc/init.d/hotsplice &&
u=root/lib/systemd/system/hotsplice.service &&
test_grep '^ExecStart=/usr/sbin/hotsplice replay$' $u &&
test_grep '^Type=oneshot$' $u &&
test_grep '^DefaultDependencies=no$' $u &&
test_grep '^After=local-fs.target$' $u &&
test_grep '^Before=network-pre.target' $u &&
test_grep '^Wants=network-pre.target$' $u &&
test_grep '^ConditionKernelCommandLine=!hotsplice=off$' $u &&
test_grep '^HOTSPLICE=/usr/sbin/hotsplice$' root/etc/init.d/hotsplice &&
test_grep '"[$]HOTSPLICE" replay$' root/etc/init.d/hotsplice &&
sh -n root/etc/init.d/hotsplice &&
root/usr/sbin/hotsplice --version > v.out && test_grep '^hotsplice ' v.out &&
make -s -C "$HS_ROOT" install DESTDIR="$PWD/root2" PREFIX=/usr/local > make2.out 2>&1 &&
test -x root2/usr/local/sbin/hotsplice &&
test_grep '^ExecStart=/usr/local/sbin/hotsplice replay$' root2/lib/systemd/system/hotsplice.service
