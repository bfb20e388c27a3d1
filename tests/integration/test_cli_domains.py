"""Domain commands of our CLI (and libvirtkit's domain calls underneath)
against our virtqemud, compared with what Debian's virsh prints for the same
daemon in the same state: output, error lines and exit codes.  Plus
Virtkit's own pci-tree, checked against the addresses in the domain XML."""
import ctypes
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
from harness import (BUILD, CliCompareMixin, DaemonTestCase, VirshMixin,  # noqa: E402
                     virsh, virtkit)

LIBVIRTKIT = os.path.join(BUILD, "client", "libvirtkit.so")

# Boots nothing, which is enough for the lifecycle.
GUEST = ("<domain type='kvm'><name>{name}</name><memory unit='MiB'>64</memory>"
         "<vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os>"
         "<devices/></domain>")

# A guest with disks and interfaces of several kinds, only ever defined.
DEVICES_GUEST = """<domain type='kvm'>
  <name>devs</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/libvirt/images/devs.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='block' device='disk'>
      <source dev='/dev/sdz'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <interface type='user'>
      <mac address='52:54:00:11:22:33'/>
      <model type='virtio'/>
    </interface>
    <interface type='network'>
      <source network='default'/>
      <model type='e1000e'/>
    </interface>
    <interface type='bridge'>
      <source bridge='br0'/>
      <model type='rtl8139'/>
    </interface>
    <interface type='ethernet'>
      <target dev='tap7'/>
    </interface>
  </devices>
</domain>
"""

DISK = ("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/extra.img'/>"
        "<target dev='vdz' bus='virtio'/></disk>")

CPU_TIME = re.compile(r"^CPU time: .*\n", re.M)


class CliDomains(CliCompareMixin, VirshMixin, DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.uri = self.daemon.uri()
        self.files = {}
        self.files["g1"] = self.write("g1.xml", GUEST.format(name="g1"))
        # t1 with a fixed UUID, so that its errors read the same every time
        self.files["t1"] = self.write("t1.xml", GUEST.format(name="t1").replace(
            "</name>", "</name><uuid>6f0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b</uuid>"))
        self.files["devs"] = self.write("devs.xml", DEVICES_GUEST)
        self.files["disk"] = self.write("disk.xml", DISK)
        self.files["bad"] = self.write("bad.xml", "<domain")

    def tearDown(self):
        # no QEMU may outlive the test
        r = virsh(self.uri, "list", "--name")
        for name in r.stdout.split():
            virsh(self.uri, "destroy", name)
        super().tearDown()

    # --- driving the daemon with the reference client -----------------------

    def ref(self, *args, ok=True):
        r = virsh(self.uri, *args)
        if ok is not None:
            self.assertEqual(r.returncode == 0, ok, f"virsh {args}: {r.stderr}")
        return r

    def exists(self, name):
        return name in self.ref("list", "--all", "--name").stdout.split()

    def active(self, name):
        return name in self.ref("list", "--name").stdout.split()

    def to_state(self, name, state):
        """Bring domain NAME to STATE with virsh: undefined, shutoff, running,
        paused, transient (running, not persistent)."""
        if self.active(name):
            self.ref("destroy", name)
        if state in ("undefined", "transient"):
            if self.exists(name):
                self.ref("undefine", name)
            if state == "transient":
                self.ref("create", self.files[name])
            return
        if not self.exists(name):
            self.ref("define", self.files[name])
        if state in ("running", "paused"):
            self.ref("start", name)
        if state == "paused":
            self.ref("suspend", name)


    def state(self, name, state):
        return lambda: self.to_state(name, state)

    # --- tests -----------------------------------------------------------------

    def test_define_undefine(self):
        r = self.assertSameChange(self.state("g1", "undefined"), "define", self.files["g1"])
        self.assertEqual(r.stdout, f"Domain 'g1' defined from {self.files['g1']}\n\n")
        # same name, new UUID: refused by the daemon
        self.assertSameChange(self.state("g1", "shutoff"), "define", self.files["g1"], ok=False)
        self.assertSameChange(self.state("g1", "undefined"), "define", "--validate",
                              self.files["g1"])
        r = self.assertSameChange(self.state("g1", "shutoff"), "undefine", "g1")
        self.assertEqual(r.stdout, "Domain 'g1' has been undefined\n\n")
        self.assertSameChange(self.state("t1", "transient"), "undefine", "t1", ok=False)
        # a running persistent domain becomes transient
        self.assertSameChange(self.state("g1", "running"), "undefine", "g1")

    def test_define_errors(self):
        self.to_state("g1", "undefined")
        r = self.assertSame("define", os.path.join(self.daemon.root, "nosuch.xml"), ok=False)
        self.assertIn("Failed to open file", r.stderr)
        r = self.assertSame("define", self.files["bad"], ok=False)
        self.assertTrue(r.stderr.startswith(
            f"error: Failed to define domain from {self.files['bad']}\nerror: "), r.stderr)
        self.assertSame("create", self.files["bad"], ok=False)
        self.assertSame("define", ok=False)
        self.assertSame("define", self.daemon.root, ok=False)   # a directory

    def test_start_destroy(self):
        r = self.assertSameChange(self.state("g1", "shutoff"), "start", "g1")
        self.assertEqual(r.stdout, "Domain 'g1' started\n\n")
        r = self.assertSameChange(self.state("g1", "running"), "start", "g1", ok=False)
        self.assertEqual(r.stderr, "error: Domain is already active\n")
        self.assertSameChange(self.state("g1", "shutoff"), "start", "--paused", "g1")
        self.assertSame("domstate", "--reason", "g1")
        r = self.assertSameChange(self.state("g1", "running"), "destroy", "g1")
        self.assertEqual(r.stdout, "Domain 'g1' destroyed\n\n")
        r = self.assertSameChange(self.state("g1", "shutoff"), "destroy", "g1", ok=False)
        self.assertEqual(r.stderr, "error: Failed to destroy domain 'g1'\n"
                                   "error: Requested operation is not valid: "
                                   "domain is not running\n")
        self.assertSameChange(self.state("g1", "running"), "destroy", "--graceful", "g1")
        # by UUID: the messages quote what was given
        self.to_state("g1", "shutoff")
        uuid = self.ref("domuuid", "g1").stdout.strip()
        self.assertSameChange(self.state("g1", "shutoff"), "start", uuid)
        self.assertSameChange(self.state("g1", "running"), "destroy", uuid)

    def test_create(self):
        r = self.assertSameChange(self.state("t1", "undefined"), "create", self.files["t1"])
        self.assertEqual(r.stdout, f"Domain 't1' created from {self.files['t1']}\n\n")
        self.assertSame("dominfo", "t1", normalise=lambda s: CPU_TIME.sub("", s))
        self.assertSameChange(self.state("t1", "transient"), "create", self.files["t1"],
                              ok=False)
        self.assertSameChange(self.state("t1", "undefined"), "create", "--paused",
                              self.files["t1"])
        self.assertSame("domstate", "--reason", "t1")

    def test_suspend_resume_shutdown_reboot_reset(self):
        for cmd, state, message in (("suspend", "running", "Domain 'g1' suspended"),
                                    ("resume", "paused", "Domain 'g1' resumed"),
                                    ("shutdown", "running", "Domain 'g1' is being shutdown"),
                                    ("reboot", "running", "Domain 'g1' is being rebooted"),
                                    ("reset", "running", "Domain 'g1' was reset")):
            r = self.assertSameChange(self.state("g1", state), cmd, "g1")
            self.assertEqual(r.stdout, message + "\n\n")
            r = self.assertSameChange(self.state("g1", "shutoff"), cmd, "g1", ok=False)
            self.assertEqual(r.stderr, f"error: Failed to {cmd} domain 'g1'\n"
                                       "error: Requested operation is not valid: "
                                       "domain is not running\n")
        self.assertSameChange(self.state("g1", "running"), "shutdown", "--mode", "acpi", "g1")
        self.assertSameChange(self.state("g1", "running"), "reboot", "--mode", "acpi", "g1")
        self.assertSame("shutdown", "--mode", "acpi,bogus", "g1", ok=False)
        self.assertSame("reboot", "--mode", "bogus", "g1", ok=False)

    def test_states_and_queries(self):
        queries = [("dominfo",), ("domstate",), ("domstate", "--reason"), ("domid",),
                   ("domuuid",), ("dumpxml",), ("dumpxml", "--inactive"),
                   ("domblklist",), ("domblklist", "--details"), ("domiflist",)]
        lists = [("list",), ("list", "--all"), ("list", "--inactive"), ("list", "--name"),
                 ("list", "--all", "--uuid"), ("list", "--all", "--id"),
                 ("list", "--state-running"), ("list", "--persistent", "--all"),
                 ("list", "--transient")]
        self.to_state("t1", "transient")
        for state in ("shutoff", "running", "paused"):
            self.to_state("g1", state)
            for q in queries:
                self.assertSame(*q, "g1", normalise=lambda s: CPU_TIME.sub("", s))
            for q in lists:
                self.assertSame(*q)
            uuid = self.ref("domuuid", "g1").stdout.strip()
            self.assertSame("domname", uuid)
            self.assertSame("domstate", uuid)
            self.assertSame("domname", "g1", ok=False)
            if state != "shutoff":
                domid = self.ref("domid", "g1").stdout.strip()
                self.assertSame("domname", domid)
                self.assertSame("domuuid", domid)
                self.assertSame("domstate", "--reason", domid)
                self.assertSame("domid", domid, ok=False)
            self.assertSame("-q", "list", "--all")
            self.assertSame("-q", "domstate", "g1")
        r = self.assertSame("domstate", "--reason", "g1")
        self.assertEqual(r.stdout, "paused (user)\n\n")

    def test_dominfo_shutoff_lines(self):
        self.to_state("g1", "shutoff")
        r = self.assertSame("dominfo", "g1")
        self.assertRegex(r.stdout, r"^Id:             -\nName:           g1\nUUID:  ")
        self.assertIn("\nMax memory:     65536 KiB\n", r.stdout)
        self.assertIn("\nManaged save:   no\nSecurity model: none\nSecurity DOI:   0\n", r.stdout)

    def test_autostart(self):
        r = self.assertSameChange(self.state("g1", "shutoff"), "autostart", "g1")
        self.assertEqual(r.stdout, "Domain 'g1' marked as autostarted\n\n")
        self.assertSame("list", "--all", "--autostart")
        r = self.assertSameChange(self.state("g1", "shutoff"), "autostart", "--disable", "g1")
        self.assertEqual(r.stdout, "Domain 'g1' unmarked as autostarted\n\n")
        self.assertSame("list", "--all", "--no-autostart")

    def test_unknown_domain(self):
        for cmd in ("dominfo", "domstate", "domid", "domuuid", "domname", "dumpxml", "start",
                    "destroy", "suspend", "resume", "shutdown", "reboot", "reset", "undefine",
                    "autostart", "domblklist", "domiflist"):
            r = self.assertSame(cmd, "nosuch", ok=False)
            self.assertEqual(r.stderr, "error: failed to get domain 'nosuch'\n", cmd)
        for args in (("attach-device", "nosuch", self.files["disk"]),
                     ("detach-device", "nosuch", self.files["disk"]),
                     ("domid", "12345"), ("domname", "00000000-0000-0000-0000-000000000000")):
            self.assertSame(*args, ok=False)
        r = virtkit(self.uri, "pci-tree", "nosuch")
        self.assertEqual((r.returncode, r.stderr), (1, "error: failed to get domain 'nosuch'\n"))

    def test_bad_command_lines(self):
        for args in (("start",), ("define",), ("domstate", "g1", "extra"),
                     ("dominfo", "--bogus", "g1"), ("attach-device", "g1"),
                     ("attach-device", "g1", self.files["disk"], "--current", "--live"),
                     ("detach-device", "g1", self.files["disk"], "--persistent", "--current"),
                     ("undefine", "g1", "--nvram", "--keep-nvram")):
            self.assertSame(*args, ok=False)

    def test_readonly(self):
        self.to_state("g1", "shutoff")
        for args in (("define", self.files["g1"]), ("start", "g1"), ("undefine", "g1"),
                     ("autostart", "g1")):
            r = self.assertSame(*args, ok=False, readonly=True)
            self.assertIn("read only access prevents", r.stderr)
        self.assertSame("dominfo", "g1", readonly=True)
        self.assertSame("list", "--all", readonly=True)

    def test_capabilities(self):
        r = self.assertSame("capabilities")
        self.assertIn("<capabilities>", r.stdout)
        r = self.assertSame("domcapabilities")
        self.assertIn("<domainCapabilities>", r.stdout)
        self.assertSame("domcapabilities", "--virttype", "kvm", "--arch", "x86_64",
                        "--machine", "q35")
        self.assertSame("domcapabilities", "--machine", "pc")
        self.assertSame("domcapabilities", "--arch", "bogus", ok=None)

    def test_device_lists(self):
        self.ref("define", self.files["devs"])
        for args in (("domblklist",), ("domblklist", "--details"),
                     ("domblklist", "--inactive"), ("domiflist",), ("domiflist", "--inactive")):
            self.assertSame(*args, "devs")
        r = self.assertSame("domblklist", "--details", "devs")
        self.assertIn(" file    disk     vda      /var/lib/libvirt/images/devs.img\n", r.stdout)
        self.assertIn(" file    cdrom    sda      -\n", r.stdout)
        r = self.assertSame("domiflist", "devs")
        self.assertIn(" network    default   e1000e    52:54:00:", r.stdout)
        self.assertIn(" tap7 ", r.stdout)
        self.assertSame("-q", "domiflist", "devs")

    def test_attach_detach(self):
        # Whatever the daemon answers (the calls may be missing still), both
        # tools must show it the same way.
        fresh = self.state("g1", "shutoff")

        def fresh_with_disk():
            self.to_state("g1", "undefined")
            self.to_state("g1", "shutoff")
            virsh(self.uri, "attach-device", "g1", self.files["disk"], "--config")

        def fresh_domain():
            self.to_state("g1", "undefined")
            fresh()

        for flags in ((), ("--config",), ("--persistent",), ("--live",), ("--current",)):
            self.assertSameChange(fresh_domain, "attach-device", "g1", self.files["disk"],
                                  *flags, ok=None)
            self.assertSameChange(fresh_with_disk, "detach-device", "g1", self.files["disk"],
                                  *flags, ok=None)
        self.assertSame("attach-device", "g1", self.files["bad"], "--config", ok=False)
        self.assertSame("attach-device", "g1", os.path.join(self.daemon.root, "none.xml"),
                        ok=False)

    def test_pci_tree(self):
        self.ref("define", self.files["devs"])
        xml = ET.fromstring(self.ref("dumpxml", "devs").stdout)
        r = virtkit(self.uri, "pci-tree", "devs")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        tree = r.stdout
        self.assertRegex(tree.splitlines()[0], r"pcie-root")
        # every PCI controller and every device with a PCI address is shown
        # at the address the XML gives it
        ports = 0
        found = 0
        for elem in xml.find("devices"):
            addr = elem.find("address")
            if addr is None or addr.get("type") != "pci":
                continue
            text = "%02x:%02x.%x" % (int(addr.get("bus"), 16), int(addr.get("slot"), 16),
                                     int(addr.get("function"), 16))
            if elem.tag == "controller" and elem.get("model") == "pcie-root-port":
                ports += 1
                self.assertRegex(tree, rf"{text} pcie-root-port index={elem.get('index')}\b")
            else:
                self.assertIn(text + " ", tree, f"{elem.tag} at {text}")
            found += 1
        self.assertGreaterEqual(ports, 5)
        self.assertGreater(found, ports)
        self.assertRegex(tree, r"\d\d:00\.0 disk vda")
        self.assertRegex(tree, r"\d\d:00\.0 interface e1000e")
        # a guest defined without addresses: the tree says who chose each
        with open(os.path.join(self.daemon.root, "why.xml"), "w") as f:
            f.write(guests.minimal("why", devices="""
              <interface type='user'><model type='e1000'/></interface>
              <interface type='user'><model type='virtio'/>
                <address type='pci' domain='0' bus='0' slot='7' function='0'/></interface>"""))
        self.assertEqual(virsh(self.uri, "define", f.name).returncode, 0)
        why = virtkit(self.uri, "pci-tree", "why").stdout
        self.assertRegex(why, r"00:07\.0 interface virtio \[user\]")
        self.assertRegex(why, r"\d\d:01\.0 interface e1000 \[assigned\]")
        self.assertRegex(why, r"pcie-to-pci-bridge index=\d+ \[added for interface e1000\]")
        self.assertRegex(why, r"pcie-root-port index=\d+ chassis=\d+ port=0x\w+ "
                              r"\[added for pcie-to-pci-bridge index=\d+\]")
        self.assertRegex(why, r"memballoon virtio \[assigned\]")
        self.assertNotIn("[auto]", why)
        # the running domain too, and --inactive
        self.to_state("g1", "running")
        r = virtkit(self.uri, "pci-tree", "g1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("pcie-root-port", r.stdout)
        r = virtkit(self.uri, "pci-tree", "--inactive", "g1")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_pci_tree_provenance(self):
        """Who chose each address comes from what the define was given,
        which the daemon keeps out of the XML: the same after a restart
        and after the dumped XML (every address in it) is defined again."""
        with open(os.path.join(self.daemon.root, "prov.xml"), "w") as f:
            f.write(guests.minimal("prov", devices="""
              <controller type='pci' index='1' model='pcie-root-port'/>
              <interface type='user'><model type='e1000'/>
                <address type='pci' domain='0' bus='1' slot='0' function='0'/></interface>
              <interface type='user'><model type='virtio'/></interface>"""))
        self.assertEqual(virsh(self.uri, "define", f.name).returncode, 0)

        def tree():
            r = virtkit(self.uri, "pci-tree", "prov")
            self.assertEqual(r.returncode, 0, r.stderr)
            return r.stdout

        first = tree()
        # given without an address: the user's controller, placed by assignment
        self.assertRegex(first, r"00:01\.0 pcie-root-port index=1 chassis=1 port=0x\w+ "
                                r"\[assigned\]")
        self.assertRegex(first, r"01:00\.0 interface e1000 \[user\]")
        self.assertRegex(first, r"pcie-root-port index=2 .*\[added for interface virtio\]")
        self.assertRegex(first, r"02:00\.0 interface virtio \[assigned\]")
        # clients never see it in the XML, but may ask for it
        for flags in ((), ("--inactive",), ("--security-info",)):
            shown = virsh(self.uri, "dumpxml", "prov", *flags).stdout
            self.assertNotIn("virtkit.org", shown)
            self.assertNotIn("pci-given", shown)
        r = virsh(self.uri, "metadata", "prov", "--uri",
                  "https://virtkit.org/xmlns/domain/pci-given/1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("<controller index='1' model='pcie-root-port'/>", r.stdout)
        self.assertIn("<device address='0000:01:00.0'/>", r.stdout)
        saved = open(os.path.join(self.daemon.root, "etc", "libvirt", "qemu", "prov.xml")).read()
        self.assertIn("<virtkit:pci-given xmlns:virtkit=", saved)

        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(tree(), first)

        # virt-xml --edit: dump, change something else, define again
        dumped = virsh(self.uri, "dumpxml", "--inactive", "prov").stdout
        self.assertIn("<address type='pci'", dumped)
        path = self.write("prov-edit.xml", dumped.replace("<vcpu placement='static'>1",
                                                          "<vcpu placement='static'>2"))
        self.assertEqual(virsh(self.uri, "define", path).returncode, 0)
        self.assertEqual(tree(), first)
        # an address changed in a redefine is the user's from then on
        moved = re.sub(r"(<model type='virtio'/>\s*<address type='pci' domain='0x0000') "
                       r"bus='0x02' slot='0x00'", r"\1 bus='0x00' slot='0x07'", dumped)
        self.assertNotEqual(moved, dumped)
        path = self.write("prov-move.xml", moved)
        self.assertEqual(virsh(self.uri, "define", path).returncode, 0)
        self.assertRegex(tree(), r"00:07\.0 interface virtio \[user\]")


class LibvirtkitDomains(DaemonTestCase):
    """The domain calls of the shared library through ctypes, against
    python3-libvirt on the same daemon."""

    def setUp(self):
        super().setUp()
        lib = ctypes.CDLL(LIBVIRTKIT)
        P, S, U, I = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint, ctypes.c_int
        for name, res, args in (
                ("virConnectOpen", P, [S]), ("virConnectClose", I, [P]),
                ("virDomainDefineXML", P, [P, S]), ("virDomainLookupByName", P, [P, S]),
                ("virDomainLookupByUUIDString", P, [P, S]), ("virDomainLookupByID", P, [P, I]),
                ("virDomainCreateXML", P, [P, S, U]), ("virDomainFree", I, [P]),
                ("virDomainCreate", I, [P]), ("virDomainDestroy", I, [P]),
                ("virDomainSuspend", I, [P]), ("virDomainResume", I, [P]),
                ("virDomainUndefine", I, [P]), ("virDomainGetID", U, [P]),
                ("virDomainGetName", S, [P]), ("virDomainIsActive", I, [P]),
                ("virDomainIsPersistent", I, [P]), ("virDomainGetMaxMemory", ctypes.c_ulong, [P]),
                ("virDomainGetOSType", P, [P]), ("virDomainGetXMLDesc", P, [P, U]),
                ("virDomainGetState", I, [P, ctypes.POINTER(I), ctypes.POINTER(I), U]),
                ("virDomainGetAutostart", I, [P, ctypes.POINTER(I)]),
                ("virDomainSetAutostart", I, [P, I]),
                ("virConnectNumOfDomains", I, [P]), ("virConnectGetCapabilities", P, [P]),
                ("virGetLastErrorMessage", S, []), ("virGetLastErrorCode", I, [])):
            getattr(lib, name).restype = res
            getattr(lib, name).argtypes = args
        self.libc = ctypes.CDLL(None)
        self.libc.free.argtypes = [P]
        self.lib = lib
        self.conn = lib.virConnectOpen(self.daemon.uri().encode())
        self.assertTrue(self.conn, lib.virGetLastErrorMessage())

    def tearDown(self):
        self.lib.virConnectClose(self.conn)
        super().tearDown()

    def string(self, ptr):
        self.assertTrue(ptr, self.lib.virGetLastErrorMessage())
        value = ctypes.string_at(ptr).decode()
        self.libc.free(ptr)
        return value

    def test_lifecycle_matches_python_libvirt(self):
        import libvirt
        lib = self.lib
        ref = libvirt.open(self.daemon.uri())
        try:
            dom = lib.virDomainDefineXML(self.conn, GUEST.format(name="c1").encode())
            self.assertTrue(dom, lib.virGetLastErrorMessage())
            rdom = ref.lookupByName("c1")
            self.assertEqual(lib.virDomainGetID(dom), 0xFFFFFFFF)
            self.assertEqual(lib.virDomainIsActive(dom), 0)
            self.assertEqual(lib.virDomainIsPersistent(dom), 1)
            self.assertEqual(lib.virDomainGetMaxMemory(dom), rdom.maxMemory())
            self.assertEqual(self.string(lib.virDomainGetOSType(dom)), rdom.OSType())
            self.assertEqual(self.string(lib.virDomainGetXMLDesc(dom, 0)), rdom.XMLDesc(0))
            state, reason = ctypes.c_int(), ctypes.c_int()
            self.assertEqual(lib.virDomainGetState(dom, ctypes.byref(state),
                                                   ctypes.byref(reason), 0), 0)
            self.assertEqual([state.value, reason.value], rdom.state())

            self.assertEqual(lib.virDomainCreate(dom), 0, lib.virGetLastErrorMessage())
            rdom = ref.lookupByName("c1")     # python's handle keeps the old id
            self.assertEqual(lib.virDomainGetID(dom), rdom.ID())
            self.assertNotEqual(rdom.ID(), -1)
            self.assertEqual(lib.virConnectNumOfDomains(self.conn), ref.numOfDomains())
            same = lib.virDomainLookupByID(self.conn, rdom.ID())
            self.assertEqual(lib.virDomainGetName(same), b"c1")
            lib.virDomainFree(same)
            same = lib.virDomainLookupByUUIDString(self.conn, rdom.UUIDString().encode())
            self.assertEqual(lib.virDomainGetName(same), b"c1")
            lib.virDomainFree(same)
            self.assertEqual(lib.virDomainSuspend(dom), 0)
            self.assertEqual(rdom.state(), [libvirt.VIR_DOMAIN_PAUSED,
                                            libvirt.VIR_DOMAIN_PAUSED_USER])
            self.assertEqual(lib.virDomainResume(dom), 0)
            self.assertEqual(lib.virDomainSetAutostart(dom, 1), 0)
            flag = ctypes.c_int()
            self.assertEqual(lib.virDomainGetAutostart(dom, ctypes.byref(flag)), 0)
            self.assertEqual(flag.value, rdom.autostart())
            self.assertEqual(flag.value, 1)

            self.assertEqual(lib.virDomainDestroy(dom), 0)
            self.assertEqual(lib.virDomainGetID(dom), 0xFFFFFFFF)
            self.assertEqual(lib.virDomainDestroy(dom), -1)
            self.assertEqual(lib.virGetLastErrorCode(), 55)   # VIR_ERR_OPERATION_INVALID
            self.assertEqual(lib.virDomainUndefine(dom), 0)
            lib.virDomainFree(dom)

            self.assertIsNone(lib.virDomainLookupByName(self.conn, b"c1"))
            self.assertEqual(lib.virGetLastErrorCode(), 42)   # VIR_ERR_NO_DOMAIN
            self.assertEqual(lib.virGetLastErrorMessage().decode(),
                             "Domain not found: no domain with matching name 'c1'")
            self.assertIsNone(lib.virDomainLookupByUUIDString(self.conn, b"not-a-uuid"))
            self.assertEqual(lib.virGetLastErrorCode(), 8)    # VIR_ERR_INVALID_ARG

            dom = lib.virDomainCreateXML(self.conn, GUEST.format(name="c2").encode(), 0)
            self.assertTrue(dom, lib.virGetLastErrorMessage())
            self.assertEqual(lib.virDomainIsPersistent(dom), 0)
            self.assertEqual(lib.virDomainGetID(dom), ref.lookupByName("c2").ID())
            self.assertEqual(lib.virDomainDestroy(dom), 0)
            lib.virDomainFree(dom)
            caps = self.string(lib.virConnectGetCapabilities(self.conn))
            self.assertEqual(caps, ref.getCapabilities())
        finally:
            for d in ref.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
                d.destroy()
            ref.close()


if __name__ == "__main__":
    unittest.main()
