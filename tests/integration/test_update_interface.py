"""update-device for interfaces against our virtqemud: Debian's virsh
domif-setlink takes a running guest's link down and up (QEMU's NIC
follows), and edits the persistent definition; errors as libvirtd 9.0's."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import DaemonTestCase, VirshMixin  # noqa: E402

MAC = "52:54:00:11:22:33"
GUEST = f"""<domain type='kvm'>
  <name>nic</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <interface type='user'><mac address='{MAC}'/><model type='virtio'/></interface>
  </devices>
</domain>
"""


class UpdateInterface(VirshMixin, DaemonTestCase):
    daemon_config = 'log_filters = "1:virtkit"\nlog_outputs = "1:stderr"\n'
    def setUp(self):
        super().setUp()
        self.virsh_ok("define", self.write("nic.xml", GUEST))

    def set_links_sent(self):
        """The set_link commands QEMU got so far (from the daemon's QMP log;
        QEMU 7.2 shows a NIC's link state nowhere without a guest OS)."""
        log = self.daemon.stderr()
        return [up for up in (True, False)
                for _ in range(log.count('"execute":"set_link","arguments":'
                                         f'{{"name":"net0","up":{str(up).lower()}}}'))]

    def test_live(self):
        self.virsh_ok("start", "nic")
        self.assertEqual(self.virsh_ok("domif-getlink", "nic", MAC), f"{MAC} up\n")
        self.assertEqual(self.virsh_ok("domif-setlink", "nic", MAC, "down"),
                         "Device updated successfully\n\n")
        self.assertEqual(self.virsh_ok("domif-getlink", "nic", MAC), f"{MAC} down\n")
        self.assertEqual(self.set_links_sent(), [False])
        self.assertIn("<link state='down'/>", self.virsh_ok("dumpxml", "nic"))
        self.assertNotIn("<link", self.virsh_ok("dumpxml", "--inactive", "nic"))
        # a restarted daemon knows
        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(self.virsh_ok("domif-getlink", "nic", MAC), f"{MAC} down\n")
        self.virsh_ok("domif-setlink", "nic", MAC, "up")
        self.assertEqual(sorted(self.set_links_sent()), [False, True])

        self.assertEqual(self.virsh_fails("domif-setlink", "nic", "52:54:00:99:99:99", "down"),
                         "error: interface '52:54:00:99:99:99' not found\n")
        err = self.virsh_fails("update-device", "nic", self.write("model.xml", (
            f"<interface type='user'><mac address='{MAC}'/><model type='e1000e'/></interface>")))
        self.assertTrue(err.endswith("error: Operation not supported: cannot modify network "
                                     "device model from virtio to e1000e\n"), err)
        err = self.virsh_fails("update-device", "nic", self.write("other.xml", (
            "<interface type='user'><mac address='52:54:00:44:44:44'/>"
            "<model type='virtio'/></interface>")))
        self.assertTrue(err.endswith("error: device not found: no device found at address "
                                     "'(<null>)' matching MAC address '52:54:00:44:44:44' and "
                                     "alias '(<null>)'\n"), err)
        self.assertEqual(sorted(self.set_links_sent()), [False, True])   # nothing more
        self.virsh_ok("destroy", "nic")

    def test_config(self):
        self.virsh_ok("domif-setlink", "nic", MAC, "down", "--config")
        inactive = self.virsh_ok("dumpxml", "--inactive", "nic")
        self.assertIn("<link state='down'/>", inactive)
        self.assertIn("<address type='pci' domain='0x0000' bus='0x01' slot='0x00' "
                      "function='0x0'/>", inactive)
        # a guest started now has its link down from the start
        self.virsh_ok("start", "nic")
        self.assertEqual(self.set_links_sent(), [False])
        self.assertIn("<link state='down'/>", self.virsh_ok("dumpxml", "nic"))
        self.assertEqual(self.virsh_ok("domif-getlink", "nic", MAC), f"{MAC} down\n")
        self.virsh_ok("destroy", "nic")


if __name__ == "__main__":
    unittest.main()
