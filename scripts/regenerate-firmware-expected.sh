#!/bin/bash
# Regenerates tests/data/firmware/NAME.expected from NAME.xml against a running
# reference libvirtd (Debian's libvirt 9.0, QEMU 7.2, Debian's ovmf package; see
# /work/shared/tools/reference-libvirtd): the steps of tests/integration/firmware_steps.py
# (define, start, live <os>/<features>, destroy, undefine) through virsh.
#
# Usage: scripts/regenerate-firmware-expected.sh [URI] [NAME...]
#   URI defaults to qemu:///system. Each document runs as the domain firmware-NAME
#   (the prefix is taken off again), which is undefined with its NVRAM at the end;
#   NVRAM_DIR in a document and in the output stands for libvirtd's
#   /var/lib/libvirt/qemu/nvram.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 - "$here" "${1:-qemu:///system}" "${@:2}" <<'PY'
import glob, os, sys
here, uri, only = sys.argv[1], sys.argv[2], set(sys.argv[3:])
sys.path.insert(0, os.path.join(here, "tests", "integration"))
import firmware_steps

for path in sorted(glob.glob(os.path.join(here, "tests", "data", "firmware", "*.xml"))):
    name = os.path.basename(path)[:-4]
    if only and name not in only:
        continue
    with open(path) as f:
        text = firmware_steps.run(uri, f.read(), name, "/var/lib/libvirt/qemu/nvram", "firmware-")
    with open(path[:-4] + ".expected", "w") as f:
        f.write(text)
    print(f"{name:32} {text.splitlines()[0]}")
PY
