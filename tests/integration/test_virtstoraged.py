"""virtstoraged driven by Debian's virsh and python3-libvirt: dir pools under
the test's root (their life, sizes and permissions on disk), volumes (raw,
sparse, qcow2 with a backing store, clone, resize, wipe), libvirt's errors,
a restart after kill -9 and the pool events."""
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import unittest

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Daemon, VirshMixin, start_libvirt_event_loop, wait_for  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)

DIR_POOL = """<pool type='dir'>
  <name>{name}</name>
  <target>
    <path>{path}</path>
  </target>
</pool>
"""

MIB = 1024 * 1024


def qemu_img_info(path):
    out = subprocess.run(["qemu-img", "info", "--output=json", "-U", path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class StorageDaemonCase(VirshMixin, unittest.TestCase):
    def setUp(self):
        self.daemon = Daemon("virtstoraged")
        self.addCleanup(self.daemon.cleanup)
        self.daemon.start()
        self.uri = self.daemon.uri()

    def pool_path(self, name):
        return os.path.join(self.daemon.root, "pools", name)

    def define_dir_pool(self, name, build=True, start=True):
        self.virsh_ok("pool-define", self.write(f"{name}.xml", DIR_POOL.format(
            name=name, path=self.pool_path(name))))
        if build:
            self.virsh_ok("pool-build", name)
        if start:
            self.virsh_ok("pool-start", name)
        return self.pool_path(name)


class DirPools(StorageDaemonCase):
    def test_dir_pool_life(self):
        path = self.define_dir_pool("p1", build=False, start=False)
        config = os.path.join(self.daemon.root, "etc", "libvirt", "storage", "p1.xml")
        self.assertTrue(os.path.exists(config))
        self.assertRegex(self.virsh_ok("pool-list", "--all"), r"p1\s+inactive\s+no")
        inactive = self.virsh_ok("pool-dumpxml", "p1")
        self.assertIn("<capacity unit='bytes'>0</capacity>", inactive)
        self.virsh_ok("pool-build", "p1")
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o711)
        self.virsh_ok("pool-start", "p1")
        self.assertRegex(self.virsh_ok("pool-list"), r"p1\s+active\s+no")
        st = os.statvfs(path)
        info = self.virsh_ok("pool-info", "--bytes", "p1")
        self.assertRegex(info, rf"Capacity:\s+{st.f_blocks * st.f_frsize}\b")
        self.assertIn("State:          running", info)
        self.virsh_ok("pool-autostart", "p1")
        self.assertTrue(os.path.islink(os.path.join(self.daemon.root, "etc", "libvirt",
                                                    "storage", "autostart", "p1.xml")))
        self.virsh_ok("pool-destroy", "p1")
        self.virsh_ok("pool-delete", "p1")
        self.assertFalse(os.path.exists(path))
        self.virsh_ok("pool-undefine", "p1")
        self.assertFalse(os.path.exists(config))

    def test_volumes(self):
        path = self.define_dir_pool("vols")
        self.virsh_ok("vol-create-as", "vols", "dense.raw", "4M")
        dense = os.path.join(path, "dense.raw")
        st = os.stat(dense)
        self.assertEqual(st.st_size, 4 * MIB)
        self.assertGreaterEqual(st.st_blocks * 512, 4 * MIB)   # fully allocated
        self.assertEqual(st.st_mode & 0o777, 0o600)
        self.virsh_ok("vol-create-as", "vols", "sparse.raw", "64M", "--allocation", "0")
        self.assertLess(os.stat(os.path.join(path, "sparse.raw")).st_blocks * 512, MIB)
        self.virsh_ok("vol-create-as", "vols", "disk.qcow2", "32M", "--format", "qcow2")
        info = qemu_img_info(os.path.join(path, "disk.qcow2"))
        self.assertEqual((info["format"], info["virtual-size"]), ("qcow2", 32 * MIB))
        self.virsh_ok("vol-create-as", "vols", "over.qcow2", "32M", "--format", "qcow2",
                      "--backing-vol", "disk.qcow2", "--backing-vol-format", "qcow2")
        info = qemu_img_info(os.path.join(path, "over.qcow2"))
        self.assertEqual(info["backing-filename"], os.path.join(path, "disk.qcow2"))
        listing = self.virsh_ok("vol-list", "vols")
        for name in ("dense.raw", "sparse.raw", "disk.qcow2", "over.qcow2"):
            self.assertIn(os.path.join(path, name), listing)
        xml = self.virsh_ok("vol-dumpxml", "--pool", "vols", "disk.qcow2")
        self.assertIn("<format type='qcow2'/>", xml)
        self.assertIn(f"<key>{os.path.join(path, 'disk.qcow2')}</key>", xml)
        self.assertEqual(self.virsh_ok("vol-path", "--pool", "vols", "disk.qcow2").strip(),
                         os.path.join(path, "disk.qcow2"))
        # clone across formats, resize, wipe
        self.virsh_ok("vol-clone", "--pool", "vols", "dense.raw", "copy.qcow2")
        self.virsh_ok("vol-create-from", "vols", self.write("c.xml", (
            "<volume><name>conv.qcow2</name><capacity>4194304</capacity>"
            "<target><format type='qcow2'/></target></volume>")), "--inputpool", "vols",
            "dense.raw")
        self.assertEqual(qemu_img_info(os.path.join(path, "conv.qcow2"))["format"], "qcow2")
        self.virsh_ok("vol-resize", "--pool", "vols", "sparse.raw", "128M")
        self.assertEqual(os.stat(os.path.join(path, "sparse.raw")).st_size, 128 * MIB)
        self.assertIn("Can't shrink capacity below current capacity unless shrink flag",
                      self.virsh_fails("vol-resize", "--pool", "vols", "sparse.raw", "64M"))
        with open(dense, "r+b") as f:
            f.write(b"\xff" * 4096)
        self.virsh_ok("vol-wipe", "--pool", "vols", "dense.raw")
        with open(dense, "rb") as f:
            self.assertEqual(f.read(4096), b"\0" * 4096)
        self.virsh_ok("vol-delete", "--pool", "vols", "copy.qcow2")
        self.assertFalse(os.path.exists(os.path.join(path, "copy.qcow2")))

    def test_upload_and_download(self):
        path = self.define_dir_pool("xfer")
        self.virsh_ok("vol-create-as", "xfer", "dense.raw", "8M", "--allocation", "0")
        self.virsh_ok("vol-create-as", "xfer", "sparse.raw", "64M", "--allocation", "0")
        dense_src = self.write("dense.src", "")
        with open(dense_src, "wb") as f:
            f.write(os.urandom(8 * MIB))
        self.virsh_ok("vol-upload", "--pool", "xfer", "dense.raw", dense_src)
        self.assertEqual(sha256(os.path.join(path, "dense.raw")), sha256(dense_src))
        out = os.path.join(self.daemon.root, "dense.out")
        self.virsh_ok("vol-download", "--pool", "xfer", "dense.raw", out)
        self.assertEqual(sha256(out), sha256(dense_src))
        # sparse both ways: 1 MiB of data in 64 MiB, holes stay holes
        sparse_src = os.path.join(self.daemon.root, "sparse.src")
        with open(sparse_src, "wb") as f:
            f.truncate(64 * MIB)
            f.seek(32 * MIB)
            f.write(os.urandom(MIB))
        self.virsh_ok("vol-upload", "--sparse", "--pool", "xfer", "sparse.raw", sparse_src)
        vol = os.path.join(path, "sparse.raw")
        self.assertEqual(sha256(vol), sha256(sparse_src))
        self.assertLess(os.stat(vol).st_blocks * 512, 4 * MIB)
        out = os.path.join(self.daemon.root, "sparse.out")
        self.virsh_ok("vol-download", "--sparse", "--pool", "xfer", "sparse.raw", out)
        self.assertEqual(sha256(out), sha256(sparse_src))
        self.assertLess(os.stat(out).st_blocks * 512, 4 * MIB)
        # a transfer lets its volume go before the client hears it is over
        for _ in range(5):
            self.virsh_ok("vol-upload", "--pool", "xfer", "dense.raw", dense_src)
            self.virsh_ok("vol-wipe", "--pool", "xfer", "dense.raw")
        self.virsh_ok("vol-upload", "--pool", "xfer", "dense.raw", dense_src)
        self.virsh_ok("vol-delete", "--pool", "xfer", "dense.raw")

    def test_upload_cut_short(self):
        """A client that goes half way through an upload: the volume is
        let go (it can be deleted), keeps what arrived, as libvirt's does,
        and the daemon goes on."""
        self.define_dir_pool("cut")
        self.virsh_ok("vol-create-as", "cut", "v.raw", "8M")
        script = f"""
import libvirt, os
conn = libvirt.open({self.uri!r})
vol = conn.storagePoolLookupByName("cut").storageVolLookupByName("v.raw")
st = conn.newStream(0)
vol.upload(st, 0, 0, 0)
st.send(b"x" * (1024 * 1024))
os._exit(0)   # gone without finishing or aborting
"""
        subprocess.run([sys.executable, "-c", script], check=True, timeout=30)
        wait_for(lambda: subprocess.run(["virsh", "-c", self.uri, "vol-delete", "--pool", "cut",
                                         "v.raw"], capture_output=True).returncode == 0,
                 what="the volume let go")
        self.assertNotIn("v.raw", self.virsh_ok("vol-list", "cut"))
        self.assertTrue(self.daemon.alive())

    def test_refresh_finds_files_made_outside(self):
        path = self.define_dir_pool("outside")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2",
                        os.path.join(path, "made.qcow2"), "16M"], check=True)
        self.assertNotIn("made.qcow2", self.virsh_ok("vol-list", "outside"))
        self.virsh_ok("pool-refresh", "outside")
        self.assertIn("made.qcow2", self.virsh_ok("vol-list", "outside"))
        self.assertIn("<format type='qcow2'/>",
                      self.virsh_ok("vol-dumpxml", "--pool", "outside", "made.qcow2"))

    def test_restart_after_kill(self):
        self.define_dir_pool("keep")
        self.virsh_ok("vol-create-as", "keep", "v.raw", "1M")
        self.daemon.stop(sig=signal.SIGKILL)
        self.daemon.start()
        self.assertRegex(self.virsh_ok("pool-list"), r"keep\s+active")
        self.assertIn("v.raw", self.virsh_ok("vol-list", "keep"))


class StorageErrors(StorageDaemonCase):
    def test_libvirt_errors(self):
        self.define_dir_pool("e1")
        self.assertIn("error: Requested operation is not valid: storage pool 'e1' is already "
                      "active", self.virsh_fails("pool-start", "e1"))
        self.assertIn("storage pool 'e1' is still active", self.virsh_fails("pool-undefine", "e1"))
        self.virsh_ok("vol-create-as", "e1", "a.raw", "1M")
        self.assertIn("storage volume 'a.raw' exists already",
                      self.virsh_fails("vol-create-as", "e1", "a.raw", "1M"))
        self.assertIn("cannot contain '/'",
                      self.virsh_fails("vol-create-as", "e1", "../escape.raw", "1M"))
        self.assertFalse(os.path.exists(os.path.join(self.daemon.root, "pools", "escape.raw")))
        self.assertIn("numerical overflow: value too large: 9223372036854775808",
                      self.virsh_fails("vol-create", "e1", self.write("big.xml", (
                          "<volume><name>big</name><capacity unit='bytes'>9223372036854775808"
                          "</capacity></volume>"))))
        self.assertIn("Storage source conflict with pool: 'e1'",
                      self.virsh_fails("pool-define", self.write("dup.xml", DIR_POOL.format(
                          name="e2", path=self.pool_path("e1")))))
        self.assertIn("error: Storage pool not found: no storage pool with matching name 'nope'",
                      self.virsh_fails("pool-info", "nope"))
        # a fully allocated volume cannot shrink below its allocation
        self.assertIn("can't shrink capacity below existing allocation",
                      self.virsh_fails("vol-resize", "--pool", "e1", "a.raw", "512K", "--shrink"))
        self.assertIn("error: (storage_pool_definition)",
                      self.virsh_fails("pool-define", self.write("bad.xml", "<pool type='dir'>")))
        self.assertNotIn("bad", self.virsh_ok("pool-list", "--all", "--name"))
        self.virsh_ok("pool-destroy", "e1")
        self.assertIn("Directory not empty", self.virsh_fails("pool-delete", "e1"))

    def test_two_clients_create_the_same_volume(self):
        self.define_dir_pool("race")
        results = []

        def create():
            conn = libvirt.open(self.uri)
            try:
                conn.storagePoolLookupByName("race").createXML(
                    "<volume><name>same.raw</name><capacity unit='M'>64</capacity></volume>", 0)
                results.append("ok")
            except libvirt.libvirtError as e:
                results.append(e.get_error_code())
            finally:
                conn.close()

        threads = [threading.Thread(target=create) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results, key=str), sorted(["ok", libvirt.VIR_ERR_STORAGE_VOL_EXIST],
                                                          key=str))

    def test_target_that_cannot_be_made(self):
        blocker = self.write("afile", "x")
        self.virsh_ok("pool-define", self.write("bad.xml", DIR_POOL.format(
            name="bad", path=os.path.join(blocker, "sub"))))
        self.assertIn("Not a directory", self.virsh_fails("pool-build", "bad"))
        self.assertRegex(self.virsh_ok("pool-list", "--all"), r"bad\s+inactive")


class PoolEvents(StorageDaemonCase):
    def test_lifecycle_and_refresh_events(self):
        start_libvirt_event_loop()
        conn = libvirt.open(self.uri)
        self.addCleanup(conn.close)
        seen = []
        done = threading.Event()

        def lifecycle(conn_, pool, event, detail, opaque):
            seen.append(("lifecycle", pool.name(), event))
            if event == libvirt.VIR_STORAGE_POOL_EVENT_UNDEFINED:
                done.set()

        def refresh(conn_, pool, opaque):
            seen.append(("refresh", pool.name(), None))

        ids = [conn.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                                                lifecycle, None),
               conn.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                                                refresh, None)]
        pool = conn.storagePoolDefineXML(DIR_POOL.format(name="ev", path=self.pool_path("ev")))
        pool.build()
        pool.create()
        pool.refresh()
        pool.destroy()
        pool.undefine()
        self.assertTrue(done.wait(10), seen)
        E = libvirt
        self.assertEqual(seen, [("lifecycle", "ev", E.VIR_STORAGE_POOL_EVENT_DEFINED),
                                ("lifecycle", "ev", E.VIR_STORAGE_POOL_EVENT_CREATED),
                                ("lifecycle", "ev", E.VIR_STORAGE_POOL_EVENT_STARTED),
                                ("refresh", "ev", None),
                                ("lifecycle", "ev", E.VIR_STORAGE_POOL_EVENT_STOPPED),
                                ("lifecycle", "ev", E.VIR_STORAGE_POOL_EVENT_UNDEFINED)])
        for cb in ids:
            conn.storagePoolEventDeregisterAny(cb)


if __name__ == "__main__":
    unittest.main(verbosity=2)
