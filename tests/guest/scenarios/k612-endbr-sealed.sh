# SPDX-License-Identifier: GPL-2.0
# What 6.12 (CONFIG_X86_KERNEL_IBT) does at boot to the ENDBR64 a function opens with
# (objtool lists in .ibt_endbr_seal the functions whose address is never taken): the bytes
# run-pre must accept (lib/elf/kfacts.c). nr_running is called only directly (sealed);
# cmdline_proc_show's address is taken (kept); both then have the ftrace NOP at +4.
# guest-kernel: 6.12.113-1~deb12u1
peek() {
	a=$(awk -v n="$1" '$3 == n && ($2 == "T" || $2 == "t") { print $1; exit }' /proc/kallsyms) &&
	test -n "$a" &&
	test_must_fail insmod $HS_KMOD/hs_test_peek.ko addr=0x$a 2>/dev/null &&
	dmesg | sed -n "s/.*hs_test_peek: $a: //p" | tail -1
}
sealed=$(peek nr_running) && kept=$(peek cmdline_proc_show) &&
say "nr_running: $sealed; cmdline_proc_show: $kept" &&
test_eq "66 0f 1f 00 0f 1f 44 00 00" "$sealed" "a sealed ENDBR64 (osp nopl (%rax)), then the ftrace NOP" &&
test_eq "f3 0f 1e fa 0f 1f 44 00 00" "$kept" "ENDBR64 kept, then the ftrace NOP"
