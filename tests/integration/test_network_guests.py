"""Guests on libvirt virtual networks (<interface type='network'>), as the
modular daemons do it: virtqemud asks virtnetworkd (both under one --root,
inside a network namespace this test creates) for a port per interface and
puts the guest's tap on the bridge the port names; the port goes when the
guest stops or the interface is detached.  Without virtnetworkd, network
guests fail with an error naming its socket and the others still start."""
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
import guests  # noqa: E402
from harness import Daemon, TinyGuestMixin, VirshMixin, daemon_path, virsh, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

NAT_NETWORK = """<network><name>{name}</name><forward mode='nat'/>
  <ip address='192.168.{subnet}.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.{subnet}.100' end='192.168.{subnet}.200'/></dhcp>
  </ip></network>"""

MAC = "52:54:00:ab:cd:01"
HOTPLUG_MAC = "52:54:00:ab:cd:02"


def net_iface(network="n1", mac=MAC):
    return (f"<interface type='network'><mac address='{mac}'/><source network='{network}'/>"
            f"<model type='virtio'/></interface>")


USER_IFACE = "<interface type='user'><model type='virtio'/></interface>"
HAVE_VIRTNETWORKD = os.path.exists(daemon_path("virtnetworkd"))


class NamespaceDaemons(guests.StartFailsMixin, VirshMixin, unittest.TestCase):
    """virtqemud (self.daemon), and virtnetworkd when WITH_NETWORKD, under
    one root in a fresh network namespace."""
    WITH_NETWORKD = True

    def setUp(self):
        self.ns = f"vk-{uuid.uuid4().hex[:8]}"
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], check=False)
        subprocess.run(["ip", "-n", self.ns, "link", "set", "lo", "up"], check=True)
        wrapper = ["ip", "netns", "exec", self.ns]
        self.networkd = Daemon("virtnetworkd", wrapper=wrapper)
        self.addCleanup(self.networkd.cleanup)   # last: it owns the root
        # dnsmasq reads its hosts files as nobody: the root must be traversable
        os.chmod(self.networkd.root, 0o711)
        self.daemon = Daemon("virtqemud", root=self.networkd.root, wrapper=wrapper)
        self.addCleanup(self.daemon.cleanup)
        if self.WITH_NETWORKD:
            self.networkd.start()
        self.daemon.start()
        self.net_uri = self.networkd.uri()
        self.sock = self.networkd.socket()

    def net_virsh_ok(self, *args):
        r = virsh(self.net_uri, *args)
        self.assertEqual(r.returncode, 0, f"virsh {' '.join(args)}: {r.stderr}\n--- "
                                          f"virtnetworkd ---\n{self.networkd.stderr()[-2000:]}")
        return r.stdout

    def taps(self):
        out = subprocess.run(["ip", "-n", self.ns, "-o", "link"], capture_output=True,
                             text=True).stdout
        return re.findall(r"^\d+: (vnet\d+)", out, re.M)

    def bridge_ports(self, bridge):
        out = subprocess.run(["ip", "-n", self.ns, "-o", "link", "show", "master", bridge],
                             capture_output=True, text=True).stdout
        return [line.split(":")[1].strip().split("@")[0] for line in out.splitlines()]

    def start_fails(self, name):
        err = super().start_fails(name)
        self.assertEqual(self.taps(), [])
        return err


class WithoutVirtnetworkd(NamespaceDaemons):
    """virtnetworkd does not run: only the network guests fail."""
    WITH_NETWORKD = False

    def test_network_guest_fails_others_start(self):
        self.define_guest("netg", net_iface())
        err = self.start_fails("netg")
        self.assertIn(f"Failed to connect socket to '{self.sock}'", err)
        self.define_guest("userg", USER_IFACE)
        self.virsh_ok("start", "userg")
        self.assertIn("running", self.virsh_ok("domstate", "userg"))
        # a live attach says the same and leaves the guest as it was
        before = self.virsh_ok("dumpxml", "userg")
        err = self.virsh_fails("attach-device", "userg",
                               self.write("n.xml", net_iface(mac=HOTPLUG_MAC)), "--live")
        self.assertIn(f"'{self.sock}'", err)
        self.assertEqual(self.virsh_ok("dumpxml", "userg"), before)
        self.virsh_ok("destroy", "userg")


class NetworkBase(NamespaceDaemons):
    """Both daemons, with the NAT network n1 running."""

    def setUp(self):
        super().setUp()
        self.net_virsh_ok("net-define", self.write("n1.xml", NAT_NETWORK.format(name="n1",
                                                                                subnet=190)))
        self.net_virsh_ok("net-start", "n1")
        m = re.search(r"<bridge name='([^']+)'", self.net_virsh_ok("net-dumpxml", "n1"))
        self.bridge = m.group(1)
        self.nconn = libvirt.open(self.net_uri)
        self.addCleanup(self.nconn.close)

    def ports(self, network="n1"):
        """{port uuid: owner name} of NETWORK, through python3-libvirt."""
        net = self.nconn.networkLookupByName(network)
        out = {}
        for port in net.listAllPorts():
            m = re.search(r"<owner>\s*<name>([^<]*)</name>", port.XMLDesc())
            out[port.UUIDString()] = m.group(1) if m else None
        return out

    def connections(self, network="n1"):
        m = re.search(r"<network connections='(\d+)'", self.net_virsh_ok("net-dumpxml", network))
        return int(m.group(1)) if m else 0

    def assert_port_of(self, guest, mac, live):
        """The live interface of MAC is on a port of n1 that GUEST owns, its
        tap on the network's bridge; the port id."""
        iface = re.search(rf"<interface type='network'>\s*<mac address='{mac}'/>.*?</interface>",
                          live, re.S)
        self.assertIsNotNone(iface, live)
        src = re.search(rf"<source network='n1' portid='([0-9a-f-]+)' bridge='{self.bridge}'/>",
                        iface.group(0))
        self.assertIsNotNone(src, iface.group(0))
        tap = re.search(r"<target dev='(vnet\d+)'/>", iface.group(0)).group(1)
        self.assertIn(tap, self.bridge_ports(self.bridge))
        self.assertEqual(self.ports().get(src.group(1)), guest)
        return src.group(1)


@unittest.skipUnless(HAVE_VIRTNETWORKD, "virtnetworkd is not built")
class NetworkGuests(NetworkBase):
    def test_start_and_destroy(self):
        self.define_guest("g1", net_iface())
        self.virsh_ok("start", "g1")
        portid = self.assert_port_of("g1", MAC, self.virsh_ok("dumpxml", "g1"))
        self.assertEqual(list(self.ports()), [portid])
        self.assertIn("g1", self.net_virsh_ok("net-port-list", "n1") +
                      self.net_virsh_ok("net-port-dumpxml", "n1", portid))
        self.assertEqual(self.connections(), 1)
        inactive = self.virsh_ok("dumpxml", "--inactive", "g1")
        self.assertIn("<source network='n1'/>", inactive)
        self.assertNotIn("portid", inactive)
        self.assertNotIn("<target dev=", inactive)

        # a restarted virtqemud knows the port (status file) and lets it go
        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(self.assert_port_of("g1", MAC, self.virsh_ok("dumpxml", "g1")), portid)
        self.virsh_ok("destroy", "g1")
        wait_for(lambda: self.taps() == [], what="the tap to go")
        self.assertEqual(self.ports(), {})
        self.assertEqual(self.connections(), 0)

    def test_crash_releases_the_port(self):
        self.define_guest("gc", net_iface())
        self.virsh_ok("start", "gc")
        [pid] = guests.qemu_pids(self.daemon.root, "gc")
        os.kill(pid, 9)
        wait_for(lambda: "shut off" in self.virsh_ok("domstate", "gc"), what="gc shut off")
        wait_for(lambda: self.ports() == {}, what="the port to go")
        self.assertEqual(self.taps(), [])

    def test_inactive_network(self):
        self.net_virsh_ok("net-define", self.write("n2.xml", NAT_NETWORK.format(name="n2",
                                                                                subnet=191)))
        self.define_guest("g2", net_iface("n2"))
        err = self.start_fails("g2")
        self.assertIn("Requested operation is not valid: network 'n2' is not active", err)
        self.define_guest("g3", net_iface("nosuch"))
        err = self.start_fails("g3")
        self.assertIn("Network not found: no network with matching name 'nosuch'", err)
        # a guest with two interfaces whose second one fails keeps no port
        self.define_guest("g4", net_iface() + net_iface("n2", HOTPLUG_MAC))
        self.start_fails("g4")
        self.assertEqual(self.ports(), {})
        self.assertEqual(self.connections(), 0)

    def test_virtnetworkd_stopped(self):
        self.networkd.stop()
        self.define_guest("netg", net_iface())
        err = self.start_fails("netg")
        self.assertIn(f"'{self.sock}'", err)
        self.define_guest("userg", USER_IFACE)
        self.virsh_ok("start", "userg")
        # back again: the next start reaches it over a new connection
        self.networkd.start()
        self.nconn = libvirt.open(self.net_uri)
        if not self.nconn.networkLookupByName("n1").isActive():
            self.nconn.networkLookupByName("n1").create()
        self.virsh_ok("start", "netg")
        self.assert_port_of("netg", MAC, self.virsh_ok("dumpxml", "netg"))
        self.virsh_ok("destroy", "netg")
        self.virsh_ok("destroy", "userg")


@unittest.skipUnless(HAVE_VIRTNETWORKD, "virtnetworkd is not built")
class NetworkHotplug(TinyGuestMixin, NetworkBase):
    """attach-device / detach-device --live of a type network interface on
    the tiny Linux guest (it lets a device go when asked)."""

    def test_attach_detach(self):
        g = self.guest
        name = "hot"
        console = os.path.join(self.daemon.root, f"{name}-console.log")
        self.virsh_ok("create", self.write(f"{name}.xml", g.domain_xml(
            name, self.kernel, self.initrd, console, virt_type=self.virt_type)))
        g.wait_for_console(console, g.READY, self.boot_timeout)
        self.assertEqual(self.ports(), {})

        path = self.write("n.xml", net_iface(mac=HOTPLUG_MAC))
        self.virsh_ok("attach-device", name, path, "--live")
        self.assert_port_of(name, HOTPLUG_MAC, self.virsh_ok("dumpxml", name))
        self.assertEqual(self.connections(), 1)

        t0 = time.monotonic()
        self.virsh_ok("detach-device", name, path, "--live")
        self.assertLess(time.monotonic() - t0, 4.5, "the guest did not let the interface go")
        self.assertNotIn(HOTPLUG_MAC, self.virsh_ok("dumpxml", name))
        self.assertEqual(self.ports(), {})
        wait_for(lambda: self.taps() == [], timeout=5, what="the tap to go")
        self.virsh_ok("destroy", name)


@unittest.skipUnless(HAVE_VIRTNETWORKD, "virtnetworkd is not built")
class NetworkGuestLease(TinyGuestMixin, NetworkBase):
    """The tiny Linux guest on the NAT network asks for a DHCP lease: the
    network's dnsmasq gives one from the range, net-dhcp-leases lists it."""

    def test_guest_gets_a_lease(self):
        g = self.guest
        name = "leaser"
        console = os.path.join(self.daemon.root, f"{name}-console.log")
        xml = g.domain_xml(name, self.kernel, self.initrd, console, virt_type=self.virt_type,
                           cmdline="virtkit.dhcp=1")
        xml = xml.replace("<memballoon model='none'/>",
                          net_iface(mac=MAC) + "\n    <memballoon model='none'/>")
        self.virsh_ok("create", self.write(f"{name}.xml", xml))
        g.wait_for_console(console, "VIRTKIT-GUEST-LEASE 192.168.190.", self.boot_timeout + 40)
        address = re.search(r"VIRTKIT-GUEST-LEASE (\S+)", g.read_console(console)).group(1)
        self.assertIn(self.taps()[0], self.bridge_ports(self.bridge))
        leases = self.net_virsh_ok("net-dhcp-leases", "n1")
        self.assertRegex(leases, rf"{MAC}\s+ipv4\s+{re.escape(address)}/24\s+virtkit-guest")
        self.virsh_ok("destroy", name)
        self.assertEqual(self.ports(), {})


if __name__ == "__main__":
    unittest.main()
