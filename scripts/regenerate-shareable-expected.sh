#!/bin/bash
# Regenerates tests/data/shareable/steps.expected against a running reference
# libvirtd (Debian's libvirt 9.0, QEMU 7.2; see /work/shared/tools/reference-libvirtd):
# the steps of tests/integration/shareable_steps.py (guests shareable-* on one raw
# image made here with qemu-img) through virsh; every guest is undefined at the end.
#
# Usage: scripts/regenerate-shareable-expected.sh [URI]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/shareable-XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
qemu-img create -q -f raw "$work/shared.img" 16M
mkdir -p "$here/tests/data/shareable"
/usr/bin/python3 - "$here" "${1:-qemu:///system}" "$work" <<'PY'
import os, sys
here, uri, work = sys.argv[1:4]
sys.path.insert(0, os.path.join(here, "tests", "integration"))
import shareable_steps
text = shareable_steps.run(uri, work, os.path.join(work, "shared.img"), "shareable-")
with open(os.path.join(here, "tests", "data", "shareable", "steps.expected"), "w") as f:
    f.write(text)
print(text, end="")
PY
