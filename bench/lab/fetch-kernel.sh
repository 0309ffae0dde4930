#!/bin/sh
# fetch-kernel.sh - put Debian's bookworm-backports cloud kernel in DIR.
#
# usage: bench/lab/fetch-kernel.sh [--arch x86_64|arm64|ppc64le] [--page-size 4K|16K|64K] DIR
#
# Downloads (apt-get download, no install on the host) the package that
# the arch's flavour (x86_64: linux-image-cloud-amd64, arm64:
# linux-image-cloud-arm64, the flavour with ACPI memory hotplug, ppc64le:
# linux-image-powerpc64le; with --page-size, the flavours Debian builds
# with bigger pages: arm64 16K linux-image-arm64-16k, ppc64le 64K
# linux-image-powerpc64le-64k) depends on in bookworm-backports and unpacks it
# into DIR/<version>/.  Prints the path of DIR/<version>, where vmlinuz
# (the boot image, whatever its format: ppc64le boots the ELF vmlinux),
# config and lib/modules live.  Nothing is fetched twice.  Another arch's
# package needs that arch in dpkg (scripts/install-deps.sh cross-ARCH).
set -eu

arch=x86_64 page=4K
while [ $# -gt 1 ]; do
	case "$1" in
	--arch) arch=$2 ;;
	--page-size) page=$2 ;;
	*) break ;;
	esac
	shift 2
done
[ $# -eq 1 ] || { echo "usage: $0 [--arch x86_64|arm64|ppc64le] [--page-size 4K|16K|64K] DIR" >&2; exit 2; }
dir=$1
log() { printf 'fetch-kernel: %s\n' "$*" >&2; }
# one row per (arch, page size): the flavour's meta package, dpkg arch,
# image in /boot.  Debian builds no arm64 64K and no x86 other than 4K.
case "$arch/$page" in
x86_64/4K) meta=linux-image-cloud-amd64 darch=amd64 image=vmlinuz ;;
arm64/4K) meta=linux-image-cloud-arm64 darch=arm64 image=vmlinuz ;;
arm64/16K) meta=linux-image-arm64-16k darch=arm64 image=vmlinuz ;;
ppc64le/4K) meta=linux-image-powerpc64le darch=ppc64el image=vmlinux ;;
ppc64le/64K) meta=linux-image-powerpc64le-64k darch=ppc64el image=vmlinux ;;
*) log "Debian builds no $arch kernel with $page pages"; exit 2 ;;
esac

pkg=$(apt-cache depends -t bookworm-backports "$meta:$darch" 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
	log "bookworm-backports has no $meta:$darch (scripts/install-deps.sh lab adds the suite; cross-$arch adds the arch)"
	exit 3
fi
pkg=${pkg%:*}
ver=${pkg#linux-image-}
out=$dir/$ver
if [ -s "$out/vmlinuz" ] && [ -d "$out/lib/modules/$ver" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$dir/dl"
log "downloading $pkg"
# apt's sandbox user cannot write into our tree; it falls back to root.
(cd "$dir/dl" && apt-get download -q -t bookworm-backports "$pkg:$darch" 2>&1 |
	grep -v 'unsandboxed' >&2) || true
deb=$(ls "$dir/dl/${pkg}_"*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { log "download of $pkg failed"; exit 3; }
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
dpkg-deb -x "$deb" "$out.tmp/root"
mv "$out.tmp/root/boot/$image-$ver" "$out.tmp/vmlinuz"
mv "$out.tmp/root/boot/config-$ver" "$out.tmp/config"
mkdir -p "$out.tmp/lib"
mv "$out.tmp/root/lib/modules" "$out.tmp/lib/modules"
dpkg-deb -f "$deb" Version >"$out.tmp/package-version"
rm -rf "$out.tmp/root" "$out"
mv "$out.tmp" "$out"
echo "$out"
