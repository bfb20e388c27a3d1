"""Bad input over a raw socket: each bad frame gets libvirt's error reply or
a clean disconnect of that client only, while another client keeps being
served and the daemon never crashes."""
import os
import socket
import struct
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (REMOTE_PROG, KEEPALIVE_PROG, Daemon, DaemonTestCase, connect_raw,  # noqa: E402
                     decode_error, frame, read_frame)

AUTH_LIST = 66
CONNECT_OPEN = 1
GET_LIB_VERSION = 157
VIR_ERR_INTERNAL_ERROR = 1
VIR_ERR_RPC = 39
VIR_FROM_RPC = 7


class RawClient:
    def __init__(self, path):
        self.sock = connect_raw(path)
        self.serial = 0

    def call(self, proc, payload=b"", prog=REMOTE_PROG, vers=1, mtype=0, status=0):
        self.serial += 1
        self.sock.sendall(frame(prog, vers, proc, mtype, self.serial, status, payload))
        return read_frame(self.sock)

    def open(self):
        self.call(AUTH_LIST)
        # name: optional string absent; flags 0
        header, _ = self.call(CONNECT_OPEN, struct.pack(">II", 0, 0))
        assert header[5] == 0, "open failed"

    def closed_by_peer(self, timeout=5):
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True


class BadInput(DaemonTestCase):
    def setUp(self):
        super().setUp()
        # A well-behaved client that must be served throughout.
        self.good = RawClient(self.daemon.socket())
        self.good.open()

    def tearDown(self):
        self.assert_good_client_served()
        super().tearDown()

    def assert_good_client_served(self):
        header, payload = self.good.call(GET_LIB_VERSION)
        self.assertEqual(header[5], 0)
        self.assertEqual(struct.unpack(">Q", payload)[0], 9000000)

    def assert_error_reply(self, reply, code, domain, message):
        self.assertIsNotNone(reply, "expected an error reply, got a disconnect")
        header, payload = reply
        self.assertEqual(header[3], 1, "not a reply")
        self.assertEqual(header[5], 1, "status is not ERROR")
        self.assertEqual(decode_error(payload), (code, domain, message))

    def test_length_below_header(self):
        bad = connect_raw(self.daemon.socket())
        bad.sendall(struct.pack(">I", 8) + b"\0" * 4)
        self.assertTrue(RawClient.closed_by_peer(type("c", (), {"sock": bad})()))

    def test_length_over_limit(self):
        bad = connect_raw(self.daemon.socket())
        bad.sendall(struct.pack(">I", 64 * 1024 * 1024) + b"\0" * 24)
        self.assertTrue(RawClient.closed_by_peer(type("c", (), {"sock": bad})()))

    def test_wrong_program(self):
        c = RawClient(self.daemon.socket())
        self.assert_error_reply(c.call(1, prog=0x1234), VIR_ERR_RPC, VIR_FROM_RPC,
                                "Cannot find program 4660 version 1")
        # The connection stays usable.
        self.assertEqual(c.call(AUTH_LIST)[0][5], 0)

    def test_wrong_version(self):
        c = RawClient(self.daemon.socket())
        self.assert_error_reply(c.call(1, vers=7), VIR_ERR_RPC, VIR_FROM_RPC,
                                f"Cannot find program {REMOTE_PROG} version 7")

    def test_unknown_procedure(self):
        c = RawClient(self.daemon.socket())
        c.open()
        self.assert_error_reply(c.call(9999), VIR_ERR_RPC, VIR_FROM_RPC,
                                "unknown procedure: 9999")
        self.assert_error_reply(c.call(0), VIR_ERR_RPC, VIR_FROM_RPC, "unknown procedure: 0")
        self.assert_error_reply(c.call(-5), VIR_ERR_RPC, VIR_FROM_RPC, "unknown procedure: -5")

    def test_call_before_open(self):
        c = RawClient(self.daemon.socket())
        self.assert_error_reply(c.call(4), VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                                "internal error: hypervisor connection not open")

    def test_truncated_body(self):
        c = RawClient(self.daemon.socket())
        c.call(AUTH_LIST)
        # CONNECT_OPEN says "name present" and then ends.
        self.assert_error_reply(c.call(CONNECT_OPEN, b"\0\0\0\1"), VIR_ERR_RPC, VIR_FROM_RPC,
                                "Unable to decode message payload")
        # A body longer than its arguments is refused the same way.
        self.assert_error_reply(c.call(CONNECT_OPEN, struct.pack(">III", 0, 0, 7)),
                                VIR_ERR_RPC, VIR_FROM_RPC, "Unable to decode message payload")

    def test_frame_cut_short_then_hang_up(self):
        bad = connect_raw(self.daemon.socket())
        data = frame(REMOTE_PROG, 1, AUTH_LIST)
        bad.sendall(data[:10])
        bad.close()

    def test_garbage_bytes(self):
        bad = connect_raw(self.daemon.socket())
        bad.sendall(os.urandom(4096))
        # Either the length word is out of range (disconnect), or the daemon
        # waits for the rest of an enormous frame: hang up ourselves then.
        bad.settimeout(1)
        try:
            bad.recv(4096)
        except (socket.timeout, ConnectionResetError):
            pass
        bad.close()

    def test_bad_status_and_type(self):
        c = RawClient(self.daemon.socket())
        self.assert_error_reply(c.call(AUTH_LIST, status=1), VIR_ERR_RPC, VIR_FROM_RPC,
                                "Unexpected message status 1")
        # A REPLY sent to the server expects nothing back; the connection lives.
        c.sock.sendall(frame(REMOTE_PROG, 1, AUTH_LIST, mtype=1, serial=99))
        self.assertEqual(c.call(AUTH_LIST)[0][5], 0)

    def test_silent_client_not_dropped(self):
        # A client that connects and never sends is kept (go-libvirt style),
        # and does not hold up anyone else.
        silent = connect_raw(self.daemon.socket())
        self.assert_good_client_served()
        silent.settimeout(0.5)
        with self.assertRaises(socket.timeout):
            silent.recv(1)
        silent.close()

    def test_many_clients_hang_up_mid_call(self):
        for _ in range(50):
            c = connect_raw(self.daemon.socket())
            c.sendall(frame(REMOTE_PROG, 1, AUTH_LIST) * 20)
            c.close()
        self.assert_good_client_served()


class KeepaliveSilentClient(unittest.TestCase):
    """A client that never asked for keepalive is never pinged or dropped;
    one that asked and stops answering is dropped."""

    def setUp(self):
        self.daemon = Daemon(config="keepalive_interval = 1\nkeepalive_count = 2\n").start()

    def tearDown(self):
        alive = self.daemon.alive()
        self.daemon.cleanup()
        self.assertTrue(alive)

    def test_go_libvirt_style_client_kept(self):
        c = RawClient(self.daemon.socket())
        c.open()
        time.sleep(4.5)
        header, payload = c.call(GET_LIB_VERSION)
        self.assertEqual(header[5], 0)

    def test_keepalive_client_that_stops_answering_is_dropped(self):
        c = RawClient(self.daemon.socket())
        c.open()
        reply = c.call(60, struct.pack(">i", 10))  # supports keepalive?
        self.assertEqual(struct.unpack(">i", reply[1])[0], 1)
        c.sock.settimeout(10)
        pings = 0
        start = time.monotonic()
        while True:
            got = read_frame(c.sock, timeout=10)
            if got is None:
                break
            header, _ = got
            self.assertEqual((header[0], header[2], header[3]), (KEEPALIVE_PROG, 1, 2))
            pings += 1
        self.assertGreaterEqual(pings, 2)
        self.assertLess(time.monotonic() - start, 8)


if __name__ == "__main__":
    unittest.main()
