#!/bin/bash
# Records what Debian's libvirtd 9.0 (/work/shared/tools/reference-libvirtd)
# shows of its DAC security driver, for tests/integration/test_dac.py:
#   dominfo-*.txt   virsh dominfo from "Security model:" on (running as
#                   configured, after qemu-monitor-command, shut off)
#   seclabel-*.xml  the live XML's <seclabel>
#   secmodel.xml    virsh capabilities' <secmodel> elements
#   error-untraversable.txt  starting a guest whose image QEMU's user cannot
#                   reach (PATH, UID, GID stand for the values)
# The reference daemon's qemu.conf says user = group = root and is shared:
# the libvirt-qemu cases use a static DAC label in the domain instead (same
# checks, same label format), with TCG (/dev/kvm is root's only here).
# Usage: record.sh [PREFIX]   (objects are named PREFIX-dac-*, then removed)
set -eu
out=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-record}
V="virsh -c qemu:///system"
tmp=$(mktemp -d)
chmod 755 "$tmp"
mkdir -m 700 "$tmp/private"
qemu-img create -q -f qcow2 "$tmp/disk.qcow2" 16M
cp "$tmp/disk.qcow2" "$tmp/private/disk.qcow2"
uid=$(id -u libvirt-qemu)
gid=$(getent group libvirt-qemu | cut -d: -f3)
trap '$V destroy $prefix-dac-a >/dev/null 2>&1; $V undefine $prefix-dac-a >/dev/null 2>&1; rm -rf "$tmp"' EXIT

guest() {   # NAME TYPE DISK EXTRA
  cat >"$tmp/$1.xml" <<XML
<domain type='$2'>
  <name>$1</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$3'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
  $4
</domain>
XML
  $V define "$tmp/$1.xml" >/dev/null
}
security_lines() { $V dominfo "$1" | sed -n '/^Security model:/,$p'; }
seclabel() { $V dumpxml "$1" | sed -n '/<seclabel/,/<\/seclabel>/p'; }

n=$prefix-dac-a
guest $n kvm "$tmp/disk.qcow2" ""
$V start $n >/dev/null
security_lines $n >"$out/dominfo-root.txt"
seclabel $n >"$out/seclabel-root.xml"
$V qemu-monitor-command $n '{"execute":"query-status"}' >/dev/null
security_lines $n >"$out/dominfo-monitor.txt"
$V destroy $n >/dev/null
security_lines $n >"$out/dominfo-shutoff.txt"
$V capabilities | sed -n '/<secmodel>/,/<\/secmodel>/p' >"$out/secmodel.xml"
$V undefine $n >/dev/null

static="<seclabel type='static' model='dac' relabel='yes'><label>+$uid:+$gid</label></seclabel>"
guest $n qemu "$tmp/disk.qcow2" "$static"
$V start $n >/dev/null
seclabel $n | sed "s/+$uid:+$gid/+UID:+GID/g" >"$out/seclabel-static-user.xml"
$V destroy $n >/dev/null
$V undefine $n >/dev/null

guest $n qemu "$tmp/private/disk.qcow2" "$static"
$V start $n 2>&1 >/dev/null | sed -e "s|$tmp/private/disk.qcow2|PATH|" -e "s/uid:$uid/uid:UID/" \
    -e "s/gid:$gid/gid:GID/" -e "s/'$n'/'NAME'/" | grep . >"$out/error-untraversable.txt" || true
$V undefine $n >/dev/null
