"""Guest interfaces on an existing host bridge: the daemon creates a tap,
puts it on the bridge through netlink, and QEMU gets its fd (on its command
line at start, over the monitor with getfd for a live attach).  Everything
happens inside a network namespace this test creates; the host's own
interfaces are never touched."""
import os
import re
import subprocess
import sys
import time
import unittest
import uuid

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "guest"))
import guests  # noqa: E402
from harness import Daemon, TinyGuestMixin, VirshMixin, virsh, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

BRIDGE_GUEST = """
    <interface type='bridge'>
      <mac address='52:54:00:aa:bb:01'/>
      <source bridge='{bridge}'/>
      <model type='virtio'/>
    </interface>"""

HOTPLUG_MAC = "52:54:00:aa:bb:02"


def bridge_iface_xml(bridge="br0", mac=HOTPLUG_MAC):
    return (f"<interface type='bridge'><mac address='{mac}'/><source bridge='{bridge}'/>"
            f"<model type='virtio'/></interface>\n")


def ip(ns, *args, check=True):
    return subprocess.run(["ip", "-n", ns] + list(args), capture_output=True, text=True,
                          check=check)


def tun_fds(pid):
    """The taps process PID holds a /dev/net/tun fd of (the kernel names
    the tap in the fd's fdinfo)."""
    names = []
    fd_dir = f"/proc/{pid}/fdinfo"
    for fd in os.listdir(fd_dir):
        try:
            with open(os.path.join(fd_dir, fd)) as f:
                m = re.search(r"^iff:\s*(\S+)", f.read(), re.M)
        except OSError:
            continue
        if m:
            names.append(m.group(1))
    return sorted(names)


def section(xml, element, key):
    """The <element>...</element> block of XML that contains KEY, or None."""
    for m in re.finditer(rf"<{element}[ >].*?</{element}>", xml, re.S):
        if key in m.group(0):
            return m.group(0)
    return None


class NamespaceTestCase(VirshMixin, unittest.TestCase):
    """A daemon inside a fresh network namespace that has one bridge, br0."""

    def setUp(self):
        # cleanups run even when setUp fails half way: no namespace, daemon
        # or guest outlives the test
        self.ns = f"vk-{uuid.uuid4().hex[:8]}"
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], check=False)
        ip(self.ns, "link", "add", "br0", "type", "bridge")
        ip(self.ns, "link", "set", "br0", "up")
        self.daemon = Daemon(wrapper=["ip", "netns", "exec", self.ns])
        self.addCleanup(self.daemon.cleanup)
        self.daemon.start()
        self.uri = self.daemon.uri()
        self.conn = libvirt.open(self.uri)
        self.addCleanup(lambda: self.conn.close())

    def bridge_ports(self):
        out = ip(self.ns, "-o", "link", "show", "master", "br0").stdout
        return [line.split(":")[1].strip().split("@")[0] for line in out.splitlines()]

    def taps(self):
        """Every vnetN of the namespace, on a bridge or not."""
        out = ip(self.ns, "-o", "link").stdout
        return re.findall(r"^\d+: (vnet\d+)", out, re.M)

    def domiflist(self, name):
        """{interface: (type, source, model, mac)} from virsh domiflist."""
        out = self.virsh_ok("domiflist", name)
        rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
        return {row[0]: tuple(row[1:]) for row in rows}

    def status_file(self, name):
        with open(os.path.join(self.daemon.root, "run", "libvirt", "qemu", f"{name}.xml")) as f:
            return f.read()

    def qemu_pid(self, name):
        pids = guests.qemu_pids(self.daemon.root, name)
        self.assertEqual(len(pids), 1, pids)
        return pids[0]

    def restart_daemon(self):
        self.conn.close()
        self.daemon.stop()
        self.daemon.start()
        self.conn = libvirt.open(self.uri)

    def assert_bridged_tap(self, tap, mac):
        """TAP is on br0, up, with the MAC libvirt gives taps."""
        self.assertTrue(tap.startswith("vnet"), tap)
        self.assertIn(tap, self.bridge_ports())
        link = ip(self.ns, "-o", "link", "show", tap).stdout
        self.assertIn("fe" + mac[2:], link)   # the guest's MAC with 0xfe first
        self.assertIn("state UP", link.replace("UNKNOWN", "UP"))


class BridgeNetwork(NamespaceTestCase):
    def test_tap_on_bridge(self):
        dom = self.conn.defineXML(guests.minimal("br", devices=BRIDGE_GUEST.format(bridge="br0")))
        dom.create()
        ports = self.bridge_ports()
        self.assertEqual(len(ports), 1, ports)
        tap = ports[0]
        self.assert_bridged_tap(tap, "52:54:00:aa:bb:01")
        live = dom.XMLDesc(0)
        self.assertIn(f"<target dev='{tap}'/>", live)
        # The inactive definition does not keep the tap's name.
        self.assertNotIn("<target dev=", dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        dom.destroy()
        wait_for(lambda: self.bridge_ports() == [], what="tap removed with QEMU")
        dom.undefine()

    def test_missing_bridge_is_a_clear_error(self):
        dom = self.conn.defineXML(guests.minimal("nobr", devices=BRIDGE_GUEST.format(bridge="nosuchbr")))
        with self.assertRaises(libvirt.libvirtError) as ctx:
            dom.create()
        self.assertIn("nosuchbr", ctx.exception.get_error_message())
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_SHUTOFF)
        self.assertEqual(guests.qemu_pids(self.daemon.root, "nobr"), [])
        out = ip(self.ns, "-o", "link").stdout
        self.assertNotIn("vnet", out)
        dom.undefine()


class BridgeLiveAttach(NamespaceTestCase):
    """attach-device --live of <interface type='bridge'> into a running
    guest (no OS needed: QEMU takes a device without asking the guest)."""

    def test_attach_to_running_guest(self):
        name = "brhot"
        self.virsh_ok("define", self.write(f"{name}.xml", guests.minimal(name)))
        self.virsh_ok("start", name)
        pid = self.qemu_pid(name)
        self.assertEqual(self.taps(), [])
        self.assertEqual(tun_fds(pid), [])

        # a bridge that is not there: an error naming it, and nothing left
        # behind (no tap, no fd in QEMU, the live XML as it was, the one
        # free hotpluggable slot still free)
        before = self.virsh_ok("dumpxml", name)
        err = self.virsh_fails("attach-device", name,
                               self.write("nobr.xml", bridge_iface_xml("nosuchbr")), "--live")
        self.assertIn("'nosuchbr'", err)
        self.assertEqual(self.taps(), [])
        self.assertEqual(tun_fds(pid), [])
        self.assertEqual(self.virsh_ok("dumpxml", name), before)
        self.assertNotIn(HOTPLUG_MAC, self.status_file(name))

        path = self.write("br.xml", bridge_iface_xml())
        out = self.virsh_ok("attach-device", name, path, "--live")
        self.assertIn("Device attached successfully", out)

        # a new tap on the bridge, whose only fd QEMU holds: the daemon
        # passed its copy over the monitor and closed it
        ports = self.bridge_ports()
        self.assertEqual(len(ports), 1, ports)
        tap = ports[0]
        self.assert_bridged_tap(tap, HOTPLUG_MAC)
        self.assertEqual(tun_fds(pid), [tap])
        self.assertEqual(tun_fds(self.daemon.proc.pid), [])
        self.assertEqual(self.qemu_pid(name), pid)

        self.assertEqual(self.domiflist(name), {tap: ("bridge", "br0", "virtio", HOTPLUG_MAC)})
        iface = section(self.virsh_ok("dumpxml", name), "interface", HOTPLUG_MAC)
        self.assertIsNotNone(iface)
        self.assertIn("<source bridge='br0'/>", iface)
        self.assertIn(f"<target dev='{tap}'/>", iface)
        self.assertIn("<alias name='net0'/>", iface)
        # the spare root port libvirt adds at define for one hotplug
        self.assertIn("<address type='pci' domain='0x0000' bus='0x03' slot='0x00' "
                      "function='0x0'/>", iface)
        self.assertNotIn(HOTPLUG_MAC, self.virsh_ok("dumpxml", "--inactive", name))
        status = section(self.status_file(name), "interface", HOTPLUG_MAC)
        self.assertIsNotNone(status)
        self.assertIn(f"<target dev='{tap}'/>", status)

        # a restarted daemon finds the guest with its interface
        self.restart_daemon()
        self.assertEqual(self.domiflist(name), {tap: ("bridge", "br0", "virtio", HOTPLUG_MAC)})
        self.assertIn(f"<target dev='{tap}'/>", self.virsh_ok("dumpxml", name))
        self.assertEqual(self.bridge_ports(), [tap])


    def test_types_without_a_tap_are_refused(self):
        name = "brhot-refused"
        self.virsh_ok("define", self.write(f"{name}.xml", guests.minimal(name)))
        self.virsh_ok("start", name)
        before = self.virsh_ok("dumpxml", name)
        # a network interface needs virtnetworkd, which does not run here
        err = self.virsh_fails("attach-device", name, self.write("net.xml", (
            "<interface type='network'><source network='default'/>"
            "<model type='virtio'/></interface>")), "--live")
        self.assertIn("Failed to connect socket to "
                      f"'{self.daemon.root}/run/libvirt/virtnetworkd-sock'", err)
        err = self.virsh_fails("attach-device", name, self.write("direct.xml", (
            "<interface type='direct'><source dev='eth0' mode='bridge'/>"
            "<model type='virtio'/></interface>")), "--live")
        self.assertIn("live attach of interface type 'direct' is not supported", err)
        self.assertEqual(self.virsh_ok("dumpxml", name), before)
        self.assertEqual(self.taps(), [])

    def test_qemu_refusal_undoes_everything(self):
        """pc without ACPI has no hotplug on pci.0: device_add fails after
        getfd and netdev_add worked; the backend, the fd QEMU held and the
        tap all go."""
        name = "brhot-pc"
        self.virsh_ok("define", self.write(f"{name}.xml", guests.minimal(name, machine="pc")))
        self.virsh_ok("start", name)
        pid = self.qemu_pid(name)
        before = self.virsh_ok("dumpxml", name)
        path = self.write("br.xml", bridge_iface_xml())
        for _ in range(2):   # the same again: no netdev id or fd name left over
            err = self.virsh_fails("attach-device", name, path, "--live")
            self.assertIn("internal error: unable to execute QEMU command 'device_add': "
                          "Bus 'pci.0' does not support hotplugging", err)
            self.assertEqual(self.taps(), [])
            self.assertEqual(tun_fds(pid), [])
            self.assertEqual(self.virsh_ok("dumpxml", name), before)
        self.assertNotIn(HOTPLUG_MAC, self.status_file(name))
        self.assertNotIn("closefd", self.daemon.stderr())   # no warning on the way


class BridgeLiveDetach(TinyGuestMixin, NamespaceTestCase):
    """The tiny Linux guest (tests/guest) lets a device go when asked, so
    a live detach completes: netdev_del closes QEMU's fd and the tap goes."""

    def test_detach_removes_the_tap(self):
        g = self.guest
        name = "brdet"
        console = os.path.join(self.daemon.root, f"{name}-console.log")
        self.virsh_ok("create", self.write(f"{name}.xml", g.domain_xml(
            name, self.kernel, self.initrd, console, virt_type=self.virt_type)))
        pid = self.qemu_pid(name)
        g.wait_for_console(console, g.READY, self.boot_timeout)

        path = self.write("br.xml", bridge_iface_xml())
        self.virsh_ok("attach-device", name, path, "--live")
        [tap] = self.bridge_ports()
        self.assertEqual(tun_fds(pid), [tap])
        self.assertIn(tap, self.domiflist(name))

        t0 = time.monotonic()
        out = self.virsh_ok("detach-device", name, path, "--live")
        self.assertIn("Device detached successfully", out)
        self.assertLess(time.monotonic() - t0, 4.5, "the guest did not let the interface go")
        self.assertEqual(self.domiflist(name), {})
        self.assertIsNone(section(self.virsh_ok("dumpxml", name), "interface", HOTPLUG_MAC))
        self.assertNotIn(HOTPLUG_MAC, self.status_file(name))
        # QEMU closed the tap's only fd with the backend: the tap is gone
        wait_for(lambda: self.taps() == [], timeout=5, what="the tap to go")
        self.assertEqual(tun_fds(pid), [])

        # the backend's id (hostnet0) is free again: it plugs in anew, here
        # with virsh's attach-interface / detach-interface
        self.virsh_ok("attach-interface", name, "bridge", "br0", "--model", "virtio",
                      "--mac", HOTPLUG_MAC, "--live")
        [tap] = self.bridge_ports()
        self.assertEqual(self.domiflist(name), {tap: ("bridge", "br0", "virtio", HOTPLUG_MAC)})
        self.assertEqual(tun_fds(pid), [tap])
        self.virsh_ok("detach-interface", name, "bridge", "--mac", HOTPLUG_MAC, "--live")
        self.assertEqual(self.domiflist(name), {})
        wait_for(lambda: self.taps() == [], timeout=5, what="the tap to go")
        self.assertEqual(self.qemu_pid(name), pid)


if __name__ == "__main__":
    unittest.main()
