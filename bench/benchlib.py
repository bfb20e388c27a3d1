"""Shared by the benchmarks: start our daemon and Debian's libvirtd, read a
process's CPU time and memory, and print a comparison."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BUILD = os.environ.get("VIRTKIT_BUILD", os.path.join(REPO, "build"))
SHARED_TOOLS = os.path.join(os.path.dirname(REPO), "shared", "tools")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def start_reference():
    """Debian's libvirtd, started by the shared tool; returns its pid."""
    subprocess.run([os.path.join(SHARED_TOOLS, "reference-libvirtd"), "start"],
                   check=True, stdout=subprocess.DEVNULL)
    pid = subprocess.run(["pgrep", "-x", "libvirtd"], capture_output=True, text=True)
    return int(pid.stdout.split()[0])


class OurDaemon:
    def __init__(self, name="virtqemud"):
        self.name = name
        self.root = tempfile.mkdtemp(prefix="virtkit-bench-")
        self.proc = None
        # QEMU as root, as the libvirtd we are compared with is configured
        os.makedirs(os.path.join(self.root, "etc", "libvirt"))
        with open(os.path.join(self.root, "etc", "libvirt", "qemu.conf"), "w") as f:
            f.write('user = "root"\ngroup = "root"\n')

    def start(self):
        # its own session: a Ctrl-C meant for the benchmark must not kill the
        # daemon before the benchmark's clean-up has used it
        self.proc = subprocess.Popen([os.path.join(BUILD, "daemons", self.name), "--root", self.root],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        sock = self.socket()
        for _ in range(500):
            if os.path.exists(sock):
                return self
            time.sleep(0.01)
        raise RuntimeError(f"{self.name} did not create {sock}")

    def socket(self):
        return os.path.join(self.root, "run", "libvirt", f"{self.name}-sock")

    def uri(self):
        return f"qemu+unix:///system?socket={self.socket()}"

    def halt(self):
        """Stop the daemon but keep its root (caches, definitions)."""
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def stop(self):
        self.halt()
        shutil.rmtree(self.root, ignore_errors=True)


# A libvirtd of its own: a new mount namespace (and with OWN_NETWORK a
# network namespace and a fresh sysfs) and empty directories over libvirt's,
# so that it sees none of the host's definitions, changes nothing of the
# host, and does not meet the reference libvirtd's pid file or sockets.
PRIVATE_LIBVIRTD = r"""
set -e
mount --make-rprivate /
if [ -n "$OWN_NETWORK" ]; then ip link set lo up; mount -t sysfs sysfs /sys; fi
for d in etc/libvirt run/libvirt var/lib/libvirt var/log/libvirt var/cache/libvirt; do
  mkdir -p "$ROOT/$d"; mkdir -p "/$d"; mount --bind "$ROOT/$d" "/$d"
done
printf 'user = "root"\ngroup = "root"\n' >/etc/libvirt/qemu.conf
exec /usr/sbin/libvirtd --pid-file "$ROOT/libvirtd.pid"
"""


def start_private_libvirtd(root, own_network):
    """Popen of a private libvirtd under ROOT (PRIVATE_LIBVIRTD); its pid is
    libvirtd's (sh execs it).  Its socket: ROOT/run/libvirt/libvirt-sock."""
    unshare = ["unshare", "--mount"] + (["--net"] if own_network else [])
    return subprocess.Popen(unshare + ["sh", "-c", PRIVATE_LIBVIRTD],
                            env=dict(os.environ, ROOT=root, OWN_NETWORK="1" if own_network else ""),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def wait_socket(path, proc, what, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if os.path.exists(path):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited {proc.returncode}")
        time.sleep(0.002)
    raise RuntimeError(f"{what} did not create {path}")


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def thread_cpu_seconds(pid):
    """CPU time of each live thread of a process so far, {tid: seconds}, in
    nanosecond resolution (/proc/PID/task/*/schedstat): the tick-based
    cpu_seconds is too coarse for phases of a few tens of milliseconds."""
    times = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                times[tid] = int(f.read().split()[0]) / 1e9
        except (FileNotFoundError, ProcessLookupError):
            pass
    return times


def cpu_seconds_since(pid, before):
    """CPU time a process spent since thread_cpu_seconds(pid) returned BEFORE,
    summed thread by thread so that a thread that exited in between does not
    take its earlier time away (its time since BEFORE is lost, though)."""
    now = thread_cpu_seconds(pid)
    return sum(t - before.get(tid, 0.0) for tid, t in now.items())


def smaps_kib(pid, field):
    """One total of /proc/PID/smaps_rollup (Pss, Private_Dirty, ...)."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def median_us(samples):
    return statistics.median(samples) * 1e6


def report(title, rows):
    """rows: (what, ours, libvirtd, unit); prints both and the ratio."""
    print(f"\n{title}")
    print(f"  {'':38} {'virtkit':>12} {'libvirtd':>12} {'ratio':>7}")
    for what, ours, ref, unit in rows:
        ratio = ours / ref if ref else float("nan")
        print(f"  {what:38} {ours:>10.1f}{unit:>2} {ref:>10.1f}{unit:>2} {ratio:>7.2f}")
    sys.stdout.flush()


def report_targets(title, rows):
    """rows: (what, ours, libvirtd, unit, target, met).  libvirtd may be a
    number, a string (printed as is) or None; target is the text printed
    next to the figures, met True/False/None (no verdict)."""
    print(f"\n{title}")
    print(f"  {'':44} {'virtkit':>11} {'libvirtd':>15} {'ratio':>6}  target")
    for what, ours, ref, unit, target, met in rows:
        if isinstance(ref, (int, float)):
            ref_text = f"{ref:.1f} {unit}"
            ratio = f"{ours / ref:.2f}" if ref else "nan"
        else:
            ref_text, ratio = (ref or "-"), "-"
        verdict = {True: "ok", False: "OVER", None: ""}[met]
        print(f"  {what:44} {f'{ours:.1f} {unit}':>11} {ref_text:>15} {ratio:>6}  {target:10} {verdict}")
    sys.stdout.flush()
