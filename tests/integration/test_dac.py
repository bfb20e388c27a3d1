"""libvirt's DAC security driver in our virtqemud: QEMU runs as qemu.conf's
user and group, what it opens is chowned to them while it runs (the original
owner remembered in trusted.libvirt.security.* xattrs) and given back at
stop and unplug, and a guest whose image that user cannot reach is refused
with libvirt's error.  virsh dominfo's security lines and Messages (taint
flags), the live <seclabel> and the capabilities' <secmodel> are compared
with what libvirtd 9.0 prints (tests/data/dac, made by record.sh there).

The guests run as libvirt-qemu with TCG: this machine has no kvm group and
/dev/kvm is root's only (libvirt relies on that group too)."""
import os
import pwd
import grp
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guests  # noqa: E402
from harness import Daemon, TinyGuestMixin, VirshMixin, wait_for  # noqa: E402

DATA = os.path.join(HERE, "..", "data", "dac")
libvirt.registerErrorHandler(lambda ctx, err: None, None)
USER = "libvirt-qemu"
XATTRS = ("trusted.libvirt.security.dac", "trusted.libvirt.security.ref_dac",
          "trusted.libvirt.security.timestamp_dac")


def expected(name):
    with open(os.path.join(DATA, name)) as f:
        return f.read()


def boot_time():
    with open("/proc/stat") as f:
        return next(line.split()[1] for line in f if line.startswith("btime "))


def owner(path):
    st = os.stat(path)
    return st.st_uid, st.st_gid


def xattrs(path):
    try:
        names = os.listxattr(path)
    except OSError:   # a file system without xattrs
        return {}
    return {a: os.getxattr(path, a).decode() for a in names if a.startswith("trusted.libvirt.")}


def proc_ids(pid):
    """(uid, gid, groups, effective capabilities) of a process."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.split()
    return (int(fields["Uid"][0]), int(fields["Gid"][0]),
            sorted(int(g) for g in fields["Groups"]), int(fields["CapEff"][0], 16))


def security_lines(dominfo):
    return dominfo[dominfo.index("Security model:"):]


class DacTestCase(VirshMixin, unittest.TestCase):
    qemu_conf = None     # None: the harness' (QEMU as root)
    virt_type = "kvm"

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="virtkit-dac-")
        os.chmod(self.root, 0o755)   # QEMU's user must reach the images
        self.images = os.path.join(self.root, "images")
        os.mkdir(self.images, 0o755)
        if self.qemu_conf is not None:
            os.makedirs(os.path.join(self.root, "etc", "libvirt"))
            with open(os.path.join(self.root, "etc", "libvirt", "qemu.conf"), "w") as f:
                f.write(self.qemu_conf)
        self.daemon = Daemon(root=self.root).start()

    def tearDown(self):
        self.daemon.cleanup()
        shutil.rmtree(self.root, ignore_errors=True)

    def image(self, name, directory=None):
        return guests.disk_image(directory or self.images, name, "8M")

    def define(self, name, devices, extra=""):
        xml = guests.minimal(name, devices=devices, extra=extra).replace(
            "type='kvm'", f"type='{self.virt_type}'", 1)
        self.virsh_ok("define", self.write(f"{name}.xml", xml))

    def qemu_pid(self, name):
        pids = guests.qemu_pids(self.root, name)
        self.assertEqual(len(pids), 1, pids)
        return pids[0]


HAVE_USER = any(p.pw_name == USER for p in pwd.getpwall())


class LibvirtQemuCase(DacTestCase):
    """qemu.conf: QEMU runs as libvirt-qemu."""
    qemu_conf = f'user = "{USER}"\ngroup = "{USER}"\n'
    virt_type = "qemu"

    def setUp(self):
        super().setUp()
        self.uid = pwd.getpwnam(USER).pw_uid
        self.gid = grp.getgrnam(USER).gr_gid

    def assert_given(self, path):
        self.assertEqual(owner(path), (self.uid, self.gid))
        self.assertEqual(xattrs(path), {XATTRS[0]: "+0:+0", XATTRS[1]: "1",
                                        XATTRS[2]: boot_time()})

    def assert_given_back(self, path):
        self.assertEqual(owner(path), (0, 0))
        self.assertEqual(xattrs(path), {})


@unittest.skipUnless(HAVE_USER, f"no user {USER}")
class AsLibvirtQemu(LibvirtQemuCase):
    def test_qemu_runs_as_the_user_and_owns_its_image_while_it_runs(self):
        img = self.image("a")
        self.define("dac-a", guests.file_disk(img))
        self.virsh_ok("start", "dac-a")
        uid, gid, groups, caps = proc_ids(self.qemu_pid("dac-a"))
        self.assertEqual((uid, gid), (self.uid, self.gid))
        self.assertEqual(groups, sorted(os.getgrouplist(USER, self.gid)))
        self.assertEqual(caps, 0, "QEMU kept capabilities")
        self.assert_given(img)
        live = self.virsh_ok("dumpxml", "dac-a")
        label = f"+{self.uid}:+{self.gid}"
        self.assertIn(expected("seclabel-root.xml").replace("+0:+0", label), live)
        self.assertNotIn("<seclabel", self.virsh_ok("dumpxml", "--inactive", "dac-a"))
        # not root: no taint (libvirtd's dominfo without its Messages line)
        self.assertEqual(security_lines(self.virsh_ok("dominfo", "dac-a")),
                         expected("dominfo-shutoff.txt"))
        self.assertIn(f"<baselabel type='kvm'>{label}</baselabel>",
                      self.virsh_ok("capabilities"))
        self.virsh_ok("destroy", "dac-a")
        self.assert_given_back(img)

    def test_screenshot_file_is_qemus_to_write(self):
        img = self.image("s")
        self.define("dac-s", guests.file_disk(img) + "<video><model type='vga'/></video>")
        self.virsh_ok("start", "dac-s")
        shot = os.path.join(self.root, "shot.ppm")
        self.virsh_ok("screenshot", "dac-s", shot)
        with open(shot, "rb") as f:
            self.assertEqual(f.read(4), b"\x89PNG")
        self.virsh_ok("destroy", "dac-s")

    def test_owner_given_back_after_a_daemon_restart(self):
        img = self.image("b")
        self.define("dac-b", guests.file_disk(img))
        self.virsh_ok("start", "dac-b")
        pid = self.qemu_pid("dac-b")
        self.daemon.stop()
        self.assert_given(img)
        self.daemon.start()
        self.assertEqual(self.qemu_pid("dac-b"), pid)
        self.assert_given(img)
        self.virsh_ok("destroy", "dac-b")
        self.assert_given_back(img)

    def test_read_only_media_stay_readable(self):
        img = self.image("c")
        ro = self.image("ro")
        self.define("dac-c", guests.file_disk(img) +
                    guests.file_disk(ro, "vdb", "\n      <readonly/>"))
        self.virsh_ok("start", "dac-c")
        self.assertEqual(owner(ro), (self.uid, self.gid))
        self.assertEqual(xattrs(ro), {})     # never remembered, never given back
        self.virsh_ok("destroy", "dac-c")
        self.assertEqual(owner(ro), (self.uid, self.gid))
        self.assert_given_back(img)

    def test_socket_a_chardev_connects_to_is_given_and_back(self):
        path = os.path.join(self.images, "ext.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(server.close)
        server.bind(path)
        server.listen(1)
        self.define("dac-k", guests.file_disk(self.image("k")) + f"""
    <serial type='unix'><source mode='connect' path='{path}'/></serial>""")
        self.virsh_ok("start", "dac-k")
        self.assert_given(path)
        self.virsh_ok("destroy", "dac-k")
        self.assert_given_back(path)

    def test_guest_agent_channel_directory_is_qemus(self):
        # QEMU makes the agent's socket in libvirt's channel directory
        self.define("dac-g", guests.file_disk(self.image("g")) + """
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>""")
        self.virsh_ok("start", "dac-g")
        live = self.virsh_ok("dumpxml", "dac-g")
        sock = re.search(r"<source mode='bind' path='([^']+)'", live).group(1)
        self.assertEqual(owner(os.path.dirname(sock)), (self.uid, self.gid))
        self.assertEqual(owner(sock), (self.uid, self.gid))
        self.virsh_ok("destroy", "dac-g")

    def test_backing_chain_is_given_and_kept(self):
        # QEMU reads the layers below the image: given, never taken back
        base = self.image("base")
        os.chmod(base, 0o600)
        top = os.path.join(self.images, "top.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.qcow2",
                        "-F", "qcow2", top], check=True)
        self.define("dac-g", guests.file_disk(top))
        self.virsh_ok("start", "dac-g")
        self.assert_given(top)
        self.assertEqual(owner(base), (self.uid, self.gid))
        self.assertEqual(xattrs(base), {})
        self.virsh_ok("destroy", "dac-g")
        self.assert_given_back(top)
        self.assertEqual(owner(base), (self.uid, self.gid))

    def test_missing_backing_file_as_libvirtd_says(self):
        top = os.path.join(self.images, "orphan.qcow2")
        missing = os.path.join(self.images, "gone.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", missing,
                        "-F", "qcow2", top, "8M"], check=True)
        self.define("dac-h", guests.file_disk(top))
        err = self.virsh_fails("start", "dac-h")
        self.assertIn(f"error: Cannot access backing file '{missing}' of storage file '{top}' "
                      f"(as uid:{self.uid}, gid:{self.gid}): No such file or directory", err)
        self.assertEqual(owner(top), (0, 0))

    def test_hotplugged_disk_is_given_and_back_at_stop(self):
        img = self.image("d")
        hot = self.image("hot")
        self.define("dac-d", guests.file_disk(img))
        self.virsh_ok("start", "dac-d")
        self.virsh_ok("attach-device", "dac-d", self.write("hot.xml", guests.file_disk(hot, "vdb")))
        self.assert_given(hot)
        self.virsh_ok("destroy", "dac-d")
        self.assert_given_back(hot)
        self.assert_given_back(img)

    def test_file_system_without_xattrs(self):
        # ramfs keeps no xattrs: nothing is remembered, and the owner goes
        # back to root, libvirt's fallback, not to the one it had before
        ramfs = os.path.join(self.root, "ramfs")
        os.mkdir(ramfs)
        subprocess.run(["mount", "-t", "ramfs", "none", ramfs], check=True)
        try:
            os.chmod(ramfs, 0o755)
            img = self.image("f", ramfs)
            os.chown(img, 65534, 65534)
            self.define("dac-f", guests.file_disk(img))
            self.virsh_ok("start", "dac-f")
            self.assertEqual(owner(img), (self.uid, self.gid))
            self.virsh_ok("destroy", "dac-f")
            self.assertEqual(owner(img), (0, 0))
        finally:
            self.daemon.kill_guests()   # nothing may hold the mount
            subprocess.run(["umount", "-l", ramfs], check=True)

    def test_unreachable_image_gives_libvirts_error_and_nothing_runs(self):
        private = os.path.join(self.root, "private")
        os.mkdir(private, 0o700)
        img = self.image("e", private)
        self.define("dac-e", guests.file_disk(img))
        err = self.virsh_fails("start", "dac-e")
        want = (expected("error-untraversable.txt").replace("NAME", "dac-e")
                .replace("PATH", img).replace("UID", str(self.uid))
                .replace("GID", str(self.gid)))
        self.assertEqual(err.strip(), want.strip())
        self.assertIn("shut off", self.virsh_ok("domstate", "dac-e"))
        self.assertEqual(guests.qemu_pids(self.root, "dac-e"), [])
        self.assertEqual(owner(img), (0, 0))
        self.assertEqual(xattrs(img), {})


@unittest.skipUnless(HAVE_USER, f"no user {USER}")
class LinuxGuestAsLibvirtQemu(TinyGuestMixin, LibvirtQemuCase):
    """The tiny Linux guest, which lets a hotplugged disk go again."""

    def test_boot_files_console_and_unplugged_disk_go_back(self):
        g = self.guest
        kernel = shutil.copy(self.kernel, os.path.join(self.images, "vmlinuz"))
        initrd = shutil.copy(self.initrd, os.path.join(self.images, "initrd"))
        console = os.path.join(self.images, "console.log")
        hot = self.image("hot")
        self.virsh_ok("create", self.write("linux.xml", g.domain_xml(
            "dac-linux", kernel, initrd, console, virt_type="qemu")))
        g.wait_for_console(console, g.READY, g.boot_timeout("qemu"))
        for path in (kernel, initrd, console):
            self.assert_given(path)
        hot_xml = self.write("hot.xml", guests.file_disk(hot, "vdb"))
        self.virsh_ok("attach-device", "dac-linux", hot_xml)
        self.assert_given(hot)
        self.virsh_ok("detach-device", "dac-linux", os.path.join(self.root, "hot.xml"))
        wait_for(lambda: hot not in self.virsh_ok("domblklist", "dac-linux"), timeout=10,
                 what="the disk to go")
        self.assert_given_back(hot)
        self.virsh_ok("destroy", "dac-linux")
        for path in (kernel, initrd, console):
            self.assert_given_back(path)


class AsRoot(DacTestCase):
    """QEMU as root (the harness' qemu.conf, as the reference libvirtd here),
    unless the domain's own label says otherwise."""

    def test_security_lines_and_taints_as_libvirtd(self):
        img = self.image("r")
        self.define("dac-r", guests.file_disk(img))
        self.assertEqual(security_lines(self.virsh_ok("dominfo", "dac-r")),
                         expected("dominfo-shutoff.txt"))
        self.virsh_ok("start", "dac-r")
        self.assertEqual(security_lines(self.virsh_ok("dominfo", "dac-r")),
                         expected("dominfo-root.txt"))
        self.assertIn(expected("seclabel-root.xml"), self.virsh_ok("dumpxml", "dac-r"))
        # python3-libvirt's virDomainGetMessages, with libvirtd's flag checks
        dom = libvirt.open(self.daemon.uri()).lookupByName("dac-r")
        high = ["tainted: running with undesirable elevated privileges"]
        self.assertEqual(dom.messages(0), high)
        self.assertEqual(dom.messages(libvirt.VIR_DOMAIN_MESSAGE_TAINTING), high)
        self.assertEqual(dom.messages(libvirt.VIR_DOMAIN_MESSAGE_DEPRECATION), [])
        with self.assertRaises(libvirt.libvirtError) as ctx:
            dom.messages(4)
        self.assertEqual(ctx.exception.get_error_code(), libvirt.VIR_ERR_INVALID_ARG)
        self.assertEqual(ctx.exception.get_error_message(),
                         "unsupported flags (0x4) in function qemuDomainGetMessages")
        dom.connect().close()
        self.assertEqual(xattrs(img)[XATTRS[0]], "+0:+0")
        self.virsh_ok("qemu-monitor-command", "dac-r", '{"execute":"query-status"}')
        self.assertEqual(security_lines(self.virsh_ok("dominfo", "dac-r")),
                         expected("dominfo-monitor.txt"))
        # the domain log has them; a restarted daemon still knows them
        with open(os.path.join(self.root, "var", "log", "libvirt", "qemu", "dac-r.log")) as f:
            log = f.read()
        self.assertRegex(log, r"Domain id=1 is tainted: high-privileges\n")
        self.assertRegex(log, r"Domain id=1 is tainted: custom-monitor\n")
        self.daemon.stop()
        self.daemon.start()
        self.assertEqual(security_lines(self.virsh_ok("dominfo", "dac-r")),
                         expected("dominfo-monitor.txt"))
        self.virsh_ok("destroy", "dac-r")
        self.assertEqual(security_lines(self.virsh_ok("dominfo", "dac-r")),
                         expected("dominfo-shutoff.txt"))
        self.assertEqual(xattrs(img), {})

    @unittest.skipUnless(HAVE_USER, f"no user {USER}")
    def test_static_label_of_the_domain(self):
        # qemu.conf says root; the domain's own label says libvirt-qemu
        uid, gid = pwd.getpwnam(USER).pw_uid, grp.getgrnam(USER).gr_gid
        img = self.image("t")
        self.virt_type = "qemu"
        self.define("dac-t", guests.file_disk(img), extra="<seclabel type='static' model='dac' "
                    f"relabel='yes'><label>+{uid}:+{gid}</label></seclabel>")
        self.virsh_ok("start", "dac-t")
        self.assertEqual(proc_ids(self.qemu_pid("dac-t"))[:2], (uid, gid))
        self.assertEqual(owner(img), (uid, gid))
        live = self.virsh_ok("dumpxml", "dac-t")
        self.assertIn(expected("seclabel-static-user.xml").replace("UID", str(uid))
                      .replace("GID", str(gid)), live)
        # libvirtd taints by qemu.conf's user, whatever the domain's label
        self.assertEqual(security_lines(self.virsh_ok("dominfo", "dac-t")),
                         expected("dominfo-root.txt"))
        self.virsh_ok("destroy", "dac-t")
        self.assertEqual(owner(img), (0, 0))

    def test_dynamic_label_without_a_label_is_filled_in(self):
        img = self.image("u")
        self.define("dac-u", guests.file_disk(img), extra="<seclabel type='dynamic' model='dac'/>")
        self.virsh_ok("start", "dac-u")
        self.assertIn(expected("seclabel-root.xml"), self.virsh_ok("dumpxml", "dac-u"))
        self.virsh_ok("destroy", "dac-u")

    def test_capabilities_secmodel_as_libvirtd(self):
        caps = self.virsh_ok("capabilities")
        got = "".join(re.findall(r"    <secmodel>.*?</secmodel>\n", caps, re.S))
        self.assertEqual(got, expected("secmodel.xml"))


if __name__ == "__main__":
    unittest.main()
