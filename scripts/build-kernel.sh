#!/bin/sh
# build-kernel.sh - the patched lab kernel, built once per input.
#
# usage: scripts/build-kernel.sh OUTDIR
#
# Unpacks Debian's linux-source-6.12 (the pinned version below; any other
# is refused), applies kernel-patches/*.patch in order, configures
# tinyconfig + kernel-patches/lab.config, checks every option of the
# fragment stuck, and builds a bzImage with make's own progress lines.
# The result is cached in OUTDIR/cache/KEY/ where KEY hashes the source
# version, the series and the config fragment: a second run is instant.
# Prints the path of the bzImage.  ccache is used when installed.
set -eu

PINNED_PKG=linux-source-6.12
PINNED_VERSION="6.12.95-1~bpo12+1"

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd) # make -C changes directory: O= must be absolute
top=$(cd "$(dirname "$0")/.." && pwd)
log() { printf 'build-kernel: %s\n' "$*" >&2; }

have=$(dpkg-query -W -f='${Version}' "$PINNED_PKG" 2>/dev/null || true)
if [ -z "$have" ]; then
	log "$PINNED_PKG is not installed (scripts/install-deps.sh kernel-source)"
	exit 3
fi
if [ "$have" != "$PINNED_VERSION" ]; then
	log "kernel-patches/ is pinned to $PINNED_PKG $PINNED_VERSION; this machine has $have."
	log "rebase the series onto $have and update PINNED_VERSION in $0"
	exit 3
fi
tarball=$(dpkg -L "$PINNED_PKG" | grep '\.tar\.xz$' | head -n 1)
[ -r "$tarball" ] || { log "no source tarball in $PINNED_PKG"; exit 3; }

key=$( { echo "$PINNED_VERSION"; cat "$top"/kernel-patches/*.patch \
	"$top"/kernel-patches/lab.config; } | sha256sum | cut -c1-16)
cache=$out/cache/$key
if [ -s "$cache/bzImage" ]; then
	log "cached: $cache (source $PINNED_VERSION + series + config)"
	echo "$cache/bzImage"
	exit 0
fi

mkdir -p "$out"
src=$out/src-$key
obj=$out/obj-$key
if [ ! -f "$src/.hpbench-patched" ]; then
	rm -rf "$src"
	mkdir -p "$src"
	log "unpacking $tarball"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	for p in "$top"/kernel-patches/*.patch; do
		log "applying $(basename "$p")"
		if ! patch -d "$src" -p1 --forward --quiet <"$p"; then
			log "$(basename "$p") does not apply to $PINNED_VERSION"
			exit 1
		fi
	done
	touch "$src/.hpbench-patched"
fi

mkdir -p "$obj"
make -s -C "$src" O="$obj" tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
	"$top/kernel-patches/lab.config" >"$obj/merge.log" 2>&1
make -s -C "$src" O="$obj" olddefconfig
# a fragment option that did not stick is a config bug, not a detail
missing=$(grep '^CONFIG_.*=y$' "$top/kernel-patches/lab.config" |
	while read -r line; do
		grep -qx "$line" "$obj/.config" || echo "${line%=y}"
	done)
if [ -n "$missing" ]; then
	log "options of lab.config that did not stick:" $missing
	exit 1
fi

cc=gcc
if command -v ccache >/dev/null 2>&1; then
	cc="ccache gcc"
	export CCACHE_DIR="${CCACHE_DIR:-$out/ccache}"
fi
jobs=$(nproc 2>/dev/null || echo 2)
log "building bzImage with $jobs jobs (about 10 min on 2 cores from scratch)"
start=$(date +%s)
make -C "$src" O="$obj" -j"$jobs" CC="$cc" bzImage >&2
log "built in $(($(date +%s) - start)) s"
mkdir -p "$cache.tmp"
cp "$obj/arch/x86/boot/bzImage" "$obj/.config" "$obj/System.map" "$cache.tmp/"
{
	echo "source $PINNED_PKG $PINNED_VERSION"
	for p in "$top"/kernel-patches/*.patch; do echo "patch $(basename "$p")"; done
	echo "config tinyconfig + lab.config"
} >"$cache.tmp/manifest"
rm -rf "$cache"
mv "$cache.tmp" "$cache"
echo "$cache/bzImage"
