#!/bin/sh
# SPDX-License-Identifier: MIT
# The lab on arm64 and ppc64le: Debian's kernel of that arch boots under
# TCG (-M virt / -M pseries) to our cross-built static agent, which
# answers as on x86_64: its hello, the memory blocks, the modules it
# loaded; and hpbench measures there (arm64 virtio-mem, acpi-dimm and
# nvdimm-kmem, ppc64le DLPAR) with the planner agreeing; then the matrix
# of every arch and page size in one command.  TAP, plan at the end.
# Needs `make labs`, ./hpbench, ./hpplan and build/guest-exec (make
# labtest builds them all).
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../lib/tap.sh"
tap_diag() { cat "$TMP/out" "$TMP/err" 2>/dev/null | tail -n 15; }
# line $1 of the output (1: hello, 2..: the replies) through jq
j() { sed -n "$1p" "$TMP/out" | jq -e "$2" >/dev/null 2>&1; }

boot() {
	arch=$1
	shift
	kernel=$(ls build/lab/$arch/kernels/*/vmlinuz | tail -n 1)
	release=$(basename "$(dirname "$kernel")")
	start=$(date +%s)
	./build/guest-exec --arch "$arch" --kernel "$kernel" \
		--initrd "build/lab/$arch/initramfs.cpio.gz" \
		--request '{"cmd":"list","path":"/sys/devices/system/memory"}' \
		--request '{"cmd":"list","path":"/sys/module"}' \
		--request '{"cmd":"snapshot"}' "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	echo "# $arch: $(($(date +%s) - start)) s from QEMU start to power-off"
}
blocks() { sed -n 2p "$TMP/out" | jq '[.names[] | select(test("^memory[0-9]+$"))] | length'; }

boot arm64
check "arm64 (-M virt, Debian cloud-arm64): boots to the agent" \
	'[ "$rc" -eq 0 ] && j 1 ".machine == \"aarch64\" and .release == \"$release\""'
check "arm64: 4K pages, 128M memory blocks, 1G of boot RAM is 8 blocks" \
	'j 1 ".page_size == 4096 and .block_size == 134217728" && [ "$(blocks)" -eq 8 ]'
check "arm64: the agent loaded virtio_mem, kmem, device_dax, libnvdimm and of_pmem (nfit needs ACPI: -M virt without UEFI boots from the device tree)" \
	'j 3 "[.names[]] as \$m | all(\"virtio_mem\", \"kmem\", \"device_dax\", \"libnvdimm\", \"of_pmem\"; . as \$x | \$m | index(\$x))"'
check "arm64: a snapshot parses: node 0 zones, the 8 online blocks" 'j 4 "(.zones | length) > 0 and ([.blocks[] | select(.state == \"online\")] | length) == 8"'

boot ppc64le
check "ppc64le (-M pseries, VOF, Debian powerpc64le): boots to the agent" \
	'[ "$rc" -eq 0 ] && j 1 ".machine == \"ppc64le\" and .release == \"$release\""'
check "ppc64le: 4K pages, 256M memory blocks (the LMB), 1G of boot RAM is 4 blocks" \
	'j 1 ".page_size == 4096 and .block_size == 268435456" && [ "$(blocks)" -eq 4 ]'
check "ppc64le: Debian's kernel has the probe file; the agent loaded kmem and device_dax" \
	'j 2 "[.names[]] | index(\"probe\")" && j 3 "[.names[]] as \$m | all(\"kmem\", \"device_dax\"; . as \$x | \$m | index(\$x))"'
check "ppc64le: a snapshot parses: node 0 zones, the 4 online blocks" 'j 4 "(.zones | length) > 0 and ([.blocks[] | select(.state == \"online\")] | length) == 4"'


# -- measured on each arch, checked against the planner
q() { jq -e "$1" "$TMP/run.json" >/dev/null 2>&1; }
./hpbench -q --arch arm64 --paths virtio-mem --sizes 128M,512M --modes off,on \
	--trials 1 --grow 0 --json --out "$TMP/arm64" >"$TMP/run.json" 2>"$TMP/err"
rc=$?
check "arm64 virtio-mem 128M and 512M, off and on: exit 0, every row agrees with the planner" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 4 and all(.runs[]; .check == \"agree\" and .arch == \"arm64\" and .page_size == 4096)"'
check "arm64 virtio-mem: 512M is 4 blocks of 128M, 2048 memmap pages in node 0's RAM" \
	'awk -F, '"'"'$14 == 536870912 && ($5 != 4 || $7 != 2048 || $11 != "node 0") { bad = 1 } END { exit bad }'"'"' "$TMP/arm64/capacity.csv"'
./hpbench -q --arch ppc64le --paths pseries-dlpar --sizes 256M,512M --modes off,on \
	--trials 1 --grow 0 --json --out "$TMP/ppc64le" >"$TMP/run.json" 2>"$TMP/err"
rc=$?
check "ppc64le pseries-dlpar 256M and 512M, off and on: exit 0, every row agrees with the planner" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 4 and all(.runs[]; .check == \"agree\" and .arch == \"ppc64le\")"'
check "ppc64le DLPAR with memmap_on_memory=on: the memmap is on each 256M LMB (1024 pages of 4K), 252M usable per LMB" \
	'q "all(.runs[] | select(.mode == \"on\"); .memmap_location == \"device\" and .usable_bytes == (.size_bytes / 268435456) * 264241152)"'
./hpbench -q --arch arm64 --paths acpi-dimm --sizes 128M,512M --modes on,force \
	--trials 1 --grow 0 --json --out "$TMP/arm64b" >"$TMP/run.json" 2>"$TMP/err"
rc=$?
check "arm64 acpi-dimm (UEFI, acpi=force), on and force: exit 0, every row agrees" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 4 and all(.runs[]; .check == \"agree\")"'
check "arm64 4K acpi-dimm with on and force: the memmap is on the device (512 pages per 128M block, 126M usable each)" \
	'q "all(.runs[]; .memmap_location == \"device\" and .withheld_pages == 512 * (.size_bytes / 134217728) and .usable_bytes == 132120576 * (.size_bytes / 134217728))"'
./hpbench -q --arch arm64 --paths nvdimm-kmem --sizes 1088M --modes on \
	--kmem-attr on --trials 1 --grow 0 --json --out "$TMP/arm64c" \
	>"$TMP/run.json" 2>"$TMP/err"
rc=$?
check "arm64 nvdimm-kmem, a 1088M NVDIMM: devdax after the info block, kmem trims to 7 whole blocks, memmap on them (attr 1), agrees" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 1 and all(.runs[]; .check == \"agree\" and .memmap_location == \"device\")" && awk -F, '"'"'$2 == "nvdimm-kmem-1088M-attr1" { f = ($5 == 7 && $6 == "true") } END { exit !f }'"'"' "$TMP/arm64c/capacity.csv"'
./hpbench -q --arch arm64 --paths pseries-dlpar --sizes 128M --out "$TMP/no" \
	>/dev/null 2>"$TMP/err"
rc=$?
check "a path the lab cannot run on an arch is refused before boot, with where it runs (exit 2)" \
	'[ "$rc" -eq 2 ] && grep -q "pseries-dlpar does not run on arm64 in the lab (it runs on ppc64le)" "$TMP/err"'

# -- a matrix interrupted keeps what its cells measured; --resume finishes it
./hpbench --arch arm64,ppc64le --paths virtio-mem,pseries-dlpar --sizes 256M \
	--modes off,on --trials 2 --grow 0 --jobs 1 --out "$TMP/int" \
	>"$TMP/out" 2>"$TMP/err" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q "trial 2/2" "$TMP/err" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
kill -INT $pid
wait $pid
rc=$?
rows=$(awk -F, 'NR > 1 && $16 == "ok"' "$TMP/int/arm64-4K/latency.csv" 2>/dev/null | wc -l)
check "matrix interrupted (SIGINT to hpbench alone): exit 4, the running cell stops with its rows kept ($rows), the next never starts" \
	'[ "$rc" -eq 4 ] && [ "$rows" -gt 0 ] && [ ! -f "$TMP/int/ppc64le-4K/latency.csv" ] && grep -q "hpbench --resume $TMP/int continues" "$TMP/err"'
./hpbench -q --resume "$TMP/int" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "--resume of the matrix: exit 0, both cells complete and agree" \
	'[ "$rc" -eq 0 ] && [ "$(awk -F, '"'"'$5 == "agree"'"'"' "$TMP/int/matrix.csv" | wc -l)" -eq 2 ]'

# -- a matrix in which nothing can run boots nothing and says why (exit 3)
./hpbench -q --arch all --page-sizes 8K,16K --paths pseries-dlpar --sizes 256M \
	--out "$TMP/none" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "a matrix nothing of which can run: exit 3, no boot, matrix.csv names each reason" \
	'[ "$rc" -eq 3 ] && [ -z "$(find "$TMP/none" -mindepth 1 -type d)" ] && grep -q "^1,arm64,8192,pseries-dlpar,unsupported,\"arm64 has no 8K page size in Linux; it supports 4K, 16K or 64K\"" "$TMP/none/matrix.csv" && grep -q "^1,arm64,16384,pseries-dlpar,unsupported,DLPAR is the PAPR" "$TMP/none/matrix.csv" && grep -q "^1,ppc64le,16384,pseries-dlpar,unsupported,ppc64le has no 16K" "$TMP/none/matrix.csv"'
./hpbench -q --arch ppc64le --page-sizes 4K,16K --paths nvdimm-kmem \
	--sizes 256M --out "$TMP/nonv" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "ppc64le nvdimm-kmem on Debian's kernel: unsupported before boot, the missing option named and where to get it (exit 3)" \
	'[ "$rc" -eq 3 ] && grep -q "^1,ppc64le,4096,nvdimm-kmem,unsupported,.*lacks CONFIG_LIBNVDIMM (nvdimm-kmem needs it; --kernel patched builds ours with it)" "$TMP/nonv/matrix.csv"'
./hpbench -q --arch x86_64,arm65 --out "$TMP/bad" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "a matrix with an unknown arch is bad usage (exit 2), named" \
	'[ "$rc" -eq 2 ] && grep -q "arm65" "$TMP/err"'

# -- the matrix: every arch and page size in one command, force mode
start=$(date +%s)
./hpbench -q --arch all --page-sizes all --paths acpi-dimm,virtio-mem,pseries-dlpar,cxl \
	--sizes 256M --modes force --trials 1 --grow 0 --json --out "$TMP/mx" \
	>"$TMP/run.json" 2>"$TMP/err"
rc=$?
echo "# matrix: $(($(date +%s) - start)) s"
check "matrix (--arch all --page-sizes all): exit 0, 5 cells ran (x86_64 4K, arm64 4K/16K, ppc64le 4K/64K), each agrees" \
	'[ "$rc" -eq 0 ] && q "([.cells[] | select(.status == \"agree\")] | length) == 5 and all(.cells[] | select(.status != \"unsupported\"); .differ == 0 and .agree > 0)"'
check "matrix: CXL on x86_64 (q35 cxl=on, region made through sysfs, kmem): its blocks form node 1, memmap in node 0 with the attribute 0 and on the expander with 1" \
	'awk -F, '"'"'$2 == "cxl-256M-attr0" { a = ($29 == 1 && $11 == "node 0") } $2 == "cxl-256M-attr1" { b = ($29 == 1 && $11 == "device" && $28 == 1024) } END { exit !(a && b) }'"'"' "$TMP/mx/capacity.csv"'
check "matrix: the cells that cannot run say why (x86_64 16K/64K, arm64 64K, ppc64le 16K), and arm64 16K's kernel lacks ACPI memory hotplug" \
	'q "([.cells[] | select(.status == \"unsupported\")] | length) == 4" && grep -q "^1,x86_64,16384,acpi-dimm,unsupported,x86_64 has no 16K page size" "$TMP/mx/matrix.csv" && grep -q "^1,arm64,65536,.*Debian builds no arm64 kernel with 64K pages" "$TMP/mx/matrix.csv" && grep -q "^1,arm64,16384,acpi-dimm,unsupported,.*lacks CONFIG_ACPI_HOTPLUG_MEMORY" "$TMP/mx/matrix.csv"'
check "matrix: merged capacity.csv rows carry arch and page size, one header" \
	'[ "$(grep -c ^schema_version "$TMP/mx/capacity.csv")" -eq 1 ] && awk -F, '"'"'NR > 1 { seen[$26 "/" $27] = 1 } END { exit !(("x86_64/4096" in seen) && ("arm64/16384" in seen) && ("ppc64le/65536" in seen)) }'"'"' "$TMP/mx/capacity.csv"'
check "seed 000 on Debian's powerpc64le-64k: force withholds 32 pages (2M) per 256M LMB, 254M usable; the kernel logs the planner's 'will waste 28 pages'" \
	'awk -F, '"'"'$26 == "ppc64le" && $27 == 65536 { f = ($28 == 32 && $10 == 266338304) } END { exit !f }'"'"' "$TMP/mx/capacity.csv" && jq -e ".boots[0].hello.kernel_boot_message | .agree and (.kernel | test(\"waste 28 pages\"))" "$TMP/mx/ppc64le-64K/meta.json" >/dev/null'
check "arm64 16K: virtio-mem keeps the memmap in RAM with force, and the kernel's 'will waste 2016 pages' is the planner's" \
	'awk -F, '"'"'$26 == "arm64" && $27 == 16384 { f = ($6 == "false" && $11 == "node 0") } END { exit !f }'"'"' "$TMP/mx/capacity.csv" && jq -e ".boots[0].hello.kernel_boot_message | .agree and (.kernel | test(\"waste 2016 pages\"))" "$TMP/mx/arm64-16K/meta.json" >/dev/null'
sh plots/plot.sh "$TMP/mx" "$TMP/plots" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "plots of the matrix: exit 0, arch.png/svg set the cells side by side, each cell has its own plots" \
	'[ "$rc" -eq 0 ] && [ -s "$TMP/plots/arch.png" ] && [ -s "$TMP/plots/arch.svg" ] && grep -q "ppc64le 64K pseries-dlpar" "$TMP/plots/arch.svg" && [ -s "$TMP/plots/arm64-16K/capacity-lost.png" ] && [ -s "$TMP/plots/ppc64le-64K/latency-vs-size.svg" ]'
echo "1..$n"
[ "$failed" -eq 0 ]
