"""virtqemud as a container runtime runs it, without one: new mount and pid
namespaces (`unshare --mount --pid --fork --mount-proc`), a private root
directory (a tmpfs only the namespace sees) with only the socket directory
shared with the test (a bind mount), an ordinary user, the foreground,
configuration from --root, --config and the environment, logs on stderr.
SIGTERM ends the daemon and leaves its guest running; the next instance
takes it back.

The namespace's first process is the init we ship for containers
(units/container/virtkit-init): a pid namespace ends, with every process in
it, when that process exits, so it stays while daemons come and go, and
starts the next instance when one ends."""
import os
import signal
import subprocess
import tempfile
import unittest

from harness import TinyGuestMixin, Unprivileged, daemon_path, wait_for, virsh

VIRTKIT_INIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "units",
                            "container", "virtkit-init")

# what the container's init does before it hands over to the daemon
INIT = r"""
set -e
mount -t tmpfs -o mode=0755 virtkit-root "$ROOT"
mkdir -p "$ROOT/run/libvirt" "$ROOT/etc/virtkit"
mount --bind "$SOCKDIR" "$ROOT/run/libvirt"
printf 'unix_sock_rw_perms = "0770"\nunix_sock_admin_perms = "0700"\n' > "$ROOT/etc/virtkit/virtqemud.conf"
chown -R nobody:nogroup "$ROOT"
exec "$VIRTKIT_INIT" "$@"
"""


class ContainerStyleTest(TinyGuestMixin, unittest.TestCase):
    def setUp(self):
        self.user = Unprivileged()   # setpriv as nobody; its home is not used here
        self.addCleanup(self.user.remove)
        self.top = tempfile.mkdtemp(prefix="virtkit-ctr-")
        os.chmod(self.top, 0o755)   # the user reaches its root and sockets through it
        self.root = os.path.join(self.top, "root")      # mounted over inside only
        self.sockdir = os.path.join(self.top, "sockets")
        os.mkdir(self.root)
        os.mkdir(self.sockdir)
        os.chown(self.sockdir, self.user.uid, -1)
        self.log_path = os.path.join(self.top, "container.stderr")
        self.init = None
        self.addCleanup(self.end_container)

    def daemon_argv(self):
        # the environment is the container's: log level and output from it
        return self.user.argv([daemon_path("virtqemud"), "--root", self.root,
                               "--config", f"{self.root}/etc/virtkit/virtqemud.conf"],
                              env={"LIBVIRT_DEBUG": "info", "LIBVIRT_LOG_OUTPUTS": "2:stderr"})

    def start_container(self):
        log = open(self.log_path, "ab")
        self.init = subprocess.Popen(
            ["unshare", "--mount", "--pid", "--fork", "--mount-proc",
             "sh", "-c", INIT, "init"] + self.daemon_argv(),
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "ROOT": self.root,
                 "SOCKDIR": self.sockdir, "VIRTKIT_INIT": VIRTKIT_INIT},
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        self.wait_daemon()

    def wait_daemon(self):
        try:
            wait_for(lambda: self.daemon_pid() and self.accepting(), timeout=20)
        except TimeoutError:
            self.fail(f"virtqemud in the container did not come up:\n{self.stderr()}")

    def end_container(self):
        if self.init and self.init.poll() is None:
            # the namespace's init: the kernel ends everything in it too
            ns_init = subprocess.run(["pgrep", "-P", str(self.init.pid)], capture_output=True,
                                     text=True).stdout.split()
            for pid in ns_init:
                os.kill(int(pid), signal.SIGKILL)
            self.init.wait(10)
        subprocess.run(["pkill", "-KILL", "-f", f"qemu-system.*{self.root}/"])
        subprocess.run(["rm", "-rf", self.top])

    def ns_init_pid(self):
        return int(subprocess.run(["pgrep", "-P", str(self.init.pid)], capture_output=True,
                                  text=True).stdout.split()[0])

    def daemon_pid(self):
        out = subprocess.run(["pgrep", "-f", f"^{daemon_path('virtqemud')} --root {self.root} "],
                             capture_output=True, text=True).stdout.split()
        return int(out[0]) if len(out) == 1 else None

    def accepting(self):
        import socket
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.connect(os.path.join(self.sockdir, "virtqemud-sock"))
            return True
        except OSError:
            return False

    def stderr(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()[-3000:]

    def uri(self):
        return f"qemu+unix:///system?socket={self.sockdir}/virtqemud-sock"

    def virsh_ok(self, *args):
        r = virsh(self.uri(), *args)
        self.assertEqual(r.returncode, 0, f"virsh {args}: {r.stderr}\n--- container ---\n"
                                          f"{self.stderr()}")
        return r.stdout

    def qemu_pids(self):
        return subprocess.run(["pgrep", "-f", f"guest=c1,.*{self.root}/"], capture_output=True,
                              text=True).stdout.split()

    def console(self):
        # what `podman exec cat` would show: the file in the private root
        path = f"/proc/{self.ns_init_pid()}/root{self.root}/c1.console"
        return self.guest.read_console(path)

    def test_guest_outlives_the_daemon(self):
        self.start_container()
        # only the socket directory is visible from here, with --config's perms
        self.assertEqual(os.listdir(self.root), [])
        self.assertEqual(sorted(os.listdir(self.sockdir)),
                         ["virtqemud-admin-sock", "virtqemud-sock", "virtqemud-sock-ro"])
        self.assertEqual(os.stat(os.path.join(self.sockdir, "virtqemud-sock")).st_mode & 0o777,
                         0o770)
        self.assertEqual(os.stat(os.path.join(self.sockdir, "virtqemud-sock")).st_uid,
                         self.user.uid)
        self.assertIn("virtqemud: ready", self.stderr())

        virt = self.virt_type if self.user.can_use_kvm() else "qemu"
        xml = self.guest.domain_xml("c1", self.kernel, self.initrd,
                                    f"{self.root}/c1.console", virt_type=virt)
        xml_path = os.path.join(self.top, "c1.xml")
        with open(xml_path, "w") as f:
            f.write(xml)
        self.virsh_ok("define", xml_path)
        self.virsh_ok("start", "c1")
        wait_for(lambda: self.guest.READY in self.console(),
                 timeout=self.guest.boot_timeout(virt), what="the guest's ready line")
        qemu = self.qemu_pids()
        self.assertEqual(len(qemu), 1)

        # SIGTERM to the daemon alone: it ends cleanly (status 0), the guest
        # stays, and the container's init starts the next instance
        first = self.daemon_pid()
        os.kill(first, signal.SIGTERM)
        wait_for(lambda: "ended (0); starting it again" in self.stderr(), what="the daemon to exit")
        self.assertIn("virtqemud: stopping", self.stderr())
        self.assertEqual(self.qemu_pids(), qemu, "the guest outlives the daemon")
        wait_for(lambda: self.daemon_pid() not in (None, first), what="the next instance")
        self.wait_daemon()
        self.assertNotEqual(self.daemon_pid(), first)
        self.assertRegex(self.virsh_ok("list"), r"\bc1\s+running")
        self.assertEqual(self.qemu_pids(), qemu)
        self.assertIn("c1", self.virsh_ok("qemu-monitor-command", "c1", "--hmp", "info name"))

        self.virsh_ok("destroy", "c1")
        self.virsh_ok("undefine", "c1")
        wait_for(lambda: not self.qemu_pids(), what="QEMU to go")
        # SIGTERM to the container's init (the runtime stopping it)
        os.kill(self.ns_init_pid(), signal.SIGTERM)
        self.assertEqual(self.init.wait(10), 0, self.stderr())
        self.assertIsNone(self.daemon_pid())


if __name__ == "__main__":
    unittest.main()
