"""Statistics of guests against our virtqemud, with python3-libvirt and
Debian's virsh: domstats (getAllDomainStats / domainListGetStats),
domblkstat, domifstat, dommemstat, domblkinfo, domcontrol, domblkerror.

The expected names below were read from Debian's libvirtd 9.0 running the
same guest shape (guests.typical: a qcow2 virtio disk, a user-mode NIC, a
balloon; no OS).  Values differ between the two daemons; names, types of
answer and errors must not.  The test itself needs no libvirtd."""
import os
import re
import subprocess
import sys
import time
import unittest

import libvirt

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
from harness import DaemonTestCase, virsh, wait_for  # noqa: E402
from test_bridge_network import BRIDGE_GUEST, NamespaceTestCase  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

MAC = "52:54:00:12:34:56"

# libvirtd 9.0's domstats of the running guest, by group.  What comes from
# KVM through QEMU's query-stats (vcpu.0.NAME.sum / .cur, whose names depend
# on the kernel, and the haltpoll sums; none under TCG) is left out here
# and checked in test_kvm_vcpu_stats.
RUNNING_NAMES = {
    libvirt.VIR_DOMAIN_STATS_STATE: ["state.state", "state.reason"],
    libvirt.VIR_DOMAIN_STATS_CPU_TOTAL: ["cpu.time", "cpu.user", "cpu.system",
                                         "cpu.cache.monitor.count"],
    libvirt.VIR_DOMAIN_STATS_BALLOON: ["balloon.current", "balloon.maximum",
                                       "balloon.last-update", "balloon.rss"],
    libvirt.VIR_DOMAIN_STATS_VCPU: ["vcpu.current", "vcpu.maximum", "vcpu.0.state",
                                    "vcpu.0.time", "vcpu.0.wait", "vcpu.0.delay"],
    libvirt.VIR_DOMAIN_STATS_INTERFACE: ["net.count"],   # user-mode: no host device
    libvirt.VIR_DOMAIN_STATS_BLOCK: [
        "block.count", "block.0.name", "block.0.path", "block.0.backingIndex",
        "block.0.rd.reqs", "block.0.rd.bytes", "block.0.rd.times",
        "block.0.wr.reqs", "block.0.wr.bytes", "block.0.wr.times",
        "block.0.fl.reqs", "block.0.fl.times",
        "block.0.allocation", "block.0.capacity", "block.0.physical"],
}
KVM_ONLY = {"cpu.haltpoll.success.time", "cpu.haltpoll.fail.time"}
KVM_VCPU_STAT = re.compile(r"vcpu\.\d+\.\w+\.(sum|cur|max)$")


def without_kvm(names):
    return [n for n in names if n not in KVM_ONLY and not KVM_VCPU_STAT.match(n)]

# ... and of the same guest shut off: what the definition and the image say.
INACTIVE_NAMES = {
    libvirt.VIR_DOMAIN_STATS_STATE: ["state.state", "state.reason"],
    libvirt.VIR_DOMAIN_STATS_BALLOON: ["balloon.current", "balloon.maximum"],
    libvirt.VIR_DOMAIN_STATS_VCPU: ["vcpu.current", "vcpu.maximum"],
    libvirt.VIR_DOMAIN_STATS_INTERFACE: [],
    libvirt.VIR_DOMAIN_STATS_BLOCK: ["block.count", "block.0.name", "block.0.path",
                                     "block.0.allocation", "block.0.capacity",
                                     "block.0.physical"],
}

BLOCK_STATS_FLAGS_NAMES = ["wr_bytes", "wr_operations", "rd_bytes", "rd_operations",
                           "flush_operations", "wr_total_times", "rd_total_times",
                           "flush_total_times"]
MEMORY_STATS_NAMES = ["actual", "last_update", "rss"]

NOT_RUNNING = (libvirt.VIR_ERR_OPERATION_INVALID, libvirt.VIR_FROM_DOMAIN,
               "Requested operation is not valid: domain is not running")


class DomainStats(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.conn = libvirt.open(self.daemon.uri())
        self.disk = guests.disk_image(self.daemon.root, "st")
        # boot from the disk: the firmware then reads its first sector
        xml = guests.typical("st", self.disk).replace("<os>", "<os><boot dev='hd'/>")
        self.dom = self.conn.defineXML(xml)

    def tearDown(self):
        try:
            if self.dom.isActive():
                self.dom.destroy()
        except libvirt.libvirtError:
            pass
        for pid in guests.qemu_pids(self.daemon.root, "st"):
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        self.conn.close()
        super().tearDown()

    def stats(self, groups=0, flags=0):
        records = self.conn.domainListGetStats([self.dom], groups, flags)
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0][0].name(), "st")
        return records[0][1]

    def assertError(self, expected, fn, *args):
        with self.assertRaises(libvirt.libvirtError) as cm:
            fn(*args)
        e = cm.exception
        self.assertEqual((e.get_error_code(), e.get_error_domain(), str(e)), expected)

    # --- domstats ------------------------------------------------------

    def test_domstats_names_running(self):
        self.dom.create()
        everything = self.stats()
        want = [n for names in RUNNING_NAMES.values() for n in names]
        self.assertEqual(sorted(without_kvm(everything)), sorted(want))
        for group, names in RUNNING_NAMES.items():
            self.assertEqual(without_kvm(self.stats(group)), names, f"group {group}")
        self.assertEqual(everything["state.state"], libvirt.VIR_DOMAIN_RUNNING)
        self.assertEqual(everything["state.reason"], libvirt.VIR_DOMAIN_RUNNING_BOOTED)
        self.assertEqual(everything["balloon.maximum"], 128 * 1024)
        self.assertEqual(everything["balloon.current"], 128 * 1024)
        self.assertGreater(everything["balloon.rss"], 1024)
        self.assertEqual(everything["block.0.name"], "vda")
        self.assertEqual(everything["block.0.path"], self.disk)
        self.assertEqual(everything["block.0.capacity"], 16 * 1024 * 1024)
        self.assertEqual(everything["net.count"], 1)
        self.assertEqual(everything["cpu.time"],
                         everything["cpu.user"] + everything["cpu.system"])

    @unittest.skipUnless(os.access("/dev/kvm", os.R_OK | os.W_OK), "needs KVM")
    def test_kvm_vcpu_stats(self):
        self.dom.create()
        cpu = self.stats(libvirt.VIR_DOMAIN_STATS_CPU_TOTAL)
        self.assertEqual(list(cpu)[-2:], ["cpu.haltpoll.success.time", "cpu.haltpoll.fail.time"])
        vcpu = self.stats(libvirt.VIR_DOMAIN_STATS_VCPU)
        kvm = [n for n in vcpu if KVM_VCPU_STAT.match(n)]
        # libvirtd 9.0 shows the counters and the instant values, no histograms
        for name in ("vcpu.0.exits.sum", "vcpu.0.halt_poll_success_ns.sum",
                     "vcpu.0.insn_emulation.sum", "vcpu.0.guest_mode.cur", "vcpu.0.blocking.cur"):
            self.assertIn(name, kvm)
        self.assertFalse([n for n in vcpu if "hist" in n])
        self.assertIsInstance(vcpu["vcpu.0.guest_mode.cur"], bool)
        self.assertGreater(vcpu["vcpu.0.exits.sum"], 0)
        # the sum over the vCPUs, read a moment before them
        self.assertLessEqual(cpu["cpu.haltpoll.success.time"],
                             sum(v for n, v in vcpu.items()
                                 if n.endswith(".halt_poll_success_ns.sum")))

    def test_domstats_names_inactive(self):
        everything = self.stats()
        want = [n for names in INACTIVE_NAMES.values() for n in names]
        self.assertEqual(list(everything), want)
        self.assertEqual(everything["state.state"], libvirt.VIR_DOMAIN_SHUTOFF)
        self.assertEqual(everything["block.0.capacity"], 16 * 1024 * 1024)
        st = os.stat(self.disk)
        self.assertEqual(everything["block.0.physical"], st.st_size)
        self.assertEqual(everything["block.0.allocation"], st.st_blocks * 512)

    def test_domstats_numbers_move(self):
        self.dom.create()
        first = self.stats()
        # the guest's vCPU spins in the firmware: CPU time grows
        wait_for(lambda: self.stats(libvirt.VIR_DOMAIN_STATS_CPU_TOTAL)["cpu.time"]
                 > first["cpu.time"], timeout=10, what="cpu.time to grow")
        wait_for(lambda: self.stats(libvirt.VIR_DOMAIN_STATS_VCPU)["vcpu.0.time"]
                 > first["vcpu.0.time"], timeout=10, what="vcpu.0.time to grow")
        # and the firmware reads the boot sector of vda
        wait_for(lambda: self.stats(libvirt.VIR_DOMAIN_STATS_BLOCK)["block.0.rd.reqs"] >= 1,
                 timeout=20, what="a read from vda")
        block = self.stats(libvirt.VIR_DOMAIN_STATS_BLOCK)
        self.assertGreaterEqual(block["block.0.rd.bytes"], 512)
        self.assertGreater(block["block.0.rd.times"], 0)
        rd_req, rd_bytes, wr_req, wr_bytes, errs = self.dom.blockStats("vda")
        self.assertGreaterEqual(rd_req, block["block.0.rd.reqs"])
        self.assertGreaterEqual(rd_bytes, block["block.0.rd.bytes"])
        self.assertEqual(errs, -1)

    def test_domstats_filters_and_flags(self):
        other = self.conn.defineXML(guests.minimal("other"))
        try:
            self.dom.create()
            names = lambda flags: sorted(d.name() for d, _ in
                                         self.conn.getAllDomainStats(
                                             libvirt.VIR_DOMAIN_STATS_STATE, flags))
            self.assertEqual(names(0), ["other", "st"])
            self.assertEqual(names(libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE), ["st"])
            self.assertEqual(names(libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE),
                             ["other"])
            self.assertEqual(names(libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF),
                             ["other"])
            self.assertEqual(names(libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING), ["st"])
            self.assertEqual(names(libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT), [])
            # NOWAIT still answers (nothing else holds the job here)
            self.assertIn("block.0.rd.reqs", self.stats(
                0, libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT))
            # an unknown group: dropped, unless ENFORCE asks for it
            self.assertEqual(self.stats(1 << 20), {})
            enforce = libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS
            self.assertError((libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED, libvirt.VIR_FROM_QEMU,
                              "argument unsupported: Stats types bits 0x100000 are not "
                              "supported by this daemon or QEMU"),
                             self.conn.getAllDomainStats, (1 << 20) | 1, enforce)
            self.assertError((libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                              "unsupported flags (0x10000000) in function "
                              "qemuConnectGetAllDomainStats"),
                             self.conn.getAllDomainStats, 1, 1 << 28)
        finally:
            other.undefine()

    # --- per-domain calls ----------------------------------------------

    def test_block_stats(self):
        self.dom.create()
        flags = self.dom.blockStatsFlags("vda", 0)
        self.assertEqual(list(flags), BLOCK_STATS_FLAGS_NAMES)
        self.assertTrue(all(v >= 0 for v in flags.values()))
        # by source path, and all disks summed (virsh domblkstat without a device)
        self.assertEqual(len(self.dom.blockStats(self.disk)), 5)
        self.assertEqual(len(self.dom.blockStats("")), 5)
        invalid = (libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                   "invalid argument: invalid path: vdz")
        self.assertError(invalid, self.dom.blockStats, "vdz")
        self.assertError(invalid, self.dom.blockStatsFlags, "vdz", 0)

    def test_memory_stats(self):
        self.dom.create()
        mem = self.dom.memoryStats()
        self.assertEqual(list(mem), MEMORY_STATS_NAMES)
        self.assertEqual(mem["actual"], 128 * 1024)
        self.assertGreater(mem["rss"], 1024)

    def test_interface_stats(self):
        self.dom.create()
        # user-mode networking has no host device: libvirt refuses so
        self.assertError((libvirt.VIR_ERR_INTERNAL_ERROR, libvirt.VIR_FROM_NONE,
                          "internal error: Interface name not provided"),
                         self.dom.interfaceStats, MAC)
        for name in ("net0", "vnet0"):
            self.assertError((libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_DOMAIN,
                              f"invalid argument: '{name}' is not a known interface"),
                             self.dom.interfaceStats, name)

    def test_block_info(self):
        st = os.stat(self.disk)
        self.assertEqual(self.dom.blockInfo("vda"),
                         [16 * 1024 * 1024, st.st_blocks * 512, st.st_size])
        self.dom.create()
        capacity, allocation, physical = self.dom.blockInfo("vda")
        self.assertEqual(capacity, 16 * 1024 * 1024)
        self.assertGreater(allocation, 0)
        self.assertEqual(physical, os.stat(self.disk).st_size)
        self.assertError((libvirt.VIR_ERR_INVALID_ARG, libvirt.VIR_FROM_QEMU,
                          "invalid argument: invalid path vdz not assigned to domain"),
                         self.dom.blockInfo, "vdz")

    def test_control_info_and_disk_errors(self):
        self.dom.create()
        self.assertEqual(self.dom.controlInfo(), [0, 0, 0])
        self.assertEqual(self.dom.diskErrors(), {})

    def test_inactive_errors(self):
        calls = [(self.dom.blockStats, "vda"), (self.dom.blockStatsFlags, "vda"),
                 (self.dom.memoryStats,), (self.dom.interfaceStats, MAC),
                 (self.dom.controlInfo,), (self.dom.diskErrors,)]
        for fn, *args in calls:
            self.assertError(NOT_RUNNING, fn, *args)

    # --- virsh ---------------------------------------------------------

    def test_virsh(self):
        uri = self.daemon.uri()
        self.dom.create()
        run = lambda *a: virsh(uri, *a)
        r = run("domstats", "st")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Domain: 'st'", r.stdout)
        self.assertIn("block.0.name=vda", r.stdout)
        r = run("domblkstat", "st", "vda", "--human")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("number of read operations:", r.stdout)
        self.assertIn("total duration of flushes (ns):", r.stdout)
        r = run("dommemstat", "st")
        self.assertEqual([line.split()[0] for line in r.stdout.splitlines() if line.strip()],
                         MEMORY_STATS_NAMES)
        r = run("domblkinfo", "st", "--all")
        self.assertRegex(r.stdout, r"vda\s+16777216\s+\d+\s+\d+")
        self.assertEqual(run("domcontrol", "st").stdout.strip(), "ok")
        self.assertEqual(run("domblkerror", "st").stdout.strip(), "No errors found")
        r = run("domblkstat", "st", "vdz")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("invalid path: vdz", r.stderr)


# libvirt's domstats names of an interface with a host device (a tap).
NET_NAMES = ["net.count", "net.0.name"] + [
    f"net.0.{d}.{c}" for d in ("rx", "tx") for c in ("bytes", "pkts", "errs", "drop")]


class BridgeInterfaceStats(NamespaceTestCase):
    """domifstat and the interface group for a tap on a bridge, inside the
    namespace the bridge tests set up (br0)."""

    def host_counter(self, tap, name):
        out = subprocess.run(["ip", "netns", "exec", self.ns, "cat",
                              f"/sys/class/net/{tap}/statistics/{name}"],
                             capture_output=True, text=True, check=True).stdout
        return int(out)

    def test_tap_counters(self):
        xml = guests.minimal("br", devices=BRIDGE_GUEST.format(bridge="br0"))
        dom = self.conn.defineXML(xml)
        dom.create()
        self.addCleanup(dom.destroy)
        stats = self.conn.domainListGetStats([dom], libvirt.VIR_DOMAIN_STATS_INTERFACE)[0][1]
        self.assertEqual(list(stats), NET_NAMES)
        tap = stats["net.0.name"]
        self.assertTrue(tap.startswith("vnet"), tap)
        by_name = dom.interfaceStats(tap)
        self.assertEqual(len(by_name), 8)
        self.assertEqual(dom.interfaceStats("52:54:00:AA:BB:01")[4:], by_name[4:])
        # a tap is the guest's cable: the guest received what the host sent
        self.assertGreaterEqual(self.host_counter(tap, "tx_bytes"), by_name[0])
        self.assertLessEqual(self.host_counter(tap, "rx_bytes"), by_name[4])
        r = virsh(self.uri, "domifstat", "br", tap)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"{tap} rx_bytes", r.stdout)


if __name__ == "__main__":
    unittest.main()
