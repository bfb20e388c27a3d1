"""python3-libvirt against our virtqemud: lifecycle with event callbacks,
errors clients check, and guests surviving a daemon killed with SIGKILL."""
import os
import signal
import sys
import time
import unittest

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
import harness  # noqa: E402
from harness import Daemon, DaemonTestCase, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
harness.start_libvirt_event_loop()


class PythonLifecycle(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.conn = libvirt.open(self.daemon.uri())

    def tearDown(self):
        self.conn.close()
        super().tearDown()

    def test_lifecycle_with_callbacks(self):
        events = []
        cb = self.conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            lambda c, d, ev, det, op: events.append((d.name(), ev, det)), None)
        dom = self.conn.defineXML(guests.minimal("py"))
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_UNKNOWN])
        self.assertEqual(dom.ID(), -1)
        dom.create()
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED])
        self.assertGreater(self.conn.lookupByName("py").ID(), 0)
        self.assertEqual(self.conn.lookupByID(dom.ID()).name(), "py")
        self.assertEqual(self.conn.lookupByUUIDString(dom.UUIDString()).name(), "py")
        self.assertEqual([d.name() for d in self.conn.listAllDomains(
            libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)], ["py"])
        dom.suspend()
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_PAUSED, libvirt.VIR_DOMAIN_PAUSED_USER])
        dom.resume()
        dom.destroy()
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED])
        self.assertEqual(self.conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE), [])
        dom.undefine()
        wait_for(lambda: len(events) >= 8, what="events")
        E = libvirt
        self.assertEqual(events, [
            ("py", E.VIR_DOMAIN_EVENT_DEFINED, E.VIR_DOMAIN_EVENT_DEFINED_ADDED),
            ("py", E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED),
            ("py", E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED),
            ("py", E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED),
            ("py", E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED),
            ("py", E.VIR_DOMAIN_EVENT_SHUTDOWN, E.VIR_DOMAIN_EVENT_SHUTDOWN_HOST),
            ("py", E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED),
            ("py", E.VIR_DOMAIN_EVENT_UNDEFINED, E.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED),
        ][:len(events)])
        self.conn.domainEventDeregisterAny(cb)
        # A repeated deregister is an error reply, not a crash.
        with self.assertRaises(libvirt.libvirtError):
            self.conn.domainEventDeregisterAny(cb)

    def test_kept_dumpxml_follows_changes(self):
        # The daemon keeps each flag set's document between changes: the
        # password only ever goes to SECURE, and each change shows at once.
        S, I = libvirt.VIR_DOMAIN_XML_SECURE, libvirt.VIR_DOMAIN_XML_INACTIVE
        vnc = "<graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'/>"
        dom = self.conn.defineXML(guests.minimal("kx", devices=vnc))
        for flags in (0, S, 0, S | I, I, S, 0, I):
            xml = dom.XMLDesc(flags)
            self.assertEqual("s3cret" in xml, bool(flags & S), f"flags {flags}")
        self.assertIn("<memory unit='KiB'>65536</memory>", dom.XMLDesc(0))
        dom.setMaxMemory(96 * 1024)
        self.assertIn("<memory unit='KiB'>98304</memory>", dom.XMLDesc(0))
        self.assertIn("<memory unit='KiB'>98304</memory>", dom.XMLDesc(S))
        self.conn.defineXML(guests.minimal("kx", memory_mib=80).replace(
            "<name>", f"<uuid>{dom.UUIDString()}</uuid><name>"))
        self.assertNotIn("s3cret", dom.XMLDesc(S))
        self.assertIn("<memory unit='KiB'>81920</memory>", dom.XMLDesc(0))
        # start and stop: the live document has the id, the stopped one not
        self.assertNotIn(" id=", dom.XMLDesc(0).splitlines()[0])
        dom.create()
        self.assertIn(f" id='{dom.ID()}'", dom.XMLDesc(0).splitlines()[0])
        self.assertNotIn(" id=", dom.XMLDesc(I).splitlines()[0])
        dom.setMemoryFlags(70 * 1024, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
        self.assertIn("<currentMemory unit='KiB'>71680</currentMemory>", dom.XMLDesc(I))
        self.assertNotIn("71680", dom.XMLDesc(0))
        # a live change edits the live definition in place
        self.assertNotIn("<interface", dom.XMLDesc(0))
        dom.attachDeviceFlags("<interface type='user'><model type='virtio'/></interface>",
                              libvirt.VIR_DOMAIN_AFFECT_LIVE)
        self.assertIn("<interface type='user'>", dom.XMLDesc(0))
        self.assertNotIn("<interface", dom.XMLDesc(I))
        dom.destroy()
        self.assertNotIn(" id=", dom.XMLDesc(0).splitlines()[0])
        self.assertIn("<currentMemory unit='KiB'>71680</currentMemory>", dom.XMLDesc(0))
        dom.undefine()

    def test_unfiltered_listing_follows_changes(self):
        # The daemon keeps this listing encoded between changes: each change
        # must show at once.
        def listing():
            return {d.name(): d.ID() for d in self.conn.listAllDomains()}

        self.assertEqual(listing(), {})
        a = self.conn.defineXML(guests.minimal("la"))
        self.assertEqual(listing(), {"la": -1})
        self.conn.defineXML(guests.minimal("lb"))
        self.assertEqual(listing(), {"la": -1, "lb": -1})
        a.create()
        self.assertEqual(listing(), {"la": a.ID(), "lb": -1})
        self.assertGreater(a.ID(), 0)
        t = self.conn.createXML(guests.minimal("lt"), 0)
        self.assertEqual(listing(), {"la": a.ID(), "lb": -1, "lt": t.ID()})
        t.destroy()
        a.destroy()
        self.assertEqual(listing(), {"la": -1, "lb": -1})
        self.conn.lookupByName("lb").undefine()
        self.assertEqual(listing(), {"la": -1})
        self.assertEqual(self.conn.numOfDefinedDomains(), 1)
        a.undefine()
        self.assertEqual(listing(), {})

    def test_redefine_running_guest(self):
        # virt-install --import: create a transient guest, then define it.
        dom = self.conn.createXML(guests.minimal("imp"), 0)
        self.assertFalse(dom.isPersistent())
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        self.conn.defineXML(xml)
        self.assertTrue(dom.isPersistent())
        self.assertTrue(dom.isActive())
        dom.destroy()
        self.assertEqual(self.conn.lookupByName("imp").state()[0], libvirt.VIR_DOMAIN_SHUTOFF)
        self.conn.lookupByName("imp").undefine()

    def assert_error(self, fn, code, message):
        with self.assertRaises(libvirt.libvirtError) as ctx:
            fn()
        self.assertEqual(ctx.exception.get_error_code(), code)
        self.assertEqual(ctx.exception.get_error_message(), message)

    def test_errors(self):
        config_dir = os.path.join(self.daemon.root, "etc", "libvirt", "qemu")
        with self.assertRaises(libvirt.libvirtError) as ctx:
            self.conn.defineXML("<domain type='kvm'><name>bad</name")
        self.assertEqual(ctx.exception.get_error_code(), libvirt.VIR_ERR_XML_DETAIL)
        self.assert_error(lambda: self.conn.defineXML(guests.minimal(
            "emu", devices="<emulator>/usr/bin/no-such-qemu</emulator>")),
            libvirt.VIR_ERR_SYSTEM_ERROR,
            "Cannot check QEMU binary /usr/bin/no-such-qemu: No such file or directory")
        self.assert_error(lambda: self.conn.defineXML(guests.minimal("dup", devices="""
            <interface type='user'><address type='pci' bus='0' slot='5'/></interface>
            <interface type='user'><address type='pci' bus='0' slot='5'/></interface>""")),
            libvirt.VIR_ERR_XML_ERROR, "XML error: Attempted double use of PCI Address 0000:00:05.0")
        self.assertFalse(os.path.exists(os.path.join(config_dir, "bad.xml")))
        self.assertFalse(os.path.exists(os.path.join(config_dir, "emu.xml")))
        self.assertFalse(os.path.exists(os.path.join(config_dir, "dup.xml")))
        self.assertEqual(self.conn.listAllDomains(), [])

        dom = self.conn.defineXML(guests.minimal("run"))
        self.assert_error(dom.suspend, libvirt.VIR_ERR_OPERATION_INVALID,
                          "Requested operation is not valid: domain is not running")
        dom.create()
        self.assert_error(dom.create, libvirt.VIR_ERR_OPERATION_INVALID,
                          "Requested operation is not valid: domain is already running")
        other = guests.minimal("run").replace("<name>", "<uuid>11111111-2222-3333-4444-555555555555</uuid><name>")
        with self.assertRaises(libvirt.libvirtError) as ctx:
            self.conn.defineXML(other)
        self.assertEqual(ctx.exception.get_error_code(), libvirt.VIR_ERR_OPERATION_FAILED)
        self.assertIn("domain 'run' already exists with uuid", ctx.exception.get_error_message())
        dom.destroy()
        dom.undefine()
        self.assert_error(lambda: self.conn.lookupByName("run"), libvirt.VIR_ERR_NO_DOMAIN,
                          "Domain not found: no domain with matching name 'run'")

    def test_readonly_connection(self):
        self.conn.defineXML(guests.minimal("ro"))
        ro = libvirt.openReadOnly(self.daemon.uri("sock-ro"))
        try:
            dom = ro.lookupByName("ro")
            self.assertIn("<name>ro</name>", dom.XMLDesc(0))
            self.assert_error(lambda: dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE),
                              libvirt.VIR_ERR_OPERATION_DENIED,
                              "operation forbidden: virDomainGetXMLDesc with secure flag")
            self.assert_error(dom.create, libvirt.VIR_ERR_OPERATION_DENIED,
                              "operation forbidden: read only access prevents virDomainCreate")
            self.assert_error(dom.undefine, libvirt.VIR_ERR_OPERATION_DENIED,
                              "operation forbidden: read only access prevents virDomainUndefine")
        finally:
            ro.close()
        self.conn.lookupByName("ro").undefine()

    def test_bad_disk_path_fails_cleanly(self):
        dom = self.conn.defineXML(guests.minimal("bd", devices="""
            <disk type='file' device='disk'><source file='/nonexistent/disk.qcow2'/>
            <target dev='vda' bus='virtio'/></disk>"""))
        # libvirtd 9.0 checks as QEMU's user and says which (here root)
        self.assert_error(dom.create, libvirt.VIR_ERR_SYSTEM_ERROR,
                          "Cannot access storage file '/nonexistent/disk.qcow2' "
                          "(as uid:0, gid:0): No such file or directory")
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_FAILED])
        self.assertEqual(guests.qemu_pids(self.daemon.root, "bd"), [])
        dom.undefine()

    def test_qemu_failing_at_start(self):
        # QEMU itself refuses this (a disk file that is not a qcow2 image).
        bogus = os.path.join(self.daemon.root, "not-an-image.qcow2")
        with open(bogus, "w") as f:
            f.write("this is not a qcow2 image\n")
        dom = self.conn.defineXML(guests.minimal("qf", devices=f"""
            <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
            <source file='{bogus}'/><target dev='vda' bus='virtio'/></disk>"""))
        with self.assertRaises(libvirt.libvirtError) as ctx:
            dom.create()
        self.assertEqual(ctx.exception.get_error_code(), libvirt.VIR_ERR_INTERNAL_ERROR)
        self.assertIn("qcow2", ctx.exception.get_error_message())
        self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_SHUTOFF)
        self.assertEqual(guests.qemu_pids(self.daemon.root, "qf"), [])
        self.assertEqual(dom.ID(), -1)
        dom.undefine()


class Restart(unittest.TestCase):
    """kill -9 the daemon: running guests are found again; one killed while
    the daemon was away is shown shut off."""

    def test_restart_after_sigkill(self):
        daemon = Daemon().start()
        try:
            conn = libvirt.open(daemon.uri())
            a = conn.defineXML(guests.minimal("keep"))
            a.create()
            conn.createXML(guests.minimal("transient"), 0)
            c = conn.defineXML(guests.minimal("victim"))
            c.create()
            c.suspend()
            ids = {d.name(): d.ID() for d in conn.listAllDomains()}
            conn.close()

            daemon.proc.send_signal(signal.SIGKILL)
            daemon.proc.wait()
            victim = guests.qemu_pids(daemon.root, "victim")
            self.assertEqual(len(victim), 1)
            os.kill(victim[0], signal.SIGKILL)
            wait_for(lambda: not guests.qemu_pids(daemon.root, "victim"), what="victim gone")

            daemon.start()
            conn = libvirt.open(daemon.uri())
            keep = conn.lookupByName("keep")
            self.assertEqual(keep.state(), [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED])
            self.assertEqual(keep.ID(), ids["keep"])
            self.assertTrue(keep.isPersistent())
            transient = conn.lookupByName("transient")
            self.assertTrue(transient.isActive())
            self.assertFalse(transient.isPersistent())
            self.assertEqual(conn.lookupByName("victim").state(),
                             [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_CRASHED])
            # The reconnected monitors work: pause and destroy for real.
            keep.suspend()
            self.assertEqual(keep.state()[0], libvirt.VIR_DOMAIN_PAUSED)
            keep.destroy()
            transient.destroy()
            wait_for(lambda: not guests.qemu_pids(daemon.root, "keep"), what="keep gone")
            self.assertEqual(guests.qemu_pids(daemon.root, "transient"), [])
            self.assertEqual(sorted(d.name() for d in conn.listAllDomains()), ["keep", "victim"])
            conn.close()
        finally:
            for name in ("keep", "transient", "victim"):
                for pid in guests.qemu_pids(daemon.root, name):
                    os.kill(pid, signal.SIGKILL)
            daemon.cleanup()


class CleanStop(unittest.TestCase):
    """SIGTERM stops the daemon cleanly and leaves guests running; the next
    daemon finds them."""

    def test_guests_outlive_a_clean_stop(self):
        daemon = Daemon().start()
        try:
            conn = libvirt.open(daemon.uri())
            conn.createXML(guests.minimal("stay"), 0)
            conn.close()
            self.assertEqual(daemon.stop(signal.SIGTERM), 0, daemon.stderr())
            self.assertEqual(len(guests.qemu_pids(daemon.root, "stay")), 1)
            daemon.start()
            conn = libvirt.open(daemon.uri())
            dom = conn.lookupByName("stay")
            self.assertEqual(dom.state()[0], libvirt.VIR_DOMAIN_RUNNING)
            dom.destroy()
            conn.close()
        finally:
            for pid in guests.qemu_pids(daemon.root, "stay"):
                os.kill(pid, signal.SIGKILL)
            daemon.cleanup()


if __name__ == "__main__":
    unittest.main()
