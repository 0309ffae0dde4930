#!/bin/sh
# CLI tests for hpplan: exit codes, error messages, output formats.
# TAP output; exits non-zero when any test fails.  $HPPLAN is the binary
# under test (the ASan+UBSan build from the Makefile).
set -u
HPPLAN=${HPPLAN:-./hpplan}
FIX=test/fixtures
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../lib/tap.sh"
tap_diag() { [ -f "$TMP/err" ] && cat "$TMP/err"; }

# expect RC NAME -- CMD...: run, compare the exit code
expect() {
	want=$1
	name=$2
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else
		echo "# exit $rc, expected $want" >>"$TMP/err"
		not_ok "$name"
	fi
}

# grep_out FILE PATTERN NAME
grep_in() {
	if grep -q -- "$2" "$TMP/$1"; then ok "$3"; else
		echo "# '$2' not in $1:" >>"$TMP/err"
		sed 's/^/#   /' "$TMP/$1" >>"$TMP/err"
		not_ok "$3"
	fi
}

echo "TAP version 13"

for f in examples/*.cfg; do
	expect 0 "plan $f" -- "$HPPLAN" "$f"
	expect 0 "json $f" -- "$HPPLAN" --json "$f"
	# the JSON must parse and carry the documented fields
	if jq -e '.devices[0] | has("name") and has("path") and has("blocks")
	    and has("memmap_on_memory") and has("reason") and has("memmap_pages")
	    and has("reserve_pages") and has("trimmed_bytes") and has("usable_bytes")
	    and has("memmap_bytes") and has("ram_needed_bytes")
	    and has("memmap_location") and has("block_size") and has("page_size")
	    and has("pageblock_pages")' "$TMP/out" >/dev/null 2>&1 &&
	    jq -e '.totals.usable_bytes >= 0' "$TMP/out" >/dev/null; then
		ok "json schema $f"
	else
		not_ok "json schema $f"
	fi
	expect 0 "csv $f" -- "$HPPLAN" --csv "$f"
	grep_in out '^schema_version,arch,page_size' "csv header $f"
	expect 0 "sweep $f" -- "$HPPLAN" --sweep "$f"
	grep_in out 'least waste:' "sweep names a winner $f"
done

# the seed case through the whole CLI: 4 memmap + 28 reserve per block
expect 0 "ppc64 seed plan" -- "$HPPLAN" --json examples/ppc64-64k-force.cfg
if [ "$(jq '.devices[0].memmap_pages_per_block' "$TMP/out")" = 4 ] &&
   [ "$(jq '.devices[0].reserve_pages_per_block' "$TMP/out")" = 28 ]; then
	ok "ppc64 seed: 4 memmap + 28 reserve pages per block"
else
	not_ok "ppc64 seed: 4 memmap + 28 reserve pages per block"
fi

# bad input: exit 2, file:line, what was expected
printf '[platform]\narch = x86_64\nkernel = 4.19\n' >"$TMP/bad.cfg"
expect 2 "unknown kernel exits 2" -- "$HPPLAN" "$TMP/bad.cfg"
grep_in err "bad.cfg:3: kernel = 4.19: no rule set for that version; supported: 6.1, 6.12" "unknown kernel message"
printf '[platform]\n[device a]\npath = teleport\nsize = 1G\n' >"$TMP/bad2.cfg"
expect 2 "unknown path exits 2" -- "$HPPLAN" "$TMP/bad2.cfg"
grep_in err "bad2.cfg:3: bad value 'teleport' for path (expected acpi-dimm" "unknown path message"
printf '[platform]\n[device a]\npath = probe\nsize = 1G\n[device a]\n' >"$TMP/dup.cfg"
expect 2 "duplicate section exits 2" -- "$HPPLAN" "$TMP/dup.cfg"
grep_in err "dup.cfg:5: duplicate section" "duplicate section message"
expect 2 "missing file exits 2" -- "$HPPLAN" "$TMP/nope.cfg"
expect 2 "no arguments exits 2" -- "$HPPLAN"
expect 2 "bad option exits 2" -- "$HPPLAN" --frobnicate x.cfg
printf '[platform]\nmemory_block_size = 96M\n' >"$TMP/bs.cfg"
expect 2 "impossible block size exits 2" -- "$HPPLAN" "$TMP/bs.cfg"
expect 0 "--help" -- "$HPPLAN" --help
grep_in out "usage: hpplan" "--help prints usage"
expect 0 "--keys" -- "$HPPLAN" --keys
grep_in out "memmap_on_memory" "--keys lists keys"
expect 0 "stdin config" -- sh -c "\"$HPPLAN\" - < examples/cxl-expander.cfg"

# --from-sysfs on a recorded tree
expect 0 "from-sysfs fixture" -- "$HPPLAN" --from-sysfs --sysfs-root "$FIX/sysfs-x86" --json
if [ "$(jq -r '.devices[0].name' "$TMP/out")" = dax0.0 ] &&
   [ "$(jq '.platform.block_size' "$TMP/out")" = 134217728 ] &&
   [ "$(jq '.devices[0].memmap_on_memory' "$TMP/out")" = true ]; then
	ok "from-sysfs sees dax0.0 and the block size"
else
	not_ok "from-sysfs sees dax0.0 and the block size"
fi
expect 0 "from-sysfs write-config round trip" -- "$HPPLAN" --from-sysfs --sysfs-root "$FIX/sysfs-x86" --write-config
cp "$TMP/out" "$TMP/sysfs.cfg"
expect 0 "written config plans" -- "$HPPLAN" "$TMP/sysfs.cfg"
mkdir -p "$TMP/empty"
expect 3 "from-sysfs without sysfs exits 3" -- "$HPPLAN" --from-sysfs --sysfs-root "$TMP/empty"

# --check
expect 0 "check agrees" -- "$HPPLAN" --check "$FIX/results-x86"
grep_in out "4 row(s) agree, 0 differ" "check counts rows"
expect 1 "check disagreement exits 1" -- "$HPPLAN" --check "$FIX/results-x86-differs"
grep_in out "memmap_location predicted node 0, measured node 1" "check prints each difference"
expect 0 "check json" -- "$HPPLAN" --check "$FIX/results-x86" --json
mkdir -p "$TMP/res" && cp "$FIX/results-x86/device.cfg" "$TMP/res/"
printf 'schema_version,device\n1,ghost\n' >"$TMP/res/capacity.csv"
expect 2 "check unknown device exits 2" -- "$HPPLAN" --check "$TMP/res"
grep_in err "capacity.csv:2: device 'ghost'" "check names file:line"
# a refusal measured with the kernel's words agrees with a predicted one
mkdir -p "$TMP/refused"
printf '[platform]\narch = ppc64le\npage_size = 64K\nkernel = 6.12\nmmu = radix\nboot_memory_end = 512M\nhypervisor = yes\nmemmap_on_memory = force\n\n[device small]\npath = dax-kmem\nstart = 0x40200000\nsize = 254M\ndax_source = pmem\n\n[device big]\npath = dax-kmem\nstart = 0x80200000\nsize = 1022M\ndax_source = pmem\n' >"$TMP/refused/device.cfg"
printf 'schema_version,device,memory_block_size,memmap_on_memory,blocks,memmap_on_device,memmap_pages,reserve_pages,trimmed_bytes,usable_bytes,memmap_location,status\n1,small,256M,force,,,,,,,,refused: kmem probe failed\n' >"$TMP/refused/capacity.csv"
expect 0 "check: a measured 'refused: <why>' agrees with a predicted refusal" -- "$HPPLAN" --check "$TMP/refused"
printf '1,big,256M,force,,,,,,,,refused: kmem probe failed\n' >>"$TMP/refused/capacity.csv"
expect 1 "check: a measured refusal the planner did not predict differs" -- "$HPPLAN" --check "$TMP/refused"
grep_in out "status predicted ok, measured refused: kmem probe failed" "check names the refusal it did not predict"

echo "1..$n"
echo "# cli: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
