#!/bin/sh
# SPDX-License-Identifier: MIT
# The kernel series: it applies, in order, to the pinned Debian source,
# every patch passes that tree's checkpatch.pl --strict, and every patch
# is a real commit (subject, body, Signed-off-by).  TAP, plan at the end.
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../lib/tap.sh"
# each check's own output is its evidence
tap_diag() { [ -s "$TMP/err" ] && cat "$TMP/err"; }
check() { if eval "$2" >"$TMP/err" 2>&1; then ok "$1"; else not_ok "$1"; fi; }

pinned=$(sed -n 's/^PINNED_VERSION="\(.*\)"$/\1/p' scripts/build-kernel.sh)
have=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
check "linux-source-6.12 $pinned is installed (have: ${have:-none})" \
	'[ -n "$pinned" ] && [ "$have" = "$pinned" ]'
tarball=$(dpkg -L linux-source-6.12 2>/dev/null | grep '\.tar\.xz$' | head -n 1)
check "unpack the Debian source tarball" \
	'mkdir -p "$TMP/src" && tar -xJf "$tarball" -C "$TMP/src" --strip-components=1'
check "the series is not empty" 'ls kernel-patches/*.patch >/dev/null'
for p in kernel-patches/*.patch; do
	name=$(basename "$p")
	check "$name applies in order" \
		'patch -d "$TMP/src" -p1 --forward --quiet <"$p"'
	check "$name: checkpatch.pl --strict finds nothing" \
		'(cd "$TMP/src" && perl scripts/checkpatch.pl --strict --no-tree -q "$OLDPWD/$p") &&
		 (cd "$TMP/src" && perl scripts/checkpatch.pl --strict "$OLDPWD/$p" | grep -q "total: 0 errors, 0 warnings, 0 checks")'
	check "$name: a commit with subject, body and Signed-off-by" \
		'grep -q "^Subject: \[PATCH" "$p" && grep -q "^Signed-off-by: " "$p" &&
		 [ "$(sed -n "/^Subject:/,/^---$/p" "$p" | grep -c .)" -ge 5 ]'
done
check "lab.config and lab-ARCH.config: every option is a CONFIG_ line set to y" \
	'! cat kernel-patches/lab.config kernel-patches/lab-*.config | grep -v "^#" | grep -v "^$" | grep -qv "^CONFIG_[A-Z0-9_]*=\(y\|-\?[0-9]*\)$"'

echo "1..$n"
[ "$failed" -eq 0 ]
