"""Storage pool and volume commands of our CLI (and libvirtkit's storage and
stream calls underneath) compared with what Debian's virsh prints for the
same daemon in the same state: output, error lines, exit codes, and the
bytes that vol-upload / vol-download move.

The daemon is our virtstoraged when the build has one (dir pools in its
root).  Until then it is the reference libvirtd of this host
(qemu:///system): the test is skipped when that does not answer, and it
only makes dir pools named vkcli-* whose targets are fresh directories
under /tmp, which it removes."""
import hashlib
import os
import re
import shutil
import sys
import tempfile
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import (BUILD, CliCompareMixin, Daemon, virsh, virtkit)  # noqa: E402

REFERENCE_URI = "qemu:///system"

POOL = """<pool type='dir'>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <target>
    <path>{path}</path>
  </target>
</pool>
"""

VOLUME = """<volume>
  <name>{name}</name>
  <capacity unit='M'>{mib}</capacity>
</volume>
"""


def have_virtstoraged():
    return os.path.exists(os.path.join(BUILD, "daemons", "virtstoraged"))


def reference_answers():
    return virsh(REFERENCE_URI, "version").returncode == 0


# The pools' sizes are those of the file system under them, which other
# writers change between our run and virsh's: compared as a placeholder.
SIZES = [
    (re.compile(r"\d+\.\d\d [KMGTPE]?i?B"), "SIZE"),
    (re.compile(r"^((?:Capacity|Allocation|Available):\s+)\d+$", re.M), r"\1N"),
    (re.compile(r"<(capacity|allocation|available) unit='bytes'>\d+<"), r"<\1 unit='bytes'>N<"),
]


def pool_sizes(text):
    for pattern, repl in SIZES:
        text = pattern.sub(repl, text)
    return text


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@unittest.skipUnless(have_virtstoraged() or reference_answers(),
                     "needs virtstoraged in the build or the reference libvirtd")
class CliStorage(CliCompareMixin, unittest.TestCase):

    def setUp(self):
        if have_virtstoraged():
            self.daemon = Daemon("virtstoraged")
            self.addCleanup(self.daemon.cleanup)
            self.daemon.start()
            self.uri = self.daemon.uri()
            self.base = self.daemon.root
        else:
            self.uri = REFERENCE_URI
            self.base = tempfile.mkdtemp(prefix="vkcli-")
        self.addCleanup(shutil.rmtree, self.base, ignore_errors=True)
        tag = uuid.uuid4().hex[:6]
        self.pools = {}
        for key in ("p1", "p2", "t1"):
            name = f"vkcli-{tag}-{key}"
            self.pools[key] = dict(name=name, uuid=str(uuid.uuid4()),
                                   path=os.path.join(self.base, f"{key}-target"))
            self.addCleanup(self.forget, name)
        self.files = {key: self.write(f"{key}.xml", POOL.format(**spec))
                      for key, spec in self.pools.items()}
        self.files["bad"] = self.write("bad.xml", "<pool")
        self.files["vol"] = self.write("vol.xml", VOLUME.format(name="fromxml", mib=2))

    def write(self, name, text):
        path = os.path.join(self.base, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def forget(self, name):
        """Whatever became of pool NAME: stopped, its volumes and target
        gone, undefined."""
        if virsh(self.uri, "pool-info", name).returncode != 0:
            return
        virsh(self.uri, "pool-start", name)
        for vol in virsh(self.uri, "vol-list", name).stdout.splitlines()[2:]:
            if vol.split():
                virsh(self.uri, "vol-delete", vol.split()[0], "--pool", name)
        virsh(self.uri, "pool-destroy", name)
        virsh(self.uri, "pool-delete", name)
        virsh(self.uri, "pool-undefine", name)

    # --- driving the daemon with the reference client -------------------------

    def ref(self, *args, ok=True):
        r = virsh(self.uri, *args)
        if ok is not None:
            self.assertEqual(r.returncode == 0, ok, f"virsh {args}: {r.stderr}")
        return r

    def name(self, key):
        return self.pools[key]["name"]

    def exists(self, key):
        return virsh(self.uri, "pool-info", self.name(key)).returncode == 0

    def active(self, key):
        return "State:          running" in virsh(self.uri, "pool-info", self.name(key)).stdout

    def to_state(self, key, state):
        """Pool KEY to STATE with virsh: undefined, defined (not built),
        inactive (built), active, autostart (inactive, marked), transient
        (active, not persistent)."""
        name, path = self.name(key), self.pools[key]["path"]
        if self.exists(key):
            self.forget(name)
        shutil.rmtree(path, ignore_errors=True)
        if state == "undefined":
            return
        if state == "transient":
            self.ref("pool-create", self.files[key], "--build")
            return
        self.ref("pool-define", self.files[key])
        if state == "defined":
            return
        self.ref("pool-build", name)
        if state == "autostart":
            self.ref("pool-autostart", name)
        if state == "active":
            self.ref("pool-start", name)

    def state(self, key, state):
        return lambda: self.to_state(key, state)

    def assertSamePool(self, *args, ok=True):
        return self.assertSame(*args, ok=ok, normalise=pool_sizes)

    # --- pools -----------------------------------------------------------------

    def test_define_undefine(self):
        p1 = self.name("p1")
        r = self.assertSameChange(self.state("p1", "undefined"), "pool-define", self.files["p1"])
        self.assertEqual(r.stdout, f"Pool {p1} defined from {self.files['p1']}\n\n")
        r = self.assertSameChange(self.state("p1", "undefined"), "pool-define-as", p1, "dir",
                                  "--target", self.pools["p1"]["path"])
        self.assertEqual(r.stdout, f"Pool {p1} defined\n\n")
        self.assertSame("pool-define-as", p1, "dir", "--source-dev", "/dev/null",
                        "--source-name", "n", "--source-format", "auto", "--target", "/x",
                        "--print-xml")
        self.assertSame("pool-define-as", p1, "dir", "-", "-", "-", "-", "/x", "--print-xml")
        r = self.assertSameChange(self.state("p1", "defined"), "pool-undefine", p1)
        self.assertEqual(r.stdout, f"Pool {p1} has been undefined\n\n")
        self.assertSameChange(self.state("p1", "defined"), "pool-undefine",
                              self.pools["p1"]["uuid"])
        self.assertSameChange(self.state("t1", "transient"), "pool-undefine", self.name("t1"),
                              ok=False)
        # errors
        self.to_state("p1", "undefined")
        r = self.assertSame("pool-define", os.path.join(self.base, "nosuch.xml"), ok=False)
        self.assertIn("Failed to open file", r.stderr)
        r = self.assertSame("pool-define", self.files["bad"], ok=False)
        self.assertTrue(r.stderr.startswith(
            f"error: Failed to define pool from {self.files['bad']}\nerror: "), r.stderr)
        self.assertSame("pool-create", self.files["bad"], ok=False)
        self.assertSame("pool-define", ok=False)
        self.assertSame("pool-info", p1, ok=False)

    def test_lifecycle(self):
        p1, path = self.name("p1"), self.pools["p1"]["path"]
        r = self.assertSameChange(self.state("p1", "defined"), "pool-build", p1)
        self.assertEqual(r.stdout, f"Pool {p1} built\n\n")
        self.assertTrue(os.path.isdir(path))
        self.assertSameChange(self.state("p1", "defined"), "pool-build", p1, "--overwrite",
                              "--no-overwrite", ok=False)
        r = self.assertSameChange(self.state("p1", "inactive"), "pool-start", p1)
        self.assertEqual(r.stdout, f"Pool {p1} started\n\n")
        self.assertSameChange(self.state("p1", "active"), "pool-start", p1, ok=False)
        self.assertSameChange(self.state("p1", "defined"), "pool-start", "--build", p1)
        r = self.assertSameChange(self.state("p1", "active"), "pool-refresh", p1)
        self.assertEqual(r.stdout, f"Pool {p1} refreshed\n\n")
        r = self.assertSameChange(self.state("p1", "active"), "pool-destroy", p1)
        self.assertEqual(r.stdout, f"Pool {p1} destroyed\n\n")
        self.assertSameChange(self.state("p1", "inactive"), "pool-destroy", p1, ok=False)
        r = self.assertSameChange(self.state("p1", "inactive"), "pool-delete", p1)
        self.assertEqual(r.stdout, f"Pool {p1} deleted\n\n")
        self.assertFalse(os.path.exists(path))
        self.assertSameChange(self.state("p1", "active"), "pool-delete", p1, ok=False)
        # transient pools
        t1 = self.name("t1")
        r = self.assertSameChange(self.state("t1", "undefined"), "pool-create", self.files["t1"],
                                  "--build")
        self.assertEqual(r.stdout, f"Pool {t1} created from {self.files['t1']}\n\n")
        r = self.assertSameChange(self.state("t1", "undefined"), "pool-create-as", t1, "dir",
                                  "--target", self.pools["t1"]["path"], "--build")
        self.assertEqual(r.stdout, f"Pool {t1} created\n\n")
        self.assertSameChange(self.state("t1", "transient"), "pool-destroy", t1)
        self.assertSame("pool-info", t1, ok=False)

    def test_lists_and_queries(self):
        p1 = self.name("p1")
        lists = [("pool-list",), ("pool-list", "--all"), ("pool-list", "--inactive"),
                 ("pool-list", "--all", "--name"), ("pool-list", "--all", "--uuid"),
                 ("pool-list", "--all", "--uuid", "--name"), ("pool-list", "--details"),
                 ("pool-list", "--all", "--details"), ("pool-list", "--persistent", "--all"),
                 ("pool-list", "--transient"), ("pool-list", "--all", "--autostart"),
                 ("pool-list", "--all", "--no-autostart"), ("-q", "pool-list", "--all"),
                 ("pool-list", "--all", "--type", "dir,fs"), ("pool-list", "--type", "bogus"),
                 ("pool-list", "--all", "--inactive"), ("pool-list", "--details", "--name")]
        queries = [("pool-info",), ("pool-info", "--bytes"), ("pool-dumpxml",),
                   ("pool-dumpxml", "--inactive"), ("pool-uuid",), ("vol-list",),
                   ("vol-list", "--details")]
        self.to_state("t1", "transient")
        for state in ("inactive", "autostart", "active"):
            self.to_state("p1", state)
            self.to_state("p2", "inactive" if state == "active" else "active")
            for q in queries:
                self.assertSamePool(*q, p1, ok=None)
            for q in lists:
                self.assertSamePool(*q, ok=None)
            self.assertSame("pool-name", self.pools["p1"]["uuid"])
            self.assertSamePool("pool-info", self.pools["p1"]["uuid"])
            self.assertSame("pool-name", p1, ok=False)
            self.assertSame("pool-uuid", self.pools["p1"]["uuid"], ok=False)
        self.assertSame("pool-capabilities")
        r = self.assertSameChange(self.state("p1", "inactive"), "pool-autostart", p1)
        self.assertEqual(r.stdout, f"Pool {p1} marked as autostarted\n\n")
        r = self.assertSameChange(self.state("p1", "autostart"), "pool-autostart", "--disable", p1)
        self.assertEqual(r.stdout, f"Pool {p1} unmarked as autostarted\n\n")
        self.assertSameChange(self.state("t1", "transient"), "pool-autostart", self.name("t1"),
                              ok=False)

    # --- volumes ---------------------------------------------------------------

    def fresh_volumes(self):
        """p1 active with the volumes v1 (4 MiB, patterned) and q1 (qcow2)."""
        p1 = self.name("p1")
        self.to_state("p1", "active")
        self.ref("vol-create-as", p1, "v1", "4M")
        self.ref("vol-create-as", p1, "q1", "1G", "--format", "qcow2", "--allocation", "0")
        with open(os.path.join(self.pools["p1"]["path"], "v1"), "r+b") as f:
            f.write(bytes(range(256)) * 64)

    def test_volume_create_delete(self):
        p1 = self.name("p1")
        path = self.pools["p1"]["path"]
        r = self.assertSameChange(self.fresh_volumes, "vol-create-as", p1, "new", "10M")
        self.assertEqual(r.stdout, "Vol new created\n\n")
        self.assertSameChange(self.fresh_volumes, "vol-create-as", p1, "new", "1G",
                              "--allocation", "1M", "--format", "qcow2", "--prealloc-metadata")
        self.assertSameChange(self.fresh_volumes, "vol-create-as", p1, "new", "1G",
                              "--format", "qcow2", "--backing-vol", "q1",
                              "--backing-vol-format", "qcow2")
        self.assertSameChange(self.fresh_volumes, "vol-create-as", p1, "v1", "1M", ok=False)
        self.assertSame("vol-create-as", p1, "x", "12Q", ok=False)
        self.assertSame("vol-create-as", p1, "x", "1M", "--allocation", "z", ok=False)
        self.assertSame("vol-create-as", p1, "x", "1G", "--format", "qcow2", "--print-xml")
        r = self.assertSameChange(self.fresh_volumes, "vol-create", p1, self.files["vol"])
        self.assertEqual(r.stdout, f"Vol fromxml created from {self.files['vol']}\n\n")
        self.assertSameChange(self.fresh_volumes, "vol-create-from", p1, self.files["vol"],
                              "v1", ok=False)
        r = self.assertSameChange(self.fresh_volumes, "vol-create-from", p1, self.files["vol"],
                                  "v1", "--inputpool", p1)
        self.assertEqual(r.stdout, "Vol fromxml created from input vol v1\n\n")
        r = self.assertSameChange(self.fresh_volumes, "vol-clone", "v1", "copy", "--pool", p1)
        self.assertEqual(r.stdout, "Vol copy cloned from v1\n\n")
        self.assertEqual(digest(os.path.join(path, "copy")), digest(os.path.join(path, "v1")))
        self.assertSameChange(self.fresh_volumes, "vol-clone", os.path.join(path, "v1"), "copy")
        r = self.assertSameChange(self.fresh_volumes, "vol-delete", "v1", "--pool", p1)
        self.assertEqual(r.stdout, "Vol v1 deleted\n\n")
        self.assertSameChange(self.fresh_volumes, "vol-delete", os.path.join(path, "q1"))
        self.assertSame("vol-delete", "nosuch", "--pool", p1, ok=False)
        self.assertSame("vol-delete", "nosuch", ok=False)

    def test_volume_changes_and_queries(self):
        p1 = self.name("p1")
        v1 = os.path.join(self.pools["p1"]["path"], "v1")
        r = self.assertSameChange(self.fresh_volumes, "vol-wipe", "v1", "--pool", p1)
        self.assertEqual(r.stdout, "Vol v1 wiped\n\n")
        self.assertEqual(digest(v1), hashlib.sha256(bytes(4 << 20)).hexdigest())
        self.assertSameChange(self.fresh_volumes, "vol-wipe", "v1", "--pool", p1,
                              "--algorithm", "zero")
        self.assertSameChange(self.fresh_volumes, "vol-wipe", "v1", "--pool", p1,
                              "--algorithm", "bogus", ok=False)
        for args, ok in [(("20M",), True), (("1M", "--delta"), True), (("1M",), False),
                         (("1M", "--shrink"), None), (("-1M", "--delta"), False),
                         (("-1M", "--delta", "--shrink"), None), (("8M", "--allocate"), True),
                         (("x",), False), (("1Q",), False)]:
            for vol in ("v1", "q1"):
                self.assertSameChange(self.fresh_volumes, "vol-resize", vol, *args, "--pool",
                                      p1, ok=ok if vol == "v1" else None)
        self.fresh_volumes()
        for q in [("vol-info",), ("vol-info", "--bytes"), ("vol-info", "--physical"),
                  ("vol-info", "--bytes", "--physical"), ("vol-dumpxml",), ("vol-path",),
                  ("vol-key",)]:
            for vol in ("v1", "q1"):
                self.assertSame(*q, vol, "--pool", p1)
            self.assertSame(*q, v1)
            self.assertSame(*q, "nosuch", "--pool", p1, ok=False)
        for q in [("vol-name",), ("vol-pool",), ("vol-pool", "--uuid")]:
            self.assertSame(*q, v1)
            self.assertSame(*q, "v1", ok=False)
        self.assertSame("vol-list", p1)
        self.assertSame("vol-list", p1, "--details")
        self.assertSame("vol-list", "nosuch", ok=False)
        self.to_state("p2", "inactive")
        self.assertSame("vol-list", self.name("p2"), ok=False)
        self.assertSame("vol-info", "v1", "--pool", self.name("p2"), ok=False)

    def test_upload_download(self):
        p1 = self.name("p1")
        v1 = os.path.join(self.pools["p1"]["path"], "v1")
        data = os.urandom(3 << 20) + bytes(1 << 20)
        source = self.write("source", "")
        with open(source, "wb") as f:
            f.write(data)
        # a sparse file: a hole, 5 bytes of data, a hole
        sparse = self.write("sparse", "")
        with open(sparse, "wb") as f:
            f.truncate(4 << 20)
            f.seek(2 << 20)
            f.write(b"hello")
        for extra in [(), ("--offset", "4096"), ("--length", "1000"),
                      ("--offset", "100", "--length", "5000"), ("--sparse",)]:
            src = sparse if "--sparse" in extra else source
            self.fresh_volumes()
            ours = virtkit(self.uri, "vol-upload", "v1", src, "--pool", p1, *extra)
            mine = digest(v1)
            self.fresh_volumes()
            theirs = virsh(self.uri, "vol-upload", "v1", src, "--pool", p1, *extra)
            if "--length" in extra:
                # more data than --length: the daemon's error reaches a client
                # while it still sends or only when it finishes, as it happens
                # (virsh says either); the error itself must be the same
                for r in (ours, theirs):
                    r.stderr = r.stderr.replace("cannot close volume",
                                                "cannot send data to volume")
            self.check_same(ours, theirs, f"vol-upload {extra}", None)
            self.assertEqual(mine, digest(v1), f"vol-upload {extra}")
        self.fresh_volumes()
        self.ref("vol-upload", "v1", source, "--pool", p1)
        for extra in [(), ("--offset", "4096"), ("--length", "1000"),
                      ("--offset", "100", "--length", "5000"), ("--sparse",)]:
            mine, theirs_file = (os.path.join(self.base, n) for n in ("mine", "theirs"))
            ours = virtkit(self.uri, "vol-download", "v1", mine, "--pool", p1, *extra)
            theirs = virsh(self.uri, "vol-download", "v1", theirs_file, "--pool", p1, *extra)
            self.check_same(ours, theirs, f"vol-download {extra}", True)
            self.assertEqual(digest(mine), digest(theirs_file), f"vol-download {extra}")
        self.assertEqual(digest(mine), hashlib.sha256(data).hexdigest())
        # errors: no such file, no such volume, an unwritable place
        self.assertSame("vol-upload", "v1", os.path.join(self.base, "nosuch"), "--pool", p1,
                        ok=False)
        self.assertSame("vol-upload", "nosuch", source, "--pool", p1, ok=False)
        self.assertSame("vol-download", "v1", os.path.join(self.base, "no", "dir"), "--pool",
                        p1, ok=False)
        self.assertSame("vol-upload", "v1", source, "--pool", p1, "--offset", "x", ok=False)


if __name__ == "__main__":
    unittest.main()
