"""virsh console and python's openConsole against our virtqemud: the
guest's serial port is a pty, its path is in the live XML, and a stream
carries bytes both ways.  The guest needs no OS: SeaBIOS talks on the
serial port (<bios useserial='yes'/>) and takes keys from it (ESC opens
its boot menu)."""
import os
import pty
import select
import stat
import subprocess
import sys
import time
import unittest

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
from harness import DaemonTestCase, VIRSH, virsh  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

GUEST = """<domain type='kvm'>
  <name>{name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <bootmenu enable='yes' timeout='10000'/>
    <bios useserial='yes'/>
  </os>
  <devices>
    <serial type='pty'/>
    <console type='pty'/>
  </devices>
</domain>
"""


def read_until(stream, marker, timeout=20):
    """Receive from a blocking console stream until MARKER was seen."""
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"no {marker!r} on the console; got {seen[-300:]!r}")
        data = stream.recv(4096)
        if not data:
            raise AssertionError(f"console ended before {marker!r}; got {seen[-300:]!r}")
        seen += data
    return seen


class Console(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.conn = libvirt.open(self.daemon.uri())

    def tearDown(self):
        self.conn.close()
        super().tearDown()   # its guests go with the daemon

    def start_paused(self, name):
        """QEMU drops what a pty nobody has open gets: the guest runs only
        once the console is there."""
        dom = self.conn.defineXML(GUEST.format(name=name))
        dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        return dom

    def open_console(self, dom, flags=0):
        stream = self.conn.newStream(0)
        dom.openConsole(None, stream, flags)
        return stream

    def test_pty_path_in_live_xml_only(self):
        dom = self.start_paused("ptyxml")
        live = dom.XMLDesc(0)
        path = live.split("<source path='")[1].split("'")[0]
        self.assertTrue(path.startswith("/dev/pts/"), path)
        self.assertTrue(stat.S_ISCHR(os.stat(path).st_mode))
        self.assertIn(f"<console type='pty' tty='{path}'>", live)
        self.assertEqual(live.count(f"<source path='{path}'/>"), 2)   # serial and console
        inactive = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        self.assertNotIn("/dev/pts/", inactive)
        # a restarted daemon still knows it (status file)
        self.conn.close()
        self.daemon.stop()
        self.daemon.start()
        self.conn = libvirt.open(self.daemon.uri())
        self.assertIn(f"<source path='{path}'/>", self.conn.lookupByName("ptyxml").XMLDesc(0))

    def test_both_ways(self):
        dom = self.start_paused("both")
        stream = self.open_console(dom)
        dom.resume()
        read_until(stream, b"Press ESC for boot menu")
        stream.send(b"\x1b")   # to the guest: SeaBIOS answers with its menu
        read_until(stream, b"Select boot device")
        stream.finish()

    def test_one_session_at_a_time(self):
        dom = self.start_paused("busy")
        first = self.open_console(dom)
        with self.assertRaises(libvirt.libvirtError) as e:
            self.open_console(dom)
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_OPERATION_FAILED)
        self.assertEqual(str(e.exception),
                         "operation failed: Active console session exists for this domain")
        # --force takes it over: the first one is broken off, with
        # libvirtd's words for it
        second = self.open_console(dom, libvirt.VIR_DOMAIN_CONSOLE_FORCE)
        with self.assertRaises(libvirt.libvirtError) as e:
            first.recv(4096)
        self.assertEqual(str(e.exception), "stream had I/O failure")
        self.assertEqual(e.exception.get_error_code(), libvirt.VIR_ERR_RPC)
        dom.resume()
        read_until(second, b"SeaBIOS")
        second.abort()
        # once a session is over the device is free again
        third = self.open_console(dom)
        third.abort()

    def test_guest_going_away_ends_the_stream(self):
        dom = self.start_paused("gone")
        stream = self.open_console(dom)
        dom.resume()
        read_until(stream, b"SeaBIOS")
        dom.destroy()
        deadline = time.monotonic() + 10
        while stream.recv(4096) != b"":
            self.assertLess(time.monotonic(), deadline, "console outlived its guest")
        stream.finish()

    def test_errors(self):
        dom = self.conn.defineXML(GUEST.format(name="err"))
        with self.assertRaises(libvirt.libvirtError) as e:
            self.open_console(dom)
        self.assertEqual(str(e.exception), "Requested operation is not valid: domain is not running")
        dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        stream = self.conn.newStream(0)
        with self.assertRaises(libvirt.libvirtError) as e:
            dom.openConsole("nosuch0", stream, 0)
        self.assertEqual(str(e.exception), "internal error: cannot find character device nosuch0")
        stream.abort()

    def test_virsh_console(self):
        """Debian's virsh on a terminal: it shows the guest and leaves on ^]."""
        dom = self.start_paused("tty")
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(VIRSH, [VIRSH, "-c", self.daemon.uri(), "console", "tty"])
        seen = b""

        def read_for(marker, timeout=20):
            nonlocal seen
            deadline = time.monotonic() + timeout
            while marker not in seen and time.monotonic() < deadline:
                if select.select([fd], [], [], 0.2)[0]:
                    seen += os.read(fd, 4096)
            self.assertIn(marker, seen)

        try:
            read_for(b"Escape character is ^] (Ctrl + ])")
            dom.resume()
            read_for(b"Press ESC for boot menu")
            os.write(fd, b"\x1b")
            read_for(b"Select boot device")
            os.write(fd, b"\x1d")   # ^]
            _, status = os.waitpid(pid, 0)
            pid = None
            self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        finally:
            if pid:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            os.close(fd)
        # the session is over: a new one may start
        self.open_console(dom).abort()


if __name__ == "__main__":
    unittest.main()
