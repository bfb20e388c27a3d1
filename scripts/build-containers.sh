#!/bin/bash
# Builds the driver daemons' images (units/container/Containerfile.*) with
# podman, from a Debian bookworm base made here rather than pulled from a
# registry: debootstrap --variant=minbase from the Debian mirror apt uses,
# imported as localhost/virtkit/debian:bookworm (and :bookworm-slim, the
# run stages' base).  Idempotent: the base is made once, and podman's layer
# cache rebuilds only what changed in the tree.
#
#   scripts/build-containers.sh [DAEMON...]      (default: all five)
#
# Environment: VIRTKIT_DEBIAN_MIRROR (default: apt's first Debian mirror),
# VIRTKIT_REBUILD_BASE=1 to make the base again.
# Builds use the host's network (--network host): no podman network is
# created, nothing on the host's interfaces or firewall changes.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BASE=localhost/virtkit/debian
DAEMONS=(virtqemud virtnetworkd virtstoraged virtnodedevd virtproxyd)
[ $# -gt 0 ] && DAEMONS=("$@")

debian_mirror() {
    if [ -n "${VIRTKIT_DEBIAN_MIRROR:-}" ]; then
        echo "$VIRTKIT_DEBIAN_MIRROR"
        return
    fi
    # deb822 (bookworm's default) or one-line sources: the first .../debian
    local uri
    uri=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
          grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ')
    echo "${uri:-http://deb.debian.org/debian}"
}

make_base() {
    if [ -z "${VIRTKIT_REBUILD_BASE:-}" ] && podman image exists "$BASE:bookworm" &&
       podman image exists "$BASE:bookworm-slim"; then
        return
    fi
    local rootfs
    rootfs=$(mktemp -d /var/tmp/virtkit-debian.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    echo "== debootstrap bookworm from $(debian_mirror)" >&2
    debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >&2
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$BASE:bookworm"
    podman tag "$BASE:bookworm" "$BASE:bookworm-slim"
    rm -rf "$rootfs"
    trap - EXIT
}

build_image() {
    local daemon=$1 start=$SECONDS
    echo "== virtkit/$daemon" >&2
    "$TOP/scripts/podman-here" build --network host --pull=never --layers \
        --build-arg "DEBIAN=$BASE:bookworm" \
        -f "$TOP/units/container/Containerfile.$daemon" -t "localhost/virtkit/$daemon" "$TOP"
    echo "== virtkit/$daemon built in $((SECONDS - start)) s" >&2
}

command -v podman >/dev/null || { echo "podman is not installed" >&2; exit 1; }
command -v debootstrap >/dev/null || podman image exists "$BASE:bookworm" ||
    { echo "debootstrap is not installed (needed once, for the base image)" >&2; exit 1; }
make_base
for daemon in "${DAEMONS[@]}"; do
    build_image "$daemon"
done
