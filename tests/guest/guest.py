"""The tiny Linux guest of the integration tests (see build-guest.sh): build
it, pick the accelerator that really boots it, describe it as a domain, and
read its serial console.

    kernel, initrd = guest.build(cache_dir)
    xml = guest.domain_xml("g1", kernel, initrd, console_path,
                           virt_type=guest.virt_type(cache_dir, kernel, initrd))
    guest.wait_for_console(console_path, guest.READY, timeout=guest.boot_timeout(...))
"""
import fcntl
import os
import subprocess
import tempfile
import time
from xml.sax.saxutils import escape, quoteattr

GUEST_DIR = os.path.dirname(os.path.abspath(__file__))
BUILD_SCRIPT = os.path.join(GUEST_DIR, "build-guest.sh")
QEMU = "/usr/bin/qemu-system-x86_64"

# Lines /init prints on the serial console.
READY = "VIRTKIT-GUEST-READY"            # listening for the power button
POWER_BUTTON = "VIRTKIT-GUEST-POWERBUTTON"  # the button was pressed
ACTION = "VIRTKIT-GUEST-ACTION"          # about to do virtkit.action=...

# A real KVM boots it in about a second, TCG in a few.
KVM_PROBE_SECONDS = 15


def build(cache_dir):
    """(vmlinuz, initramfs) built or found in cache_dir."""
    proc = subprocess.run([BUILD_SCRIPT, cache_dir], capture_output=True, text=True,
                          timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"{BUILD_SCRIPT} failed ({proc.returncode}):\n{proc.stderr}")
    paths = proc.stdout.split()
    if len(paths) != 2 or not all(os.path.isfile(p) for p in paths):
        raise RuntimeError(f"{BUILD_SCRIPT} printed {proc.stdout!r}")
    return paths[0], paths[1]


def boot_id():
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


def probe_kvm(kernel, initrd, seconds=KVM_PROBE_SECONDS):
    """Whether QEMU under KVM boots the guest to its ready line in time.
    /dev/kvm can exist and still be of no use: a nested hypervisor that
    cannot run an ordinary guest kernel at speed, or at all."""
    with tempfile.TemporaryDirectory(prefix="virtkit-kvm-probe-") as tmp:
        console = os.path.join(tmp, "console.log")
        cmd = [QEMU, "-accel", "kvm", "-m", "256", "-smp", "1", "-nodefaults",
               "-display", "none", "-no-user-config", "-kernel", kernel, "-initrd", initrd,
               "-append", "console=ttyS0 quiet panic=-1",
               "-chardev", f"file,id=s0,path={console}", "-device", "isa-serial,chardev=s0"]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            end = time.monotonic() + seconds
            while time.monotonic() < end and proc.poll() is None:
                if READY in read_console(console):
                    return True
                time.sleep(0.05)
            return False
        finally:
            proc.kill()
            proc.wait()


def virt_type(cache_dir, kernel, initrd):
    """'kvm' where KVM really boots the guest, else 'qemu' (TCG).
    VIRTKIT_GUEST_VIRT_TYPE overrides; the probe result is kept in cache_dir
    for as long as the host stays up."""
    forced = os.environ.get("VIRTKIT_GUEST_VIRT_TYPE")
    if forced:
        return forced
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "qemu"
    os.makedirs(cache_dir, exist_ok=True)
    result_path = os.path.join(cache_dir, "kvm-probe")
    key = f"{boot_id()} {os.path.getmtime(kernel)} {os.path.getmtime(initrd)}"
    with open(os.path.join(cache_dir, ".kvm-probe.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with open(result_path) as f:
                cached_key, _, result = f.read().strip().rpartition(" ")
            if cached_key == key and result in ("kvm", "qemu"):
                return result
        except OSError:
            pass
        result = "kvm" if probe_kvm(kernel, initrd) else "qemu"
        with open(result_path, "w") as f:
            f.write(f"{key} {result}\n")
        return result


def boot_timeout(virt_type):
    """Seconds to allow from start to the ready line (a loaded 2-core host)."""
    return 30 if virt_type == "kvm" else 90


def domain_xml(name, kernel, initrd, console_path, virt_type="kvm", memory_mib=256,
               vcpus=1, cmdline="", on_poweroff="destroy", on_reboot="restart",
               on_crash="destroy", panic_model=None, disks=""):
    """A domain that boots the guest with its serial console in console_path.
    cmdline is appended to the kernel command line (e.g. virtkit.action=reboot).
    panic_model adds a <panic> device (e.g. 'isa'), through which a guest
    kernel panic reaches QEMU.  disks: <disk> elements to add (the guest
    boots from its kernel and initrd, so they may hold nothing)."""
    full_cmdline = f"console=ttyS0 quiet panic=-1 {cmdline}".strip()
    panic = f"<panic model={quoteattr(panic_model)}/>" if panic_model else ""
    return f"""<domain type={quoteattr(virt_type)}>
  <name>{escape(name)}</name>
  <memory unit='MiB'>{memory_mib}</memory>
  <vcpu>{vcpus}</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{escape(kernel)}</kernel>
    <initrd>{escape(initrd)}</initrd>
    <cmdline>{escape(full_cmdline)}</cmdline>
  </os>
  <features>
    <acpi/>
  </features>
  <on_poweroff>{escape(on_poweroff)}</on_poweroff>
  <on_reboot>{escape(on_reboot)}</on_reboot>
  <on_crash>{escape(on_crash)}</on_crash>
  <devices>
    {disks}
    <serial type='file'>
      <source path={quoteattr(console_path)}/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
    {panic}
  </devices>
</domain>
"""


def read_console(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def wait_for_console(path, text, timeout, count=1, alive=None):
    """Wait until `text` appears `count` times in the console file; returns
    the console.  alive(), when given, is checked on the way so that a dead
    guest fails at once instead of at the timeout."""
    end = time.monotonic() + timeout
    while True:
        out = read_console(path)
        if out.count(text) >= count:
            return out
        if time.monotonic() >= end:
            raise TimeoutError(f"no {text!r} (x{count}) on the console within {timeout}s;"
                               f" console so far:\n{out[-3000:]}")
        if alive is not None and not alive():
            raise RuntimeError(f"the guest stopped before {text!r} (x{count});"
                               f" console:\n{out[-3000:]}")
        time.sleep(0.05)
