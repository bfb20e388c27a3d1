"""virtnetworkd driven by Debian's virsh and python3-libvirt: define, start,
destroy and undefine networks of every mode, with the bridge, dnsmasq and the
nftables rules checked inside the network namespace the daemon runs in (made
by this test; the host's interfaces and firewall are never touched)."""
import os
import re
import signal
import subprocess
import sys
import threading
import unittest
import uuid

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Daemon, VirshMixin, start_libvirt_event_loop, virsh, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

NAT = """<network>
  <name>{name}</name>
  <forward mode='nat'/>
  <ip address='{prefix}.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='{prefix}.100' end='{prefix}.200'/>
      <host mac='52:54:00:00:00:01' name='fixed' ip='{prefix}.10'/>
    </dhcp>
  </ip>
</network>
"""

MODE = """<network>
  <name>{name}</name>
  {forward}
  <ip address='{prefix}.1' prefix='24'/>
</network>
"""


def ns_run(ns, *cmd, check=True):
    return subprocess.run(["ip", "netns", "exec", ns] + list(cmd), capture_output=True,
                          text=True, check=check)


class NetworkDaemonCase(VirshMixin, unittest.TestCase):
    """virtnetworkd inside a fresh network namespace."""

    def setUp(self):
        self.ns = f"vk-{uuid.uuid4().hex[:8]}"
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], check=False)
        ns_run(self.ns, "ip", "link", "set", "lo", "up")
        self.daemon = Daemon("virtnetworkd", wrapper=["ip", "netns", "exec", self.ns])
        self.addCleanup(self.kill_dnsmasq)
        self.addCleanup(self.daemon.cleanup)
        # dnsmasq reads its hosts files as nobody: the root must be traversable
        os.chmod(self.daemon.root, 0o711)
        self.daemon.start()
        self.uri = self.daemon.uri()

    def kill_dnsmasq(self):
        """No dnsmasq of this root outlives the test, whatever failed."""
        subprocess.run(["pkill", "-KILL", "-f", f"dnsmasq.*{self.daemon.root}/"], check=False)

    def define(self, xml, name):
        path = self.write(f"{name}.xml", xml)
        self.virsh_ok("net-define", path)
        return path

    def links(self):
        out = ns_run(self.ns, "ip", "-o", "link").stdout
        return re.findall(r"^\d+: ([^:@]+)", out, re.M)

    def addresses(self, dev):
        out = ns_run(self.ns, "ip", "-o", "addr", "show", "dev", dev).stdout
        return re.findall(r"inet6? (\S+)", out)

    def ruleset(self):
        return ns_run(self.ns, "nft", "list", "ruleset").stdout

    def dnsmasq_pid(self, name):
        path = os.path.join(self.daemon.root, "run", "libvirt", "network", f"{name}.pid")
        try:
            with open(path) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return None
        try:
            with open(f"/proc/{pid}/cmdline") as f:
                cmdline = f.read()
        except OSError:
            return None
        return pid if "dnsmasq" in cmdline and f"{name}.conf" in cmdline else None

    def bridge_of(self, name):
        return self.virsh_ok("net-info", name).split("Bridge:")[1].split()[0]


class NetworkLifecycle(NetworkDaemonCase):
    def test_nat_network_define_start_destroy_undefine(self):
        self.define(NAT.format(name="nat1", prefix="192.168.150"), "nat1")
        xml = self.virsh_ok("net-dumpxml", "nat1")
        # libvirt's defaults: the first free virbrN, stp on, delay 0, a 52:54:00 MAC
        self.assertIn("<bridge name='virbr0' stp='on' delay='0'/>", xml)
        self.assertRegex(xml, r"<mac address='52:54:00:[0-9a-f:]{8}'/>")
        self.assertRegex(xml, r"<uuid>[0-9a-f-]{36}</uuid>")
        config = os.path.join(self.daemon.root, "etc", "libvirt", "qemu", "networks", "nat1.xml")
        self.assertEqual(os.stat(config).st_mode & 0o777, 0o600)
        self.assertIn("inactive", self.virsh_ok("net-list", "--all"))

        self.virsh_ok("net-start", "nat1")
        self.assertIn("virbr0", self.links())
        self.assertIn("192.168.150.1/24", self.addresses("virbr0"))
        link = ns_run(self.ns, "ip", "-d", "link", "show", "virbr0").stdout
        self.assertIn("stp_state 1", link)
        self.assertRegex(link, r"state (UP|UNKNOWN|DOWN)")
        pid = self.dnsmasq_pid("nat1")
        self.assertIsNotNone(pid, "dnsmasq runs for the network")
        conf = os.path.join(self.daemon.root, "var", "lib", "libvirt", "dnsmasq", "nat1.conf")
        with open(conf) as f:
            text = f.read()
        self.assertIn("interface=virbr0", text)
        self.assertIn("dhcp-range=192.168.150.100,192.168.150.200", text)
        rules = self.ruleset()
        self.assertIn("masquerade", rules)
        self.assertIn("192.168.150.0/24", rules)
        self.assertIn("virbr0", rules)
        live = self.virsh_ok("net-dumpxml", "nat1")
        self.assertIn("<port start='1024' end='65535'/>", live)
        self.assertRegex(self.virsh_ok("net-list"), r"nat1\s+active\s+no\s+yes")

        self.virsh_ok("net-destroy", "nat1")
        self.assertNotIn("virbr0", self.links())
        wait_for(lambda: not os.path.exists(f"/proc/{pid}"), what="dnsmasq gone")
        self.assertNotIn("192.168.150.0/24", self.ruleset())
        self.virsh_ok("net-undefine", "nat1")
        self.assertFalse(os.path.exists(config))
        self.assertNotIn("nat1", self.virsh_ok("net-list", "--all"))

    def test_each_forward_mode_gets_its_rules(self):
        modes = {
            "route": ("<forward mode='route'/>", "192.168.151", True, False),
            "isol": ("", "192.168.152", False, False),
            "open": ("<forward mode='open'/>", "192.168.153", None, False),
        }
        for name, (forward, prefix, forwards, masq) in modes.items():
            self.define(MODE.format(name=name, forward=forward, prefix=prefix), name)
            self.virsh_ok("net-start", name)
        rules = self.ruleset()
        # route: forwarding for its subnet, no masquerade
        self.assertIn("192.168.151.0/24", rules)
        self.assertNotRegex(rules, r"192\.168\.151\.0/24[^\n]*masquerade")
        # isolated: its bridge is named in rules (rejecting what would leave it)
        isol_bridge = self.bridge_of("isol")
        self.assertIn(isol_bridge, rules)
        self.assertNotIn("192.168.152.0/24", rules)
        # open: no rules at all
        self.assertNotIn(self.bridge_of("open"), rules)
        for name in modes:
            self.virsh_ok("net-destroy", name)
        self.assertNotIn("192.168.151.0/24", self.ruleset())
        self.assertNotIn(isol_bridge, self.ruleset())

    def test_transient_network(self):
        path = self.write("t.xml", NAT.format(name="trans", prefix="192.168.154"))
        self.virsh_ok("net-create", path)
        self.assertRegex(self.virsh_ok("net-list"), r"trans\s+active\s+no\s+no")
        bridge = self.bridge_of("trans")
        self.assertIn(bridge, self.links())
        self.assertIn("error: Requested operation is not valid: "
                      "cannot set autostart for transient network",
                      self.virsh_fails("net-autostart", "trans"))
        self.virsh_ok("net-destroy", "trans")
        self.assertNotIn("trans", self.virsh_ok("net-list", "--all"))
        self.assertNotIn(bridge, self.links())

    def test_undefine_active_network_keeps_it_transient(self):
        self.define(NAT.format(name="keep", prefix="192.168.155"), "keep")
        self.virsh_ok("net-start", "keep")
        self.virsh_ok("net-undefine", "keep")
        self.assertRegex(self.virsh_ok("net-list", "--all"), r"keep\s+active\s+no\s+no")
        self.virsh_ok("net-destroy", "keep")
        self.assertNotIn("keep", self.virsh_ok("net-list", "--all"))

    def test_autostart_and_list_filters(self):
        self.define(NAT.format(name="auto", prefix="192.168.156"), "auto")
        self.define(MODE.format(name="idle", forward="", prefix="192.168.157"), "idle")
        self.virsh_ok("net-autostart", "auto")
        link = os.path.join(self.daemon.root, "etc", "libvirt", "qemu", "networks", "autostart",
                            "auto.xml")
        self.assertTrue(os.path.islink(link))
        self.assertEqual(self.virsh_ok("net-list", "--all", "--autostart", "--name").split(),
                         ["auto"])
        self.assertEqual(self.virsh_ok("net-list", "--all", "--no-autostart", "--name").split(),
                         ["idle"])
        # a restarted daemon starts the autostart network
        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(self.virsh_ok("net-list", "--name").split(), ["auto"])
        self.virsh_ok("net-destroy", "auto")


PORT = """<networkport>
  <uuid>{uuid}</uuid>
  <owner>
    <name>guest1</name>
    <uuid>11111111-2222-3333-4444-555555555555</uuid>
  </owner>
  <mac address='52:54:00:12:34:56'/>
</networkport>
"""


class NetworkPorts(NetworkDaemonCase):
    def test_port_create_list_dumpxml_delete(self):
        self.define(NAT.format(name="ports", prefix="192.168.158"), "ports")
        port_xml = self.write("port.xml", PORT.format(uuid="aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"))
        self.assertIn("error: Requested operation is not valid: network 'ports' is not active",
                      self.virsh_fails("net-port-create", "ports", port_xml))
        self.virsh_ok("net-start", "ports")
        bridge = self.bridge_of("ports")
        self.virsh_ok("net-port-create", "ports", port_xml)
        self.assertIn("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", self.virsh_ok("net-port-list", "ports"))
        xml = self.virsh_ok("net-port-dumpxml", "ports", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        self.assertIn(f"<plug type='network' bridge='{bridge}'", xml)
        self.assertIn("<name>guest1</name>", xml)
        self.assertIn("connections='1'", self.virsh_ok("net-dumpxml", "ports"))
        self.assertNotIn("connections=", self.virsh_ok("net-dumpxml", "--inactive", "ports"))
        # the port survives a daemon restart
        self.daemon.stop(sig=signal.SIGKILL)
        self.daemon.start()
        self.assertIn("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", self.virsh_ok("net-port-list", "ports"))
        self.assertIn("connections='1'", self.virsh_ok("net-dumpxml", "ports"))
        # libvirt's text, its doubled words included
        self.assertIn("error: network port Network port with UUID "
                      "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee already exists exists already",
                      self.virsh_fails("net-port-create", "ports", port_xml))
        self.virsh_ok("net-port-delete", "ports", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        self.assertNotIn("aaaaaaaa", self.virsh_ok("net-port-list", "ports"))
        self.assertNotIn("connections=", self.virsh_ok("net-dumpxml", "ports"))
        # virsh 9.0 exits 0 here and prints only its own line
        r = virsh(self.uri, "net-port-delete", "ports", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        self.assertIn("error: failed to get network port 'aaaaaaaa-", r.stderr)
        conn = libvirt.open(self.uri)
        self.addCleanup(conn.close)
        with self.assertRaises(libvirt.libvirtError) as caught:
            conn.networkLookupByName("ports").portLookupByUUIDString(
                "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        self.assertEqual(caught.exception.get_error_code(), libvirt.VIR_ERR_NO_NETWORK_PORT)
        self.assertEqual(str(caught.exception), "network port not found: Network port with UUID "
                         "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee does not exist")
        self.virsh_ok("net-destroy", "ports")


class NetworkErrors(NetworkDaemonCase):
    def assert_nothing_left(self, bridge):
        self.assertNotIn(bridge, self.links())
        self.assertNotIn(bridge, self.ruleset())

    def test_libvirt_errors(self):
        self.define(NAT.format(name="one", prefix="192.168.160"), "one")
        self.assertIn("error: Network not found: no network with matching name 'nope'",
                      self.virsh_fails("net-start", "nope"))
        self.virsh_ok("net-start", "one")
        self.assertIn("error: Requested operation is not valid: network is already active",
                      self.virsh_fails("net-start", "one"))
        self.virsh_ok("net-destroy", "one")
        self.assertIn("error: Requested operation is not valid: network 'one' is not active",
                      self.virsh_fails("net-destroy", "one"))
        # the same name with another uuid
        other = NAT.format(name="one", prefix="192.168.161").replace(
            "<name>one</name>", f"<name>one</name><uuid>{uuid.uuid4()}</uuid>")
        self.assertIn("operation failed: network 'one' already exists with uuid",
                      self.virsh_fails("net-define", self.write("o.xml", other)))
        self.assertIn("error: (network_definition):1: Premature end of data in tag name",
                      self.virsh_fails("net-define", self.write("bad.xml", "<network><name>")))

    def test_overlapping_subnet_refused_and_nothing_left(self):
        self.define(NAT.format(name="first", prefix="192.168.170"), "first")
        self.define(NAT.format(name="second", prefix="192.168.170"), "second")
        self.virsh_ok("net-start", "first")
        first = self.bridge_of("first")
        second = self.bridge_of("second")
        err = self.virsh_fails("net-start", "second")
        self.assertIn(f"internal error: Network is already in use by interface {first}", err)
        self.assert_nothing_left(second)
        self.assertIsNone(self.dnsmasq_pid("second"))
        self.assertRegex(self.virsh_ok("net-list", "--all"), r"second\s+inactive")

    def test_bridge_name_of_another_network_refused(self):
        self.define(MODE.format(name="a", forward="", prefix="192.168.171").replace(
            "<ip", "<bridge name='vkbr7'/><ip"), "a")
        err = self.virsh_fails("net-define", self.write("b.xml", MODE.format(
            name="b", forward="", prefix="192.168.172").replace("<ip", "<bridge name='vkbr7'/><ip")))
        self.assertIn("internal error: bridge name 'vkbr7' already in use.", err)

    def test_bridge_name_of_a_host_interface_refused_at_start(self):
        ns_run(self.ns, "ip", "link", "add", "hostbr", "type", "bridge")
        self.define(MODE.format(name="clash", forward="<forward mode='nat'/>",
                                prefix="192.168.175").replace("<ip", "<bridge name='hostbr'/><ip"),
                    "clash")
        err = self.virsh_fails("net-start", "clash")
        self.assertIn("error creating bridge interface hostbr: File exists", err)
        # the host's bridge is left alone, and nothing of the network is made
        self.assertIn("hostbr", self.links())
        self.assertNotIn("192.168.175", self.ruleset())
        self.assertIsNone(self.dnsmasq_pid("clash"))
        self.assertRegex(self.virsh_ok("net-list", "--all"), r"clash\s+inactive")

    def test_dhcp_range_outside_subnet_refused(self):
        xml = NAT.format(name="range", prefix="192.168.173").replace(
            "192.168.173.200", "192.168.174.20")
        err = self.virsh_fails("net-define", self.write("r.xml", xml))
        self.assertIn("error:", err)
        self.assertNotIn("range", self.virsh_ok("net-list", "--all"))


class NetworkRestartAndEvents(NetworkDaemonCase):
    def test_restart_after_kill_keeps_bridge_dnsmasq_and_rules(self):
        self.define(NAT.format(name="survive", prefix="192.168.180"), "survive")
        self.virsh_ok("net-start", "survive")
        bridge = self.bridge_of("survive")
        pid = self.dnsmasq_pid("survive")
        rules = self.ruleset()
        self.daemon.stop(sig=signal.SIGKILL)
        self.daemon.start()
        self.assertRegex(self.virsh_ok("net-list"), r"survive\s+active")
        self.assertEqual(self.bridge_of("survive"), bridge)
        self.assertEqual(self.dnsmasq_pid("survive"), pid)
        self.assertIn("192.168.180.0/24", self.ruleset())
        self.assertEqual(self.ruleset().count("192.168.180.0/24"), rules.count("192.168.180.0/24"))
        self.virsh_ok("net-destroy", "survive")
        self.assertNotIn(bridge, self.links())

    def test_lifecycle_events(self):
        start_libvirt_event_loop()
        conn = libvirt.open(self.uri)
        self.addCleanup(conn.close)
        seen = []
        done = threading.Event()

        def callback(conn_, net, event, detail, opaque):
            seen.append((net.name(), event))
            if event == libvirt.VIR_NETWORK_EVENT_UNDEFINED:
                done.set()

        cb = conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                          callback, None)
        net = conn.networkDefineXML(NAT.format(name="ev", prefix="192.168.181"))
        net.create()
        net.destroy()
        net.undefine()
        self.assertTrue(done.wait(10), seen)
        self.assertEqual(seen, [("ev", libvirt.VIR_NETWORK_EVENT_DEFINED),
                                ("ev", libvirt.VIR_NETWORK_EVENT_STARTED),
                                ("ev", libvirt.VIR_NETWORK_EVENT_STOPPED),
                                ("ev", libvirt.VIR_NETWORK_EVENT_UNDEFINED)])
        conn.networkEventDeregisterAny(cb)


if __name__ == "__main__":
    unittest.main(verbosity=2)
