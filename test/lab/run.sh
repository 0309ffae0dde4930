#!/bin/sh
# SPDX-License-Identifier: MIT
# Lab integration tests: boot the real lab (QEMU, Debian's 6.12 kernel,
# our initramfs and agent) under TCG or KVM and check what hpbench
# measures against the planner, to the page.  TAP output, plan at the
# end; exits non-zero when any test fails.  Needs `make lab` first.
# Run from the top of the repository.
set -u
HPBENCH=${HPBENCH:-./hpbench}
HPPLAN=${HPPLAN:-./hpplan}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../lib/tap.sh"
# jq over the last --json output
q() { jq -e "$1" "$TMP/out.json" >/dev/null 2>&1; }
run() {
	"$HPBENCH" -q "$@" --json >"$TMP/out.json" 2>"$TMP/err"
	rc=$?
}

# -- acpi-dimm, 128M and 1G, off and on: the planner's figures to the page
run --paths acpi-dimm --sizes 128M,1G --modes off,on --trials 2 --grow 2 \
	--out "$TMP/dimm"
check "acpi-dimm off/on 128M/1G: exit 0 (all measured, planner agrees)" '[ "$rc" -eq 0 ]'
check "acpi-dimm: 4 runs, every one ok" \
	'q "(.runs | length) == 4 and all(.runs[]; .status == \"ok\")"'
check "acpi-dimm: every run agrees with the planner" \
	'q "all(.runs[]; .check == \"agree\")"'
check "acpi-dimm on 128M: 512 memmap pages on the device, 126M usable" \
	'q ".runs[] | select(.mode==\"on\" and .size_bytes==134217728) | .memmap_pages_on_device == 512 and .usable_bytes == 132120576 and .memmap_location == \"device\""'
check "acpi-dimm off 1G: memmap in node 0 RAM, all 1G usable" \
	'q ".runs[] | select(.mode==\"off\" and .size_bytes==1073741824) | .memmap_pages_on_device == 0 and .memmap_pages == 4096 and .usable_bytes == 1073741824 and .memmap_location == \"node 0\""'
check "acpi-dimm: add/online/offline/remove latencies measured (n=2 each)" \
	'q "all(.runs[]; .latency_ns.add.n == 2 and .latency_ns.online.n == 2 and .latency_ns.offline.n == 2 and .latency_ns.remove.n == 2 and .latency_ns.add.side == \"host\")"'
check "hpplan --check on the result directory agrees (exit 0)" \
	'"$HPPLAN" --check "$TMP/dimm" >"$TMP/err" 2>&1'
check "latency.csv: one row per (trial, block, op); 1G trials have 8 guest online rows each" \
	'[ "$(awk -F, '"'"'$5=="on" && $8==1073741824 && $9==0 && $13=="online" && $14=="guest"'"'"' "$TMP/dimm/latency.csv" | wc -l)" -eq 8 ]'
check "grow series: adds recorded with 0 and 128M already online" \
	'awk -F, '"'"'$13=="add" && $14=="host" && $11==134217728'"'"' "$TMP/dimm/latency.csv" | grep -q .'
check "in-kernel time (function_graph): add_memory_resource and online_pages rows" \
	'awk -F, '"'"'$14=="kernel" && $13=="add" && $15>0'"'"' "$TMP/dimm/latency.csv" | grep -q . &&
	 awk -F, '"'"'$14=="kernel" && $13=="online" && $15>0'"'"' "$TMP/dimm/latency.csv" | grep -q .'
check "meta.json: kernel release, QEMU version and command line, host topology" \
	'jq -e ".guest.kernel_release | test(\"^6\\\\.12\")" "$TMP/dimm/meta.json" >/dev/null &&
	 jq -e "(.qemu.version | length) > 0 and (.qemu.last_cmdline | test(\"q35\")) and (.host.topology.pus >= 1)" "$TMP/dimm/meta.json" >/dev/null'
check "QEMU peak RSS recorded and under 2 GiB" \
	'jq -e ".peak_rss_kb > 0 and .peak_rss_kb < 2097152 and all(.boots[]; .peak_rss_kb > 0)" "$TMP/dimm/meta.json" >/dev/null'

# -- dax-kmem with the kmem memmap_on_memory attribute
run --paths dax-kmem --sizes 256M --modes on --kmem-attr off,on --trials 1 \
	--out "$TMP/dax"
check "dax-kmem 256M attr off/on: exit 0, planner agrees" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 2 and all(.runs[]; .check == \"agree\")"'
check "dax-kmem attr on: 1024 memmap pages on the device; attr off: none" \
	'q "(.runs[] | select(.kmem_memmap_on_memory) | .memmap_pages_on_device == 1024) and (.runs[] | select(.kmem_memmap_on_memory | not) | .memmap_pages_on_device == 0)"'

# -- dax-kmem over emulated pmem: memmap=512M! -> namespace -> devdax (the
#    sysfs steps of ndctl create-namespace -m devdax) -> kmem.  The pfn
#    reserve moves the data area off the block boundary: kmem trims it.
run --paths dax-kmem --dax-source pmem --sizes 512M --modes on \
	--kmem-attr off,on --trials 1 --out "$TMP/pmem"
check "dax-kmem over pmem devdax, attr off and on: exit 0, planner agrees" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 2 and all(.runs[]; .check == \"agree\")"'
check "dax-kmem over pmem: the planner, given the namespace at 0x100000000, finds the 10M devdax head itself; 3 blocks, 128M lost (the head + 118M trimmed)" \
	'grep -q "start = 0x100000000" "$TMP/pmem/device.cfg" && grep -q "^namespace = yes" "$TMP/pmem/device.cfg" &&
	 awk -F, '"'"'NR > 1 && $5 == 3 && $9 == 134217728'"'"' "$TMP/pmem/capacity.csv" | grep -q .'

# -- kmem trims a range to whole blocks: 200M at 4G gives one 128M block
run --paths dax-kmem --sizes 200M --modes on --kmem-attr on --trials 1 \
	--out "$TMP/trim"
check "dax-kmem 200M: one block added, 72M trimmed, planner agrees" \
	'[ "$rc" -eq 0 ] && q ".runs[0].check == \"agree\"" &&
	 awk -F, '"'"'NR > 1 && $5 == 1 && $9 == 75497472'"'"' "$TMP/trim/capacity.csv" | grep -q .'

# -- online (the kernel picks the zone) instead of online_movable
run --paths acpi-dimm --online-type online --sizes 128M --modes on \
	--trials 1 --grow 0 --out "$TMP/otype"
# ZONE_NORMAL memory may hold unmovable pages by removal time: the
# kernel's EBUSY is then the recorded result, not a test failure
check "--online-type online: capacity agrees; removal ok or the kernel's offline refusal recorded" \
	'q ".runs[0].config == \"acpi-dimm/on/manual:online\" and .runs[0].check == \"agree\" and
	   (.runs[0].status == \"ok\" or (.runs[0].status | test(\"offline of memory[0-9]+ refused\")))"'

# -- virtio-mem
run --paths virtio-mem --sizes 256M --modes on --trials 1 --grow 0 \
	--out "$TMP/vmem"
check "virtio-mem 256M: exit 0, memmap in RAM even with memmap_on_memory=on" \
	'[ "$rc" -eq 0 ] && q ".runs[0].memmap_location == \"node 0\" and .runs[0].check == \"agree\""'

# -- a memory-less node, like a CXL expander: who pays for the memmap?
run --paths acpi-dimm --node 1 --sizes 128M --modes off,on --trials 1 \
	--grow 0 --out "$TMP/memless"
check "memory-less node 1: off puts the memmap on node 0, on on the device; planner agrees" \
	'[ "$rc" -eq 0 ] && q "(.runs[] | select(.mode==\"off\") | .memmap_location == \"node 0\") and (.runs[] | select(.mode==\"on\") | .memmap_location == \"device\") and all(.runs[]; .check == \"agree\")"'
check "memory-less node 1, off: node 0 MemUsed grows, node 1 MemUsed does not (capacity.csv)" \
	'awk -F, '"'"'NR > 1 && $4 == "off" && $21 > 0 && $22 == 0'"'"' "$TMP/memless/capacity.csv" | grep -q .'

# -- failures are rows, not crashes
printf 'not an initramfs' >"$TMP/bad.img"
run --paths acpi-dimm --sizes 128M --modes off --trials 1 --grow 0 \
	--initrd "$TMP/bad.img" \
	--timeout 20 --out "$TMP/panic"
check "a guest that panics at boot: exit 4, the failure named" \
	'[ "$rc" -eq 4 ] && q ".runs[0].status | test(\"boot|panic|QEMU\")"'
check "refused before boot: a size that is not a whole block (exit 2)" \
	'"$HPBENCH" --sizes 100M --out "$TMP/x" 2>"$TMP/err"; [ $? -eq 2 ] && grep -q "memory block" "$TMP/err"'
check "refused before boot: unknown path (exit 2)" \
	'"$HPBENCH" --paths acpi-nope 2>"$TMP/err"; [ $? -eq 2 ] && grep -q "unknown path" "$TMP/err"'
check "a missing kernel image: exit 3" \
	'"$HPBENCH" --kernel "$TMP/none" 2>"$TMP/err"; [ $? -eq 3 ]'

# -- a guest that hangs: QEMU stopped mid-run; the timeout catches it, QEMU
#    is reaped, the next configuration still runs
"$HPBENCH" --paths acpi-dimm --sizes 128M --modes off,on --trials 3 --grow 0 \
	--timeout 5 --json --out "$TMP/hang" >"$TMP/out.json" 2>"$TMP/err" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q "off/manual\] 128M trial 2/3" "$TMP/err" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
qpid=$(pgrep -f "$TMP/hang/console-acpi-dimm-off" | head -n 1)
[ -n "$qpid" ] && kill -STOP "$qpid"
wait $pid
rc=$?
check "a hung guest (QEMU stopped): exit 4, the hang recorded, QEMU reaped" \
	'[ "$rc" -eq 4 ] && q ".runs[] | select(.mode == \"off\") | .status | test(\"did not answer|within|timed out\")" &&
	 ! kill -0 "$qpid" 2>/dev/null'
check "a hung guest: the next configuration is still measured and agrees" \
	'q ".runs[] | select(.mode == \"on\") | .status == \"ok\" and .check == \"agree\""'

# -- pmem fsdax, map=dev (attr1) vs map=mem (attr0), a whole-section 1G
#    namespace and a 258M one ending in a 2M sub-section (seed 001)
run --paths pmem-fsdax --sizes 258M,1G --modes on --trials 1 --out "$TMP/fsdax"
check "pmem-fsdax 258M/1G, map=dev and map=mem: exit 0, every row agrees with the planner" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 4 and all(.runs[]; .check == \"agree\")"'
check "pmem-fsdax 1G: map=dev puts 4096 memmap pages in an 18M head (1006M of data); map=mem keeps a 2M head (1022M) and its memmap in node 0" \
	'q "any(.runs[]; .size_bytes == 1073741824 and .kmem_memmap_on_memory and .memmap_location == \"device\" and .memmap_pages == 4096 and .usable_bytes == 1054867456) and any(.runs[]; .size_bytes == 1073741824 and (.kmem_memmap_on_memory | not) and .memmap_location == \"node 0\" and .usable_bytes == 1071644672)"'
check "pmem-fsdax 258M (ends in a 2M sub-section): 1032 memmap pages, map=dev head 6M leaves 504 reserve pages" \
	'q "any(.runs[]; .size_bytes == 270532608 and .kmem_memmap_on_memory and .memmap_pages == 1032 and .reserve_pages == 504 and .usable_bytes == 264241152)"'

# -- Ctrl-C keeps what was measured; --resume finishes the run
"$HPBENCH" --paths acpi-dimm --sizes 128M --modes off,on --trials 3 --grow 0 \
	--out "$TMP/int" \
	>/dev/null 2>"$TMP/err" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q "trial 2/3" "$TMP/err" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
kill -INT $pid
wait $pid
rc=$?
rows=$(awk -F, 'NR > 1 && $16 == "ok"' "$TMP/int/latency.csv" 2>/dev/null | wc -l)
check "SIGINT mid-run: exit 4, rows already measured kept ($rows)" \
	'[ "$rc" -eq 4 ] && [ "$rows" -gt 0 ] && grep -q "resume" "$TMP/err"'
"$HPBENCH" -q --resume "$TMP/int" >/dev/null 2>"$TMP/err"
rc=$?
check "--resume completes the interrupted run; planner agrees" \
	'[ "$rc" -eq 0 ] && [ "$(grep -c . "$TMP/int/done")" -eq 6 ]'

# -- --target host: dry run on a recorded tree; then the real thing, run by
#    the static hpbench inside a guest with a real dax device and real
#    offline blocks (the only host here with hot-pluggable memory)
check "--target host without --yes prints the plan and touches nothing" \
	'"$HPBENCH" --target host --sysfs-root test/fixtures/sysfs-x86 >"$TMP/plan" 2>"$TMP/err" &&
	 grep -q "would 3 x: unbind dax0.0" "$TMP/plan" && grep -q "run again with --yes" "$TMP/plan"'
check "--target host --yes refuses a recorded sysfs tree (exit 2)" \
	'"$HPBENCH" --target host --yes --sysfs-root test/fixtures/sysfs-x86 2>"$TMP/err"; [ $? -eq 2 ]'
KERNEL=$(ls build/lab/kernels/*/vmlinuz | tail -n 1)
GUEST="build/guest-exec --kernel $KERNEL --initrd build/lab/initramfs-selftest.cpio.gz
	--mem 1024M --append memhp_default_state=offline
	--append memory_hotplug.memmap_on_memory=1
	--append memmap=256M%0x20000000-1+0xefffffff"
# shellcheck disable=SC2086
$GUEST --write /sys/bus/dax/drivers/kmem/unbind=dax0.0 \
	--write /sys/bus/dax/devices/dax0.0/memmap_on_memory=1 \
	-- /sbin/hpbench --target host --yes --trials 2 --json -q --out /tmp/h \
	>"$TMP/guest.out" 2>"$TMP/err"
rc=$?
# the guest hands back stdout and stderr as one stream: the JSON is last
sed -n '/^{/,$p' "$TMP/guest.out" >"$TMP/out.json"
check "host target in a guest: an unbound dax device is measured, exit 0" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 1 and .runs[0].path == \"dax-kmem\" and .runs[0].status == \"ok\""'
check "host target in a guest: memmap on the device (attribute 1), planner agrees" \
	'q ".runs[0].memmap_location == \"device\" and .runs[0].memmap_pages_on_device == 1024 and .runs[0].check == \"agree\""'
# shellcheck disable=SC2086
$GUEST -- /sbin/hpbench --target host --yes --trials 1 --out /tmp/h \
	>"$TMP/out" 2>&1
rc=$?
check "host target: a dax device already kmem is left alone; its offline blocks are onlined and offlined" \
	'[ "$rc" -eq 0 ] && grep -q "host/memory4/on" "$TMP/out" && ! grep -q "host/dax0.0" "$TMP/out" &&
	 grep -q "not compared" "$TMP/out"'

# -- plots from a real run
check "plots/plot.sh draws the acpi-dimm run (PNG and SVG)" \
	'sh plots/plot.sh "$TMP/dimm" "$TMP/plots" >"$TMP/err" 2>&1 &&
	 [ -s "$TMP/plots/latency-vs-size.png" ] && [ -s "$TMP/plots/capacity-lost.svg" ] &&
	 [ -s "$TMP/plots/latency-vs-online.png" ]'

echo "1..$n"
[ "$failed" -eq 0 ]
