# SPDX-License-Identifier: GPL-2.0
# Livepatch modules made by `hotsplice build-module` (lib/klp*.c), built on the
# host by tests/guest/klp-fixtures/build: cmdline_proc_show replaced (new text in
# /proc/cmdline); filesystems_proc_show replaced by code that reads the running
# kernel's static variables file_systems/file_systems_lock and calls its static
# function __get_fs_type through livepatch relocations, and has a WARN_ON (bug
# table kept) that stays silent here. Both unload cleanly.
# guest-timeout: 90

K=$HS_PACKAGES/klp
if ! [ -f $K/hs_klp_cmdline.ko ] || ! [ -f $K/hs_klp_fs.ko ]; then
	say "skipped: run tests/guest/klp-fixtures/build on the host first"
	return 0
fi

cat /proc/cmdline > /tmp/klp.cmdline.before &&
cat /proc/filesystems > /tmp/klp.fs.before &&
test_must_fail grep -q hotsplice /tmp/klp.cmdline.before &&
test_must_fail grep -q hotsplice /tmp/klp.fs.before &&

lp_load $K/hs_klp_cmdline.ko &&
lp_load $K/hs_klp_fs.ko &&
test_eq 1 "$(lp_sysfs hs_klp_fs enabled)" enabled &&
cat /proc/cmdline > /tmp/klp.cmdline.patched &&
test_grep ' hotsplice_patched=1$' /tmp/klp.cmdline.patched &&
cat /proc/filesystems > /tmp/klp.fs.patched &&
test_grep '^hotsplice	first=sysfs ext4=ext4$' /tmp/klp.fs.patched &&
test_grep '^hotsplice	static_call=proc$' /tmp/klp.fs.patched &&
grep -v '^hotsplice' /tmp/klp.fs.patched > /tmp/klp.fs.rest &&
test_cmp /tmp/klp.fs.before /tmp/klp.fs.rest &&
test_grep '^hs_klp_fs ' /proc/modules &&

lp_unload hs_klp_fs &&
lp_unload hs_klp_cmdline &&
cat /proc/cmdline > /tmp/klp.cmdline.after &&
cat /proc/filesystems > /tmp/klp.fs.after &&
test_cmp /tmp/klp.cmdline.before /tmp/klp.cmdline.after &&
test_cmp /tmp/klp.fs.before /tmp/klp.fs.after
