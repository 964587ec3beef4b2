# SPDX-License-Identifier: GPL-2.0
# A changed function with a tracepoint whose static call is exported (6.12's
# tcp_rcv_established calls trace_tcp_bad_csum; EXPORT_TRACEPOINT_SYMBOL_GPL exports its
# key and trampoline). objtool runs on the linked livepatch module on 6.12 and writes its
# .static_call_sites with the key only if the module names it; with the trampoline instead
# the kernel refused the module ("Failed to fixup __raw_static_call() usage"). Apply, TCP
# over loopback through the new tcp_rcv_established, undo.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 120
# guest-package: tcp-sc tests/guest/patches/tcp-established-noop-6.12.patch
# tcp_talk WORD PORT: a line over a TCP connection on loopback (connect until it listens)
tcp_talk() {
	rm -f /tmp/tcp.out
	nc -l -p "$2" > /tmp/tcp.out &
	srv=$! i=0
	until echo "hello $1" | nc -w 3 127.0.0.1 "$2" 2> /dev/null; do
		i=$((i + 1))
		[ $i -lt 10 ] || { kill $srv; fail "nothing listens on port $2"; return 1; }
		sleep 1
	done
	wait $srv
	test_eq "hello $1" "$(cat /tmp/tcp.out)" "what the listener read"
}
tcp_talk before 5551 &&
hotsplice check -q $HS_PACKAGES/tcp-sc.hsu &&
hotsplice apply -q $HS_PACKAGES/tcp-sc.hsu &&
test_eq 1 "$(lp_sysfs hs_tcp_sc enabled)" "tcp-sc enabled" &&
tcp_talk patched 5552 &&
hotsplice undo -q tcp-sc &&
tcp_talk after 5553
