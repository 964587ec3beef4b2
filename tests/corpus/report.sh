# SPDX-License-Identifier: GPL-2.0
# report.sh - the corpus run's table: each unit's outcome, the totals, and the
# changed files that are no unit, as text on stdout and as Markdown.
# Sourced by tests/corpus/run; expects STATE, OLD, NEW, and the selected units in $1.

# refusal_class LOG: refused-data when every kind of refusal is one a kernel
# engineer expects from any live patcher (or at least one such kind stands
# beside hotsplice's own limits), refused-notrace when it is only notrace code,
# refused (a hotsplice limit) otherwise.
refusal_class() {
	local kinds
	kinds=$(refusal_kinds "$1" | cut -d' ' -f1 | sort -u | paste -sd' ')
	case " $kinds " in
	*" layout "*|*" data "*|*" init "*|*" export "*|*" table "*) echo refused-data ;;
	" notrace ") echo refused-notrace ;;
	*) echo refused ;;
	esac
}

# unit_outcome NNN: "CLASS<TAB>REASON<TAB>NFUNCS<TAB>CREATE_S<TAB>APPLY_S".
unit_outcome() { # NNN PATH
	local d=$STATE/u/$1 rc cls why nf=- ct=- at=- g check undo
	if [ ! -f "$d/create.rc" ]; then
		printf 'pending\t-\t-\t-\t-\n'; return
	fi
	rc=$(cat "$d/create.rc"); ct=$(cat "$d/create.time")
	why=$(create_reason "$1")
	case "$rc" in
	0)	nf=$(wc -l < "$d/funcs")
		if [ -f "$d/guest.result" ]; then
			IFS=$'\t' read -r cls check at undo g < "$d/guest.result"
			why=$g
			[ "$cls" = applied ] && why="check ${check}s, undo ${undo}s"
		else
			cls=created why="not run in a guest yet"
		fi ;;
	3)	cls=no-code-change why="the objects do not change"
		if grep -q 'nothing calls them' "$d/create.log"; then
			cls=new-uncalled
			why="only adds functions nothing in this file calls: $(grep -oE '(new|removed)-function [A-Za-z_.0-9]*' "$d/dryrun.log" | paste -sd, | sed 's/,/, /g')$(partner_hint "$1" "$2")"
		fi ;;
	4)	cls=$(refusal_class "$d/create.log") ;;
	*)	cls=create-failed ;;
	esac
	! grep -q 'pre compile failed' "$d/create.log" || cls=refused
	# a .c file #included by a built one (kernel/sched/build_utility.c)
	g=$(grep -P "^\Q$2\E\t" "$STATE/files.tsv" | cut -f3)
	if [[ $g == "included by "* ]] && grep -q 'not built for this configuration' "$d/create.log"; then
		cls=refused why="hotsplice limit: create takes this .c file for not built, but it is $g, which vmlinux links"
	fi
	case "$cls" in refused|create-failed|new-uncalled)
		[[ $why != *"; partner: "* ]] || cls=partner ;;
	esac
	# what the fix meets with its partner files: an accepted refusal is the unit's reason
	if [ "$cls" = partner ]; then
		g=$(group_reason "$1")
		why+=$g
		[ -z "$g" ] || ! refusal_kinds "$d/group.log" | grep -qE '^(layout|data|init|export|table) ' ||
			cls=partner-data
		case "$(cat "$d/group.rc" 2>/dev/null)" in
		0) cls=partner-ok ;;
		3) cls=no-code-change ;;
		esac
		# the fix with its partner files in the guest
		if [ "$cls" = partner-ok ] && [ -f "$d/guest.result" ]; then
			IFS=$'\t' read -r cls check at undo g < "$d/guest.result"
			nf=$(wc -l < "$d/group.funcs")
			ct=$(cat "$d/group.time")
			if [ "$cls" = applied ]; then
				cls=applied-partner g="check ${check}s, undo ${undo}s"
			fi
			why="fails alone: $why; $g"
		fi
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$cls" "${why:--}" "$nf" "$ct" "$at"
}

outcome_label() {
	case "$1" in
	applied) echo "applied" ;;
	applied-partner) echo "applied together with its partner file(s)" ;;
	no-code-change) echo "no code change" ;;
	refused-data) echo "refused: data, init, export or quirk-table change" ;;
	refused-notrace) echo "refused: notrace code" ;;
	refused) echo "hotsplice limit (refused or failed)" ;;
	partner) echo "fails alone: needs a partner file" ;;
	partner-data) echo "needs a partner file; together: data/init change" ;;
	partner-ok) echo "needs a partner file; together: creatable (not run)" ;;
	new-uncalled) echo "only new uncalled functions" ;;
	create-failed) echo "create failed" ;;
	check-failed) echo "check failed" ;;
	apply-failed) echo "apply failed" ;;
	undo-failed) echo "undo failed" ;;
	smoke-failed) echo "smoke test failed" ;;
	list-failed) echo "not listed after apply" ;;
	kernel-warning) echo "kernel warning" ;;
	crash) echo "guest crashed or hung" ;;
	guest-failed) echo "guest scenario failed" ;;
	smoke-before) echo "guest broken before apply" ;;
	created) echo "created (guest not run)" ;;
	pending) echo "not run yet" ;;
	*) echo "$1" ;;
	esac
}

category_label() {
	case "$1" in
	unit) echo "x86 .c linked into vmlinux: the units" ;;
	module) echo ".c built into a module (not attempted)" ;;
	not-built) echo ".c not built for the cloud config" ;;
	c-added) echo ".c file added" ;;
	c-removed) echo ".c file removed" ;;
	header) echo "header (.h)" ;;
	asm) echo "assembly (.S)" ;;
	build) echo "build files (Makefile, Kconfig, Kbuild)" ;;
	arch-other) echo "other architectures (arch/*, not x86)" ;;
	docs) echo "Documentation/" ;;
	tools) echo "tools/" ;;
	scripts) echo "scripts/, samples/, usr/" ;;
	other) echo "other files (device trees, data, ...)" ;;
	*) echo "$1" ;;
	esac
}

# made_by: which hotsplice made the selected units ("v1 (N units), v2 (M units)"); units
# made before the runner recorded it count as "an earlier version".
made_by() {
	local n
	while read -r n _; do
		cat "$STATE/u/$n/made-by" 2>/dev/null || echo "an earlier version"
	done < "$STATE/selected.tsv" | sort | uniq -c | sort -rn |
		awk '{ c = $1; $1 = ""; printf "%s%s (%d units)", (NR > 1 ? ", " : ""), substr($0, 2), c }'
}

md_cell() { sed 's/|/\\|/g; s/\t/ /g' <<<"$1"; }

# report SELECTED MARKDOWN COMMAND: print the table, write the Markdown file.
report() {
	local sel=$1 md=$2 command=$3 n p cls why nf ct at
	local rows=$STATE/report.rows
	: > "$rows"
	while IFS=$'\t' read -r n p; do
		printf '%s\t%s\t%s\n' "$n" "$p" "$(unit_outcome "$n" "$p")" >> "$rows"
	done < "$sel"
	# the text table
	printf '%-4s %-44s %-16s %5s %7s %6s  %s\n' unit file outcome funcs create apply reason
	while IFS=$'\t' read -r n p cls why nf ct at; do
		printf '%-4s %-44s %-16s %5s %7s %6s  %s\n' "$n" "$p" "$cls" "$nf" "$ct" "$at" \
			"$(cut -c1-110 <<<"$why")"
	done < "$rows"
	totals "$rows" | sed 's/^/# /'
	markdown "$rows" "$command" > "$md.tmp" && mv "$md.tmp" "$md"
	echo "corpus: wrote $md" >&2
}

# totals ROWS: "N CLASS" lines and the headline figures.
totals() {
	local rows=$1 all code ok
	cut -f3 "$rows" | sort | uniq -c | sort -rn | while read -r c cls; do
		printf '%-34s %4d\n' "$(outcome_label "$cls")" "$c"
	done
	all=$(wc -l < "$rows")
	code=$(awk -F'\t' '$3 != "no-code-change" && $3 != "refused-data" && $3 != "partner-data" && $3 != "pending" && $3 != "created"' "$rows" | wc -l)
	ok=$(awk -F'\t' '$3 == "applied" || $3 == "applied-partner"' "$rows" | wc -l)
	printf 'units: %d; code-only units: %d; applied, checked, smoke-tested and undone cleanly: %d (%s of code-only; %d of them together with their partner files); kernel warnings/crashes: %d\n' \
		"$all" "$code" "$ok" "$(awk -v a="$ok" -v b="$code" 'BEGIN { printf b ? "%.0f%%" : "-", 100 * a / b }')" \
		"$(awk -F'\t' '$3 == "applied-partner"' "$rows" | wc -l)" \
		"$(awk -F'\t' '$3 == "kernel-warning" || $3 == "crash"' "$rows" | wc -l)"
}

markdown() {
	local rows=$1 command=$2 n p cls why nf ct at
	cat <<EOF
# hotsplice on Debian's own kernel update: $OLD → $NEW

Every changed x86 \`.c\` file that kbuild links into the $OLD cloud kernel's vmlinux
is one unit: its patch is the diff of that one file. Each unit is made into an update
package with \`hotsplice create\` against the $OLD source, then in a QEMU guest booted
on Debian's own $OLD cloud kernel: \`hotsplice check\`, \`hotsplice apply\`, a smoke
test (fork/exec, reading /proc, ext4 on a loop device with the page cache dropped, a
loopback ping), \`hotsplice undo\`, the smoke test again, and the kernel log checked for
Oops/WARN/BUG/lockups and new taints (the guest harness's verdict).

Reproduce with:

    $command

Report of $(date -u +%Y-%m-%d); units made with hotsplice $(made_by),
$(nproc) cores, QEMU TCG (no KVM). Times in seconds: create on the host (its objects may come
from hotsplice's compile cache, warm when the kernel's units were built before), apply
in the guest (run-pre matching, module load and the livepatch transition).

## Totals

| outcome | units |
| --- | ---: |
EOF
	cut -f3 "$rows" | sort | uniq -c | sort -rn | while read -r c cls; do
		echo "| $(outcome_label "$cls") | $c |"
	done
	echo
	totals "$rows" | tail -1 | sed 's/^/**/; s/$/**/'
	echo
	echo "\"Code-only\" units are those whose change reaches the compiled objects and is"
	echo "not refused for changing data layout, initial data values, init/exit code, the"
	echo "exported symbols or a PCI quirk table (changes no live patcher applies as code)."
	echo "Units refused for notrace code, for a hotsplice limit, or failing alone because"
	echo "a partner file holds the other half of the fix count as code-only, and so"
	echo "against the figure; one applied together with its partner files (the same"
	echo "guest steps on the joint package) counts as applied, and is shown apart."
	echo
	echo "## Units"
	echo
	echo "| # | file | outcome | functions | create s | apply s | reason / note |"
	echo "| --- | --- | --- | ---: | ---: | ---: | --- |"
	while IFS=$'\t' read -r n p cls why nf ct at; do
		echo "| $n | \`$p\` | $(outcome_label "$cls") | $nf | $ct | $at | $(md_cell "$why") |"
	done < "$rows"
	echo
	echo "## All changed files by category"
	echo
	echo "| category | files |"
	echo "| --- | ---: |"
	cut -f2 "$STATE/files.tsv" | sort | uniq -c | sort -rn | while read -r c cat; do
		echo "| $(category_label "$cat") | $c |"
	done
	echo "| **all changed files** | $(wc -l < "$STATE/files.tsv") |"
	echo
	echo "Changed headers (not units of their own: a header change is live-patched through"
	echo "the .c files that include it, which the units above already carry when they"
	echo "changed themselves):"
	echo
	awk -F'\t' '$2 == "header" { printf "%s`%s`", n++ ? ", " : "", $1 } END { print "" }' \
		"$STATE/files.tsv"
	# the hand-written analysis of this pair's failures, when there is one
	if [ -f "$ROOT/tests/corpus/notes/${OLD}_$NEW.md" ]; then
		echo
		cat "$ROOT/tests/corpus/notes/${OLD}_$NEW.md"
	fi
}
