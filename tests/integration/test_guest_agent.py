"""The QEMU guest agent through Debian's virsh, against a real guest running
Debian's qemu-guest-agent (tests/guest): the scenario of guest_agent_steps.py
run on our virtqemud and compared with what the reference libvirtd 9.0
printed for the same steps (tests/data/guest-agent/expected.json, made by
scripts/regenerate-guest-agent-expected.py).  Three guests: without the
agent channel, with the channel but no agent, with both."""
import json
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Daemon, TinyGuestMixin  # noqa: E402
import guest_agent_steps as steps  # noqa: E402

PREFIX = "vk-ga"
EXPECTED = os.path.join(HERE, "..", "data", "guest-agent", "expected.json")
# What we print differently on purpose: our JSON parser's words.
OWN_WORDING = {"ga-agent-command-bad-json"}


class GuestAgentTest(TinyGuestMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with open(EXPECTED) as f:
            cls.expected = json.load(f)
        cls.daemon = Daemon("virtqemud").start()
        cls.uri = cls.daemon.uri()
        cls.work = cls.daemon.root
        xmls = steps.domains(cls.guest, PREFIX, cls.kernel, cls.initrd, cls.virt_type, cls.work)
        cls.names = {role: f"{PREFIX}-{role}" for role in xmls}
        cls.results, cls.failure = {}, None
        try:
            for role, xml in xmls.items():
                path = os.path.join(cls.work, f"{role}.xml")
                with open(path, "w") as f:
                    f.write(xml)
                subprocess.run(["virsh", "-c", cls.uri, "define", path], check=True,
                               capture_output=True)
            cls.results = steps.run_scenario(cls.uri, cls.guest, cls.names, cls.work, PREFIX)
        except Exception as e:     # reported by every test, with the daemon's log
            cls.failure = f"{e!r}\n--- daemon ---\n{cls.daemon.stderr()[-3000:]}"

    @classmethod
    def tearDownClass(cls):
        for name in cls.names.values():
            subprocess.run(["virsh", "-c", cls.uri, "destroy", name], capture_output=True)
        alive = cls.daemon.alive()
        log = cls.daemon.stderr()
        cls.daemon.cleanup()
        super().tearDownClass()
        if not alive:
            raise AssertionError(f"daemon died during the test:\n{log[-3000:]}")

    def setUp(self):
        if self.failure:
            self.fail(f"the scenario did not run through: {self.failure}")

    def assertSameAsLibvirtd(self, step_list):
        for step, _, args in step_list:
            with self.subTest(step=step):
                ours, theirs = self.results.get(step), self.expected[step]
                self.assertIsNotNone(ours, f"{step} did not run")
                what = f"virsh {' '.join(args)}"
                self.assertEqual(ours["rc"], theirs["rc"], f"{what}: {ours['stderr']}")
                self.assertEqual(ours["stdout"], theirs["stdout"], what)
                if step in OWN_WORDING:
                    self.assertEqual(ours["stderr"].split(":")[:3], theirs["stderr"].split(":")[:3])
                else:
                    self.assertEqual(ours["stderr"], theirs["stderr"], what)

    def test_no_channel_and_no_agent_errors(self):
        self.assertSameAsLibvirtd(steps.ERROR_STEPS)

    def test_agent_commands(self):
        self.assertSameAsLibvirtd(steps.AGENT_STEPS)

    def test_time_set_reaches_the_guest(self):
        out = self.results["ga-domtime-after-set"]["raw_stdout"]
        seconds = int(re.search(r"Time: (\d+)", out).group(1))
        self.assertTrue(1700000000 <= seconds < 1700000000 + 60, out)

    def test_reboot_and_shutdown_through_the_agent(self):
        self.assertSameAsLibvirtd(steps.REBOOT_STEPS + steps.FINAL_STEPS)
        console = self.guest.read_console(os.path.join(self.work, "ga.console"))
        self.assertIn("VIRTKIT-GUEST-SHUTDOWN reboot", console)
        self.assertIn("VIRTKIT-GUEST-SHUTDOWN poweroff", console)
        self.assertEqual(self.results["ga-state-after-shutdown"]["stdout"],
                         self.expected["ga-state-after-shutdown"]["stdout"])

    def test_agent_that_stops_answering_times_out(self):
        self.assertSameAsLibvirtd(steps.STALL_STEPS)
        seconds = self.results["ga-agent-command-stalled"]["seconds"]
        self.assertTrue(1.5 <= seconds < 4.5, seconds)      # its --timeout 2
        seconds = self.results["ga-domtime-stalled"]["seconds"]
        # the guest-sync before the command waits 5 s, as libvirt's does
        self.assertTrue(4.5 <= seconds < 8, seconds)

    def test_daemon_restart_reconnects_to_the_agent(self):
        """The status file keeps the channel's state: a restarted daemon
        connects to the agent again at once."""
        work = os.path.join(self.work, "restart")
        os.makedirs(work)
        xml = steps.domains(self.guest, "vk-rs", self.kernel, self.initrd, self.virt_type,
                            work)["ga"]
        path = os.path.join(work, "ga.xml")
        with open(path, "w") as f:
            f.write(xml)
        self.names["rs"] = "vk-rs-ga"
        subprocess.run(["virsh", "-c", self.uri, "define", path], check=True, capture_output=True)
        steps.start_and_wait(self.uri, self.guest, "vk-rs-ga", os.path.join(work, "ga.console"))
        steps.wait_agent(self.uri, "vk-rs-ga")
        self.daemon.proc.terminate()
        self.daemon.proc.wait()
        self.daemon.start()
        r = steps.virsh(self.uri, "vk-rs-ga", ["domhostname"])
        self.assertEqual((r["rc"], r["stdout"]), (0, "virtkit-guest\n\n"), r["stderr"])
        r = steps.virsh(self.uri, "vk-rs-ga", ["dumpxml", "--xpath", "//channel/target/@state"])
        self.assertEqual(r["stdout"].strip(), 'state="connected"')

    def test_agent_lifecycle_events(self):
        self.assertEqual(self.results["events"], self.expected["events"])


if __name__ == "__main__":
    unittest.main()
