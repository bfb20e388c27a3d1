"""Debian's virsh against our virtqemud: a guest's whole life, with real
QEMU (KVM when /dev/kvm is there)."""
import os
import re
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
from harness import DaemonTestCase, VirshMixin, virsh, wait_for, VIRSH  # noqa: E402


class VirshDomains(VirshMixin, DaemonTestCase):
    def run_virsh(self, *args, ok=True):
        r = virsh(self.daemon.uri(), *args)
        if ok:
            self.assertEqual(r.returncode, 0, f"virsh {args}: {r.stderr}")
        return r

    def state(self, name):
        return self.run_virsh("domstate", "--reason", name).stdout.strip()

    def test_lifecycle(self):
        disk = guests.disk_image(self.daemon.root, "web")
        xml = self.write("web.xml", guests.typical("web", disk))
        self.assertIn("Domain 'web' defined", self.run_virsh("define", xml).stdout)
        config = os.path.join(self.daemon.root, "etc", "libvirt", "qemu", "web.xml")
        self.assertTrue(os.path.exists(config))

        listing = self.run_virsh("list", "--all").stdout
        self.assertRegex(listing, r"-\s+web\s+shut off")
        self.assertEqual(self.state("web"), "shut off (unknown)")
        self.assertEqual(self.run_virsh("domid", "web").stdout.strip(), "-")
        info = self.run_virsh("dominfo", "web").stdout
        self.assertRegex(info, r"Max memory:\s+131072 KiB")
        self.assertRegex(info, r"Persistent:\s+yes")
        self.assertRegex(info, r"Managed save:\s+no")

        # Define assigned PCI addresses: dumpxml shows them right away, and a
        # shut-off guest's XML is the same with and without --inactive.
        inactive = self.run_virsh("dumpxml", "--inactive", "web").stdout
        self.assertEqual(self.run_virsh("dumpxml", "web").stdout, inactive)
        self.assertIn("<address type='pci' domain='0x0000' bus='0x", inactive)
        self.assertIn("<controller type='pci' index='1' model='pcie-root-port'>", inactive)
        self.assertIn("machine='pc-q35-7.2'", inactive)
        # The saved file is what dumpxml shows, plus our own record of the
        # PCI addresses the define was given (in <metadata>, never shown).
        saved = open(config).read()
        ours = re.compile(r"  <metadata>\n    <virtkit:pci-given xmlns:virtkit="
                          r"'https://virtkit.org/xmlns/domain/pci-given/1'>\n.*?"
                          r"</virtkit:pci-given>\n  </metadata>\n", re.S)
        self.assertRegex(saved, ours)
        self.assertEqual(ours.sub("", saved),
                         inactive[:-1] if inactive.endswith("\n\n") else inactive)

        self.run_virsh("start", "web")
        self.assertEqual(self.state("web"), "running (booted)")
        domid = self.run_virsh("domid", "web").stdout.strip()
        self.assertTrue(domid.isdigit(), domid)
        pids = guests.qemu_pids(self.daemon.root, "web")
        self.assertEqual(len(pids), 1)
        cmdline = open(f"/proc/{pids[0]}/cmdline").read().split("\0")
        accel = cmdline[cmdline.index("-accel") + 1]
        self.assertEqual(accel, "kvm" if os.access("/dev/kvm", os.W_OK) else "tcg")
        live = self.run_virsh("dumpxml", "web").stdout
        self.assertIn(f"<domain type='kvm' id='{domid}'>", live)
        self.assertRegex(live, r"<graphics type='vnc' port='59\d\d' autoport='yes'")
        # Devices carry the names QEMU knows them by, as libvirt shows them.
        for alias in ("virtio-disk0", "net0", "usb", "ide", "pcie.0", "pci.1", "serial0",
                      "input0", "video0", "balloon0"):
            self.assertIn(f"<alias name='{alias}'/>", live)
        self.assertEqual(self.run_virsh("dumpxml", "--inactive", "web").stdout, inactive)
        self.assertRegex(self.run_virsh("list").stdout, rf"{domid}\s+web\s+running")

        self.run_virsh("suspend", "web")
        self.assertEqual(self.state("web"), "paused (user)")
        self.run_virsh("resume", "web")
        self.assertEqual(self.state("web"), "running (unpaused)")

        # virsh checks this one itself (as it does against libvirtd).
        r = self.run_virsh("start", "web", ok=False)
        self.assertIn("error: Domain is already active", r.stderr)

        self.run_virsh("destroy", "web")
        self.assertEqual(self.state("web"), "shut off (destroyed)")
        wait_for(lambda: not guests.qemu_pids(self.daemon.root, "web"), what="QEMU gone")
        self.assertEqual(self.run_virsh("domid", "web").stdout.strip(), "-")

        self.run_virsh("autostart", "web")
        link = os.path.join(self.daemon.root, "etc", "libvirt", "qemu", "autostart", "web.xml")
        self.assertTrue(os.path.islink(link))
        self.assertRegex(self.run_virsh("dominfo", "web").stdout, r"Autostart:\s+enable")
        self.run_virsh("autostart", "--disable", "web")
        self.assertFalse(os.path.lexists(link))

        self.run_virsh("undefine", "web")
        self.assertFalse(os.path.exists(config))
        r = self.run_virsh("dominfo", "web", ok=False)
        self.assertIn("error: failed to get domain 'web'", r.stderr)

    def test_transient_create(self):
        xml = self.write("tmp.xml", guests.minimal("tmp"))
        self.assertIn("Domain 'tmp' created", self.run_virsh("create", xml).stdout)
        self.assertRegex(self.run_virsh("list").stdout, r"\d+\s+tmp\s+running")
        self.assertRegex(self.run_virsh("dominfo", "tmp").stdout, r"Persistent:\s+no")
        self.run_virsh("destroy", "tmp")
        self.assertNotIn("tmp", self.run_virsh("list", "--all").stdout)
        wait_for(lambda: not guests.qemu_pids(self.daemon.root, "tmp"), what="QEMU gone")

    def test_two_guests_with_vnc_get_different_ports(self):
        for name in ("a", "b"):
            xml = self.write(f"{name}.xml", guests.minimal(
                name, devices="<graphics type='vnc' autoport='yes' listen='127.0.0.1'/>"))
            self.run_virsh("create", xml)
        ports = [re.search(r"port='(\d+)'", self.run_virsh("dumpxml", n).stdout).group(1)
                 for n in ("a", "b")]
        self.assertNotEqual(ports[0], ports[1])
        for name in ("a", "b"):
            self.run_virsh("destroy", name)

    def test_capabilities(self):
        caps = self.run_virsh("capabilities").stdout
        self.assertIn("<arch>x86_64</arch>", caps)
        # virt-install takes the first machine as the default's canonical name.
        first = re.search(r"<machine[^>]*>([^<]+)</machine>", caps).group(1)
        self.assertTrue(first.startswith("pc-i440fx-"), first)
        self.assertIn("<emulator>/usr/bin/qemu-system-x86_64</emulator>", caps)
        self.assertIn("<acpi default='on' toggle='yes'/>", caps)
        self.assertIn("<model>dac</model>", caps)
        dom = self.run_virsh("domcapabilities").stdout
        self.assertIn("<path>/usr/bin/qemu-system-x86_64</path>", dom)
        self.assertIn("<machine>pc-i440fx-7.2</machine>", dom)
        self.assertIn("<mode name='host-passthrough' supported='yes'>", dom)
        q35 = self.run_virsh("domcapabilities", "--machine", "q35").stdout
        self.assertIn("<machine>pc-q35-7.2</machine>", q35)

    def test_event_stream(self):
        log = os.path.join(self.daemon.root, "events.txt")
        with open(log, "w") as out:
            proc = subprocess.Popen([VIRSH, "-c", self.daemon.uri(), "event", "--all", "--loop"],
                                    stdout=out, stderr=subprocess.STDOUT)
        try:
            time.sleep(1)
            xml = self.write("ev.xml", guests.minimal("ev"))
            self.run_virsh("define", xml)
            self.run_virsh("start", "ev")
            self.run_virsh("suspend", "ev")
            self.run_virsh("resume", "ev")
            self.run_virsh("destroy", "ev")
            self.run_virsh("undefine", "ev")
            wanted = ["Defined Added", "Resumed Unpaused", "Started Booted", "Suspended Paused",
                      "Resumed Unpaused", "Shutdown Finished after host request",
                      "Stopped Destroyed", "Undefined Removed"]
            wait_for(lambda: "Undefined Removed" in open(log).read(), what="events")
        finally:
            proc.terminate()
            proc.wait()
        got = [line.split(": ", 1)[1].strip() for line in open(log)
               if line.startswith("event 'lifecycle' for domain 'ev'")]
        self.assertEqual(got, wanted, open(log).read())


if __name__ == "__main__":
    unittest.main()
