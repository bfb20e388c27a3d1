"""Event callback ids through the router: a client that registers domain,
network, storage pool and node device events on one connection gets ids
of its own, all distinct, although each daemon numbers its callbacks from
1 (common/driver/route-callbacks.h).  On the wire (a raw client on
libvirt-sock, and on virtqemud's own socket where the domain callbacks
are local and the network ones routed): distinct ids in the replies, each
event under the id its registration got, a deregistered id refused
afterwards.  Through python3-libvirt on virtproxyd: each event reaches its
callback, and deregistering one leaves the others working.  All daemons
run in a network namespace this test creates (a veth pair there makes the
node device events)."""
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import unittest

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402
from harness import Daemon, daemon_path, frame, read_frame, wait_for  # noqa: E402
from test_console import GUEST  # noqa: E402
from test_virtproxyd import DIR_POOL, ProxyCase  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
harness.start_libvirt_event_loop()

REMOTE_PROG = 0x20008086
CALL, REPLY, MESSAGE = 0, 1, 2
AUTH_LIST, CONNECT_OPEN = 66, 1
# (register, deregister) per kind, and the lifecycle event of each
REGISTER = {"domain": (316, 317), "network": (313, 314), "pool": (368, 369),
            "nodedev": (374, 375)}
LIFECYCLE = {318: "domain", 315: "network", 370: "pool", 376: "nodedev"}
VIR_ERR_RPC, VIR_FROM_RPC = 39, 7
NETWORK_XML = """<network>
  <name>{name}</name>
  <bridge name='vk{name}'/>
</network>
"""


class RawClient:
    """The remote protocol by hand: calls wait for their reply, events
    that come meanwhile are kept as (kind, callbackID)."""

    def __init__(self, path):
        self.sock = harness.connect_raw(path)
        self.serial = 0
        self.events = []
        self.call(AUTH_LIST)
        hdr, _ = self.call(CONNECT_OPEN, struct.pack(">II", 0, 0))
        assert hdr[5] == 0, "CONNECT_OPEN failed"

    def close(self):
        self.sock.close()

    def call(self, proc, payload=b""):
        self.serial += 1
        self.sock.sendall(frame(REMOTE_PROG, 1, proc, CALL, self.serial, 0, payload))
        while True:
            got = read_frame(self.sock)
            assert got is not None, "connection closed"
            hdr, body = got
            if hdr[3] == REPLY and hdr[4] == self.serial:
                return hdr, body
            self.keep_event(hdr, body)

    def keep_event(self, hdr, body):
        if hdr[3] == MESSAGE and hdr[2] in LIFECYCLE:
            self.events.append((LIFECYCLE[hdr[2]], struct.unpack(">i", body[:4])[0]))

    def register(self, kind):
        """The callback id of a lifecycle registration of KIND, for every object."""
        hdr, body = self.call(REGISTER[kind][0], struct.pack(">iI", 0, 0))
        assert hdr[5] == 0, f"registering {kind}: {harness.decode_error(body)}"
        return struct.unpack(">i", body)[0]

    def deregister(self, kind, callback_id):
        """None, or the error record's (code, domain, message)."""
        hdr, body = self.call(REGISTER[kind][1], struct.pack(">i", callback_id))
        return None if hdr[5] == 0 else harness.decode_error(body)

    def wait_events(self, want, timeout=10):
        """Read events until WANT (a list of (kind, id)) are all in."""
        end = time.monotonic() + timeout
        while not all(w in self.events for w in want):
            self.assertTrue(time.monotonic() < end, f"events {want}, got {self.events}")
            try:
                got = read_frame(self.sock, timeout=0.2)
            except TimeoutError:
                continue
            self.assertTrue(got, "connection closed")
            self.keep_event(*got)

    def assertTrue(self, cond, what):
        if not cond:
            raise AssertionError(what)


@unittest.skipUnless(os.path.exists(daemon_path("virtnodedevd")), "virtnodedevd not built")
class CallbackIds(ProxyCase):
    def setUp(self):
        super().setUp()
        self.nodedev = Daemon("virtnodedevd", root=self.root,
                              wrapper=["ip", "netns", "exec", self.ns])
        self.addCleanup(self.nodedev.cleanup)
        self.nodedev.start()
        self.conn = self.open()

    def ns_run(self, *cmd):
        subprocess.run(["ip", "netns", "exec", self.ns, *cmd], check=True)

    def make_events(self, tag):
        """One lifecycle event of each kind, through a connection of their own."""
        self.conn.defineXML(GUEST.format(name=f"dom{tag}"))
        self.conn.networkDefineXML(NETWORK_XML.format(name=f"net{tag}"))
        self.conn.storagePoolDefineXML(DIR_POOL.format(
            name=f"pool{tag}", path=os.path.join(self.root, f"pool{tag}")))
        self.ns_run("ip", "link", "add", f"vkcb{tag}a", "type", "veth", "peer",
                    "name", f"vkcb{tag}b")

    def raw(self, path):
        raw = RawClient(path)
        self.addCleanup(raw.close)
        return raw

    def test_raw_ids_through_the_proxy(self):
        raw = self.raw(self.proxy.socket())
        ids = {kind: raw.register(kind) for kind in REGISTER}
        self.assertEqual(len(set(ids.values())), 4, ids)
        self.make_events("1")
        raw.wait_events([(kind, ids[kind]) for kind in ids])
        # nothing under an id the client does not hold
        self.assertFalse({i for _, i in raw.events} - set(ids.values()), raw.events)
        for kind, i in raw.events:
            self.assertEqual(ids[kind], i, raw.events)

        self.assertIsNone(raw.deregister("network", ids["network"]))
        self.assertEqual(raw.deregister("network", ids["network"]),
                         (VIR_ERR_RPC, VIR_FROM_RPC,
                          f"network event callback {ids['network']} not registered"))
        # a kind's own id only: a pool id does not deregister a domain callback
        self.assertIsNotNone(raw.deregister("domain", ids["pool"]))
        del raw.events[:]
        self.make_events("2")
        raw.wait_events([(kind, ids[kind]) for kind in ("domain", "pool", "nodedev")])
        raw.call(AUTH_LIST)   # the network event, had it come, is in by now
        self.assertNotIn("network", [k for k, _ in raw.events], raw.events)

    def test_raw_ids_of_a_daemon_that_went_away(self):
        raw = self.raw(self.proxy.socket())
        ids = {kind: raw.register(kind) for kind in ("domain", "network")}
        self.network.stop(signal.SIGKILL)
        self.network.start()
        # its registrations went with it: the client registers again
        self.assertEqual(raw.deregister("network", ids["network"]),
                         (VIR_ERR_RPC, VIR_FROM_RPC,
                          f"network event callback {ids['network']} not registered"))
        again = raw.register("network")
        self.assertNotIn(again, ids.values())
        self.conn.networkDefineXML(NETWORK_XML.format(name="netback"))
        self.conn.defineXML(GUEST.format(name="domback"))
        raw.wait_events([("network", again), ("domain", ids["domain"])])
        self.assertNotIn(("network", ids["network"]), raw.events)

    def test_python_client_told_of_a_lost_daemon(self):
        # libvirt's clients learn of a lost connection through their close
        # callback, then open again and register their callbacks again
        closed, seen = [], []
        self.conn.registerCloseCallback(lambda c, reason, o: closed.append(reason), None)
        self.conn.networkEventRegisterAny(
            None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
            lambda c, n, ev, detail, o: seen.append(("old", n.name())), None)
        self.conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            lambda c, d, ev, detail, o: seen.append(("old", d.name())), None)
        self.conn.listAllNetworks()   # the proxy connects to virtnetworkd
        self.network.stop(signal.SIGKILL)
        wait_for(lambda: closed == [libvirt.VIR_CONNECT_CLOSE_REASON_EOF],
                 what=f"the close callback, got {closed}")
        self.network.start()
        again = self.open()
        again.networkEventRegisterAny(
            None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
            lambda c, n, ev, detail, o: seen.append(("new", n.name())), None)
        again.networkDefineXML(NETWORK_XML.format(name="netnew"))
        again.defineXML(GUEST.format(name="domnew"))
        wait_for(lambda: ("new", "netnew") in seen and ("old", "domnew") in seen,
                 what=f"events on both connections, got {seen}")
        self.assertNotIn(("old", "netnew"), seen)

    def test_raw_ids_through_virtqemud(self):
        # the domain callbacks are virtqemud's own, the others routed
        raw = self.raw(self.qemu.socket())
        ids = {kind: raw.register(kind) for kind in REGISTER}
        self.assertEqual(len(set(ids.values())), 4, ids)
        self.make_events("3")
        raw.wait_events([(kind, ids[kind]) for kind in ids])

    def test_python_callbacks_on_one_connection(self):
        seen = []
        lock = threading.Lock()

        def note(kind):
            def callback(conn, obj, event, detail, opaque):
                with lock:
                    seen.append((kind, obj.name(), event))
            return callback

        conn = self.conn
        ids = {
            "domain": conn.domainEventRegisterAny(
                None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, note("domain"), None),
            "network": conn.networkEventRegisterAny(
                None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, note("network"), None),
            "pool": conn.storagePoolEventRegisterAny(
                None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, note("pool"), None),
            "nodedev": conn.nodeDeviceEventRegisterAny(
                None, libvirt.VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE, note("nodedev"), None),
        }
        self.assertEqual(len(set(ids.values())), 4, ids)
        self.make_events("4")
        want = [("domain", "dom4", libvirt.VIR_DOMAIN_EVENT_DEFINED),
                ("network", "net4", libvirt.VIR_NETWORK_EVENT_DEFINED),
                ("pool", "pool4", libvirt.VIR_STORAGE_POOL_EVENT_DEFINED)]
        wait_for(lambda: all(w in seen for w in want) and
                 any(k == "nodedev" and n.startswith("net_vkcb4a") for k, n, _ in seen),
                 what=f"events {want} and vkcb4a's, got {seen}")

        conn.networkEventDeregisterAny(ids["network"])
        with lock:
            del seen[:]
        self.make_events("5")
        want = [("domain", "dom5", libvirt.VIR_DOMAIN_EVENT_DEFINED),
                ("pool", "pool5", libvirt.VIR_STORAGE_POOL_EVENT_DEFINED)]
        wait_for(lambda: all(w in seen for w in want) and
                 any(k == "nodedev" and n.startswith("net_vkcb5a") for k, n, _ in seen),
                 what=f"events {want} and vkcb5a's, got {seen}")
        conn.networkDefineXML(NETWORK_XML.format(name="net6"))
        conn.defineXML(GUEST.format(name="dom6"))
        wait_for(lambda: ("domain", "dom6", libvirt.VIR_DOMAIN_EVENT_DEFINED) in seen,
                 what="dom6's event")
        self.assertNotIn("network", [k for k, _, _ in seen], seen)


if __name__ == "__main__":
    unittest.main()
