"""Differential test of PCI address assignment: a seeded generator of random
q35 and pc domains over the device mix of tests/data/domain (controllers of
every type in random order, multifunction layouts, user-given partial
addresses, devices on buses no controller has, bus overflows), each defined
on the reference libvirtd 9.0 (qemu:///system) and on our virtqemud (under a
temporary root); dumpxml --inactive of both must give the same PCI topology:
every <address type='pci'> of every device and controller, and each
controller's index, model, <model name> and <target>.  Both must also agree
on refusing a document.

The seed is printed; VIRTKIT_DIFF_SEED and VIRTKIT_DIFF_CASES override the
defaults (VIRTKIT_DIFF_REFERENCE the reference's URI).  A difference is reduced (devices dropped one at a time while the
difference stays) and the small document printed: add it to tests/data/domain
with scripts/regenerate-domain-expected.sh.  Skipped when the reference
libvirtd does not answer (`virsh -c qemu:///system version` fails): ./test
does not install libvirt-daemon, so it runs only where someone started it
(/work/shared/tools/reference-libvirtd start).  On libvirtd it defines only
domains named vkdiff-*, and undefines each right after its dump."""
import os
import random
import sys
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Daemon, run, virsh  # noqa: E402

DEFAULT_SEED = 20260806
DEFAULT_CASES = 300
PREFIX = "vkdiff-"
REFERENCE = os.environ.get("VIRTKIT_DIFF_REFERENCE", "qemu:///system")


def reference_available():
    try:
        return virsh(REFERENCE, "version", timeout=20).returncode == 0
    except Exception:
        return False


# --- the generator ---------------------------------------------------------

class Gen:
    """One random domain: a list of device elements (XML strings) for a
    machine.  Identifiers (MACs, disk targets, hostdev sources) are counted
    so that every device can be told apart in the dumps."""

    def __init__(self, rnd, machine):
        self.rnd = rnd
        self.machine = machine
        self.q35 = machine == "q35"
        self.n = 0
        self.disk = 0
        self.used_slots = set()

    def next(self):
        self.n += 1
        return self.n

    def address(self, bus=0, slot=None, function=None, multifunction=None):
        parts = ["type='pci'"]
        if bus is not None:
            parts.append(f"bus='{bus:#04x}'")
        if slot is not None:
            parts.append(f"slot='{slot:#04x}'")
        if function is not None:
            parts.append(f"function='{function:#x}'")
        if multifunction is not None:
            parts.append(f"multifunction='{multifunction}'")
        return f"<address {' '.join(parts)}/>"

    # each maker returns one device's XML with ADDR (an <address/> or '') inside
    def interface(self, addr=""):
        models = ["virtio", "e1000", "rtl8139", "virtio-transitional", "virtio-non-transitional"]
        if self.q35:
            models.append("e1000e")
        n = self.next()
        return (f"<interface type='user'><mac address='52:54:00:aa:{n // 256:02x}:{n % 256:02x}'/>"
                f"<model type='{self.rnd.choice(models)}'/>{addr}</interface>")

    def virtio_disk(self, addr=""):
        self.disk += 1
        dev = "vd" + "abcdefghijklmnopqrstuvwxyz"[(self.disk - 1) % 26] * (1 + (self.disk - 1) // 26)
        model = self.rnd.choice(["", "", " model='virtio-transitional'",
                                 " model='virtio-non-transitional'"])
        return (f"<disk type='file' device='disk'{model}><driver name='qemu' type='raw'/>"
                f"<source file='/var/lib/libvirt/images/{dev}.img'/>"
                f"<target dev='{dev}' bus='virtio'/>{addr}</disk>")

    def controller(self, addr=""):
        kinds = [("scsi", "virtio-scsi"), ("scsi", "lsilogic"), ("virtio-serial", None),
                 ("usb", "qemu-xhci"), ("usb", "nec-xhci"), ("usb", "ich9-ehci1")]
        kinds.append(("sata", None) if self.q35 else ("usb", "piix3-uhci"))
        ctype, model = self.rnd.choice(kinds)
        m = f" model='{model}'" if model else ""
        return f"<controller type='{ctype}'{m}>{addr}</controller>"

    def sound(self, addr=""):
        model = self.rnd.choice(["ich6", "ac97", "es1370", "ich9"])
        return f"<sound model='{model}'>{addr}</sound>"

    def rng(self, addr=""):
        return f"<rng model='virtio'><backend model='random'>/dev/urandom</backend>{addr}</rng>"

    def input(self, addr=""):
        kind = self.rnd.choice(["tablet", "keyboard", "mouse"])
        return f"<input type='{kind}' bus='virtio'>{addr}</input>"

    def serial(self, addr=""):
        return f"<serial type='pty'><target type='pci-serial'/>{addr}</serial>"

    def shmem(self, addr=""):
        return (f"<shmem name='vkdiff_shm{self.next()}'><model type='ivshmem-plain'/>"
                f"<size unit='M'>4</size>{addr}</shmem>")

    def filesystem(self, addr=""):
        n = self.next()
        return (f"<filesystem type='mount' accessmode='passthrough'><source dir='/srv/s{n}'/>"
                f"<target dir='s{n}'/>{addr}</filesystem>")

    def hostdev(self, addr=""):
        n = self.next()
        return (f"<hostdev mode='subsystem' type='pci' managed='no'><source>"
                f"<address domain='0x0000' bus='{0x40 + n // 32:#04x}' slot='{n % 32:#04x}' "
                f"function='0x0'/></source>{addr}</hostdev>")

    def video(self, addr=""):
        models = ["vga", "qxl", "virtio", "bochs"] + ([] if self.q35 else ["cirrus"])
        return f"<video><model type='{self.rnd.choice(models)}'/>{addr}</video>"

    def other_disk(self, addr=""):
        """A disk on another bus: it may bring its (PCI) controller along."""
        self.disk += 1
        bus = self.rnd.choice(["sata", "scsi"] if self.q35 else ["ide", "sata", "scsi"])
        prefix = {"sata": "sd", "scsi": "sd", "ide": "hd"}[bus]
        dev = prefix + "abcd"[self.disk % 4] + ("" if self.disk < 4 else "abcdefgh"[self.disk % 8])
        return (f"<disk type='file' device='disk'><source file='/x/{self.disk}.img'/>"
                f"<target dev='{dev}' bus='{bus}'/></disk>")

    MAKERS = ["interface", "virtio_disk", "controller", "sound", "rng", "input", "serial",
              "shmem", "filesystem", "hostdev", "other_disk"]

    def any_device(self, addr=""):
        return getattr(self, self.rnd.choice(self.MAKERS))(addr)

    def pci_controllers(self):
        """Explicit PCI controllers with indexes 1..k (sometimes one left
        out: a gap), in a random document order, some with an address."""
        if self.q35:
            models = ["pcie-root-port", "pcie-root-port", "pcie-to-pci-bridge",
                      "dmi-to-pci-bridge", "pci-bridge", "pcie-switch-upstream-port",
                      "pcie-switch-downstream-port"]
        else:
            models = ["pci-bridge"]
        k = self.rnd.randint(1, 4)
        chosen = [self.rnd.choice(models) for _ in range(k)]
        if self.q35 and "pcie-switch-downstream-port" in chosen and \
                "pcie-switch-upstream-port" not in chosen and self.rnd.random() < 0.8:
            chosen.insert(0, "pcie-switch-upstream-port")
        indexes = list(range(1, len(chosen) + 1))
        if self.rnd.random() < 0.2:
            indexes = [i + (1 if i >= 2 else 0) for i in indexes]
        out = []
        for i, m in zip(indexes, chosen):
            extra = ""
            if m == "pcie-root-port" and self.rnd.random() < 0.3:
                # given on bus 0, maybe sharing a slot with another root port
                slot = self.rnd.choice([2, 3, 5])
                fn = self.rnd.randint(0, 2)
                if (0, slot, fn) not in self.used_slots:
                    self.used_slots.add((0, slot, fn))
                    self.used_slots.add((0, slot))
                    extra = self.address(0, slot, fn)
            if m in ("pci-bridge", "dmi-to-pci-bridge", "pcie-to-pci-bridge") and \
                    self.rnd.random() < 0.25:
                # a bridge given a place: on bus 0 or on another bridge
                bus = 0 if m != "pci-bridge" or self.rnd.random() < 0.7 else self.rnd.randint(1, i)
                slot = self.rnd.randint(3, 12)
                if (bus, slot) not in self.used_slots:
                    self.used_slots.add((bus, slot))
                    extra = self.address(bus, slot, 0)
            if m == "pcie-root-port" and self.rnd.random() < 0.1:
                extra += "<target hotplug='off'/>"
            out.append(f"<controller type='pci' index='{i}' model='{m}'>{extra}</controller>")
        if self.rnd.random() < 0.1:
            model = "pcie-expander-bus" if self.q35 else "pci-expander-bus"
            out.append(f"<controller type='pci' index='{len(indexes) + 2}' model='{model}'>"
                       "<target busNr='200'/></controller>")
        self.rnd.shuffle(out)
        return out

    def usb_companions(self):
        """An ICH9 EHCI with its companions, as virt-install writes them, or
        in another order, part of them, after another USB controller."""
        set_ = ["<controller type='usb' model='ich9-ehci1'/>"] + [
            f"<controller type='usb' model='ich9-uhci{i}'><master startport='{2 * (i - 1)}'/>"
            "</controller>" for i in (1, 2, 3)]
        if self.rnd.random() < 0.3:
            self.rnd.shuffle(set_)
        if self.rnd.random() < 0.2:
            set_ = set_[:self.rnd.randint(1, 3)]
        if self.rnd.random() < 0.3:
            set_.insert(0, "<controller type='usb' model='qemu-xhci'/>")
        return set_

    def multifunction_slot(self, bus=0):
        """2-4 devices in one slot of BUS: functions from 0 or from 1,
        multifunction on / off / unset on function 0."""
        lo = 3 if not self.q35 else 2
        free = [s for s in range(lo, 0x1f) if (bus, s) not in self.used_slots]
        slot = self.rnd.choice(free)
        self.used_slots.add((bus, slot))
        start = 0 if self.rnd.random() < 0.8 else 1
        count = self.rnd.randint(2, 4)
        mf = self.rnd.choice([None, None, "on", "off"])
        out = []
        for f in range(start, start + count):
            maker = self.rnd.choice(["interface", "virtio_disk", "sound", "rng", "controller"])
            addr = self.address(bus, slot, f, mf if f == 0 else None)
            out.append(getattr(self, maker)(addr))
        return out

    def partial_address_device(self):
        """A device with part of an address: only a slot, only a bus, an
        empty <address type='pci'/>, or a bus that no controller may have."""
        kind = self.rnd.choice(["slot", "empty", "bus", "slot"])
        if kind == "empty":
            return self.any_device("<address type='pci'/>")
        if kind == "bus":
            return self.any_device(self.address(self.rnd.randint(1, 3),
                                                self.rnd.randint(0, 3) if self.q35 else
                                                self.rnd.randint(1, 4)))
        lo = 3 if not self.q35 else 2
        free = [s for s in range(lo, 0x1f) if (0, s) not in self.used_slots]
        slot = self.rnd.choice(free)
        self.used_slots.add((0, slot))
        return self.any_device(self.address(None, slot))

    def devices(self):
        r = self.rnd
        devs = []
        if r.random() < 0.4:
            devs += self.pci_controllers()
        tail = []
        if r.random() < 0.15:
            tail = self.usb_companions()   # kept in their order, after the rest
        for _ in range(r.choice([0, 1, 1, 2])):
            devs.append(self.video())
        if r.random() < 0.3:
            devs.append(f"<watchdog model='i6300esb'/>")
        if r.random() < 0.2:
            devs.append("<vsock model='virtio'><cid auto='yes'/></vsock>")
        if r.random() < 0.15:
            devs.append("<memballoon model='none'/>")
        elif r.random() < 0.1:
            devs.append(f"<memballoon model='virtio'>{self.address(0, r.randint(2, 9))}"
                        "</memballoon>")
        if r.random() < 0.1:
            # (through SPICE: without a spice display libvirtd refuses them)
            devs.append("<graphics type='spice'/>" + (
                "<controller type='ccid'/><smartcard mode='passthrough' type='spicevmc'/>"
                if r.random() < 0.5 else "<redirdev bus='usb' type='spicevmc'/>"))
        if r.random() < 0.12:
            # an overflow of bus 0 (pc) / of the root ports (q35)
            maker = r.choice(["interface", "virtio_disk"])
            devs += [getattr(self, maker)() for _ in range(r.randint(26, 36))]
        for _ in range(r.randint(0, 8)):
            devs.append(self.any_device())
        if r.random() < 0.3:
            devs += self.multifunction_slot()
        for _ in range(r.choice([0, 0, 1, 2])):
            devs.append(self.partial_address_device())
        r.shuffle(devs)
        return devs + tail


def domain_xml(name, machine, devices):
    body = "\n    ".join(devices)
    return f"""<domain type='kvm'>
  <name>{name}</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='{machine}'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    {body}
  </devices>
</domain>
"""


def generate(seed, case):
    rnd = random.Random(f"{seed}-{case}")
    machine = rnd.choice(["q35", "pc"])
    return machine, Gen(rnd, machine).devices()


# --- the comparison ----------------------------------------------------------

ADDR_KEYS = ("bus", "slot", "function", "multifunction")


def norm_addr(a):
    return tuple((k, a.get(k)) for k in ADDR_KEYS if a.get(k) is not None)


def ident(dev):
    """What tells a device apart from the others of its tag."""
    if dev.tag == "controller":
        return f"{dev.get('type')}[{dev.get('index')}] {dev.get('model') or ''}"
    for path, attr in (("mac", "address"), ("target", "dev"), ("source/address", "slot"),
                       ("model", "type"), ("target", "dir")):
        e = dev.find(path)
        if e is not None and e.get(attr):
            return f"{path}={e.get(attr)}" + (f" bus={e.get('bus')}" if path ==
                                               "source/address" else "")
    return dev.get("model") or dev.get("type") or ""


def topology(xml):
    """The PCI topology of a dumped domain: a sorted list of lines, one per
    device or controller with a PCI address and one per PCI controller."""
    devices = ET.fromstring(xml).find("devices")
    lines, seen = [], {}
    for dev in devices:
        addr = dev.find("address")
        pci = addr is not None and addr.get("type") == "pci"
        if not pci and not (dev.tag == "controller" and dev.get("type") == "pci"):
            continue
        key = f"{dev.tag} {ident(dev)}"
        seen[key] = seen.get(key, 0) + 1
        line = f"{key} #{seen[key]}"
        if dev.tag == "controller":
            m, t = dev.find("model"), dev.find("target")
            if m is not None:
                line += f" name={m.get('name')}"
            if t is not None:
                line += " target=" + ",".join(f"{k}={v}" for k, v in sorted(t.attrib.items()))
        if pci:
            line += " @ " + " ".join(f"{k}={v}" for k, v in norm_addr(addr))
        lines.append(line)
    return sorted(lines)


class Side:
    """One daemon, through python3-libvirt."""

    def __init__(self, conn, what):
        self.conn, self.what = conn, what

    def define_dump(self, xml, name):
        import libvirt
        try:
            dom = self.conn.defineXML(xml)
        except libvirt.libvirtError as e:
            return None, e.get_error_message().replace(name, "NAME")
        try:
            return dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE), None
        finally:
            if not dom.name().startswith(PREFIX):
                raise RuntimeError(f"refusing to touch {dom.name()}")
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_NVRAM)


def outcome(side, machine, devices, name):
    xml, err = side.define_dump(domain_xml(name, machine, devices), name)
    return ("refused", err) if xml is None else ("ok", topology(xml))


@unittest.skipUnless(reference_available(), f"the reference libvirtd ({REFERENCE}) does not "
                                            "answer: /work/shared/tools/reference-libvirtd start")
class PciDifferential(unittest.TestCase):
    def setUp(self):
        import libvirt
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
        self.daemon = Daemon("virtqemud").start()
        self.addCleanup(self.daemon.cleanup)
        self.ref = Side(libvirt.open(REFERENCE), "libvirtd")
        self.ours = Side(libvirt.open(self.daemon.uri()), "virtqemud")
        self.addCleanup(self.ref.conn.close)
        self.addCleanup(self.ours.conn.close)
        self.name = PREFIX + str(os.getpid())

    def differs(self, machine, devices):
        a = outcome(self.ref, machine, devices, self.name)
        b = outcome(self.ours, machine, devices, self.name)
        if a[0] != b[0] or (a[0] == "ok" and a[1] != b[1]):
            return a, b
        return None

    def reduce(self, machine, devices):
        """Drop devices one at a time while the difference stays."""
        i = 0
        while i < len(devices):
            fewer = devices[:i] + devices[i + 1:]
            if self.differs(machine, fewer):
                devices = fewer
            else:
                i += 1
        return devices

    def test_random_domains(self):
        seed = int(os.environ.get("VIRTKIT_DIFF_SEED", DEFAULT_SEED))
        cases = int(os.environ.get("VIRTKIT_DIFF_CASES", DEFAULT_CASES))
        sys.stderr.write(f"[pci-differential] seed {seed}, {cases} cases "
                         f"(VIRTKIT_DIFF_SEED={seed} VIRTKIT_DIFF_CASES={cases})\n")
        failures = []
        for case in range(cases):
            machine, devices = generate(seed, case)
            diff = self.differs(machine, devices)
            if diff is None:
                continue
            small = self.reduce(machine, devices)
            a, b = self.differs(machine, small) or diff
            failures.append(f"case {case} ({machine}), reduced from {len(devices)} to "
                            f"{len(small)} devices:\n{domain_xml('NAME', machine, small)}"
                            f"libvirtd:  {a[0]}\n  " + "\n  ".join(
                                a[1] if a[0] == "ok" else [a[1]]) +
                            f"\nvirtqemud: {b[0]}\n  " + "\n  ".join(
                                b[1] if b[0] == "ok" else [b[1]]))
            if len(failures) >= 5:
                break
        self.assertEqual(failures, [], "\n\n".join(failures))


if __name__ == "__main__":
    unittest.main()
