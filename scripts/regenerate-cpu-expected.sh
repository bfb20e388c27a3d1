#!/bin/bash
# Regenerates tests/data/cpu/*.expected from a running reference libvirtd (Debian's
# libvirt 9.0 with QEMU 7.2, see /work/shared/tools/reference-libvirtd): the answers of
# virsh cpu-compare, hypervisor-cpu-compare, cpu-baseline and hypervisor-cpu-baseline
# for each input, as virsh prints them, with its exit status.
#
# Usage: scripts/regenerate-cpu-expected.sh [URI]     (URI defaults to qemu:///system)
#
# The answers depend on the host CPU, so the host's own inputs are made here too:
# host.xml (the <cpu> of `virsh capabilities`), host-model-cpu.xml (domcapabilities'
# host-model mode turned into a <cpu> the way virt-install does) and two-cpus.xml
# (host.xml and nehalem.xml in one file); HOST_CPU records the host's CPU model line
# of /proc/cpuinfo and the model libvirt names it, which the test compares before it
# trusts these files.  Every other *.xml input is written by hand.
#
# NAME.CMD[.FLAGS].expected holds: "rc=N", then virsh's stdout, then "--- stderr",
# then its stderr.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir="$here/tests/data/cpu"
uri="${1:-qemu:///system}"
virsh() { LC_ALL=C /usr/bin/virsh -c "$uri" "$@"; }
cd "$dir"

virsh capabilities | sed -n '/<host>/,/<\/host>/p' | sed -n '/^    <cpu>/,/^    <\/cpu>/p' \
    | sed 's/^    //' > host.xml
virsh domcapabilities | sed -n "/<mode name='host-model'/,/<\/mode>/p" | /usr/bin/python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
root.tag = "cpu"; root.attrib = {}
ET.SubElement(root, "arch").text = "x86_64"
print(ET.tostring(root, encoding="unicode"))' > host-model-cpu.xml
cat host.xml nehalem.xml > two-cpus.xml
{ grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*: //'
  sed -n 's:.*<model>\(.*\)</model>.*:\1:p' host.xml | head -1; } > HOST_CPU

# run NAME CMD [FLAGS...]: one expected file
run() {
    local name=$1 cmd=$2; shift 2
    local out="$name.$cmd$(printf '.%s' "$@" | sed 's/--//g; s/ /_/g').expected"
    [ $# -eq 0 ] && out="$name.$cmd.expected"
    local rc=0
    virsh "$cmd" "$name.xml" "$@" > .stdout 2> .stderr || rc=$?
    { echo "rc=$rc"; cat .stdout; echo "--- stderr"; cat .stderr; } > "$out"
    rm -f .stdout .stderr
}

rm -f ./*.expected
for name in host host-model-cpu kvm64 qemu64 nehalem missing unknown intel skylake forbid \
            host-passthrough host-model malformed; do
    run "$name" cpu-compare
    run "$name" hypervisor-cpu-compare
    run "$name" cpu-compare --error
    run "$name" hypervisor-cpu-compare --error
done
for name in host host-model-cpu two-cpus skylake unknown; do
    for cmd in cpu-baseline hypervisor-cpu-baseline; do
        run "$name" $cmd
        run "$name" $cmd --features
        run "$name" $cmd --migratable
        run "$name" $cmd --features --migratable
    done
done
echo "regenerated $(ls ./*.expected | wc -l) files in $dir"
