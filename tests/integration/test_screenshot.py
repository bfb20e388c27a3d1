"""virsh screenshot against our virtqemud: QEMU's screen arrives as a PNG
over the call's stream; errors as libvirtd 9.0 words them."""
import os
import struct
import sys
import unittest

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
from harness import DaemonTestCase, virsh  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

GUEST = """<domain type='kvm'>
  <name>{name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>{devices}</devices>
</domain>
"""
WITH_SCREEN = "<graphics type='vnc' port='-1' autoport='yes'/><video><model type='vga'/></video>"


def png_size(data):
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    return struct.unpack(">II", data[16:24])


class Screenshot(DaemonTestCase):
    def create(self, name, devices):
        path = os.path.join(self.daemon.root, f"{name}.xml")
        with open(path, "w") as f:
            f.write(GUEST.format(name=name, devices=devices))
        r = virsh(self.daemon.uri(), "create", path)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_virsh(self):
        self.create("shot", WITH_SCREEN)
        out = os.path.join(self.daemon.root, "shot.png")
        r = virsh(self.daemon.uri(), "screenshot", "shot", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, f"Screenshot saved to {out}, with type of image/png\n")
        with open(out, "rb") as f:
            self.assertEqual(png_size(f.read()), (640, 480))
        # no file of QEMU's is left behind
        cache = os.path.join(self.daemon.root, "var", "cache", "libvirt", "qemu")
        self.assertEqual([n for n in os.listdir(cache) if "screendump" in n], [])

        r = virsh(self.daemon.uri(), "screenshot", "shot", "--screen", "1", out + "2")
        self.assertEqual(r.stderr, "error: could not take a screenshot of shot\n"
                                   "error: Requested operation is not valid: no such screen ID\n")

    def test_python(self):
        self.create("pyshot", WITH_SCREEN)
        conn = libvirt.open(self.daemon.uri())
        try:
            dom = conn.lookupByName("pyshot")
            stream = conn.newStream(0)
            self.assertEqual(dom.screenshot(stream, 0, 0), "image/png")
            data = b""
            while chunk := stream.recv(65536):
                data += chunk
            stream.finish()
            self.assertEqual(png_size(data), (640, 480))
            # the connection goes on working after the stream
            self.assertEqual(dom.name(), "pyshot")
        finally:
            conn.close()

    def test_no_screen(self):
        self.create("blind", "")
        r = virsh(self.daemon.uri(), "screenshot", "blind", os.path.join(self.daemon.root, "x"))
        self.assertEqual(r.stderr, "error: could not take a screenshot of blind\n"
                                   "error: Requested operation is not valid: no screens to take "
                                   "screenshot from\n")


if __name__ == "__main__":
    unittest.main()
