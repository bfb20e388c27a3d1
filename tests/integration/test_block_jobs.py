"""Block jobs through Debian's virsh against our virtqemud, with a real
QEMU guest (firmware only) on a qcow2 chain: blockpull, blockcommit (active
and inactive, --pivot), blockcopy (--pivot, --finish, shallow with
reuse-external), blockjob (--info, --abort, --pivot, --bandwidth) and
disk-only external snapshots, step by step as libvirtd 9.0 printed them
(tests/data/block-jobs, recorded by its record.py), the chains checked with
qemu-img info --backing-chain; the block-job and block-job-2 events too."""
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import block_job_steps as steps  # noqa: E402
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
        ours = sections(steps.format_results(results))
        theirs = sections(expected("expected.txt"))
        for label in theirs:
            with self.subTest(step=label):
                self.assertEqual(ours.get(label), theirs[label], label)
        self.assertEqual(steps.block_job_events(steps.unfill(out, directory, "bjguest"), "bjguest"),
                         expected("events.txt"))

    def test_disk_only_snapshots_as_libvirtd(self):
        directory = os.path.join(self.daemon.root, "images")
        os.makedirs(directory)
        steps.prepare_images(directory)
        results = steps.run(directory, "bjguest", self.run_virsh, steps.SNAPSHOT_STEPS)
        ours = sections(steps.format_results(results))
        theirs = sections(expected("snapshots.txt"))
        for label in theirs:
            with self.subTest(step=label):
                self.assertEqual(ours.get(label), theirs[label], label)


if __name__ == "__main__":
    unittest.main()
