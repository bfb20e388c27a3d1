"""What virsh asks of a guest beyond its definition, against our
virtqemud, with libvirtd 9.0's outputs: jobs (there never is one left to
watch), the guest agent's calls (no agent: libvirt's "not configured"),
interface addresses from leases and the host's ARP table, I/O threads."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import DaemonTestCase, VirshMixin  # noqa: E402

GUEST = """<domain type='kvm'>
  <name>q</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <iothreads>2</iothreads>
  <cputune><iothreadpin iothread='2' cpuset='0'/></cputune>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <interface type='user'><mac address='52:54:00:00:00:42'/><model type='virtio'/></interface>
  </devices>
</domain>
"""
NO_AGENT = "error: argument unsupported: QEMU guest agent is not configured\n"
ADDRESSES = (" Name       MAC address          Protocol     Address\n"
             "-------------------------------------------------------------------------------\n\n")


def cpus():
    n = os.cpu_count()
    return "0" if n == 1 else f"0-{n - 1}"


class GuestQueries(VirshMixin, DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.virsh_ok("define", self.write("q.xml", GUEST))

    def test_jobs(self):
        self.assertEqual(self.virsh_fails("domjobabort", "q"),
                         "error: Requested operation is not valid: domain is not running\n")
        self.virsh_ok("start", "q")
        self.assertEqual(self.virsh_ok("domjobinfo", "q"), "Job type:         None        \n\n")
        self.assertEqual(self.virsh_ok("domjobinfo", "q", "--completed"),
                         "Job type:         None        \n\n")
        self.assertEqual(self.virsh_fails("domjobabort", "q"),
                         "error: Requested operation is not valid: no job is active on the "
                         "domain\n")

    def test_agent_and_addresses(self):
        self.virsh_ok("start", "q")
        self.assertEqual(self.virsh_fails("domtime", "q"), NO_AGENT)
        self.assertEqual(self.virsh_fails("domhostname", "q"),
                         "error: failed to get hostname\n" + NO_AGENT)
        self.assertEqual(self.virsh_fails("domifaddr", "q", "--source", "agent"),
                         "error: Failed to query for interfaces addresses\n" + NO_AGENT)
        # user-mode networking: no lease, nothing in the host's ARP table
        self.assertEqual(self.virsh_ok("domifaddr", "q"), ADDRESSES)
        self.assertEqual(self.virsh_ok("domifaddr", "q", "--source", "arp"), ADDRESSES)

    def test_iothreads(self):
        defined = (" IOThread ID   CPU Affinity\n-----------------------------\n"
                   f" 1             {cpus()}\n 2             0\n\n")
        self.assertEqual(self.virsh_ok("iothreadinfo", "q"), defined)
        self.virsh_ok("start", "q")
        # QEMU's order, and the threads' own affinity: the pin was applied
        self.assertEqual(self.virsh_ok("iothreadinfo", "q"),
                         " IOThread ID   CPU Affinity\n-----------------------------\n"
                         f" 2             0\n 1             {cpus()}\n\n")
        self.assertEqual(self.virsh_ok("iothreadinfo", "q", "--config"), defined)


if __name__ == "__main__":
    unittest.main()
