"""Shared helpers for integration tests: start real Virtkit daemons under a
temporary --root and talk to them with real clients (Debian's virsh and
python3-libvirt, our CLI, raw sockets)."""
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

BUILD = os.environ.get("VIRTKIT_BUILD") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build")
BUILD = os.path.abspath(BUILD)
VIRSH = shutil.which("virsh") or "/usr/bin/virsh"

REMOTE_PROG = 0x20008086
KEEPALIVE_PROG = 0x6B656570


def read_text(path):
    """A log file's text so far, "" when there is none yet."""
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


# The tests' guests run from files under their temporary --root (0700):
# QEMU runs as root there, as the reference libvirtd on this machine is
# configured (libvirt's default for system mode is the libvirt-qemu user,
# which test_dac.py covers).
TEST_QEMU_CONF = 'user = "root"\ngroup = "root"\n'


def write_test_qemu_conf(root):
    """qemu.conf for a test root, unless the test wrote its own."""
    path = os.path.join(root, "etc", "libvirt", "qemu.conf")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(TEST_QEMU_CONF)


def daemon_path(name):
    return os.path.join(BUILD, "daemons", name)


def tool_path(name):
    return os.path.join(BUILD, "tools", name)


class Daemon:
    """One daemon started for real under its own root directory."""

    def __init__(self, name="virtqemud", root=None, config=None, args=(), wrapper=()):
        self.name = name
        self.wrapper = list(wrapper)   # e.g. ["ip", "netns", "exec", NS]
        self.own_root = root is None
        self.root = root or tempfile.mkdtemp(prefix="virtkit-test-")
        self.args = list(args)
        self.proc = None
        self.log_path = os.path.join(self.root, f"{name}.stderr")
        write_test_qemu_conf(self.root)
        if config is not None:
            os.makedirs(os.path.join(self.root, "etc", "libvirt"), exist_ok=True)
            with open(self.config_path(), "w") as f:
                f.write(config)

    def config_path(self):
        return os.path.join(self.root, "etc", "libvirt", f"{self.name}.conf")

    def socket(self, kind="sock"):
        return os.path.join(self.root, "run", "libvirt", f"{self.name}-{kind}")

    # the URI scheme of each daemon's own driver
    SCHEMES = {"virtqemud": "qemu", "virtnetworkd": "network", "virtstoraged": "storage",
               "virtnodedevd": "nodedev"}

    def uri(self, kind="sock"):
        scheme = self.SCHEMES.get(self.name, "qemu")
        return f"{scheme}+unix:///system?socket={self.socket(kind)}"

    def start(self, wait=True):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            self.wrapper + [daemon_path(self.name), "--root", self.root] + self.args,
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        if wait:
            # A socket file may be left over from a killed daemon: wait until
            # this one accepts connections.
            wait_for(lambda: self.accepting() or self.proc.poll() is not None,
                     what=f"{self.name} socket")
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.proc.returncode}: {self.stderr()}")
        return self

    def accepting(self):
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(self.socket())
            return True
        except OSError:
            return False

    def stderr(self):
        return read_text(self.log_path)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.alive():
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError(f"{self.name} did not stop on signal {sig}")
        return self.proc.returncode if self.proc else None

    def kill_guests(self):
        """Kill the QEMU processes of this daemon's guests (their monitor
        sockets live under our root), so a failed test leaves none behind."""
        out = subprocess.run(["pgrep", "-f", f"qemu-system.*{self.root}/"],
                             capture_output=True, text=True).stdout
        for pid in out.split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass

    def kill_dnsmasq(self):
        """dnsmasq of this root's networks outlives its daemon by design (a
        restarted virtnetworkd takes it back): end it with the test."""
        subprocess.run(["pkill", "-KILL", "-f", f"dnsmasq.*{self.root}/"], check=False)

    def cleanup(self):
        try:
            self.stop()
        finally:
            self.kill_guests()
            self.kill_dnsmasq()
            if self.own_root:
                shutil.rmtree(self.root, ignore_errors=True)


_event_loop_started = False


def start_libvirt_event_loop():
    """python3-libvirt delivers events (and answers keepalive) only while an
    event loop runs: start one thread for it, once per test process."""
    global _event_loop_started
    if _event_loop_started:
        return
    import libvirt
    import threading

    libvirt.virEventRegisterDefaultImpl()

    def loop():
        while True:
            libvirt.virEventRunDefaultImpl()

    threading.Thread(target=loop, daemon=True).start()
    _event_loop_started = True


def wait_for(cond, timeout=10.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


def run(cmd, timeout=60, env=None):
    full_env = dict(os.environ)
    full_env.setdefault("LC_ALL", "C")
    if env:
        full_env.update(env)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=full_env)


def virsh(uri, *args, readonly=False, timeout=60):
    cmd = [VIRSH, "-c", uri] + (["-r"] if readonly else []) + list(args)
    return run(cmd, timeout=timeout)


class TinyGuestMixin:
    """Test cases that boot the tiny Linux guest of tests/guest: it is built
    (or found in the build tree's cache) once per class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "guest"))
        import guest
        cls.guest = guest
        cache = os.path.join(BUILD, "guest-cache")
        cls.kernel, cls.initrd = guest.build(cache)
        cls.virt_type = guest.virt_type(cache, cls.kernel, cls.initrd)
        cls.boot_timeout = guest.boot_timeout(cls.virt_type)
        sys.stderr.write(f"[guest] domain type {cls.virt_type}\n")


class VirshMixin:
    """Debian's virsh against self.daemon, for the test cases that have one."""

    def virsh_ok(self, *args):
        r = virsh(self.daemon.uri(), *args)
        self.assertEqual(r.returncode, 0, f"virsh {' '.join(args)}: {r.stderr}"
                                          f"\n--- daemon ---\n{self.daemon.stderr()[-2000:]}")
        return r.stdout

    def virsh_fails(self, *args):
        r = virsh(self.daemon.uri(), *args)
        self.assertNotEqual(r.returncode, 0, f"virsh {' '.join(args)} worked: {r.stdout}")
        return r.stderr

    def write(self, name, text):
        """TEXT as the file NAME in the daemon's root; its path."""
        path = os.path.join(self.daemon.root, name)
        with open(path, "w") as f:
            f.write(text)
        return path


def virtkit(uri, *args, readonly=False):
    """Our CLI, as virsh() runs Debian's."""
    cmd = [tool_path("virtkit"), "-c", uri] + (["-r"] if readonly else []) + list(args)
    return run(cmd)


class CliCompareMixin:
    """Our CLI against Debian's virsh on self.uri: same exit code, output and
    error lines."""

    def check_same(self, ours, theirs, what, ok):
        """OK: whether virsh should succeed (None: either way)."""
        if ok is not None:
            self.assertEqual(theirs.returncode == 0, ok, f"virsh {what}: {theirs.stderr}")
        self.assertEqual(ours.returncode, theirs.returncode, f"{what}: {ours.stderr}")
        self.assertEqual(ours.stdout, theirs.stdout, what)
        self.assertEqual(ours.stderr, theirs.stderr, what)

    def assertSame(self, *args, ok=True, readonly=False, normalise=None):
        """A command that changes nothing: run both now."""
        ours = virtkit(self.uri, *args, readonly=readonly)
        theirs = virsh(self.uri, *args, readonly=readonly)
        if normalise:
            for r in (ours, theirs):
                r.stdout = normalise(r.stdout)
        self.check_same(ours, theirs, " ".join(args), ok)
        return ours

    def assertSameChange(self, setup, *args, ok=True):
        """A command that changes the object: SETUP, ours; SETUP, virsh."""
        setup()
        ours = virtkit(self.uri, *args)
        setup()
        theirs = virsh(self.uri, *args)
        self.check_same(ours, theirs, " ".join(args), ok)
        return ours


class DaemonTestCase(unittest.TestCase):
    """A test case with one virtqemud per test."""
    daemon_name = "virtqemud"
    daemon_config = None
    daemon_args = ()

    def setUp(self):
        self.daemon = Daemon(self.daemon_name, config=self.daemon_config,
                             args=self.daemon_args).start()

    def tearDown(self):
        still_alive = self.daemon.alive()
        log = self.daemon.stderr()
        self.daemon.cleanup()
        self.assertTrue(still_alive, f"daemon died during the test:\n{log}")


# --- raw protocol access, for robustness tests ---------------------------

def frame(prog, vers, proc, mtype=0, serial=1, status=0, payload=b""):
    body = struct.pack(">IIiIII", prog, vers, proc, mtype, serial, status) + payload
    return struct.pack(">I", len(body) + 4) + body


def xdr_string(s):
    data = s.encode()
    pad = (4 - len(data) % 4) % 4
    return struct.pack(">I", len(data)) + data + b"\0" * pad


def read_frame(sock, timeout=5.0):
    """One frame as (header tuple, payload), or None on EOF."""
    sock.settimeout(timeout)
    head = recv_exact(sock, 4)
    if head is None:
        return None
    (length,) = struct.unpack(">I", head)
    body = recv_exact(sock, length - 4)
    if body is None:
        return None
    return struct.unpack(">IIiIII", body[:24]), body[24:]


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def decode_error(payload):
    """(code, domain, message) of an XDR-encoded libvirt error record."""
    code, domain, present = struct.unpack(">iiI", payload[:12])
    message = None
    if present:
        (n,) = struct.unpack(">I", payload[12:16])
        message = payload[16:16 + n].decode()
    return code, domain, message


def connect_raw(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


# --- systemd units and socket activation --------------------------------

UNITS = os.path.join(BUILD, "units")
ACTIVATE = shutil.which("systemd-socket-activate") or "/usr/bin/systemd-socket-activate"
DAEMONS = ["virtqemud", "virtnetworkd", "virtstoraged", "virtnodedevd", "virtproxyd"]


def read_unit(name):
    """The entries of a generated unit file as {section: [(key, value)]}."""
    sections, current = {}, None
    with open(os.path.join(UNITS, name)) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                current = sections.setdefault(line.strip("[]"), [])
            else:
                key, _, value = line.partition("=")
                current.append((key, value))
    return sections


def unit_values(unit, section, key):
    return [v for k, v in unit.get(section, []) if k == key]


def unit_sockets(name, root):
    """The three sockets NAME's units listen on (read-write, read-only,
    admin), as [(path under ROOT, FileDescriptorName)]."""
    out = []
    for kind in ("", "-ro", "-admin"):
        unit = read_unit(f"{name}{kind}.socket")
        (listen,) = unit_values(unit, "Socket", "ListenStream")
        (fdname,) = unit_values(unit, "Socket", "FileDescriptorName")
        out.append((root + listen, fdname))
    return out


def unit_args(name):
    """The daemon arguments NAME.service starts it with ($NAME_ARGS)."""
    var = name.upper() + "_ARGS"
    for env in unit_values(read_unit(f"{name}.service"), "Service", "Environment"):
        key, _, value = env.partition("=")
        if key == var:
            return value.strip('"').split()
    return []


class SocketActivated:
    """NAME started as systemd would from its units, the sockets under ROOT.

    With spawn="systemd-socket-activate", that tool binds the sockets and
    execs the daemon (one life).  With spawn="holder", this object holds the
    listening sockets as a socket unit does and starts the daemon again
    (LISTEN_FDS, LISTEN_FDNAMES) whenever a connection waits and the daemon
    is not running: an idle exit (--timeout) is followed by a restart on
    the next connection, as under systemd."""

    def __init__(self, name, root, timeout=None, spawn="holder"):
        self.name, self.root = name, root
        self.sockets = unit_sockets(name, root)
        args = unit_args(name)
        if timeout is not None and "--timeout" in args:
            args[args.index("--timeout") + 1] = str(timeout)
        self.args = ["--root", root] + args
        self.log_path = os.path.join(root, f"{name}.activated.log")
        self.proc = None
        self.starts = 0
        self.listeners = []
        self.lock = threading.Lock()
        os.makedirs(os.path.join(root, "run", "libvirt"), exist_ok=True)
        write_test_qemu_conf(root)
        if spawn == "systemd-socket-activate":
            self._exec_under_activate()
        else:
            self._listen()

    def path(self, kind=0):
        return self.sockets[kind][0]

    def _exec_under_activate(self):
        cmd = [ACTIVATE]
        for path, _ in self.sockets:
            cmd += ["-l", path]
        cmd += ["--fdname=" + ":".join(n for _, n in self.sockets), daemon_path(self.name)]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd + self.args, stdout=log, stderr=log,
                                         stdin=subprocess.DEVNULL)
        self.starts = 1
        wait_for(lambda: all(os.path.exists(p) for p, _ in self.sockets),
                 what=f"{self.name} activated sockets")

    def _listen(self):
        import selectors
        for path, _ in self.sockets:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(path)
            s.listen(64)
            self.listeners.append(s)
        self.stopping = False
        self.selector = selectors.DefaultSelector()
        for s in self.listeners:
            self.selector.register(s, selectors.EVENT_READ)
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self):
        while not self.stopping:
            with self.lock:
                running = self.proc is not None and self.proc.poll() is None
            if running:
                time.sleep(0.02)
                continue
            if self.selector.select(timeout=0.05) and not self.stopping:
                self._spawn()

    def _spawn(self):
        fds = [s.fileno() for s in self.listeners]

        def hand_over():
            # the listening sockets become fds 3, 4, 5 (sd_listen_fds(3))
            high = [os.dup(fd) for fd in fds]
            for i, fd in enumerate(high):
                os.dup2(fd, 3 + i)

        env = dict(os.environ, LISTEN_FDS=str(len(fds)),
                   LISTEN_FDNAMES=":".join(n for _, n in self.sockets))
        with open(self.log_path, "ab") as log, self.lock:
            self.proc = subprocess.Popen(
                ["/bin/sh", "-c", 'LISTEN_PID=$$ exec "$0" "$@"', daemon_path(self.name)]
                + self.args, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                preexec_fn=hand_over, pass_fds=tuple(range(3, 3 + len(fds))))
            self.starts += 1

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Stop the daemon (its sockets stay, as a socket unit's do)."""
        with self.lock:
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(sig)
            proc.wait(timeout)
        return proc.returncode if proc else None

    def log(self):
        return read_text(self.log_path)

    def close(self):
        if self.listeners:
            self.stopping = True
            self.thread.join(5)
        if self.alive():
            self.proc.kill()
            self.proc.wait()
        for s in self.listeners:
            s.close()



# --- an ordinary user, for session mode and container-style runs ----------

class Unprivileged:
    """Commands run as `nobody` with a throwaway home of its own (HOME and
    the XDG directories under it); remove() deletes the home."""
    USER, GROUP = "nobody", "nogroup"

    def __init__(self):
        import pwd
        self.uid = pwd.getpwnam(self.USER).pw_uid
        self.home = tempfile.mkdtemp(prefix="virtkit-user-")
        os.chown(self.home, self.uid, -1)
        self.env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "HOME": self.home,
                    "XDG_RUNTIME_DIR": os.path.join(self.home, "run"),
                    "XDG_CONFIG_HOME": os.path.join(self.home, "config"),
                    "XDG_CACHE_HOME": os.path.join(self.home, "cache")}
        self.run(["mkdir", "-m", "0700", self.env["XDG_RUNTIME_DIR"]], check=True)

    def argv(self, cmd, env=None):
        full = dict(self.env, **(env or {}))
        return (["setpriv", f"--reuid={self.USER}", f"--regid={self.GROUP}", "--clear-groups",
                 "env", "-i"] + [f"{k}={v}" for k, v in full.items()] + list(cmd))

    def run(self, cmd, check=False, timeout=60):
        r = subprocess.run(self.argv(cmd), capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"{cmd} as {self.USER}: {r.stderr}")
        return r

    def can_use_kvm(self):
        return self.run(["test", "-r", "/dev/kvm", "-a", "-w", "/dev/kvm"]).returncode == 0

    def write(self, name, text):
        path = os.path.join(self.home, name)
        with open(path, "w") as f:
            f.write(text)
        os.chown(path, self.uid, -1)
        return path

    def remove(self):
        shutil.rmtree(self.home, ignore_errors=True)


def file_tree(top):
    """Every path under TOP (a set), to show that a run left nothing there."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(top):
        found.update(os.path.join(dirpath, n) for n in dirnames + filenames)
    return found
