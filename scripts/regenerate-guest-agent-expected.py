#!/usr/bin/python3
"""Record what the reference libvirtd prints for the guest agent scenario of
tests/integration/guest_agent_steps.py into tests/data/guest-agent/expected.json.

    scripts/regenerate-guest-agent-expected.py [URI]     (default qemu:///system)

Builds the test guest (tests/guest) into /var/tmp/virtkit-guest-agent-ref,
defines its three guests as agent15-ga-*, runs the steps through Debian's
virsh, and destroys and undefines them again (also after a failure)."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
sys.path.insert(0, os.path.join(TOP, "tests", "guest"))
import guest  # noqa: E402
import guest_agent_steps as steps  # noqa: E402

PREFIX = "agent15-ga"
WORK = "/var/tmp/virtkit-guest-agent-ref"
OUT = os.path.join(TOP, "tests", "data", "guest-agent", "expected.json")


def main():
    uri = sys.argv[1] if len(sys.argv) > 1 else "qemu:///system"
    os.makedirs(WORK, exist_ok=True)
    kernel, initrd = guest.build(os.path.join(WORK, "cache"))
    xmls = steps.domains(guest, PREFIX, kernel, initrd, "qemu", WORK)
    names = {role: f"{PREFIX}-{role}" for role in xmls}
    try:
        for role, xml in xmls.items():
            path = os.path.join(WORK, f"{role}.xml")
            with open(path, "w") as f:
                f.write(xml)
            subprocess.run(["virsh", "-c", uri, "define", path], check=True, capture_output=True)
        results = steps.run_scenario(uri, guest, names, WORK, PREFIX)
    finally:
        for name in names.values():
            subprocess.run(["virsh", "-c", uri, "destroy", name], capture_output=True)
            subprocess.run(["virsh", "-c", uri, "undefine", name], capture_output=True)
    for r in results.values():
        if isinstance(r, dict):
            r.pop("seconds", None)   # kept out of the file: they change each run
            r.pop("raw_stdout", None)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
