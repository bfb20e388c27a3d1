# Shared by ./test and ./run: install missing packages, configure and build.

VIRTKIT_PACKAGES="meson ninja-build pkg-config gcc libglib2.0-dev libxml2-dev
  libtirpc-dev rpcsvc-proto libnl-3-dev libnl-route-3-dev libnftables-dev nftables libdbus-1-dev
  libudev-dev systemd libxml2-utils libvirt-clients
  python3-libvirt qemu-system-x86 qemu-utils iproute2 clang libclang-rt-14-dev
  pciutils procps dnsmasq-base busybox lvm2 parted virtinst ovmf e2fsprogs"

setup_packages() {
  local missing=""
  for p in $VIRTKIT_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  echo "installing:$missing"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
}

# QEMU's account in system mode, as Debian's libvirt-daemon-system makes it
# (the DAC tests run guests as it).
setup_qemu_user() {
  getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
  getent passwd libvirt-qemu >/dev/null ||
    useradd --system --gid libvirt-qemu --home-dir /var/lib/libvirt --no-create-home \
      --shell /usr/sbin/nologin libvirt-qemu
}

# build_tree DIR [meson options...] [--target TARGET]
build_tree() {
  local dir=$1; shift
  local target=""
  local opts=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--target" ]; then target=$2; shift 2; else opts+=("$1"); shift; fi
  done
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "${opts[@]}" >/dev/null || return 1
  fi
  meson compile -C "$dir" $target >"$dir.compile.log" 2>&1 || { tail -n 60 "$dir.compile.log"; return 1; }
}
