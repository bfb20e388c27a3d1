"""Session mode: virtqemud run by an ordinary user (`nobody`, with a home
of its own) keeps everything in libvirt's per-user places, answers
qemu:///session, runs a guest with user-mode networking and attempts no
privileged operation.  Debian's virsh drives it as that user."""
import os
import subprocess
import sys
import unittest

from harness import (TinyGuestMixin, Unprivileged, daemon_path, file_tree, wait_for)

SESSION = "qemu:///session"
# where a system daemon would have written
SYSTEM_PLACES = ("/run/libvirt", "/etc/libvirt", "/var/lib/libvirt", "/var/log/libvirt",
                 "/var/cache/libvirt")


class SessionModeTest(TinyGuestMixin, unittest.TestCase):
    def setUp(self):
        self.system_before = {top: file_tree(top) for top in SYSTEM_PLACES}
        self.user = Unprivileged()
        self.addCleanup(self.user.remove)
        self.runtime = os.path.join(self.user.env["XDG_RUNTIME_DIR"], "libvirt")
        self.config = os.path.join(self.user.env["XDG_CONFIG_HOME"], "libvirt")
        self.cache = os.path.join(self.user.env["XDG_CACHE_HOME"], "libvirt")
        self.log = open(os.path.join(self.user.home, "virtqemud.stderr"), "wb")
        self.proc = subprocess.Popen(self.user.argv([daemon_path("virtqemud"), "--verbose"]),
                                     stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        self.addCleanup(self.stop_daemon)
        sock = os.path.join(self.runtime, "virtqemud-sock")
        wait_for(lambda: os.path.exists(sock) or self.proc.poll() is not None,
                 what="the session socket")
        self.assertIsNone(self.proc.poll(), self.stderr())

    def stop_daemon(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        subprocess.run(["pkill", "-KILL", "-f", f"qemu-system.*{self.user.home}/"])
        self.log.close()

    def stderr(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()[-3000:]

    def virsh(self, *args):
        return self.user.run(["virsh", "-c", SESSION] + list(args))

    def virsh_ok(self, *args):
        r = self.virsh(*args)
        self.assertEqual(r.returncode, 0, f"virsh {args}: {r.stderr}\n--- daemon ---\n{self.stderr()}")
        return r.stdout

    def guest_xml(self, name, interface):
        # /dev/kvm is the user's only if the host lets it (Debian: group kvm)
        virt = self.virt_type if self.user.can_use_kvm() else "qemu"
        sys.stderr.write(f"[session] /dev/kvm usable by {self.user.USER}: "
                         f"{self.user.can_use_kvm()}; domain type {virt}\n")
        xml = self.guest.domain_xml(name, self.kernel, self.initrd,
                                    os.path.join(self.user.home, f"{name}.console"),
                                    virt_type=virt)
        return self.user.write(f"{name}.xml", xml.replace("<memballoon",
                                                          interface + "\n    <memballoon"))

    def test_sockets_and_uri(self):
        self.assertEqual(sorted(os.listdir(self.runtime)),
                         ["virtqemud-admin-sock", "virtqemud-sock", "virtqemud.pid"])
        self.assertEqual(os.stat(self.runtime).st_mode & 0o777, 0o700)
        self.assertEqual(self.virsh_ok("uri").strip(), SESSION)

    def test_guest_with_user_networking(self):
        xml = self.guest_xml("s1", "<interface type='user'><model type='virtio'/></interface>")
        self.virsh_ok("define", xml)
        self.assertTrue(os.path.isfile(os.path.join(self.config, "qemu", "s1.xml")))
        self.virsh_ok("start", "s1")
        self.guest.wait_for_console(os.path.join(self.user.home, "s1.console"), self.guest.READY,
                                    timeout=self.guest.boot_timeout("qemu"))
        self.assertRegex(self.virsh_ok("list"), r"\bs1\s+running")
        self.assertIn("<interface type='user'>", self.virsh_ok("dumpxml", "s1"))
        # libvirt's session places: status, private directory, log
        self.assertTrue(os.path.isfile(os.path.join(self.runtime, "qemu", "run", "s1.xml")))
        self.assertTrue(os.path.isdir(os.path.join(self.config, "qemu", "lib", "domain-1-s1")))
        self.assertTrue(os.path.isfile(os.path.join(self.cache, "qemu", "log", "s1.log")))
        qemu = subprocess.run(["pgrep", "-u", self.user.USER, "-f", "guest=s1,"],
                              capture_output=True, text=True).stdout.split()
        self.assertEqual(len(qemu), 1, "QEMU runs as the user")
        self.virsh_ok("destroy", "s1")
        self.virsh_ok("undefine", "s1")
        self.assertNotIn("s1", self.virsh_ok("list", "--all"))
        self.assertFalse(os.path.exists(os.path.join(self.config, "qemu", "s1.xml")))
        for top, before in self.system_before.items():
            self.assertEqual(file_tree(top) - before, set(), f"new files under {top}")

    def test_bridge_interface_refused(self):
        xml = self.guest_xml("b1", "<interface type='bridge'><source bridge='virbr0'/></interface>")
        self.virsh_ok("define", xml)
        r = self.virsh("start", "b1")
        self.assertNotEqual(r.returncode, 0)
        # QEMU's bridge helper is asked, as libvirt does; here it is not setuid
        # and has no /etc/qemu/bridge.conf: libvirt's error with its stderr
        self.assertRegex(r.stderr, r"qemu-bridge-helper (--use-vnet )?--br=virbr0 --fd=\d+: "
                                   r"failed to communicate with bridge helper: stderr=")
        sys.stderr.write(f"[session] bridge interface: {r.stderr.strip()}\n")
        self.assertIn("shut off", self.virsh_ok("domstate", "b1"))
        self.virsh_ok("undefine", "b1")


if __name__ == "__main__":
    unittest.main()
