#!/bin/sh
# build-kernel.sh - the patched lab kernel, built once per input.
#
# usage: scripts/build-kernel.sh [--arch x86_64|arm64|ppc64le]
#                                [--page-size 4K|16K|64K] OUTDIR
#
# Unpacks Debian's linux-source-6.12 (the pinned version below; any other
# is refused), applies kernel-patches/*.patch in order, configures
# tinyconfig + kernel-patches/lab.config + kernel-patches/lab-ARCH.config
# (+ the page size), checks every option of the fragments stuck, and
# builds the arch's boot image with make's own progress lines.  arm64 and
# ppc64le are cross-built with Debian's cross compilers.
#
# The result is cached in OUTDIR/cache/KEY/ where KEY hashes the source
# version, the series, the fragments, arch and page size: a second run is
# instant.  The source tree (OUTDIR/src) and object trees (OUTDIR/obj-*)
# keep stable paths, so after a change of the series ccache (when
# installed) serves every file the change did not touch.
# Prints the path of the boot image on its last line.
set -eu

# `make kernel ARCH=ppc64le` must not leak ARCH=ppc64le into the kernel's
# make through the environment or MAKEFLAGS: the arch table below decides
unset MAKEFLAGS MFLAGS MAKELEVEL ARCH CROSS_COMPILE

PINNED_PKG=linux-source-6.12
PINNED_VERSION="6.12.95-1~bpo12+1"

usage() {
	echo "usage: $0 [--arch x86_64|arm64|ppc64le] [--page-size 4K|16K|64K] OUTDIR" >&2
	exit 2
}
arch=x86_64
page=""
while [ $# -gt 1 ]; do
	case "$1" in
	--arch) arch=$2; shift 2 ;;
	--page-size) page=$2; shift 2 ;;
	*) usage ;;
	esac
done
[ $# -eq 1 ] || usage
log() { printf 'build-kernel: %s\n' "$*" >&2; }

# one row per arch: kernel ARCH, cross prefix, image target, image path,
# default page size and the page sizes the lab kernel may be built with
case "$arch" in
x86_64) karch=x86 cross="" target=bzImage image=arch/x86/boot/bzImage
	page_default=4K pages="4K" ;;
arm64) karch=arm64 cross=aarch64-linux-gnu- target=Image
	image=arch/arm64/boot/Image page_default=4K pages="4K 16K 64K" ;;
ppc64le) karch=powerpc cross=powerpc64le-linux-gnu- target=vmlinux
	image=vmlinux page_default=64K pages="4K 64K" ;;
*) log "unknown arch '$arch' (x86_64, arm64 or ppc64le)"; exit 2 ;;
esac
[ -n "$page" ] || page=$page_default
case " $pages " in
*" $page "*) ;;
*) log "$arch has no $page page size here (one of: $pages)"; exit 2 ;;
esac

mkdir -p "$1"
out=$(cd "$1" && pwd) # make -C changes directory: O= must be absolute
top=$(cd "$(dirname "$0")/.." && pwd)
frag_common=$top/kernel-patches/lab.config
frag_arch=$top/kernel-patches/lab-$arch.config
[ -r "$frag_arch" ] || { log "no $frag_arch"; exit 3; }

have=$(dpkg-query -W -f='${Version}' "$PINNED_PKG" 2>/dev/null || true)
if [ -z "$have" ]; then
	log "$PINNED_PKG is not installed (scripts/install-deps.sh kernel-build)"
	exit 3
fi
if [ "$have" != "$PINNED_VERSION" ]; then
	log "kernel-patches/ is pinned to $PINNED_PKG $PINNED_VERSION; this machine has $have."
	log "rebase the series onto $have and update PINNED_VERSION in $0"
	exit 3
fi
tarball=$(dpkg -L "$PINNED_PKG" | grep '\.tar\.xz$' | head -n 1)
[ -r "$tarball" ] || { log "no source tarball in $PINNED_PKG"; exit 3; }
if [ -n "$cross" ] && ! command -v "${cross}gcc" >/dev/null 2>&1; then
	log "no ${cross}gcc (scripts/install-deps.sh kernel-cross-$arch)"
	exit 3
fi

# the page size as a fragment of its own, so the stuck check covers it
page_frag() {
	case "$arch/$page" in
	x86_64/*) ;;
	arm64/*) echo "CONFIG_ARM64_${page%K}K_PAGES=y" ;;
	ppc64le/*) echo "CONFIG_PPC_${page%K}K_PAGES=y" ;;
	esac
}

src_key=$( { echo "$PINNED_VERSION"; cat "$top"/kernel-patches/*.patch; } |
	sha256sum | cut -c1-16)
key=$( { echo "$src_key $arch $page"; cat "$frag_common" "$frag_arch"; } |
	sha256sum | cut -c1-16)
cache=$out/cache/$key
if [ -s "$cache/$(basename "$image")" ]; then
	log "cached: $cache ($arch $page, source $PINNED_VERSION + series + config)"
	echo "$cache/$(basename "$image")"
	exit 0
fi

src=$out/src
obj=$out/obj-$arch-$page
if [ "$(cat "$src/.hpbench-key" 2>/dev/null)" != "$src_key" ]; then
	# tar restores the tarball's mtimes, older than any object: a file
	# the old series patched and the new one does not would look
	# up to date in the object trees.  Touch those after unpacking.
	old_files=$(cat "$src/.hpbench-files" 2>/dev/null || true)
	rm -rf "$src"
	mkdir -p "$src"
	log "unpacking $tarball"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	for f in $old_files; do
		if [ -e "$src/$f" ]; then touch "$src/$f"; fi
	done
	for p in "$top"/kernel-patches/*.patch; do
		log "applying $(basename "$p")"
		if ! patch -d "$src" -p1 --forward --quiet <"$p"; then
			log "$(basename "$p") does not apply to $PINNED_VERSION"
			exit 1
		fi
	done
	sed -n 's|^+++ b/||p' "$top"/kernel-patches/*.patch | sort -u \
		>"$src/.hpbench-files"
	echo "$src_key" >"$src/.hpbench-key"
fi

kmake() { make -C "$src" O="$obj" ARCH="$karch" CROSS_COMPILE="$cross" "$@"; }
mkdir -p "$obj"
page_frag >"$obj/page.config"
kmake -s tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
	"$frag_common" "$frag_arch" "$obj/page.config" >"$obj/merge.log" 2>&1
kmake -s olddefconfig
# a fragment option that did not stick is a config bug, not a detail
missing=$(cat "$frag_common" "$frag_arch" "$obj/page.config" |
	grep '^CONFIG_.*=y$' |
	while read -r line; do
		grep -qx "$line" "$obj/.config" || echo "${line%=y}"
	done)
if [ -n "$missing" ]; then
	log "options of the $arch fragments that did not stick:" $missing
	exit 1
fi

cc="${cross}gcc"
if command -v ccache >/dev/null 2>&1; then
	cc="ccache $cc"
	export CCACHE_DIR="${CCACHE_DIR:-$out/ccache}"
fi
jobs=$(nproc 2>/dev/null || echo 2)
log "building $arch $page $target with $jobs jobs (x86_64: about 10 min on 2 cores from scratch)"
start=$(date +%s)
kmake -j"$jobs" CC="$cc" "$target" >&2
log "built in $(($(date +%s) - start)) s"
mkdir -p "$cache.tmp"
cp "$obj/$image" "$obj/.config" "$obj/System.map" "$cache.tmp/"
{
	echo "source $PINNED_PKG $PINNED_VERSION"
	for p in "$top"/kernel-patches/*.patch; do echo "patch $(basename "$p")"; done
	echo "config tinyconfig + lab.config + lab-$arch.config"
	echo "arch $arch"
	echo "page_size $page"
	echo "image $(basename "$image")"
} >"$cache.tmp/manifest"
rm -rf "$cache"
mv "$cache.tmp" "$cache"
echo "$cache/$(basename "$image")"
