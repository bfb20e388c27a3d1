"""max_clients and max_queued_clients as libvirt has them: at the limit the
daemon stops accepting, so a new client waits in the socket's queue and gets
in as soon as another leaves (it is not accepted and dropped); the queue is
max_queued_clients long; virt-admin still gets in on its own socket and can
raise the limit."""
import os
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import REMOTE_PROG, DaemonTestCase, frame, read_frame, wait_for  # noqa: E402

AUTH_LIST = 66
CONFIG = "max_clients = 2\nmax_anonymous_clients = 2\nmax_queued_clients = 7\n"


def listen_backlog(path):
    """The backlog of the listening UNIX socket at PATH, as ss shows it."""
    out = subprocess.run(["ss", "-xlH", "src", path], capture_output=True, text=True).stdout
    # Netid State Recv-Q Send-Q Local-Address Port ...: Send-Q is the backlog
    fields = out.split()
    return int(fields[3])


class ClientLimits(DaemonTestCase):
    daemon_config = CONFIG

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.daemon.socket())
        self.addCleanup(s.close)
        return s

    def answered(self, sock, timeout):
        sock.sendall(frame(REMOTE_PROG, 1, AUTH_LIST, serial=7))
        try:
            reply = read_frame(sock, timeout=timeout)
        except socket.timeout:
            return False
        self.assertIsNotNone(reply, "connection closed instead of waiting")
        return reply[0][4] == 7

    def admin(self, *args):
        sock = self.daemon.socket("admin-sock")
        r = subprocess.run(["virt-admin", "-c", f"virtqemud:///system?socket={sock}"] + list(args),
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_waiting_client_gets_in_when_a_slot_frees(self):
        first, second = self.connect(), self.connect()
        self.assertTrue(self.answered(first, 5))
        self.assertTrue(self.answered(second, 5))
        waiting = self.connect()   # queued by the kernel, not accepted
        self.assertFalse(self.answered(waiting, 0.5), "a third client was served at max_clients=2")
        second.close()
        self.assertTrue(self.answered(waiting, 5), "the waiting client never got in")
        self.assertTrue(self.answered(first, 5))

    def test_admin_socket_works_at_the_limit_and_raises_it(self):
        self.connect(), self.connect()
        wait_for(lambda: "nclients_max" in self.admin("srv-clients-info", "virtqemud"))
        info = self.admin("srv-clients-info", "virtqemud")
        self.assertRegex(info, r"nclients_max\s*:\s*2")
        self.assertRegex(info, r"nclients\s*:\s*2")
        waiting = self.connect()
        self.assertFalse(self.answered(waiting, 0.3))
        self.admin("srv-clients-set", "virtqemud", "--max-clients", "3")
        self.assertTrue(self.answered(waiting, 5), "raising the limit did not let the client in")

    def test_listen_queue_is_max_queued_clients(self):
        self.assertEqual(listen_backlog(self.daemon.socket()), 7)


class DefaultQueue(DaemonTestCase):
    def test_default_queue_is_libvirts(self):
        # libvirt's defaults: 1000 for the daemon's sockets, 20 for admin
        # (the kernel caps both at net.core.somaxconn)
        with open("/proc/sys/net/core/somaxconn") as f:
            cap = int(f.read())
        self.assertEqual(listen_backlog(self.daemon.socket()), min(1000, cap))
        self.assertEqual(listen_backlog(self.daemon.socket("admin-sock")), min(20, cap))


if __name__ == "__main__":
    unittest.main()
