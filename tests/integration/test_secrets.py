"""Graphics passwords are secrets, as libvirt keeps them: left out of every
XML a client gets unless it asks with the SECURE flag, which read-only
connections may not do; kept in our own files (definition, status, save
images, snapshot metadata); and set in QEMU for real, so a VNC client is
asked for one."""
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
from harness import DaemonTestCase, VirshMixin, virsh  # noqa: E402

PASSWORD = "s3cret-pw"
GRAPHICS = f"<graphics type='vnc' autoport='yes' listen='127.0.0.1' passwd='{PASSWORD}'/>"
FORBIDDEN = "operation forbidden: {api} with secure flag"


def vnc_security_types(port):
    """The RFB 3.8 security types a VNC server offers: [2] when it asks for
    a password, [1] when it does not."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        version = s.recv(12)
        assert version.startswith(b"RFB "), version
        s.sendall(b"RFB 003.008\n")
        count = s.recv(1)[0]
        return list(s.recv(count))


class Secrets(VirshMixin, DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.disk = guests.disk_image(self.daemon.root, "vksecret")
        self.virsh_ok("define", self.write("vksecret.xml", guests.minimal("vksecret", devices=f"""
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source file='{self.disk}'/>
              <target dev='vda' bus='virtio'/>
            </disk>
            {GRAPHICS}""")))

    def ro_socket(self, *args, flag_r=True):
        """virsh on the read-only socket; with FLAG_R false the client does
        not know it is read-only, so only the daemon can refuse."""
        return virsh(self.daemon.uri("sock-ro"), *args, readonly=flag_r)

    def assert_hidden_and_refused(self, command, api, *args):
        """COMMAND's XML hides the password on both sockets, shows it with
        --security-info on the read-write one and is refused on the other."""
        self.assertNotIn("passwd", self.virsh_ok(command, *args))
        self.assertIn(f"passwd='{PASSWORD}'", self.virsh_ok(command, "--security-info", *args))
        for flag_r in (True, False):
            r = self.ro_socket(command, *args, flag_r=flag_r)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("<graphics", r.stdout)
            self.assertNotIn("passwd", r.stdout)
            r = self.ro_socket(command, "--security-info", *args, flag_r=flag_r)
            self.assertNotEqual(r.returncode, 0, r.stdout)
            self.assertIn(FORBIDDEN.format(api=api), r.stderr)
            self.assertNotIn(PASSWORD, r.stdout)

    def test_dumpxml_of_a_defined_guest(self):
        self.assert_hidden_and_refused("dumpxml", "virDomainGetXMLDesc", "vksecret")
        self.assert_hidden_and_refused("dumpxml", "virDomainGetXMLDesc", "--inactive", "vksecret")
        # --migratable could carry secrets too: libvirt refuses it read-only
        r = self.ro_socket("dumpxml", "--migratable", "vksecret", flag_r=False)
        self.assertIn(FORBIDDEN.format(api="virDomainGetXMLDesc"), r.stderr)

    def test_saved_definition_keeps_the_password(self):
        path = os.path.join(self.daemon.root, "etc", "libvirt", "qemu", "vksecret.xml")
        with open(path) as f:
            self.assertIn(f"passwd='{PASSWORD}'", f.read())
        self.daemon.stop()
        self.daemon.start()
        self.assertIn(f"passwd='{PASSWORD}'",
                      self.virsh_ok("dumpxml", "--security-info", "vksecret"))

    def test_running_guest_asks_vnc_clients_for_the_password(self):
        self.virsh_ok("start", "vksecret")
        self.assert_hidden_and_refused("dumpxml", "virDomainGetXMLDesc", "vksecret")
        # the config copy made at start and the status file keep it too
        self.assertIn(f"passwd='{PASSWORD}'",
                      self.virsh_ok("dumpxml", "--inactive", "--security-info", "vksecret"))
        status = os.path.join(self.daemon.root, "run", "libvirt", "qemu", "vksecret.xml")
        with open(status) as f:
            self.assertIn(f"passwd='{PASSWORD}'", f.read())
        port = int(self.virsh_ok("domdisplay", "vksecret").strip().rsplit(":", 1)[1]) + 5900
        self.assertEqual(vnc_security_types(port), [2])
        # the password is not on QEMU's command line, where any user could read it
        [pid] = guests.qemu_pids(self.daemon.root, "vksecret")
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            self.assertNotIn(PASSWORD.encode(), f.read())

    def test_managed_save_image(self):
        self.virsh_ok("start", "vksecret")
        self.virsh_ok("managedsave", "vksecret")
        self.assert_hidden_and_refused("managedsave-dumpxml", "virDomainManagedSaveGetXMLDesc",
                                       "vksecret")
        # the guest comes back from the image with its password
        self.virsh_ok("start", "vksecret")
        port = int(self.virsh_ok("domdisplay", "vksecret").strip().rsplit(":", 1)[1]) + 5900
        self.assertEqual(vnc_security_types(port), [2])

    def test_save_image(self):
        image = os.path.join(self.daemon.root, "vksecret.save")
        self.virsh_ok("start", "vksecret")
        self.virsh_ok("save", "vksecret", image)
        self.assertNotIn("passwd", self.virsh_ok("save-image-dumpxml", image))
        self.assertIn(f"passwd='{PASSWORD}'",
                      self.virsh_ok("save-image-dumpxml", "--security-info", image))
        # not a read-only call at all
        r = self.ro_socket("save-image-dumpxml", image, flag_r=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertNotIn(PASSWORD, r.stdout)
        self.virsh_ok("restore", image)
        self.assertIn(f"passwd='{PASSWORD}'",
                      self.virsh_ok("dumpxml", "--security-info", "vksecret"))

    def test_snapshot_xml(self):
        self.virsh_ok("snapshot-create-as", "vksecret", "snap1")
        self.assert_hidden_and_refused("snapshot-dumpxml", "virDomainSnapshotGetXMLDesc",
                                       "vksecret", "snap1")
        # the metadata file keeps it, and a restarted daemon still has it
        meta = os.path.join(self.daemon.root, "var", "lib", "libvirt", "qemu", "snapshot",
                            "vksecret", "snap1.xml")
        with open(meta) as f:
            self.assertIn(f"passwd='{PASSWORD}'", f.read())
        self.daemon.stop()
        self.daemon.start()
        self.assertIn(f"passwd='{PASSWORD}'",
                      self.virsh_ok("snapshot-dumpxml", "--security-info", "vksecret", "snap1"))


if __name__ == "__main__":
    unittest.main()
