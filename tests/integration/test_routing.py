"""A qemu:///system connection to virtqemud answers network calls too, by
passing them to virtnetworkd under the same --root (common/driver/router):
Debian's virsh defines, lists and dumps networks through virtqemud's socket,
a python3-libvirt network event registered there arrives, and with
virtnetworkd stopped the network calls fail with libvirt's socket error
while the domain calls go on, until it is back.  virtnetworkd runs in a
network namespace this test creates."""
import os
import subprocess
import sys
import unittest
import uuid

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402
from harness import Daemon, VirshMixin, daemon_path, virsh, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
harness.start_libvirt_event_loop()

NETWORK_XML = """<network>
  <name>{name}</name>
  <bridge name='vkroute0'/>
  <ip address='192.168.157.1' netmask='255.255.255.0'/>
</network>
"""


def missing_socket_error(daemon):
    return (f"Failed to connect socket to '{daemon.socket()}': "
            "No such file or directory")


class NoNetworkDaemon(VirshMixin, unittest.TestCase):
    """virtqemud alone: its network calls fail the way libvirt's modular
    daemons fail when virtnetworkd is not there; its own calls work."""

    def setUp(self):
        self.daemon = Daemon("virtqemud").start()
        self.addCleanup(self.daemon.cleanup)

    def test_network_calls_fail_domain_calls_work(self):
        err = self.virsh_fails("net-list", "--all")
        self.assertIn(missing_socket_error(Daemon("virtnetworkd", root=self.daemon.root)), err)
        self.virsh_ok("list", "--all")
        # read-only clients get the same (they would reach the -sock-ro one)
        r = virsh(self.daemon.uri("sock-ro"), "net-list", "--all", readonly=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("virtnetworkd-sock-ro", r.stderr)

    def test_unrouted_calls_stay_unsupported(self):
        # interfaces are nobody's here: libvirt's "not supported" as before
        err = self.virsh_fails("iface-list")
        self.assertIn("this function is not supported by the connection driver", err)


@unittest.skipUnless(os.path.exists(daemon_path("virtnetworkd")), "virtnetworkd not built")
class RoutedToNetworkDaemon(VirshMixin, unittest.TestCase):
    """virtqemud and virtnetworkd under one root, in a namespace of ours."""

    def setUp(self):
        self.ns = f"vk-{uuid.uuid4().hex[:8]}"
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], check=False)
        wrapper = ["ip", "netns", "exec", self.ns]
        self.daemon = Daemon("virtqemud", wrapper=wrapper)
        self.addCleanup(self.daemon.cleanup)
        self.network = Daemon("virtnetworkd", root=self.daemon.root, wrapper=wrapper)
        self.addCleanup(self.network.cleanup)
        self.network.start()
        self.daemon.start()

    def define(self, name):
        path = os.path.join(self.daemon.root, f"{name}.xml")
        with open(path, "w") as f:
            f.write(NETWORK_XML.format(name=name))
        self.virsh_ok("net-define", path)

    def test_define_list_dumpxml(self):
        self.define("routed")
        listing = self.virsh_ok("net-list", "--all")
        self.assertIn("routed", listing)
        xml = self.virsh_ok("net-dumpxml", "routed")
        self.assertIn("<name>routed</name>", xml)
        self.assertIn("vkroute0", xml)
        # virtnetworkd's own socket sees the same network
        r = virsh(self.network.uri(), "net-list", "--all", "--name")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("routed", r.stdout.split())

    def test_network_event_through_virtqemud(self):
        seen = []
        conn = libvirt.open(self.daemon.uri())
        self.addCleanup(conn.close)
        cb = conn.networkEventRegisterAny(
            None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
            lambda c, net, event, detail, opaque: seen.append((net.name(), event)), None)
        self.addCleanup(conn.networkEventDeregisterAny, cb)
        self.define("evented")
        wait_for(lambda: ("evented", libvirt.VIR_NETWORK_EVENT_DEFINED) in seen,
                 what="network defined event")

    def test_network_daemon_stops_and_comes_back(self):
        self.define("kept")
        self.network.stop()
        err = self.virsh_fails("net-list", "--all")
        self.assertIn(missing_socket_error(self.network), err)
        self.virsh_ok("list", "--all")
        self.network.start()
        self.assertIn("kept", self.virsh_ok("net-list", "--all"))

    def test_readonly_client_cannot_define(self):
        path = os.path.join(self.daemon.root, "ro.xml")
        with open(path, "w") as f:
            f.write(NETWORK_XML.format(name="ro"))
        r = virsh(self.daemon.uri("sock-ro"), "net-define", path, readonly=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("read only access prevents virNetworkDefineXML", r.stderr)
        r = virsh(self.daemon.uri("sock-ro"), "net-list", "--all", readonly=True)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
