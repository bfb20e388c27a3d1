"""virtnodedevd driven by Debian's virsh and python3-libvirt.

- On the host: every listing and dumpxml checked against what this test reads
  itself from sysfs, `lspci -n` and `ip link`, and compared with the
  reference libvirtd 9.0 of this machine (qemu:///system) device by device.
- Events: the daemon in a network and mount namespace of the test's own
  (`ip netns exec` mounts a fresh sysfs); a veth pair added and removed there
  is reported CREATED / DELETED within a second and the list follows.
- mdevs on a fake sysfs: the daemon in a mount namespace whose /sys is a
  tree this test builds (a PCI device offering an mdev type); a thread of the
  test plays the kernel's part (the create and remove files).
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Daemon, VirshMixin, start_libvirt_event_loop, virsh, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

REFERENCE = "qemu:///system"
RNG = "/usr/share/libvirt/schemas/nodedev.rng"


def reference_available():
    return virsh(REFERENCE, "nodedev-list").returncode == 0


def sanitize(text):
    return re.sub(r"[^A-Za-z0-9]", "_", text)


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def link_name(path):
    try:
        return os.path.basename(os.readlink(path))
    except OSError:
        return None


def capability_types(xml):
    """The top-level capability types of a dumpxml (nested ones left out)."""
    return re.findall(r"^  <capability type='([^']+)'>", xml, re.M)


class HostDevicesTest(VirshMixin, unittest.TestCase):
    """One daemon on the host for every test of the class (read-only use)."""

    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon("virtnodedevd").start()
        cls.uri = cls.daemon.uri()
        cls.names = cls.list_names()
        cls.xml = {n: cls.dumpxml(n) for n in cls.names}

    @classmethod
    def tearDownClass(cls):
        cls.daemon.cleanup()

    @classmethod
    def list_names(cls, *args):
        r = virsh(cls.uri, "nodedev-list", *args)
        assert r.returncode == 0, r.stderr
        return sorted(r.stdout.split())

    @classmethod
    def dumpxml(cls, name):
        r = virsh(cls.uri, "nodedev-dumpxml", name)
        assert r.returncode == 0, r.stderr
        return r.stdout

    def by_path(self):
        out = {}
        for name, xml in self.xml.items():
            m = re.search(r"<path>(.*)</path>", xml)
            if m:
                out[m.group(1)] = name
        return out

    def parent_of(self, name):
        return re.search(r"<parent>(.*)</parent>", self.xml[name]).group(1)

    def expected_parent(self, syspath):
        """The nearest sysfs ancestor that is a listed device, else computer."""
        paths = self.by_path()
        p = syspath
        while p != "/":
            p = os.path.dirname(p)
            if p in paths:
                return paths[p]
        return "computer"

    # --- against what the test reads itself ---

    def test_every_pci_device_of_lspci(self):
        out = subprocess.run(["lspci", "-Dn"], capture_output=True, text=True, check=True).stdout
        seen = 0
        for line in out.splitlines():
            m = re.match(r"([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) ([0-9a-f]{4}): "
                         r"([0-9a-f]{4}):([0-9a-f]{4})(?:.*prog-if ([0-9a-f]{2}))?", line)
            self.assertTrue(m, line)
            dom, bus, slot, fn, cls_, ven, dev, progif = m.groups()
            name = f"pci_{dom}_{bus}_{slot}_{fn}"
            self.assertIn(name, self.names)
            xml = self.xml[name]
            sysdir = f"/sys/bus/pci/devices/{dom}:{bus}:{slot}.{fn}"
            self.assertIn(f"<class>0x{cls_}{progif or '00'}</class>", xml)
            self.assertIn(f"<domain>{int(dom, 16)}</domain>", xml)
            self.assertIn(f"<bus>{int(bus, 16)}</bus>", xml)
            self.assertIn(f"<slot>{int(slot, 16)}</slot>", xml)
            self.assertIn(f"<function>{int(fn, 16)}</function>", xml)
            self.assertIn(f"<product id='0x{dev}'", xml)
            self.assertIn(f"<vendor id='0x{ven}'", xml)
            self.assertIn(f"<path>{os.path.realpath(sysdir)}</path>", xml)
            driver = link_name(f"{sysdir}/driver")
            if driver:
                self.assertIn(f"<driver>\n    <name>{driver}</name>\n  </driver>", xml)
            else:
                self.assertNotIn("<driver>", xml)
            numa = int(read(f"{sysdir}/numa_node", "-1"))
            self.assertEqual(f"<numa node='{numa}'/>" in xml, numa >= 0)
            group = link_name(f"{sysdir}/iommu_group")
            self.assertEqual(f"<iommuGroup number='{group}'>" in xml, group is not None)
            big_config = os.path.getsize(f"{sysdir}/config") > 256
            if big_config:
                self.assertIn("<pci-express", xml)
            self.assertEqual(self.parent_of(name), self.expected_parent(os.path.realpath(sysdir)))
            seen += 1
        pci = [n for n in self.names if n.startswith("pci_")]
        self.assertEqual(seen, len(pci), "a PCI device lspci does not show is listed")
        self.assertGreater(seen, 0)

    def test_every_interface_of_ip_link(self):
        out = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True,
                             check=True).stdout
        seen = 0
        for line in out.splitlines():
            m = re.match(r"\d+: ([^:@]+)[:@].*link/\S+ ([0-9a-f:]+)", line)
            if not m:
                continue
            ifname, mac = m.groups()
            name = f"net_{sanitize(ifname)}_{sanitize(mac)}"
            self.assertIn(name, self.names)
            xml = self.xml[name]
            self.assertIn(f"<interface>{ifname}</interface>", xml)
            self.assertIn(f"<address>{mac}</address>", xml)
            state = read(f"/sys/class/net/{ifname}/operstate")
            self.assertIn(f"state='{state}'", xml)
            self.assertIn("<capability type='80203'/>", xml)
            syspath = os.path.realpath(f"/sys/class/net/{ifname}")
            self.assertEqual(self.parent_of(name), self.expected_parent(syspath))
            seen += 1
        self.assertEqual(seen, len([n for n in self.names if n.startswith("net_")]))

    def test_every_disk_of_sysfs(self):
        """Disks libvirt lists without udevd: vd* (no ID_TYPE here), never
        loop, ram or zram."""
        disks = [os.path.basename(p) for p in glob.glob("/sys/block/*")]
        listed = [n for n in self.names if n.startswith("block_")]
        expected = [d for d in disks if d.startswith("vd")]
        self.assertEqual(sorted(f"block_{d}" for d in expected),
                         sorted(n for n in listed if n.split("_")[1] in expected))
        for d in disks:
            if re.match(r"(loop|ram|zram)", d):
                self.assertFalse([n for n in listed if n.startswith(f"block_{d}")])
        for d in expected:
            xml = self.xml[f"block_{d}"]
            blocks = int(read(f"/sys/block/{d}/size"))
            lbs = int(read(f"/sys/block/{d}/queue/logical_block_size"))
            self.assertIn(f"<block>/dev/{d}</block>", xml)
            self.assertIn(f"<devnode type='dev'>/dev/{d}</devnode>", xml)
            self.assertIn(f"<size>{blocks * lbs}</size>", xml)
            self.assertIn(f"<num_blocks>{blocks}</num_blocks>", xml)
            syspath = os.path.realpath(f"/sys/block/{d}")
            self.assertEqual(self.parent_of(f"block_{d}"), self.expected_parent(syspath))

    def test_computer(self):
        xml = self.xml["computer"]
        self.assertIn("<capability type='system'>", xml)
        uuid_ = read("/sys/class/dmi/id/product_uuid") or "00000000-0000-0000-0000-000000000000"
        self.assertIn(f"<uuid>{uuid_}</uuid>", xml)
        self.assertNotIn("<parent>", xml)
        info = self.virsh_ok("nodedev-info", "computer")
        self.assertRegex(info, r"Persistent:\s+yes")
        self.assertRegex(info, r"Autostart:\s+yes")
        for name in self.names:
            if name != "computer":
                info = self.virsh_ok("nodedev-info", name)
                self.assertRegex(info, r"Active:\s+yes")
                self.assertRegex(info, r"Persistent:\s+no")
                self.assertRegex(info, r"Autostart:\s+no")

    def test_xml_valid_against_rng(self):
        for name, xml in self.xml.items():
            with tempfile.NamedTemporaryFile("w", suffix=".xml") as f:
                f.write(xml)
                f.flush()
                r = subprocess.run(["xmllint", "--noout", "--relaxng", RNG, f.name],
                                   capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, f"{name}: {r.stderr}\n{xml}")

    def test_cap_filters(self):
        caps = {}
        for name, xml in self.xml.items():
            for t in capability_types(xml):
                caps.setdefault(t, set()).add(name)
        for t in ["system", "pci", "usb_device", "usb", "net", "scsi_host", "scsi_target",
                  "scsi", "storage", "fc_host", "vports", "scsi_generic", "drm", "mdev_types",
                  "mdev", "ccw", "css", "vdpa", "ap_card", "ap_queue", "ap_matrix", "vpd"]:
            self.assertEqual(self.list_names("--cap", t), sorted(caps.get(t, ())), t)
        self.assertEqual(self.list_names("--cap", "pci,net"),
                         sorted(caps["pci"] | caps["net"]))
        self.assertEqual(self.list_names("--inactive"), [])
        self.assertEqual(self.list_names("--all"), self.names)
        err = self.virsh_fails("nodedev-list", "--cap", "bogus")
        self.assertIn("Invalid capability type", err)

    def test_python_calls(self):
        conn = libvirt.open(self.uri)
        self.addCleanup(conn.close)
        self.assertEqual(sorted(conn.listDevices(None, 0)), self.names)
        self.assertEqual(conn.numOfDevices(None, 0), len(self.names))
        nets = sorted(n for n in self.names if n.startswith("net_"))
        self.assertEqual(sorted(conn.listDevices("net", 0)), nets)
        self.assertEqual(conn.numOfDevices("net", 0), len(nets))
        self.assertEqual(conn.numOfDevices("bogus", 0), 0)
        all_pci = conn.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV)
        self.assertEqual(sorted(d.name() for d in all_pci),
                         sorted(n for n in self.names if n.startswith("pci_")))
        dev = conn.nodeDeviceLookupByName(self.names[-1])
        self.assertEqual(dev.listCaps(), capability_types(self.xml[self.names[-1]]))
        self.assertEqual(dev.numOfCaps(), len(dev.listCaps()))
        self.assertEqual(dev.parent(), self.parent_of(self.names[-1]))
        self.assertIsNone(conn.nodeDeviceLookupByName("computer").parent())
        with self.assertRaises(libvirt.libvirtError) as e:
            conn.nodeDeviceLookupSCSIHostByWWN("2101001b32a90002", "2101001b32a90001", 0)
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_NO_NODE_DEVICE)
        with self.assertRaises(libvirt.libvirtError) as e:
            conn.listAllDevices(1 << 29)
        self.assertIn("unsupported flags", str(e.exception))

    def test_unknown_names(self):
        for cmd in ("nodedev-dumpxml", "nodedev-info", "nodedev-destroy", "nodedev-undefine",
                    "nodedev-start"):
            err = self.virsh_fails(cmd, "nosuch")
            self.assertIn("Could not find matching device 'nosuch'", err)
            self.assertIn("Node device not found: no node device with matching name 'nosuch'",
                          err)

    def test_not_an_mdev(self):
        pci = [n for n in self.names if n.startswith("pci_")][0]
        self.assertIn("unsupported configuration: Unsupported device type",
                      self.virsh_fails("nodedev-destroy", pci))
        self.assertIn(f"Requested operation is not valid: Node device '{pci}' is not defined",
                      self.virsh_fails("nodedev-undefine", pci))
        self.assertIn("Requested operation is not valid: Device is already active",
                      self.virsh_fails("nodedev-start", pci))
        self.assertIn("Operation not supported: Unsupported device type",
                      self.virsh_fails("nodedev-autostart", pci))

    BAD_XML = {
        "no-type": ("<device><parent>{p}</parent><capability type='mdev'><uuid>"
                    "b1ae8bf6-38b0-4c81-9d44-78ce3f520496</uuid></capability></device>",
                    "unsupported configuration: missing type id attribute for 'new device'"),
        "no-caps": ("<device><parent>{p}</parent></device>",
                    "internal error: no device capabilities for 'new device'"),
        "bad-cap": ("<device><parent>{p}</parent><capability type='bogus'/></device>",
                    "XML error: Invalid value for attribute 'type' in element 'capability': "
                    "'bogus'."),
        "truncated": ("<device><parent>{p}", "Premature end of data in tag parent line 1"),
        "root": ("<nope/>", "XML error: expecting root element of 'device', not 'nope'"),
        "parent": ("<device><parent>nosuch</parent><capability type='mdev'><type id='x'/>"
                   "</capability></device>",
                   "unsupported configuration: invalid parent device 'nosuch'"),
        "no-parent": ("<device><capability type='mdev'><type id='x'/></capability></device>",
                      "unsupported configuration: missing parent device"),
        "uuid": ("<device><parent>{p}</parent><capability type='mdev'><type id='x'/>"
                 "<uuid>notauuid</uuid></capability></device>",
                 "internal error: Invalid uuid 'notauuid' for new mdev device"),
        "not-mdev": ("<device><parent>computer</parent><capability type='drm'><type>primary"
                     "</type></capability></device>",
                     "unsupported configuration: Unsupported device type"),
        # this host has no mdev types: libvirt 9.0 stops at its missing mdevctl
        "no-types": ("<device><parent>{p}</parent><capability type='mdev'><type id='x'/>"
                     "</capability></device>",
                     "Cannot find 'mdevctl' in path: No such file or directory"),
    }

    def test_malformed_mdev_xml(self):
        pci = [n for n in self.names if n.startswith("pci_")][0]
        for key, (xml, message) in self.BAD_XML.items():
            path = self.write(f"{key}.xml", xml.format(p=pci))
            for cmd in ("nodedev-create", "nodedev-define"):
                self.assertIn(message, self.virsh_fails(cmd, path), f"{key} {cmd}")
        self.assertEqual(self.list_names(), self.names)

    # --- against the reference libvirtd of this machine ---

    def test_same_as_libvirtd(self):
        """Names, parents and the XML of every device as libvirtd 9.0 gives
        them.  Nothing is normalised: both read the same host."""
        if not reference_available():
            self.skipTest("no reference libvirtd (/work/shared/tools/reference-libvirtd start)")
        theirs = sorted(virsh(REFERENCE, "nodedev-list").stdout.split())
        self.assertEqual(self.names, theirs)
        for name in self.names:
            self.assertEqual(self.xml[name], virsh(REFERENCE, "nodedev-dumpxml", name).stdout,
                             name)
            self.assertEqual(self.virsh_ok("nodedev-info", name),
                             virsh(REFERENCE, "nodedev-info", name).stdout, name)
        for t in ("system", "pci", "net", "storage", "scsi_host", "usb_device", "mdev_types"):
            self.assertEqual(self.list_names("--cap", t),
                             sorted(virsh(REFERENCE, "nodedev-list", "--cap", t).stdout.split()))
        self.assertEqual(self.virsh_ok("nodedev-list", "--tree"),
                         virsh(REFERENCE, "nodedev-list", "--tree").stdout)

    def test_same_errors_as_libvirtd(self):
        if not reference_available():
            self.skipTest("no reference libvirtd")
        pci = [n for n in self.names if n.startswith("pci_")][0]
        cases = [("nodedev-dumpxml", "nosuch"), ("nodedev-destroy", pci),
                 ("nodedev-undefine", pci), ("nodedev-start", pci), ("nodedev-autostart", pci),
                 ("nodedev-list", "--cap", "bogus")]
        for key, (xml, _) in self.BAD_XML.items():
            path = self.write(f"{key}.xml", xml.format(p=pci))
            cases += [("nodedev-create", path), ("nodedev-define", path)]
        for args in cases:
            self.assertEqual(virsh(self.uri, *args).stderr, virsh(REFERENCE, *args).stderr, args)


class ThroughVirtqemudTest(VirshMixin, unittest.TestCase):
    """A qemu:///system connection to virtqemud answers node device calls
    by passing them to virtnodedevd under the same --root."""

    def setUp(self):
        self.nodedev = Daemon("virtnodedevd").start()
        self.addCleanup(self.nodedev.cleanup)
        self.daemon = Daemon("virtqemud", root=self.nodedev.root).start()
        self.addCleanup(self.daemon.stop)

    def test_list_dumpxml_and_errors(self):
        ours = sorted(virsh(self.nodedev.uri(), "nodedev-list").stdout.split())
        self.assertEqual(sorted(self.virsh_ok("nodedev-list").split()), ours)
        self.assertEqual(self.virsh_ok("nodedev-dumpxml", "computer"),
                         virsh(self.nodedev.uri(), "nodedev-dumpxml", "computer").stdout)
        self.assertIn("no node device with matching name 'nosuch'",
                      self.virsh_fails("nodedev-info", "nosuch"))


def ns_run(ns, *cmd):
    return subprocess.run(["ip", "netns", "exec", ns] + list(cmd), capture_output=True,
                          text=True, check=True)


class NamespaceEventsTest(VirshMixin, unittest.TestCase):
    """virtnodedevd in a network namespace with its own sysfs: veths come
    and go, without udevd."""

    def setUp(self):
        self.ns = f"vk-{uuid.uuid4().hex[:8]}"
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], check=False)
        self.daemon = Daemon("virtnodedevd", wrapper=["ip", "netns", "exec", self.ns])
        self.addCleanup(self.daemon.cleanup)
        self.daemon.start()
        self.uri = self.daemon.uri()

    def names(self):
        return self.virsh_ok("nodedev-list").split()

    def veth_names(self):
        macs = {}
        for ifname in ("vkev0", "vkev1"):
            mac = ns_run(self.ns, "cat", f"/sys/class/net/{ifname}/address").stdout.strip()
            macs[ifname] = f"net_{ifname}_{sanitize(mac)}"
        return macs

    def test_only_the_namespace_interfaces(self):
        self.assertEqual(sorted(n for n in self.names() if n.startswith("net_")),
                         ["net_lo_00_00_00_00_00_00"])

    def test_veth_created_and_deleted_events(self):
        start_libvirt_event_loop()
        conn = libvirt.open(self.uri)
        self.addCleanup(conn.close)
        seen = []
        cond = threading.Condition()

        def callback(conn_, dev, event, detail, opaque):
            with cond:
                seen.append((dev.name(), event, time.monotonic()))
                cond.notify_all()

        cb = conn.nodeDeviceEventRegisterAny(None, libvirt.VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
                                             callback, None)
        self.addCleanup(conn.nodeDeviceEventDeregisterAny, cb)
        virsh_events = subprocess.Popen(["virsh", "-c", self.uri, "nodedev-event", "--event",
                                         "lifecycle", "--loop", "--timeout", "20"],
                                        stdout=subprocess.PIPE, text=True)
        self.addCleanup(virsh_events.kill)
        time.sleep(0.5)   # virsh has registered

        t0 = time.monotonic()
        ns_run(self.ns, "ip", "link", "add", "vkev0", "type", "veth", "peer", "name", "vkev1")
        names = self.veth_names()
        with cond:
            cond.wait_for(lambda: {n for n, e, _ in seen
                                   if e == libvirt.VIR_NODE_DEVICE_EVENT_CREATED}
                          >= set(names.values()), timeout=1.0)
        created = [(n, t) for n, e, t in seen if e == libvirt.VIR_NODE_DEVICE_EVENT_CREATED]
        self.assertEqual(sorted(n for n, _ in created), sorted(names.values()), seen)
        self.assertLess(max(t for _, t in created) - t0, 1.0)
        self.assertTrue(set(names.values()) <= set(self.names()))
        xml = self.virsh_ok("nodedev-dumpxml", names["vkev0"])
        self.assertIn("<interface>vkev0</interface>", xml)
        self.assertIn("<parent>computer</parent>", xml)

        # a rename is the kernel's "move": the old name goes, the new comes
        mac1 = names["vkev1"][len("net_vkev1_"):]
        renamed = f"net_vkev9_{mac1}"
        ns_run(self.ns, "ip", "link", "set", "vkev1", "name", "vkev9")
        with cond:
            cond.wait_for(lambda: (renamed, libvirt.VIR_NODE_DEVICE_EVENT_CREATED)
                          in [(n, e) for n, e, _ in seen], timeout=1.0)
        self.assertIn((names["vkev1"], libvirt.VIR_NODE_DEVICE_EVENT_DELETED),
                      [(n, e) for n, e, _ in seen])
        self.assertIn(renamed, self.names())
        self.assertNotIn(names["vkev1"], self.names())
        del seen[:]
        names["vkev1"] = renamed

        t1 = time.monotonic()
        ns_run(self.ns, "ip", "link", "del", "vkev0")
        with cond:
            cond.wait_for(lambda: len([1 for _, e, _ in seen
                                       if e == libvirt.VIR_NODE_DEVICE_EVENT_DELETED]) >= 2,
                          timeout=1.0)
        deleted = [(n, t) for n, e, t in seen if e == libvirt.VIR_NODE_DEVICE_EVENT_DELETED]
        self.assertEqual(sorted(n for n, _ in deleted), sorted(names.values()), seen)
        self.assertLess(max(t for _, t in deleted) - t1, 1.0)
        self.assertFalse(set(names.values()) & set(self.names()))

        virsh_events.terminate()
        out = virsh_events.communicate(timeout=10)[0]
        for name in names.values():
            self.assertIn(f"event 'lifecycle' for node device {name}: Created", out)
            self.assertIn(f"event 'lifecycle' for node device {name}: Deleted", out)
        self.assertIn(f"event 'lifecycle' for node device net_vkev1_{mac1}: Deleted", out)


MDEV_TYPE = "nvidia-63"
PCI_NAME = "0000:00:02.0"


class FakeSysfs:
    """A sysfs tree with one PCI device offering one mdev type, and a thread
    doing what the kernel does with its create and remove files."""

    def __init__(self, root):
        self.root = root
        self.pci = os.path.join(root, "devices", "pci0000:00", PCI_NAME)
        os.makedirs(os.path.join(root, "bus", "mdev", "devices"))
        os.makedirs(os.path.join(root, "bus", "pci", "devices"))
        os.makedirs(os.path.join(root, "class"))
        os.makedirs(os.path.join(root, "kernel", "iommu_groups", "7"))
        os.makedirs(self.pci)
        self.write(self.pci, "uevent", "DRIVER=nvidia\nPCI_CLASS=30000\nPCI_ID=10DE:1EB8\n"
                                       f"PCI_SLOT_NAME={PCI_NAME}\n")
        for f, v in (("vendor", "0x10de"), ("device", "0x1eb8"), ("class", "0x030000"),
                     ("numa_node", "-1"), ("subsystem_vendor", "0x10de"),
                     ("subsystem_device", "0x12a2")):
            self.write(self.pci, f, v + "\n")
        with open(os.path.join(self.pci, "config"), "wb") as f:
            f.write(b"\xde\x10\xb8\x1e" + bytes(60))
        os.symlink("../../../bus/pci", os.path.join(self.pci, "subsystem"))
        os.makedirs(os.path.join(root, "bus", "pci", "drivers", "nvidia"))
        os.symlink("../../../bus/pci/drivers/nvidia", os.path.join(self.pci, "driver"))
        os.symlink(f"../../../devices/pci0000:00/{PCI_NAME}",
                   os.path.join(root, "bus", "pci", "devices", PCI_NAME))
        self.type_dir = os.path.join(self.pci, "mdev_supported_types", MDEV_TYPE)
        os.makedirs(self.type_dir)
        for f, v in (("name", "GRID T4-2B"), ("device_api", "vfio-pci"),
                     ("available_instances", "8"), ("create", "")):
            self.write(self.type_dir, f, v + ("\n" if v else ""))
        self.writes = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.kernel, daemon=True)
        self.thread.start()

    @staticmethod
    def write(d, f, text):
        with open(os.path.join(d, f), "w") as fh:
            fh.write(text)

    def available(self):
        return int(read(os.path.join(self.type_dir, "available_instances")))

    def kernel(self):
        create = os.path.join(self.type_dir, "create")
        while not self.stop.wait(0.01):
            text = read(create, "")
            if text:
                self.writes.append(("create", text))
                self.write(self.type_dir, "create", "")
                self.make_mdev(text)
            for d in glob.glob(os.path.join(self.pci, "*-*-*-*-*")):
                if read(os.path.join(d, "remove"), "") == "1":
                    self.writes.append(("remove", os.path.basename(d)))
                    os.unlink(os.path.join(self.root, "bus", "mdev", "devices",
                                           os.path.basename(d)))
                    shutil.rmtree(d)
                    self.write(self.type_dir, "available_instances",
                               f"{self.available() + 1}\n")

    def make_mdev(self, uuid_):
        d = os.path.join(self.pci, uuid_)
        os.makedirs(d)
        # the links come last, as the kernel's do: the daemon must wait for them
        self.write(d, "uevent", "")
        time.sleep(0.05)
        self.write(d, "uevent", f"MDEV_TYPE={MDEV_TYPE}\n")
        self.write(d, "remove", "")
        os.symlink("../../../../bus/mdev", os.path.join(d, "subsystem"))
        os.symlink("../../../../kernel/iommu_groups/7", os.path.join(d, "iommu_group"))
        os.symlink(f"../mdev_supported_types/{MDEV_TYPE}", os.path.join(d, "mdev_type"))
        os.symlink(f"../../../devices/pci0000:00/{PCI_NAME}/{uuid_}",
                   os.path.join(self.root, "bus", "mdev", "devices", uuid_))
        self.write(self.type_dir, "available_instances", f"{self.available() - 1}\n")


class FakeSysfsMdevTest(VirshMixin, unittest.TestCase):
    """mdevs on a fake sysfs mounted over /sys in the daemon's own mount
    namespace (this host offers no mdev types)."""

    UUID = "b1ae8bf6-38b0-4c81-9d44-78ce3f520496"
    NAME = "mdev_b1ae8bf6_38b0_4c81_9d44_78ce3f520496_0000_00_02_0"
    PARENT = "pci_0000_00_02_0"

    def setUp(self):
        self.tree = tempfile.mkdtemp(prefix="virtkit-fake-sysfs-")
        self.addCleanup(shutil.rmtree, self.tree, ignore_errors=True)
        self.sysfs = FakeSysfs(self.tree)
        self.addCleanup(self.sysfs.stop.set)
        # libudev refuses a /sys that is no sysfs unless told (systemd's own
        # tests use the same switch for their trees)
        mount = 'mount --bind "$0" /sys && SYSTEMD_DEVICE_VERIFY_SYSFS=0 exec "$@"'
        self.daemon = Daemon("virtnodedevd", wrapper=["unshare", "-m", "--propagation",
                                                      "private", "sh", "-c", mount, self.tree])
        self.addCleanup(self.daemon.cleanup)
        self.daemon.start()

    def mdev_xml(self, uuid_=UUID, type_=MDEV_TYPE):
        uuid_elem = f"<uuid>{uuid_}</uuid>" if uuid_ else ""
        return self.write("mdev.xml", f"<device><parent>{self.PARENT}</parent>"
                                      f"<capability type='mdev'><type id='{type_}'/>"
                                      f"{uuid_elem}</capability></device>")

    def test_parent_offers_its_types(self):
        self.assertEqual(self.virsh_ok("nodedev-list").split(), ["computer", self.PARENT])
        self.assertEqual(self.virsh_ok("nodedev-list", "--cap", "mdev_types").split(),
                         [self.PARENT])
        xml = self.virsh_ok("nodedev-dumpxml", self.PARENT)
        self.assertIn("    <capability type='mdev_types'>\n"
                      f"      <type id='{MDEV_TYPE}'>\n"
                      "        <name>GRID T4-2B</name>\n"
                      "        <deviceAPI>vfio-pci</deviceAPI>\n"
                      "        <availableInstances>8</availableInstances>\n"
                      "      </type>\n    </capability>\n", xml)
        self.assertIn("<driver>\n    <name>nvidia</name>", xml)
        conn = libvirt.open(self.daemon.uri())
        self.addCleanup(conn.close)
        self.assertEqual(conn.nodeDeviceLookupByName(self.PARENT).listCaps(),
                         ["pci", "mdev_types"])

    def test_create_and_destroy(self):
        out = self.virsh_ok("nodedev-create", self.mdev_xml())
        self.assertIn(f"Node device {self.NAME} created", out)
        self.assertEqual(self.sysfs.writes, [("create", self.UUID)])
        self.assertEqual(self.virsh_ok("nodedev-list", "--cap", "mdev").split(), [self.NAME])
        xml = self.virsh_ok("nodedev-dumpxml", self.NAME)
        self.assertIn(f"<parent>{self.PARENT}</parent>", xml)
        self.assertIn(f"<capability type='mdev'>\n    <type id='{MDEV_TYPE}'/>\n"
                      f"    <uuid>{self.UUID}</uuid>\n"
                      f"    <parent_addr>{PCI_NAME}</parent_addr>\n"
                      "    <iommuGroup number='7'/>\n  </capability>", xml)
        self.assertIn("<availableInstances>7</availableInstances>",
                      self.virsh_ok("nodedev-dumpxml", self.PARENT))
        info = self.virsh_ok("nodedev-info", self.NAME)
        self.assertRegex(info, r"Persistent:\s+no")
        self.virsh_ok("nodedev-destroy", self.NAME)
        self.assertEqual(self.sysfs.writes[-1], ("remove", self.UUID))
        self.assertNotIn(self.NAME, self.virsh_ok("nodedev-list", "--all"))
        self.assertIn("Could not find matching device",
                      self.virsh_fails("nodedev-dumpxml", self.NAME))

    def test_create_picks_a_uuid(self):
        out = self.virsh_ok("nodedev-create", self.mdev_xml(uuid_=None))
        name = re.search(r"Node device (\S+) created", out).group(1)
        created = self.sysfs.writes[0][1]
        self.assertEqual(name, "mdev_" + sanitize(created) + "_0000_00_02_0")
        self.virsh_ok("nodedev-destroy", name)

    def test_define_start_destroy_undefine(self):
        out = self.virsh_ok("nodedev-define", self.mdev_xml())
        self.assertIn(f"Node device '{self.NAME}' defined", out)
        self.assertEqual(self.sysfs.writes, [])
        self.assertEqual(self.virsh_ok("nodedev-list", "--inactive").split(), [self.NAME])
        info = self.virsh_ok("nodedev-info", self.NAME)
        self.assertRegex(info, r"Active:\s+no")
        self.assertRegex(info, r"Persistent:\s+yes")
        self.assertTrue(os.path.exists(os.path.join(self.daemon.root, "etc", "libvirt",
                                                    "nodedev", f"{self.NAME}.xml")))
        self.virsh_ok("nodedev-autostart", self.NAME)
        self.assertRegex(self.virsh_ok("nodedev-info", self.NAME), r"Autostart:\s+yes")
        self.virsh_ok("nodedev-start", self.NAME)
        self.assertEqual(self.sysfs.writes, [("create", self.UUID)])
        self.assertIn(self.NAME, self.virsh_ok("nodedev-list", "--cap", "mdev").split())
        self.assertIn("Device is already active", self.virsh_fails("nodedev-start", self.NAME))
        self.virsh_ok("nodedev-destroy", self.NAME)
        self.assertEqual(self.virsh_ok("nodedev-list", "--inactive").split(), [self.NAME])
        # a restarted daemon finds the definition again, and starts it (autostart)
        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(self.virsh_ok("nodedev-list", "--cap", "mdev").split(), [self.NAME])
        self.assertRegex(self.virsh_ok("nodedev-info", self.NAME), r"Active:\s+yes")
        self.assertEqual(self.sysfs.writes[-1], ("create", self.UUID))
        self.virsh_ok("nodedev-autostart", "--disable", self.NAME)
        self.virsh_ok("nodedev-destroy", self.NAME)
        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(self.virsh_ok("nodedev-list", "--inactive").split(), [self.NAME])
        self.virsh_ok("nodedev-undefine", self.NAME)
        self.assertNotIn(self.NAME, self.virsh_ok("nodedev-list", "--all"))

    def test_type_the_parent_does_not_offer(self):
        err = self.virsh_fails("nodedev-create", self.mdev_xml(type_="nvidia-99"))
        self.assertIn("mediated device type 'nvidia-99' is not supported by "
                      f"'{self.PARENT}'", err)
        self.assertEqual(self.sysfs.writes, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
