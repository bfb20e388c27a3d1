"""vCPU, memory and metadata calls against our virtqemud with Debian's virsh
and python3-libvirt: vcpucount, setvcpus (config and live hotplug),
vcpuinfo, vcpupin, emulatorpin, setmem, setmaxmem, desc and metadata.

The expected outputs were taken from Debian's libvirtd 9.0 running the same
commands on the same guest XML (/work/shared/tools/reference-libvirtd);
only the UUID, the id and CPU times differ between the two, so the dominfo
checks look at single lines.  Guests have no OS: a balloon request is
accepted but the guest never gives memory back, so "Used memory" stays
where it was, as libvirtd shows it."""
import json
import os
import sys
import unittest

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guests  # noqa: E402
from harness import DaemonTestCase, VirshMixin, virsh  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

GUEST = """<domain type='kvm'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  {current_memory}
  <vcpu{vcpu_attrs}>{vcpus}</vcpu>
  {cputune}
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>{devices}</devices>
</domain>
"""


def guest_xml(name, vcpus=4, current=1, current_memory="", cputune="", devices="",
              vcpu_attrs=None):
    if vcpu_attrs is None:
        vcpu_attrs = f" current='{current}'" if current else ""
    return GUEST.format(name=name, vcpus=vcpus, vcpu_attrs=vcpu_attrs, cputune=cputune,
                        current_memory=current_memory, devices=devices)


def host_cpus():
    return os.sysconf("SC_NPROCESSORS_CONF")


def all_cpus():
    """How virsh prints an affinity of every host CPU."""
    n = host_cpus()
    return "0" if n == 1 else f"0-{n - 1}"


def line(output, key):
    """The line of virsh dominfo OUTPUT that starts with KEY."""
    for ln in output.splitlines():
        if ln.startswith(key):
            return ln
    return None


class TuningTestCase(VirshMixin, DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.uri = self.daemon.uri()
        self.names = []

    def tearDown(self):
        # guests outlive their daemon by design: end ours before it stops
        for name in self.names:
            virsh(self.uri, "destroy", name)
            for pid in guests.qemu_pids(self.daemon.root, name):
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
        super().tearDown()

    def virsh_err(self, *args):
        """The error virsh prints (first line) for a call that must fail."""
        return self.virsh_fails(*args).strip().splitlines()[0]

    def define(self, name, **kw):
        path = os.path.join(self.daemon.root, f"{name}.xml")
        with open(path, "w") as f:
            f.write(guest_xml(name, **kw))
        self.virsh_ok("define", path)
        self.names.append(name)

    def start(self, name):
        self.virsh_ok("start", name)


class ConfigTests(TuningTestCase):
    def test_vcpucount_and_setvcpus_config(self):
        self.define("g", current_memory="<currentMemory unit='MiB'>96</currentMemory>")
        self.assertEqual(self.virsh_ok("vcpucount", "g"),
                         "maximum      config         4\n"
                         "current      config         1\n\n")
        self.assertEqual(self.virsh_ok("vcpucount", "g", "--config", "--maximum"), "4\n\n")
        self.assertEqual(self.virsh_ok("vcpucount", "g", "--current"), "1\n\n")
        self.assertEqual(self.virsh_err("vcpucount", "g", "--live"),
                         "error: Requested operation is not valid: domain is not running")

        self.virsh_ok("setvcpus", "g", "3", "--config")
        self.assertEqual(self.virsh_ok("vcpucount", "g"),
                         "maximum      config         4\n"
                         "current      config         3\n\n")
        self.assertEqual(self.virsh_err("setvcpus", "g", "5", "--config"),
                         "error: invalid argument: requested vcpus is greater than max "
                         "allowable vcpus for the persistent domain: 5 > 4")
        self.assertEqual(self.virsh_err("setvcpus", "g", "2", "--live"),
                         "error: Requested operation is not valid: domain is not running")
        self.assertEqual(self.virsh_err("setvcpus", "g", "2"),
                         "error: Requested operation is not valid: domain is not running")
        # lowering the maximum takes the current count with it
        self.virsh_ok("setvcpus", "g", "2", "--maximum", "--config")
        self.virsh_ok("setvcpus", "g", "6", "--maximum", "--config")
        self.assertEqual(self.virsh_ok("vcpucount", "g"),
                         "maximum      config         6\n"
                         "current      config         2\n\n")
        self.assertEqual(self.virsh_ok("dumpxml", "--inactive", "g", "--xpath", "//vcpu"),
                         '<vcpu placement="static" current="2">6</vcpu>\n\n')
        # saved: a restarted daemon reads the same
        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(self.virsh_ok("vcpucount", "g", "--config", "--current"), "2\n\n")

    def test_pin_listings_of_a_config(self):
        self.define("g", vcpus=6, current=2)
        rows = "".join(f" {i}      {all_cpus()}\n" for i in range(6))
        self.assertEqual(self.virsh_ok("vcpupin", "g"),
                         " VCPU   CPU Affinity\n----------------------\n" + rows + "\n")
        self.assertEqual(self.virsh_ok("emulatorpin", "g"),
                         "emulator: CPU Affinity\n----------------------------------\n"
                         f"       *: {all_cpus()}\n\n")
        out = self.virsh_ok("vcpuinfo", "g")
        self.assertIn("VCPU:           1\nCPU:            N/A\nState:          N/A\n"
                      "CPU time        N/A\nCPU Affinity:   " + "y" * host_cpus() + "\n", out)

    @unittest.skipIf(host_cpus() < 2, "needs two host CPUs")
    def test_cputune_pinning(self):
        self.define("g", vcpus=3, vcpu_attrs=" placement='static' cpuset='1' current='1'",
                    cputune="<cputune><vcpupin vcpu='0' cpuset='0'/>"
                            "<emulatorpin cpuset='0'/></cputune>")
        self.assertEqual(self.virsh_ok("vcpupin", "g"),
                         " VCPU   CPU Affinity\n----------------------\n"
                         " 0      0\n 1      1\n 2      1\n\n")
        self.assertEqual(self.virsh_ok("emulatorpin", "g"),
                         "emulator: CPU Affinity\n----------------------------------\n"
                         "       *: 0\n\n")
        # a started guest's threads have them: QEMU's on CPU 0, vCPU 0 too
        self.virsh_ok("start", "g")
        [pid] = guests.qemu_pids(self.daemon.root, "g")
        with open(f"/proc/{pid}/status") as f:
            allowed = next(ln for ln in f if ln.startswith("Cpus_allowed_list:"))
        self.assertEqual(allowed.split()[1], "0")
        self.assertIn("CPU Affinity:   y" + "-" * (host_cpus() - 1) + "\n",
                      self.virsh_ok("vcpuinfo", "g"))
        self.virsh_ok("destroy", "g")

    def test_memory_config(self):
        self.define("g", current_memory="<currentMemory unit='MiB'>96</currentMemory>")
        self.virsh_ok("setmem", "g", "100M", "--config")
        info = self.virsh_ok("dominfo", "g")
        self.assertEqual(line(info, "Max memory:"), "Max memory:     131072 KiB")
        self.assertEqual(line(info, "Used memory:"), "Used memory:    102400 KiB")
        self.assertEqual(self.virsh_err("setmem", "g", "200M", "--config"),
                         "error: invalid argument: cannot set memory higher than max memory")
        self.assertEqual(self.virsh_err("setmem", "g", "100M", "--live"),
                         "error: Requested operation is not valid: domain is not running")
        self.virsh_ok("setmaxmem", "g", "256M", "--config")
        info = self.virsh_ok("dominfo", "g")
        self.assertEqual(line(info, "Max memory:"), "Max memory:     262144 KiB")
        self.assertEqual(line(info, "Used memory:"), "Used memory:    102400 KiB")
        # a maximum below the current memory takes it down too
        self.virsh_ok("setmaxmem", "g", "50M", "--config")
        info = self.virsh_ok("dominfo", "g")
        self.assertEqual(line(info, "Max memory:"), "Max memory:     51200 KiB")
        self.assertEqual(line(info, "Used memory:"), "Used memory:    51200 KiB")
        self.assertEqual(self.virsh_ok("dumpxml", "--inactive", "g", "--xpath", "//memory"),
                         '<memory unit="KiB">51200</memory>\n\n')

    def test_desc_and_title(self):
        self.define("g")
        self.assertEqual(self.virsh_ok("desc", "g"), "No description for domain: g\n")
        self.assertEqual(self.virsh_ok("desc", "g", "--title"), "No title for domain: g\n")
        self.assertEqual(self.virsh_ok("desc", "g", "--new-desc", "hello world"),
                         "Domain description updated successfully\n")
        self.assertEqual(self.virsh_ok("desc", "g"), "hello world\n")
        self.assertEqual(self.virsh_ok("desc", "g", "--title", "--new-desc", "my title"),
                         "Domain title updated successfully\n")
        self.assertEqual(self.virsh_ok("desc", "g", "--title"), "my title\n")
        self.assertEqual(self.virsh_ok("desc", "g", "--config"), "hello world\n")
        self.assertIn("<title>my title</title>", self.virsh_ok("dumpxml", "--inactive", "g"))
        self.virsh_ok("desc", "g", "--new-desc", "")
        self.assertEqual(self.virsh_ok("desc", "g"), "No description for domain: g\n")

    def test_metadata_elements(self):
        self.define("g")
        uri = "http://example.com/foo"
        self.assertEqual(self.virsh_err("metadata", "g", uri),
                         "error: metadata not found: Requested metadata element is not present")
        self.assertEqual(self.virsh_ok("metadata", "g", uri, "--key", "foo", "--set",
                                       "<bar a='1'><baz>t</baz></bar>"),
                         "Metadata modified\n\n")
        self.assertEqual(self.virsh_ok("metadata", "g", uri),
                         '<bar a="1">\n  <baz>t</baz>\n</bar>\n\n')
        self.assertEqual(self.virsh_ok("metadata", "g", uri, "--config"),
                         '<bar a="1">\n  <baz>t</baz>\n</bar>\n\n')
        self.assertEqual(self.virsh_ok("dumpxml", "--inactive", "g", "--xpath", "//metadata"),
                         '<metadata>\n  <foo:bar xmlns:foo="http://example.com/foo" a="1">\n'
                         '    <foo:baz>t</foo:baz>\n  </foo:bar>\n</metadata>\n\n')
        self.assertEqual(self.virsh_err("metadata", "g", uri, "--key", "foo", "--set", "<x/>",
                                        "--live"),
                         "error: Requested operation is not valid: domain is not running")
        self.assertEqual(self.virsh_ok("metadata", "g", uri, "--remove"), "Metadata removed\n\n")
        self.assertEqual(self.virsh_err("metadata", "g", uri),
                         "error: metadata not found: Requested metadata element is not present")
        # removing what is not there is fine; an empty <metadata> is not shown
        self.assertEqual(self.virsh_ok("metadata", "g", uri, "--remove"), "Metadata removed\n\n")
        self.assertNotIn("<metadata", self.virsh_ok("dumpxml", "g"))
        r = virsh(self.uri, "metadata", "g", uri, "--key", "k", "--set", "<x")
        self.assertEqual(r.stderr, "error: (metadata_xml):1: Couldn't find end of Start Tag x "
                                   "line 1\n<x\n--^\n")
        self.assertEqual(self.virsh_err("metadata", "g", uri, "--key", "1bad", "--set", "<q/>"),
                         "error: internal error: failed to validate prefix for a new XML "
                         "namespace")
        self.assertEqual(self.virsh_err("metadata", "g", "http://example.com/b", "--key", "b",
                                        "--set", "<b:q xmlns:b='http://example.com/b'/>"),
                         "error: internal error: failed to create a new XML namespace")
        # two namespaces side by side, and survive a daemon restart
        self.virsh_ok("metadata", "g", uri, "--key", "foo", "--set", "<one/>")
        self.virsh_ok("metadata", "g", "http://example.com/two", "--key", "two", "--set", "<t/>")
        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(self.virsh_ok("metadata", "g", uri), "<one/>\n\n")
        self.assertEqual(self.virsh_ok("metadata", "g", "http://example.com/two"), "<t/>\n\n")

    def test_python_errors(self):
        self.define("g")
        conn = libvirt.open(self.uri)
        dom = conn.lookupByName("g")

        def err(fn, *args):
            with self.assertRaises(libvirt.libvirtError) as cm:
                fn(*args)
            e = cm.exception
            return e.get_error_code(), e.get_error_domain(), e.get_error_message()

        self.assertEqual(err(dom.setVcpusFlags, 2, 64),
                         (8, 10, "unsupported flags (0x40) in function qemuDomainSetVcpusFlags"))
        self.assertEqual(err(dom.vcpusFlags, 8),
                         (8, 10, "invalid argument: vCPU count provided by the guest agent can "
                                 "only be requested for live domains"))
        self.assertEqual(err(dom.maxVcpus),
                         (55, 20, "Requested operation is not valid: domain is not running"))
        self.assertEqual(err(dom.vcpus),
                         (55, 10, "Requested operation is not valid: cannot retrieve vcpu "
                                  "information for inactive domain"))
        self.assertEqual(dom.vcpuPinInfo(0), [(True,) * host_cpus()])
        self.assertEqual(dom.emulatorPinInfo(0), (True,) * host_cpus())
        self.assertEqual(err(dom.setMemory, 100000),
                         (55, 20, "Requested operation is not valid: domain is not running"))
        self.assertEqual(err(dom.metadata, 0, None, 0),
                         (80, 20, "metadata not found: Requested metadata element is not present"))
        self.assertEqual(err(dom.metadata, 5, None, 0),
                         (8, 20, "invalid argument: unknown metadata type '5'"))
        self.assertEqual(err(dom.setMetadata, 2, "<x/>", "k", "http://e/x", 8),
                         (8, 10, "unsupported flags (0x8) in function qemuDomainSetMetadata"))
        dom.setMetadata(0, "hello", None, None, 0)
        self.assertEqual(dom.metadata(0, None, 0), "hello")
        dom.setMetadata(0, None, None, None, 0)
        self.assertEqual(err(dom.metadata, 0, None, 0)[0], 80)
        dom.setMaxMemory(200000)
        self.assertEqual(dom.maxMemory(), 200000)
        self.assertEqual(dom.info()[:4], [5, 200000, 131072, 1])
        conn.close()


class LiveTests(TuningTestCase):
    def test_vcpus_live(self):
        self.define("g", vcpus=6, current=2)
        self.start("g")
        self.assertEqual(self.virsh_ok("vcpucount", "g"),
                         "maximum      config         6\n"
                         "maximum      live           6\n"
                         "current      config         2\n"
                         "current      live           2\n\n")
        self.assertEqual(self.virsh_ok("vcpuinfo", "g").count("State:          running"), 2)
        # hotplug with device_add, as libvirtd does on q35
        self.virsh_ok("setvcpus", "g", "5", "--live")
        self.assertEqual(self.virsh_ok("vcpuinfo", "g").count("State:          running"), 5)
        self.assertEqual(line(self.virsh_ok("dominfo", "g"), "CPU(s):"), "CPU(s):         5")
        self.assertEqual(self.virsh_err("setvcpus", "g", "7", "--live"),
                         "error: invalid argument: requested vcpus is greater than max "
                         "allowable vcpus for the live domain: 7 > 6")
        # the vCPUs the guest booted with cannot go
        self.assertEqual(self.virsh_err("setvcpus", "g", "1", "--live"),
                         "error: unsupported configuration: failed to find appropriate "
                         "hotpluggable vcpus to reach the desired target vcpu count")
        self.virsh_ok("setvcpus", "g", "3", "--config")
        self.assertEqual(self.virsh_ok("vcpucount", "g"),
                         "maximum      config         6\n"
                         "maximum      live           6\n"
                         "current      config         3\n"
                         "current      live           5\n\n")
        self.assertEqual(self.virsh_ok("vcpupin", "g", "--config").count(all_cpus()), 6)
        conn = libvirt.open(self.uri)
        dom = conn.lookupByName("g")
        with self.assertRaises(libvirt.libvirtError) as cm:
            dom.setVcpusFlags(2, 4 | 1 | 2)
        self.assertEqual(cm.exception.get_error_message(),
                         "Operation not supported: maximum vcpu count of a live domain "
                         "can't be modified")
        info, maps = dom.vcpus()
        self.assertEqual([i[0] for i in info], [0, 1, 2, 3, 4])
        self.assertEqual([i[1] for i in info], [1] * 5)
        self.assertEqual(len(maps), 5)
        conn.close()
        self.virsh_ok("destroy", "g")
        self.assertEqual(line(self.virsh_ok("dominfo", "g"), "CPU(s):"), "CPU(s):         3")

    def test_memory_live_with_balloon(self):
        self.define("g", vcpus=2, current=None)
        self.start("g")
        self.virsh_ok("setmem", "g", "100M", "--live")
        # no balloon driver in the guest: QEMU keeps it all, and so does dominfo
        r = self.virsh_ok("qemu-monitor-command", "g", '{"execute":"query-balloon"}')
        self.assertEqual(json.loads(r)["return"]["actual"], 128 * 1024 * 1024)
        self.assertEqual(line(self.virsh_ok("dominfo", "g"), "Used memory:"),
                         "Used memory:    131072 KiB")
        self.assertEqual(self.virsh_err("setmem", "g", "300M", "--live"),
                         "error: invalid argument: cannot set memory higher than max memory")
        self.virsh_ok("setmem", "g", "100M", "--config", "--live")
        self.assertEqual(self.virsh_ok("dumpxml", "--inactive", "g", "--xpath",
                                       "//currentMemory"),
                         '<currentMemory unit="KiB">102400</currentMemory>\n\n')
        r = virsh(self.uri, "setmaxmem", "g", "256M", "--live")
        self.assertIn("error: Requested operation is not valid: cannot resize the maximum "
                      "memory on an active domain", r.stderr)

    def test_memory_live_without_balloon(self):
        self.define("g", vcpus=1, current=None, devices="<memballoon model='none'/>")
        self.start("g")
        self.assertEqual(self.virsh_err("setmem", "g", "100M", "--live"),
                         "error: Requested operation is not valid: Unable to change memory of "
                         "active domain without the balloon device and guest OS balloon driver")
        self.virsh_ok("setmem", "g", "100M", "--config")
        self.assertEqual(line(self.virsh_ok("dominfo", "g"), "Used memory:"),
                         "Used memory:    131072 KiB")

    def test_metadata_live_and_config(self):
        self.define("g", vcpus=1, current=None)
        self.virsh_ok("desc", "g", "--new-desc", "config one")
        self.start("g")
        self.virsh_ok("desc", "g", "--live", "--new-desc", "live one")
        self.assertEqual(self.virsh_ok("desc", "g", "--live"), "live one\n")
        self.assertEqual(self.virsh_ok("desc", "g", "--config"), "config one\n")
        uri = "http://example.com/foo"
        self.virsh_ok("metadata", "g", uri, "--key", "foo", "--set", "<live/>", "--live")
        self.assertEqual(self.virsh_ok("metadata", "g", uri, "--live"), "<live/>\n\n")
        self.assertEqual(self.virsh_err("metadata", "g", uri, "--config"),
                         "error: metadata not found: Requested metadata element is not present")
        self.virsh_ok("metadata", "g", uri, "--key", "foo", "--set", "<a/>", "--live", "--config")
        self.assertEqual(self.virsh_ok("metadata", "g", uri, "--config"), "<a/>\n\n")
        self.assertIn("<foo:a xmlns:foo", self.virsh_ok("dumpxml", "g"))
        # the live definition is kept for a restarted daemon
        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(self.virsh_ok("desc", "g", "--live"), "live one\n")
        self.virsh_ok("destroy", "g")
        self.assertEqual(self.virsh_ok("desc", "g"), "config one\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
