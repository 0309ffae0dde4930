#!/bin/sh
# fetch-kernel.sh - put Debian's bookworm-backports cloud kernel in DIR.
#
# usage: bench/lab/fetch-kernel.sh DIR
#
# Downloads (apt-get download, no install on the host) the package that
# linux-image-cloud-amd64 depends on in bookworm-backports and unpacks it
# into DIR/<version>/.  Prints the path of DIR/<version>, where vmlinuz,
# config and lib/modules live.  Nothing is fetched twice.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
log() { printf 'fetch-kernel: %s\n' "$*" >&2; }

pkg=$(apt-cache depends -t bookworm-backports linux-image-cloud-amd64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
	log "bookworm-backports has no linux-image-cloud-amd64 (scripts/install-deps.sh lab adds the suite)"
	exit 3
fi
ver=${pkg#linux-image-}
out=$dir/$ver
if [ -s "$out/vmlinuz" ] && [ -d "$out/lib/modules/$ver" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$dir/dl"
log "downloading $pkg"
# apt's sandbox user cannot write into our tree; it falls back to root.
(cd "$dir/dl" && apt-get download -q -t bookworm-backports "$pkg" 2>&1 |
	grep -v 'unsandboxed' >&2) || true
deb=$(ls "$dir/dl/${pkg}_"*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { log "download of $pkg failed"; exit 3; }
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
dpkg-deb -x "$deb" "$out.tmp/root"
mv "$out.tmp/root/boot/vmlinuz-$ver" "$out.tmp/vmlinuz"
mv "$out.tmp/root/boot/config-$ver" "$out.tmp/config"
mkdir -p "$out.tmp/lib"
mv "$out.tmp/root/lib/modules" "$out.tmp/lib/modules"
dpkg-deb -f "$deb" Version >"$out.tmp/package-version"
rm -rf "$out.tmp/root" "$out"
mv "$out.tmp" "$out"
echo "$out"
