#!/bin/bash
# Regenerates the node device corpora from a running reference libvirtd
# (Debian's libvirt 9.0, see /work/shared/tools/reference-libvirtd):
#   tests/data/nodedev/host-NAME.xml: nodedev-dumpxml NAME of every device
#     of this machine (old host-*.xml files are removed first);
#   tests/data/nodedev-create/invalid-NAME.error: the error of
#     nodedev-create invalid-NAME.xml as three lines: code, domain, message.
# manual-*.xml in tests/data/nodedev are written by hand (capabilities this
# machine has none of) and stay as they are.
#
# Usage: scripts/regenerate-nodedev-corpus.sh [URI]   (default qemu:///system)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 - "$here/tests/data" "${1:-qemu:///system}" <<'PY'
import glob, os, sys
import libvirt

data, uri = sys.argv[1], sys.argv[2]
libvirt.registerErrorHandler(lambda ctx, err: None, None)
conn = libvirt.open(uri)

for old in glob.glob(os.path.join(data, "nodedev", "host-*.xml")):
    os.unlink(old)
for dev in conn.listAllDevices(0):
    with open(os.path.join(data, "nodedev", f"host-{dev.name()}.xml"), "w") as f:
        f.write(dev.XMLDesc(0))

status = 0
for path in sorted(glob.glob(os.path.join(data, "nodedev-create", "invalid-*.xml"))):
    with open(path) as f:
        xml = f.read()
    try:
        dev = conn.nodeDeviceCreateXML(xml, 0)
        print(f"{path}: accepted as {dev.name()}", file=sys.stderr)
        status = 1
        continue
    except libvirt.libvirtError as e:
        err = (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    with open(path[:-len(".xml")] + ".error", "w") as f:
        f.write(f"{err[0]}\n{err[1]}\n{err[2]}\n")
sys.exit(status)
PY
