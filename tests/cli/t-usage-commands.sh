# SPDX-License-Identifier: GPL-2.0
# Every subcommand: missing arguments, extra arguments and unknown options are
# usage errors (exit 2, the command's usage line on stderr) that touch nothing.
# apply and undo are only given arguments they reject before doing anything.
export HOTSPLICE_STATE=$PWD/state HOTSPLICE_CACHE=$PWD/cache HOTSPLICE_RUN=$PWD/run
usage_error() {
	local cmd=$1
	shift
	test_exit_code 2 $HS "$cmd" "$@" 2> u.err &&
	test_grep "^usage: hotsplice $cmd " u.err ||
	{ echo "FAIL: hotsplice $cmd $*"; return 1; }
}
usage_error create &&
usage_error create --patch p.diff &&
usage_error create --patch p.diff --source src &&
usage_error create --patch p.diff --headers hdr &&
usage_error create --source src --headers hdr &&
usage_error create --patch p.diff --kernel 6.1.192-1 --source src &&
usage_error create --patch p.diff --kernel 6.1.192-1 extra &&
usage_error create --patch p.diff --kernel 6.1.192-1 --frobnicate &&
test_grep "unrecognized option '--frobnicate'" u.err &&
usage_error show &&
usage_error show a.hsu b.hsu &&
usage_error show --frobnicate a.hsu &&
usage_error check &&
usage_error check a.hsu b.hsu &&
usage_error check --frobnicate a.hsu &&
usage_error apply &&
usage_error apply a.hsu b.hsu &&
usage_error apply --frobnicate a.hsu &&
usage_error apply -x a.hsu &&
test_exit_code 2 $HS apply --timeout soon a.hsu 2> t1.err &&
test_grep "^error: --timeout: 'soon' is not a number of seconds" t1.err &&
test_exit_code 2 $HS apply --timeout 0 a.hsu 2> t2.err &&
test_grep "'0' is not a number of seconds" t2.err &&
usage_error undo &&
usage_error undo one two &&
usage_error undo --all one &&
usage_error undo --frobnicate one &&
usage_error list extra &&
usage_error list --frobnicate &&
usage_error uname extra &&
usage_error uname -x &&
usage_error diff-objects &&
usage_error diff-objects pre.o &&
usage_error diff-objects pre.o post.o third.o &&
usage_error diff-objects --frobnicate pre.o post.o &&
usage_error diff-objects pre.o post.o --name &&
usage_error build-objects &&
usage_error build-objects --patch p.diff &&
usage_error build-objects --patch p.diff --kernel 6.1.192-1 --headers hdr &&
usage_error build-objects --patch p.diff --kernel 6.1.192-1 -j 0 &&
usage_error build-objects --patch p.diff --kernel 6.1.192-1 --frobnicate &&
usage_error build-module &&
usage_error build-module --post p.o --object vmlinux --func f --headers h --name m &&
usage_error build-module --post p.o --object vmlinux --func f:x --headers h --name m -o m.ko &&
usage_error build-module --post p.o --object vmlinux --func f --sympos g --headers h --name m -o m.ko &&
usage_error build-module --post p.o --object vmlinux --func f --headers h --name m -o m.ko extra &&
usage_error match-objects &&
usage_error match-objects --frobnicate a.o &&
usage_error match-objects --limit 0 a.o &&
usage_error match-objects --limit 1x a.o &&
test ! -e state && test ! -e cache && test ! -e run && test ! -e build-objects
