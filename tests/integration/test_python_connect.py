"""python3-libvirt against our virtqemud (run with Debian's /usr/bin/python3)."""
import os
import socket
import sys
import time
import unittest

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import DaemonTestCase, Daemon  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


class PythonConnect(DaemonTestCase):
    def test_connection_calls(self):
        conn = libvirt.open(self.daemon.uri())
        try:
            self.assertEqual(conn.getType(), "QEMU")
            self.assertGreaterEqual(conn.getVersion(), 1000000)
            self.assertEqual(conn.getLibVersion(), 9000000)
            self.assertEqual(conn.getHostname(), socket.gethostname())
            self.assertEqual(conn.getURI(), self.daemon.uri())
            info = conn.getInfo()
            self.assertEqual(info[0], os.uname().machine)
            self.assertEqual(info[2], os.cpu_count())
            self.assertEqual(conn.listAllDomains(), [])
            self.assertEqual(conn.isSecure(), 1)
            self.assertEqual(conn.isEncrypted(), 0)
            self.assertEqual(conn.isAlive(), 1)
            self.assertGreater(conn.getMaxVcpus(None), 0)
        finally:
            conn.close()

    def test_readonly_refuses_define(self):
        conn = libvirt.openReadOnly(self.daemon.uri("sock-ro"))
        try:
            self.assertEqual(conn.listAllDomains(), [])
            with self.assertRaises(libvirt.libvirtError) as ctx:
                conn.defineXML("<domain type='kvm'><name>x</name><memory>65536</memory>"
                               "<os><type>hvm</type></os></domain>")
            e = ctx.exception
            self.assertEqual(e.get_error_code(), libvirt.VIR_ERR_OPERATION_DENIED)
            self.assertEqual(e.get_error_domain(), libvirt.VIR_FROM_DOMAIN)
            self.assertEqual(e.get_error_message(),
                             "operation forbidden: read only access prevents virDomainDefineXML")
        finally:
            conn.close()

    def test_unknown_domain_error(self):
        conn = libvirt.open(self.daemon.uri())
        try:
            with self.assertRaises(libvirt.libvirtError) as ctx:
                conn.lookupByName("nosuchguest")
            self.assertEqual(ctx.exception.get_error_code(), libvirt.VIR_ERR_NO_DOMAIN)
            self.assertEqual(ctx.exception.get_error_message(),
                             "Domain not found: no domain with matching name 'nosuchguest'")
        finally:
            conn.close()


class Keepalive(unittest.TestCase):
    """With keepalive on, the client survives several intervals; the daemon's
    pings are answered by the client's event loop."""

    def setUp(self):
        self.daemon = Daemon(config="keepalive_interval = 1\nkeepalive_count = 2\n").start()

    def tearDown(self):
        self.daemon.cleanup()

    def test_connection_survives_intervals(self):
        harness.start_libvirt_event_loop()
        conn = libvirt.open(self.daemon.uri())
        try:
            conn.setKeepAlive(1, 2)
            time.sleep(5)  # five server and client keepalive intervals
            self.assertEqual(conn.isAlive(), 1)
            self.assertEqual(conn.getLibVersion(), 9000000)
        finally:
            conn.close()


if __name__ == "__main__":
    unittest.main()
