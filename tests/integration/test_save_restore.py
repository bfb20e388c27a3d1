"""virsh save / restore / managedsave and the save-image commands against
our virtqemud, with real QEMU guests (no OS needed: they sit in the
firmware): the image is libvirt's format, the restored guest is the saved
one (its vCPU registers come back), clients see libvirt's states, events
and errors."""
import json
import os
import struct
import sys
import time
import unittest

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
import harness  # noqa: E402
from harness import DaemonTestCase, VirshMixin, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
harness.start_libvirt_event_loop()

E = libvirt
HEADER = struct.Struct("<16s5I56x")   # libvirt's virQEMUSaveHeader: 92 bytes


def read_header(path):
    with open(path, "rb") as f:
        data = f.read(HEADER.size + 70000)
    magic, version, data_len, was_running, fmt, cookie = HEADER.unpack_from(data)
    xml = data[HEADER.size:HEADER.size + data_len].split(b"\0", 1)[0].decode()
    return dict(magic=magic, version=version, data_len=data_len, was_running=was_running,
                format=fmt, cookie=cookie, xml=xml)


class SaveRestore(VirshMixin, DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.conn = libvirt.open(self.daemon.uri())
        self.events = []
        self.cb = self.conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            lambda c, d, ev, det, op: self.events.append((d.name(), ev, det)), None)
        self.image = os.path.join(self.daemon.root, "guest.save")

    def tearDown(self):
        self.conn.domainEventDeregisterAny(self.cb)
        self.conn.close()
        super().tearDown()

    def define_and_start(self, name="vksave-a"):
        self.virsh_ok("define", self.write(f"{name}.xml", guests.minimal(name)))
        self.virsh_ok("start", name)
        return self.conn.lookupByName(name)

    def take_events(self, n):
        wait_for(lambda: len(self.events) >= n, what=f"{n} events, got {self.events}")
        time.sleep(0.1)   # nothing more may come
        got, self.events[:] = list(self.events), []
        return got

    def monitor(self, name, command, **args):
        cmd = {"execute": command, "arguments": args} if args else {"execute": command}
        return json.loads(self.virsh_ok("qemu-monitor-command", name, json.dumps(cmd)))["return"]

    def registers(self, name):
        """The vCPU's registers, as QEMU's 'info registers' shows them."""
        return self.monitor(name, "human-monitor-command", **{"command-line": "info registers"})

    def test_save_then_restore(self):
        dom = self.define_and_start()
        uuid = dom.UUIDString()
        self.take_events(2)
        out = self.virsh_ok("save", "vksave-a", self.image)
        self.assertIn(f"Domain 'vksave-a' saved to {self.image}", out)
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_SHUTOFF, E.VIR_DOMAIN_SHUTOFF_SAVED])
        self.assertEqual(guests.qemu_pids(self.daemon.root, "vksave-a"), [])
        self.assertEqual(self.take_events(2), [
            ("vksave-a", E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED),
            ("vksave-a", E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_SAVED)])
        self.assertIn("shut off", self.virsh_ok("domstate", "vksave-a", "--reason"))
        self.assertIn("saved", self.virsh_ok("domstate", "vksave-a", "--reason"))

        hdr = read_header(self.image)
        self.assertEqual(hdr["magic"], b"LibvirtQemudSave")
        self.assertEqual((hdr["version"], hdr["was_running"], hdr["format"]), (2, 1, 0))
        self.assertGreaterEqual(hdr["data_len"], len(hdr["xml"]) + 64 * 1024)
        self.assertIn(f"<uuid>{uuid}</uuid>", hdr["xml"])
        with open(self.image, "rb") as f:
            f.seek(HEADER.size + hdr["data_len"])
            self.assertEqual(f.read(4), b"QEVM")   # QEMU's migration stream

        out = self.virsh_ok("restore", self.image)
        self.assertIn(f"Domain restored from {self.image}", out)
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_RUNNING, E.VIR_DOMAIN_RUNNING_RESTORED])
        self.assertEqual(self.conn.lookupByName("vksave-a").UUIDString(), uuid)
        self.assertTrue(dom.isPersistent())
        self.assertEqual(len(guests.qemu_pids(self.daemon.root, "vksave-a")), 1)
        self.assertTrue(self.monitor("vksave-a", "query-status")["running"])
        self.assertEqual(self.take_events(2), [
            ("vksave-a", E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_RESTORED),
            # libvirt 9.0 says "from snapshot" here
            ("vksave-a", E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT)])

    def test_restored_guest_is_the_saved_one(self):
        """A paused guest's registers come back exactly: QEMU loaded the
        state (a fresh QEMU would sit at the reset vector)."""
        self.define_and_start()
        time.sleep(0.5)   # into the firmware
        self.virsh_ok("suspend", "vksave-a")
        before = self.registers("vksave-a")
        self.virsh_ok("save", "vksave-a", self.image)
        self.assertEqual(read_header(self.image)["was_running"], 0)
        self.virsh_ok("restore", self.image)
        dom = self.conn.lookupByName("vksave-a")
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_PAUSED, E.VIR_DOMAIN_PAUSED_MIGRATION])
        self.assertEqual(self.registers("vksave-a"), before)
        self.assertNotIn("RIP=000000000000fff0", before)
        self.virsh_ok("resume", "vksave-a")
        self.assertTrue(self.monitor("vksave-a", "query-status")["running"])

    def test_save_paused_flag_and_restore_running_flag(self):
        dom = self.define_and_start()
        self.virsh_ok("save", "vksave-a", self.image, "--paused")
        self.assertEqual(read_header(self.image)["was_running"], 0)
        self.take_events(4)
        self.virsh_ok("restore", self.image)
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_PAUSED, E.VIR_DOMAIN_PAUSED_MIGRATION])
        self.assertEqual(self.take_events(2), [
            ("vksave-a", E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_RESTORED),
            ("vksave-a", E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_RESTORED)])
        self.virsh_ok("destroy", "vksave-a")
        self.virsh_ok("restore", self.image, "--running")
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_RUNNING, E.VIR_DOMAIN_RUNNING_RESTORED])

    def test_transient_guest_comes_back_transient(self):
        self.virsh_ok("create", self.write("t.xml", guests.minimal("vksave-t")))
        err = self.virsh_fails("managedsave", "vksave-t")
        self.assertIn("Requested operation is not valid: cannot do managed save for transient "
                      "domain", err)
        self.virsh_ok("save", "vksave-t", self.image)
        self.assertNotIn("vksave-t", self.virsh_ok("list", "--all"))
        self.virsh_ok("restore", self.image)
        dom = self.conn.lookupByName("vksave-t")
        self.assertFalse(dom.isPersistent())
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_RUNNING, E.VIR_DOMAIN_RUNNING_RESTORED])
        err = self.virsh_fails("restore", self.image)
        self.assertIn("domain 'vksave-t' is already active", err)

    def test_managed_save(self):
        dom = self.define_and_start()
        path = os.path.join(self.daemon.root, "var/lib/libvirt/qemu/save/vksave-a.save")
        self.take_events(2)
        out = self.virsh_ok("managedsave", "vksave-a")
        self.assertIn("Domain 'vksave-a' state saved by libvirt", out)
        self.assertTrue(os.path.exists(path))
        self.assertEqual(read_header(path)["magic"], b"LibvirtQemudSave")
        self.assertEqual(dom.hasManagedSaveImage(), 1)
        self.assertRegex(self.virsh_ok("dominfo", "vksave-a"), r"Managed save:\s+yes")
        self.assertRegex(self.virsh_ok("list", "--all", "--managed-save"), r"vksave-a\s+saved")
        self.assertEqual([d.name() for d in self.conn.listAllDomains(
            E.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE)], ["vksave-a"])
        self.assertIn("<name>vksave-a</name>", self.virsh_ok("managedsave-dumpxml", "vksave-a"))
        self.take_events(2)

        err = self.virsh_fails("undefine", "vksave-a")
        self.assertIn("Refusing to undefine while domain managed save image exists", err)

        self.virsh_ok("start", "vksave-a")
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_RUNNING, E.VIR_DOMAIN_RUNNING_RESTORED])
        self.assertFalse(os.path.exists(path))
        self.assertEqual(dom.hasManagedSaveImage(), 0)
        self.assertEqual(self.take_events(2), [
            ("vksave-a", E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_RESTORED),
            ("vksave-a", E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT)])

        self.virsh_ok("managedsave", "vksave-a")
        out = self.virsh_ok("managedsave-remove", "vksave-a")
        self.assertIn("Removed managedsave image for domain 'vksave-a'", out)
        self.assertFalse(os.path.exists(path))
        self.virsh_ok("start", "vksave-a")   # a plain boot now
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_RUNNING, E.VIR_DOMAIN_RUNNING_BOOTED])

        self.virsh_ok("managedsave", "vksave-a")
        self.virsh_ok("undefine", "vksave-a", "--managed-save")
        self.assertFalse(os.path.exists(path))

    def test_autostart_restores_a_managed_save(self):
        """A daemon that starts an autostart guest brings a managed save back,
        as virsh start does (and as libvirtd's autostart does)."""
        self.define_and_start()
        path = os.path.join(self.daemon.root, "var/lib/libvirt/qemu/save/vksave-a.save")
        self.virsh_ok("autostart", "vksave-a")
        self.virsh_ok("managedsave", "vksave-a")
        self.conn.close()
        self.daemon.stop()
        self.daemon.start()
        self.conn = libvirt.open(self.daemon.uri())
        self.cb = self.conn.domainEventRegisterAny(   # for tearDown to take back
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lambda *args: None, None)
        dom = self.conn.lookupByName("vksave-a")
        wait_for(lambda: dom.state()[0] == E.VIR_DOMAIN_RUNNING, what="autostart")
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_RUNNING, E.VIR_DOMAIN_RUNNING_RESTORED])
        self.assertFalse(os.path.exists(path))

    def test_save_image_dumpxml_and_define(self):
        dom = self.define_and_start()
        self.virsh_ok("save", "vksave-a", self.image)
        xml = self.virsh_ok("save-image-dumpxml", self.image)
        self.assertIn(f"<uuid>{dom.UUIDString()}</uuid>", xml)
        self.assertIn("<memory unit='KiB'>65536</memory>", xml)
        new_xml = self.write("new.xml", xml.replace("<domain type='kvm'>",
                                                     "<domain type='kvm'>\n  <description>"
                                                     "edited</description>"))
        out = self.virsh_ok("save-image-define", self.image, new_xml)
        self.assertIn(f"State file {self.image} updated.", out)
        self.assertIn("<description>edited</description>",
                      self.virsh_ok("save-image-dumpxml", self.image))
        self.virsh_ok("restore", self.image)
        self.assertIn("<description>edited</description>", self.virsh_ok("dumpxml", "vksave-a"))

        other = self.write("other.xml", guests.minimal("vksave-a"))
        err = self.virsh_fails("save-image-define", self.image, other)
        self.assertIn("Target domain uuid", err)

    def test_errors(self):
        self.virsh_ok("define", self.write("a.xml", guests.minimal("vksave-a")))
        err = self.virsh_fails("save", "vksave-a", self.image)
        self.assertIn("Requested operation is not valid: domain is not running", err)
        err = self.virsh_fails("managedsave", "vksave-a")
        self.assertIn("Requested operation is not valid: domain is not running", err)
        self.assertIn("has no manage save image; removal skipped",
                      self.virsh_ok("managedsave-remove", "vksave-a"))

        missing = os.path.join(self.daemon.root, "missing.save")
        err = self.virsh_fails("restore", missing)
        self.assertIn(f"Failed to open file '{missing}': No such file or directory", err)
        short = self.write("short.save", "hello")
        self.assertIn("operation failed: failed to read qemu header",
                      self.virsh_fails("restore", short))
        bad = self.write("bad.save", "x" * 200)
        self.assertIn("operation failed: image magic is incorrect",
                      self.virsh_fails("save-image-dumpxml", bad))
        partial = self.write("partial.save", "LibvirtQemudPart" + "\0" * 200)
        self.assertIn("operation failed: save image is incomplete",
                      self.virsh_fails("restore", partial))
        try:
            self.conn.restore(bad)
            self.fail("restore of a bad file worked")
        except libvirt.libvirtError as e:
            self.assertEqual((e.get_error_code(), e.get_error_domain()),
                             (E.VIR_ERR_OPERATION_FAILED, E.VIR_FROM_QEMU))
        self.assertEqual(self.virsh_ok("list", "--all", "--name").split(), ["vksave-a"])


if __name__ == "__main__":
    unittest.main()
