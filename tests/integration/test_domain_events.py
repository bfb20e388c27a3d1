"""Domain events beyond the lifecycle, through python3-libvirt's callbacks
against our virtqemud, in the order libvirtd 9.0 sends them: tray changes
of a CD-ROM (eject and insert each open and close it), device-added after
a hotplug, metadata changes.  (Balloon changes need a guest driver that
reacts; the tiny test guest has none.)"""
import os
import sys
import unittest

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import DaemonTestCase, VirshMixin, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
harness.start_libvirt_event_loop()

GUEST = """<domain type='kvm'>
  <name>ev</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <disk type='file' device='cdrom'>
      <source file='{iso}'/>
      <target dev='sda' bus='sata'/>
    </disk>
  </devices>
</domain>
"""
E = libvirt


class DomainEvents(VirshMixin, DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.iso = self.write("a.iso", "")
        self.disk = self.write("d.img", "")
        os.truncate(self.disk, 1 << 20)
        self.virsh_ok("define", self.write("ev.xml", GUEST.format(iso=self.iso)))
        self.virsh_ok("start", "ev")
        self.conn = libvirt.open(self.daemon.uri())
        self.seen = []
        dom = self.conn.lookupByName("ev")
        self.conn.domainEventRegisterAny(
            dom, E.VIR_DOMAIN_EVENT_ID_TRAY_CHANGE,
            lambda c, d, alias, reason, o: self.seen.append(("tray", alias, reason)), None)
        self.conn.domainEventRegisterAny(
            None, E.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
            lambda c, d, alias, o: self.seen.append(("added", d.name(), alias)), None)
        self.conn.domainEventRegisterAny(
            None, E.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
            lambda c, d, mtype, nsuri, o: self.seen.append(("metadata", mtype, nsuri)), None)

    def tearDown(self):
        self.conn.close()
        super().tearDown()

    def expect(self, *events):
        wait_for(lambda: len(self.seen) >= len(events), what=f"events {events}")
        self.assertEqual(self.seen, list(events))
        self.seen.clear()

    def test_tray(self):
        opened = E.VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN
        closed = E.VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE
        self.virsh_ok("change-media", "ev", "sda", "--eject")
        self.expect(("tray", "sata0-0-0", opened), ("tray", "sata0-0-0", closed))
        self.virsh_ok("change-media", "ev", "sda", self.iso, "--insert")
        self.expect(("tray", "sata0-0-0", opened), ("tray", "sata0-0-0", closed))

    def test_device_added(self):
        disk = self.write("hp.xml", f"<disk type='file' device='disk'><driver name='qemu' "
                                    f"type='raw'/><source file='{self.disk}'/>"
                                    "<target dev='vdb' bus='virtio'/></disk>")
        self.virsh_ok("attach-device", "ev", disk)
        self.expect(("added", "ev", "virtio-disk1"))

    def test_metadata(self):
        self.virsh_ok("desc", "ev", "--new-desc", "hello")
        self.virsh_ok("desc", "ev", "--title", "--new-desc", "a title")
        self.virsh_ok("metadata", "ev", "http://example.org/x", "--key", "x", "--set", "<a/>")
        self.expect(("metadata", E.VIR_DOMAIN_METADATA_DESCRIPTION, None),
                    ("metadata", E.VIR_DOMAIN_METADATA_TITLE, None),
                    ("metadata", E.VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/x"))


if __name__ == "__main__":
    unittest.main()
