"""The steps of the shareable-disk case (tests/data/shareable), through
Debian's virsh, as one text that scripts/regenerate-shareable-expected.sh
records from libvirtd and test_shareable_disks.py compares with Virtkit's:
four guests on one raw image, two with <shareable/> (run together), two
without (each refused while another guest has the image open)."""
import os
import re

from firmware_steps import error_of, virsh

GUESTS = {"share1": True, "share2": True, "own1": False, "own2": False}
STEPS = [("start", "share1"), ("start", "share2"), ("start", "own1"),
         ("destroy", "share1"), ("destroy", "share2"),
         ("start", "own1"), ("start", "share1"), ("start", "own2"), ("destroy", "own1")]


def guest(name, image, shareable, machine="q35"):
    return f"""<domain type='kvm'>
  <name>{name}</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='{machine}'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='{image}'/>
      <target dev='vda' bus='virtio'/>{'<shareable/>' if shareable else ''}
    </disk>
  </devices>
</domain>
"""


def qemu_refusal(stderr):
    """QEMU's own words in a failed start (libvirt's prefix and the time
    stamps of QEMU's log lines differ between daemons)."""
    m = re.search(r"(Failed to get [^\n]* lock)\s*\n(Is another process using the image \[[^\]]*\]\?)",
                  stderr)
    return f"QEMU: {m.group(1)} / {m.group(2)}" if m else error_of(stderr)


def disk_driver(xml):
    m = re.search(r"<disk .*?(<driver [^>]*/>).*?</disk>", xml, re.S)
    return m.group(1) if m else "(no disk)"


def run(uri, directory, image, prefix=""):
    """The steps on URI with guests PREFIX+NAME written into DIRECTORY; the
    transcript, with IMAGE and PREFIX taken out."""
    out = []
    for name, shareable in GUESTS.items():
        path = os.path.join(directory, f"{prefix}{name}.xml")
        with open(path, "w") as f:
            f.write(guest(prefix + name, image, shareable))
        rc, _, err = virsh(uri, "define", path)
        out.append(f"define {name}: {'ok' if rc == 0 else error_of(err)}\n")
    for action, name in STEPS:
        rc, _, err = virsh(uri, action, prefix + name)
        out.append(f"{action} {name}: {'ok' if rc == 0 else qemu_refusal(err)}\n")
        if action == "start" and rc == 0:
            live = virsh(uri, "dumpxml", prefix + name)[1]
            out.append(f"  live {disk_driver(live)}\n")
    for name in GUESTS:
        virsh(uri, "destroy", prefix + name)
        virsh(uri, "undefine", prefix + name)
    return "".join(out).replace(image, "IMAGE").replace(prefix, "")
