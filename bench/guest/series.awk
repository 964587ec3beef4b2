# SPDX-License-Identifier: GPL-2.0
# series.awk - turn the timing lines of `hsb time`, `hsb lp-load`/`lp-unload` and
# hotsplice's HS_TIMING marks into one line per series, for the host to summarise:
#
#   BENCH TAG STAGE UNIT V1 V2 ...
#
# A run is "hsb-start TAG T0", then "timing: STAGE T" marks, then "hsb-end TAG T1 ...".
# Its stages: each mark minus the one before ("start", the first, is the time to
# exec the command), "exit" (the end after the last mark), "done" (the "switched"
# mark minus T0: command start to transition done), "total" (T1 - T0), in ms.
function add(tag, stage, v) {
	if (!((tag, stage) in vals)) {
		nstage[tag]++
		stages[tag, nstage[tag]] = stage
		vals[tag, stage] = ""
	}
	vals[tag, stage] = vals[tag, stage] " " sprintf("%.3f", v * 1000)
}
$1 == "hsb-start" {
	tag = $2; t0 = $3; prev = t0
	if (!(tag in seen)) { seen[tag] = 1; tags[++ntags] = tag }
	next
}
$1 == "timing:" && tag != "" {
	add(tag, $2, $3 - prev); prev = $3
	if ($2 == "switched") add(tag, "done", $3 - t0)
	next
}
$1 == "hsb-end" && $2 == tag {
	add(tag, "exit", $3 - prev)
	add(tag, "total", $3 - t0)
	if ($6 != "rc=0") bad[tag] = bad[tag] " " $6
	tag = ""
}
END {
	for (i = 1; i <= ntags; i++) {
		t = tags[i]
		for (k = 1; k <= nstage[t]; k++)
			print "BENCH " t " " stages[t, k] " ms" vals[t, stages[t, k]]
		if (t in bad) print "BENCH-FAILED " t bad[t]
	}
}
