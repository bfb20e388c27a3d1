"""A client with no URI: Debian's virsh 9.0 as root with LIBVIRT_DEFAULT_URI
unset connects to /var/run/libvirt/libvirt-sock (libvirt-sock-ro with -r)
and nothing else: its remote driver, given no URI, picks the "direct"
socket of virtproxyd and the "legacy" one of libvirtd, which are the same
file, and asks the daemon for the URI.  It never tries virtqemud-sock (Red
Hat bug 2135377).  So where only virtqemud runs the client fails, and what
finds us is virtproxyd on libvirt-sock, socket activated as
units/virtproxyd.socket does, which passes the calls on to virtqemud.

virsh runs in a private mount namespace where the test root's run/libvirt
is bind-mounted over /run/libvirt; the host's /run/libvirt is not touched."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import VIRSH, Daemon, SocketActivated  # noqa: E402

GUEST = ("<domain type='kvm'><name>nouri</name><memory>65536</memory>"
         "<os><type>hvm</type></os></domain>")


class NoUri(unittest.TestCase):
    def setUp(self):
        if os.geteuid() != 0:
            self.skipTest("the client probes the system sockets only as root")
        if not os.path.isdir("/run/libvirt") or not shutil.which("unshare"):
            self.skipTest("needs /run/libvirt to mount over and unshare(1)")
        self.qemu = Daemon("virtqemud").start()
        self.root = self.qemu.root
        self.proxy = None

    def tearDown(self):
        if self.proxy:
            self.proxy.close()
        self.qemu.cleanup()

    def virsh(self, *args):
        """Debian's virsh with no URI, seeing the test root's run/libvirt as
        /run/libvirt."""
        run_dir = os.path.join(self.root, "run", "libvirt")
        env = {k: v for k, v in os.environ.items() if k != "LIBVIRT_DEFAULT_URI"}
        env["LC_ALL"] = "C"
        return subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
             'mount --bind "$0" /run/libvirt && exec "$@"', run_dir, VIRSH] + list(args),
            capture_output=True, text=True, timeout=60, env=env)

    def test_only_virtqemud_is_not_found(self):
        r = self.virsh("uri")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Failed to connect socket to '/var/run/libvirt/libvirt-sock'", r.stderr)
        r = self.virsh("-r", "uri")
        self.assertIn("Failed to connect socket to '/var/run/libvirt/libvirt-sock-ro'", r.stderr)

    def test_found_through_socket_activated_virtproxyd(self):
        self.proxy = SocketActivated("virtproxyd", self.root)
        self.assertFalse(self.proxy.alive())
        r = self.virsh("uri")
        self.assertEqual((r.returncode, r.stdout.strip()), (0, "qemu:///system"),
                         r.stderr + self.proxy.log())
        self.assertTrue(self.proxy.alive())
        xml = os.path.join(self.root, "nouri.xml")
        with open(xml, "w") as f:
            f.write(GUEST)
        r = self.virsh("define", xml)
        self.assertEqual(r.returncode, 0, r.stderr)
        # the guest is virtqemud's: defined through the proxy, kept there
        self.assertTrue(os.path.exists(os.path.join(self.root, "etc", "libvirt", "qemu",
                                                    "nouri.xml")))
        r = self.virsh("-r", "list", "--all", "--name")
        self.assertEqual((r.returncode, r.stdout.split()), (0, ["nouri"]), r.stderr)
        r = self.virsh("-r", "undefine", "nouri")
        self.assertIn("read only access prevents virDomainUndefine", r.stderr)


if __name__ == "__main__":
    unittest.main()
