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

    def start(self):
        self.proc = subprocess.Popen([os.path.join(BUILD, "daemons", self.name), "--root", self.root],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


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
