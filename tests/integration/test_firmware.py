"""UEFI firmware chosen from QEMU's firmware descriptors (Debian's ovmf:
/usr/share/qemu/firmware/*.json), through Debian's virsh against virtqemud.

- The corpus (tests/data/firmware): each document goes through the steps of
  firmware_steps.py (define, start, the live <os> and <features>, the
  variable store, destroy, undefine without and with --nvram), and the
  transcript must equal the one libvirtd 9.0 printed
  (scripts/regenerate-firmware-expected.sh).
- Real boots: OVMF runs, prints its boot manager on the serial port and
  writes its variable store; with secure boot and Microsoft's keys enrolled
  it refuses the unsigned UEFI shell that the plain firmware starts.
- A descriptor directory of higher priority (ROOT/etc/qemu/firmware, the
  root's /etc/qemu/firmware) hides a descriptor with an empty file of the
  same name, and adds one of its own.

The guests are type 'qemu' (TCG): this host's nested KVM stops OVMF with a
KVM internal error and has no SMM, for libvirtd's guests as for ours."""
import filecmp
import glob
import json
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import firmware_steps  # noqa: E402
from harness import Daemon, VirshMixin  # noqa: E402

DATA = os.path.join(HERE, "..", "data", "firmware")
HAVE_OVMF = os.path.exists("/usr/share/qemu/firmware/60-edk2-x86_64.json")
SHELL_STARTS = "UEFI Interactive Shell"
SHELL_REFUSED = 'failed to start Boot0001 "EFI Internal Shell"'


def efi_guest(name, serial_log, machine="q35", os_inner=""):
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>256</memory>
  <os firmware='efi'><type arch='x86_64' machine='{machine}'>hvm</type>{os_inner}</os>
  <features><acpi/></features>
  <devices><serial type='file'><source path='{serial_log}'/></serial></devices>
</domain>
"""


@unittest.skipUnless(HAVE_OVMF, "Debian's ovmf is not installed")
class Firmware(VirshMixin, unittest.TestCase):
    def setUp(self):
        self.daemon = Daemon("virtqemud").start()
        self.addCleanup(self.daemon.cleanup)
        self.nvram_dir = os.path.join(self.daemon.root, "var/lib/libvirt/qemu/nvram")

    def test_corpus_as_libvirtd(self):
        cases = sorted(glob.glob(os.path.join(DATA, "*.xml")))
        self.assertGreater(len(cases), 10)
        for path in cases:
            name = os.path.basename(path)[:-4]
            with self.subTest(name), open(path) as f, open(path[:-4] + ".expected") as e:
                got = firmware_steps.run(self.daemon.uri(), f.read(), name, self.nvram_dir)
                self.assertEqual(got, e.read())
        self.assertEqual(os.listdir(self.nvram_dir), [])   # --nvram removed every store

    def boot(self, name, **kw):
        """Start the EFI guest NAME; its serial output once OVMF has chosen
        what to boot, and its variable store."""
        log = os.path.join(self.daemon.root, f"{name}.serial")
        self.virsh_ok("define", self.write(f"{name}.xml", efi_guest(name, log, **kw)))
        self.virsh_ok("start", name)
        deadline = time.monotonic() + 120
        text = ""
        while time.monotonic() < deadline and SHELL_STARTS not in text and SHELL_REFUSED not in text:
            time.sleep(1)
            text = open(log, errors="replace").read() if os.path.exists(log) else ""
        self.assertEqual(self.virsh_ok("domstate", name).strip(), "running")
        self.virsh_ok("destroy", name)
        return text, os.path.join(self.nvram_dir, f"{name}_VARS.fd")

    def test_plain_uefi_boots_its_shell(self):
        text, store = self.boot("plain", machine="pc")
        self.assertIn(SHELL_STARTS, text)
        # OVMF wrote its boot options into the guest's own copy of the template
        self.assertFalse(filecmp.cmp(store, "/usr/share/OVMF/OVMF_VARS_4M.fd", shallow=False))

    def test_secure_boot_with_enrolled_keys_refuses_the_unsigned_shell(self):
        text, store = self.boot("secure", os_inner="<firmware><feature enabled='yes' "
                                "name='enrolled-keys'/></firmware>")
        self.assertIn(SHELL_REFUSED, text)
        self.assertIn("Security Violation", text)
        self.assertNotIn(SHELL_STARTS, text)
        # the store is a copy of the template with Microsoft's keys
        self.assertEqual(os.path.getsize(store), os.path.getsize("/usr/share/OVMF/OVMF_VARS_4M.ms.fd"))

    def test_start_reset_nvram(self):
        """virsh start --reset-nvram copies the template again (libvirtd
        9.0 does the same: checked by hand, its store equal to the template)."""
        name = "reset"
        self.virsh_ok("define", self.write("r.xml", efi_guest(name, "/dev/null", machine="pc")))
        self.virsh_ok("start", name)
        self.virsh_ok("destroy", name)
        store = os.path.join(self.nvram_dir, f"{name}_VARS.fd")
        blank = bytes(os.path.getsize(store))
        with open(store, "wb") as f:
            f.write(blank)
        # paused, OVMF never runs: what the store holds is what the start left
        self.virsh_ok("start", "--paused", name)   # a start keeps the store it has
        self.virsh_ok("destroy", name)
        with open(store, "rb") as f:
            self.assertEqual(f.read(), blank)
        self.virsh_ok("start", "--paused", "--reset-nvram", name)
        self.virsh_ok("destroy", name)
        self.assertTrue(filecmp.cmp(store, "/usr/share/OVMF/OVMF_VARS_4M.fd", shallow=False))

    def test_descriptor_override_directory(self):
        etc = os.path.join(self.daemon.root, "etc/qemu/firmware")
        os.makedirs(etc)
        # an empty file hides the enrolled-keys firmware that q35 would get first
        open(os.path.join(etc, "40-edk2-x86_64-secure-enrolled.json"), "w").close()
        name = "override"
        self.virsh_ok("define", self.write("o.xml", efi_guest(name, "/dev/null")))
        self.virsh_ok("start", name)
        self.assertIn("OVMF_CODE_4M.secboot.fd", self.virsh_ok("dumpxml", name))
        self.virsh_ok("destroy", name)
        # a descriptor of its own, first by name, for a loader without SMM
        with open("/usr/share/qemu/firmware/60-edk2-x86_64.json") as f:
            desc = json.load(f)
        desc["mapping"]["nvram-template"]["filename"] = "/usr/share/OVMF/OVMF_VARS.fd"
        desc["mapping"]["executable"]["filename"] = "/usr/share/OVMF/OVMF_CODE.fd"
        with open(os.path.join(etc, "10-own.json"), "w") as f:
            json.dump(desc, f)
        self.virsh_ok("undefine", "--nvram", name)
        self.virsh_ok("define", self.write("o.xml", efi_guest(name, "/dev/null")))
        self.virsh_ok("start", name)
        live = self.virsh_ok("dumpxml", name)
        self.assertIn(">/usr/share/OVMF/OVMF_CODE.fd</loader>", live)
        self.assertIn("template='/usr/share/OVMF/OVMF_VARS.fd'", live)
        self.assertNotIn("<smm", live)
        self.virsh_ok("destroy", name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
