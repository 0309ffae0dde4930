#!/bin/sh
# install-deps.sh - install what hpbench needs from Debian, once.
#
# usage: scripts/install-deps.sh [build|lab|kernel-source|kernel-build|kernel-cross-ARCH|cross-ARCH|all]...
#
# Idempotent: packages already installed are not fetched again.  The
# bookworm-backports suite (QEMU 10, linux-source-6.12, the 6.12 kernel)
# is added by deriving its URI from this machine's own apt sources, so no
# mirror host name is ever written into the repository.
set -eu

BUILD_PKGS="build-essential pkg-config clang-format libinih-dev libjansson-dev \
libcriterion-dev libgsl-dev jq libnuma-dev libhwloc-dev gnuplot-nox"
KSRC_PKGS="linux-source-6.1"
KSRC_BPO_PKGS="linux-source-6.12"
# The lab: QEMU 10 from backports (7.2 under TCG double-faults in the
# guest SLUB cmpxchg16b path; 10.0 does not, and CXL needs it later).
LAB_PKGS="busybox-static cpio xz-utils procps"
# building the patched lab kernel (kernel-patches/, scripts/build-kernel.sh)
KBUILD_PKGS="bc bison flex libelf-dev libssl-dev ccache cpio xz-utils patch"
LAB_BPO_PKGS="qemu-system-x86"
# cross-building the patched kernel (make kernel ARCH=...)
KCROSS_ARM64_PKGS="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu"
KCROSS_PPC64LE_PKGS="gcc-powerpc64le-linux-gnu binutils-powerpc64le-linux-gnu"
# the lab on another arch (make lab-ARCH): the cross compiler and libc,
# the agent's static libraries of that arch (multiarch), that arch's QEMU
# qemu-efi-aarch64: UEFI for virt, whose ACPI memory hotplug (acpi-dimm) needs it
CROSS_ARM64_PKGS="$KCROSS_ARM64_PKGS libc6-dev-arm64-cross libjansson-dev:arm64 libnuma-dev:arm64 qemu-efi-aarch64"
CROSS_ARM64_BPO_PKGS="qemu-system-arm"
CROSS_PPC64LE_PKGS="$KCROSS_PPC64LE_PKGS libc6-dev-ppc64el-cross libjansson-dev:ppc64el libnuma-dev:ppc64el"
CROSS_PPC64LE_BPO_PKGS="qemu-system-ppc"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { printf 'install-deps: %s\n' "$*" >&2; }

missing() {
	out=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || out="$out $p"
	done
	echo "$out"
}

apt_updated=0
apt_update() {
	[ "$apt_updated" -eq 1 ] && return 0
	$SUDO apt-get update -qq
	apt_updated=1
}

apt_install() {
	need=$(missing "$@")
	[ -z "$need" ] && return 0
	log "installing:$need"
	apt_update
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends $need >/dev/null
}

# The URI that serves "bookworm" on this machine (deb822 or one-line form).
debian_uri() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
			/^[[:space:]]*$/ { if (uri != "" && suites ~ /(^| )bookworm( |$)/) { print uri; exit } uri=""; suites=""; next }
			/^URIs:/ { uri=$2 }
			/^Suites:/ { $1=""; suites=$0 " " }
			END { if (uri != "" && suites ~ /(^| )bookworm( |$)/) print uri }
		' "$f"
	done | head -n 1
}
debian_uri_oneline() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }'
}

ensure_backports() {
	if grep -rqs 'bookworm-backports' /etc/apt/sources.list \
		/etc/apt/sources.list.d/ 2>/dev/null; then
		return 0
	fi
	uri=$(debian_uri)
	[ -n "$uri" ] || uri=$(debian_uri_oneline)
	if [ -z "$uri" ]; then
		log "no apt source serves bookworm; add bookworm-backports by hand"
		exit 1
	fi
	log "adding bookworm-backports from $uri"
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$uri" | $SUDO tee /etc/apt/sources.list.d/hpbench-backports.sources >/dev/null
	apt_updated=0
}

# another dpkg arch, for its -dev packages and kernel (apt-get download)
add_arch() {
	dpkg --print-foreign-architectures | grep -qx "$1" && return 0
	log "adding dpkg architecture $1"
	$SUDO dpkg --add-architecture "$1"
	apt_updated=0
}

apt_install_bpo() {
	need=$(missing "$@")
	[ -z "$need" ] && return 0
	ensure_backports
	log "installing from bookworm-backports:$need"
	apt_update
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends -t bookworm-backports $need >/dev/null
}

# bookworm's own QEMU 7.2 counts as installed; the lab needs 10.x
qemu_is_10() {
	v=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null) || return 1
	major=$(echo "$v" | sed 's/^[0-9]*://; s/\..*//')
	[ "$major" -ge 10 ] 2>/dev/null
}
force_bpo() {
	ensure_backports
	log "upgrading from bookworm-backports: $*"
	apt_update
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends -t bookworm-backports $* >/dev/null
}

[ $# -gt 0 ] || set -- build
for what in "$@"; do
	case "$what" in
	build) apt_install $BUILD_PKGS ;;
	kernel-source)
		apt_install $KSRC_PKGS
		apt_install_bpo $KSRC_BPO_PKGS
		;;
	kernel-build)
		apt_install $KBUILD_PKGS
		apt_install_bpo $KSRC_BPO_PKGS
		;;
	kernel-cross-arm64) apt_install $KCROSS_ARM64_PKGS ;;
	kernel-cross-ppc64le) apt_install $KCROSS_PPC64LE_PKGS ;;
	cross-arm64)
		add_arch arm64
		apt_install $CROSS_ARM64_PKGS
		apt_install_bpo $CROSS_ARM64_BPO_PKGS
		;;
	cross-ppc64le)
		add_arch ppc64el
		apt_install $CROSS_PPC64LE_PKGS
		apt_install_bpo $CROSS_PPC64LE_BPO_PKGS
		;;
	lab)
		apt_install $LAB_PKGS
		apt_install_bpo $LAB_BPO_PKGS
		qemu_is_10 || force_bpo $LAB_BPO_PKGS
		;;
	all)
		apt_install $BUILD_PKGS $KSRC_PKGS $LAB_PKGS
		apt_install_bpo $KSRC_BPO_PKGS $LAB_BPO_PKGS
		;;
	*) log "unknown set '$what' (build|lab|kernel-source|kernel-build|kernel-cross-arm64|kernel-cross-ppc64le|cross-arm64|cross-ppc64le|all)"; exit 2 ;;
	esac
done
