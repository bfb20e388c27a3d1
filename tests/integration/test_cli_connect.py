"""Our CLI (and libvirtkit underneath) against our virtqemud: connection-level
commands print exactly what Debian's virsh prints for the same daemon."""
import ctypes
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BUILD, DaemonTestCase, run, tool_path, virsh  # noqa: E402

VIRTKIT = tool_path("virtkit")
LIBVIRTKIT = os.path.join(BUILD, "client", "libvirtkit.so")


def virtkit(uri, *args, readonly=False, env=None):
    cmd = [VIRTKIT] + (["-c", uri] if uri else []) + (["-r"] if readonly else []) + list(args)
    return run(cmd, env=env)


class CliConnect(DaemonTestCase):
    def assertSameAsVirsh(self, *args, readonly=False, uri=None, ok=True):
        uri = uri or self.daemon.uri()
        ours = virtkit(uri, *args, readonly=readonly)
        theirs = virsh(uri, *args, readonly=readonly)
        what = f"{' '.join(args)} (readonly={readonly})"
        self.assertEqual(theirs.returncode == 0, ok, f"virsh {what}: {theirs.stderr}")
        self.assertEqual(ours.returncode, theirs.returncode, f"{what}: {ours.stderr}")
        self.assertEqual(ours.stdout, theirs.stdout, what)
        self.assertEqual(ours.stderr, theirs.stderr, what)
        return ours

    def test_version(self):
        r = self.assertSameAsVirsh("version")
        self.assertIn("Running hypervisor: QEMU ", r.stdout)
        self.assertSameAsVirsh("version", "--daemon")

    def test_uri(self):
        r = self.assertSameAsVirsh("uri")
        self.assertEqual(r.stdout.strip(), self.daemon.uri())

    def test_hostname(self):
        self.assertSameAsVirsh("hostname")

    def test_nodeinfo(self):
        r = self.assertSameAsVirsh("nodeinfo")
        self.assertIn("CPU(s):", r.stdout)

    def test_list(self):
        for ro in (False, True):
            for args in (("list",), ("list", "--all"), ("list", "--all", "--name"),
                         ("list", "--inactive", "--uuid")):
                self.assertSameAsVirsh(*args, readonly=ro)
        r = self.assertSameAsVirsh("list", "--all")
        self.assertEqual(r.stdout, " Id   Name   State\n--------------------\n\n")

    def test_readonly_socket(self):
        self.assertSameAsVirsh("list --all; uri", readonly=True, uri=self.daemon.uri("sock-ro"))

    def test_several_commands(self):
        self.assertSameAsVirsh("version; uri; hostname; nodeinfo; list --all")
        self.assertSameAsVirsh("-q", "uri")

    def test_default_uri_from_environment(self):
        for var in ("VIRTKIT_DEFAULT_URI", "LIBVIRT_DEFAULT_URI"):
            r = virtkit(None, "uri", env={var: self.daemon.uri()})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.strip(), self.daemon.uri())

    def test_bad_uri(self):
        # virsh hands an unknown scheme to the system libvirtd, so what it prints
        # depends on whether one runs here; this is libvirtd's text when it does.
        r = virtkit("foo:///system", "uri")
        self.assertEqual((r.returncode, r.stdout), (1, ""))
        self.assertEqual(r.stderr, "error: failed to connect to the hypervisor\n"
                                   "error: no connection driver available for foo:///system\n")
        missing = "qemu+unix:///system?socket=" + os.path.join(self.daemon.root, "nosuch")
        self.assertSameAsVirsh("uri", uri=missing, ok=False)
        # Ours words these itself, naming the URI at fault.
        for bad in ("qemu:///bogus", "qemu+bogus:///system", "qemu+ssh://host/system"):
            r = virtkit(bad, "uri")
            self.assertEqual(r.returncode, 1)
            self.assertEqual(r.stdout, "")
            self.assertTrue(r.stderr.startswith("error: failed to connect to the hypervisor\n"
                                                "error: invalid argument: "), r.stderr)
            self.assertIn(f"'{bad}'", r.stderr)

    def test_bad_command_lines(self):
        self.assertSameAsVirsh("bogus", ok=False)
        self.assertSameAsVirsh("list", "--bogus", ok=False)
        self.assertSameAsVirsh("list", "extra", ok=False)
        self.assertSameAsVirsh("uri; list --bogus", ok=False)


class LibvirtkitConnect(DaemonTestCase):
    """The shared library through ctypes: libvirt's calls and error API."""

    def setUp(self):
        super().setUp()
        lib = ctypes.CDLL(LIBVIRTKIT)
        lib.virConnectOpen.restype = ctypes.c_void_p
        lib.virConnectOpen.argtypes = [ctypes.c_char_p]
        lib.virConnectOpenReadOnly.restype = ctypes.c_void_p
        lib.virConnectOpenReadOnly.argtypes = [ctypes.c_char_p]
        lib.virConnectClose.argtypes = [ctypes.c_void_p]
        lib.virConnectGetType.restype = ctypes.c_char_p
        lib.virConnectGetType.argtypes = [ctypes.c_void_p]
        lib.virConnectGetVersion.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_ulong)]
        lib.virConnectGetLibVersion.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_ulong)]
        lib.virConnectGetMaxVcpus.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        lib.virConnectIsAlive.argtypes = [ctypes.c_void_p]
        lib.virConnectIsSecure.argtypes = [ctypes.c_void_p]
        lib.virConnectListAllDomains.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint]
        lib.virGetLastErrorMessage.restype = ctypes.c_char_p
        self.lib = lib

    def test_calls_match_python_libvirt(self):
        import libvirt
        ref = libvirt.open(self.daemon.uri())
        lib = self.lib
        conn = lib.virConnectOpen(self.daemon.uri().encode())
        self.assertTrue(conn, lib.virGetLastErrorMessage())
        try:
            self.assertEqual(lib.virConnectGetType(conn).decode(), ref.getType())
            ver = ctypes.c_ulong()
            self.assertEqual(lib.virConnectGetVersion(conn, ctypes.byref(ver)), 0)
            self.assertEqual(ver.value, ref.getVersion())
            self.assertEqual(lib.virConnectGetLibVersion(conn, ctypes.byref(ver)), 0)
            self.assertEqual(ver.value, ref.getLibVersion())
            self.assertEqual(lib.virConnectGetMaxVcpus(conn, None), ref.getMaxVcpus(None))
            self.assertEqual(lib.virConnectIsAlive(conn), 1)
            self.assertEqual(lib.virConnectIsSecure(conn), ref.isSecure())
            self.assertEqual(lib.virConnectListAllDomains(conn, None, 0),
                             len(ref.listAllDomains(0)))
        finally:
            self.assertEqual(lib.virConnectClose(conn), 0)
            ref.close()

    def test_readonly_open(self):
        conn = self.lib.virConnectOpenReadOnly(self.daemon.uri("sock-ro").encode())
        self.assertTrue(conn, self.lib.virGetLastErrorMessage())
        self.assertEqual(self.lib.virConnectListAllDomains(conn, None, 0), 0)
        self.assertEqual(self.lib.virConnectClose(conn), 0)

    def test_open_error(self):
        self.assertIsNone(self.lib.virConnectOpen(b"foo:///system"))
        self.assertEqual(self.lib.virGetLastErrorCode(), 5)   # VIR_ERR_NO_CONNECT
        self.assertEqual(self.lib.virGetLastErrorMessage().decode(),
                         "no connection driver available for foo:///system")
        self.lib.virResetLastError()
        self.assertEqual(self.lib.virGetLastErrorCode(), 0)
        self.assertEqual(self.lib.virGetLastErrorMessage().decode(), "no error")


if __name__ == "__main__":
    unittest.main()
