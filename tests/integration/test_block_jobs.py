"""Block jobs through Debian's virsh against our virtqemud, with a real
QEMU guest (firmware only) on a qcow2 chain: blockpull, blockcommit (active
and inactive, --pivot), blockcopy (--pivot, --finish, shallow with
reuse-external), blockjob (--info, --abort, --pivot, --bandwidth) and
disk-only external snapshots, step by step as libvirtd 9.0 printed them
(tests/data/block-jobs, recorded by its record.py), the chains checked with
qemu-img info --backing-chain; the block-job and block-job-2 events too."""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import block_job_steps as steps  # noqa: E402
import harness  # noqa: E402
from harness import DaemonTestCase, VirshMixin, virsh  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "block-jobs")


def expected(name):
    with open(os.path.join(DATA, name)) as f:
        return f.read()


def sections(text):
    """{label: text} of a results file."""
    out, label = {}, None
    for line in text.splitlines(keepends=True):
        if line.startswith("=== "):
            label = line[4:].strip()
            out[label] = ""
        else:
            out[label] += line
    return out


class BlockJobs(VirshMixin, DaemonTestCase):
    def run_virsh(self, words):
        r = virsh(self.daemon.uri(), *words)
        return r.returncode, r.stdout, r.stderr

    def test_scenario_as_libvirtd(self):
        directory = os.path.join(self.daemon.root, "images")
        os.makedirs(directory)
        steps.prepare_images(directory)
        events = subprocess.Popen(["virsh", "-c", self.daemon.uri(), "event", "--all", "--loop"],
                                  stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        try:
            results = steps.run(directory, "bjguest", self.run_virsh)
        finally:
            time.sleep(0.5)
            events.terminate()
            out = events.communicate()[0]
        self.compare(sections(steps.format_results(results)), sections(expected("expected.txt")))
        self.assertEqual(steps.block_job_events(steps.unfill(out, directory, "bjguest"), "bjguest"),
                         expected("events.txt"))

    def compare_steps(self, steps_list, expected_name):
        directory = os.path.join(self.daemon.root, "images")
        os.makedirs(directory)
        steps.prepare_images(directory)
        results = steps.run(directory, "bjguest", self.run_virsh, steps_list)
        self.compare(sections(steps.format_results(results)), sections(expected(expected_name)))
        return directory

    def compare(self, ours, theirs):
        for label in theirs:
            with self.subTest(step=label):
                self.assertEqual(ours.get(label), theirs[label], label)

    def test_disk_only_snapshots_as_libvirtd(self):
        self.compare_steps(steps.SNAPSHOT_STEPS, "snapshots.txt")


    def test_copy_survives_daemon_restart(self):
        """A copy in its mirroring phase is still known to a restarted
        daemon (status file): --info, the live <mirror>, then a pivot."""
        directory = os.path.join(self.daemon.root, "images")
        os.makedirs(directory)
        steps.prepare_images(directory)
        with open(f"{directory}/rs.xml", "w") as f:
            f.write(steps.fill(steps.GUEST, directory, "rs"))
        self.virsh_ok("create", f"{directory}/rs.xml")
        self.assertEqual(self.virsh_ok("blockcopy", "rs", "vda", f"{directory}/copy.qcow2",
                                       "--wait"), "\nNow in mirroring phase\n")
        self.virsh_ok("blockjob", "rs", "vda", "--bandwidth", "3")
        self.daemon.stop()
        self.daemon.start()
        info = virsh(self.daemon.uri(), "blockjob", "rs", "vda", "--info")
        self.assertEqual(info.stderr.strip(), "Block Copy: [100 %]")
        self.assertIn("Bandwidth limit: 3145728 bytes/s (3.000 MiB/s)", info.stdout)
        disk = steps.disk_section(self.virsh_ok("dumpxml", "rs"))
        self.assertIn(f"<mirror type='file' file='{directory}/copy.qcow2' format='qcow2' "
                      "job='copy' ready='yes'>", disk)
        self.assertIn("already in active block job", self.virsh_fails("blockpull", "rs", "vda"))
        self.virsh_ok("blockjob", "rs", "vda", "--pivot")
        disk = steps.disk_section(self.virsh_ok("dumpxml", "rs"))
        self.assertIn(f"<source file='{directory}/copy.qcow2' index='5'/>", disk)
        self.assertNotIn("<mirror", disk)
        self.assertEqual(self.virsh_ok("blockjob", "rs", "vda", "--info"),
                         "No current block job for vda\n")
        self.assertEqual(steps.backing_chain(f"{directory}/copy.qcow2"),
                         f"image: {directory}/copy.qcow2\nfile format: qcow2\n")

    def test_pull_ending_while_daemon_is_down(self):
        """A pull that QEMU finishes while no daemon listens is finished at
        the reconnect: the chain loses the merged image."""
        directory = os.path.join(self.daemon.root, "images")
        os.makedirs(directory)
        steps.prepare_images(directory)
        subprocess.run(["qemu-io", "-f", "qcow2", "-c", "write -P 7 0 3M",
                        f"{directory}/mid.qcow2"], check=True, capture_output=True)
        with open(f"{directory}/pd.xml", "w") as f:
            f.write(steps.fill(steps.GUEST, directory, "pd"))
        self.virsh_ok("create", f"{directory}/pd.xml")
        self.virsh_ok("blockpull", "pd", "vda", "--base", f"{directory}/base.qcow2",
                      "--bandwidth", "1")
        self.daemon.stop()
        time.sleep(4)   # 3 MiB at 1 MiB/s
        self.daemon.start()
        harness.wait_for(lambda: "No current block job" in self.virsh_ok("blockjob", "pd", "vda",
                                                                          "--info"),
                         timeout=10, what="the pull to be finished")
        disk = steps.disk_section(self.virsh_ok("dumpxml", "pd"))
        self.assertNotIn("mid.qcow2", disk)
        self.assertIn(f"<source file='{directory}/base.qcow2'/>", disk)
        self.assertEqual(steps.backing_chain(f"{directory}/top.qcow2"),
                         f"image: {directory}/top.qcow2\nfile format: qcow2\n"
                         f"backing file: {directory}/base.qcow2\nbacking file format: qcow2\n"
                         f"image: {directory}/base.qcow2\nfile format: qcow2\n")

    def test_aborts_as_libvirtd(self):
        """Jobs cancelled while they run: the chain as it was, libvirtd's
        canceled events."""
        events = subprocess.Popen(["virsh", "-c", self.daemon.uri(), "event", "--all", "--loop"],
                                  stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)
        try:
            directory = self.compare_steps(steps.ABORT_STEPS, "aborts.txt")
        finally:
            time.sleep(0.5)
            events.terminate()
            out = events.communicate()[0]
        self.assertEqual(steps.block_job_events(steps.unfill(out, directory, "bjguest"), "bjguest"),
                         expected("abort-events.txt"))

    def test_errors_as_libvirtd(self):
        """Refused calls: libvirtd's errors, and nothing changed."""
        self.compare_steps(steps.ERROR_STEPS, "errors.txt")

QEMU_USER = "libvirt-qemu"
HAVE_QEMU_USER = any(p.pw_name == QEMU_USER for p in pwd.getpwall())


@unittest.skipUnless(HAVE_QEMU_USER, f"no user {QEMU_USER}")
class BlockJobsAsQemuUser(VirshMixin, unittest.TestCase):
    """QEMU runs as libvirt-qemu (qemu.conf): the images block jobs and
    snapshots make are given to it before QEMU opens them."""

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="virtkit-bj-")
        os.chmod(self.root, 0o755)   # QEMU's user must reach the images
        os.makedirs(os.path.join(self.root, "etc", "libvirt"))
        with open(os.path.join(self.root, "etc", "libvirt", "qemu.conf"), "w") as f:
            f.write(f'user = "{QEMU_USER}"\ngroup = "{QEMU_USER}"\n')
        self.daemon = harness.Daemon(root=self.root).start()

    def tearDown(self):
        self.daemon.cleanup()
        shutil.rmtree(self.root, ignore_errors=True)

    def test_copy_and_snapshot(self):
        directory = os.path.join(self.root, "images")
        os.makedirs(directory, 0o755)
        steps.prepare_images(directory)
        with open(f"{directory}/qu.xml", "w") as f:
            # TCG: QEMU's user has no access to /dev/kvm here
            f.write(steps.fill(steps.GUEST, directory, "qu").replace("type='kvm'", "type='qemu'", 1))
        self.virsh_ok("create", f"{directory}/qu.xml")
        self.virsh_ok("blockcopy", "qu", "vda", f"{directory}/copy.qcow2", "--pivot", "--wait")
        self.virsh_ok("snapshot-create-as", "qu", "s1", "--disk-only", "--no-metadata")
        uid = pwd.getpwnam(QEMU_USER).pw_uid
        for image in ("copy.qcow2", "copy.s1", "b.s1"):
            self.assertEqual(os.stat(f"{directory}/{image}").st_uid, uid, image)
        self.virsh_ok("blockcommit", "qu", "vda", "--active", "--pivot", "--wait")
        self.assertIn(f"<source file='{directory}/copy.qcow2' index=",
                      steps.disk_section(self.virsh_ok("dumpxml", "qu")))
        # what the jobs took out of the disk is given back: the old top
        # images (the copy's source, the snapshot's overlay)
        self.assertEqual(os.stat(f"{directory}/top.qcow2").st_uid, 0)
        self.assertEqual(os.stat(f"{directory}/copy.s1").st_uid, 0)
        self.assertIn("running", self.virsh_ok("domstate", "qu"))
        self.virsh_ok("destroy", "qu")


if __name__ == "__main__":
    unittest.main()
