# SPDX-License-Identifier: GPL-2.0
# Every built subcommand has a man page whose SYNOPSIS is its usage string.
root=$HS_ROOT
test -f "$root/doc/man/hotsplice.1" &&
for c in $($HS --help | awk '/^commands:/ {on=1; next} on && !NF {exit} on && !/not built yet/ {print $1}'); do
	[ "$c" = help ] || [ "$c" = version ] && continue
	page=$root/doc/man/hotsplice-$c.1
	[ -f "$page" ] || { echo "FAIL: no man page $page"; exit 1; }
	usage=$($HS help "$c" | sed -n 's/^usage: //p')
	grep -qF -- "$usage" <(sed -n '/^\.SH SYNOPSIS/,/^\.SH/p' "$page" | sed 's/\\//g') ||
		{ echo "FAIL: SYNOPSIS of $page is not '$usage'"; exit 1; }
done
