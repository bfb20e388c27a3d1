"""virsh send-key against our virtqemud: the keys reach the guest's
keyboard.  SeaBIOS (whose serial console the test reads, as in
test_console.py) opens its boot menu on ESC from the PS/2 keyboard."""
import os
import sys
import unittest

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
from harness import DaemonTestCase, VirshMixin  # noqa: E402
from test_console import GUEST, read_until  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)


class SendKey(VirshMixin, DaemonTestCase):
    def test_escape_opens_the_boot_menu(self):
        conn = libvirt.open(self.daemon.uri())
        try:
            dom = conn.defineXML(GUEST.format(name="keys"))
            dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
            console = conn.newStream(0)
            dom.openConsole(None, console, 0)
            dom.resume()
            read_until(console, b"Press ESC for boot menu")
            self.assertEqual(self.virsh_ok("send-key", "keys", "KEY_ESC"), "\n")
            read_until(console, b"Select boot device")
            console.abort()
            # libvirt's other code sets: XT scancodes, and atset1 with its prefix
            self.virsh_ok("send-key", "keys", "--codeset", "xt", "1")
            self.virsh_ok("send-key", "keys", "--codeset", "atset1", "0xe048", "--holdtime", "50")
        finally:
            conn.close()

    def test_errors(self):
        self.virsh_ok("define", self.write("k.xml", GUEST.format(name="k")))
        self.assertEqual(self.virsh_fails("send-key", "k", "KEY_ESC"),
                         "error: Requested operation is not valid: domain is not running\n")
        self.virsh_ok("start", "k", "--paused")
        self.assertEqual(self.virsh_fails("send-key", "k", "--codeset", "usb", "4"),
                         "error: internal error: cannot translate keycode 4 of usb codeset to "
                         "qnum keycode\n")
        self.assertEqual(self.virsh_fails("send-key", "k", "250"),
                         "error: internal error: cannot translate keycode 250 of linux codeset "
                         "to qnum keycode\n")


if __name__ == "__main__":
    unittest.main()
