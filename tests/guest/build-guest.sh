#!/bin/bash
# Build a tiny Linux guest for the integration tests from Debian's packages:
#   OUTDIR/vmlinuz         Debian's cloud kernel
#   OUTDIR/initramfs.img   busybox-static, the few modules we need, and /init,
#                          QEMU's guest agent (qemu-guest-agent) and the
#                          shared libraries it needs
# Nothing is installed on the host: the .deb files are fetched with
# `apt-get download` into OUTDIR/debs and unpacked with `dpkg-deb -x`.
#
# The guest prints VIRTKIT-GUEST-READY on its console once it listens for the
# ACPI power button; the button (QMP system_powerdown, `virsh shutdown`) makes
# it power off.  Kernel command line options read by /init:
#   virtkit.action=poweroff|reboot|panic   do that by itself once ready
#   virtkit.delay=SECONDS                  after that many seconds (default 0)
#   virtkit.dhcp=1                         once ready, ask for a DHCP lease on
#                                          eth0 (virtio-net) and print
#                                          VIRTKIT-GUEST-LEASE ADDRESS
#   virtkit.ip=ADDRESS/PREFIX              give eth0 that address (no DHCP)
#   virtkit.mount=DEVICE                   mount DEVICE (e.g. vda) on /mnt
#   virtkit.noagent=1                      do not start the guest agent
# When the guest has the virtio channel org.qemu.guest_agent.0, /init starts
# qemu-ga on it and prints VIRTKIT-GUEST-AGENT; its shutdown requests (the
# agent runs /sbin/shutdown) print VIRTKIT-GUEST-SHUTDOWN MODE first.
# so tests can also check guest-initiated poweroff, reboot and crash.
#
# Idempotent and safe to run concurrently (flock on OUTDIR/.lock): when
# OUTDIR/versions says the files were built from the same package versions
# by the same script, nothing is done.  Prints the two paths.
#
# Environment: VIRTKIT_GUEST_KERNEL_PKG overrides the kernel package
# (default: what linux-image-cloud-ARCH depends on).
set -euo pipefail
export LC_ALL=C

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

mkdir -p "$1"
OUT=$(cd "$1" && pwd)
SELF=$(readlink -f "$0")
ARCH=$(dpkg --print-architecture)
READY_MARKER=VIRTKIT-GUEST-READY

# One builder at a time per OUTDIR; the others wait, then find the cache.
exec 9>"$OUT/.lock"
flock 9

log() { echo "build-guest: $*" >&2; }
die() { log "$*"; exit 1; }

# --- which packages ----------------------------------------------------------

candidate() {
    apt-cache policy "$1" 2>/dev/null | sed -n 's/^  Candidate: //p' | grep -vx '(none)' | head -n1
}

# One apt-cache call (each costs most of a second): the meta package pins the
# versioned image with "(= VERSION)", and busybox-static's candidate.
# The libraries qemu-ga needed when it was last built (their packages are
# found from its NEEDED entries once unpacked): checked for new versions too.
AGENT_PKG=qemu-guest-agent
AGENT_LIBS_FILE=$OUT/agent-libs
KPKG='' KVER='' BVER='' AVER='' LIBVERS=''
pkg_version() {  # INFO PKG: PKG's Version in apt-cache show's INFO
    echo "$1" | awk -v want="$2" '/^Package:/ { p = $2 } p == want && /^Version:/ { print $2; exit }'
}
resolve() {
    local info lib ver
    local libs=()
    [ -s "$AGENT_LIBS_FILE" ] && mapfile -t libs <"$AGENT_LIBS_FILE"
    info=$(apt-cache show --no-all-versions "linux-image-cloud-$ARCH" busybox-static \
                                          "$AGENT_PKG" "${libs[@]}" 2>/dev/null) || true
    BVER=$(pkg_version "$info" busybox-static)
    AVER=$(pkg_version "$info" "$AGENT_PKG")
    LIBVERS=''
    for lib in "${libs[@]}"; do
        ver=$(pkg_version "$info" "$lib")
        [ -n "$ver" ] || return 1
        LIBVERS+="agent-lib $lib $ver"$'\n'
    done
    [ -z "$LIBVERS" ] || LIBVERS=$(printf '%s' "$LIBVERS" | sort)$'\n'
    KPKG=${VIRTKIT_GUEST_KERNEL_PKG:-} KVER=''
    if [ -z "$KPKG" ]; then
        read -r KPKG KVER < <(echo "$info" | awk '
            /^Package:/ { p = $2 }
            p ~ /^linux-image-cloud-/ && /^Depends:/ {
                sub(/^Depends: */, "")
                n = split($0, alts, /[,|]/)
                for (i = 1; i <= n; i++)
                    if (match(alts[i], /linux-image-[^ ]+/)) {
                        pkg = substr(alts[i], RSTART, RLENGTH)
                        ver = ""
                        if (match(alts[i], /\(= *[^)]+\)/))
                            ver = substr(alts[i], RSTART + 1, RLENGTH - 2)
                        sub(/^= */, "", ver)
                        print pkg, ver
                        exit
                    }
            }') || true
    fi
    [ -n "$KPKG" ] || return 1
    [ -n "$KVER" ] || KVER=$(candidate "$KPKG") || true
    [ -n "$KVER" ] && [ -n "$BVER" ] && [ -n "$AVER" ]
}

SCRIPT_SUM=$(sha256sum "$SELF" | cut -d' ' -f1)
wanted_versions() {
    printf 'kernel %s %s\nbusybox busybox-static %s\nagent %s %s\n%sscript %s\n' \
        "$KPKG" "$KVER" "$BVER" "$AGENT_PKG" "$AVER" "$LIBVERS" "$SCRIPT_SUM"
}

cache_complete() {
    [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initramfs.img" ] && [ -s "$OUT/versions" ]
}

done_print() {
    echo "$OUT/vmlinuz"
    echo "$OUT/initramfs.img"
    exit 0
}

if ! resolve; then
    log "packages not in apt's lists; running apt-get update"
    if ! apt-get update -qq >&2 || ! resolve; then
        # offline: whatever was built before is better than nothing
        cache_complete && { log "using the cached guest in $OUT"; done_print; }
        die "apt knows no ${KPKG:-kernel package for linux-image-cloud-$ARCH}, busybox-static or $AGENT_PKG"
    fi
fi

if cache_complete && [ "$(cat "$OUT/versions")" = "$(wanted_versions)" ]; then
    done_print
fi

# --- download ----------------------------------------------------------------

mkdir -p "$OUT/debs"
APT_OPTS=(-q)
# as root apt would drop to _apt, which cannot write into OUTDIR
[ "$(id -u)" = 0 ] && APT_OPTS+=(-o APT::Sandbox::User=root)

deb_path() {   # PKG VERSION: the name apt-get download gives the file
    local ver=${2//:/%3a}
    echo "$OUT/debs/${1}_${ver}_"*.deb
}

fetch() {      # PKG VERSION; prints the .deb path
    local pkg=$1 ver=$2 f
    f=$(deb_path "$pkg" "$ver")
    if [ ! -f "$f" ]; then
        (cd "$OUT/debs" && apt-get "${APT_OPTS[@]}" download "$pkg=$ver") >&2 || return 1
        f=$(deb_path "$pkg" "$ver")
        [ -f "$f" ] || return 1
        # keep only the version in use
        for old in "$OUT/debs/${pkg}_"*.deb; do
            [ "$old" = "$f" ] || rm -f "$old"
        done
    fi
    echo "$f"
}

if ! KDEB=$(fetch "$KPKG" "$KVER") || ! BDEB=$(fetch busybox-static "$BVER") ||
   ! ADEB=$(fetch "$AGENT_PKG" "$AVER"); then
    # stale lists name versions the mirror no longer has
    log "download failed; running apt-get update and retrying"
    apt-get update -qq >&2
    resolve || die "cannot find the packages after apt-get update"
    KDEB=$(fetch "$KPKG" "$KVER") || die "cannot download $KPKG=$KVER"
    BDEB=$(fetch busybox-static "$BVER") || die "cannot download busybox-static=$BVER"
    ADEB=$(fetch "$AGENT_PKG" "$AVER") || die "cannot download $AGENT_PKG=$AVER"
fi

# --- unpack ------------------------------------------------------------------

TMP=$(mktemp -d "$OUT/.build.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
dpkg-deb -x "$KDEB" "$TMP/kernel"
dpkg-deb -x "$BDEB" "$TMP/busybox"

KIMG=$(find "$TMP/kernel/boot" -name 'vmlinuz-*' | head -n1)
KCONF=$(find "$TMP/kernel/boot" -name 'config-*' | head -n1)
if [ -z "$KIMG" ] || [ -z "$KCONF" ]; then
    die "$KDEB has no /boot/vmlinuz-* and config-*"
fi
KREL=${KIMG##*/vmlinuz-}
MODDIR=
for d in "$TMP/kernel/lib/modules/$KREL" "$TMP/kernel/usr/lib/modules/$KREL"; do
    [ -d "$d" ] && MODDIR=$d
done
BUSYBOX=$TMP/busybox/bin/busybox
[ -x "$BUSYBOX" ] || BUSYBOX=$TMP/busybox/usr/bin/busybox
[ -x "$BUSYBOX" ] || die "$BDEB has no busybox binary"

# --- the initramfs tree ------------------------------------------------------

ROOT=$TMP/root
AGENT_LIBDIR=/usr/lib/virtkit-agent
mkdir -p "$ROOT"/{bin,sbin,dev,proc,sys,tmp,run,mnt,var/log,var/run,lib/modules,etc/acpi/PWRF} \
         "$ROOT/usr/sbin" "$ROOT$AGENT_LIBDIR"
cp "$BUSYBOX" "$ROOT/bin/busybox"
# qemu-ga runs hwclock by its full path (guest-set-time)
ln -s /bin/busybox "$ROOT/sbin/hwclock"

# --- the guest agent and the shared libraries it needs -----------------------
# Each NEEDED entry (and the ELF interpreter) is found in the package that
# ships it on this host (dpkg -S), whose candidate version is fetched like
# the others; the libraries those need follow, until none is missing.

dpkg-deb -x "$ADEB" "$TMP/agent"
[ -x "$TMP/agent/usr/sbin/qemu-ga" ] || die "$ADEB has no usr/sbin/qemu-ga"
cp "$TMP/agent/usr/sbin/qemu-ga" "$ROOT/usr/sbin/qemu-ga"

so_package() {   # SONAME: the package that ships it in a multiarch directory
    dpkg-query -S "*/$1" 2>/dev/null |
        awk -v so="/$1" -v arch=":$ARCH" '
            { pkg = $1; sub(/:$/, "", pkg); path = $2 }
            substr(path, length(path) - length(so) + 1) == so &&
            path ~ /\/lib\/[^\/]*-linux-[^\/]*\// && pkg !~ /-dev(:|$)/ {
                sub(arch, "", pkg); print pkg; exit
            }'
}

elf_needs() {    # FILE: its NEEDED sonames and its interpreter's name
    readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
    readelf -l "$1" | sed -n 's|.*Requesting program interpreter: .*/\([^]]*\)\]|\1|p'
}

declare -A LIB_DONE PKG_DIR
AGENT_LIB_PKGS=()
LIBVERS=''
add_agent_lib() {  # SONAME
    local so=$1 pkg ver deb src
    pkg=$(so_package "$so")
    [ -n "$pkg" ] || die "qemu-ga needs $so, and no installed package of this host ships it"
    if [ -z "${PKG_DIR[$pkg]:-}" ]; then
        ver=$(candidate "$pkg") || true
        [ -n "$ver" ] || die "apt has no candidate for $pkg (ships $so)"
        deb=$(fetch "$pkg" "$ver") || die "cannot download $pkg=$ver"
        mkdir -p "$TMP/libs/$pkg"
        dpkg-deb -x "$deb" "$TMP/libs/$pkg"
        PKG_DIR[$pkg]=$TMP/libs/$pkg
        AGENT_LIB_PKGS+=("$pkg")
        LIBVERS+="agent-lib $pkg $ver"$'\n'
    fi
    src=$(find "${PKG_DIR[$pkg]}" -name "$so" \( -type f -o -type l \) | head -n1)
    [ -n "$src" ] || die "$pkg has no $so"
    cp -L "$src" "$ROOT$AGENT_LIBDIR/$so"
}

pending=("$ROOT/usr/sbin/qemu-ga")
while [ ${#pending[@]} -gt 0 ]; do
    elf=${pending[0]}
    pending=("${pending[@]:1}")
    for so in $(elf_needs "$elf"); do
        [ -n "${LIB_DONE[$so]:-}" ] && continue
        LIB_DONE[$so]=1
        add_agent_lib "$so"
        pending+=("$ROOT$AGENT_LIBDIR/$so")
    done
done
# the interpreter at the path the binaries name
interp=$(readelf -l "$ROOT/usr/sbin/qemu-ga" | sed -n 's|.*Requesting program interpreter: \(.*\)\]|\1|p')
[ -f "$ROOT$AGENT_LIBDIR/${interp##*/}" ] || die "no ELF interpreter ${interp##*/} for qemu-ga"
mkdir -p "$ROOT${interp%/*}"
ln -s "$AGENT_LIBDIR/${interp##*/}" "$ROOT$interp"
printf '%s\n' "${AGENT_LIB_PKGS[@]}" | sort >"$TMP/agent-libs"
LIBVERS=$(printf '%s' "$LIBVERS" | sort)$'\n'
: >"$ROOT/etc/modules"

# Modules, dependencies first.  Compressed ones are unpacked here so that
# busybox insmod needs no decompressor.
add_module() {
    local name=$1 alt f dep deps
    grep -qx "$name" "$ROOT/etc/modules" && return 0
    [ -n "$MODDIR" ] || die "module $name needed but $KDEB ships no modules"
    alt=$(echo "$name" | tr '_-' '-_')
    f=$(find "$MODDIR" \( -name "$name.ko*" -o -name "$alt.ko*" \) | head -n1)
    [ -n "$f" ] || die "module $name not found in $KDEB"
    case "$f" in
        *.ko)     cp "$f" "$ROOT/lib/modules/$name.ko" ;;
        *.ko.xz)  xz -dc "$f" >"$ROOT/lib/modules/$name.ko" ;;
        *.ko.zst) zstd -qdc "$f" >"$ROOT/lib/modules/$name.ko" ;;
        *.ko.gz)  gzip -dc "$f" >"$ROOT/lib/modules/$name.ko" ;;
        *) die "module $f: unknown compression" ;;
    esac
    deps=$(grep -a -o 'depends=[^[:cntrl:]]*' "$ROOT/lib/modules/$name.ko" | head -n1 | cut -d= -f2)
    for dep in ${deps//,/ }; do
        add_module "$dep"
    done
    echo "$name" >>"$ROOT/etc/modules"
}

# CONFIG_SYM built in, or its module MOD loaded by /init; else ON_MISSING
# (die or log) says so, with WHY.
want_kernel() {  # SYM MOD ON_MISSING WHY
    case "$(sed -n "s/^CONFIG_$1=//p" "$KCONF")" in
        y) ;;
        m) add_module "$2" ;;
        *) "$3" "kernel $KREL lacks CONFIG_$1: $4" ;;
    esac
}

# What /init needs from the kernel.
want_kernel ACPI_BUTTON button die "the guest would ignore the power button"
want_kernel INPUT_EVDEV evdev die "the guest would ignore the power button"
# A kernel panic reaches QEMU (GUEST_PANICKED) only through a pvpanic driver:
# pvpanic-mmio binds the ISA device (<panic model='isa'/>, ACPI id QEMU0001),
# pvpanic-pci the PCI one.  Without them the guest panics silently; a guest
# without is still of use.
want_kernel PVPANIC_MMIO pvpanic_mmio log "a guest panic will not reach QEMU"
want_kernel PVPANIC_PCI pvpanic_pci log "a guest panic will not reach QEMU"
# virtio-net, for the guests that ask for a DHCP lease (virtkit.dhcp=1).
want_kernel VIRTIO_PCI virtio_pci log "a guest will have no virtio network card"
want_kernel VIRTIO_NET virtio_net log "a guest will have no virtio network card"
# the guest agent's channel is a virtio-serial port; a virtio disk holds a
# filesystem for the agent's fsinfo and fsfreeze
want_kernel VIRTIO_CONSOLE virtio_console log "the guest agent will have no channel"
want_kernel VIRTIO_BLK virtio_blk log "a guest will have no virtio disks"

# udhcpc hands the lease it got to this script.
cat >"$ROOT/etc/udhcpc.sh" <<'EOF'
#!/bin/sh
case "$1" in
bound|renew)
    ip addr add "$ip/$mask" dev "$interface"
    echo "VIRTKIT-GUEST-LEASE $ip" >/dev/console
    ;;
esac
exit 0
EOF

# qemu-ga's guest-shutdown runs "/sbin/shutdown -h -P|-H|-r +0 MESSAGE".
cat >"$ROOT/sbin/shutdown" <<'EOF'
#!/bin/sh
mode=poweroff
for arg; do
    case "$arg" in
        -r) mode=reboot ;;
        -H) mode=halt ;;
    esac
done
echo "VIRTKIT-GUEST-SHUTDOWN $mode" >/dev/console
case "$mode" in
    reboot) reboot -f ;;
    halt)   halt -f ;;
    *)      poweroff -f ;;
esac
EOF

# Busybox acpid maps the power button (KEY_POWER on the ACPI button's input
# device) to the action PWRF/00000080 under its config directory.
cat >"$ROOT/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
echo "VIRTKIT-GUEST-POWERBUTTON" >/dev/console
poweroff -f
EOF

cat >"$ROOT/init" <<EOF
#!/bin/busybox sh
# /init of the Virtkit test guest (written by tests/guest/build-guest.sh)
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
for m in \$(cat /etc/modules); do
    insmod /lib/modules/\$m.ko || echo "virtkit-guest: insmod \$m failed"
done
hostname virtkit-guest
acpid -c /etc/acpi -l /var/log/acpid.log
action= delay=0 dhcp= ip= disk= noagent=
for arg in \$(cat /proc/cmdline); do
    case "\$arg" in
        virtkit.action=*) action=\${arg#*=} ;;
        virtkit.delay=*)  delay=\${arg#*=} ;;
        virtkit.dhcp=1)   dhcp=1 ;;
        virtkit.ip=*)     ip=\${arg#*=} ;;
        virtkit.mount=*)  disk=\${arg#*=} ;;
        virtkit.noagent=1) noagent=1 ;;
    esac
done
ip link set lo up
if [ -n "\$ip" ]; then
    # only that address (and the link-local one): no IPv6 autoconfiguration
    # from a router that may answer any time (QEMU's user network does)
    echo 0 >/proc/sys/net/ipv6/conf/eth0/autoconf
    echo 0 >/proc/sys/net/ipv6/conf/eth0/accept_ra
    ip link set eth0 up && ip addr add "\$ip" dev eth0 || echo "virtkit-guest: no address \$ip"
fi
if [ -n "\$disk" ]; then
    mount "/dev/\$disk" /mnt || echo "virtkit-guest: cannot mount /dev/\$disk"
fi
# What udev would do: /dev/virtio-ports/NAME for each named virtio port.
for port in /sys/class/virtio-ports/*; do
    [ -f "\$port/name" ] || continue
    mkdir -p /dev/virtio-ports
    ln -sf "/dev/\${port##*/}" "/dev/virtio-ports/\$(cat "\$port/name")"
done
if [ -e /dev/virtio-ports/org.qemu.guest_agent.0 ] && [ -z "\$noagent" ]; then
    LD_LIBRARY_PATH=$AGENT_LIBDIR /usr/sbin/qemu-ga -d -m virtio-serial \\
        -p /dev/virtio-ports/org.qemu.guest_agent.0 -f /run/qemu-ga.pid -t /run &&
        echo "VIRTKIT-GUEST-AGENT started"
fi
echo "$READY_MARKER uptime=\$(cut -d' ' -f1 /proc/uptime)"
if [ -n "\$dhcp" ]; then
    ip link set eth0 up
    udhcpc -i eth0 -n -q -t 30 -T 1 -s /etc/udhcpc.sh -x hostname:virtkit-guest ||
        echo "virtkit-guest: no DHCP lease"
fi
if [ -n "\$action" ]; then
    sleep "\$delay"
    echo "VIRTKIT-GUEST-ACTION \$action"
    case "\$action" in
        poweroff) poweroff -f ;;
        reboot)   reboot -f ;;
        panic)    echo c >/proc/sysrq-trigger ;;
        *)        echo "virtkit-guest: unknown virtkit.action=\$action" ;;
    esac
fi
# pid 1 must never exit
while :; do sleep 3600; done
EOF
chmod 755 "$ROOT/init" "$ROOT/etc/acpi/PWRF/00000080" "$ROOT/etc/udhcpc.sh" "$ROOT/sbin/shutdown"

(cd "$ROOT" && find . | sort | "$BUSYBOX" cpio -o -H newc -R 0:0 2>/dev/null) |
    gzip -9n >"$TMP/initramfs.img"

# --- install into OUTDIR -----------------------------------------------------

cp "$KIMG" "$TMP/vmlinuz"
wanted_versions >"$TMP/versions"
rm -f "$OUT/versions"      # a half-updated cache must not look valid
mv -f "$TMP/vmlinuz" "$OUT/vmlinuz"
mv -f "$TMP/initramfs.img" "$OUT/initramfs.img"
mv -f "$TMP/agent-libs" "$AGENT_LIBS_FILE"
mv -f "$TMP/versions" "$OUT/versions"
log "built the guest from $KPKG $KVER, busybox-static $BVER and $AGENT_PKG $AVER"
done_print
