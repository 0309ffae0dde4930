#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed 000 measured to the page: ppc64le with 64K pages, 256M LMBs,
# memmap_on_memory=force, on our patched kernel cross-built with 64K
# pages (its memoryX/memmap says where every LMB's memmap went; Debian's
# powerpc64le-64k kernel can only show the 2M withheld, arches.sh checks
# that).  With 2G of boot RAM QEMU puts the LMBs at 2G, in a vmemmap PMD
# leaf of their own: 4 memmap pages on each LMB plus 28 reserved, as the
# seed says.  With 512M they land at 1G, inside the leaf boot RAM already
# populated: the memmap stays in node 0 and all 32 altmap pages are
# withheld unused.  "on" refuses (4 pages are not a pageblock of 32) and
# the memmap is in RAM.  The planner must agree with all of it.  Then
# nvdimm-kmem on pseries with the same kernel (below).  TAP.
# Needs ./hpbench, ./hpplan and `make lab-ppc64le-64k`; builds the
# kernel (scripts/build-kernel.sh --arch ppc64le --page-size 64K) if it
# is not cached.
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../lib/tap.sh"
q() { jq -e "$1" "$TMP/out.json" >/dev/null 2>&1; }

start=$(date +%s)
./hpbench -q --arch ppc64le --page-sizes 64K --kernel patched --boot-mem 2G \
	--paths pseries-dlpar \
	--sizes 256M,512M --modes on,force --trials 1 --grow 0 --json \
	--out "$TMP/at2g" >"$TMP/out.json" 2>"$TMP/err"
rc=$?
echo "# ppc64le 64K patched, LMBs at 2G: $(($(date +%s) - start)) s (the kernel build included when not cached)"
check "ppc64le 64K patched kernel, LMBs at 2G, on and force: exit 0, every row agrees" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 4 and all(.runs[]; .check == \"agree\" and .page_size == 65536)"'
check "seed 000 with force: each 256M LMB carries its 4 memmap pages and 28 reserved (2M withheld), 254M usable" \
	'q "all(.runs[] | select(.mode == \"force\"); (.size_bytes / 268435456) as \$l | .memmap_location == \"device\" and .memmap_pages == 4 * \$l and .reserve_pages == 28 * \$l and .withheld_pages == 32 * \$l and .usable_bytes == 266338304 * \$l)"'
check "seed 000 with on: 4 pages are not a pageblock of 32, so the memmap is in node 0 and nothing is withheld" \
	'q "all(.runs[] | select(.mode == \"on\"); .memmap_location == \"node 0\" and .withheld_pages == 0 and .usable_bytes == .size_bytes)"'
check "placement.csv: with force every LMB's altmap gave its 4 memmap pages (alloc 4, free 32)" \
	'awk -F, '"'"'NR > 1 && $5 == "force" && !($15 == 4 && $14 == 32 && $17 == 4 && $18 == 0) { bad = 1 } NR > 1 && $5 == "force" { seen = 1 } END { exit bad || !seen }'"'"' "$TMP/at2g/placement.csv"'
check "the kernel logs the planner's force padding: 'will waste 28 pages in each memory block'" \
	'jq -e "[.boots[].hello.kernel_boot_message | select(.)] | length > 0 and all(.[]; .agree and (.kernel | test(\"waste 28 pages\")))" "$TMP/at2g/meta.json" >/dev/null'

./hpbench -q --arch ppc64le --page-sizes 64K --kernel patched \
	--paths pseries-dlpar \
	--sizes 256M,1G --modes force --trials 1 --grow 0 --json \
	--out "$TMP/at1g" >"$TMP/out.json" 2>"$TMP/err"
rc=$?
check "ppc64le 64K patched kernel, LMBs at 1G (boot RAM 512M), force: exit 0, every row agrees" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 2 and all(.runs[]; .check == \"agree\")"'
check "inside boot RAM's vmemmap leaf: the memmap stays in node 0, all 32 altmap pages of each LMB withheld unused (2M lost, 254M usable)" \
	'q "all(.runs[]; (.size_bytes / 268435456) as \$l | .memmap_location == \"node 0\" and .memmap_pages == 4 * \$l and .reserve_pages == 32 * \$l and .withheld_pages == 32 * \$l and .usable_bytes == 266338304 * \$l)"'
check "placement.csv: altmap free 32, alloc 0, the 4 pages elsewhere in node 0" \
	'awk -F, '"'"'NR > 1 && !($14 == 32 && $15 == 0 && $18 == 4 && $21 == "node 0:4") { bad = 1 } NR > 1 { seen = 1 } END { exit bad || !seen }'"'"' "$TMP/at1g/placement.csv"'

# -- dax/kmem from an emulated NVDIMM on ppc64le: QEMU's spapr-nvdimm under
# papr_scm.  The guest cannot write the devdax info block (its pmem flush,
# dcbstps, is illegal to TCG), so hpbench writes it into the backing file
# before boot and the kernel validates it.  Boot RAM 512M: the NVDIMMs sit
# at 1G (256M), 1.25G (768M) and 2G (1G); the info block's 2M head costs
# each its first LMB.  A 256M one has no whole LMB left: kmem refuses it,
# as the planner says.  768M: both LMBs are inside boot RAM's vmemmap leaf,
# so with force each withholds its 32 altmap pages and the memmap is in
# node 0; 1G: the LMBs from 2G have their own leaf, memmap on the device.
./hpbench -q --arch ppc64le --page-sizes 64K --kernel patched \
	--paths nvdimm-kmem --sizes 256M,768M,1G --modes off,force \
	--trials 1 --grow 0 --json \
	--out "$TMP/nvdimm" >"$TMP/out.json" 2>"$TMP/err"
rc=$?
check "ppc64le 64K nvdimm-kmem (spapr-nvdimm, info block written before boot): exit 0, every row agrees with the planner" \
	'[ "$rc" -eq 0 ] && q "(.runs | length) == 9 and all(.runs[]; .check == \"agree\" and .arch == \"ppc64le\")"'
check "a 256M NVDIMM: nothing whole after the 2M head, kmem refuses it (the planner's refusal)" \
	'q "[.runs[] | select(.size_bytes == 268435456)] | length == 3 and all(.[]; .status | test(\"^refused: kmem.s probe of dax[0-9.]+ failed\"))"'
check "attr 0: kmem adds every LMB after the head (768M: 2, 1G: 3), the first LMB lost (2M head + 254M trimmed), memmap in node 0, all of each LMB usable" \
	'awk -F, '"'"'$16 ~ /attr0$/ && $14 > 268435456 { n++; if (!($5 == $14 / 268435456 - 1 && $11 == "node 0" && $10 == $5 * 268435456 && $9 == 268435456)) bad = 1 } END { exit bad || n != 4 }'"'"' "$TMP/nvdimm/capacity.csv"'
check "force, attr 1, 768M at 1.25G: inside boot RAM's vmemmap leaf, memmap in node 0, 32 pages withheld per LMB" \
	'q "[.runs[] | select(.mode == \"force\" and .kmem_memmap_on_memory == true and .size_bytes == 805306368)] | length == 1 and all(.[]; .memmap_location == \"node 0\" and .withheld_pages == 64 and .usable_bytes == 2 * 266338304)"'
check "force, attr 1, 1G at 2G: 4 memmap pages on each of its 3 LMBs plus 28 reserved" \
	'q "[.runs[] | select(.mode == \"force\" and .kmem_memmap_on_memory == true and .size_bytes == 1073741824)] | length == 1 and all(.[]; .memmap_location == \"device\" and .memmap_pages_on_device == 12 and .reserve_pages == 84 and .usable_bytes == 3 * 266338304)"'
check "the planner was given each namespace (device.cfg: the NVDIMM's address and size, namespace = yes) and found the 2M head itself" \
	'[ "$(grep -c "^namespace = yes" "$TMP/nvdimm/device.cfg")" -eq 6 ] && grep -q "^start = 0x80000000" "$TMP/nvdimm/device.cfg"'
check "the backing files are gone once QEMU has them (unlinked after boot)" \
	'[ -z "$(find "$TMP/nvdimm" -name "nvdimm*.img")" ]'

echo "1..$n"
[ "$failed" -eq 0 ]
