"""virsh blockresize against our virtqemud: a running guest's qcow2 disk
grows (and shrinks) through QEMU, by target or by path; errors as
libvirtd 9.0 words them."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
from harness import DaemonTestCase, VirshMixin  # noqa: E402

def virtual_size(image):
    out = subprocess.run(["qemu-img", "info", "-U", "--output=json", image],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["virtual-size"]


class BlockResize(VirshMixin, DaemonTestCase):
    def test_resize(self):
        image = guests.disk_image(self.daemon.root, "rs", "16M")
        xml = guests.minimal("rs", devices=guests.file_disk(image))
        self.virsh_ok("define", self.write("rs.xml", xml))
        err = self.virsh_fails("blockresize", "rs", "vda", "20M")
        self.assertEqual(err, "error: Failed to resize block device 'vda'\n"
                              "error: Requested operation is not valid: domain is not running\n")

        self.virsh_ok("start", "rs")
        self.assertEqual(self.virsh_ok("blockresize", "rs", "vda", "20M"),
                         "Block device 'vda' is resized\n")
        self.assertEqual(virtual_size(image), 20 << 20)
        self.assertIn("Capacity:       20971520\n", self.virsh_ok("domblkinfo", "rs", "vda"))
        # by path, in bytes, rounded up to whole sectors for qcow2 as libvirt does
        self.virsh_ok("blockresize", "rs", image, "22020097B")
        self.assertEqual(virtual_size(image), 22020097 + 511)

        err = self.virsh_fails("blockresize", "rs", "vdz", "20M")
        self.assertEqual(err, "error: Failed to resize block device 'vdz'\n"
                              "error: invalid argument: disk 'vdz' was not found in the domain "
                              "config\n")
        self.virsh_ok("destroy", "rs")


if __name__ == "__main__":
    unittest.main()
