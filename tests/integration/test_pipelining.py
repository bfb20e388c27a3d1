"""Many calls in flight on one connection: every call gets exactly one reply
with its own serial and procedure, whether it ran on the main loop or on a
worker, and the daemon stays up (it once crashed when a main-loop call ended
while reading was paused)."""
import os
import socket
import struct
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import REMOTE_PROG, DaemonTestCase, frame, read_frame  # noqa: E402

AUTH_LIST = 66
CONNECT_OPEN = 1
GET_VERSION = 4          # high priority: runs on the main loop
NODE_GET_INFO = 6        # high priority
GET_CAPABILITIES = 7     # runs on a worker
GET_HOSTNAME = 59        # high priority
LIST_ALL_DOMAINS = 273   # main loop (inline)
GET_LIB_VERSION = 157    # high priority

# [capabilities x4, version x4] as the crash report had it, plus a few more
# of each kind so both paths interleave in every window of five calls.
PATTERN = ([GET_CAPABILITIES] * 4 + [GET_VERSION] * 4 +
           [GET_HOSTNAME, GET_CAPABILITIES, NODE_GET_INFO, GET_LIB_VERSION, GET_CAPABILITIES,
            LIST_ALL_DOMAINS])
LIST_ALL_DOMAINS_ARGS = struct.pack(">iI", 1, 1)   # need_results, flags=ACTIVE


def open_connection(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    sock.sendall(frame(REMOTE_PROG, 1, AUTH_LIST, serial=1))
    read_frame(sock)
    sock.sendall(frame(REMOTE_PROG, 1, CONNECT_OPEN, serial=2, payload=struct.pack(">II", 0, 0)))
    header, _ = read_frame(sock)
    assert header[5] == 0, "open failed"
    return sock


def pipeline(path, rounds, first_serial=100):
    """Write ROUNDS x PATTERN in one go, then read every reply.  Returns a
    list of problems (empty when every serial got its one good reply)."""
    sock = open_connection(path)
    sent = {}
    chunks = []
    serial = first_serial
    for _ in range(rounds):
        for proc in PATTERN:
            payload = LIST_ALL_DOMAINS_ARGS if proc == LIST_ALL_DOMAINS else b""
            chunks.append(frame(REMOTE_PROG, 1, proc, serial=serial, payload=payload))
            sent[serial] = proc
            serial += 1
    data = b"".join(chunks)
    # Write from another thread: the daemon stops reading while five calls
    # are in flight, so a single-threaded writer could fill both buffers.
    writer = threading.Thread(target=sock.sendall, args=(data,))
    writer.start()
    problems = []
    seen = set()
    try:
        while len(seen) < len(sent):
            reply = read_frame(sock, timeout=30)
            if reply is None:
                problems.append(f"connection closed after {len(seen)} of {len(sent)} replies")
                break
            (prog, _vers, proc, mtype, rserial, status), _ = reply
            if rserial in seen:
                problems.append(f"second reply for serial {rserial}")
            elif rserial not in sent:
                problems.append(f"reply for unknown serial {rserial}")
            elif sent[rserial] != proc:
                problems.append(f"serial {rserial}: reply for procedure {proc}, "
                                f"call was {sent[rserial]}")
            elif mtype != 1 or status != 0:
                problems.append(f"serial {rserial} (procedure {proc}): type {mtype} status {status}")
            seen.add(rserial)
    except socket.timeout:
        problems.append(f"no reply within 30 s after {len(seen)} of {len(sent)}")
    finally:
        writer.join(30)
        sock.close()
    return problems


class Pipelining(DaemonTestCase):
    def test_one_connection_many_calls_in_flight(self):
        # The exact sequence from the crash report, then a longer one.
        self.assertEqual(pipeline(self.daemon.socket(), 20 * 8 // len(PATTERN) + 1), [])
        self.assertEqual(pipeline(self.daemon.socket(), 40), [])
        self.assertTrue(self.daemon.alive(), self.daemon.stderr()[-3000:])

    def test_many_connections_pipelining_at_once(self):
        results = {}

        def one(i):
            try:
                results[i] = pipeline(self.daemon.socket(), 25)
            except Exception as e:   # noqa: BLE001 - reported below
                results[i] = [f"{type(e).__name__}: {e}"]

        threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(len(results), 16, "a connection thread did not finish")
        bad = {i: p[:3] for i, p in results.items() if p}
        self.assertEqual(bad, {}, self.daemon.stderr()[-3000:])

    def test_python_libvirt_connection_shared_by_threads(self):
        import libvirt
        conn = libvirt.open(self.daemon.uri())
        errors = []
        version = conn.getVersion()

        def worker(i):
            try:
                for n in range(40):
                    if (i + n) % 2:
                        if "<capabilities>" not in conn.getCapabilities():
                            errors.append("capabilities without <capabilities>")
                    elif conn.getVersion() != version:
                        errors.append("another version")
            except libvirt.libvirtError as e:
                errors.append(str(e))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        conn.close()
        self.assertEqual(errors[:3], [])


if __name__ == "__main__":
    unittest.main()
