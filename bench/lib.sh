# SPDX-License-Identifier: GPL-2.0
# lib.sh - what the benchmark scripts share: the results file and its lines.
#
# $BENCH_OUT holds one tab-separated line per figure (bench/table.awk prints them):
#   row    SECTION FIGURE UNIT METHOD V1 V2 ...   (the runs' values)
#   ratio  SECTION FIGURE x    METHOD NUM DEN     (median of figure NUM / median of DEN)
#   note   SECTION TEXT
# $BENCH_WORK is the scratch directory (build/bench), $HSB the measuring tool.

# bench_row SECTION FIGURE UNIT METHOD VALUE...
bench_row() {
	local sec=$1 fig=$2 unit=$3 method=$4
	shift 4
	[ $# -gt 0 ] || { echo "bench: no values for '$fig'" >&2; return 1; }
	printf 'row\t%s\t%s\t%s\t%s\t%s\n' "$sec" "$fig" "$unit" "$method" "$*" >> "$BENCH_OUT"
}

# bench_ratio SECTION FIGURE METHOD NUMERATOR-FIGURE DENOMINATOR-FIGURE
bench_ratio() {
	printf 'ratio\t%s\t%s\tx\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >> "$BENCH_OUT"
}

# bench_note SECTION TEXT
bench_note() {
	printf 'note\t%s\t%s\n' "$1" "$2" >> "$BENCH_OUT"
}

# hsb_field NAME FILE...: the values of NAME=V in the hsb-end lines of the files
hsb_field() {
	local name=$1
	shift
	sed -n "s/^hsb-end .* $name=\([^ ]*\).*/\1/p" "$@"
}

# hsb_wall FILE...: the wall seconds of each `hsb time` run in the files
hsb_wall() {
	awk '$1 == "hsb-start" { t0 = $3 } $1 == "hsb-end" { printf "%.2f\n", $3 - t0 }' "$@"
}
