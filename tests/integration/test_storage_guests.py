"""Guests on storage volumes (<disk type='volume'><source pool= volume=/>),
as libvirt's modular daemons do it: virtqemud asks virtstoraged (both under
one --root) where the volume is and what it is, and QEMU gets a file disk
of that path; the live XML keeps the pool and volume.  A missing volume or
pool and an inactive pool give libvirt's errors and no QEMU; without
virtstoraged, volume guests fail with an error naming its socket and the
others still start.

Then virt-install and virt-clone against virtqemud (they reach storage
through virtqemud's routing): `--disk size=1` makes a volume in the pool
`default` (made here first, inside the test root: virt-install would make
it at the host's /var/lib/libvirt/images), `--disk path=` one in the pool
that holds that directory, and virt-clone a new volume for the clone
(vol-create-from).  Both get `--cpu qemu64`: virt-install's default,
host-passthrough, fails on a nested host like this one even under libvirtd
(QEMU cannot set MSR 0x10a)."""
import json
import os
import re
import shutil
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guests  # noqa: E402
from harness import Daemon, TinyGuestMixin, VirshMixin, daemon_path, run, virsh, wait_for  # noqa: E402

HAVE_VIRTSTORAGED = os.path.exists(daemon_path("virtstoraged"))
HAVE_VIRT_INSTALL = bool(shutil.which("virt-install") and shutil.which("virt-clone"))


def volume_disk(volume, dev="vda", pool="p1", driver=""):
    return (f"<disk type='volume' device='disk'>{driver}<source pool='{pool}' volume='{volume}'/>"
            f"<target dev='{dev}' bus='virtio'/></disk>")


def file_disk(path, dev="vda"):
    return (f"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
            f"<source file='{path}'/><target dev='{dev}' bus='virtio'/></disk>")


class StorageDaemons(guests.StartFailsMixin, VirshMixin, unittest.TestCase):
    """virtqemud (self.daemon), and virtstoraged when WITH_STORAGED, under
    one root; with virtstoraged, the running dir pool p1 (ROOT/p1) holds the
    raw volume v1.img and the qcow2 volume v2.qcow2."""
    WITH_STORAGED = True

    def setUp(self):
        self.storaged = Daemon("virtstoraged")
        self.addCleanup(self.storaged.cleanup)   # last: it owns the root
        self.daemon = Daemon("virtqemud", root=self.storaged.root)
        self.addCleanup(self.daemon.cleanup)
        self.sock = self.storaged.socket()
        if self.WITH_STORAGED:
            self.storaged.start()
        self.daemon.start()
        if self.WITH_STORAGED:
            self.pool_dir = os.path.join(self.storaged.root, "p1")
            self.st_virsh_ok("pool-define-as", "p1", "dir", "--target", self.pool_dir)
            self.st_virsh_ok("pool-build", "p1")
            self.st_virsh_ok("pool-start", "p1")
            self.st_virsh_ok("vol-create-as", "p1", "v1.img", "16M", "--format", "raw")
            self.st_virsh_ok("vol-create-as", "p1", "v2.qcow2", "16M", "--format", "qcow2")

    def st_virsh_ok(self, *args):
        r = virsh(self.storaged.uri(), *args)
        self.assertEqual(r.returncode, 0, f"virsh {' '.join(args)}: {r.stderr}\n--- "
                                          f"virtstoraged ---\n{self.storaged.stderr()[-2000:]}")
        return r.stdout

    def qemu_cmdline(self, name):
        [pid] = guests.qemu_pids(self.daemon.root, name)
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode().split("\0")

    def blockdevs(self, name):
        """The -blockdev objects of NAME's QEMU, by node name."""
        argv = self.qemu_cmdline(name)
        objs = [json.loads(argv[i + 1]) for i, a in enumerate(argv) if a == "-blockdev"]
        return {o["node-name"]: o for o in objs}

    def disk_section(self, xml, target):
        m = re.search(rf"<disk [^>]*>(?:(?!</disk>).)*<target dev='{target}'.*?</disk>", xml,
                      re.S)
        self.assertIsNotNone(m, xml)
        return m.group(0)


@unittest.skipUnless(HAVE_VIRTSTORAGED, "virtstoraged is not built")
class VolumeGuests(StorageDaemons):
    def test_start_live_xml_and_restart(self):
        self.define_guest("g1", volume_disk("v1.img") + volume_disk("v2.qcow2", "vdb"))
        self.virsh_ok("start", "g1")
        nodes = self.blockdevs("g1")
        self.assertEqual(nodes["libvirt-2-storage"]["driver"], "file")
        self.assertEqual(nodes["libvirt-2-storage"]["filename"],
                         os.path.join(self.pool_dir, "v1.img"))
        self.assertEqual(nodes["libvirt-2-format"]["driver"], "raw")
        self.assertEqual(nodes["libvirt-1-storage"]["filename"],
                         os.path.join(self.pool_dir, "v2.qcow2"))
        # no <driver type> in the disk: the volume's format
        self.assertEqual(nodes["libvirt-1-format"]["driver"], "qcow2")

        live = self.virsh_ok("dumpxml", "g1")
        vda = self.disk_section(live, "vda")
        self.assertIn("<disk type='volume' device='disk'>", vda)
        self.assertIn("<driver name='qemu' type='raw'/>", vda)
        self.assertIn("<source pool='p1' volume='v1.img' index='2'/>", vda)
        self.assertIn("<backingStore/>", vda)
        self.assertNotIn(self.pool_dir, live)
        vdb = self.disk_section(live, "vdb")
        self.assertIn("<driver name='qemu' type='qcow2'/>", vdb)
        self.assertIn("<source pool='p1' volume='v2.qcow2' index='1'/>", vdb)
        inactive = self.virsh_ok("dumpxml", "--inactive", "g1")
        self.assertIn("<source pool='p1' volume='v2.qcow2'/>", inactive)
        self.assertNotIn("type='qcow2'", inactive)
        # virsh domblklist shows the volume's name
        self.assertRegex(self.virsh_ok("domblklist", "g1"), r"vda\s+v1\.img\n")

        # a restarted virtqemud finds the volumes' paths again
        self.daemon.stop()
        self.daemon.start()
        stats = self.virsh_ok("domstats", "--block", "g1")
        self.assertIn(f"block.0.path={os.path.join(self.pool_dir, 'v1.img')}", stats)
        self.assertEqual(self.virsh_ok("dumpxml", "g1"), live)
        self.virsh_ok("destroy", "g1")

    def test_missing_volume_and_pool(self):
        self.define_guest("gv", volume_disk("nosuch.img"))
        err = self.start_fails("gv")
        self.assertIn("Storage volume not found: no storage vol with matching name 'nosuch.img'",
                      err)
        self.define_guest("gp", volume_disk("v1.img", pool="nopool"))
        err = self.start_fails("gp")
        self.assertIn("Storage pool not found: no storage pool with matching name 'nopool'", err)
        # the second disk's volume missing: nothing starts either
        self.define_guest("g2", volume_disk("v1.img") + volume_disk("nosuch.img", "vdb"))
        self.start_fails("g2")

    def test_inactive_pool(self):
        self.define_guest("g1", volume_disk("v1.img"))
        self.st_virsh_ok("pool-destroy", "p1")
        err = self.start_fails("g1")
        self.assertIn("unsupported configuration: storage pool 'p1' containing volume 'v1.img' "
                      "is not active", err)
        self.st_virsh_ok("pool-start", "p1")
        self.virsh_ok("start", "g1")
        self.virsh_ok("destroy", "g1")

    def test_virtstoraged_stopped(self):
        self.define_guest("volg", volume_disk("v1.img"))
        self.storaged.stop()
        err = self.start_fails("volg")
        self.assertIn(f"Failed to connect socket to '{self.sock}'", err)
        img = guests.disk_image(self.daemon.root, "plain")
        self.define_guest("fileg", file_disk(img))
        self.virsh_ok("start", "fileg")
        # back again: the next start reaches it over a new connection
        self.storaged.start()
        self.virsh_ok("start", "volg")
        self.virsh_ok("destroy", "volg")
        self.virsh_ok("destroy", "fileg")


@unittest.skipUnless(HAVE_VIRTSTORAGED, "virtstoraged is not built")
class WithoutVirtstoraged(StorageDaemons):
    """virtstoraged does not run: only the volume guests fail."""
    WITH_STORAGED = False

    def test_volume_guest_fails_others_start(self):
        self.define_guest("volg", volume_disk("v1.img"))
        err = self.start_fails("volg")
        self.assertIn(f"Failed to connect socket to '{self.sock}'", err)
        img = guests.disk_image(self.daemon.root, "plain")
        self.define_guest("fileg", file_disk(img))
        self.virsh_ok("start", "fileg")
        self.assertIn("running", self.virsh_ok("domstate", "fileg"))
        # a live attach says the same and leaves the guest as it was
        before = self.virsh_ok("dumpxml", "fileg")
        err = self.virsh_fails("attach-device", "fileg",
                               self.write("v.xml", volume_disk("v1.img", "vdb")), "--live")
        self.assertIn(f"'{self.sock}'", err)
        self.assertEqual(self.virsh_ok("dumpxml", "fileg"), before)
        self.virsh_ok("destroy", "fileg")


@unittest.skipUnless(HAVE_VIRTSTORAGED, "virtstoraged is not built")
class VolumeHotplug(TinyGuestMixin, StorageDaemons):
    """The tiny Linux guest, booted with a volume disk, gets a second one
    live and lets it go again."""

    def test_attach_detach(self):
        g = self.guest
        name = "hot"
        console = os.path.join(self.daemon.root, f"{name}-console.log")
        self.virsh_ok("create", self.write(f"{name}.xml", g.domain_xml(
            name, self.kernel, self.initrd, console, virt_type=self.virt_type,
            disks=volume_disk("v1.img"))))
        g.wait_for_console(console, g.READY, self.boot_timeout)
        v2 = os.path.join(self.pool_dir, "v2.qcow2")

        path = self.write("v2.xml", volume_disk("v2.qcow2", "vdb"))
        err = self.virsh_fails("attach-device", name,
                               self.write("bad.xml", volume_disk("nosuch", "vdc")), "--live")
        self.assertIn("no storage vol with matching name 'nosuch'", err)
        self.virsh_ok("attach-device", name, path, "--live")
        vdb = self.disk_section(self.virsh_ok("dumpxml", name), "vdb")
        self.assertIn("<source pool='p1' volume='v2.qcow2' index='2'/>", vdb)
        self.assertIn("<driver name='qemu' type='qcow2'/>", vdb)
        nodes = self.virsh_ok("qemu-monitor-command", name,
                              '{"execute":"query-named-block-nodes"}')
        self.assertIn(f'"file": "{v2}"'.replace(" ", ""), nodes.replace(" ", ""))

        self.virsh_ok("detach-device", name, path, "--live")
        wait_for(lambda: "vdb" not in self.virsh_ok("domblklist", name), timeout=5,
                 what="vdb to go")
        self.virsh_ok("destroy", name)


class VirtinstDaemons(StorageDaemons):
    """StorageDaemons with the pool `default` (ROOT/images) and the
    virtinst tools (virt-install, virt-xml, virt-clone) on qemu+unix to
    virtqemud; test_virt_tools.py uses it too."""

    def setUp(self):
        super().setUp()
        # the pool virt-install would otherwise make at the host's
        # /var/lib/libvirt/images
        self.images = os.path.join(self.storaged.root, "images")
        self.st_virsh_ok("pool-define-as", "default", "dir", "--target", self.images)
        self.st_virsh_ok("pool-build", "default")
        self.st_virsh_ok("pool-start", "default")

    def tool(self, *args):
        """A virtinst tool with --debug: its log is in the message when it fails."""
        r = run(list(args) + ["--connect", self.daemon.uri(), "--debug"], timeout=300,
                env={"HOME": self.storaged.root})
        self.assertEqual(r.returncode, 0, f"{' '.join(args)}:\n{r.stdout}\n{r.stderr}"
                                          f"\n--- virtqemud ---\n{self.daemon.stderr()[-2000:]}")
        return r


@unittest.skipUnless(HAVE_VIRTSTORAGED and HAVE_VIRT_INSTALL,
                     "needs virtstoraged and virt-install")
class VirtInstallAndClone(VirtinstDaemons):
    """virt-install and virt-clone on qemu+unix to virtqemud."""

    def virt_install(self, name, disk):
        virt_type = [] if os.access("/dev/kvm", os.R_OK | os.W_OK) else ["--virt-type", "qemu"]
        return self.tool("virt-install", "--name", name, "--memory", "128", "--vcpus", "1",
                         "--disk", disk, "--network", "none", "--graphics", "none",
                         "--osinfo", "detect=on,require=off", "--import", "--noautoconsole",
                         "--cpu", "qemu64", *virt_type)

    def volumes(self, pool="default"):
        out = self.st_virsh_ok("vol-list", pool)
        return dict(line.split(None, 1) for line in out.splitlines()[2:] if line.strip())

    def test_install_and_clone(self):
        self.virt_install("g1", "size=1")
        self.assertIn("running", self.virsh_ok("domstate", "g1"))
        g1_img = os.path.join(self.images, "g1.qcow2")
        self.assertEqual(self.volumes(), {"g1.qcow2": g1_img})
        self.assertIn(g1_img, self.qemu_cmdline("g1")[self.qemu_cmdline("g1").index("-blockdev")
                                                       + 1])
        info = run(["qemu-img", "info", "--output=json", "-U", g1_img])
        self.assertEqual(json.loads(info.stdout)["virtual-size"], 1 << 30)

        # a path in a pool's directory: a volume of that pool
        x_img = os.path.join(self.images, "x.qcow2")
        self.virt_install("g2", f"path={x_img},size=1")
        self.assertIn("running", self.virsh_ok("domstate", "g2"))
        self.assertEqual(self.volumes().get("x.qcow2"), x_img)

        # the clone's disk is a new volume of the pool, a copy of g1's
        self.virsh_ok("destroy", "g1")
        self.tool("virt-clone", "--original", "g1", "--name", "c1", "--auto-clone")
        c1_img = os.path.join(self.images, "c1.qcow2")
        self.assertEqual(self.volumes().get("c1.qcow2"), c1_img)
        self.assertIn(f"<source file='{c1_img}'/>", self.virsh_ok("dumpxml", "c1"))
        self.assertEqual(run(["qemu-img", "compare", "-q", g1_img, c1_img]).returncode, 0)
        self.virsh_ok("start", "c1")
        self.assertIn("running", self.virsh_ok("domstate", "c1"))

        # --file names the clone's image
        c2_img = os.path.join(self.images, "c2.qcow2")
        self.tool("virt-clone", "--original", "g1", "--name", "c2", "--file", c2_img)
        self.assertEqual(self.volumes().get("c2.qcow2"), c2_img)
        self.virsh_ok("start", "c2")
        for name in ("g2", "c1", "c2"):
            self.virsh_ok("destroy", name)
        # nothing outside the test root
        self.assertTrue(all(p.startswith(self.storaged.root + "/")
                            for p in self.volumes().values()))


if __name__ == "__main__":
    unittest.main()
