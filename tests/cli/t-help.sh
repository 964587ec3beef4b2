# SPDX-License-Identifier: GPL-2.0
# --help, help COMMAND and --version work; every listed command has a usage line.
$HS --help > help.out &&
test_grep '^usage: hotsplice' help.out &&
test_grep '^   create ' help.out &&
$HS --version > version.out &&
test_grep '^hotsplice [0-9]+\.[0-9]+\.[0-9]+$' version.out &&
for c in $(awk '/^commands:/ {on=1; next} on && !NF {exit} on {print $1}' help.out); do
	$HS help "$c" > "h-$c.out" && test_grep "^usage: hotsplice $c" "h-$c.out" &&
	$HS "$c" --help > "h2-$c.out" && test_cmp "h-$c.out" "h2-$c.out" || exit 1
done
