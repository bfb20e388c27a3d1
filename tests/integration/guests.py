"""Domain XML for the integration tests: small guests that QEMU can start
without an operating system (they sit in the firmware)."""
import os
import re
import subprocess


def minimal(name, machine="q35", devices="", memory_mib=64, extra=""):
    return f"""<domain type='kvm'>
  <name>{name}</name>
  <memory unit='MiB'>{memory_mib}</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='{machine}'>hvm</type></os>
  {extra}
  <devices>{devices}</devices>
</domain>
"""


def disk_image(directory, name, size="16M"):
    path = os.path.join(directory, f"{name}.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", path, size], check=True)
    return path


def file_disk(path, dev="vda", extra=""):
    """A virtio <disk> on the image PATH (qcow2 or raw by its name); EXTRA
    goes inside it (<readonly/>, <shareable/>...)."""
    fmt = "qcow2" if path.endswith(".qcow2") else "raw"
    return f"""<disk type='file' device='disk'>
      <driver name='qemu' type='{fmt}'/>
      <source file='{path}'/>
      <target dev='{dev}' bus='virtio'/>{extra}
    </disk>"""


def typical(name, disk_path, machine="q35"):
    """What virt-install makes, more or less."""
    return minimal(name, machine, f"""
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{disk_path}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='user'>
      <mac address='52:54:00:12:34:56'/>
      <model type='virtio'/>
    </interface>
    <serial type='pty'/>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='virtio'/></video>
""", memory_mib=128)


def qemu_pids(root, name):
    """QEMU processes running the guest NAME of the daemon under ROOT (its
    monitor socket lives there, so other tests' guests never match)."""
    pattern = f"guest={re.escape(name)},.*{re.escape(root)}/"
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


class StartFailsMixin:
    """For VirshMixin test cases on self.daemon: minimal guests defined, and
    starts that must fail."""

    def define_guest(self, name, devices):
        self.virsh_ok("define", self.write(f"{name}.xml", minimal(name, devices=devices)))

    def start_fails(self, name):
        """Starting NAME fails and leaves it shut off, with no QEMU; the error."""
        err = self.virsh_fails("start", name)
        self.assertIn("shut off", self.virsh_ok("domstate", name))
        self.assertEqual(qemu_pids(self.daemon.root, name), [])
        return err
