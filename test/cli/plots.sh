#!/bin/sh
# SPDX-License-Identifier: MIT
# CLI tests for plots/plot.sh on the hand-made result fixture: every plot
# comes out as PNG and SVG, missing inputs are skipped or refused.  TAP
# output (plan at the end, as test/cli/run.sh); exits non-zero when any
# test fails.  Run from the top of the repository.
set -u
PLOT=${PLOT:-plots/plot.sh}
FIX=test/fixtures
PLOTS="latency-vs-size latency-vs-online capacity-lost"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../lib/tap.sh"
tap_diag() { [ -f "$TMP/err" ] && cat "$TMP/err"; }

# expect RC NAME -- CMD...: run, compare the exit code (any non-zero: RC "!0")
expect() {
	want=$1
	name=$2
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = "$want" ] || { [ "$want" = "!0" ] && [ "$rc" -ne 0 ]; }; then
		ok "$name"
	else
		echo "# exit $rc, expected $want" >>"$TMP/err"
		not_ok "$name"
	fi
}

png_magic() {
	[ "$(od -An -tx1 -N4 "$1" | tr -d ' \n')" = 89504e47 ]
}

# every plot of the fixture, both formats
OUT=$TMP/lab
expect 0 "plot.sh on results-lab" -- sh "$PLOT" "$FIX/results-lab" "$OUT"
for p in $PLOTS; do
	check "$p.png is a non-empty PNG" "[ -s '$OUT/$p.png' ] && png_magic '$OUT/$p.png'"
	check "$p.svg is a non-empty SVG" "[ -s '$OUT/$p.svg' ] && grep -q '<svg' '$OUT/$p.svg'"
	check "$p paths printed" "grep -qx '$OUT/$p.png' '$TMP/out' && grep -qx '$OUT/$p.svg' '$TMP/out'"
done
check "nothing skipped on results-lab" "! grep -q skipping '$TMP/err'"

# without summary.csv (an interrupted run) latency.csv is summarised instead
mkdir "$TMP/nosum"
cp "$FIX/results-lab/latency.csv" "$TMP/nosum/"
expect 0 "plot.sh without summary.csv" -- sh "$PLOT" "$TMP/nosum" "$TMP/nosum-out"
check "latency-vs-size from latency.csv alone" "[ -s '$TMP/nosum-out/latency-vs-size.svg' ]"
check "no capacity.csv: capacity-lost skipped with a note" \
	"grep -q 'skipping capacity-lost: no capacity.csv' '$TMP/err' && [ ! -e '$TMP/nosum-out/capacity-lost.png' ]"

# a capacity.csv without the columns the plot needs: skipped, not an error
expect 0 "unusable capacity.csv is skipped" -- sh "$PLOT" "$FIX/results-x86" "$TMP/x86-out"
check "skip notes are one line each" "[ \$(grep -c skipping '$TMP/err') -eq 3 ]"
check "nothing written for unusable input" "[ -z \"\$(ls '$TMP/x86-out')\" ]"

# refused inputs
mkdir "$TMP/empty"
expect '!0' "dir without CSVs fails" -- sh "$PLOT" "$TMP/empty" "$TMP/empty-out"
check "error names the missing CSVs" "grep -q 'latency.csv nor capacity.csv' '$TMP/err'"
expect '!0' "missing dir fails" -- sh "$PLOT" "$TMP/nonexistent"
expect '!0' "no arguments fails" -- sh "$PLOT"

echo "1..$n"
echo "# plots: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
