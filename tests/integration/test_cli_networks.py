"""Network commands of our CLI (and libvirtkit's network calls underneath)
against our virtnetworkd, compared with what Debian's virsh prints for the
same daemon in the same state: output, error lines and exit codes.  The
daemon runs in a network namespace this test makes; the host's interfaces
and firewall are never touched."""
import ctypes
import os
import subprocess
import sys
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import (BUILD, CliCompareMixin, Daemon, VirshMixin, virsh,  # noqa: E402
                     virtkit)

LIBVIRTKIT = os.path.join(BUILD, "client", "libvirtkit.so")

# An isolated network with DHCP: starting it makes a bridge and a dnsmasq.
NETWORK = """<network>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <bridge name='{bridge}'/>
  <ip address='{prefix}.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='{prefix}.100' end='{prefix}.150'/>
    </dhcp>
  </ip>
</network>
"""

NETS = {
    "n1": dict(uuid="6f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a01", bridge="vkbr1", prefix="192.168.231"),
    "n2": dict(uuid="6f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a02", bridge="vkbr2", prefix="192.168.232"),
    "t1": dict(uuid="6f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a03", bridge="vkbr3", prefix="192.168.233"),
}

HOST = "<host mac='52:54:00:00:02:01' name='fixed' ip='{prefix}.10'/>"

# udhcpc calls this with the lease in its environment
UDHCPC_SCRIPT = """#!/bin/sh
case "$1" in
bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/$mask" dev "$interface" ;;
esac
exit 0
"""


def sh(*cmd, check=True):
    return subprocess.run(list(cmd), capture_output=True, text=True, check=check)


class NetworkNamespaceCase(VirshMixin, unittest.TestCase):
    """virtnetworkd inside a fresh network namespace."""

    def setUp(self):
        self.ns = f"vkc-{uuid.uuid4().hex[:8]}"
        sh("ip", "netns", "add", self.ns)
        self.addCleanup(sh, "ip", "netns", "del", self.ns, check=False)
        sh("ip", "-n", self.ns, "link", "set", "lo", "up")
        self.daemon = Daemon("virtnetworkd", wrapper=["ip", "netns", "exec", self.ns])
        self.addCleanup(lambda: sh("pkill", "-KILL", "-f", f"dnsmasq.*{self.daemon.root}/",
                                   check=False))
        self.addCleanup(self.daemon.cleanup)
        # dnsmasq reads its hosts files as nobody: the root must be traversable
        os.chmod(self.daemon.root, 0o711)
        self.daemon.start()
        self.uri = self.daemon.uri()
        self.files = {name: self.write(f"{name}.xml", NETWORK.format(name=name, **spec))
                      for name, spec in NETS.items()}
        self.files["bad"] = self.write("bad.xml", "<network")
        self.files["host"] = self.write("host.xml", HOST.format(prefix=NETS["n1"]["prefix"]))


class CliNetworks(CliCompareMixin, NetworkNamespaceCase):
    # --- driving the daemon with the reference client -------------------------

    def ref(self, *args, ok=True):
        r = virsh(self.uri, *args)
        if ok is not None:
            self.assertEqual(r.returncode == 0, ok, f"virsh {args}: {r.stderr}")
        return r

    def names(self, *flags):
        return self.ref("net-list", "--name", *flags).stdout.split()

    def to_state(self, name, state):
        """Bring network NAME to STATE with virsh: undefined, inactive,
        active, autostart (inactive, marked), transient (active, not
        persistent)."""
        if name in self.names():
            self.ref("net-destroy", name)
        if state in ("undefined", "transient"):
            if name in self.names("--all"):
                self.ref("net-undefine", name)
            if state == "transient":
                self.ref("net-create", self.files[name])
            return
        # defined afresh each time: a change made before (net-update) is gone
        self.ref("net-define", self.files[name])
        self.ref("net-autostart", name, *([] if state == "autostart" else ["--disable"]))
        if state == "active":
            self.ref("net-start", name)

    def state(self, name, state):
        return lambda: self.to_state(name, state)

    # --- tests -----------------------------------------------------------------

    def test_define_undefine(self):
        r = self.assertSameChange(self.state("n1", "undefined"), "net-define", self.files["n1"])
        self.assertEqual(r.stdout, f"Network n1 defined from {self.files['n1']}\n\n")
        self.assertSameChange(self.state("n1", "undefined"), "net-define", "--validate",
                              self.files["n1"])
        # defining again with the same UUID changes the definition
        self.assertSameChange(self.state("n1", "inactive"), "net-define", self.files["n1"])
        r = self.assertSameChange(self.state("n1", "inactive"), "net-undefine", "n1")
        self.assertEqual(r.stdout, "Network n1 has been undefined\n\n")
        self.assertSameChange(self.state("t1", "transient"), "net-undefine", "t1", ok=False)
        # by UUID: the messages quote what was given
        self.assertSameChange(self.state("n1", "inactive"), "net-undefine", NETS["n1"]["uuid"])

    def test_define_errors(self):
        self.to_state("n1", "undefined")
        r = self.assertSame("net-define", os.path.join(self.daemon.root, "nosuch.xml"), ok=False)
        self.assertIn("Failed to open file", r.stderr)
        r = self.assertSame("net-define", self.files["bad"], ok=False)
        self.assertTrue(r.stderr.startswith(
            f"error: Failed to define network from {self.files['bad']}\nerror: "), r.stderr)
        self.assertSame("net-create", self.files["bad"], ok=False)
        self.assertSame("net-define", ok=False)
        self.assertSame("net-define", self.daemon.root, ok=False)   # a directory

    def test_start_destroy(self):
        r = self.assertSameChange(self.state("n1", "inactive"), "net-start", "n1")
        self.assertEqual(r.stdout, "Network n1 started\n\n")
        self.assertSameChange(self.state("n1", "active"), "net-start", "n1", ok=False)
        r = self.assertSameChange(self.state("n1", "active"), "net-destroy", "n1")
        self.assertEqual(r.stdout, "Network n1 destroyed\n\n")
        r = self.assertSameChange(self.state("n1", "inactive"), "net-destroy", "n1", ok=False)
        self.assertTrue(r.stderr.startswith("error: Failed to destroy network n1\nerror: "),
                        r.stderr)
        uuid_ = NETS["n1"]["uuid"]
        self.assertSameChange(self.state("n1", "inactive"), "net-start", uuid_)
        self.assertSameChange(self.state("n1", "active"), "net-destroy", uuid_)
        # the bridge came and went inside the namespace
        self.to_state("n1", "active")
        self.assertEqual(sh("ip", "-n", self.ns, "link", "show", "vkbr1",
                            check=False).returncode, 0)
        self.assertEqual(virtkit(self.uri, "net-destroy", "n1").returncode, 0)
        self.assertNotEqual(sh("ip", "-n", self.ns, "link", "show", "vkbr1",
                               check=False).returncode, 0)

    def test_create(self):
        r = self.assertSameChange(self.state("t1", "undefined"), "net-create", self.files["t1"])
        self.assertEqual(r.stdout, f"Network t1 created from {self.files['t1']}\n\n")
        self.assertSame("net-info", "t1")
        self.assertSameChange(self.state("t1", "transient"), "net-create", self.files["t1"],
                              ok=False)
        self.assertSameChange(self.state("t1", "undefined"), "net-create", "--validate",
                              self.files["t1"])
        # a transient network is gone once destroyed
        self.assertSameChange(self.state("t1", "transient"), "net-destroy", "t1")
        self.assertSame("net-info", "t1", ok=False)

    def test_lists_and_queries(self):
        queries = [("net-info",), ("net-dumpxml",), ("net-dumpxml", "--inactive"),
                   ("net-uuid",), ("net-dhcp-leases",)]
        lists = [("net-list",), ("net-list", "--all"), ("net-list", "--inactive"),
                 ("net-list", "--all", "--name"), ("net-list", "--all", "--uuid"),
                 ("net-list", "--all", "--table"), ("net-list", "--persistent", "--all"),
                 ("net-list", "--transient"), ("net-list", "--all", "--autostart"),
                 ("net-list", "--all", "--no-autostart"), ("-q", "net-list", "--all"),
                 ("net-list", "--name"), ("net-list", "--inactive", "--uuid")]
        self.to_state("t1", "transient")
        for state in ("inactive", "autostart", "active"):
            self.to_state("n1", state)
            self.to_state("n2", "inactive" if state == "active" else "active")
            for q in queries:
                self.assertSame(*q, "n1", ok=None if q[0] == "net-dhcp-leases" else True)
            for q in lists:
                self.assertSame(*q)
            self.assertSame("net-name", NETS["n1"]["uuid"])
            self.assertSame("net-info", NETS["n1"]["uuid"])
            self.assertSame("net-name", "n1", ok=False)
            self.assertSame("net-uuid", NETS["n1"]["uuid"], ok=False)
            self.assertSame("-q", "net-info", "n1")
        r = self.assertSame("net-list", "--all")
        self.assertEqual(r.stdout, " Name   State      Autostart   Persistent\n"
                                   "-------------------------------------------\n"
                                   " n1     active     no          yes\n"
                                   " n2     inactive   no          yes\n"
                                   " t1     active     no          no\n\n")

    def test_autostart(self):
        r = self.assertSameChange(self.state("n1", "inactive"), "net-autostart", "n1")
        self.assertEqual(r.stdout, "Network n1 marked as autostarted\n\n")
        self.assertSame("net-list", "--all", "--autostart")
        r = self.assertSameChange(self.state("n1", "autostart"), "net-autostart", "--disable",
                                  "n1")
        self.assertEqual(r.stdout, "Network n1 unmarked as autostarted\n\n")
        self.assertSame("net-list", "--all", "--no-autostart")
        self.assertSameChange(self.state("t1", "transient"), "net-autostart", "t1", ok=False)

    def test_update(self):
        """Both tools make the same changes and say the same."""
        host = HOST.format(prefix=NETS["n1"]["prefix"])
        for state in ("inactive", "active"):
            for flags in ((), ("--config",), ("--live",), ("--current",),
                          ("--live", "--config"), ("--parent-index", "0", "--config")):
                r = self.assertSameChange(self.state("n1", state), "net-update", "n1", "add",
                                          "ip-dhcp-host", host, *flags, ok=None)
                if r.returncode == 0:
                    # --current (or nothing) is the live state of an active network
                    current = not ({"--live", "--config"} & set(flags))
                    live = "--live" in flags or (current and state == "active")
                    config = "--config" in flags or (current and state != "active")
                    if live:
                        self.assertIn("52:54:00:00:02:01", self.ref("net-dumpxml", "n1").stdout)
                    if config:
                        self.assertIn("52:54:00:00:02:01",
                                      self.ref("net-dumpxml", "--inactive", "n1").stdout)
                    self.assertRegex(r.stdout, r"^Updated network n1 (persistent config|"
                                               r"live state|persistent config and live state)\n$")
            self.assertSameChange(self.state("n1", state), "net-update", "n1", "add-last",
                                  "ip-dhcp-host", self.files["host"], ok=None)
            self.assertSameChange(self.state("n1", state), "net-update", "n1", "delete",
                                  "ip-dhcp-host", host, "--config", ok=None)
        for args in (("bogus", "ip-dhcp-host", host), ("add", "bogus", host),
                     ("add", "none", host), ("none", "ip-dhcp-host", host),
                     ("add", "ip-dhcp-host", host, "--current", "--live"),
                     ("add", "ip-dhcp-host", host, "--current", "--config"),
                     ("add", "ip-dhcp-host", host, "--parent-index", "x"),
                     ("add", "ip-dhcp-host", os.path.join(self.daemon.root, "nosuch")),
                     ("add", "ip-dhcp-host")):
            self.assertSame("net-update", "n1", *args, ok=False)

    def test_unknown_network(self):
        for cmd in ("net-info", "net-uuid", "net-dumpxml", "net-start", "net-destroy",
                    "net-undefine", "net-autostart", "net-dhcp-leases"):
            r = self.assertSame(cmd, "nosuch", ok=False)
            self.assertEqual(r.stderr, "error: failed to get network 'nosuch'\n"
                                       "error: Network not found: no network with matching "
                                       "name 'nosuch'\n", cmd)
        r = self.assertSame("net-name", "nosuch", ok=False)
        self.assertEqual(r.stderr, "error: failed to get network 'nosuch'\n")
        self.assertSame("net-name", "00000000-0000-0000-0000-000000000000", ok=False)
        self.assertSame("net-update", "nosuch", "add", "ip-dhcp-host", "<host/>", ok=False)

    def test_bad_command_lines(self):
        self.to_state("n1", "inactive")
        for args in (("net-start",), ("net-define",), ("net-info", "n1", "extra"),
                     ("net-info", "--bogus", "n1"), ("net-list", "--name", "--uuid"),
                     ("net-list", "--table", "--name"), ("net-update", "n1"),
                     ("net-dhcp-leases", "n1", "--mac")):
            self.assertSame(*args, ok=False)

    def test_readonly(self):
        self.to_state("n1", "inactive")
        for args in (("net-define", self.files["n1"]), ("net-start", "n1"),
                     ("net-undefine", "n1"), ("net-autostart", "n1")):
            self.assertSame(*args, ok=False, readonly=True)
        self.assertSame("net-list", "--all", readonly=True)
        self.assertSame("net-info", "n1", readonly=True)


class CliNetworkLeases(NetworkNamespaceCase):
    """net-dhcp-leases with real leases: a guest played by a namespace on a
    veth into the network's bridge, asking with busybox udhcpc."""

    def test_leases_table(self):
        spec = NETS["n1"]
        xml = NETWORK.format(name="n1", **spec).replace(
            "    </dhcp>", "      " + HOST.format(prefix=spec["prefix"]) + "\n    </dhcp>")
        self.virsh_ok("net-define", self.write("leases.xml", xml))
        self.virsh_ok("net-start", "n1")
        script = self.write("udhcpc.sh", UDHCPC_SCRIPT)
        os.chmod(script, 0o755)
        for i, (mac, hostname) in enumerate((("52:54:00:00:02:02", "dyn"),
                                             ("52:54:00:00:02:01", "fixed"))):
            guest = f"vkg-{uuid.uuid4().hex[:6]}"
            sh("ip", "netns", "add", guest)
            self.addCleanup(sh, "ip", "netns", "del", guest, check=False)
            sh("ip", "-n", self.ns, "link", "add", f"vkv{i}", "type", "veth", "peer", "name",
               "eth0", "netns", guest)
            sh("ip", "-n", self.ns, "link", "set", f"vkv{i}", "master", spec["bridge"], "up")
            sh("ip", "-n", guest, "link", "set", "eth0", "address", mac, "up")
            r = sh("ip", "netns", "exec", guest, "busybox", "udhcpc", "-i", "eth0", "-n", "-q",
                   "-t", "10", "-T", "1", "-s", script, "-x", f"hostname:{hostname}",
                   check=False)
            self.assertEqual(r.returncode, 0, f"udhcpc: {r.stdout}{r.stderr}")
        for args in ((), ("--mac", "52:54:00:00:02:01"), ("--mac", "52:54:00:00:09:09")):
            ours = virtkit(self.uri, "net-dhcp-leases", "n1", *args)
            theirs = virsh(self.uri, "net-dhcp-leases", "n1", *args)
            self.assertEqual((ours.returncode, ours.stdout, ours.stderr),
                             (theirs.returncode, theirs.stdout, theirs.stderr), args)
        full = virtkit(self.uri, "net-dhcp-leases", "n1").stdout
        # sorted by MAC address, the fixed host first
        self.assertRegex(full, r"52:54:00:00:02:01\s+ipv4\s+192\.168\.231\.10/24\s+fixed\s+"
                               r"[^\n]*\n[^\n]*52:54:00:00:02:02\s+ipv4\s+192\.168\.231\.1\d\d/24"
                               r"\s+dyn\s")


class LibvirtkitNetworks(NetworkNamespaceCase):
    """The network calls of the shared library through ctypes, against
    python3-libvirt on the same daemon."""

    def setUp(self):
        super().setUp()
        lib = ctypes.CDLL(LIBVIRTKIT)
        P, S, U, I = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint, ctypes.c_int
        PP = ctypes.POINTER(P)
        for name, res, args in (
                ("virConnectOpen", P, [S]), ("virConnectClose", I, [P]),
                ("virNetworkDefineXML", P, [P, S]), ("virNetworkCreateXML", P, [P, S]),
                ("virNetworkLookupByName", P, [P, S]),
                ("virNetworkLookupByUUIDString", P, [P, S]),
                ("virNetworkFree", I, [P]), ("virNetworkCreate", I, [P]),
                ("virNetworkDestroy", I, [P]), ("virNetworkUndefine", I, [P]),
                ("virNetworkGetName", S, [P]), ("virNetworkGetUUIDString", I, [P, S]),
                ("virNetworkIsActive", I, [P]), ("virNetworkIsPersistent", I, [P]),
                ("virNetworkGetXMLDesc", P, [P, U]), ("virNetworkGetBridgeName", P, [P]),
                ("virNetworkGetAutostart", I, [P, ctypes.POINTER(I)]),
                ("virNetworkSetAutostart", I, [P, I]),
                ("virNetworkUpdate", I, [P, U, U, I, S, U]),
                ("virNetworkGetDHCPLeases", I, [P, S, ctypes.POINTER(PP), U]),
                ("virConnectListAllNetworks", I, [P, ctypes.POINTER(PP), U]),
                ("virConnectNumOfNetworks", I, [P]), ("virConnectNumOfDefinedNetworks", I, [P]),
                ("virConnectListNetworks", I, [P, ctypes.POINTER(P), I]),
                ("virConnectListDefinedNetworks", I, [P, ctypes.POINTER(P), I]),
                ("virNetworkPortCreateXML", P, [P, S, U]),
                ("virNetworkPortLookupByUUIDString", P, [P, S]),
                ("virNetworkPortGetXMLDesc", P, [P, U]),
                ("virNetworkPortGetUUIDString", I, [P, S]),
                ("virNetworkPortGetNetwork", P, [P]),
                ("virNetworkPortDelete", I, [P, U]), ("virNetworkPortFree", I, [P]),
                ("virNetworkListAllPorts", I, [P, ctypes.POINTER(PP), U]),
                ("virGetLastErrorMessage", S, []), ("virGetLastErrorCode", I, [])):
            getattr(lib, name).restype = res
            getattr(lib, name).argtypes = args
        self.libc = ctypes.CDLL(None)
        self.libc.free.argtypes = [P]
        self.lib = lib
        self.conn = lib.virConnectOpen(self.uri.encode())
        self.assertTrue(self.conn, lib.virGetLastErrorMessage())
        self.addCleanup(lib.virConnectClose, self.conn)

    def string(self, ptr):
        self.assertTrue(ptr, self.lib.virGetLastErrorMessage())
        value = ctypes.string_at(ptr).decode()
        self.libc.free(ptr)
        return value

    def uuid_of(self, func, handle):
        buf = ctypes.create_string_buffer(37)
        self.assertEqual(func(handle, buf), 0)
        return buf.value.decode()

    def list_all(self, flags):
        """Names of virConnectListAllNetworks(FLAGS), freeing the handles."""
        lib = self.lib
        arr = ctypes.POINTER(ctypes.c_void_p)()
        n = lib.virConnectListAllNetworks(self.conn, ctypes.byref(arr), flags)
        self.assertGreaterEqual(n, 0, lib.virGetLastErrorMessage())
        names = []
        for i in range(n):
            names.append(lib.virNetworkGetName(arr[i]).decode())
            lib.virNetworkFree(arr[i])
        self.assertIsNone(arr[n])
        self.libc.free(ctypes.cast(arr, ctypes.c_void_p))
        self.assertEqual(lib.virConnectListAllNetworks(self.conn, None, flags), n)
        return sorted(names)

    def old_list(self, func, count):
        names = (ctypes.c_void_p * max(count, 1))()
        n = func(self.conn, names, count)
        self.assertEqual(n, count, self.lib.virGetLastErrorMessage())
        return sorted(self.string(names[i]) for i in range(n))

    def test_calls_match_python_libvirt(self):
        import libvirt
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
        lib = self.lib
        ref = libvirt.open(self.uri)
        self.addCleanup(ref.close)
        net = lib.virNetworkDefineXML(self.conn, open(self.files["n1"], "rb").read())
        self.assertTrue(net, lib.virGetLastErrorMessage())
        rnet = ref.networkLookupByName("n1")
        self.assertEqual(lib.virNetworkGetName(net), b"n1")
        self.assertEqual(self.uuid_of(lib.virNetworkGetUUIDString, net), rnet.UUIDString())
        self.assertEqual(lib.virNetworkIsActive(net), 0)
        self.assertEqual(lib.virNetworkIsPersistent(net), 1)
        self.assertEqual(self.string(lib.virNetworkGetXMLDesc(net, 0)), rnet.XMLDesc(0))
        self.assertEqual(self.string(lib.virNetworkGetBridgeName(net)), rnet.bridgeName())
        self.assertEqual(lib.virNetworkSetAutostart(net, 1), 0)
        flag = ctypes.c_int()
        self.assertEqual(lib.virNetworkGetAutostart(net, ctypes.byref(flag)), 0)
        self.assertEqual((flag.value, rnet.autostart()), (1, 1))
        self.assertEqual(lib.virNetworkSetAutostart(net, 0), 0)

        self.assertEqual(lib.virNetworkCreate(net), 0, lib.virGetLastErrorMessage())
        self.assertEqual(rnet.isActive(), 1)
        self.assertEqual(lib.virNetworkIsActive(net), 1)
        self.assertEqual(lib.virNetworkCreate(net), -1)
        self.assertEqual(lib.virGetLastErrorCode(), libvirt.VIR_ERR_OPERATION_INVALID)
        tnet = lib.virNetworkCreateXML(self.conn, open(self.files["t1"], "rb").read())
        self.assertTrue(tnet, lib.virGetLastErrorMessage())
        self.assertEqual(lib.virNetworkIsPersistent(tnet), 0)
        self.assertTrue(lib.virNetworkDefineXML(self.conn, open(self.files["n2"], "rb").read()))

        # the lists, new and old, against python's
        A = libvirt.VIR_CONNECT_LIST_NETWORKS_ACTIVE
        for flags in (0, A, libvirt.VIR_CONNECT_LIST_NETWORKS_INACTIVE,
                      libvirt.VIR_CONNECT_LIST_NETWORKS_TRANSIENT,
                      libvirt.VIR_CONNECT_LIST_NETWORKS_PERSISTENT | A):
            self.assertEqual(self.list_all(flags),
                             sorted(n.name() for n in ref.listAllNetworks(flags)), flags)
        self.assertEqual(lib.virConnectNumOfNetworks(self.conn), ref.numOfNetworks())
        self.assertEqual(lib.virConnectNumOfDefinedNetworks(self.conn),
                         ref.numOfDefinedNetworks())
        self.assertEqual(self.old_list(lib.virConnectListNetworks, ref.numOfNetworks()),
                         sorted(ref.listNetworks()))
        self.assertEqual(self.old_list(lib.virConnectListDefinedNetworks,
                                       ref.numOfDefinedNetworks()),
                         sorted(ref.listDefinedNetworks()))

        # an update, seen by python; or the same refusal python gets
        host = HOST.format(prefix=NETS["n1"]["prefix"])
        args = (libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                libvirt.VIR_NETWORK_SECTION_IP_DHCP_HOST, -1)
        flags = libvirt.VIR_NETWORK_UPDATE_AFFECT_LIVE | libvirt.VIR_NETWORK_UPDATE_AFFECT_CONFIG
        if lib.virNetworkUpdate(net, *args, host.encode(), flags) == 0:
            self.assertIn("52:54:00:00:02:01", rnet.XMLDesc(libvirt.VIR_NETWORK_XML_INACTIVE))
        else:
            code, message = lib.virGetLastErrorCode(), lib.virGetLastErrorMessage().decode()
            with self.assertRaises(libvirt.libvirtError) as ctx:
                rnet.update(*args, host, flags)
            self.assertEqual((code, message),
                             (ctx.exception.get_error_code(), ctx.exception.get_error_message()))
        self.assertEqual(self.string(lib.virNetworkGetXMLDesc(net, 0)), rnet.XMLDesc(0))
        leases = ctypes.POINTER(ctypes.c_void_p)()
        self.assertEqual(lib.virNetworkGetDHCPLeases(net, None, ctypes.byref(leases), 0),
                         len(rnet.DHCPLeases()))
        self.libc.free(ctypes.cast(leases, ctypes.c_void_p))

        # ports
        port_xml = ("<networkport><uuid>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</uuid>"
                    "<owner><name>guest1</name><uuid>11111111-2222-3333-4444-555555555555"
                    "</uuid></owner><mac address='52:54:00:12:34:56'/></networkport>")
        port = lib.virNetworkPortCreateXML(net, port_xml.encode(), 0)
        self.assertTrue(port, lib.virGetLastErrorMessage())
        self.assertEqual(self.uuid_of(lib.virNetworkPortGetUUIDString, port),
                         "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        self.assertEqual(lib.virNetworkPortGetNetwork(port), net)
        rport = rnet.portLookupByUUIDString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        self.assertEqual(self.string(lib.virNetworkPortGetXMLDesc(port, 0)), rport.XMLDesc(0))
        arr = ctypes.POINTER(ctypes.c_void_p)()
        self.assertEqual(lib.virNetworkListAllPorts(net, ctypes.byref(arr), 0), 1)
        self.assertEqual(self.uuid_of(lib.virNetworkPortGetUUIDString, arr[0]),
                         rport.UUIDString())
        lib.virNetworkPortFree(arr[0])
        self.libc.free(ctypes.cast(arr, ctypes.c_void_p))
        same = lib.virNetworkPortLookupByUUIDString(net, b"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        self.assertTrue(same, lib.virGetLastErrorMessage())
        self.assertEqual(lib.virNetworkPortDelete(same, 0), 0, lib.virGetLastErrorMessage())
        lib.virNetworkPortFree(same)
        self.assertEqual(rnet.listAllPorts(), [])
        self.assertIsNone(lib.virNetworkPortLookupByUUIDString(
            net, b"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"))
        self.assertEqual(lib.virGetLastErrorCode(), libvirt.VIR_ERR_NO_NETWORK_PORT)
        # the port handle kept its network alive; freeing it now is fine
        lib.virNetworkPortFree(port)

        self.assertEqual(lib.virNetworkDestroy(tnet), 0)
        lib.virNetworkFree(tnet)
        self.assertEqual(lib.virNetworkDestroy(net), 0)
        self.assertEqual(lib.virNetworkDestroy(net), -1)
        self.assertEqual(lib.virGetLastErrorCode(), libvirt.VIR_ERR_OPERATION_INVALID)
        self.assertEqual(lib.virNetworkUndefine(net), 0)
        lib.virNetworkFree(net)
        self.assertIsNone(lib.virNetworkLookupByName(self.conn, b"n1"))
        self.assertEqual(lib.virGetLastErrorCode(), libvirt.VIR_ERR_NO_NETWORK)
        self.assertEqual(lib.virGetLastErrorMessage().decode(),
                         "Network not found: no network with matching name 'n1'")
        same = lib.virNetworkLookupByUUIDString(self.conn, NETS["n2"]["uuid"].encode())
        self.assertEqual(lib.virNetworkGetName(same), b"n2")
        lib.virNetworkFree(same)
        self.assertIsNone(lib.virNetworkLookupByUUIDString(self.conn, b"not-a-uuid"))
        self.assertEqual(lib.virGetLastErrorCode(), libvirt.VIR_ERR_INVALID_ARG)


if __name__ == "__main__":
    unittest.main()
