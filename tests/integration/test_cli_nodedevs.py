"""Node device commands of our CLI (and libvirtkit's node device calls
underneath) against our virtnodedevd on this host, compared with what
Debian's virsh prints for the same daemon: output, error lines and exit
codes.  The listing is also compared with the reference libvirtd of this
machine (qemu:///system), read only.

nodedev-detach goes through virtqemud, on a host without an IOMMU only (both
tools are refused before anything is written); reattach and reset are never
tried on a real device, nor is anything but reading tried on the reference.

`virtkit pci-tree --host`: on a fake sysfs this test builds, and on the real
host against `lspci -tv`'s device set."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import CliCompareMixin, Daemon, virsh, virtkit  # noqa: E402

REFERENCE = "qemu:///system"

# libvirt's capability names, each a --cap of nodedev-list
CAPS = ["system", "pci", "usb_device", "usb", "net", "scsi_host", "scsi_target", "scsi",
        "storage", "fc_host", "vports", "scsi_generic", "drm", "mdev_types", "mdev", "ccw",
        "css", "vdpa", "ap_card", "ap_queue", "ap_matrix", "vpd"]


def reference_available():
    return virsh(REFERENCE, "nodedev-list", readonly=True).returncode == 0


class CliNodeDevices(CliCompareMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon("virtnodedevd").start()
        cls.uri = cls.daemon.uri()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.cleanup()

    def names(self):
        r = virsh(self.uri, "nodedev-list")
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.split()

    def test_list(self):
        self.assertIn("computer", self.assertSame("nodedev-list").stdout.split())
        for args in (["--tree"], ["--all"], ["--inactive"], ["--all", "--tree"],
                     ["--cap", "pci,net"], ["--cap", "net", "--all"]):
            self.assertSame("nodedev-list", *args)
        self.assertSame("nodedev-list", readonly=True)

    def test_list_every_cap(self):
        for cap in CAPS:
            self.assertSame("nodedev-list", "--cap", cap)

    def test_list_errors(self):
        for args in (["--cap", "nope"], ["--cap", "pci,"], ["--tree", "--cap", "pci"],
                     ["--tree", "--inactive"], ["--all", "--inactive"]):
            self.assertSame("nodedev-list", *args, ok=False)

    def test_every_device(self):
        names = self.names()
        self.assertTrue(names)
        for name in names:
            self.assertSame("nodedev-dumpxml", name)
            self.assertSame("nodedev-info", name)

    def test_unknown_names(self):
        for cmd in ("nodedev-dumpxml", "nodedev-info", "nodedev-destroy", "nodedev-undefine",
                    "nodedev-autostart", "nodedev-start", "nodedev-detach", "nodedev-reattach",
                    "nodedev-reset"):
            self.assertSame(cmd, "no_such_device", ok=False)
        for value in ("a,b,c", "abc,def", "0x1234567890abcdef,1234567890abcdef"):
            self.assertSame("nodedev-dumpxml", value, ok=False)

    def test_refused_on_host_devices(self):
        """What only mdevs allow is refused on a host device alike: libvirt
        says "Unsupported device type" for undefine of the computer, which
        it holds persistent."""
        for cmd in ("nodedev-destroy", "nodedev-start", "nodedev-undefine"):
            self.assertSame(cmd, "computer", ok=False)
        r = self.assertSame("nodedev-undefine", "computer", ok=False)
        self.assertIn("unsupported configuration: Unsupported device type", r.stderr)

    def test_create_and_define_errors(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        bad = os.path.join(tmp, "bad.xml")
        with open(bad, "w") as f:
            f.write("<device")
        for cmd in ("nodedev-create", "nodedev-define"):
            self.assertSame(cmd, bad, ok=False)
            self.assertSame(cmd, os.path.join(tmp, "missing.xml"), ok=False)

    @unittest.skipUnless(reference_available(), "no reference libvirtd on this machine")
    def test_reference_listing(self):
        for args in (["--tree"], ["--cap", "pci"], ["--cap", "net"]):
            ours = virtkit(REFERENCE, "nodedev-list", *args, readonly=True)
            theirs = virsh(REFERENCE, "nodedev-list", *args, readonly=True)
            self.check_same(ours, theirs, " ".join(args), True)
            # and our daemon sees the host as libvirtd does
            self.assertEqual(virtkit(self.uri, "nodedev-list", *args).stdout, theirs.stdout)


def host_has_iommu():
    groups = "/sys/kernel/iommu_groups"
    return os.path.isdir(groups) and bool(os.listdir(groups))


@unittest.skipIf(host_has_iommu(), "this host has an IOMMU: a detach would really unbind a device")
class CliNodeDeviceDetach(CliCompareMixin, unittest.TestCase):
    def setUp(self):
        self.nodedevd = Daemon("virtnodedevd")
        self.addCleanup(self.nodedevd.cleanup)
        self.nodedevd.start()
        self.qemud = Daemon("virtqemud", root=self.nodedevd.root)
        self.addCleanup(self.qemud.cleanup)
        self.qemud.start()
        self.uri = self.qemud.uri()

    def test_detach_refused_without_iommu(self):
        names = virsh(self.uri, "nodedev-list", "--cap", "pci").stdout.split()
        self.assertTrue(names, "no PCI device listed")
        ours = self.assertSame("nodedev-detach", names[0], ok=False)
        self.assertIn("VFIO device assignment is currently not supported on this system",
                      ours.stderr)
        self.assertSame("nodedev-detach", names[0], "--driver", "vfio", ok=False)
        self.assertSame("nodedev-detach", names[0], "--driver", "xen", ok=False)
        self.assertSame("nodedev-detach", "no_such_device", ok=False)


def fake_device(root, path, vendor, device, klass):
    """A PCI device at sys/devices/PATH with the kernel's bus link."""
    d = os.path.join(root, "sys", "devices", path)
    os.makedirs(d)
    for name, value in (("vendor", vendor), ("device", device), ("class", klass),
                        ("subsystem_vendor", "0x1af4"), ("subsystem_device", "0x1100"),
                        ("numa_node", "-1")):
        with open(os.path.join(d, name), "w") as f:
            f.write(value + "\n")
    links = os.path.join(root, "sys", "bus", "pci", "devices")
    os.makedirs(links, exist_ok=True)
    os.symlink(os.path.join("..", "..", "..", "devices", path),
               os.path.join(links, os.path.basename(path)))


def lspci_devices(text):
    """The devices of `lspci -tv` as "DDDD:BB:SS.F": each bus marker
    ("[0000:00]", "[01]", "[02-03]") holds the entries right of it, down to
    the line where an entry starts left of it."""
    devices, markers, domain = set(), [], "0000"
    token = re.compile(r"\[(?:([0-9a-f]{4}):)?([0-9a-f]{2})(?:-[0-9a-f]{2})?\]"
                       r"|([0-9a-f]{2}\.[0-9a-f])")
    for line in text.splitlines():
        for m in token.finditer(line):
            col = m.start()
            while markers and markers[-1][0] >= col:
                markers.pop()
            if m.group(2):
                domain = m.group(1) or domain
                markers.append((col, f"{domain}:{m.group(2)}"))
            elif markers:
                devices.add(f"{markers[-1][1]}:{m.group(3)}")
    return devices


class CliPciTreeHost(unittest.TestCase):
    def test_fake_sysfs(self):
        root = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, root)
        fake_device(root, "pci0000:00/0000:00:00.0", "0x8086", "0x29c0", "0x060000")
        fake_device(root, "pci0000:00/0000:00:1c.0", "0x8086", "0x2940", "0x060400")
        fake_device(root, "pci0000:00/0000:00:1c.0/0000:01:00.0", "0x1af4", "0x1041",
                    "0x020000")
        r = virtkit("", "pci-tree", "--host", "--root", root)
        self.assertEqual(r.returncode, 0, r.stderr)
        # the blank line after every command's output, as virsh
        self.assertTrue(r.stdout.endswith("\n\n"), r.stdout)
        lines = r.stdout[:-1].splitlines()
        self.assertEqual(lines[0], "bus 0000:00")
        self.assertTrue(lines[1].startswith("├── 00:00.0 [8086:29c0]"), lines)
        self.assertTrue(lines[2].startswith("└── 00:1c.0 [8086:2940]"), lines)
        self.assertTrue(lines[3].startswith("    └── 01:00.0 [1af4:1041]"), lines)
        self.assertTrue(all(line.endswith("driver=none") for line in lines[1:]), lines)
        self.assertEqual(len(lines), 4)

    def test_no_sysfs(self):
        root = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, root)
        r = virtkit("", "pci-tree", "--host", "--root", root)
        self.assertEqual(r.returncode, 1)
        self.assertIn("error: cannot list PCI devices", r.stderr)

    @unittest.skipUnless(shutil.which("lspci") and os.path.isdir("/sys/bus/pci/devices"),
                         "no lspci or no PCI bus")
    def test_real_host(self):
        r = virtkit("", "pci-tree", "--host")
        self.assertEqual(r.returncode, 0, r.stderr)
        ours, bus = set(), None
        for line in r.stdout[:-1].splitlines():
            m = re.match(r"bus ([0-9a-f]{4}):", line)
            if m:
                bus = m.group(1)
                continue
            m = re.search(r"── ([0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f]) \[", line)
            self.assertTrue(m and bus, line)
            ours.add(f"{bus}:{m.group(1)}")
        lspci = subprocess.run(["lspci", "-tv"], capture_output=True, text=True, check=True)
        self.assertEqual(ours, lspci_devices(lspci.stdout))
        self.assertEqual(ours, set(os.listdir("/sys/bus/pci/devices")))


if __name__ == "__main__":
    unittest.main()
