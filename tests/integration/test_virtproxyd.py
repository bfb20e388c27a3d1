"""virtproxyd on libvirt's legacy sockets in front of virtqemud,
virtnetworkd and virtstoraged under one --root (all four in a network
namespace this test creates): Debian's virsh and python3-libvirt reach
every driver through libvirt-sock on one connection (domains with their
events and console, networks, pools and volumes with an upload and a
download), the read-only socket refuses writes at the proxy, a driver URI
serves its driver only, and a virtnetworkd killed with -9 fails the network
calls while the domain calls go on, until it is back on the same
connection.  Uploads and downloads also go through virtqemud's own socket
(its router passes storage streams to virtstoraged)."""
import hashlib
import os
import signal
import subprocess
import sys
import unittest
import uuid

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402
from harness import Daemon, daemon_path, virsh, wait_for  # noqa: E402
from test_console import GUEST, read_until  # noqa: E402
from test_routing import NETWORK_XML  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
harness.start_libvirt_event_loop()

DIR_POOL = """<pool type='dir'>
  <name>{name}</name>
  <target><path>{path}</path></target>
</pool>
"""

MIB = 1024 * 1024


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@unittest.skipUnless(all(os.path.exists(daemon_path(d)) for d in
                         ("virtproxyd", "virtnetworkd", "virtstoraged")), "daemons not built")
class ProxyCase(unittest.TestCase):
    def setUp(self):
        self.ns = f"vk-{uuid.uuid4().hex[:8]}"
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], check=False)
        wrapper = ["ip", "netns", "exec", self.ns]
        self.qemu = Daemon("virtqemud", wrapper=wrapper)
        self.addCleanup(self.qemu.cleanup)
        self.root = self.qemu.root
        self.network = Daemon("virtnetworkd", root=self.root, wrapper=wrapper)
        self.storage = Daemon("virtstoraged", root=self.root, wrapper=wrapper)
        self.proxy = Daemon("virtproxyd", root=self.root, wrapper=wrapper)
        for d in (self.network, self.storage, self.proxy):
            self.addCleanup(d.cleanup)
        # libvirt's legacy names: libvirt-sock, libvirt-sock-ro, libvirt-admin-sock
        self.proxy.socket = lambda kind="sock": os.path.join(
            self.root, "run", "libvirt", "libvirt-" + kind)
        for d in (self.network, self.storage, self.qemu, self.proxy):
            d.start()
        self.uri = self.proxy_uri()

    def tearDown(self):
        for d in (self.proxy, self.qemu, self.network, self.storage):
            self.assertTrue(d.alive() or d is self.network,
                            f"{d.name} died:\n{d.stderr()[-3000:]}")

    def proxy_uri(self, scheme="qemu", kind="sock"):
        return f"{scheme}+unix:///system?socket={self.proxy.socket(kind)}"

    def virsh_ok(self, *args, uri=None):
        r = virsh(uri or self.uri, *args)
        self.assertEqual(r.returncode, 0, f"virsh {' '.join(args)}: {r.stderr}\n--- proxy ---\n"
                                          f"{self.proxy.stderr()[-2000:]}")
        return r.stdout

    def write(self, name, text):
        path = os.path.join(self.root, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def open(self):
        conn = libvirt.open(self.uri)
        self.addCleanup(conn.close)
        return conn


class Proxy(ProxyCase):
    def test_every_driver_on_one_connection(self):
        conn = self.open()
        events = []
        conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            lambda c, d, ev, detail, o: events.append(("domain", d.name(), ev)), None)
        conn.networkEventRegisterAny(
            None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
            lambda c, n, ev, detail, o: events.append(("network", n.name(), ev)), None)
        conn.storagePoolEventRegisterAny(
            None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
            lambda c, p, ev, detail, o: events.append(("pool", p.name(), ev)), None)

        # the host and the hypervisor: virtqemud's answers; the library: ours
        self.assertEqual(conn.getType(), "QEMU")
        self.assertGreater(conn.getVersion(), 0)
        self.assertIn("<capabilities>", conn.getCapabilities())
        self.assertEqual(len(conn.getInfo()), 8)
        self.assertEqual(conn.getLibVersion(), 9000000)

        # a domain: lifecycle, its events and its console through the proxy
        dom = conn.defineXML(GUEST.format(name="proxied"))
        dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        stream = conn.newStream(0)
        dom.openConsole(None, stream, 0)
        dom.resume()
        read_until(stream, b"Press ESC for boot menu")
        stream.send(b"\x1b")
        read_until(stream, b"Select boot device")
        stream.finish()
        dom.destroy()
        self.assertEqual([d.name() for d in conn.listAllDomains()], ["proxied"])

        # a network
        net = conn.networkDefineXML(NETWORK_XML.format(name="pnet"))
        net.create()
        self.assertTrue(net.isActive())
        self.assertIn("pnet", [n.name() for n in conn.listAllNetworks()])

        # a pool and a volume, with an upload and a download
        pool = conn.storagePoolDefineXML(DIR_POOL.format(
            name="ppool", path=os.path.join(self.root, "ppool")))
        pool.build()
        pool.create()
        vol = pool.createXML("<volume><name>v.raw</name><capacity>4194304</capacity>"
                             "<target><format type='raw'/></target></volume>")
        data = os.urandom(3 * MIB + 777)
        up = conn.newStream(0)
        vol.upload(up, 0, len(data))
        up.send(data)
        up.finish()
        down = conn.newStream(0)
        vol.download(down, 0, len(data))
        got = b""
        while len(got) < len(data):
            chunk = down.recv(MIB)
            self.assertTrue(chunk, "download ended early")
            got += chunk
        down.finish()
        self.assertEqual(hashlib.sha256(got).hexdigest(), hashlib.sha256(data).hexdigest())

        want = [("domain", "proxied", libvirt.VIR_DOMAIN_EVENT_DEFINED),
                ("domain", "proxied", libvirt.VIR_DOMAIN_EVENT_STARTED),
                ("domain", "proxied", libvirt.VIR_DOMAIN_EVENT_RESUMED),
                ("domain", "proxied", libvirt.VIR_DOMAIN_EVENT_STOPPED),
                ("network", "pnet", libvirt.VIR_NETWORK_EVENT_DEFINED),
                ("network", "pnet", libvirt.VIR_NETWORK_EVENT_STARTED),
                ("pool", "ppool", libvirt.VIR_STORAGE_POOL_EVENT_DEFINED),
                ("pool", "ppool", libvirt.VIR_STORAGE_POOL_EVENT_STARTED)]
        wait_for(lambda: all(w in events for w in want), what=f"events {want}, got {events}")

    def test_virsh_upload_download(self):
        pool_dir = os.path.join(self.root, "vpool")
        self.virsh_ok("pool-define", self.write("vpool.xml", DIR_POOL.format(
            name="vpool", path=pool_dir)))
        self.virsh_ok("pool-build", "vpool")
        self.virsh_ok("pool-start", "vpool")
        self.virsh_ok("vol-create-as", "vpool", "big.raw", "40M")
        src = os.path.join(self.root, "src")
        with open(src, "wb") as f:
            f.write(os.urandom(40 * MIB))
        # through the proxy, and through virtqemud's own socket
        for uri in (self.uri, self.qemu.uri()):
            for name in ("up", "down"):
                path = os.path.join(self.root, name)
                if os.path.exists(path):
                    os.unlink(path)
            self.virsh_ok("vol-upload", "--pool", "vpool", "big.raw", src, uri=uri)
            self.assertEqual(sha256(os.path.join(pool_dir, "big.raw")), sha256(src))
            self.virsh_ok("vol-download", "--pool", "vpool", "big.raw",
                          os.path.join(self.root, "down"), uri=uri)
            self.assertEqual(sha256(os.path.join(self.root, "down")), sha256(src))
        # the proxy's memory stays small while 40 MiB pass
        with open(f"/proc/{self.proxy_pid()}/status") as f:
            rss = [int(line.split()[1]) for line in f if line.startswith("VmHWM")][0]
        sys.stderr.write(f"[virtproxyd peak RSS after 2 x 40 MiB each way: {rss} KiB]\n")
        self.assertLess(rss, 16 * 1024, "virtproxyd's peak RSS (KiB)")

    def proxy_pid(self):
        out = subprocess.run(["pgrep", "-f", f"virtproxyd --root {self.root}"],
                             capture_output=True, text=True).stdout.split()
        return int(out[0])

    def test_readonly_socket(self):
        ro = self.proxy_uri(kind="sock-ro")
        path = self.write("g.xml", GUEST.format(name="ro"))
        for args, api in ((("define", path), "virDomainDefineXML"),
                          (("net-define", self.write("n.xml", NETWORK_XML.format(name="ro"))),
                           "virNetworkDefineXML"),
                          (("pool-define-as", "ro", "dir", "--target", self.root),
                           "virStoragePoolDefineXML")):
            r = virsh(ro, *args, readonly=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn(f"operation forbidden: read only access prevents {api}", r.stderr)
        for args in (("list", "--all"), ("net-list", "--all"), ("pool-list", "--all"),
                     ("nodeinfo",)):
            r = virsh(ro, *args, readonly=True)
            self.assertEqual(r.returncode, 0, f"{args}: {r.stderr}")

    def test_driver_uri_serves_its_driver(self):
        net_uri = self.proxy_uri(scheme="network")
        self.virsh_ok("net-list", "--all", uri=net_uri)
        r = virsh(net_uri, "list", "--all")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("this function is not supported by the connection driver", r.stderr)
        self.virsh_ok("pool-list", "--all", uri=self.proxy_uri(scheme="storage"))

    def test_node_devices_and_admin_socket(self):
        # no virtnodedevd here: libvirt's error for its calls, as from virtqemud
        r = virsh(self.uri, "nodedev-list")
        self.assertNotEqual(r.returncode, 0)
        missing = os.path.join(self.root, "run", "libvirt", "virtnodedevd-sock")
        self.assertIn(f"Failed to connect socket to '{missing}': No such file or directory",
                      r.stderr)
        r = harness.run(["virt-admin", "-c", "virtproxyd+unix:///system?socket="
                         + self.proxy.socket("admin-sock"), "srv-list"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("virtproxyd", r.stdout)

    def test_network_daemon_killed_and_back(self):
        conn = self.open()
        conn.networkDefineXML(NETWORK_XML.format(name="kept"))
        dom = conn.defineXML(GUEST.format(name="stays"))
        self.network.stop(signal.SIGKILL)
        with self.assertRaises(libvirt.libvirtError) as cm:
            conn.listAllNetworks()
        msg = str(cm.exception)
        sys.stderr.write(f"[first network call after kill -9: {msg}]\n")
        self.assertTrue("virtnetworkd-sock" in msg or "End of file while reading data" in msg, msg)
        # and again: no connection is kept to a daemon that is gone
        with self.assertRaises(libvirt.libvirtError) as cm:
            conn.networkLookupByName("kept")
        self.assertIn(f"Failed to connect socket to '{self.network.socket()}'", str(cm.exception))
        # the other daemons go on
        self.assertEqual(dom.name(), conn.lookupByName("stays").name())
        dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        dom.destroy()
        self.assertEqual(conn.listAllStoragePools(), [])
        self.network.start()
        self.assertEqual([n.name() for n in conn.listAllNetworks()], ["kept"])


if __name__ == "__main__":
    unittest.main()
