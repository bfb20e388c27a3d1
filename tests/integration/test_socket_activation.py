"""systemd socket activation: the daemon takes the three sockets it is handed
(by name), serves virsh on them, and exits when idle with --timeout."""
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SocketActivated, virsh  # noqa: E402


class SocketActivation(unittest.TestCase):
    def setUp(self):
        # the sockets as units/virtqemud*.socket name them (test_units.py
        # does the same for every daemon)
        self.root = tempfile.mkdtemp(prefix="virtkit-sa-")
        self.activated = SocketActivated("virtqemud", self.root, timeout=2,
                                         spawn="systemd-socket-activate")
        self.proc = self.activated.proc
        self.sock, self.sock_ro, self.sock_admin = (self.activated.path(i) for i in range(3))

    def tearDown(self):
        self.activated.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def uri(self, path):
        return f"qemu+unix:///system?socket={path}"

    def test_serves_handed_sockets_then_exits_when_idle(self):
        r = virsh(self.uri(self.sock), "hostname")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), os.uname().nodename)
        # The socket named "-ro" is read-only: writes are refused there.
        xml = os.path.join(self.root, "g.xml")
        with open(xml, "w") as f:
            f.write("<domain type='kvm'><name>g</name><memory>65536</memory>"
                    "<os><type>hvm</type></os></domain>")
        r = virsh(self.uri(self.sock_ro), "define", xml, readonly=True)
        self.assertIn("read only access prevents virDomainDefineXML", r.stderr)
        r = virsh(self.uri(self.sock_ro), "list", "--all", readonly=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        # The daemon is the activated process itself (it was exec'ed).
        self.assertIsNone(self.proc.poll(), "daemon exited while it had clients")
        start = time.monotonic()
        self.proc.wait(timeout=10)
        self.assertEqual(self.proc.returncode, 0)
        self.assertGreaterEqual(time.monotonic() - start, 1.0)

    def test_no_timeout_while_client_connected(self):
        import libvirt
        conn = libvirt.open(self.uri(self.sock))
        try:
            time.sleep(3.5)
            self.assertIsNone(self.proc.poll(), "daemon exited under a connected client")
            self.assertEqual(conn.getLibVersion(), 9000000)
        finally:
            conn.close()
        self.proc.wait(timeout=10)
        self.assertEqual(self.proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()
