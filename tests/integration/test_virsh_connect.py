"""Debian's virsh against our virtqemud: connection-level commands."""
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import DaemonTestCase, virsh  # noqa: E402

QEMU_VERSION_LINE = "Running hypervisor: QEMU "


class VirshConnect(DaemonTestCase):
    def test_version(self):
        r = virsh(self.daemon.uri(), "version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Using library: libvirt", r.stdout)
        self.assertIn("Using API: QEMU 9.0.0", r.stdout)
        # The hypervisor version is the QEMU binary's own, e.g. 7.2.22.
        line = [l for l in r.stdout.splitlines() if l.startswith(QEMU_VERSION_LINE)]
        self.assertEqual(len(line), 1, r.stdout)
        major, minor, micro = line[0][len(QEMU_VERSION_LINE):].split(".")
        self.assertGreaterEqual(int(major), 1)

    def test_uri(self):
        r = virsh(self.daemon.uri(), "uri")
        self.assertEqual(r.returncode, 0, r.stderr)
        # The client library answers with the URI it was opened with.
        self.assertEqual(r.stdout.strip(), self.daemon.uri())

    def test_hostname(self):
        r = virsh(self.daemon.uri(), "hostname")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), socket.gethostname())

    def test_nodeinfo(self):
        r = virsh(self.daemon.uri(), "nodeinfo")
        self.assertEqual(r.returncode, 0, r.stderr)
        fields = dict(l.split(":", 1) for l in r.stdout.splitlines() if ":" in l)
        fields = {k.strip(): v.strip() for k, v in fields.items()}
        self.assertEqual(fields["CPU model"], os.uname().machine)
        self.assertEqual(int(fields["CPU(s)"]), os.cpu_count())
        # Memory is the sum of the NUMA nodes' MemTotal, in KiB.
        total = 0
        nodes = "/sys/devices/system/node"
        for n in os.listdir(nodes):
            if n.startswith("node") and n[4:].isdigit():
                for l in open(os.path.join(nodes, n, "meminfo")):
                    if "MemTotal:" in l:
                        total += int(l.split()[3])
        self.assertEqual(fields["Memory size"], f"{total} KiB")
        sockets = int(fields["CPU socket(s)"])
        cores = int(fields["Core(s) per socket"])
        threads = int(fields["Thread(s) per core"])
        cells = int(fields["NUMA cell(s)"])
        self.assertEqual(sockets * cores * threads * cells, os.cpu_count())

    def test_list_all_empty(self):
        for ro in (False, True):
            r = virsh(self.daemon.uri(), "list", "--all", readonly=ro)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("Id   Name   State", r.stdout)
            self.assertEqual(len([l for l in r.stdout.splitlines() if l.strip()]), 2, r.stdout)

    def test_readonly_socket_refuses_writes(self):
        xml = os.path.join(self.daemon.root, "guest.xml")
        with open(xml, "w") as f:
            f.write("<domain type='kvm'><name>ro</name><memory>65536</memory>"
                    "<os><type>hvm</type></os></domain>")
        r = virsh(self.daemon.uri("sock-ro"), "define", xml, readonly=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("operation forbidden: read only access prevents virDomainDefineXML",
                      r.stderr)

    def test_several_commands_one_connection(self):
        r = virsh(self.daemon.uri(), "version; uri; hostname; nodeinfo; list --all")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(QEMU_VERSION_LINE, r.stdout)
        self.assertIn(self.daemon.uri(), r.stdout)
        self.assertIn("Memory size:", r.stdout)
        self.assertIn("Id   Name   State", r.stdout)


if __name__ == "__main__":
    unittest.main()
