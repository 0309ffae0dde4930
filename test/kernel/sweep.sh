#!/bin/sh
# SPDX-License-Identifier: MIT
# The patched kernel in the lab: it boots, takes memory_block_size= for
# every size from 128M to 2G, and a 2G acpi-dimm add at each agrees with
# the planner, memmap_on_memory off and on.  TAP, plan at the end.
# Needs `make kernel lab` (make kernel-check does both).
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	tail -n 15 "$TMP/err" | sed 's/^/# /'
}
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
q() { jq -e "$1" "$TMP/out.json" >/dev/null 2>&1; }

./hpbench -q --kernel patched --paths acpi-dimm \
	--block-sizes 128M,256M,512M,1G,2G --sizes 2G --modes off,on \
	--trials 1 --grow 0 --json --out "$TMP/sweep" >"$TMP/out.json" 2>"$TMP/err"
rc=$?
check "block-size sweep on the patched kernel: exit 0" '[ "$rc" -eq 0 ]'
check "10 runs (5 block sizes x off/on), each at the block size asked for" \
	'q "(.runs | length) == 10 and all(.runs[]; .config | test(\"/bs\"))" &&
	 [ "$(cut -d, -f3 "$TMP/sweep/capacity.csv" | sort -u | grep -c "^[0-9]")" -eq 5 ]'
check "every run agrees with the planner" 'q "all(.runs[]; .check == \"agree\")"'
check "2G blocks: one block; 128M blocks: sixteen" \
	'awk -F, '"'"'$3 == 2147483648 && $5 != 1 { bad = 1 } $3 == 134217728 && $5 != 16 { bad = 1 } END { exit bad }'"'"' "$TMP/sweep/capacity.csv"'
check "the kernel's own placement report: memmap_report is 'device' with on, 'node 0:8192' with off" \
	'awk -F, '"'"'NR > 1 && $4 == "on" && $23 != "device" { bad = 1 } NR > 1 && $4 == "off" && $23 != "node 0:8192" { bad = 1 } END { exit bad }'"'"' "$TMP/sweep/capacity.csv"'
check "per-phase kernel rows from the 0003 tracepoints: every phase of add, online, offline, remove" \
	'all=1; for ph in arch_add_memory create_memory_block_devices move_pfn_range_to_zone online_pages_range isolate migrate remove_memory_block_devices arch_remove_memory; do
	     awk -F, -v s="kernel/$ph" '"'"'$14 == s && $15 > 0 { f = 1 } END { exit !f }'"'"' "$TMP/sweep/latency.csv" || all=0; done; [ "$all" -eq 1 ]'
check "a memory-less node 1 (CXL-like): off takes node 0's RAM, on stays on the device, as reported" \
	'./hpbench -q --kernel patched --paths acpi-dimm --node 1 --sizes 1G --modes off,on --trials 1 --grow 0 --out "$TMP/memless" >/dev/null 2>"$TMP/err" &&
	 awk -F, '"'"'NR > 1 && $4 == "off" && $23 == "node 0:4096" { a = 1 } NR > 1 && $4 == "on" && $23 == "device" { b = 1 } END { exit !(a && b) }'"'"' "$TMP/memless/capacity.csv"'
check "the stock kernel ignores memory_block_size= and hpbench says so" \
	'./hpbench -q --paths acpi-dimm --block-sizes 256M --sizes 256M --modes on --trials 1 --grow 0 --json --out "$TMP/stock" >"$TMP/out.json" 2>"$TMP/err"; q ".runs[0].status | test(\"ignored memory_block_size\")"'
echo "1..$n"
[ "$failed" -eq 0 ]
