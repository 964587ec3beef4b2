# SPDX-License-Identifier: GPL-2.0
# lib.sh - host side of the corpus run: split a kernel update into units, create an
# update package per unit, run them in guests, and tell each unit's outcome.
# Sourced by tests/corpus/run; expects ROOT, HS, CACHE, OLD, NEW and STATE.

# Where a changed file goes, from its path alone; .c files are placed by kbuild later.
path_category() { # PATH -> category
	case "$1" in
	Documentation/*) echo docs; return ;;
	tools/*) echo tools; return ;;
	scripts/*|samples/*|usr/*) echo scripts; return ;;
	arch/x86/*) ;;
	arch/*) echo arch-other; return ;;
	esac
	case "${1##*/}" in
	*.h) echo header ;;
	Makefile|Kbuild|Kconfig*|*.mk|*.lds.S) echo build ;;
	*.S|*.s) echo asm ;;
	*.c) echo c ;;
	*) echo other ;;
	esac
}

# split_update: $STATE/files.tsv (PATH CATEGORY DETAIL, one line a changed file) and
# $STATE/units.tsv (NNN PATH, the .c files kbuild links into the OLD vmlinux).
split_update() {
	local old=$CACHE/$OLD/source new=$CACHE/$NEW/source p cat tmp=$STATE/split.tmp
	[ -f "$STATE/units.tsv" ] && return 0
	mkdir -p "$tmp"
	echo "corpus: comparing the source trees of $OLD and $NEW" >&2
	(cd "$CACHE" && diff -rqN "$OLD/source" "$NEW/source" || true) |
		sed -nE "s@^Files $OLD/source/(.*) and $NEW/source/.* differ\$@\1@p" |
		LC_ALL=C sort > "$tmp/changed"
	: > "$tmp/cat"; : > "$tmp/cfiles"
	while read -r p; do
		cat=$(path_category "$p")
		if [ "$cat" = c ]; then
			if [ ! -f "$old/$p" ]; then cat=c-added
			elif [ ! -f "$new/$p" ]; then cat=c-removed
			else echo "$p" >> "$tmp/cfiles"; continue
			fi
		fi
		printf '%s\t%s\t-\n' "$p" "$cat" >> "$tmp/cat"
	done < "$tmp/changed"
	echo "corpus: asking kbuild where $(wc -l < "$tmp/cfiles") changed .c files are built for $OLD" >&2
	if [ -s "$tmp/cfiles" ]; then
		# shellcheck disable=SC2046
		"$HS" where -q --kernel "$OLD" $(cat "$tmp/cfiles") > "$tmp/where" ||
			{ echo "corpus: error: 'hotsplice where' failed" >&2; return 1; }
	fi
	# "PATH vmlinux|module|not-built [INCLUDER]"
	awk -v OFS='\t' '{ c = $2 == "vmlinux" ? "unit" : $2; print $1, c, (NF > 2 ? "included by " $3 : "-") }' \
		"$tmp/where" >> "$tmp/cat"
	LC_ALL=C sort "$tmp/cat" > "$STATE/files.tsv"
	awk -F'\t' '$2 == "unit" { printf "%03d\t%s\n", ++n, $1 }' "$STATE/files.tsv" > "$STATE/units.tmp"
	mv "$STATE/units.tmp" "$STATE/units.tsv"
	rm -rf "$tmp"
}

# select_units: the units to run, "NNN PATH" lines: those --units names, all, or a sample of $SAMPLE
# chosen by the hash of "$SEED:PATH" (stable across runs and machines).
select_units() {
	local n p
	if [ -n "$UNITS" ]; then
		grep -P "^($(tr ', ' '||' <<<"$UNITS"))\t" "$STATE/units.tsv" ||
			{ echo "corpus: error: no unit numbered $UNITS" >&2; return 1; }
		return
	fi
	if [ "$SAMPLE" = 0 ]; then cat "$STATE/units.tsv"; return; fi
	while IFS=$'\t' read -r n p; do
		printf '%s\t%s\t%s\n' "$(printf '%s:%s' "$SEED" "$p" | sha256sum | cut -c1-16)" "$n" "$p"
	done < "$STATE/units.tsv" | LC_ALL=C sort | head -n "$SAMPLE" | cut -f2- | LC_ALL=C sort
}

# The first error lines of a log, as one line.
log_reason() { # FILE
	{ grep -E '^(error|hotsplice[^:]*: error):' "$1" | sed -E 's/^(hotsplice[^:]*: )?error: //' |
		awk '!seen[$0]++' | head -4 | paste -sd ';' | sed 's/;/; /g' | cut -c1-400; } || true
}

# create_unit NNN PATH: the unit's patch and update package; resumable.
create_unit() {
	local n=$1 p=$2 d=$STATE/u/$1 t0 t1 rc=0
	[ -f "$d/create.rc" ] && return 0
	mkdir -p "$d"
	diff -u --label "a/$p" --label "b/$p" "$CACHE/$OLD/source/$p" "$CACHE/$NEW/source/$p" \
		> "$d/patch" && { echo "corpus: $p: no difference?" >&2; return 1; }
	t0=$(date +%s.%N)
	"$HS" create --patch "$d/patch" --kernel "$OLD" --id "corpus-$n" -j "$JOBS" \
		--description "$p from Debian $OLD to $NEW" -o "$d/pkg.hsu" > "$d/create.log" 2>&1 ||
		rc=$?
	t1=$(date +%s.%N)
	if [ $rc -ge 126 ]; then	# not create's verdict: the command could not run
		echo "corpus: error: '$HS' could not run (exit $rc): $(tail -1 "$d/create.log")" >&2
		return 1
	fi
	awk "BEGIN { printf \"%.1f\n\", $t1 - $t0 }" > "$d/create.time"
	drop_kept "$d/create.log"
	cp "$STATE/version" "$d/made-by" 2>/dev/null || true
	# only new functions that nothing calls: which ones (their callers may be elsewhere)
	if [ $rc = 3 ] && grep -q 'nothing calls them' "$d/create.log"; then
		"$HS" create --dry-run -q --patch "$d/patch" --kernel "$OLD" --id "corpus-$n" \
			> "$d/dryrun.log" 2>&1 || true
	fi
	if [ $rc = 0 ]; then
		"$HS" show --json "$d/pkg.hsu" | grep -o '"name": "[^"]*"' | cut -d'"' -f4 > "$d/funcs"
	fi
	echo $rc > "$d/create.rc"
}

# drop_kept LOG: remove the work directory a failed compile left (create names it).
drop_kept() {
	sed -n "s/^error: the compile logs stay in '\(\/tmp\/hotsplice-create\.[^']*\)'.*/\1/p" "$1" |
		while read -r w; do rm -rf -- "$w"; done
}

# partner_index: "FILE<TAB>LINE" for the changed and nearby (5 lines of context)
# lines of every changed .c and .h file built for x86; built once.
partner_index() {
	local idx=$STATE/partner.idx f
	if [ ! -f "$idx" ]; then
		awk -F'\t' '$1 ~ /\.[ch]$/ && $2 != "arch-other" && $2 != "tools" && $2 != "scripts" { print $1 }' \
			"$STATE/files.tsv" | while read -r f; do
			diff -U5 "$CACHE/$OLD/source/$f" "$CACHE/$NEW/source/$f" 2>/dev/null |
				grep -avE '^(---|\+\+\+) ' | sed "s@^@$f\t@" || true
		done > "$idx.tmp"
		mv "$idx.tmp" "$idx"
	fi
	echo "$idx"
}

# C's keywords (with GNU spellings) and a few ubiquitous names: never an identifier
# that ties a unit to a partner ("sizeof applied to a bit-field" names no file).
C_WORDS='auto|break|case|char|const|continue|default|do|double|else|enum|extern|float|for|goto|if|inline|int|long|register|restrict|return|short|signed|sizeof|static|struct|switch|typedef|union|unsigned|void|volatile|while|_Bool|_Static_assert|bool|true|false|NULL|typeof|__typeof__|__typeof|asm|__asm__|__attribute__|__inline__|__volatile__|__builtin_[A-Za-z0-9_]*|__always_inline|noinline'

# partner_ids NNN PATH PASS [LOG]: identifiers that may tie a failing unit to another
# file: pass 1 those its failure names (compiler errors in LOG, default its
# create.log; functions create found new or removed), pass 2 those its new lines
# use for the first time in the file.
partner_ids() {
	local d=$STATE/u/$1 id log=${4:-$STATE/u/$1/create.log}
	{ if [ "$3" = 1 ]; then
		grep -aE ': error: |undefined|implicit declaration' "$log" |
			sed -E "s/; did you mean [^?]*\?//" |	# gcc's guess names no partner
			grep -aoE "[‘'][^‘’']+[’']" | tr -d "‘’'" | grep -aoE '[A-Za-z_][A-Za-z0-9_]*$'
		[ -n "${4:-}" ] || grep -aoE '(new|removed)-function [A-Za-z_][A-Za-z0-9_]*' \
			"$d/dryrun.log" 2>/dev/null | cut -d' ' -f2
		grep -aoE "removes global function '[A-Za-z_][A-Za-z0-9_]*'" "$log" |
			cut -d"'" -f2
		grep -aoE "new global (function|variable) '[A-Za-z_][A-Za-z0-9_]*'" "$log" |
			cut -d"'" -f2
	else
		grep -aE '^\+' "$d/patch" | grep -aoE '[A-Za-z_][A-Za-z0-9_]{3,}' | sort -u |
			while read -r id; do grep -qw -- "$id" "$CACHE/$OLD/source/$2" || echo "$id"; done
	fi; } | sort -u | head -40 |
		grep -vxE "$C_WORDS" || true
}

# partner_defining IDX ID FILES: of FILES (one a line), those whose added lines define
# ID at file scope (a function, prototype or macro: "+static inline T ID(...)",
# "+#define ID"), when there are any; else FILES. The file defining a new helper is
# its partner, not every file that starts to use it.
partner_defining() {
	local defs
	defs=$(grep -aP "^[^\t]+\t\+(#\s*define\s+\Q$2\E\b|[A-Za-z_][^;=]*\b\Q$2\E\s*\()" "$1" |
		cut -f1 | sort -u | grep -xFf <(printf '%s\n' "$3")) || true
	printf '%s\n' "${defs:-$3}"
}

# partner_hint NNN PATH [LOG HAVE]: when a unit fails alone, the other changed files
# that hold the other half of the fix: those whose changed lines (with 5 lines of
# context) name one of partner_ids. An identifier in at most 4 files is specific;
# one in more (a common type, say) counts only when no specific one names a file,
# and then names only headers. Headers first, at most 3. With LOG (a group's
# create log) only pass 1 on it, and none of the files listed in the file HAVE.
partner_hint() {
	local idx ids id files hits="" generic="" pass have=${4:-/dev/null}
	idx=$(partner_index)
	for pass in 1 2; do
		[ -z "${3:-}" ] || [ $pass = 1 ] || break
		ids=$(partner_ids "$1" "$2" $pass ${3:+"$3"})
		for id in $ids; do
			files=$(grep -aw -- "$id" "$idx" | cut -f1 | sort -u | grep -vxF -- "$2" |
				grep -vxFf "$have") || continue
			files=$(partner_defining "$idx" "$id" "$files")
			if [ "$(wc -l <<<"$files")" -gt 4 ]; then
				files=$(grep '\.h$' <<<"$files" | head -2) || continue
				for f in $files; do
					generic+="0"$'\t'"$f"$'\t'"$id"$'\n'
				done
				continue
			fi
			for f in $files; do
				grep -qxF -- "$f" <<<"$(cut -f2 <<<"$hits")" ||
					hits+="$([[ $f == *.h ]] && echo 0 || echo 1)"$'\t'"$f"$'\t'"$id"$'\n'
			done
		done
		[ -n "$hits" ] || hits=$(awk -F'\t' '!seen[$2]++' <<<"$generic")
		[ -z "$hits" ] || break
	done
	[ -n "$hits" ] || return 0
	printf '; partner: %s\n' "$(sed '/^$/d' <<<"$hits" | sort -s -k1,1n | head -3 |
		awk -F'\t' '{ printf "%s%s (%s)", (NR > 1 ? ", " : ""), $2, $3 }')"
}

# partner_files NNN PATH [LOG HAVE]: partner_hint's files that the kernel image builds.
partner_files() {
	local f
	partner_hint "$@" | sed 's/^; partner: //; s/, /\n/g' | sed -E 's/ \(.*//' |
		sed '/^$/d' | while read -r f; do
			grep -qP "^\Q$f\E\t(unit|header)\t" "$STATE/files.tsv" && echo "$f"
		done || true
}

# group_unit NNN PATH: a unit that fails alone for want of its partner files is
# made again together with them (create on the joint patch): the table tells what
# the whole fix meets, and a package made so goes to the guest like any other.
# Writes group.{files,patch,log,rc,time} and, when created, group.hsu and group.funcs.
group_unit() {
	local d=$STATE/u/$1 rc f t0 t1 round
	[ ! -f "$d/group.rc" ] || return 0
	case "$(cat "$d/create.rc")" in
	1|3) { grep -q 'compile failed' "$d/create.log" || [ -f "$d/dryrun.log" ]; } || return 0 ;;
	4) grep -q 'needs its partner files' "$d/create.log" || return 0 ;;
	*) return 0 ;;
	esac
	if grep -q 'pre compile failed' "$d/create.log"; then echo - > "$d/group.rc"; return 0; fi
	partner_files "$1" "$2" > "$d/group.files"
	if [ ! -s "$d/group.files" ]; then echo - > "$d/group.rc"; return 0; fi
	# the group grows while what it still lacks names further changed files
	t0=$(date +%s.%N)
	for round in 1 2 3; do
		cp "$d/patch" "$d/group.patch"
		while read -r f; do
			diff -u --label "a/$f" --label "b/$f" "$CACHE/$OLD/source/$f" \
				"$CACHE/$NEW/source/$f" >> "$d/group.patch" || true
		done < "$d/group.files"
		rc=0
		"$HS" create --patch "$d/group.patch" --kernel "$OLD" --id "corpus-$1" -j "$JOBS" \
			--description "$2 and its partner files from Debian $OLD to $NEW" \
			-o "$d/group.hsu" > "$d/group.log" 2>&1 || rc=$?
		[ $rc -lt 126 ] || { echo "corpus: error: '$HS' could not run (exit $rc)" >&2; return 1; }
		drop_kept "$d/group.log"
		[ $rc != 0 ] && [ "$(wc -l < "$d/group.files")" -lt 8 ] || break
		# (a net series can take minutes a round: keep --sample runs inside CI's time)
		awk "BEGIN { exit !($(date +%s.%N) - $t0 < $GROUP_BUDGET) }" || break
		grep -qE 'compile failed|needs its partner files' "$d/group.log" || break
		partner_files "$1" "$2" "$d/group.log" "$d/group.files" > "$d/group.more"
		[ -s "$d/group.more" ] || break
		head -n $((8 - $(wc -l < "$d/group.files"))) "$d/group.more" >> "$d/group.files"
	done
	rm -f "$d/group.more"
	cp "$STATE/version" "$d/made-by" 2>/dev/null || true
	t1=$(date +%s.%N)
	awk "BEGIN { printf \"%.1f\n\", $t1 - $t0 }" > "$d/group.time"
	if [ $rc = 0 ]; then
		"$HS" show --json "$d/group.hsu" | grep -o '"name": "[^"]*"' | cut -d'"' -f4 \
			> "$d/group.funcs"
	fi
	echo $rc > "$d/group.rc"
}

# unit_pkg NNN: the package a unit takes to the guest (its own, or its group's), or nothing.
unit_pkg() {
	local d=$STATE/u/$1
	if [ "$(cat "$d/create.rc" 2>/dev/null)" = 0 ]; then echo "$d/pkg.hsu"
	elif [ "$(cat "$d/group.rc" 2>/dev/null)" = 0 ]; then echo "$d/group.hsu"
	fi
}

# group_reason NNN: what the unit met together with its partners.
group_reason() {
	local d=$STATE/u/$1 rc r="" k sym x
	rc=$(cat "$d/group.rc" 2>/dev/null) || return 0
	[ "$rc" != - ] || return 0
	case "$rc" in
	0) r="creatable" ;;
	3) r="no code change" ;;
	*)	while read -r k sym; do
			r+="${r:+; }$(kind_words "$k" "$sym" "$(kind_count "$d/group.log" "$k" "$sym")")"
		done < <(refusal_kinds "$d/group.log")
		x=$(grep -a -m1 -E "header included by more than|included by more than|change the code of|were not compiled|does not compile|: error: " "$d/group.log" |
			sed -E 's/^error: //; s@^.*/shadow/@@')
		[ -n "$r" ] || r=$x ;;
	esac
	printf '; with its partner(s) %s: %s' "$(paste -sd, "$d/group.files" | sed 's/,/ + /g')" "$r" |
		sed "s/[‘’]/'/g"
}

# write_scenario NNN DIR: one guest scenario for a unit.
write_scenario() {
	cat > "$2/corpus-$1.sh" <<EOF
# SPDX-License-Identifier: GPL-2.0
# Corpus unit $1: $(cut -f2 <<<"$(grep -P "^$1\t" "$STATE/units.tsv")") ($OLD -> $NEW).
# guest-kernel: $OLD
# guest-timeout: $UNIT_TIMEOUT
. /hs/extra/guest-unit.sh && corpus_unit corpus-$1 /hs/extra/pkgs/corpus-$1.hsu
EOF
}

# guest_batch K NNN...: one boot of the OLD kernel running these units in order.
# A unit that started but never reported took the guest down: it is blamed.
# Units after it did not run and stay pending for the next boot.
guest_batch() {
	local k=$1 bd=$STATE/guest/batch-$1 n res verdict why
	shift
	rm -rf "$bd"
	mkdir -p "$bd/scen" "$bd/extra/pkgs"
	cp "$ROOT/tests/corpus/guest-unit.sh" "$bd/extra/"
	truncate -s 16M "$bd/extra/ext4.img" && mkfs.ext4 -q -F "$bd/extra/ext4.img" ||
		{ echo "corpus: error: cannot make an ext4 image" >&2; return 1; }
	for n in "$@"; do
		cp "$(unit_pkg "$n")" "$bd/extra/pkgs/corpus-$n.hsu"
		write_scenario "$n" "$bd/scen"
	done
	echo "corpus: boot $k of $OLD: units $*" >&2
	HS_SCENARIO_DIR=$bd/scen HS_GUEST_EXTRA=$bd/extra "$ROOT/tests/guest/run" \
		> "$bd/tap.log" 2>&1 || true
	for n in "$@"; do
		res=$(grep -m1 "^# corpus-result corpus-$n " "$bd/tap.log" | cut -d' ' -f4- || true)
		verdict=$(grep -m1 -E "^(not )?ok [0-9]+ - guest/corpus-$n([ :]|\$)" "$bd/tap.log" || true)
		unit_log "$n" "$bd/tap.log" > "$STATE/u/$n/guest.log"
		if [ -n "$res" ]; then
			guest_outcome "$res" "$verdict" > "$STATE/u/$n/guest.result"
		elif grep -q "^# corpus-start corpus-$n\$" "$bd/tap.log"; then
			why=${verdict#*: }
			printf 'crash\t-\t-\t-\tthe guest died while it ran (%s): %s\n' "${why:-no verdict}" \
				"$(grep -m1 -E 'BUG|Oops|panic|RIP' "$STATE/u/$n/guest.log" | sed 's/^#  *//' | cut -c1-160)" \
				> "$STATE/u/$n/guest.result"
		fi
		[ -f "$STATE/u/$n/guest.result" ] &&
			printf 'corpus: %s %s: %s\n' "$n" "$(unit_path "$n")" "$(cut -f1,5 "$STATE/u/$n/guest.result" | tr '\t' ' ')" >&2
	done
	return 0
}

# guest_outcome RESULT VERDICT: "OUTCOME CHECK APPLY UNDO REASON" from the guest's
# line and the harness's verdict (which catches kernel warnings and taints).
guest_outcome() {
	local outcome check apply undo why
	read -r outcome check apply undo why <<<"$1"
	[ "$why" = - ] && why=""
	case "$2" in
	"not ok"*"kernel log:"*|"not ok"*"taint"*)
		why="${2#*guest/corpus-[0-9][0-9][0-9]: }${why:+; $why}"
		outcome=kernel-warning ;;
	"not ok"*)
		[ "$outcome" = applied ] && outcome=guest-failed why="${2#*: }" ;;
	"") [ "$outcome" = applied ] && outcome=guest-failed why="no verdict from the harness" ;;
	esac
	printf '%s\t%s\t%s\t%s\t%s\n' "$outcome" "$check" "$apply" "$undo" "${why:--}"
}

# unit_log NNN TAPLOG: the harness's lines about one unit.
unit_log() {
	awk -v id="corpus-$1" '
		$0 ~ "^# corpus-(start|result) " id "( |$)" { print; next }
		/^(not )?ok [0-9]+ - guest\// { on = index($0, "guest/" id) > 0; if (on) print; next }
		/^# boot/ { on = 0 }
		on { print }' "$2"
}

unit_path() { grep -P "^$1\t" "$STATE/units.tsv" | cut -f2; }

# refusal_kinds LOG: one "KIND SYMBOL" line per kind of refusal in create's log.
# Kinds a kernel engineer accepts: notrace, layout, data, init, export, table;
# kinds that are hotsplice's own limits: dyndbg, funcname, unsupported, other.
refusal_kinds() {
	grep -q 'compile failed' "$1" && return 0	# the compiler's lines are no refusals
	grep -aE '^error: ' "$1" | awk '
		/compile failed|^error: [\/ \t]|^error: [^ ]*: (In function|At top level)/ { next }
		{ sym = ""; if (match($0, /symbol \x27[^\x27]*\x27/)) sym = substr($0, RSTART + 8, RLENGTH - 9) }
		/no __fentry__ call/ {
			k = "notrace"
			if (sym == "" && match($0, /\x27[^\x27]*\x27/)) sym = substr($0, RSTART + 1, RLENGTH - 2)
			d = /address is taken/ ? "its address is taken" : /is exported/ ? "it is exported: modules may call the old copy" : /callers may be in any of/ ? "its callers may be in more built files than create compiles" : /its caller/ ? "a caller is notrace too" : ""
			if (d != "") sym = sym ": " d
		}
		/changed-type: / { k = "layout"; if (match($0, /type \x27[^\x27]*\x27/)) sym = substr($0, RSTART + 6, RLENGTH - 7) }
		/changed-data: / { k = sym ~ /^(__UNIQUE_ID_ddebug|descriptor(\.|$))/ ? "dyndbg" : sym ~ /^__func__/ ? "funcname" : "data" }
		/changed-init: / { k = "init" }
		/changed-special: / { k = sym ~ /^(___ksymtab|__ksymtab|\.export_symbol)/ ? "export" : sym ~ /^\.pci_fixup/ ? "table" : "other" }
		/special section not supported/ { k = "unsupported"; if (match($0, /section \x27[^\x27]*\x27/)) sym = substr($0, RSTART + 9, RLENGTH - 10) }
		!/changed-|no __fentry__|not supported/ { k = "other"; sym = $0; sub(/^error: /, "", sym) }
		!seen[k]++ { print k, sym }'
}

# kind_count LOG KIND SYMBOL: how many symbols of LOG the refusal of KIND names.
kind_count() {
	case "$2" in
	notrace) grep -c 'no __fentry__ call' "$1" ;;
	dyndbg) grep -cE "symbol '(__UNIQUE_ID_ddebug|descriptor)" "$1" ;;
	*) grep -c "symbol '${3%%:*}'" "$1" ;;
	esac
}

# The words for a kind of refusal, given its first symbol.
kind_words() { # KIND SYMBOL COUNT
	case "$1" in
	notrace) echo "notrace code: $3 changed function(s) without an ftrace call, which livepatch cannot redirect, and not reachable through their callers (e.g. $2)" ;;
	layout) echo "data layout change: type '$2'" ;;
	data) echo "changed initial value of data '$2'" ;;
	init) echo "__init/__exit code or data changed ('$2')" ;;
	export) echo "adds or removes an exported symbol ('${2#*+}')" ;;
	table) echo "changes a PCI quirk table ($2), read only at device probe" ;;
	dyndbg) echo "hotsplice limit: $3 dynamic-debug descriptor(s) (pr_debug/dev_dbg sites, e.g. $2) are paired by their numbered names, which shift when a site is added or removed" ;;
	funcname) echo "hotsplice limit: a function-local '__func__' string is correlated with another function's by name" ;;
	unsupported) echo "hotsplice limit: special section '$2' not supported by the livepatch builder" ;;
	*) echo "$2" | sed -E 's@/[^ ]*/u/[0-9]+/patch@the patch@' ;;
	esac
}

# create_reason NNN: why create did not make a package, summarised from its log:
# the kinds of refusal with their first symbols, or the compiler's first error,
# and the partner file when another file of the update holds the missing half.
create_reason() {
	local log=$STATE/u/$1/create.log r="" k sym x
	while read -r k sym; do
		r+="${r:+; }$(kind_words "$k" "$sym" "$(kind_count "$log" "$k" "$sym")")"
	done < <(refusal_kinds "$log")
	x=$(grep -a -m1 -E ': (fatal )?error: ' "$log" |
		sed -E 's/^error: //; s@^.*/shadow/@@; s@^/[^ ]*/source/@@')
	if grep -q 'pre compile failed' "$log"; then
		r+="${r:+; }hotsplice limit: the unchanged file does not compile in the prepared tree: $x"
	elif grep -q 'compile failed' "$log"; then
		r+="${r:+; }the file does not compile on its own: $x"
	fi
	[ -n "$r" ] || r=$(tail -1 "$log" | sed -E 's@/[^ ]*/u/[0-9]+/patch@the patch@')
	# a partner only explains a unit that does not compile, or adds uncalled functions
	if { grep -q 'post compile failed' "$log" && ! grep -q 'pre compile failed' "$log"; } ||
	   [ -f "$STATE/u/$1/dryrun.log" ] || grep -q 'needs its partner files' "$log"; then
		r+=$(partner_hint "$1" "$(unit_path "$1")")
	fi
	sed "s/[‘’]/'/g" <<<"$r"
}
