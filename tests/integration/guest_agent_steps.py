"""The guest agent scenario, run through Debian's virsh both against the
reference libvirtd (scripts/regenerate-guest-agent-expected.py records what
it prints into tests/data/guest-agent/) and against our virtqemud
(test_guest_agent.py compares).

Three guests of tests/guest: PREFIX-noch without an agent channel,
PREFIX-noga with the channel but no agent started in the guest, PREFIX-ga
with both.  Each step is (name, guest, virsh arguments); outputs that vary
from run to run (times, ids, paths) are normalised before comparing."""
import os
import re
import subprocess
import time
from xml.sax.saxutils import escape

AGENT_CHANNEL = """<controller type='virtio-serial' index='0'/>
    <channel type='unix'>
      <source mode='bind'/>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
    </channel>"""
GUEST_IP = "10.0.2.15/24"
MAC = "52:54:00:a6:e1:15"


def guest_disk(path):
    return f"""<disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='{escape(path)}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='user'>
      <mac address='{MAC}'/>
      <model type='virtio'/>
    </interface>"""


def make_ext4(path):
    """A 16 MiB ext4 image for the guest's /mnt (what domfsinfo shows)."""
    with open(path, "wb") as f:
        f.truncate(16 << 20)
    subprocess.run(["mkfs.ext4", "-q", "-F", path], check=True)


def domains(guest, prefix, kernel, initrd, virt_type, workdir):
    """{role: domain XML} for the three guests; their console files are
    WORKDIR/ROLE.console, the ext4 image WORKDIR/ROLE.img."""
    out = {}
    for role, channel, extra in (("noch", "", ""), ("noga", AGENT_CHANNEL, "virtkit.noagent=1"),
                                 ("ga", AGENT_CHANNEL, "")):
        img = os.path.join(workdir, f"{role}.img")
        make_ext4(img)
        cmdline = f"virtkit.mount=vda virtkit.ip={GUEST_IP} {extra}".strip()
        out[role] = guest.domain_xml(f"{prefix}-{role}", kernel, initrd,
                                     os.path.join(workdir, f"{role}.console"),
                                     virt_type=virt_type, vcpus=2, cmdline=cmdline,
                                     disks=guest_disk(img) + channel)
    return out


AGENT_INFO = '{"execute":"guest-info"}'
# Steps that need no running agent: the error cases.
ERROR_STEPS = [
    ("noch-domtime", "noch", ["domtime"]),
    ("noch-agent-command", "noch", ["qemu-agent-command", AGENT_INFO]),
    ("noch-fsinfo", "noch", ["domfsinfo"]),
    ("noch-fsfreeze", "noch", ["domfsfreeze"]),
    ("noch-guestinfo", "noch", ["guestinfo"]),
    ("noch-guestvcpus", "noch", ["guestvcpus"]),
    ("noch-shutdown-agent", "noch", ["shutdown", "--mode", "agent"]),
    ("noch-ifaddr-agent", "noch", ["domifaddr", "--source", "agent"]),
    ("noch-set-user-password", "noch", ["set-user-password", "root", "secret"]),
    ("noch-pmsuspend", "noch", ["dompmsuspend", "--target", "mem"]),
    ("noch-vcpucount-guest", "noch", ["vcpucount", "--guest"]),
    ("noch-setvcpus-guest", "noch", ["setvcpus", "--guest", "1"]),
    ("noch-hostname", "noch", ["domhostname"]),
    ("noga-domtime", "noga", ["domtime"]),
    ("noga-agent-command", "noga", ["qemu-agent-command", AGENT_INFO]),
    ("noga-fsinfo", "noga", ["domfsinfo"]),
    ("noga-guestinfo", "noga", ["guestinfo"]),
    ("noga-shutdown-agent", "noga", ["shutdown", "--mode", "agent"]),
    ("noga-channel-xml", "noga", ["dumpxml", "--xpath", "//channel"]),
]
# Steps with the agent connected, in this order.
AGENT_STEPS = [
    ("ga-channel-xml", "ga", ["dumpxml", "--xpath", "//channel"]),
    ("ga-channel-xml-inactive", "ga", ["dumpxml", "--inactive", "--xpath", "//channel"]),
    ("ga-agent-command", "ga", ["qemu-agent-command", '{"execute":"guest-get-host-name"}']),
    ("ga-agent-command-pretty", "ga", ["qemu-agent-command", "--pretty",
                                       '{"execute":"guest-get-timezone"}']),
    ("ga-agent-command-timeout", "ga", ["qemu-agent-command", "--timeout", "3",
                                        '{"execute":"guest-get-osinfo"}']),
    ("ga-agent-command-unknown", "ga", ["qemu-agent-command", '{"execute":"guest-nonsense"}']),
    ("ga-agent-command-bad-json", "ga", ["qemu-agent-command", '{"execute":']),
    ("ga-agent-command-bad-timeout", "ga", ["qemu-agent-command", "--timeout", "-5",
                                            AGENT_INFO]),
    ("ga-domtime", "ga", ["domtime"]),
    ("ga-domtime-set", "ga", ["domtime", "--time", "1700000000"]),
    ("ga-domtime-after-set", "ga", ["domtime"]),
    ("ga-domtime-sync", "ga", ["domtime", "--sync"]),
    ("ga-fsinfo", "ga", ["domfsinfo"]),
    ("ga-fsfreeze", "ga", ["domfsfreeze"]),
    ("ga-fsfreeze-again", "ga", ["domfsfreeze"]),
    ("ga-fsthaw", "ga", ["domfsthaw"]),
    ("ga-fsthaw-again", "ga", ["domfsthaw"]),
    ("ga-fsfreeze-mountpoint", "ga", ["domfsfreeze", "--mountpoint", "/mnt"]),
    ("ga-fsthaw-mountpoint", "ga", ["domfsthaw", "--mountpoint", "/mnt"]),
    ("ga-fsthaw-after-mountpoint", "ga", ["domfsthaw"]),
    ("ga-guestvcpus", "ga", ["guestvcpus"]),
    ("ga-guestvcpus-disable", "ga", ["guestvcpus", "--cpulist", "1", "--disable"]),
    ("ga-guestvcpus-after-disable", "ga", ["guestvcpus"]),
    ("ga-vcpucount-guest-disabled", "ga", ["vcpucount", "--guest"]),
    ("ga-guestvcpus-enable", "ga", ["guestvcpus", "--cpulist", "1", "--enable"]),
    ("ga-vcpucount-guest", "ga", ["vcpucount", "--guest"]),
    ("ga-setvcpus-guest-1", "ga", ["setvcpus", "--guest", "1"]),
    ("ga-vcpucount-guest-after-setvcpus", "ga", ["vcpucount", "--guest"]),
    ("ga-setvcpus-guest-2", "ga", ["setvcpus", "--guest", "2"]),
    ("ga-vcpucount-guest-after-setvcpus-2", "ga", ["vcpucount", "--guest"]),
    ("ga-setvcpus-guest-too-many", "ga", ["setvcpus", "--guest", "3"]),
    ("ga-guestvcpus-disable-cpu0", "ga", ["guestvcpus", "--cpulist", "0", "--disable"]),
    ("ga-hostname", "ga", ["domhostname"]),
    ("ga-guestinfo-os", "ga", ["guestinfo", "--os"]),
    ("ga-guestinfo-hostname", "ga", ["guestinfo", "--hostname"]),
    ("ga-guestinfo-timezone", "ga", ["guestinfo", "--timezone"]),
    ("ga-guestinfo-users", "ga", ["guestinfo", "--user"]),
    ("ga-guestinfo-fs", "ga", ["guestinfo", "--filesystem"]),
    ("ga-guestinfo-disk", "ga", ["guestinfo", "--disk"]),
    ("ga-guestinfo-interface", "ga", ["guestinfo", "--interface"]),
    ("ga-guestinfo", "ga", ["guestinfo"]),
    ("ga-pmwakeup-running", "ga", ["dompmwakeup"]),
    ("ga-ifaddr", "ga", ["domifaddr", "--source", "agent"]),
    ("ga-ifaddr-full", "ga", ["domifaddr", "--source", "agent", "--full"]),
    ("ga-set-user-password", "ga", ["set-user-password", "root", "secret"]),
    ("ga-pmsuspend-mem", "ga", ["dompmsuspend", "--target", "mem"]),
    ("ga-state-suspended", "ga", ["domstate", "--reason"]),
    ("ga-pmwakeup", "ga", ["dompmwakeup"]),
    ("ga-state-woken", "ga", ["domstate", "--reason"]),
]
# Once the agent is back (the suspend may have closed its port).
REBOOT_STEPS = [
    ("ga-reboot-agent", "ga", ["reboot", "--mode", "agent"]),
]
# An agent that stops answering: the guest's qemu-ga is stopped (SIGSTOP)
# for STALL_SECONDS by a shell it runs (guest-exec).  A command with a
# timeout times out; the next call syncs again, and the sync times out
# after libvirt's 5 s (a call without a timeout on an agent in sync would
# wait for ever, as libvirt's does).  Once the agent runs again, the late
# replies are skipped by the next sync.
STALL_SECONDS = 15
STALL_STEPS = [
    ("ga-agent-stall", "ga", ["qemu-agent-command",
                              '{"execute":"guest-exec","arguments":{"path":"/bin/sh","arg":'
                              '["-c","kill -STOP $(cat /run/qemu-ga.pid); sleep %d; '
                              'kill -CONT $(cat /run/qemu-ga.pid)"]}}' % STALL_SECONDS]),
    ("ga-agent-command-stalled", "ga", ["qemu-agent-command", "--timeout", "2", AGENT_INFO]),
    ("ga-domtime-stalled", "ga", ["domtime"]),
]
# After the reboot, once the agent is back: the power-off.
FINAL_STEPS = [
    ("ga-shutdown-agent", "ga", ["shutdown", "--mode", "agent"]),
]
# The agent-lifecycle events virsh prints from the start of ga to its
# agent's connection, and from the reboot to the reconnection.
EVENT_LINE = re.compile(r"event 'agent-lifecycle' for domain '?[^:']+'?: state: '([^']+)' reason: '([^']+)'")


def virsh(uri, name, args, timeout=90):
    """Debian's virsh with NAME (the domain) first after the command."""
    cmd = ["virsh", "-c", uri, args[0], name] + args[1:]
    if args[0] == "qemu-agent-command" or args[0] == "dumpxml":
        cmd = ["virsh", "-c", uri, args[0], "--domain", name] + args[1:]
    env = dict(os.environ, LC_ALL="C")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    return {"rc": p.returncode, "stdout": p.stdout, "stderr": p.stderr}


def normalise(text, prefix):
    """What varies between runs and daemons, replaced by fixed words."""
    text = text.replace(prefix, "PREFIX")
    text = re.sub(r"/[^'\"\s]*/channel/target/domain-\d+-([^/'\"]+)/",
                  r"CHANNELDIR/domain-N-\1/", text)
    text = re.sub(r"Time: \d+", "Time: N", text)
    text = re.sub(r"(os\.kernel-version\s*:).*", r"\1 V", text)
    text = re.sub(r"(fs\.\d+\.(used|total)-bytes\s*:).*", r"\1 N", text)
    text = re.sub(r"\"(id|pid)\":\d+", r'"\1":N', text)
    return text


def wait_agent(uri, name, connected=True, timeout=120):
    """Until the live XML shows the agent channel in that state."""
    want = "connected" if connected else "disconnected"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        out = virsh(uri, name, ["dumpxml", "--xpath", "//channel/target"])["stdout"]
        if re.search(f"state=[\"']{want}[\"']", out):
            return
        time.sleep(0.5)
    raise TimeoutError(f"{name}: the agent channel is not {want} after {timeout}s")


# Before these steps, the state the guest reaches in its own time (S3
# takes the guest a moment; waking up too).
WAIT_STATE = {"ga-state-suspended": "pmsuspended", "ga-state-woken": "running"}


def wait_state(uri, name, state, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if virsh(uri, name, ["domstate"])["stdout"].strip() == state:
            return
        time.sleep(0.5)


def run_steps(uri, names, step_list, prefix, results):
    for step, role, args in step_list:
        if step in WAIT_STATE:
            wait_state(uri, names[role], WAIT_STATE[step])
        if step == "ga-agent-command-stalled":
            time.sleep(3)    # the guest's shell has stopped qemu-ga by then
        start = time.monotonic()
        r = virsh(uri, names[role], args)
        results[step] = {"args": args, "rc": r["rc"],
                         "stdout": normalise(r["stdout"], prefix),
                         "stderr": normalise(r["stderr"], prefix),
                         "raw_stdout": r["stdout"],
                         "seconds": round(time.monotonic() - start, 1)}


def run_scenario(uri, guest, names, workdir, prefix):
    """Start the guests (defined as NAMES) and run every step; the results by
    step name, with the agent-lifecycle events virsh saw for ga ("events")."""
    results = {}
    for role in ("noch", "noga"):
        start_and_wait(uri, guest, names[role], os.path.join(workdir, f"{role}.console"))
    run_steps(uri, names, ERROR_STEPS, prefix, results)
    events = subprocess.Popen(["virsh", "-c", uri, "event", "--domain", names["ga"],
                               "--event", "agent-lifecycle", "--loop", "--timeout", "900"],
                              stdout=subprocess.PIPE, text=True, env=dict(os.environ, LC_ALL="C"))
    try:
        time.sleep(1)
        console = os.path.join(workdir, "ga.console")
        start_and_wait(uri, guest, names["ga"], console)
        wait_agent(uri, names["ga"])
        run_steps(uri, names, AGENT_STEPS, prefix, results)
        time.sleep(3)    # the wake-up closes and reopens the agent's port
        wait_agent(uri, names["ga"], timeout=180)
        run_steps(uri, names, REBOOT_STEPS, prefix, results)
        guest.wait_for_console(console, guest.READY, timeout=180, count=2)
        wait_agent(uri, names["ga"], timeout=180)
        stall_start = time.monotonic()
        run_steps(uri, names, STALL_STEPS, prefix, results)
        time.sleep(max(0, STALL_SECONDS + 1 - (time.monotonic() - stall_start)))
        run_steps(uri, names, FINAL_STEPS, prefix, results)
        end = time.monotonic() + 60
        while time.monotonic() < end and "shut off" not in \
                virsh(uri, names["ga"], ["domstate"])["stdout"]:
            time.sleep(0.5)
        results["ga-state-after-shutdown"] = {
            "args": ["domstate", "--reason"],
            "stdout": virsh(uri, names["ga"], ["domstate", "--reason"])["stdout"]}
    finally:
        time.sleep(1)
        events.terminate()
        out = events.communicate()[0]
        results["events"] = [list(m.groups()) for m in EVENT_LINE.finditer(out)]
    return results


def start_and_wait(uri, guest, name, console):
    if os.path.exists(console):
        os.unlink(console)
    r = virsh(uri, name, ["start"])
    if r["rc"] != 0:
        raise RuntimeError(f"start {name}: {r['stderr']}")
    guest.wait_for_console(console, guest.READY, timeout=180)
