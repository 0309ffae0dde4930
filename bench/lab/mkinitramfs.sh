#!/bin/sh
# mkinitramfs.sh - the lab's guest userland, built from scratch.
#
# usage: bench/lab/mkinitramfs.sh [--arch A] AGENT MODULES_DIR OUT.cpio.gz [HPBENCH]
#
# busybox-static (Debian's package), the static hpbench agent, and the
# modules the hotplug paths need (virtio_mem, device_dax, dax_hmem, kmem,
# and libnvdimm, nd_btt, nd_pmem, nd_e820, dax_pmem for legacy pmem),
# decompressed.  /init is the agent itself: as PID 1 it mounts the pseudo
# filesystems and loads the modules (in /lib/modules/order) without
# forking, then serves the host.  busybox is there for debugging
# (rdinit=/bin/sh).  --arch arm64|ppc64le: the agent is cross-built, the
# modules are that arch's Debian kernel's, and there is no busybox (the
# host's busybox-static would not run there).
set -eu

arch=x86_64
if [ "${1:-}" = "--arch" ]; then
	arch=$2
	shift 2
fi
[ $# -eq 3 ] || [ $# -eq 4 ] ||
	{ echo "usage: $0 AGENT MODULES_DIR OUT [HPBENCH]" >&2; exit 2; }
agent=$1 moddir=$2 out=$3 hpbench=${4:-}
busybox=/bin/busybox
if [ "$arch" = x86_64 ]; then
	[ -x "$busybox" ] && "$busybox" --list >/dev/null 2>&1 ||
		{ echo "mkinitramfs: $busybox missing (apt: busybox-static)" >&2; exit 3; }
	dpkg-query -W -f="\${Status}" busybox-static 2>/dev/null | grep -q "ok installed" ||
		{ echo "mkinitramfs: busybox-static is not installed (the dynamic busybox cannot run in the initramfs)" >&2; exit 3; }
fi

# dax_hmem before kmem: hmem ranges are kmem-type and bind at load.
# libnvdimm..dax_pmem: legacy pmem (memmap=S!START) for dax-source pmem,
# nfit: QEMU's NVDIMMs (nvdimm-kmem); cxl_acpi..dax_cxl: the cxl path
# arm64: no legacy e820 pmem; NVDIMMs come from ACPI NFIT or the device
# tree (of_pmem).  ppc64le: Debian builds libnvdimm and virtio-mem in or
# not at all; only device_dax and kmem are modules.
case "$arch" in
x86_64) MODULES="virtio_mem device_dax dax_hmem kmem libnvdimm nd_btt nd_pmem nfit nd_e820 dax_pmem cxl_acpi cxl_pci cxl_mem dax_cxl" ;;
arm64) MODULES="virtio_mem device_dax dax_hmem kmem libnvdimm nd_btt nd_pmem nfit of_pmem dax_pmem" ;;
ppc64le) MODULES="device_dax kmem" ;;
*) echo "mkinitramfs: unknown arch '$arch'" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/sbin" "$tmp/proc" "$tmp/sys" "$tmp/dev" \
	"$tmp/tmp" "$tmp/lib/modules"
if [ "$arch" = x86_64 ]; then
	cp "$busybox" "$tmp/bin/busybox"
	for app in sh mount insmod cat echo ls sleep poweroff mkdir; do
		ln -s busybox "$tmp/bin/$app"
	done
fi
cp "$agent" "$tmp/sbin/hpbench-agent"
# a static hpbench, for running --target host inside the guest (tests)
[ -z "$hpbench" ] || cp "$hpbench" "$tmp/sbin/hpbench"
for m in $MODULES; do
	f=$(find "$moddir" -name "$m.ko*" | head -n 1)
	[ -n "$f" ] || { echo "mkinitramfs: module $m not in $moddir" >&2; exit 3; }
	case "$f" in
	*.xz) xz -dc "$f" >"$tmp/lib/modules/$m.ko" ;;
	*.zst) zstd -dqc "$f" >"$tmp/lib/modules/$m.ko" ;;
	*) cp "$f" "$tmp/lib/modules/$m.ko" ;;
	esac
done
printf '%s\n' $MODULES >"$tmp/lib/modules/order"
ln -s sbin/hpbench-agent "$tmp/init"
(cd "$tmp" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
