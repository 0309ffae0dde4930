# SPDX-License-Identifier: MIT
# TAP for the shell tests, sourced: ok, not_ok, check NAME 'SHELL TEST'.
# After each "not ok" tap_diag prints what explains it, as "# " lines:
# by default the last 15 lines of $TMP/err; a script that keeps its
# evidence elsewhere defines its own tap_diag after sourcing this.
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	tap_diag | sed 's/^/# /'
}
tap_diag() { [ -f "$TMP/err" ] && tail -n 15 "$TMP/err"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
