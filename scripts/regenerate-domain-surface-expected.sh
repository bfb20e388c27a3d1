#!/bin/bash
# Regenerates tests/data/domain-surface/expected.json: the steps of steps.json
# (resume/suspend/domjobinfo errors, live and migratable CPU XML, the balloon's
# statistics period, I/O threads, domrename, list --with-snapshot) run through
# Debian's virsh and python3-libvirt against the reference libvirtd 9.0 (see
# /work/shared/tools/reference-libvirtd), with their outputs and the domain
# lifecycle events.
#
# Usage: scripts/regenerate-domain-surface-expected.sh [URI] [PREFIX]
#   URI defaults to qemu:///system.  The guests are named PREFIX + a, b, c
#   (PREFIX defaults to "surface-"), so the run touches no other domain; the
#   prefix is taken out of the recording again.  Leftovers of an earlier run
#   with that prefix are removed first.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 - "$here" "${1:-qemu:///system}" "${2:-surface-}" <<'PY'
import json, os, sys, tempfile
here, uri, prefix = sys.argv[1:4]
sys.path.insert(0, os.path.join(here, "tests", "integration"))
import libvirt
import surface_steps

def drop_leftovers():
    conn = libvirt.open(uri)
    for dom in conn.listAllDomains():
        if dom.name().startswith(prefix):
            if dom.isActive():
                dom.destroy()
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                              libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
    conn.close()

libvirt.registerErrorHandler(lambda ctx, err: None, None)
drop_leftovers()
with tempfile.TemporaryDirectory(prefix="surface-") as work:
    os.chmod(work, 0o755)
    recorded = surface_steps.Runner(uri, prefix, work).run()
drop_leftovers()
tmp = surface_steps.EXPECTED + ".tmp"
with open(tmp, "w") as f:
    json.dump(recorded, f, indent=1)
    f.write("\n")
os.replace(tmp, surface_steps.EXPECTED)
PY
