"""Resource control through cgroups, with Debian's virsh and python3-libvirt:
the guest's groups and threads, schedinfo, memtune, cpu-stats, vcpupin,
emulatorpin and iothreadpin, live and --config, read back from virsh and
from the cgroup files, tunable events, groups found again after a daemon
restart and removed when the guest stops.

The daemon runs under --root, where it looks for cgroups below
ROOT/sys/fs/cgroup.  V1Tests bind the host's hierarchies there in a mount
namespace of the daemon's own (this machine: v1 controllers plus a v2
`unified` mount, the layout libvirtd 9.0 uses here); V2Tests mount a bare
cgroup2 there, a v2-only layout (on this kernel the v1 hierarchies keep
cpu, memory... so the v2 one has cpu.stat and threaded groups, and the
tunables get libvirt's "not mounted" errors unless the kernel lends v2 the
controller).  Guest names carry the test's pid, so groups never clash with
other daemons' on the shared host hierarchies.  The expected outputs were
taken from the reference libvirtd running the same commands."""
import os
import shutil
import stat
import sys
import tempfile
import time
import unittest

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guests  # noqa: E402
import harness  # noqa: E402
from harness import Daemon, VirshMixin, virsh  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
harness.start_libvirt_event_loop()

HOST_CGROUP = "/sys/fs/cgroup"
NAME = f"cgt{os.getpid()}"

GUEST = f"""<domain type='kvm'>
  <name>{{name}}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>2</vcpu>
  <iothreads>1</iothreads>
  {{tune}}
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices></devices>
</domain>
"""

V1_MOUNT = ('mkdir -p "$0/sys/fs/cgroup" && mount --rbind /sys/fs/cgroup "$0/sys/fs/cgroup" '
            '&& exec "$@"')
V2_MOUNT = ('mkdir -p "$0/sys/fs/cgroup" && mount -t cgroup2 none "$0/sys/fs/cgroup" '
            '&& exec "$@"')


def read(path):
    with open(path) as f:
        return f.read().strip()


def host_mounts():
    """The host's cgroup mounts: {mount point: fstype, options}."""
    mounts = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            head, _, tail = line.partition(" - ")
            fstype, _, opts = tail.split()[:3]
            if fstype in ("cgroup", "cgroup2"):
                mounts[head.split()[4]] = (fstype, opts.split(","))
    return mounts


def v1_mount(controller):
    for mp, (fstype, opts) in host_mounts().items():
        if fstype == "cgroup" and controller in opts and mp.startswith(HOST_CGROUP + "/"):
            return mp
    return None


def unified_mount():
    for mp, (fstype, _) in host_mounts().items():
        if fstype == "cgroup2" and mp.startswith(HOST_CGROUP):
            return mp
    return None


def sweep_host_groups():
    """Remove this test's groups (their names carry NAME) from the host's
    hierarchies, thread groups first; the ones found."""
    found = []
    for mp in host_mounts():
        top = os.path.join(mp, "machine")
        if not os.path.isdir(top):
            continue
        for entry in os.listdir(top):
            group = os.path.join(top, entry)
            if NAME not in entry or not os.path.isdir(group):
                continue
            found.append(group)
            for child in os.listdir(group):
                if os.path.isdir(os.path.join(group, child)):
                    try:
                        os.rmdir(os.path.join(group, child))
                    except OSError:
                        pass
            try:
                os.rmdir(group)
            except OSError:
                pass
    return found


def can_mount_namespaces():
    r = harness.run(["unshare", "--mount", "--propagation", "private", "true"])
    return os.geteuid() == 0 and r.returncode == 0


def block_device():
    """A real block device of the host (/dev/vda here), or None."""
    for name in sorted(os.listdir("/sys/block")):
        path = f"/dev/{name}"
        if not name.startswith(("loop", "ram", "zram", "nbd")) and os.path.exists(path) \
                and stat.S_ISBLK(os.stat(path).st_mode):
            return path
    return None


def threads_by_name(pid):
    """QEMU's threads: {comm: [tid]} ("CPU 0/KVM", "IO iothread1", ...)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            comm = read(f"/proc/{pid}/task/{tid}/comm")
        except OSError:
            continue
        out.setdefault(comm, []).append(int(tid))
    return out


class CgroupTestCase(VirshMixin, unittest.TestCase):
    mount_script = None   # None: no cgroups under the root

    def setUp(self):
        if not can_mount_namespaces():
            self.skipTest("needs root and mount namespaces")
        self.root = tempfile.mkdtemp(prefix="virtkit-cgroup-")
        wrapper = []
        if self.mount_script:
            wrapper = ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                       self.mount_script, self.root]
        self.daemon = Daemon(root=self.root, wrapper=wrapper).start()
        self.names = []
        self.groups = []   # host directories that must be gone at the end

    def tearDown(self):
        for name in self.names:
            virsh(self.daemon.uri(), "destroy", name)
        still_alive = self.daemon.alive()
        log = self.daemon.stderr()
        self.daemon.cleanup()
        shutil.rmtree(self.root, ignore_errors=True)
        # whatever a failed test left on the host goes, and fails the test
        left = [d for d in self.groups if os.path.exists(d)] + sweep_host_groups()
        self.assertTrue(still_alive, f"daemon died during the test:\n{log}")
        self.assertEqual(left, [], "groups left behind")

    def define(self, suffix="", tune=""):
        name = NAME + suffix
        path = self.write(f"{name}.xml", GUEST.format(name=name, tune=tune))
        self.virsh_ok("define", path)
        self.names.append(name)
        return name

    def start(self, name):
        self.virsh_ok("start", name)
        dom_id = int(self.virsh_ok("domid", name).strip())
        [pid] = guests.qemu_pids(self.daemon.root, name)
        return f"/machine/qemu-{dom_id}-{name}.libvirt-qemu", pid

    def err(self, *args):
        return self.virsh_fails(*args).strip().splitlines()[-1]

    def tunable_events(self):
        """Start collecting the tunable events of our guests: the list."""
        conn = libvirt.open(self.daemon.uri())
        events = []
        conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_TUNABLE,
                                    lambda c, d, params, o: events.append((d.name(), params)),
                                    None)
        self.addCleanup(conn.close)
        return events


@unittest.skipUnless(v1_mount("cpu") and unified_mount(), "needs this machine's v1 + unified layout")
class V1Tests(CgroupTestCase):
    mount_script = V1_MOUNT

    def group_dirs(self, group):
        """The guest group's directory in each hierarchy libvirt uses here."""
        dirs = {c: v1_mount(c) + group for c in ("cpu", "cpuset", "memory", "blkio", "freezer")}
        dirs["unified"] = unified_mount() + group
        self.groups.extend(dirs.values())
        return dirs

    def test_groups_and_threads(self):
        name = self.define()
        group, pid = self.start(name)
        dirs = self.group_dirs(group)
        for d in dirs.values():
            self.assertTrue(os.path.isdir(d), d)
        # thread groups only in the CPU hierarchies, as libvirtd makes them
        for c in ("cpu", "cpuset", "unified"):
            self.assertEqual(sorted(e for e in os.listdir(dirs[c])
                                    if os.path.isdir(os.path.join(dirs[c], e))),
                             ["emulator", "iothread1", "vcpu0", "vcpu1"], c)
        for c in ("memory", "blkio", "freezer"):
            self.assertFalse(os.path.exists(os.path.join(dirs[c], "vcpu0")), c)
        threads = threads_by_name(pid)
        cpu = dirs["cpu"]
        self.assertEqual(read(f"{cpu}/tasks"), "")
        self.assertIn(str(threads["CPU 0/KVM"][0]), read(f"{cpu}/vcpu0/tasks").split())
        self.assertIn(str(threads["CPU 1/KVM"][0]), read(f"{cpu}/vcpu1/tasks").split())
        self.assertIn(str(threads["IO iothread1"][0]), read(f"{cpu}/iothread1/tasks").split())
        self.assertIn(str(pid), read(f"{cpu}/emulator/tasks").split())
        self.assertIn(str(pid), read(f"{dirs['memory']}/cgroup.procs").split())
        unified = dirs["unified"]
        self.assertEqual(read(f"{unified}/cgroup.type"), "domain threaded")
        self.assertEqual(read(f"{unified}/vcpu0/cgroup.type"), "threaded")
        self.assertIn(str(threads["CPU 0/KVM"][0]), read(f"{unified}/vcpu0/cgroup.threads").split())
        self.assertIn("<partition>/machine</partition>", self.virsh_ok("dumpxml", name))
        self.assertNotIn("<resource>", self.virsh_ok("dumpxml", "--inactive", name))
        self.virsh_ok("destroy", name)
        for d in dirs.values():
            self.assertFalse(os.path.exists(d), f"{d} left after destroy")

    def test_missing_partition(self):
        # a partition other than /machine must be there: libvirtd's error,
        # with its ".partition" name, and the guest stays off
        name = self.define(tune=f"<resource><partition>/machine/{NAME}t</partition></resource>")
        self.assertEqual(self.err("start", name),
                         f"error: Failed to create v2 cgroup '{self.root}/sys/fs/cgroup/unified/"
                         f"machine/{NAME}t.partition/': No such file or directory")
        self.assertIn("shut off", self.virsh_ok("domstate", name))
        self.assertEqual(guests.qemu_pids(self.daemon.root, name), [])

    def test_schedinfo(self):
        name = self.define()
        group, _ = self.start(name)
        cpu = self.group_dirs(group)["cpu"]
        events = self.tunable_events()
        self.assertEqual(self.virsh_ok("schedinfo", name),
                         "Scheduler      : posix\ncpu_shares     : 1024\n"
                         "vcpu_period    : 100000\nvcpu_quota     : -1\n"
                         "emulator_period: 100000\nemulator_quota : -1\n"
                         "global_period  : 100000\nglobal_quota   : -1\n"
                         "iothread_period: 100000\niothread_quota : -1\n\n")
        out = self.virsh_ok("schedinfo", name, "--set", "cpu_shares=512", "vcpu_quota=50000",
                            "emulator_period=20000")
        self.assertIn("cpu_shares     : 512\n", out)
        self.assertIn("vcpu_quota     : 50000\n", out)
        self.assertIn("emulator_period: 20000\n", out)
        self.assertEqual(read(f"{cpu}/cpu.shares"), "512")
        self.assertEqual(read(f"{cpu}/vcpu0/cpu.cfs_quota_us"), "50000")
        self.assertEqual(read(f"{cpu}/vcpu1/cpu.cfs_quota_us"), "50000")
        self.assertEqual(read(f"{cpu}/emulator/cpu.cfs_period_us"), "20000")
        # the kernel keeps a group's quota above its children's
        self.assertEqual(self.err("schedinfo", name, "--set", "global_quota=30000"),
                         "error: Invalid value '30000' for 'cpu.cfs_quota_us': Invalid argument")
        self.virsh_ok("schedinfo", name, "--set", "global_quota=80000", "iothread_period=40000")
        self.assertEqual(read(f"{cpu}/cpu.cfs_quota_us"), "80000")
        self.assertEqual(read(f"{cpu}/iothread1/cpu.cfs_period_us"), "40000")
        # the live XML has them, as libvirtd's
        self.assertIn("  <cputune>\n    <shares>512</shares>\n    <quota>50000</quota>\n"
                      "    <global_quota>80000</global_quota>\n"
                      "    <emulator_period>20000</emulator_period>\n"
                      "    <iothread_period>40000</iothread_period>\n  </cputune>\n",
                      self.virsh_ok("dumpxml", name))
        harness.wait_for(lambda: len(events) == 2, what="tunable events")
        self.assertEqual(events[0], (name, {"cputune.cpu_shares": 512,
                                            "cputune.vcpu_quota": 50000,
                                            "cputune.emulator_period": 20000}))
        self.assertEqual(events[1], (name, {"cputune.global_quota": 80000,
                                            "cputune.iothread_period": 40000}))
        # libvirt's checks; nothing changes
        self.assertEqual(self.err("schedinfo", name, "--set", "cpu_shares=1"),
                         "error: invalid argument: shares '1' must be in range [2, 262144]")
        self.assertEqual(self.err("schedinfo", name, "--set", "vcpu_quota=5"),
                         "error: invalid argument: value of 'vcpu_quota' is out of range "
                         "[1000, 17592186044415]")
        self.assertEqual(self.err("schedinfo", name, "--set", "vcpu_period=5"),
                         "error: invalid argument: value of 'vcpu_period' is out of range "
                         "[1000, 1000000]")
        self.assertEqual(read(f"{cpu}/cpu.shares"), "512")
        # the config: zeros until set, then in <cputune>, applied at the next start
        self.assertIn("cpu_shares     : 0\n", self.virsh_ok("schedinfo", name, "--config"))
        self.virsh_ok("schedinfo", name, "--config", "--set", "cpu_shares=300",
                      "vcpu_quota=2000")
        self.assertIn("  <cputune>\n    <shares>300</shares>\n    <quota>2000</quota>\n"
                      "  </cputune>\n", self.virsh_ok("dumpxml", "--inactive", name))
        self.assertEqual(read(f"{cpu}/cpu.shares"), "512")
        self.assertEqual(len(events), 2, "a config change sends no event")
        self.virsh_ok("destroy", name)
        group, _ = self.start(name)
        cpu = self.group_dirs(group)["cpu"]
        self.assertEqual(read(f"{cpu}/cpu.shares"), "300")
        self.assertEqual(read(f"{cpu}/vcpu1/cpu.cfs_quota_us"), "2000")

    def test_vcpu_hotplug_groups(self):
        name = NAME + "h"
        xml = GUEST.format(name=name, tune="<cputune><quota>20000</quota></cputune>").replace(
            "<vcpu>2</vcpu>", "<vcpu current='1'>3</vcpu>")
        self.virsh_ok("define", self.write(f"{name}.xml", xml))
        self.names.append(name)
        group, pid = self.start(name)
        cpu = self.group_dirs(group)["cpu"]
        self.assertFalse(os.path.exists(f"{cpu}/vcpu1"))
        self.virsh_ok("setvcpus", name, "2", "--live")
        # the new vCPU in a group of its own, with the guest's bandwidth
        self.assertIn(str(threads_by_name(pid)["CPU 1/KVM"][0]), read(f"{cpu}/vcpu1/tasks").split())
        self.assertEqual(read(f"{cpu}/vcpu1/cpu.cfs_quota_us"), "20000")
        self.assertFalse(os.path.exists(f"{cpu}/vcpu2"))
        # an offline vCPU's pin is kept for when it comes
        self.virsh_ok("vcpupin", name, "2", "0", "--live")
        self.assertIn("<vcpupin vcpu='2' cpuset='0'/>", self.virsh_ok("dumpxml", name))
        self.assertIn(" 2      0\n", self.virsh_ok("vcpupin", name))

    def test_memtune(self):
        name = self.define()
        group, _ = self.start(name)
        mem = self.group_dirs(group)["memory"]
        self.assertEqual(self.virsh_ok("memtune", name),
                         "hard_limit     : unlimited\nsoft_limit     : unlimited\n"
                         "swap_hard_limit: unlimited\n\n")
        self.virsh_ok("memtune", name, "--hard-limit", "200000", "--soft-limit", "100000")
        self.assertEqual(self.virsh_ok("memtune", name),
                         "hard_limit     : 200000\nsoft_limit     : 100000\n"
                         "swap_hard_limit: unlimited\n\n")
        self.assertEqual(read(f"{mem}/memory.limit_in_bytes"), str(200000 * 1024))
        self.assertEqual(read(f"{mem}/memory.soft_limit_in_bytes"), str(100000 * 1024))
        self.assertIn("  <memtune>\n    <hard_limit unit='KiB'>200000</hard_limit>\n"
                      "    <soft_limit unit='KiB'>100000</soft_limit>\n  </memtune>\n",
                      self.virsh_ok("dumpxml", name))
        self.virsh_ok("memtune", name, "--config", "--hard-limit", "300000")
        self.assertIn("  <memtune>\n    <hard_limit unit='KiB'>300000</hard_limit>\n"
                      "  </memtune>\n", self.virsh_ok("dumpxml", "--inactive", name))
        self.assertEqual(self.virsh_ok("memtune", name, "--config"),
                         "hard_limit     : 300000\nsoft_limit     : unlimited\n"
                         "swap_hard_limit: unlimited\n\n")
        self.virsh_ok("destroy", name)
        group, _ = self.start(name)
        mem = self.group_dirs(group)["memory"]
        self.assertEqual(read(f"{mem}/memory.limit_in_bytes"), str(300000 * 1024))

    @unittest.skipIf(os.cpu_count() < 2, "needs two host CPUs")
    def test_pins(self):
        name = self.define()
        group, pid = self.start(name)
        cpuset = self.group_dirs(group)["cpuset"]
        events = self.tunable_events()
        self.virsh_ok("vcpupin", name, "1", "0")
        self.virsh_ok("emulatorpin", name, "1")
        self.virsh_ok("iothreadpin", name, "1", "0")
        self.assertEqual(read(f"{cpuset}/vcpu1/cpuset.cpus"), "0")
        self.assertEqual(read(f"{cpuset}/emulator/cpuset.cpus"), "1")
        self.assertEqual(read(f"{cpuset}/iothread1/cpuset.cpus"), "0")
        threads = threads_by_name(pid)
        self.assertEqual(os.sched_getaffinity(threads["CPU 1/KVM"][0]), {0})
        self.assertEqual(os.sched_getaffinity(pid), {1})
        self.assertEqual(self.virsh_ok("vcpupin", name),
                         " VCPU   CPU Affinity\n----------------------\n 0      0-1\n 1      0\n\n")
        harness.wait_for(lambda: len(events) == 3, what="tunable events")
        self.assertEqual(events, [(name, {"cputune.vcpupin1": "0"}),
                                  (name, {"cputune.emulatorpin": "1"}),
                                  (name, {"cputune.iothreadpin1": "0"})])
        self.assertIn("<vcpupin vcpu='1' cpuset='0'/>", self.virsh_ok("dumpxml", name))
        self.assertEqual(self.err("vcpupin", name, "5", "0"),
                         "error: invalid argument: vcpu 5 is out of range of live cpu count 2")
        self.assertEqual(self.err("iothreadpin", name, "3", "0"),
                         "error: invalid argument: iothread 3 not found")
        self.assertEqual(self.err("iothreadpin", name, "3", "0", "--config"),
                         "error: invalid argument: iothreadid 3 not found")
        # the config, applied at the next start
        self.virsh_ok("vcpupin", name, "0", "1", "--config")
        self.virsh_ok("emulatorpin", name, "0", "--config")
        self.assertIn("  <cputune>\n    <vcpupin vcpu='0' cpuset='1'/>\n"
                      "    <emulatorpin cpuset='0'/>\n  </cputune>\n",
                      self.virsh_ok("dumpxml", "--inactive", name))
        self.virsh_ok("destroy", name)
        group, pid = self.start(name)
        cpuset = self.group_dirs(group)["cpuset"]
        self.assertEqual(read(f"{cpuset}/vcpu0/cpuset.cpus"), "1")
        self.assertEqual(read(f"{cpuset}/emulator/cpuset.cpus"), "0")
        self.assertEqual(os.sched_getaffinity(threads_by_name(pid)["CPU 0/KVM"][0]), {1})

    @unittest.skipUnless(block_device(), "needs a block device")
    def test_blkiotune(self):
        dev = block_device()
        rdev = os.stat(dev).st_rdev
        numbers = f"{os.major(rdev)}:{os.minor(rdev)}"
        name = self.define()
        empty = ("weight         : 0\ndevice_weight  : \ndevice_read_iops_sec: \n"
                 "device_write_iops_sec: \ndevice_read_bytes_sec: \ndevice_write_bytes_sec: \n\n")
        self.assertEqual(self.virsh_ok("blkiotune", name), empty)
        self.virsh_ok("blkiotune", name, "--config", "--device-read-bytes-sec", f"{dev},1000",
                      "--device-write-iops-sec", f"{dev},30")
        self.assertIn(f"  <blkiotune>\n    <device>\n      <path>{dev}</path>\n"
                      "      <write_iops_sec>30</write_iops_sec>\n"
                      "      <read_bytes_sec>1000</read_bytes_sec>\n    </device>\n"
                      "  </blkiotune>\n", self.virsh_ok("dumpxml", "--inactive", name))
        group, _ = self.start(name)
        blkio = self.group_dirs(group)["blkio"]
        # applied at start
        self.assertEqual(read(f"{blkio}/blkio.throttle.read_bps_device"), f"{numbers} 1000")
        self.assertEqual(read(f"{blkio}/blkio.throttle.write_iops_device"), f"{numbers} 30")
        self.virsh_ok("blkiotune", name, "--device-write-bytes-sec", f"{dev},2000")
        self.assertEqual(read(f"{blkio}/blkio.throttle.write_bps_device"), f"{numbers} 2000")
        self.assertIn("<write_bytes_sec>2000</write_bytes_sec>", self.virsh_ok("dumpxml", name))
        self.assertEqual(self.err("blkiotune", name, "--device-read-bytes-sec", "/dev/nonexistent,1"),
                         "error: Path '/dev/nonexistent' is not accessible: No such file or "
                         "directory")
        has_weight = any(os.path.exists(f"{blkio}/{f}") for f in ("blkio.bfq.weight",
                                                                  "blkio.weight"))
        if has_weight:
            self.virsh_ok("blkiotune", name, "--weight", "500")
            self.assertIn("weight         : 500\n", self.virsh_ok("blkiotune", name))
        else:
            # no bfq or cfq scheduler: libvirtd's errors
            no_weight = ("error: Requested operation is not valid: blkio device weight is valid "
                         "only for bfq or cfq scheduler")
            self.assertEqual(self.err("blkiotune", name, "--weight", "500"), no_weight)
            self.assertEqual(self.err("blkiotune", name), no_weight)
        self.assertEqual(self.virsh_ok("blkiotune", name, "--config"),
                         f"weight         : 0\ndevice_weight  : \ndevice_read_iops_sec: \n"
                         f"device_write_iops_sec: {dev},30\ndevice_read_bytes_sec: {dev},1000\n"
                         "device_write_bytes_sec: \n\n")

    def test_numatune(self):
        name = self.define()
        group, _ = self.start(name)
        cpuset = self.group_dirs(group)["cpuset"]
        self.assertEqual(self.virsh_ok("numatune", name),
                         "numa_mode      : strict\nnuma_nodeset   : \n\n")
        nodes = read("/sys/devices/system/node/online") if os.path.exists(
            "/sys/devices/system/node/online") else "0"
        first = nodes.split(",")[0].split("-")[0]
        self.virsh_ok("numatune", name, "--nodeset", first)
        self.assertEqual(self.virsh_ok("numatune", name),
                         f"numa_mode      : strict\nnuma_nodeset   : {first}\n\n")
        for group_name in ("emulator", "vcpu0", "vcpu1", "iothread1"):
            self.assertEqual(read(f"{cpuset}/{group_name}/cpuset.mems"), first)
        self.assertIn(f"<memory mode='strict' nodeset='{first}'/>", self.virsh_ok("dumpxml", name))
        self.assertEqual(self.err("numatune", name, "--mode", "interleave"),
                         "error: Requested operation is not valid: can't change numatune mode "
                         "for running domain")
        self.assertEqual(self.err("numatune", name, "--nodeset", first),
                         "error: Requested operation is not valid: change of nodeset for "
                         "running domain requires restrictive numa mode")
        self.virsh_ok("numatune", name, "--config", "--mode", "interleave", "--nodeset", first)
        self.assertEqual(self.virsh_ok("numatune", name, "--config"),
                         f"numa_mode      : interleave\nnuma_nodeset   : {first}\n\n")
        self.assertIn(f"  <numatune>\n    <memory mode='interleave' nodeset='{first}'/>\n"
                      "  </numatune>\n", self.virsh_ok("dumpxml", "--inactive", name))
        # restrictive: bound through cpuset.mems at start, and changeable live
        self.virsh_ok("numatune", name, "--config", "--mode", "restrictive")
        self.virsh_ok("destroy", name)
        group, _ = self.start(name)
        cpuset = self.group_dirs(group)["cpuset"]
        self.assertEqual(read(f"{cpuset}/cpuset.mems"), first)
        self.assertEqual(read(f"{cpuset}/vcpu1/cpuset.mems"), first)
        self.assertEqual(self.virsh_ok("numatune", name),
                         f"numa_mode      : restrictive\nnuma_nodeset   : {first}\n\n")
        self.virsh_ok("numatune", name, "--nodeset", first)

    def test_numatune_unavailable_node(self):
        name = self.define()
        self.start(name)
        self.assertEqual(self.err("numatune", name, "--nodeset", "120"),
                         "error: unsupported configuration: NUMA node 120 is unavailable")

    def test_cpu_stats(self):
        name = self.define()
        self.assertEqual(self.err("cpu-stats", name, "--total"),
                         "error: Requested operation is not valid: domain is not running")
        group, _ = self.start(name)
        self.group_dirs(group)
        out = self.virsh_ok("cpu-stats", name, "--total")
        self.assertTrue(out.startswith("Total:\n\tcpu_time "), out)
        usage = int(read(f"{unified_mount()}{group}/cpu.stat").split()[1]) * 1000
        cpu_time = float(out.split()[2]) * 1e9
        self.assertLessEqual(abs(cpu_time - usage), 1e9, out)
        self.assertEqual(self.err("cpu-stats", name),
                         "error: Operation not supported: operation 'getCpuacctPercpuUsage' "
                         "not supported for backend 'cgroup V2'")

    def test_domstats_cpu_and_vcpu(self):
        name = self.define()
        group, _ = self.start(name)
        self.group_dirs(group)
        out = self.virsh_ok("domstats", "--cpu-total", "--vcpu", name)
        stats = dict(ln.strip().split("=", 1) for ln in out.splitlines()[1:] if "=" in ln)
        # cpu.time is the group's cpu.stat usage, as libvirtd's
        usage = int(read(f"{unified_mount()}{group}/cpu.stat").split()[1]) * 1000
        self.assertLessEqual(abs(int(stats["cpu.time"]) - usage), 10**9)
        for key in ("cpu.user", "cpu.system", "cpu.cache.monitor.count", "vcpu.0.state",
                    "vcpu.1.delay"):
            self.assertIn(key, stats)
        if os.path.exists("/dev/kvm"):
            # KVM's own counters through QEMU's query-stats, libvirt's names
            for key in ("cpu.haltpoll.success.time", "cpu.haltpoll.fail.time",
                        "vcpu.0.exits.sum", "vcpu.1.halt_poll_success_ns.sum",
                        "vcpu.0.insn_emulation.sum"):
                self.assertIn(key, stats)
            self.assertIn(stats["vcpu.0.guest_mode.cur"], ("yes", "no"))
            self.assertGreater(int(stats["vcpu.0.exits.sum"]), 0)
            self.assertFalse(any(k.endswith("_hist.sum") or "hist" in k for k in stats))

    def test_found_again_after_restart(self):
        name = self.define()
        group, _ = self.start(name)
        cpu = self.group_dirs(group)["cpu"]
        self.virsh_ok("schedinfo", name, "--set", "cpu_shares=700")
        self.daemon.stop()
        self.daemon.start()
        self.assertIn("cpu_shares     : 700\n", self.virsh_ok("schedinfo", name))
        self.virsh_ok("schedinfo", name, "--set", "cpu_shares=800")
        self.assertEqual(read(f"{cpu}/cpu.shares"), "800")
        self.virsh_ok("destroy", name)
        self.assertFalse(os.path.exists(cpu))


def v1_only_script():
    """Binds the host's v1 hierarchies (no unified one) below the root."""
    binds = []
    for mp, (fstype, opts) in sorted(host_mounts().items()):
        if fstype == "cgroup" and mp.startswith(HOST_CGROUP + "/") and \
                not any(o.startswith("name=") for o in opts):
            name = os.path.basename(mp)
            binds.append(f'mkdir -p "$0/sys/fs/cgroup/{name}" && '
                         f'mount --bind {mp} "$0/sys/fs/cgroup/{name}"')
    return " && ".join(binds + ['exec "$@"'])


@unittest.skipUnless(v1_mount("cpuacct") and v1_mount("cpu"), "needs v1 cpu and cpuacct")
class V1OnlyTests(CgroupTestCase):
    """The host's v1 hierarchies alone: cpuacct is v1's, so cpu-stats has
    its per-CPU numbers."""
    mount_script = v1_only_script()

    def test_cpuacct_v1(self):
        name = self.define()
        group, _ = self.start(name)
        acct = v1_mount("cpuacct") + group
        self.groups.extend([acct, v1_mount("cpu") + group])
        self.assertTrue(os.path.isdir(f"{acct}/vcpu0"))
        self.assertFalse(os.path.exists(unified_mount() + group) if unified_mount() else False)
        out = self.virsh_ok("cpu-stats", name)
        ncpus = len(read(f"{acct}/cpuacct.usage_percpu").split())
        for cpu in range(ncpus):
            self.assertIn(f"CPU{cpu}:\n\tcpu_time ", out)
        self.assertIn("\tvcpu_time ", out)
        self.assertIn("Total:\n\tcpu_time ", out)
        # CPU0's time as the group's file has it (it only grows)
        first = float(out.split("CPU0:\n\tcpu_time")[1].split()[0]) * 1e9
        self.assertLessEqual(abs(first - int(read(f"{acct}/cpuacct.usage_percpu").split()[0])),
                             1e9)
        # python asks for every CPU at once
        dom = libvirt.open(self.daemon.uri()).lookupByName(name)
        per_cpu = dom.getCPUStats(False)
        self.assertEqual(len(per_cpu), ncpus)
        self.assertEqual(sorted(per_cpu[0]), ["cpu_time", "vcpu_time"])
        self.virsh_ok("destroy", name)
        self.assertFalse(os.path.exists(acct))


class NoCgroupTests(CgroupTestCase):
    """A root without cgroup mounts: guests start, the tunables fail as
    libvirt's do when a controller is missing."""

    def test_tunables_refused(self):
        name = self.define()
        self.start(name)
        self.assertNotIn("<resource>", self.virsh_ok("dumpxml", name))
        self.assertEqual(self.err("schedinfo", name),
                         "error: Requested operation is not valid: cgroup CPU controller is "
                         "not mounted")
        self.assertEqual(self.err("memtune", name),
                         "error: Requested operation is not valid: cgroup memory controller is "
                         "not mounted")
        self.assertEqual(self.err("cpu-stats", name, "--total"),
                         "error: Requested operation is not valid: cgroup CPUACCT controller is "
                         "not mounted")
        # pins still work through the threads' affinity
        self.virsh_ok("vcpupin", name, "0", "0")
        self.assertIn(" 0      0\n", self.virsh_ok("vcpupin", name))

    def test_blkdeviotune_event(self):
        name = NAME + "d"
        disk = guests.disk_image(self.root, name)
        xml = guests.minimal(name, devices=guests.file_disk(disk))
        self.virsh_ok("define", self.write(f"{name}.xml", xml))
        self.names.append(name)
        self.start(name)
        events = self.tunable_events()
        self.virsh_ok("blkdeviotune", name, "vda", "--total-bytes-sec", "1000000")
        self.virsh_ok("blkdeviotune", name, "vda", "--config", "--read-iops-sec", "50")
        self.virsh_ok("blkdeviotune", name, "vda", "--read-iops-sec", "100", "--group-name", "g1")
        # as libvirtd: the disk, then what the call gave; none for the config
        harness.wait_for(lambda: len(events) == 2, what="tunable events")
        self.assertEqual(events[0], (name, {"blkdeviotune.disk": "vda",
                                            "blkdeviotune.total_bytes_sec": 1000000}))
        self.assertEqual(events[1], (name, {"blkdeviotune.disk": "vda",
                                            "blkdeviotune.read_iops_sec": 100,
                                            "blkdeviotune.group_name": "g1"}))


class V2Tests(CgroupTestCase):
    mount_script = V2_MOUNT

    def setUp(self):
        if not unified_mount():
            self.skipTest("the kernel has no cgroup2 here")
        super().setUp()

    def test_v2_layout(self):
        name = self.define()
        group, pid = self.start(name)
        # the daemon's cgroup2 is the host's one hierarchy, seen through its mount
        top = unified_mount() + group
        self.groups.append(top)
        self.assertEqual(read(f"{top}/cgroup.type"), "domain threaded")
        self.assertEqual(sorted(os.listdir(top)).count("vcpu0"), 1)
        for child in ("emulator", "iothread1", "vcpu0", "vcpu1"):
            self.assertEqual(read(f"{top}/{child}/cgroup.type"), "threaded", child)
        threads = threads_by_name(pid)
        self.assertIn(str(pid), read(f"{top}/cgroup.procs").split())
        self.assertIn(str(threads["CPU 1/KVM"][0]), read(f"{top}/vcpu1/cgroup.threads").split())
        self.assertIn(str(pid), read(f"{top}/emulator/cgroup.threads").split())
        self.assertTrue(self.virsh_ok("cpu-stats", name, "--total").startswith("Total:\n"))
        controllers = read(f"{unified_mount()}/cgroup.controllers").split()
        if "cpu" in controllers:
            self.virsh_ok("schedinfo", name, "--set", "cpu_shares=200")
            self.assertEqual(read(f"{top}/cpu.weight"), "200")
        else:
            self.assertEqual(self.err("schedinfo", name),
                             "error: Requested operation is not valid: cgroup CPU controller "
                             "is not mounted")
        self.virsh_ok("destroy", name)
        self.assertFalse(os.path.exists(top))


if __name__ == "__main__":
    unittest.main()
