# SPDX-License-Identifier: GPL-2.0
# diff-objects on small objects compiled here with kernel-like flags (gcc-12):
# a changed function (exit 0), no change (3), a changed initial value and a
# notrace function whose address is taken (refused, 4, also named on stderr), a
# global notrace one (carried: its callers are create's to find), --name and --json, and
# files that are not objects (1).
CFLAGS="-O2 -g -fno-pie -mcmodel=kernel -mno-red-zone -ffunction-sections -fdata-sections
	-fno-asynchronous-unwind-tables -pg -mfentry -fno-common"
obj() { echo "$2" > "$1.c" && gcc-12 $CFLAGS -c -o "$1.o" "$1.c"; }
obj pre 'int g = 1; int f(int x) { return x + g; }' &&
obj post 'int g = 1; int f(int x) { return x * 3 + g; }' &&
obj data 'int g = 2; int f(int x) { return x + g; }' &&
obj newf 'int g = 1; int h(int x) { return x - 1; } int f(int x) { return h(x) + g; }' &&
obj nt-pre 'static __attribute__((no_instrument_function)) int f(int x) { return x; } int (*p)(int) = f;' &&
obj nt-post 'static __attribute__((no_instrument_function)) int f(int x) { return x + 1; } int (*p)(int) = f;' &&
obj ntg-pre '__attribute__((no_instrument_function)) int f(int x) { return x; }' &&
obj ntg-post '__attribute__((no_instrument_function)) int f(int x) { return x + 1; }' &&
$HS diff-objects pre.o post.o > a.out &&
echo 'post.o: changed-function f' > a.expect && test_cmp a.expect a.out &&
$HS diff-objects --name kernel/t.o pre.o post.o > b.out &&
echo 'kernel/t.o: changed-function f' > b.expect && test_cmp b.expect b.out &&
test_exit_code 3 $HS diff-objects --name kernel/t.o pre.o pre.o > c.out 2> c.err &&
test ! -s c.out && test_grep "'kernel/t.o': no code change" c.err &&
test_exit_code 4 $HS diff-objects --name kernel/t.o pre.o data.o > d.out 2> d.err &&
echo 'kernel/t.o: refused changed-data g: initial value changed (1 byte(s) differ at +0x0)' > d.expect && test_cmp d.expect d.out &&
test_grep "^error: 'kernel/t.o': symbol 'g': changed-data: initial value changed" d.err &&
$HS diff-objects --name kernel/t.o pre.o newf.o > e.out &&
printf 'kernel/t.o: changed-function f\nkernel/t.o: new-function h\n' > e.expect && test_cmp e.expect e.out &&
test_exit_code 4 $HS diff-objects nt-pre.o nt-post.o > f.out 2>/dev/null &&
test_grep '^nt-post.o: refused changed-function f: cannot be redirected: no __fentry__ call.*its address is taken' f.out &&
$HS diff-objects --json ntg-pre.o ntg-post.o > f2.json &&
test_grep '"name": "f", "class": "changed-function", "refused": false, "reason": "no __fentry__ call: carried in the module and reached through its replaced callers, 0 here and those in the files that name it"' f2.json &&
$HS diff-objects --json --name kernel/t.o pre.o post.o > g.json &&
test_grep '^\{"object": "kernel/t.o", "result": "changed", "symbols": \[$' g.json &&
test_grep '^  \{"name": "f", "class": "changed-function", "refused": false, "reason": "", "function": true, ' g.json &&
test_grep '\{"name": "g", "kind": "kernel", "post": [0-9]+, "pre": [0-9]+\}' g.json &&
test_grep '^\]\}$' g.json &&
test_exit_code 4 $HS diff-objects --json pre.o data.o > h.json 2>/dev/null &&
test_grep '"result": "refused"' h.json &&
test_grep '"name": "g", "class": "changed-data", "refused": true, "reason": "initial value changed \(1 byte\(s\) differ at \+0x0\)"' h.json &&
test_exit_code 3 $HS diff-objects --json pre.o pre.o > i.json 2>/dev/null &&
test_grep '"result": "unchanged", "symbols": \[$' i.json &&
test_exit_code 1 $HS diff-objects pre.c post.o 2> j.err &&
test_grep "'pre.c': not an ELF file" j.err &&
test_exit_code 1 $HS diff-objects pre.o missing.o 2> k.err &&
test_grep "cannot open 'missing.o': No such file or directory" k.err
