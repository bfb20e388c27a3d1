"""Guests on virtnetworkd's networks, played by network namespaces on veths
into the network's bridge: they get DHCP leases from the network's dnsmasq
(busybox udhcpc), reach the bridge, appear in net-dhcp-leases, and reach
beyond the host only where the forward mode allows.  Everything lives in
namespaces this test makes; the host's interfaces and firewall are never
touched."""
import os
import re
import signal
import subprocess
import sys
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Daemon, VirshMixin, wait_for  # noqa: E402

NETWORK = """<network>
  <name>{name}</name>
  {forward}
  <ip address='{prefix}.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='{prefix}.100' end='{prefix}.150'/>
      <host mac='52:54:00:00:01:01' name='fixedhost' ip='{prefix}.10'/>
    </dhcp>
  </ip>
</network>
"""

# udhcpc calls this with the lease in its environment
UDHCPC_SCRIPT = """#!/bin/sh
case "$1" in
bound|renew)
  ip addr flush dev "$interface"
  ip addr add "$ip/$mask" dev "$interface"
  [ -n "$router" ] && ip route replace default via "${router%% *}"
  ;;
esac
exit 0
"""


def sh(*cmd, check=True):
    return subprocess.run(list(cmd), capture_output=True, text=True, check=check)


class GuestNamespaces(VirshMixin, unittest.TestCase):
    """The daemon's namespace (the "host") has an uplink to a namespace
    OUTSIDE (10.200.0.0/24); guests are namespaces on veths into a bridge."""

    def setUp(self):
        tag = uuid.uuid4().hex[:6]
        self.host, self.outside = f"vkh-{tag}", f"vko-{tag}"
        self.guests = []
        for ns in (self.host, self.outside):
            sh("ip", "netns", "add", ns)
            self.addCleanup(sh, "ip", "netns", "del", ns, check=False)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", self.host, "link", "add", "uplink", "type", "veth", "peer", "name", "eth0",
           "netns", self.outside)
        sh("ip", "-n", self.host, "addr", "add", "10.200.0.1/24", "dev", "uplink")
        sh("ip", "-n", self.host, "link", "set", "uplink", "up")
        sh("ip", "-n", self.outside, "addr", "add", "10.200.0.2/24", "dev", "eth0")
        sh("ip", "-n", self.outside, "link", "set", "eth0", "up")
        self.daemon = Daemon("virtnetworkd", wrapper=["ip", "netns", "exec", self.host])
        self.addCleanup(lambda: sh("pkill", "-KILL", "-f", f"dnsmasq.*{self.daemon.root}/",
                                   check=False))
        self.addCleanup(self.daemon.cleanup)
        # dnsmasq reads its hosts files as nobody: the root must be traversable
        os.chmod(self.daemon.root, 0o711)
        self.daemon.start()
        self.script = self.write("udhcpc.sh", UDHCPC_SCRIPT)
        os.chmod(self.script, 0o755)

    def start_network(self, name, forward, prefix):
        self.virsh_ok("net-define", self.write(f"{name}.xml", NETWORK.format(
            name=name, forward=forward, prefix=prefix)))
        self.virsh_ok("net-start", name)
        return self.virsh_ok("net-info", name).split("Bridge:")[1].split()[0]

    def add_guest(self, bridge, mac):
        ns = f"vkg-{uuid.uuid4().hex[:6]}"
        sh("ip", "netns", "add", ns)
        self.addCleanup(sh, "ip", "netns", "del", ns, check=False)
        veth = f"vg{len(self.guests)}{uuid.uuid4().hex[:4]}"
        sh("ip", "-n", self.host, "link", "add", veth, "type", "veth", "peer", "name", "eth0",
           "netns", ns)
        sh("ip", "-n", self.host, "link", "set", veth, "master", bridge, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "link", "set", "eth0", "address", mac, "up")
        self.guests.append(ns)
        return ns

    def dhcp(self, ns, hostname):
        r = sh("ip", "netns", "exec", ns, "busybox", "udhcpc", "-i", "eth0", "-n", "-q",
               "-t", "10", "-T", "1", "-s", self.script, "-x", f"hostname:{hostname}",
               check=False)
        self.assertEqual(r.returncode, 0, f"udhcpc: {r.stdout}{r.stderr}")
        out = sh("ip", "-n", ns, "-o", "-4", "addr", "show", "dev", "eth0").stdout
        return re.search(r"inet (\S+)/", out).group(1)

    def reaches(self, ns, address):
        return sh("ip", "netns", "exec", ns, "busybox", "ping", "-c", "1", "-W", "2", address,
                  check=False).returncode == 0

    def test_nat_network_leases_and_reach(self):
        bridge = self.start_network("natnet", "<forward mode='nat'/>", "192.168.210")
        fixed = self.add_guest(bridge, "52:54:00:00:01:01")
        dynamic = self.add_guest(bridge, "52:54:00:00:01:02")
        self.assertEqual(self.dhcp(fixed, "fixedhost"), "192.168.210.10")
        ip = self.dhcp(dynamic, "dynhost")
        self.assertRegex(ip, r"^192\.168\.210\.(1[0-4][0-9]|150)$")
        self.assertTrue(self.reaches(fixed, "192.168.210.1"))
        self.assertTrue(self.reaches(dynamic, "192.168.210.1"))
        # NAT: the outside sees the host's uplink address, and answers it
        self.assertTrue(self.reaches(dynamic, "10.200.0.2"))

        leases = self.virsh_ok("net-dhcp-leases", "natnet")
        self.assertRegex(leases, r"52:54:00:00:01:01\s+ipv4\s+192\.168\.210\.10/24\s+fixedhost")
        self.assertRegex(leases, rf"52:54:00:00:01:02\s+ipv4\s+{re.escape(ip)}/24\s+dynhost")
        only = self.virsh_ok("net-dhcp-leases", "natnet", "--mac", "52:54:00:00:01:02")
        self.assertNotIn("52:54:00:00:01:01", only)
        self.assertIn("52:54:00:00:01:02", only)

    def test_isolated_network_does_not_reach_beyond(self):
        bridge = self.start_network("isonet", "", "192.168.211")
        guest = self.add_guest(bridge, "52:54:00:00:01:03")
        self.dhcp(guest, "isolated")
        self.assertTrue(self.reaches(guest, "192.168.211.1"))
        # no router offered; even with a route of its own it gets nowhere
        sh("ip", "-n", guest, "route", "replace", "default", "via", "192.168.211.1")
        self.assertFalse(self.reaches(guest, "10.200.0.2"))

    def test_leases_survive_a_daemon_kill(self):
        bridge = self.start_network("keepnet", "<forward mode='nat'/>", "192.168.212")
        guest = self.add_guest(bridge, "52:54:00:00:01:04")
        ip = self.dhcp(guest, "keeper")
        pid_before = sh("ip", "netns", "exec", self.host, "pgrep", "-f",
                        f"dnsmasq.*{self.daemon.root}/").stdout.split()
        self.daemon.stop(sig=signal.SIGKILL)
        self.daemon.start()
        self.assertRegex(self.virsh_ok("net-dhcp-leases", "keepnet"), rf"{re.escape(ip)}/24")
        pid_after = sh("ip", "netns", "exec", self.host, "pgrep", "-f",
                       f"dnsmasq.*{self.daemon.root}/").stdout.split()
        self.assertEqual(pid_before, pid_after)
        self.assertTrue(self.reaches(guest, "192.168.212.1"))
        self.assertTrue(self.reaches(guest, "10.200.0.2"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
