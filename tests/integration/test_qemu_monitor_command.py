"""libvirt-qemu's calls (the QEMU program) against our virtqemud: virsh
qemu-monitor-command and python's libvirt_qemu reach the guest's QEMU.  The
expected outputs are what Debian's libvirtd 9.0 printed for the same
commands (its reply ids say libvirt-N where ours say virtkit-N)."""
import os
import re
import sys
import unittest

import libvirt
import libvirt_qemu

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
from harness import DaemonTestCase, virsh  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

STATUS = '{"return":{"status":"running","singlestep":false,"running":true},"id":"ID"}\n\n'


def same_ids(text):
    return re.sub(r'"id":"virtkit-\d+"', '"id":"ID"', text)


class QemuMonitorCommand(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.uri = self.daemon.uri()
        path = os.path.join(self.daemon.root, "g.xml")
        with open(path, "w") as f:
            f.write(guests.minimal("g"))
        self.assertEqual(virsh(self.uri, "define", path).returncode, 0)

    def monitor(self, *args, readonly=False):
        return virsh(self.uri, "qemu-monitor-command", "g", *args, readonly=readonly)

    def test_virsh(self):
        r = self.monitor('{"execute":"query-status"}')
        self.assertEqual((r.returncode, r.stderr),
                         (1, "error: Requested operation is not valid: domain is not running\n"))
        self.assertEqual(virsh(self.uri, "start", "g").returncode, 0)

        self.assertEqual(same_ids(self.monitor('{"execute":"query-status"}').stdout), STATUS)
        # virsh turns a bare word into {"execute": word}
        self.assertEqual(same_ids(self.monitor("query-status").stdout), STATUS)
        pretty = self.monitor("--pretty", '{"execute":"query-status"}').stdout
        self.assertIn('\n  "return": {\n    "status": "running",\n', pretty)
        # QEMU's error replies are answers, shown as they came
        r = self.monitor('{"execute":"nosuch"}')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(same_ids(r.stdout), '{"id":"ID","error":{"class":"CommandNotFound",'
                                             '"desc":"The command nosuch has not been found"}}\n\n')
        # and the command really reached QEMU: stop pauses the guest
        self.monitor('{"execute":"stop"}')
        self.assertIn('"status":"paused"', self.monitor("query-status").stdout)
        self.monitor('{"execute":"cont"}')

        self.assertEqual(self.monitor("--hmp", "info status").stdout, "VM status: running\n\n\n")
        self.assertEqual(self.monitor("--hmp", "bogus").stdout, "unknown command: 'bogus'\n\n\n")

        r = self.monitor('{"execute":"query-status"}', readonly=True)
        self.assertEqual(r.stderr, "error: operation forbidden: read only access prevents "
                                   "virDomainQemuMonitorCommand\n")
        virsh(self.uri, "destroy", "g")

    def test_python(self):
        conn = libvirt.open(self.uri)
        try:
            dom = conn.lookupByName("g")
            dom.create()
            out = libvirt_qemu.qemuMonitorCommand(dom, '{"execute":"query-name"}', 0)
            self.assertEqual(same_ids(out), '{"return":{"name":"g"},"id":"ID"}')
            out = libvirt_qemu.qemuMonitorCommand(
                dom, "info name", libvirt_qemu.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)
            self.assertEqual(out, "g\r\n")
            # a command that is not JSON at all: refused before QEMU sees it
            with self.assertRaises(libvirt.libvirtError) as e:
                libvirt_qemu.qemuMonitorCommand(dom, "{nope", 0)
            self.assertTrue(str(e.exception).startswith("internal error: cannot parse json {nope: "),
                            str(e.exception))
            # JSON without "execute": QEMU's own answer
            out = libvirt_qemu.qemuMonitorCommand(dom, '{"arguments":{}}', 0)
            self.assertIn('"error":{"class":"GenericError"', out)
            dom.destroy()
        finally:
            conn.close()


if __name__ == "__main__":
    unittest.main()
