# SPDX-License-Identifier: GPL-2.0
# table.awk - print the results of the benchmarks (bench/lib.sh's lines) as one
# table: each figure with its runs, min, median and max; each ratio as the
# quotient of two figures' medians. -v md=1 prints Markdown (doc/performance.md).
BEGIN { FS = "\t" }

function median(s,    v, n, i, j, t) {
	n = split(s, v, " ")
	for (i = 2; i <= n; i++)	# (insertion sort: a few dozen values)
		for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	lo = v[1]; hi = v[n]; count = n
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

function num(x) {
	x += 0
	return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : sprintf("%.2f", x)
}

function line(fig, runs, mn, med, mx, unit, method) {
	if (md) {
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", fig, runs, mn, med, mx, unit, method
		return
	}
	if (method != last_method)
		printf "  (%s)\n", method
	last_method = method
	printf "  %-60s %4s %9s %9s %9s  %s\n", fig, runs, mn, med, mx, unit
}

function flush_notes() {
	if (md && notes != "")
		printf "\n%s", notes
	notes = ""
}

function section(s) {
	if (s == cur)
		return
	cur = s
	last_method = ""
	flush_notes()
	if (md) {
		printf "\n### %s\n\n", s
		print "| figure | runs | min | median | max | unit | method |"
		print "| --- | ---: | ---: | ---: | ---: | --- | --- |"
	} else {
		printf "\n== %s\n  %-60s %4s %9s %9s %9s  %s\n", s, "figure", "runs", "min", "median",
			"max", "unit"
	}
}

$1 == "row" {
	section($2)
	med = median($6)
	medians[$3] = med
	line($3, count, num(lo), num(med), num(hi), $4, $5)
}
$1 == "ratio" {
	section($2)
	if (!($6 in medians) || !($7 in medians) || medians[$7] == 0) {
		line($3, "-", "-", "n/a", "-", "x", $5 " (a figure is missing)")
		next
	}
	line($3, "-", "-", sprintf("%.2f", medians[$6] / medians[$7]), "-", "x", $5)
}
$1 == "note" {
	section($2)
	if (md)
		notes = notes "- " $3 "\n"
	else
		printf "  note: %s\n", $3
}
END { flush_notes() }
