"""attach-device / detach-device against our virtqemud, with Debian's virsh
and python3-libvirt: disks and interfaces, live (QMP hotplug into a running
QEMU) and in the persistent config, with libvirtd 9.0's answers and errors.

Guests without an OS (guests.minimal) take a hotplugged device but never
let one go: like libvirtd, a detach then succeeds after 5 seconds with the
device still there.  A real detach is checked on the tiny Linux guest
(tests/guest), which answers the ACPI hotplug request."""
import os
import re
import subprocess
import sys
import time
import unittest

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "guest"))
import guests  # noqa: E402
import harness  # noqa: E402
from harness import DaemonTestCase, TinyGuestMixin, VirshMixin, virsh, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
harness.start_libvirt_event_loop()

AFFECT_LIVE = libvirt.VIR_DOMAIN_AFFECT_LIVE
AFFECT_CONFIG = libvirt.VIR_DOMAIN_AFFECT_CONFIG


def disk_xml(path, dev, fmt="qcow2"):
    return f"""<disk type='file' device='disk'>
  <driver name='qemu' type='{fmt}'/>
  <source file='{path}'/>
  <target dev='{dev}' bus='virtio'/>
</disk>
"""


def user_net_xml(mac=None):
    mac_el = f"<mac address='{mac}'/>" if mac else ""
    return f"<interface type='user'>{mac_el}<model type='virtio'/></interface>\n"


def section(xml, element, key):
    """The <element>...</element> block of XML that contains KEY, or None."""
    for m in re.finditer(rf"<{element}[ >].*?</{element}>", xml, re.S):
        if key in m.group(0):
            return m.group(0)
    return None


class HotplugTestCase(VirshMixin, DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.uri = self.daemon.uri()
        self.conn = libvirt.open(self.uri)
        self.names = []

    def tearDown(self):
        # guests outlive their daemon by design: end ours before it stops
        for name in self.names:
            try:
                dom = self.conn.lookupByName(name)
                if dom.isActive():
                    dom.destroy()
            except libvirt.libvirtError:
                pass
            for pid in guests.qemu_pids(self.daemon.root, name):
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
        try:
            self.conn.close()
        except libvirt.libvirtError:
            pass
        super().tearDown()

    def image(self, name):
        return guests.disk_image(self.daemon.root, name, "8M")

    def define(self, name, machine="q35", devices=""):
        self.names.append(name)
        self.virsh_ok("define", self.write(f"{name}.xml", guests.minimal(name, machine, devices)))

    def start(self, name):
        self.virsh_ok("start", name)
        pids = guests.qemu_pids(self.daemon.root, name)
        self.assertEqual(len(pids), 1, pids)
        return pids[0]

    def live_xml(self, name):
        return self.virsh_ok("dumpxml", name)

    def config_xml(self, name):
        return self.virsh_ok("dumpxml", "--inactive", name)

    def status_file(self, name):
        path = os.path.join(self.daemon.root, "run", "libvirt", "qemu", f"{name}.xml")
        with open(path) as f:
            return f.read()

    def domblklist(self, name, *flags):
        out = self.virsh_ok("domblklist", name, *flags)
        rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
        return {row[0]: row[1] for row in rows}

    def restart_daemon(self):
        self.conn.close()
        self.daemon.stop()
        self.daemon.start()
        self.conn = libvirt.open(self.uri)

    def assert_libvirt_error(self, fn, code, message):
        with self.assertRaises(libvirt.libvirtError) as ctx:
            fn()
        self.assertEqual(ctx.exception.get_error_message(), message)
        self.assertEqual(ctx.exception.get_error_code(), code)


class LiveAttach(HotplugTestCase):
    def test_disk_into_running_q35_guest(self):
        name = "hotplug-live"
        self.define(name)
        pid = self.start(name)
        img = self.image("vdb")
        path = self.write("vdb.xml", disk_xml(img, "vdb"))

        out = self.virsh_ok("attach-device", name, path, "--live")
        self.assertIn("Device attached successfully", out)
        self.assertEqual(self.domblklist(name), {"vdb": img})

        # the live XML: libvirt's alias, the spare root port libvirt adds at
        # define for one hotplug (q35: pci index 3, slot 0)
        disk = section(self.live_xml(name), "disk", img)
        self.assertIsNotNone(disk)
        self.assertIn("<alias name='virtio-disk1'/>", disk)
        self.assertIn("<address type='pci' domain='0x0000' bus='0x03' slot='0x00' "
                      "function='0x0'/>", disk)
        # the running QEMU took it and is still the same process; the status
        # file (what a restarted daemon reads) has it; the config does not
        self.assertEqual(guests.qemu_pids(self.daemon.root, name), [pid])
        self.assertIn(img, self.status_file(name))
        self.assertIn("virtio-disk1", self.status_file(name))
        self.assertNotIn(img, self.config_xml(name))

        # no second free hotpluggable slot: libvirt adds no controller live
        img2 = self.image("vdc")
        err = self.virsh_fails("attach-device", name,
                               self.write("vdc.xml", disk_xml(img2, "vdc")), "--live")
        self.assertIn("internal error: No more available PCI slots", err)
        # the same target twice
        err = self.virsh_fails("attach-device", name, path, "--live")
        self.assertIn(f"XML error: target 'vdb' duplicated for disk sources '{img}' and '{img}'",
                      err)
        self.assertEqual(self.domblklist(name), {"vdb": img})

        # a restarted daemon finds the guest with its new disk
        self.restart_daemon()
        self.assertEqual(self.domblklist(name), {"vdb": img})
        self.assertEqual(guests.qemu_pids(self.daemon.root, name), [pid])

    def test_disk_on_pc_goes_to_a_free_slot_of_pci0(self):
        # without ACPI, pc's bus has no hotplug: QEMU refuses, as under libvirtd
        name = "hotplug-pc-noacpi"
        self.define(name, machine="pc")
        self.start(name)
        img = self.image("vdb")
        dom = self.conn.lookupByName(name)
        before = dom.XMLDesc(0)
        self.assert_libvirt_error(lambda: dom.attachDevice(disk_xml(img, "vdb")),
                                  libvirt.VIR_ERR_INTERNAL_ERROR,
                                  "internal error: unable to execute QEMU command 'device_add': "
                                  "Bus 'pci.0' does not support hotplugging")
        self.assertEqual(dom.XMLDesc(0), before)
        # the image node of the failed try was deleted: a second try fails
        # the same way, not on the image's lock
        self.assert_libvirt_error(lambda: dom.attachDevice(disk_xml(img, "vdb")),
                                  libvirt.VIR_ERR_INTERNAL_ERROR,
                                  "internal error: unable to execute QEMU command 'device_add': "
                                  "Bus 'pci.0' does not support hotplugging")
        dom.destroy()

        # with ACPI it works
        name = "hotplug-pc"
        self.names.append(name)
        self.virsh_ok("define", self.write(f"{name}.xml", guests.minimal(
            name, "pc", extra="<features><acpi/></features>")))
        self.start(name)
        dom = self.conn.lookupByName(name)
        dom.attachDevice(disk_xml(img, "vdb"))   # the old call: live
        disk = section(dom.XMLDesc(0), "disk", img)
        self.assertRegex(disk, r"<address type='pci' domain='0x0000' bus='0x00' "
                               r"slot='0x0[2-9a-f]'")
        self.assertEqual(self.domblklist(name), {"vdb": img})

    def test_missing_image_changes_nothing(self):
        name = "hotplug-noimg"
        self.define(name)
        self.start(name)
        before = self.live_xml(name)
        missing = os.path.join(self.daemon.root, "nothere.qcow2")
        err = self.virsh_fails("attach-device", name,
                               self.write("d.xml", disk_xml(missing, "vdb")), "--live")
        self.assertIn(f"Cannot access storage file '{missing}'", err)
        self.assertEqual(self.live_xml(name), before)
        # the slot is still free for the next one
        img = self.image("ok")
        self.virsh_ok("attach-device", name, self.write("ok.xml", disk_xml(img, "vdb")), "--live")

    def test_interface_live_and_config(self):
        name = "hotplug-net"
        self.define(name)
        self.start(name)
        mac = "52:54:00:7e:57:01"
        path = self.write("net.xml", user_net_xml(mac))
        self.virsh_ok("attach-device", name, path, "--live", "--config")

        live = section(self.live_xml(name), "interface", mac)
        self.assertIsNotNone(live)
        self.assertIn("<alias name='net0'/>", live)
        self.assertIn("bus='0x03'", live)
        config = section(self.config_xml(name), "interface", mac)
        self.assertIsNotNone(config, self.config_xml(name))
        self.assertNotIn("<alias", config)
        self.assertIn("<address type='pci'", config)
        out = self.virsh_ok("domiflist", name)
        self.assertIn(mac, out)
        self.assertIn("virtio", out)

        # without a MAC, both copies of the device get the same generated one
        name2 = "hotplug-net2"
        self.define(name2)
        self.start(name2)
        self.virsh_ok("attach-device", name2, self.write("n2.xml", user_net_xml()),
                      "--live", "--config")
        macs_live = re.findall(r"<mac address='([0-9a-f:]+)'/>", self.live_xml(name2))
        macs_config = re.findall(r"<mac address='([0-9a-f:]+)'/>", self.config_xml(name2))
        self.assertEqual(len(macs_live), 1)
        self.assertEqual(macs_live, macs_config)

        # detach from the config only: the running guest keeps it
        self.virsh_ok("detach-device", name, path, "--config")
        self.assertIsNone(section(self.config_xml(name), "interface", mac))
        self.assertIsNotNone(section(self.live_xml(name), "interface", mac))


class LiveDetachWithoutOS(HotplugTestCase):
    def test_detach_times_out_and_the_device_stays(self):
        """libvirtd asks (device_del), waits 5 s for the guest, then reports
        success with the device still there."""
        name = "hotplug-noos"
        self.define(name)
        self.start(name)
        img = self.image("vdb")
        path = self.write("vdb.xml", disk_xml(img, "vdb"))
        self.virsh_ok("attach-device", name, path)
        t0 = time.monotonic()
        out = self.virsh_ok("detach-device", name, path)
        elapsed = time.monotonic() - t0
        self.assertIn("Device detached successfully", out)
        self.assertGreater(elapsed, 4.0)
        self.assertLess(elapsed, 15.0)
        self.assertEqual(self.domblklist(name), {"vdb": img})

        # a device that is not there at all
        err = self.virsh_fails("detach-device", name,
                               self.write("vdz.xml", disk_xml(img, "vdz")), "--live")
        self.assertIn("device not found: disk vdz not found", err)

        # detach-device-alias does not wait
        t0 = time.monotonic()
        out = self.virsh_ok("detach-device-alias", name, "virtio-disk1")
        self.assertIn("Device detach request sent successfully", out)
        self.assertLess(time.monotonic() - t0, 3.0)
        self.assertEqual(self.domblklist(name), {"vdb": img})
        err = self.virsh_fails("detach-device-alias", name, "nosuch")
        self.assertIn("internal error: no device found with alias nosuch", err)


class ConfigAttach(HotplugTestCase):
    def test_config_attach_persists_across_restart_and_boots(self):
        name = "hotplug-cfg"
        self.define(name)
        img = self.image("vdb")
        mac = "52:54:00:7e:57:02"
        disk_path = self.write("vdb.xml", disk_xml(img, "vdb"))
        # shut off: CURRENT (no flag) is the config
        self.virsh_ok("attach-device", name, disk_path, "--current")
        self.virsh_ok("attach-device", name, self.write("net.xml", user_net_xml(mac)), "--config")

        def check_config():
            xml = self.config_xml(name)
            disk = section(xml, "disk", img)
            self.assertIsNotNone(disk, xml)
            # libvirtd's placement: the spare root port, then a new one
            self.assertIn("bus='0x03'", disk)
            net = section(xml, "interface", mac)
            self.assertIn("bus='0x04'", net)
            self.assertIn("<controller type='pci' index='4' model='pcie-root-port'>", xml)
            with open(os.path.join(self.daemon.root, "etc", "libvirt", "qemu",
                                   f"{name}.xml")) as f:
                saved = f.read()
            self.assertIn(img, saved)
            self.assertIn(mac, saved)

        check_config()
        self.restart_daemon()
        check_config()

        # the guest boots with them
        self.start(name)
        self.assertEqual(self.domblklist(name), {"vdb": img})
        self.assertIn(mac, self.virsh_ok("domiflist", name))

    def test_config_detach_and_errors(self):
        name = "hotplug-cfgdet"
        img = self.image("vdb")
        self.define(name, devices=disk_xml(img, "vdb"))
        dom = self.conn.lookupByName(name)

        self.assert_libvirt_error(lambda: dom.attachDeviceFlags(disk_xml(img, "vdb"), AFFECT_CONFIG),
                                  libvirt.VIR_ERR_OPERATION_INVALID,
                                  "Requested operation is not valid: target vdb already exists")
        self.assert_libvirt_error(lambda: dom.attachDeviceFlags(disk_xml(img, "vdc"), AFFECT_LIVE),
                                  libvirt.VIR_ERR_OPERATION_INVALID,
                                  "Requested operation is not valid: domain is not running")
        self.assert_libvirt_error(lambda: dom.attachDevice(disk_xml(img, "vdc")),
                                  libvirt.VIR_ERR_OPERATION_INVALID,
                                  "Requested operation is not valid: domain is not running")
        self.assert_libvirt_error(lambda: dom.attachDeviceFlags("<disk type='file'><source",
                                                                AFFECT_CONFIG),
                                  libvirt.VIR_ERR_XML_DETAIL,
                                  "(device_definition):1: Couldn't find end of Start Tag source "
                                  "line 1\n<disk type='file'><source\n"
                                  "-------------------------^")
        self.assert_libvirt_error(lambda: dom.attachDeviceFlags("<foo/>", AFFECT_CONFIG),
                                  libvirt.VIR_ERR_CONFIG_UNSUPPORTED,
                                  "unsupported configuration: unknown device type 'foo'")
        self.assert_libvirt_error(lambda: dom.detachDeviceFlags(disk_xml(img, "vdz"), AFFECT_CONFIG),
                                  libvirt.VIR_ERR_DEVICE_MISSING,
                                  "device not found: no target device vdz")
        self.assert_libvirt_error(
            lambda: dom.detachDeviceFlags(user_net_xml("52:54:00:00:00:01"), AFFECT_CONFIG),
            libvirt.VIR_ERR_DEVICE_MISSING,
            "device not found: no device found at address '(<null>)' matching MAC address "
            "'52:54:00:00:00:01' and alias '(<null>)'")

        # detach by target: the source given does not matter
        dom.detachDeviceFlags(disk_xml("/elsewhere.qcow2", "vdb"), AFFECT_CONFIG)
        self.assertNotIn(img, self.config_xml(name))
        self.restart_daemon()
        self.assertNotIn(img, self.config_xml(name))

    def test_transient_guest_has_no_config(self):
        name = "hotplug-trans"
        self.names.append(name)
        self.virsh_ok("create", self.write(f"{name}.xml", guests.minimal(name)))
        dom = self.conn.lookupByName(name)
        img = self.image("vdb")
        self.assert_libvirt_error(lambda: dom.attachDeviceFlags(disk_xml(img, "vdb"),
                                                                AFFECT_CONFIG | AFFECT_LIVE),
                                  libvirt.VIR_ERR_OPERATION_INVALID,
                                  "Requested operation is not valid: transient domains do not "
                                  "have any persistent config")
        self.assertEqual(self.domblklist(name), {})
        # CURRENT is live on a running guest
        dom.attachDeviceFlags(disk_xml(img, "vdb"), 0)
        self.assertEqual(self.domblklist(name), {"vdb": img})


class RealGuestDetach(TinyGuestMixin, HotplugTestCase):
    """The tiny Linux guest lets devices go: detach completes, the backend is
    freed (the same image plugs in again) and clients get device-removed."""

    def test_detach_completes(self):
        g = self.guest
        name = "hotplug-linux"
        console = os.path.join(self.daemon.root, f"{name}-console.log")
        self.names.append(name)
        self.virsh_ok("create", self.write(f"{name}.xml", g.domain_xml(
            name, self.kernel, self.initrd, console, virt_type=self.virt_type)))
        g.wait_for_console(console, g.READY, self.boot_timeout)

        removed = []
        cb = self.conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
            lambda c, d, alias, op: removed.append((d.name(), alias)), None)
        try:
            img = self.image("vdb")
            path = self.write("vdb.xml", disk_xml(img, "vdb"))
            mac = "52:54:00:7e:57:03"
            net_path = self.write("net.xml", user_net_xml(mac))
            self.virsh_ok("attach-device", name, path)
            self.virsh_ok("attach-device", name, net_path)
            self.assertEqual(self.domblklist(name), {"vdb": img})

            t0 = time.monotonic()
            self.virsh_ok("detach-device", name, path)
            self.assertLess(time.monotonic() - t0, 4.5, "the guest did not let the disk go")
            self.assertEqual(self.domblklist(name), {})
            self.assertNotIn(img, self.status_file(name))
            wait_for(lambda: (name, "virtio-disk1") in removed, timeout=5,
                     what="device-removed event")

            self.virsh_ok("detach-device", name, net_path)
            self.assertNotIn(mac, self.virsh_ok("domiflist", name))
            wait_for(lambda: (name, "net0") in removed, timeout=5, what="device-removed event")

            # the image's node was deleted: QEMU can open it again
            self.virsh_ok("attach-device", name, path)
            self.assertEqual(self.domblklist(name), {"vdb": img})

            # detach-device-alias returns at once; the disk goes when the
            # guest lets it go
            removed.clear()
            self.virsh_ok("detach-device-alias", name, "virtio-disk1")
            wait_for(lambda: self.domblklist(name) == {}, timeout=10, what="the disk to go")
            wait_for(lambda: (name, "virtio-disk1") in removed, timeout=5,
                     what="device-removed event")
            self.virsh_ok("attach-device", name, path)
        finally:
            self.conn.domainEventDeregisterAny(cb)


if __name__ == "__main__":
    unittest.main()
