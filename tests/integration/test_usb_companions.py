"""The USB controllers virt-install writes for an OS it does not know (pc
machine, ich9-ehci1 then ich9-uhci1..3 with <master> and no index): they
become one controller set with index 0 in one slot, and QEMU starts the
guest (it refused it, 'USB bus usb1.0 not found', when the companions got
indexes of their own)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
from harness import DaemonTestCase, VirshMixin  # noqa: E402

USB_SET = """
    <controller type='usb' model='ich9-ehci1'/>
    <controller type='usb' model='ich9-uhci1'><master startport='0'/></controller>
    <controller type='usb' model='ich9-uhci2'><master startport='2'/></controller>
    <controller type='usb' model='ich9-uhci3'><master startport='4'/></controller>
"""


class UsbCompanions(VirshMixin, DaemonTestCase):
    def test_virt_install_usb_set_starts(self):
        self.virsh_ok("define", self.write("vkusb.xml",
                                           guests.minimal("vkusb", machine="pc", devices=USB_SET)))
        xml = self.virsh_ok("dumpxml", "vkusb")
        self.assertEqual(xml.count("<controller type='usb' index='0'"), 4, xml)
        self.assertIn("slot='0x02' function='0x0' multifunction='on'", xml)
        self.virsh_ok("start", "vkusb")
        self.assertIn("running", self.virsh_ok("domstate", "vkusb"))
        [pid] = guests.qemu_pids(self.daemon.root, "vkusb")
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().decode().split("\0")
        companions = [a for a in argv if '"ich9-usb-uhci' in a]
        self.assertEqual(len(companions), 3, argv)
        for a in companions:
            self.assertIn('"masterbus":"usb.0"', a)


if __name__ == "__main__":
    unittest.main()
