#!/bin/sh
# SPDX-License-Identifier: MIT
# The patched kernel in the lab, by the issue's own command:
#   ./hpbench --kernel patched --block-sizes 128M,256M,512M,1G,2G --sizes 2G
# with the paths that were its defaults then, named (the defaults grew
# nvdimm-kmem, cxl and pmem-fsdax with the multi-arch issue)
# (acpi-dimm, virtio-mem and dax-kmem, memmap_on_memory off/on, the kmem
# attribute off/on, 3 trials, a grow series): it boots at every block
# size, every row agrees with the planner, every block's memmap placement
# comes from the kernel's own report, and every phase is timed.  Then a
# memory-less node and the stock kernel.  TAP, plan at the end.
# Needs `make kernel lab hpplan` (make kernel-check does all three).
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../lib/tap.sh"
q() { jq -e "$1" "$TMP/out.json" >/dev/null 2>&1; }
S=$TMP/sweep

start=$(date +%s)
./hpbench -q --kernel patched --block-sizes 128M,256M,512M,1G,2G --sizes 2G \
	--paths acpi-dimm,virtio-mem,dax-kmem \
	--json --out "$S" >"$TMP/out.json" 2>"$TMP/err"
rc=$?
echo "# the sweep took $(($(date +%s) - start)) s"
check "block-size sweep on the patched kernel: exit 0" '[ "$rc" -eq 0 ]'
check "35 runs (5 block sizes x 7 configurations), each at the block size asked for" \
	'q "(.runs | length) == 35 and all(.runs[]; .config | test(\"/bs\"))" &&
	 [ "$(cut -d, -f3 "$S/capacity.csv" | sort -u | grep -c "^[0-9]")" -eq 5 ] &&
	 q "[.runs[].block_size] | unique == [134217728, 268435456, 536870912, 1073741824, 2147483648]"'
check "every run agrees with the planner" 'q "all(.runs[]; .check == \"agree\")"'
check "2G blocks: one block; 128M blocks: sixteen (every path)" \
	'awk -F, '"'"'NR > 1 && $3 * $5 != 2147483648 { bad = 1 } END { exit bad }'"'"' "$S/capacity.csv"'
check "placement from the kernel: acpi-dimm on and kmem attr on 'device', off 'node 0:8192'" \
	'awk -F, '"'"'NR == 1 { next }
	   $13 == "acpi-dimm" && $4 == "on" && $23 != "device" { bad = 1 }
	   $16 ~ /attr1/ && $23 != "device" { bad = 1 }
	   $4 == "off" && $23 != "node 0:8192" { bad = 1 }
	   END { exit bad }'"'"' "$S/capacity.csv"'
check "placement.csv: one row per block of every add" \
	'[ "$(awk -F, '"'"'NR > 1 { s += $5 } END { print s }'"'"' "$S/capacity.csv")" -eq "$(($(wc -l <"$S/placement.csv") - 1))" ]'
check "placement.csv: an altmap holds exactly the block's memmap (block_size / 256K pages), all on the block; without one all of it is elsewhere" \
	'awk -F, '"'"'NR == 1 { next } { per = $6 / 262144 }
	   $11 == "yes" && ($15 != per || $17 != per || $18 != 0) { bad = 1 }
	   $11 == "no" && ($17 != 0 || $18 != per) { bad = 1 }
	   END { exit bad || NR < 2 }'"'"' "$S/placement.csv"'
check "per-phase kernel rows from the 0003 tracepoints: every phase of add, online, offline, remove, each naming its block" \
	'all=1; for ph in arch_add_memory create_memory_block_devices move_pfn_range_to_zone online_pages_range isolate migrate remove_memory_block_devices arch_remove_memory; do
	     awk -F, -v s="kernel/$ph" '"'"'$14 == s && $15 > 0 && $12 >= 0 { f = 1 } END { exit !f }'"'"' "$S/latency.csv" || all=0; done; [ "$all" -eq 1 ]'
check "in-kernel totals next to the measured ones: kernel and overhead for every operation of acpi-dimm" \
	'all=1; for op in add online offline remove; do
	     for side in kernel overhead; do
	       awk -F, -v op="$op" -v s="$side" '"'"'$3 == "acpi-dimm" && $8 == op && $9 == s && $10 > 0 { f = 1 } END { exit !f }'"'"' "$S/summary.csv" || all=0
	     done; done; [ "$all" -eq 1 ]'
check "the sysfs online write takes longer than online_pages inside it (overhead > 0)" \
	'awk -F, '"'"'$8 == "online" && $9 == "overhead" { n++; if ($11 <= 0) bad = 1 } END { exit bad || !n }'"'"' "$S/summary.csv"'
check "--json: phases and kernel totals per operation" \
	'q "all(.runs[] | select(.path == \"acpi-dimm\"); .latency_ns.online.phases.move_pfn_range_to_zone.n == 3 and .latency_ns.add.kernel.median > 0)"'
check "a memory-less node 1 (CXL-like): off takes node 0's RAM, on stays on the device, as reported" \
	'./hpbench -q --kernel patched --paths acpi-dimm --node 1 --sizes 1G --modes off,on --trials 1 --grow 0 --out "$TMP/memless" >/dev/null 2>"$TMP/err" &&
	 awk -F, '"'"'NR > 1 && $4 == "off" && $23 == "node 0:4096" { a = 1 } NR > 1 && $4 == "on" && $23 == "device" { b = 1 } END { exit !(a && b) }'"'"' "$TMP/memless/capacity.csv" &&
	 awk -F, '"'"'NR > 1 && $5 == "on" && $21 != "device" { bad = 1 } END { exit bad }'"'"' "$TMP/memless/placement.csv"'
check "probe (ARCH_MEMORY_PROBE, no ACPI): 1G by physical address at 128M and 1G blocks, off and on, agrees; memmap always from node 0 (MHP_NONE)" \
	'./hpbench -q --kernel patched --paths probe --block-sizes 128M,1G --sizes 1G --modes off,on --trials 1 --grow 0 --out "$TMP/probe" >/dev/null 2>"$TMP/err" &&
	 [ "$(wc -l <"$TMP/probe/capacity.csv")" -eq 5 ] &&
	 awk -F, '"'"'NR > 1 && $23 != "node 0:4096" { bad = 1 } END { exit bad }'"'"' "$TMP/probe/capacity.csv" &&
	 awk -F, '"'"'$13 == "add" && $14 == "kernel" && $15 > 0 { f = 1 } END { exit !f }'"'"' "$TMP/probe/latency.csv"'
check "the stock kernel ignores memory_block_size= and hpbench says so" \
	'./hpbench -q --paths acpi-dimm --block-sizes 256M --sizes 256M --modes on --trials 1 --grow 0 --json --out "$TMP/stock" >"$TMP/out.json" 2>"$TMP/err"; q ".runs[0].status | test(\"ignored memory_block_size\")"'
check "the stock kernel: a measured add, but no placement.csv (no memoryX/memmap to read)" \
	'./hpbench -q --paths acpi-dimm --sizes 128M --modes on --trials 1 --grow 0 --out "$TMP/stock2" >/dev/null 2>"$TMP/err" &&
	 [ "$(wc -l <"$TMP/stock2/capacity.csv")" -eq 2 ] && [ ! -e "$TMP/stock2/placement.csv" ]'
check "the stock kernel has no memory/probe: the probe path says so (exit 4)" \
	'./hpbench -q --paths probe --sizes 128M --modes off --trials 1 --grow 0 --out "$TMP/stock3" >/dev/null 2>"$TMP/err"; [ $? -eq 4 ] && grep -q "lacks CONFIG_ARCH_MEMORY_PROBE" "$TMP/stock3/capacity.csv"'
echo "1..$n"
[ "$failed" -eq 0 ]
