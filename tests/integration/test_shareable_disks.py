"""<shareable/> disks through Debian's virsh against virtqemud: two guests
with the same raw image as a shareable disk run at once (share-rw=on on
QEMU's -device, the live disk without host cache), a guest without
<shareable/> is refused by QEMU's image locking while another has the image
open, in either order. The transcript (shareable_steps.py) must equal the
one libvirtd 9.0 printed (scripts/regenerate-shareable-expected.sh)."""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guests  # noqa: E402
import shareable_steps  # noqa: E402
from harness import Daemon, VirshMixin  # noqa: E402

EXPECTED = os.path.join(HERE, "..", "data", "shareable", "steps.expected")


class ShareableDisks(VirshMixin, unittest.TestCase):
    def setUp(self):
        self.daemon = Daemon("virtqemud").start()
        self.addCleanup(self.daemon.cleanup)
        self.image = os.path.join(self.daemon.root, "shared.img")
        subprocess.run(["qemu-img", "create", "-q", "-f", "raw", self.image, "16M"], check=True)

    def test_steps_as_libvirtd(self):
        got = shareable_steps.run(self.daemon.uri(), self.daemon.root, self.image)
        with open(EXPECTED) as f:
            self.assertEqual(got, f.read())

    def test_live_attach_next_to_a_running_guest(self):
        self.virsh_ok("define", self.write("a.xml", shareable_steps.guest("a", self.image, True)))
        self.virsh_ok("start", "a")
        ports = "".join(f"<controller type='pci' index='{i}' model='pcie-root-port'/>" for i in range(1, 6))
        self.virsh_ok("define", self.write("b.xml", guests.minimal("b", devices=ports)))
        self.virsh_ok("start", "b")
        disk = self.write("disk.xml", f"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                          f"<source file='{self.image}'/><target dev='vdb' bus='virtio'/>"
                          f"<shareable/></disk>")
        self.virsh_ok("attach-device", "b", disk, "--live")
        # as libvirtd: the attached disk has no host cache
        self.assertEqual(shareable_steps.disk_driver(self.virsh_ok("dumpxml", "b")),
                         "<driver name='qemu' type='raw' cache='none'/>")
        private = self.write("private.xml", open(disk).read().replace("<shareable/>", "")
                             .replace("vdb", "vdc"))
        err = self.virsh_fails("attach-device", "b", private, "--live")
        self.assertIn('Failed to get shared "write" lock', err)

    def test_qcow2_shareable_refused_at_define_and_attach(self):
        qcow2 = os.path.join(self.daemon.root, "shared.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", qcow2, "16M"], check=True)
        xml = shareable_steps.guest("q", qcow2, True).replace("type='raw'", "type='qcow2'")
        err = self.virsh_fails("define", self.write("q.xml", xml))
        self.assertIn("error: unsupported configuration: shared access for disk 'vda' requires "
                      "use of supported storage format", err)
        self.assertNotIn("q", self.virsh_ok("list", "--all", "--name").split())
        # read-only, it may be shared whatever its format
        self.virsh_ok("define", self.write("q.xml", xml.replace("<shareable/>", "<shareable/><readonly/>")))
        disk = self.write("disk.xml", f"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                          f"<source file='{qcow2}'/><target dev='vdb' bus='virtio'/><shareable/></disk>")
        before = self.virsh_ok("dumpxml", "--inactive", "q")
        for where in ("--config", "--live"):
            if where == "--live":
                self.virsh_ok("start", "q")
            err = self.virsh_fails("attach-device", "q", disk, where)
            self.assertIn("error: unsupported configuration: shared access for disk 'vdb' requires "
                          "use of supported storage format", err)
        self.assertEqual(self.virsh_ok("dumpxml", "--inactive", "q"), before)
        self.assertNotIn("vdb", self.virsh_ok("dumpxml", "q"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
