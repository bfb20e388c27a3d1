"""virsh nodedev-detach / nodedev-reattach through virtqemud (libvirt answers
them in the hypervisor driver; the device is looked up through virtnodedevd
first).  This host has no IOMMU: a detach is refused before anything is
written, with libvirt's error.  The binding steps themselves (the exact
sysfs writes) are tested on a fake sysfs by the unit test
test-pci-binding-fake-sysfs; a real device of this machine is never
unbound, and no reset is tried on one (libvirt's reset writes to a device's
config space)."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guests  # noqa: E402
from harness import Daemon, VirshMixin  # noqa: E402

HOSTDEV = """<hostdev mode='subsystem' type='pci' managed='yes'>{driver}
      <source><address domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></source>
    </hostdev>"""


class NodeDeviceDetach(VirshMixin, unittest.TestCase):
    def setUp(self):
        if os.path.exists("/sys/kernel/iommu_groups") and os.listdir("/sys/kernel/iommu_groups"):
            self.skipTest("this host has an IOMMU: a detach would really unbind a device")
        self.nodedevd = Daemon("virtnodedevd")
        self.addCleanup(self.nodedevd.cleanup)
        self.nodedevd.start()
        self.daemon = Daemon("virtqemud", root=self.nodedevd.root)
        self.addCleanup(self.daemon.cleanup)
        self.daemon.start()

    def first_pci_device(self):
        names = self.virsh_ok("nodedev-list", "--cap", "pci").split()
        self.assertTrue(names, "no PCI device listed")
        return names[0]

    def test_detach_refused_without_iommu(self):
        dev = self.first_pci_device()
        err = self.virsh_fails("nodedev-detach", dev)
        self.assertIn("unsupported configuration: VFIO device assignment is currently not "
                      "supported on this system", err)
        self.assertIn("KVM device assignment is no longer supported on this system",
                      self.virsh_fails("nodedev-detach", dev, "--driver", "kvm"))
        self.assertIn("unknown driver name 'xen'",
                      self.virsh_fails("nodedev-detach", dev, "--driver", "xen"))

    def test_guest_with_a_managed_hostdev_refused_without_iommu(self):
        """libvirt's support check comes first: no device is touched, no QEMU."""
        for name, driver, text in (
                ("hd1", "", "host doesn't support passthrough of host PCI devices"),
                ("hd2", "\n      <driver name='vfio'/>", "host doesn't support VFIO PCI passthrough")):
            self.virsh_ok("define", self.write(f"{name}.xml", guests.minimal(
                name, devices=HOSTDEV.format(driver=driver))))
            err = self.virsh_fails("start", name)
            self.assertIn(f"unsupported configuration: {text}", err)
            self.assertIn("shut off", self.virsh_ok("domstate", name))
            self.assertEqual(guests.qemu_pids(self.daemon.root, name), [])

    def test_unknown_device(self):
        err = self.virsh_fails("nodedev-detach", "nosuch")
        self.assertIn("error: Could not find matching device 'nosuch'", err)
        self.assertIn("Node device not found: no node device with matching name 'nosuch'", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
