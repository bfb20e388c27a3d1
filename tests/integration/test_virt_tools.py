"""virt-install, virt-xml and virt-clone (Debian's virtinst 4.1) against
virtqemud, as issue 8 tried them: virt-install's default guest for an OS it
cannot detect (a pc guest with the ICH9 USB set and a user network), then
`virt-xml --edit --vcpus 2` and a device added by virt-xml, both checked in
dumpxml, then virt-clone of the stopped guest and a start of the clone.
virtstoraged runs beside virtqemud under one root: the disk is a raw volume
of the pool `default` made here (virt-install would otherwise make that pool
at the host's /var/lib/libvirt/images).  `--cpu qemu64`: virt-install's
default, host-passthrough, fails on a nested host like this one even under
libvirtd (QEMU cannot set MSR 0x10a)."""
import os
import re
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_storage_guests as sg  # noqa: E402
from harness import run  # noqa: E402


@unittest.skipUnless(sg.HAVE_VIRTSTORAGED and sg.HAVE_VIRT_INSTALL,
                     "needs virtstoraged and virt-install")
class VirtTools(sg.VirtinstDaemons):
    def test_install_edit_clone_start(self):
        self.st_virsh_ok("vol-create-as", "default", "g1.raw", "64M", "--format", "raw")
        g1_img = os.path.join(self.images, "g1.raw")
        virt_type = [] if os.access("/dev/kvm", os.R_OK | os.W_OK) else ["--virt-type", "qemu"]
        r = self.tool("virt-install", "--name", "g1", "--memory", "128", "--vcpus", "1",
                      "--disk", f"source.file={g1_img},driver.type=raw,target.bus=virtio",
                      "--network", "user,model=virtio", "--graphics", "none",
                      "--osinfo", "detect=on,require=off", "--import", "--noautoconsole",
                      "--cpu", "qemu64", *virt_type)
        self.assertNotIn("Failed to get expanded CPU XML", r.stdout + r.stderr)
        self.assertIn("running", self.virsh_ok("domstate", "g1"))
        xml = self.virsh_ok("dumpxml", "--inactive", "g1")
        # the ICH9 set of a pc guest: one index, one slot
        self.assertEqual(re.findall(r"<controller type='usb' index='(\d+)' model='ich9-", xml),
                         ["0"] * 4, xml)

        # virt-xml redefines the running guest: the config changes, the
        # live guest does not
        self.tool("virt-xml", "g1", "--edit", "--vcpus", "2")
        self.tool("virt-xml", "g1", "--add-device", "--network", "user,model=e1000")
        inactive = self.virsh_ok("dumpxml", "--inactive", "g1")
        self.assertRegex(inactive, r"<vcpu placement='static'>2</vcpu>")
        self.assertEqual(len(re.findall(r"<interface type='user'>", inactive)), 2, inactive)
        self.assertIn("<model type='e1000'/>", inactive)
        live = self.virsh_ok("dumpxml", "g1")
        self.assertRegex(live, r"<vcpu placement='static'>1</vcpu>")
        self.assertEqual(len(re.findall(r"<interface type='user'>", live)), 1, live)

        # the next start takes the new config
        self.virsh_ok("destroy", "g1")
        self.virsh_ok("start", "g1")
        argv = self.qemu_cmdline("g1")
        self.assertEqual(argv[argv.index("-smp") + 1].split(",")[0], "2")
        self.assertTrue(any(a.startswith('{"driver":"e1000"') for a in argv), argv)
        self.virsh_ok("destroy", "g1")

        # virt-clone: a copy of the disk in the pool, a new name, UUID, MAC
        self.tool("virt-clone", "--original", "g1", "--name", "c1", "--auto-clone")
        clone = self.virsh_ok("dumpxml", "--inactive", "c1")
        c1_img = os.path.join(self.images, "c1.raw")
        self.assertIn(f"<source file='{c1_img}'/>", clone)
        self.assertEqual(run(["qemu-img", "compare", "-q", g1_img, c1_img]).returncode, 0)
        macs = lambda x: set(re.findall(r"<mac address='([0-9a-f:]+)'/>", x))  # noqa: E731
        self.assertFalse(macs(clone) & macs(inactive))
        self.assertNotEqual(self.virsh_ok("domuuid", "c1"), self.virsh_ok("domuuid", "g1"))
        self.virsh_ok("start", "c1")
        self.assertIn("running", self.virsh_ok("domstate", "c1"))
        self.assertIn(c1_img, " ".join(self.qemu_cmdline("c1")))
        self.virsh_ok("destroy", "c1")


if __name__ == "__main__":
    unittest.main()
