"""units/: every daemon's .service, .socket, -ro.socket and -admin.socket
pass `systemd-analyze verify`, and each daemon runs from them as systemd
would run it: the three sockets named as the units name them, virsh through
each, virt-admin on the admin one, the read-only one refusing writes, the
idle exit of --timeout and the restart on the next connection, and one
daemon's restart leaving the others and their clients alone."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (ACTIVATE, BUILD, DAEMONS, UNITS, SocketActivated, daemon_path,  # noqa: E402
                     read_unit, run, unit_args, unit_values, virsh, wait_for)

KINDS = [".service", ".socket", "-ro.socket", "-admin.socket"]
SCHEMES = {"virtqemud": "qemu", "virtnetworkd": "network", "virtstoraged": "storage",
           "virtnodedevd": "nodedev", "virtproxyd": "qemu"}
# A write each daemon owns, and the API its read-only socket names refusing it.
WRITES = {
    "virtqemud": ("define", "<domain type='kvm'><name>g</name><memory>65536</memory>"
                  "<os><type>hvm</type></os></domain>", "virDomainDefineXML"),
    "virtproxyd": ("define", "<domain type='kvm'><name>g</name><memory>65536</memory>"
                   "<os><type>hvm</type></os></domain>", "virDomainDefineXML"),
    "virtnetworkd": ("net-define", "<network><name>n</name></network>", "virNetworkDefineXML"),
    "virtstoraged": ("pool-define", "<pool type='dir'><name>p</name>"
                     "<target><path>/nonexistent</path></target></pool>",
                     "virStoragePoolDefineXML"),
    "virtnodedevd": ("nodedev-create", "<device><parent>computer</parent><capability "
                     "type='mdev'><type id='x'/></capability></device>",
                     "virNodeDeviceCreateXML"),
}


def analyze_cannot_run():
    """Why systemd-analyze cannot verify here, or None when it can."""
    tool = shutil.which("systemd-analyze")
    if not tool:
        return "systemd-analyze is not installed (Debian package systemd)"
    r = run([tool, "--version"])
    if r.returncode != 0:
        return f"systemd-analyze does not run here: {r.stderr.strip()}"
    return None


def uri(name, path):
    return f"{SCHEMES[name]}+unix:///system?socket={path}"


class UnitFiles(unittest.TestCase):
    def verify(self, directory, unit):
        r = run(["systemd-analyze", "verify", "--man=no", os.path.join(directory, unit)])
        # verify exits 0 on many complaints (unknown keys, bad lines): its
        # output is the verdict
        return r.returncode == 0 and not (r.stdout + r.stderr).strip(), r.stdout + r.stderr

    def installed_copy(self):
        """The generated units, ExecStart= pointing at the build's daemons
        instead of the (not installed) sbindir: verify checks that the
        binary exists.  Nothing else is changed."""
        d = tempfile.mkdtemp(prefix="virtkit-units-")
        self.addCleanup(shutil.rmtree, d, ignore_errors=True)
        for name in DAEMONS:
            for kind in KINDS:
                with open(os.path.join(UNITS, name + kind)) as f:
                    text = f.read()
                text = "\n".join(
                    f"ExecStart={daemon_path(name)} {line.split(' ', 1)[1]}"
                    if line.startswith("ExecStart=") else line for line in text.split("\n"))
                with open(os.path.join(d, name + kind), "w") as f:
                    f.write(text)
        return d

    def test_every_unit_verifies(self):
        why = analyze_cannot_run()
        if why:
            self.skipTest(why)
        d = self.installed_copy()
        for name in DAEMONS:
            for kind in KINDS:
                with self.subTest(unit=name + kind):
                    ok, out = self.verify(d, name + kind)
                    self.assertTrue(ok, out)
        # and verify does catch a broken unit
        with open(os.path.join(d, "virtqemud.socket"), "a") as f:
            f.write("ListenStrem=/run/libvirt/x\n")
        self.assertFalse(self.verify(d, "virtqemud.socket")[0])

    def test_what_the_units_say(self):
        for name in DAEMONS:
            with self.subTest(daemon=name):
                service = read_unit(name + ".service")
                self.assertEqual(unit_args(name), ["--timeout", "120"])
                self.assertEqual(unit_values(service, "Service", "Type"), ["notify"])
                self.assertEqual(unit_values(service, "Unit", "Requires"),
                                 [name + k.replace(".service", ".socket") for k in KINDS[1:]])
                for kind in KINDS[1:]:
                    sock = read_unit(name + kind)
                    self.assertEqual(unit_values(sock, "Socket", "Service"), [name + ".service"])
                    self.assertEqual(unit_values(sock, "Socket", "FileDescriptorName"),
                                     [name + kind])
        prefix = {n: n for n in DAEMONS}
        prefix["virtproxyd"] = "libvirt"
        for name in DAEMONS:
            paths = [unit_values(read_unit(name + k), "Socket", "ListenStream")[0]
                     for k in KINDS[1:]]
            p = prefix[name]
            self.assertEqual(paths, [f"/run/libvirt/{p}-sock", f"/run/libvirt/{p}-sock-ro",
                                     f"/run/libvirt/{p}-admin-sock"])
        proxy = read_unit("virtproxyd.service")
        qemu = read_unit("virtqemud.service")
        for driver in ("virtqemud", "virtnetworkd", "virtstoraged", "virtnodedevd"):
            self.assertIn(driver + ".socket", unit_values(proxy, "Unit", "Wants"))
            self.assertIn(driver + ".socket", unit_values(proxy, "Unit", "After"))
        for driver in ("virtnetworkd", "virtstoraged"):
            self.assertIn(driver + ".socket", unit_values(qemu, "Unit", "Wants"))
            self.assertIn(driver + ".socket", unit_values(qemu, "Unit", "After"))
        self.assertIn("process", unit_values(qemu, "Service", "KillMode"))


class Activated(unittest.TestCase):
    def setUp(self):
        if not os.access(ACTIVATE, os.X_OK):
            self.skipTest(f"{ACTIVATE} is missing (Debian package systemd)")
        self.root = tempfile.mkdtemp(prefix="virtkit-units-")
        self.daemons = []

    def tearDown(self):
        for d in self.daemons:
            d.close()
        subprocess.run(["pkill", "-KILL", "-f", f"dnsmasq.*{self.root}/"], check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def activate(self, name, **kw):
        d = SocketActivated(name, self.root, **kw)
        self.daemons.append(d)
        return d

    def write(self, name, text):
        path = os.path.join(self.root, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_each_daemon_under_systemd_socket_activate(self):
        for name in DAEMONS:
            with self.subTest(daemon=name):
                d = self.activate(name, timeout=2, spawn="systemd-socket-activate")
                rw, ro, admin = (d.path(i) for i in range(3))
                r = virsh(uri(name, rw), "hostname")
                self.assertEqual((r.returncode, r.stdout.strip()), (0, os.uname().nodename),
                                 r.stderr + d.log())
                r = virsh(uri(name, ro), "hostname", readonly=True)
                self.assertEqual(r.stdout.strip(), os.uname().nodename, r.stderr)
                cmd, xml, api = WRITES[name]
                r = virsh(uri(name, ro), cmd, self.write(f"{name}.xml", xml), readonly=True)
                self.assertIn(f"read only access prevents {api}", r.stderr)
                r = run(["virt-admin", "-c", f"{name}:///system?socket={admin}", "srv-list"])
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn(name, r.stdout)
                self.assertTrue(d.alive())
                # idle: --timeout ends it, with success
                d.proc.wait(timeout=15)
                self.assertEqual(d.proc.returncode, 0, d.log())
                d.close()

    def test_idle_exit_and_back_on_next_connection(self):
        for name in DAEMONS:
            with self.subTest(daemon=name):
                d = self.activate(name, timeout=1)
                self.assertFalse(d.alive())   # nothing started before a client
                r = virsh(uri(name, d.path()), "uri")
                self.assertEqual(r.returncode, 0, r.stderr + d.log())
                first = d.proc
                first.wait(timeout=15)
                self.assertEqual(first.returncode, 0, d.log())
                r = virsh(uri(name, d.path(1)), "hostname", readonly=True)
                self.assertEqual(r.returncode, 0, r.stderr + d.log())
                self.assertEqual(d.starts, 2)
                self.assertIsNot(d.proc, first)
                d.close()

    def test_restarting_one_daemon_leaves_the_others_alone(self):
        import libvirt
        qemu = self.activate("virtqemud")
        net = self.activate("virtnetworkd")
        qconn = libvirt.open(uri("virtqemud", qemu.path()))
        nconn = libvirt.open(uri("virtnetworkd", net.path()))
        try:
            self.assertEqual(nconn.listNetworks(), [])
            net_pid = net.proc.pid
            self.assertEqual(qemu.stop(), 0)
            # the restarted one is back on the next connection...
            r = virsh(uri("virtqemud", qemu.path()), "list", "--all")
            self.assertEqual(r.returncode, 0, r.stderr + qemu.log())
            self.assertEqual(qemu.starts, 2)
            # ...and the other daemon and its client never noticed
            self.assertEqual(net.proc.pid, net_pid)
            self.assertTrue(net.alive())
            self.assertEqual(nconn.listNetworks(), [])
            self.assertEqual(nconn.getHostname(), os.uname().nodename)
            # the old client of the restarted daemon lost its connection
            with self.assertRaises(libvirt.libvirtError):
                qconn.listAllDomains()
        finally:
            for c in (qconn, nconn):
                try:
                    c.close()
                except libvirt.libvirtError:
                    pass


if __name__ == "__main__":
    unittest.main()
