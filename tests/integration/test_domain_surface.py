"""Smaller parts of the domain surface, each compared with what libvirtd 9.0
printed for the same steps (tests/data/domain-surface, recorded by
scripts/regenerate-domain-surface-expected.sh): resume of a running guest and
domjobinfo of a shut-off one, the live CPU and the migratable XML, the
balloon's statistics period, I/O threads, domrename and its events, list
--with-snapshot.  Debian's virsh and python3-libvirt against a real
virtqemud running real QEMU guests."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, VirshMixin  # noqa: E402
import guests  # noqa: E402
import surface_steps  # noqa: E402


def sections(steps):
    """The steps' indexes grouped under the notes that head them."""
    out, title = {}, "define"
    for i, step in enumerate(steps):
        if "note" in step:
            title = step["note"]
        else:
            out.setdefault(title, []).append(i)
    return out


class DomainSurface(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon().start()
        work = os.path.join(cls.daemon.root, "surface")
        os.makedirs(work)
        try:
            cls.ours = surface_steps.Runner(cls.daemon.uri(), "", work).run()
        except Exception:
            cls.daemon.cleanup()
            raise
        with open(surface_steps.EXPECTED) as f:
            cls.theirs = json.load(f)
        cls.steps = surface_steps.load_steps()
        cls.by_section = sections(cls.steps)

    @classmethod
    def tearDownClass(cls):
        alive = cls.daemon.alive()
        log = cls.daemon.stderr()
        cls.daemon.cleanup()
        if not alive:
            raise AssertionError(f"virtqemud died during the steps:\n{log[-3000:]}")

    def check_section(self, starts):
        """Every step of the section whose note starts with STARTS gave
        libvirtd's answer."""
        titles = [t for t in self.by_section if t.startswith(starts)]
        self.assertEqual(len(titles), 1, starts)
        for i in self.by_section[titles[0]]:
            step = self.steps[i]
            with self.subTest(step=i, what=step.get("virsh") or step.get("api")):
                self.assertEqual(self.ours["steps"][i], self.theirs["steps"][i])

    def test_define(self):
        self.check_section("define")

    def test_resume_suspend_domjobinfo(self):
        self.check_section("resume, suspend and domjobinfo")

    def test_live_cpu_and_migratable_xml(self):
        self.check_section("the live CPU of a named model")

    def test_default_cpu_live(self):
        self.check_section("the default CPU")

    def test_balloon_stats_period(self):
        self.check_section("the balloon's statistics period")

    def test_iothreads_running(self):
        self.check_section("I/O threads of a running guest")

    def test_iothreads_shut_off(self):
        self.check_section("I/O threads of a shut-off guest")

    def test_rename(self):
        self.check_section("rename")

    def test_list_with_snapshot(self):
        self.check_section("domains with and without snapshots")

    def test_lifecycle_events(self):
        """Rename sends Undefined(renamed) for the old name, then
        Defined(renamed) for the new one; the rest as libvirtd does."""
        self.assertEqual(self.ours["events"], self.theirs["events"])


class RestartCase(VirshMixin, unittest.TestCase):
    def setUp(self):
        self.daemon = Daemon().start()

    def tearDown(self):
        self.daemon.cleanup()

    def restart(self):
        root = self.daemon.root
        self.daemon.stop()
        self.daemon = Daemon(root=root).start()
        self.daemon.own_root = True


class MigratableAfterRestart(RestartCase):
    def test_the_cpu_as_started_is_kept(self):
        """A restarted daemon still gives the migratable XML the CPU the
        guest was started with, and the live XML QEMU's features."""
        cpu = "<cpu mode='custom' match='exact'><model>Nehalem</model></cpu>"
        self.virsh_ok("define", self.write("g.xml", guests.minimal("g", extra=cpu)))
        self.virsh_ok("start", "g")
        live = self.virsh_ok("dumpxml", "g")
        migratable = self.virsh_ok("dumpxml", "--migratable", "g")
        self.assertIn("check='full'", live)
        self.assertIn("check='partial'", migratable)
        self.assertNotIn("<feature ", migratable)
        self.restart()
        self.assertEqual(self.virsh_ok("dumpxml", "g"), live)
        self.assertEqual(self.virsh_ok("dumpxml", "--migratable", "g"), migratable)


class RenameKeepsItsFiles(RestartCase):
    """A renamed domain is found under its new name by a restarted daemon,
    with its autostart link and its snapshots; the old files are gone."""

    def path(self, *parts):
        return os.path.join(self.daemon.root, *parts)

    def test_rename_survives_a_restart(self):
        disk = guests.disk_image(self.daemon.root, "old")
        xml = guests.minimal("old", devices=guests.file_disk(disk))
        self.virsh_ok("define", self.write("old.xml", xml))
        self.virsh_ok("autostart", "old")
        self.virsh_ok("snapshot-create-as", "old", "s1")
        self.virsh_ok("domrename", "old", "new")

        self.restart()
        self.assertEqual(self.virsh_ok("list", "--all", "--name"), "new\n\n")
        self.assertEqual(self.virsh_ok("list", "--all", "--name", "--with-snapshot"), "new\n\n")
        self.assertEqual(self.virsh_ok("snapshot-list", "new", "--name"), "s1\n\n")
        self.assertIn("Autostart:      enable", self.virsh_ok("dominfo", "new"))
        etc = self.path("etc", "libvirt", "qemu")
        self.assertTrue(os.path.exists(os.path.join(etc, "new.xml")))
        self.assertTrue(os.path.islink(os.path.join(etc, "autostart", "new.xml")))
        self.assertFalse(os.path.lexists(os.path.join(etc, "old.xml")))
        self.assertFalse(os.path.lexists(os.path.join(etc, "autostart", "old.xml")))
        self.assertFalse(os.path.exists(
            self.path("var", "lib", "libvirt", "qemu", "snapshot", "old")))


if __name__ == "__main__":
    unittest.main()
