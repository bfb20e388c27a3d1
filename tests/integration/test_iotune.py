"""Disk I/O throttling against our virtqemud with a real QEMU: <iotune> applied
at start (block_set_io_throttle), virsh blkdeviotune read and changed live and
in the config.  The expected listings and errors are what Debian's libvirtd 9.0
prints for the same guest and the same calls."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import guests  # noqa: E402
from harness import DaemonTestCase, VirshMixin  # noqa: E402

GUEST = """<domain type='kvm'>
  <name>io</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <features><acpi/></features>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{image}'/>
      <target dev='vda' bus='virtio'/>
      <iotune>
        <total_bytes_sec>1048576</total_bytes_sec>
        <read_iops_sec>100</read_iops_sec>
      </iotune>
    </disk>
  </devices>
</domain>
"""

NAMES = ["total_bytes_sec", "read_bytes_sec", "write_bytes_sec", "total_iops_sec",
         "read_iops_sec", "write_iops_sec", "total_bytes_sec_max", "read_bytes_sec_max",
         "write_bytes_sec_max", "total_iops_sec_max", "read_iops_sec_max",
         "write_iops_sec_max", "size_iops_sec", "group_name", "total_bytes_sec_max_length",
         "read_bytes_sec_max_length", "write_bytes_sec_max_length",
         "total_iops_sec_max_length", "read_iops_sec_max_length",
         "write_iops_sec_max_length"]

QEMU_GROUP = "/machine/peripheral/virtio-disk0/virtio-backend"


def listing(group="", **values):
    """virsh blkdeviotune's listing: every name padded to 15, 0 when unset."""
    lines = []
    for name in NAMES:
        value = group if name == "group_name" else values.get(name, 0)
        lines.append(f"{name:<15}: {value}")
    return "\n".join(lines) + "\n\n"


def iotune_xml(xml):
    start, end = xml.index("<iotune>"), xml.index("</iotune>")
    return [line.strip() for line in xml[start:end].splitlines()[1:] if line.strip()]


class IoTune(VirshMixin, DaemonTestCase):
    def throttle(self):
        """query-block's values of the guest's one disk."""
        out = self.virsh_ok("qemu-monitor-command", "io", '{"execute":"query-block"}')
        return json.loads(out)["return"][0]["inserted"]

    def fails(self, what, *args):
        err = self.virsh_fails("blkdeviotune", "io", *args)
        first = ("error: Unable to get number of block I/O throttle parameters\n"
                 if what == "count" else "error: Unable to get block I/O throttle parameters\n"
                 if what == "get" else "error: Unable to change block I/O throttle\n")
        self.assertTrue(err.startswith(first), err)
        return err[len(first):]

    def test_iotune(self):
        image = guests.disk_image(self.daemon.root, "io", "16M")
        self.virsh_ok("define", self.write("io.xml", GUEST.format(image=image)))

        # shut off: the config's values, and libvirtd's errors
        self.assertEqual(self.virsh_ok("blkdeviotune", "io", "vda"),
                         listing(total_bytes_sec=1048576, read_iops_sec=100))
        not_running = "error: Requested operation is not valid: domain is not running\n"
        self.assertEqual(self.fails("count", "vda", "--live"), not_running)
        self.assertEqual(self.fails("set", "vda", "--live", "--total-bytes-sec", "5"), not_running)
        self.assertEqual(self.fails("get", "vdz"), "error: invalid argument: disk 'vdz' was not "
                                                   "found in the domain config\n")
        self.assertEqual(self.fails("set", "vdz", "--total-bytes-sec", "5"),
                         "error: invalid argument: missing persistent configuration for disk "
                         "'vdz'\n")
        self.assertEqual(self.fails("set", "vda", "--total-bytes-sec", "5",
                                    "--read-bytes-sec", "6"),
                         "error: invalid argument: total and read/write of bytes_sec cannot be "
                         "set at the same time\n")
        self.assertEqual(self.fails("set", "vda", "--total-bytes-sec", "1000000000000001"),
                         "error: argument unsupported: block I/O throttle limit value must be "
                         "no more than 1000000000000000\n")

        # started: QEMU throttles the disk as the XML says
        self.virsh_ok("start", "io")
        t = self.throttle()
        self.assertEqual((t["bps"], t["bps_rd"], t["iops"], t["iops_rd"]), (1048576, 0, 0, 100))
        self.assertEqual(self.virsh_ok("blkdeviotune", "io", "vda"),
                         listing(QEMU_GROUP, total_bytes_sec=1048576, read_iops_sec=100))

        # live: naming total_iops_sec resets read/write iops, keeps the bytes
        self.virsh_ok("blkdeviotune", "io", "vda", "--total-iops-sec", "300", "--live")
        t = self.throttle()
        self.assertEqual((t["bps"], t["iops"], t["iops_rd"]), (1048576, 300, 0))
        self.assertEqual(iotune_xml(self.virsh_ok("dumpxml", "io")),
                         ["<total_bytes_sec>1048576</total_bytes_sec>",
                          "<total_iops_sec>300</total_iops_sec>"])
        self.assertEqual(iotune_xml(self.virsh_ok("dumpxml", "--inactive", "io")),
                         ["<total_bytes_sec>1048576</total_bytes_sec>",
                          "<read_iops_sec>100</read_iops_sec>"])

        # --config: only the persistent definition changes
        self.virsh_ok("blkdeviotune", "io", "vda", "--read-bytes-sec", "7", "--config")
        self.assertEqual(iotune_xml(self.virsh_ok("dumpxml", "--inactive", "io")),
                         ["<read_bytes_sec>7</read_bytes_sec>",
                          "<read_iops_sec>100</read_iops_sec>"])
        self.assertEqual(self.throttle()["bps"], 1048576)
        self.assertEqual(self.virsh_ok("blkdeviotune", "io", "vda", "--config"),
                         listing(read_bytes_sec=7, read_iops_sec=100))

        # a burst limit with its length, and a group
        self.virsh_ok("blkdeviotune", "io", "vda", "--read-bytes-sec", "2000")
        self.virsh_ok("blkdeviotune", "io", "vda", "--read-bytes-sec-max", "5000",
                      "--read-bytes-sec-max-length", "3")
        self.assertEqual(self.virsh_ok("blkdeviotune", "io", "vda", "--live"),
                         listing(QEMU_GROUP, read_bytes_sec=2000, total_iops_sec=300,
                                 read_bytes_sec_max=5000, read_bytes_sec_max_length=3))
        self.virsh_ok("blkdeviotune", "io", "vda", "--group-name", "gg", "--live")
        self.assertEqual(self.throttle()["group"], "gg")
        self.assertEqual(iotune_xml(self.virsh_ok("dumpxml", "io")),
                         ["<read_bytes_sec>2000</read_bytes_sec>",
                          "<total_iops_sec>300</total_iops_sec>",
                          "<read_bytes_sec_max>5000</read_bytes_sec_max>",
                          "<group_name>gg</group_name>",
                          "<read_bytes_sec_max_length>3</read_bytes_sec_max_length>"])

        # live errors
        self.assertEqual(self.fails("set", "vda", "--write-bytes-sec-max", "5"),
                         "error: unsupported configuration: cannot reset 'write_bytes_sec' when "
                         "'write_bytes_sec_max' is set\n")
        self.assertEqual(self.fails("set", "vda", "--total-bytes-sec", "99", "--live",
                                    "--config"),
                         "error: unsupported configuration: cannot reset 'read_bytes_sec' when "
                         "'read_bytes_sec_max' is set\n")
        self.assertEqual(self.fails("get", "vdz", "--live"),
                         "error: invalid argument: disk 'vdz' not found in domain\n")
        self.assertEqual(self.fails("set", "vdz", "--live", "--total-bytes-sec", "4"),
                         "error: invalid argument: disk 'vdz' not found in domain\n")
        self.virsh_ok("destroy", "io")

    def test_hotplugged_disk(self):
        image = guests.disk_image(self.daemon.root, "io", "16M")
        extra = guests.disk_image(self.daemon.root, "extra", "16M")
        self.virsh_ok("define", self.write("io.xml", GUEST.format(image=image)))
        self.virsh_ok("start", "io")
        disk = self.write("vdb.xml", f"""<disk type='file' device='disk'>
  <driver name='qemu' type='qcow2'/>
  <source file='{extra}'/>
  <target dev='vdb' bus='virtio'/>
  <iotune><write_bytes_sec>4096000</write_bytes_sec></iotune>
</disk>
""")
        self.virsh_ok("attach-device", "io", disk, "--live")
        out = self.virsh_ok("qemu-monitor-command", "io", '{"execute":"query-block"}')
        vdb = [b for b in json.loads(out)["return"] if "virtio-disk1" in b["qdev"]][0]
        self.assertEqual((vdb["inserted"]["bps_wr"], vdb["inserted"]["bps"]), (4096000, 0))
        self.assertIn("write_bytes_sec: 4096000\n", self.virsh_ok("blkdeviotune", "io", "vdb"))
        self.virsh_ok("destroy", "io")


if __name__ == "__main__":
    unittest.main()
