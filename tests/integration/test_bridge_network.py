"""Guest interfaces on an existing host bridge: the daemon creates a tap,
puts it on the bridge through netlink, and QEMU gets its fd.  Everything
happens inside a network namespace this test creates; the host's own
interfaces are never touched."""
import os
import subprocess
import sys
import unittest
import uuid

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
from harness import Daemon, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

BRIDGE_GUEST = """
    <interface type='bridge'>
      <mac address='52:54:00:aa:bb:01'/>
      <source bridge='{bridge}'/>
      <model type='virtio'/>
    </interface>"""


def ip(ns, *args, check=True):
    return subprocess.run(["ip", "-n", ns] + list(args), capture_output=True, text=True,
                          check=check)


class BridgeNetwork(unittest.TestCase):
    def setUp(self):
        self.ns = f"vk-{uuid.uuid4().hex[:8]}"
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        ip(self.ns, "link", "add", "br0", "type", "bridge")
        ip(self.ns, "link", "set", "br0", "up")
        self.daemon = Daemon(wrapper=["ip", "netns", "exec", self.ns]).start()
        self.conn = libvirt.open(self.daemon.uri())

    def tearDown(self):
        self.conn.close()
        self.daemon.cleanup()
        subprocess.run(["ip", "netns", "del", self.ns], check=False)

    def bridge_ports(self):
        out = ip(self.ns, "-o", "link", "show", "master", "br0").stdout
        return [line.split(":")[1].strip().split("@")[0] for line in out.splitlines()]

    def test_tap_on_bridge(self):
        dom = self.conn.defineXML(guests.minimal("br", devices=BRIDGE_GUEST.format(bridge="br0")))
        dom.create()
        ports = self.bridge_ports()
        self.assertEqual(len(ports), 1, ports)
        tap = ports[0]
        self.assertTrue(tap.startswith("vnet"), tap)
        link = ip(self.ns, "-o", "link", "show", tap).stdout
        self.assertIn("fe:54:00:aa:bb:01", link)   # the guest's MAC with 0xfe first
        self.assertIn("state UP", link.replace("UNKNOWN", "UP"))
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


if __name__ == "__main__":
    unittest.main()
