"""Hostdev networks (<forward mode='hostdev'> with a pool of SR-IOV virtual
functions) on a FAKE sysfs tree this test builds: this machine has no
SR-IOV card and no IOMMU, and nothing here reads or writes the real /sys.
virtnetworkd and virtqemud both get VIRTKIT_TEST_PCI_ROOT pointing at the
tree (with IOMMU groups and dev/vfio/vfio, so libvirt's VFIO support check
passes), and run in a network namespace of the test's own.

Nothing in the kernel reacts to writes on a fake tree, so a thread of this
test plays the kernel for driver binding, as the C unit test
test-pci-binding-fake-sysfs does in its write hook: a device written to a
driver's unbind loses its driver link; one written to drivers_probe gets
its driver_override's driver, or its own.  The daemon logs every write to
the tree (ROOT/run/virtkit-fake-sysfs-writes.log) and, instead of netlink,
the VF MAC it would set through the PF (ROOT/run/virtkit-fake-netlink.log).

The tree: the PF 0000:7e:00.0 (igb, interface fakepf0) with four VFs
0000:7e:10.0, .2, .4, .6 (igbvf), each in an IOMMU group of its own."""
import os
import subprocess
import sys
import threading
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guests  # noqa: E402
from harness import Daemon, VirshMixin, virsh  # noqa: E402

PF = "0000:7e:00.0"
VFS = ["0000:7e:10.0", "0000:7e:10.2", "0000:7e:10.4", "0000:7e:10.6"]
NATIVE = {PF: "igb", **{vf: "igbvf" for vf in VFS}}
DEVICES = "sys/devices/pci0000:00"
MAC = "52:54:00:ab:cd:11"

HOSTDEV_NETWORK = """<network><name>vfnet</name>
  <forward mode='hostdev' managed='yes'><driver name='vfio'/><pf dev='fakepf0'/></forward>
</network>"""

NOT_A_VF_NETWORK = """<network><name>notvf</name>
  <forward mode='hostdev' managed='yes'>
    <address type='pci' domain='0x0000' bus='0x7e' slot='0x10' function='0x2'/>
    <address type='pci' domain='0x0000' bus='0x7e' slot='0x00' function='0x0'/>
  </forward>
</network>"""

PORT = """<networkport><uuid>{uuid}</uuid>
  <owner><name>g{n}</name><uuid>{owner}</uuid></owner>
  <mac address='52:54:00:00:00:{n:02x}'/>
</networkport>"""


class FakeSysfs:
    """The tree and the kernel's part in driver binding."""

    def __init__(self, root):
        self.root = root
        self.stop = threading.Event()
        self.thread = None

    def path(self, rel):
        return os.path.join(self.root, rel)

    def put(self, rel, data):
        os.makedirs(os.path.dirname(self.path(rel)), exist_ok=True)
        with open(self.path(rel), "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)

    def link(self, target, rel):
        os.makedirs(os.path.dirname(self.path(rel)), exist_ok=True)
        os.symlink(target, self.path(rel))

    def bind(self, dev, driver):
        rel = f"{DEVICES}/{dev}/driver"
        if os.path.islink(self.path(rel)):
            os.unlink(self.path(rel))
        if driver:
            self.link(f"../../../bus/pci/drivers/{driver}", rel)

    def driver_of(self, dev):
        link = self.path(f"{DEVICES}/{dev}/driver")
        return os.path.basename(os.readlink(link)) if os.path.islink(link) else None

    def device(self, dev, device_id, group):
        config = bytearray(256)
        config[0:4] = bytes([0x86, 0x80, device_id & 0xff, device_id >> 8])
        config[0x0e] = 0   # an endpoint
        for name, text in (("vendor", "0x8086"), ("device", f"0x{device_id:04x}"),
                           ("subsystem_vendor", "0x8086"), ("subsystem_device", "0x0001"),
                           ("class", "0x020000"), ("numa_node", "0"),
                           ("driver_override", "(null)")):
            self.put(f"{DEVICES}/{dev}/{name}", text + "\n")
        self.put(f"{DEVICES}/{dev}/config", bytes(config))
        self.link(f"../../../devices/pci0000:00/{dev}", f"sys/bus/pci/devices/{dev}")
        self.link(f"../../../kernel/iommu_groups/{group}", f"{DEVICES}/{dev}/iommu_group")
        self.link(f"../../../../devices/pci0000:00/{dev}",
                  f"sys/kernel/iommu_groups/{group}/devices/{dev}")
        self.bind(dev, NATIVE[dev])

    def build(self):
        for driver in ("igb", "igbvf", "vfio-pci"):
            for f in ("bind", "unbind", "new_id", "remove_id"):
                self.put(f"sys/bus/pci/drivers/{driver}/{f}", "")
        self.put("sys/bus/pci/drivers_probe", "")
        self.put("dev/vfio/vfio", "")
        os.makedirs(self.path("run"), exist_ok=True)
        self.device(PF, 0x1521, 40)
        self.put(f"{DEVICES}/{PF}/sriov_totalvfs", "7\n")
        self.put(f"{DEVICES}/{PF}/sriov_numvfs", f"{len(VFS)}\n")
        os.makedirs(self.path(f"{DEVICES}/{PF}/net/fakepf0"))
        self.link(f"../../../devices/pci0000:00/{PF}", "sys/class/net/fakepf0/device")
        for i, vf in enumerate(VFS):
            self.device(vf, 0x1520, 41 + i)
            self.link(f"../{vf}", f"{DEVICES}/{PF}/virtfn{i}")
            self.link(f"../{PF}", f"{DEVICES}/{vf}/physfn")

    # --- the kernel
    def take(self, rel):
        """What was written to REL, emptied (the kernel consumed it)."""
        p = self.path(rel)
        try:
            if os.path.getsize(p) == 0:
                return None
            with open(p, "r+") as f:
                value = f.read().strip()
                f.truncate(0)
            return value
        except OSError:
            return None

    def react(self):
        for driver in os.listdir(self.path("sys/bus/pci/drivers")):
            dev = self.take(f"sys/bus/pci/drivers/{driver}/unbind")
            if dev:
                self.bind(dev, None)
        dev = self.take("sys/bus/pci/drivers_probe")
        if dev and not self.driver_of(dev):
            with open(self.path(f"{DEVICES}/{dev}/driver_override")) as f:
                override = f.read().strip()
            pick = override if override and override != "(null)" else NATIVE.get(dev)
            if pick and os.path.isdir(self.path(f"sys/bus/pci/drivers/{pick}")):
                self.bind(dev, pick)

    def start_kernel(self):
        def loop():
            while not self.stop.is_set():
                self.react()
                time.sleep(0.001)
        self.thread = threading.Thread(target=loop, daemon=True)
        self.thread.start()

    def stop_kernel(self):
        self.stop.set()
        if self.thread:
            self.thread.join()

    def log(self, name):
        try:
            with open(self.path(f"run/{name}")) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []


class HostdevNetworkFake(guests.StartFailsMixin, VirshMixin, unittest.TestCase):
    def setUp(self):
        if os.path.exists("/sys/kernel/iommu_groups") and os.listdir("/sys/kernel/iommu_groups"):
            self.skipTest("this host has an IOMMU: QEMU could reach a real device")
        for vf in [PF] + VFS:
            if os.path.exists(f"/sys/bus/pci/devices/{vf}"):
                self.skipTest(f"this host has a real {vf}")
        self.ns = f"vk-{uuid.uuid4().hex[:8]}"
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], check=False)
        wrapper = ["ip", "netns", "exec", self.ns]
        self.networkd = Daemon("virtnetworkd", wrapper=wrapper)
        self.addCleanup(self.networkd.cleanup)   # last: it owns the root
        self.fake = FakeSysfs(os.path.join(self.networkd.root, "fake-sysfs"))
        self.fake.build()
        self.fake.start_kernel()
        self.addCleanup(self.fake.stop_kernel)
        old = os.environ.get("VIRTKIT_TEST_PCI_ROOT")
        os.environ["VIRTKIT_TEST_PCI_ROOT"] = self.fake.root
        self.addCleanup(self.restore_env, old)
        self.daemon = Daemon("virtqemud", root=self.networkd.root, wrapper=wrapper)
        self.addCleanup(self.daemon.cleanup)
        self.networkd.start()
        self.daemon.start()

    @staticmethod
    def restore_env(old):
        if old is None:
            os.environ.pop("VIRTKIT_TEST_PCI_ROOT", None)
        else:
            os.environ["VIRTKIT_TEST_PCI_ROOT"] = old

    def net_virsh(self, *args):
        return virsh(self.networkd.uri(), *args)

    def net_virsh_ok(self, *args):
        r = self.net_virsh(*args)
        self.assertEqual(r.returncode, 0, f"virsh {' '.join(args)}: {r.stderr}\n--- "
                                          f"virtnetworkd ---\n{self.networkd.stderr()[-2000:]}")
        return r.stdout

    def start_network(self):
        self.net_virsh_ok("net-define", self.write("vfnet.xml", HOSTDEV_NETWORK))
        self.net_virsh_ok("net-start", "vfnet")

    def ports(self):
        return self.net_virsh_ok("net-port-list", "vfnet", "--uuid").split()

    def test_not_a_virtual_function_refused_at_define(self):
        r = self.net_virsh("net-define", self.write("notvf.xml", NOT_A_VF_NETWORK))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("unsupported configuration: device '/sys/bus/pci/devices/0000:7e:00.0' in "
                      "network 'notvf' is not an SR-IOV Virtual Function", r.stderr)
        self.assertNotIn("notvf", self.net_virsh_ok("net-list", "--all", "--name"))

    def test_ports_take_the_free_vfs(self):
        self.start_network()
        made = []
        for n in range(len(VFS)):
            port_uuid = str(uuid.uuid4())
            self.net_virsh_ok("net-port-create", "vfnet", self.write(f"p{n}.xml", PORT.format(
                uuid=port_uuid, n=n, owner=uuid.uuid4())))
            xml = self.net_virsh_ok("net-port-dumpxml", "vfnet", port_uuid)
            self.assertIn("<plug type='hostdev-pci' managed='yes'>", xml)
            self.assertIn("<driver name='vfio'/>", xml)
            slot, function = VFS[n][8:10], VFS[n][11]
            self.assertIn(f"<address domain='0x0000' bus='0x7e' slot='0x{slot}' "
                          f"function='0x{function}'/>", xml)
            made.append(port_uuid)
        r = self.net_virsh("net-port-create", "vfnet", self.write("p9.xml", PORT.format(
            uuid=uuid.uuid4(), n=9, owner=uuid.uuid4())))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("internal error: network 'vfnet' requires exclusive access to interfaces, "
                      "but none are available", r.stderr)
        # deleting the second port frees its VF for the next one
        self.net_virsh_ok("net-port-delete", "vfnet", made[1])
        again = str(uuid.uuid4())
        self.net_virsh_ok("net-port-create", "vfnet", self.write("p5.xml", PORT.format(
            uuid=again, n=5, owner=uuid.uuid4())))
        self.assertIn("slot='0x10' function='0x2'", self.net_virsh_ok("net-port-dumpxml", "vfnet",
                                                                       again))

    def test_guest_start_detaches_the_vf_and_gives_it_back(self):
        self.start_network()
        self.define_guest("vfguest", f"<interface type='network'><mac address='{MAC}'/>"
                                     "<source network='vfnet'/></interface>")
        err = self.start_fails("vfguest")
        # QEMU was reached, with the VF as a vfio-pci device, and could not
        # open it (it exists only in the fake tree)
        self.assertIn(f'"driver":"vfio-pci","host":"{VFS[0]}","id":"hostdev0"', err)
        self.assertIn("no such host device", err)
        vf = VFS[0]
        writes = [w for w in self.fake.log("virtkit-fake-sysfs-writes.log") if vf in w]
        self.assertEqual(writes, [
            # detached to vfio-pci before QEMU ...
            f"/sys/bus/pci/devices/{vf}/driver_override=vfio-pci",
            f"/sys/bus/pci/devices/{vf}/driver/unbind={vf}",
            f"/sys/bus/pci/drivers_probe={vf}",
            # ... and given back to its own driver after the failed start
            f"/sys/bus/pci/devices/{vf}/driver_override=",
            f"/sys/bus/pci/devices/{vf}/driver/unbind={vf}",
            f"/sys/bus/pci/drivers_probe={vf}",
        ], "\n".join(self.fake.log("virtkit-fake-sysfs-writes.log")))
        self.assertEqual(self.fake.driver_of(vf), "igbvf")
        # the guest's MAC on the VF, through the PF (netlink, recorded)
        self.assertEqual(self.fake.log("virtkit-fake-netlink.log"),
                         [f"setlink fakepf0 vf 0 mac {MAC}"])
        # the port is gone with the failed start, and no other VF was touched
        self.assertEqual(self.ports(), [])
        for other in VFS[1:]:
            self.assertEqual(self.fake.driver_of(other), "igbvf")
        self.assertNotIn(VFS[1], "\n".join(self.fake.log("virtkit-fake-sysfs-writes.log")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
