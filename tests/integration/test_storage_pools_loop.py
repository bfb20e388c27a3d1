"""fs, disk and logical pools of virtstoraged on loop devices this test makes
(and always removes), driven by Debian's virsh.  Logical volumes need the
kernel's device-mapper: where `dmsetup targets` fails, only the pool-level
steps run, and the test says so."""
import os
import re
import subprocess
import sys
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Daemon, VirshMixin  # noqa: E402

MIB = 1024 * 1024


def sh(*cmd, check=True):
    return subprocess.run(list(cmd), capture_output=True, text=True, check=check)


def have_device_mapper():
    return sh("dmsetup", "targets", check=False).returncode == 0


class LoopPools(VirshMixin, unittest.TestCase):
    def setUp(self):
        if os.geteuid() != 0:
            self.skipTest("loop devices need root")
        self.daemon = Daemon("virtstoraged")
        self.addCleanup(self.daemon.cleanup)
        self.daemon.start()

    def loop_device(self, size_mib=64):
        image = os.path.join(self.daemon.root, f"disk-{uuid.uuid4().hex[:6]}.img")
        with open(image, "wb") as f:
            f.truncate(size_mib * MIB)
        dev = sh("losetup", "-f", "--show", image).stdout.strip()
        self.addCleanup(sh, "losetup", "-d", dev, check=False)
        return dev

    def define(self, name, xml):
        self.virsh_ok("pool-define", self.write(f"{name}.xml", xml))

    def test_fs_pool_on_a_loop_device(self):
        dev = self.loop_device()
        target = os.path.join(self.daemon.root, "mnt", "fsp")
        self.addCleanup(sh, "umount", target, check=False)
        self.define("fsp", f"""<pool type='fs'><name>fsp</name>
  <source><device path='{dev}'/><format type='ext4'/></source>
  <target><path>{target}</path></target></pool>""")
        # as libvirt: a plain build makes the target only, mkfs needs a flag
        self.virsh_ok("pool-build", "fsp")
        self.assertNotEqual(sh("blkid", "-p", dev, check=False).returncode, 0)
        self.virsh_ok("pool-build", "fsp", "--no-overwrite")
        self.assertIn("ext4", sh("blkid", "-p", "-o", "value", "-s", "TYPE", dev).stdout)
        # formatted already: NO_OVERWRITE refuses
        self.assertIn("error", self.virsh_fails("pool-build", "fsp", "--no-overwrite"))
        self.virsh_ok("pool-start", "fsp")
        with open("/proc/mounts") as f:
            self.assertIn(f"{dev} {target} ext4", f.read())
        self.virsh_ok("vol-create-as", "fsp", "v.qcow2", "8M", "--format", "qcow2")
        self.assertIn("v.qcow2", self.virsh_ok("vol-list", "fsp"))
        self.assertTrue(os.path.exists(os.path.join(target, "v.qcow2")))
        info = self.virsh_ok("pool-info", "--bytes", "fsp")
        st = os.statvfs(target)
        self.assertRegex(info, rf"Capacity:\s+{st.f_blocks * st.f_frsize}\b")
        self.virsh_ok("pool-destroy", "fsp")
        with open("/proc/mounts") as f:
            self.assertNotIn(target, f.read())
        self.virsh_ok("pool-undefine", "fsp")

    def test_disk_pool_partitions_are_volumes(self):
        dev = self.loop_device()
        part = os.path.basename(dev) + "p1"
        self.define("dp", f"""<pool type='disk'><name>dp</name>
  <source><device path='{dev}'/><format type='gpt'/></source>
  <target><path>/dev</path></target></pool>""")
        self.virsh_ok("pool-build", "dp")
        self.assertIn("gpt", sh("parted", "-s", dev, "print").stdout)
        self.virsh_ok("pool-start", "dp")
        self.virsh_ok("vol-create-as", "dp", part, "8M")
        self.assertIn(part, self.virsh_ok("vol-list", "dp"))
        table = sh("parted", "-s", "-m", dev, "unit", "B", "print").stdout
        self.assertRegex(table, r"(?m)^1:")
        self.virsh_ok("vol-delete", "--pool", "dp", part)
        table = sh("parted", "-s", "-m", dev, "unit", "B", "print").stdout
        self.assertNotRegex(table, r"(?m)^1:")
        self.virsh_ok("pool-destroy", "dp")
        self.virsh_ok("pool-undefine", "dp")

    def test_logical_pool(self):
        dev = self.loop_device()
        vg = f"vktest{uuid.uuid4().hex[:6]}"
        self.addCleanup(sh, "vgremove", "-f", vg, check=False)
        self.addCleanup(sh, "pvremove", "-f", dev, check=False)
        self.define("lp", f"""<pool type='logical'><name>lp</name>
  <source><device path='{dev}'/><name>{vg}</name><format type='lvm2'/></source>
  <target><path>/dev/{vg}</path></target></pool>""")
        self.virsh_ok("pool-build", "lp")
        self.assertIn(vg, sh("vgs", "--noheadings", "-o", "vg_name").stdout)
        self.virsh_ok("pool-start", "lp")
        self.assertRegex(self.virsh_ok("pool-list"), r"lp\s+active")
        if have_device_mapper():
            self.virsh_ok("vol-create-as", "lp", "lv1", "8M")
            self.assertIn("lv1", self.virsh_ok("vol-list", "lp"))
            self.virsh_ok("vol-delete", "--pool", "lp", "lv1")
        else:
            sys.stderr.write("[logical] no device-mapper in this kernel: "
                             "pool-level steps only, no logical volumes\n")
        self.virsh_ok("pool-destroy", "lp")
        self.virsh_ok("pool-delete", "lp")
        self.assertNotIn(vg, sh("vgs", "--noheadings", "-o", "vg_name", check=False).stdout)
        self.virsh_ok("pool-undefine", "lp")


if __name__ == "__main__":
    unittest.main(verbosity=2)
