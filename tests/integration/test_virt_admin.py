"""Debian's virt-admin against our virtqemud's admin socket: the servers,
the worker pool, the clients (listed, described, disconnected), client
limits, logging settings and the idle timeout, in libvirtd 9.0's words."""
import os
import subprocess
import sys
import time
import unittest

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
from harness import DaemonTestCase  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


class VirtAdmin(DaemonTestCase):
    def admin(self, *args, ok=True):
        sock = os.path.join(self.daemon.root, "run", "libvirt", "virtqemud-admin-sock")
        r = subprocess.run(["virt-admin", "-c", f"virtqemud:///system?socket={sock}"] + list(args),
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode == 0, ok, f"virt-admin {args}: {r.stdout}{r.stderr}")
        return r.stdout if ok else r.stderr

    def test_servers_and_pool(self):
        self.assertIn("Running against daemon: 9.0.0", self.admin("version"))
        self.assertEqual(self.admin("srv-list"),
                         " Id   Name\n-----------------\n 0    virtqemud\n 1    admin\n\n")
        self.assertEqual(self.admin("srv-threadpool-info", "nosuch", ok=False),
                         "error: Server not found: No server named 'nosuch'\n")
        self.admin("srv-threadpool-set", "virtqemud", "--min-workers", "2", "--max-workers", "7")
        info = self.admin("srv-threadpool-info", "virtqemud")
        self.assertIn("minWorkers     : 2\nmaxWorkers     : 7\n", info)
        self.assertIn("prioWorkers    : 0\njobQueueDepth  : 0\n", info)
        err = self.admin("srv-threadpool-set", "virtqemud", "--min-workers", "9", ok=False)
        self.assertIn("maxWorkers must be greater than or equal to minWorkers", err)

    def test_clients(self):
        rw = libvirt.open(self.daemon.uri())
        ro = libvirt.openReadOnly(self.daemon.uri("sock-ro"))
        try:
            rows = [ln.split() for ln in self.admin("srv-clients-list", "virtqemud").splitlines()[2:]
                    if ln.strip()]
            self.assertEqual(len(rows), 2, rows)
            self.assertEqual({r[1] for r in rows}, {"unix"})
            infos = [self.admin("client-info", "virtqemud", r[0]) for r in rows]
            self.assertIn("readonly       : no\n", infos[0])
            self.assertIn("readonly       : yes\n", infos[1])
            for info in infos:
                self.assertIn(f"unix_user_id   : {os.getuid()}\n", info)
                self.assertIn(f"unix_process_id: {os.getpid()}\n", info)
            self.assertEqual(self.admin("client-info", "virtqemud", "99999", ok=False),
                             "error: Client not found: No client with matching ID '99999'\n")
            limits = self.admin("srv-clients-info", "virtqemud")
            self.assertIn("nclients            : 2\n", limits)
            self.admin("srv-clients-set", "virtqemud", "--max-clients", "100")
            self.assertIn("nclients_max        : 100\n", self.admin("srv-clients-info", "virtqemud"))
            # the admin server has the admin sockets' clients (virt-admin itself)
            self.assertEqual(len(self.admin("srv-clients-list", "admin").splitlines()), 4)

            self.assertEqual(self.admin("client-disconnect", "virtqemud", rows[0][0]),
                             f"Client '{rows[0][0]}' disconnected\n")
            with self.assertRaises(libvirt.libvirtError):
                rw.getHostname()
            self.assertEqual(ro.getLibVersion(), 9000000)
        finally:
            ro.close()

    def test_logging_and_timeout(self):
        self.assertEqual(self.admin("daemon-log-filters"), " Logging filters: \n\n")
        self.admin("daemon-log-filters", "--filters", "1:qemu 3:rpc")
        self.assertEqual(self.admin("daemon-log-filters"), " Logging filters: 1:qemu 3:rpc\n\n")
        self.admin("daemon-log-outputs", "--outputs", "3:stderr")
        self.assertEqual(self.admin("daemon-log-outputs"), " Logging outputs: 3:stderr\n\n")
        self.assertIn("invalid argument",
                      self.admin("daemon-log-filters", "--filters", "9:x", ok=False))
        # an idle timeout set now makes the daemon go once nobody is connected
        self.admin("daemon-timeout", "--timeout", "1")
        deadline = time.monotonic() + 15
        while self.daemon.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertFalse(self.daemon.alive(), "daemon ignored the timeout set by virt-admin")
        self.daemon.start()   # tearDown wants one alive


if __name__ == "__main__":
    unittest.main()
