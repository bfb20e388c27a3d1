"""update-device for removable drives against our virtqemud: Debian's virsh
change-media swaps, ejects and inserts a running guest's CD-ROM medium
(QEMU is asked, and its query-block agrees), and edits the persistent
definition; errors as libvirtd 9.0 words them."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import DaemonTestCase, VirshMixin  # noqa: E402

GUEST = """<domain type='kvm'>
  <name>media</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='{iso_a}'/>
      <target dev='sda' bus='sata'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='{disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
"""


class ChangeMedia(VirshMixin, DaemonTestCase):
    def setUp(self):
        super().setUp()
        root = self.daemon.root
        self.iso_a, self.iso_b, disk = (os.path.join(root, n) for n in ("a.iso", "b.iso", "d.img"))
        for path in (self.iso_a, self.iso_b, disk):
            with open(path, "wb") as f:
                f.truncate(1 << 20)
        xml = os.path.join(root, "media.xml")
        with open(xml, "w") as f:
            f.write(GUEST.format(iso_a=self.iso_a, disk=disk))
        self.virsh_ok("define", xml)

    def cdrom(self, *flags):
        xml = self.virsh_ok("dumpxml", *flags, "media")
        return xml[xml.index("<disk type='file' device='cdrom'>"):].split("</disk>")[0]

    def qemu_medium(self):
        """The file QEMU has in the drive, or None, and whether its tray is open."""
        reply = json.loads(self.virsh_ok("qemu-monitor-command", "media", '{"execute":"query-block"}'))
        [drive] = [b for b in reply["return"] if b.get("qdev", "").endswith("sata0-0-0")]
        inserted = drive.get("inserted")
        return (inserted["file"] if inserted else None), drive.get("tray_open")

    def test_live(self):
        self.virsh_ok("start", "media")
        self.assertEqual(self.qemu_medium(), (self.iso_a, False))
        # as libvirtd's live XML: QEMU's node numbers (libvirt-N-*) as
        # indices, the first disk's highest, each new medium a new one
        self.assertIn(f"<source file='{self.iso_a}' index='2'/>\n      <backingStore/>\n",
                      self.cdrom())

        out = self.virsh_ok("change-media", "media", "sda", self.iso_b, "--update")
        self.assertEqual(out, "Successfully updated media.\n")
        self.assertIn(f"<source file='{self.iso_b}' index='3'/>\n      <backingStore/>\n",
                      self.cdrom())
        self.assertEqual(self.qemu_medium(), (self.iso_b, False))
        # the persistent definition keeps its medium
        self.assertIn(f"<source file='{self.iso_a}'/>", self.cdrom("--inactive"))

        self.assertEqual(self.virsh_ok("change-media", "media", "sda", "--eject"),
                         "Successfully ejected media.\n")
        self.assertIn("<source index='4'/>\n      <target", self.cdrom())
        self.assertEqual(self.qemu_medium(), (None, False))   # closed again, as libvirtd does

        self.assertEqual(self.virsh_ok("change-media", "media", "sda", self.iso_a, "--insert"),
                         "Successfully inserted media.\n")
        self.assertEqual(self.qemu_medium(), (self.iso_a, False))
        self.assertIn(f"<source file='{self.iso_a}' index='5'/>", self.cdrom())

        # bad requests change nothing
        err = self.virsh_fails("change-media", "media", "sda", "/nonexistent.iso", "--update")
        self.assertEqual(err, "error: Failed to complete action update on media\n"
                              "error: Cannot access storage file '/nonexistent.iso': "
                              "No such file or directory\n")
        self.assertEqual(self.qemu_medium(), (self.iso_a, False))
        update = os.path.join(self.daemon.root, "update.xml")
        for xml, want in (
                (f"<disk type='file' device='cdrom'><source file='{self.iso_b}'/>"
                 "<target dev='sda' bus='sata'/><serial>x1</serial></disk>",
                 "error: Operation not supported: cannot modify field 'serial' of the disk\n"),
                (f"<disk type='file' device='disk'><source file='{self.iso_b}'/>"
                 "<target dev='vda' bus='virtio'/></disk>",
                 "error: unsupported configuration: disk source can be changed only in "
                 "removable drives\n"),
                (f"<disk type='file' device='cdrom'><source file='{self.iso_b}'/>"
                 "<target dev='sdz' bus='sata'/></disk>",
                 "error: internal error: disk 'sdz' not found\n")):
            with open(update, "w") as f:
                f.write(xml)
            err = self.virsh_fails("update-device", "media", update)
            self.assertTrue(err.startswith("error: Failed to update device from "), err)
            self.assertTrue(err.endswith(want), err)
        self.assertEqual(self.qemu_medium(), (self.iso_a, False))

        # a restarted daemon knows the medium
        self.daemon.stop()
        self.daemon.start()
        self.assertIn(f"<source file='{self.iso_a}' index='5'/>\n      <backingStore/>\n",
                      self.cdrom())
        self.virsh_ok("change-media", "media", "sda", self.iso_b, "--update")
        self.assertEqual(self.qemu_medium(), (self.iso_b, False))
        self.virsh_ok("destroy", "media")

    def test_backing_file_is_not_denied(self):
        """<backingStore/> says "no backing file": an overlay does not get it
        there, but its chain, as libvirtd shows it (backing images numbered
        after the disks' top images)."""
        base = os.path.join(self.daemon.root, "base.qcow2")
        top = os.path.join(self.daemon.root, "top.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", base, "16M"], check=True)
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base, top],
                       check=True)
        xml = os.path.join(self.daemon.root, "overlay.xml")
        with open(xml, "w") as f:
            f.write(GUEST.replace("<name>media</name>", "<name>overlay</name>")
                    .replace("type='raw'/>\n      <source file='{disk}'",
                             "type='qcow2'/>\n      <source file='{disk}'")
                    .format(iso_a=self.iso_a, disk=top))
        self.virsh_ok("create", xml)
        live = self.virsh_ok("dumpxml", "overlay")
        self.assertIn(f"<source file='{top}' index='1'/>\n"
                      "      <backingStore type='file' index='3'>\n"
                      "        <format type='qcow2'/>\n"
                      f"        <source file='{base}'/>\n"
                      "        <backingStore/>\n"
                      "      </backingStore>\n"
                      "      <target dev='vda'", live)
        self.assertIn(f"<source file='{self.iso_a}' index='2'/>\n      <backingStore/>", live)
        self.virsh_ok("destroy", "overlay")

    def test_config(self):
        out = self.virsh_ok("change-media", "media", "sda", self.iso_b, "--update", "--config")
        self.assertEqual(out, "Successfully updated media.\n")
        self.assertIn(f"<source file='{self.iso_b}'/>", self.cdrom("--inactive"))
        with open(os.path.join(self.daemon.root, "etc", "libvirt", "qemu", "media.xml")) as f:
            self.assertIn(f"<source file='{self.iso_b}'/>", f.read())
        self.virsh_ok("change-media", "media", "sda", "--eject", "--config")
        cdrom = self.cdrom("--inactive")
        self.assertNotIn("<source", cdrom)
        self.assertIn("<readonly/>", cdrom)
        self.assertIn("<address type='drive' controller='0' bus='0' target='0' unit='0'/>", cdrom)
        # a guest started now has the empty drive
        self.virsh_ok("start", "media")
        self.assertEqual(self.qemu_medium()[0], None)
        self.virsh_ok("destroy", "media")
        err = self.virsh_fails("change-media", "media", "sdz", self.iso_b, "--update", "--config")
        self.assertIn("No disk found whose source path or target is sdz", err)


if __name__ == "__main__":
    unittest.main()
