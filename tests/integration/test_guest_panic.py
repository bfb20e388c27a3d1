"""A guest kernel panic under our virtqemud, as libvirt 9.0 handles it: the
guest (tests/guest, virtkit.action=panic) has <panic model='isa'/>, so its
pvpanic driver tells QEMU (GUEST_PANICKED), and <on_crash> decides what
follows.  What libvirtd does, seen with the same guest:
  destroy   Crashed/Panicked, Stopped/Crashed; 'shut off (crashed)'
  preserve  Crashed/Panicked; 'crashed (panicked)', QEMU kept until destroyed
  restart   Crashed/Panicked, a reboot event, Resumed/Unpaused; the same QEMU
            runs on, 'running (crashed)'
libvirtd may also send Suspended/Paused first (QEMU's STOP races with its
panic handling); the checks below allow that.  One boot per test: each boot
under TCG takes a while."""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "guest"))
import guest  # noqa: E402
from harness import virsh, wait_for  # noqa: E402
from test_guest_shutdown import E, SHUTDOWN_SECONDS, GuestTestCase  # noqa: E402

PANIC_CMDLINE = "virtkit.action=panic virtkit.delay=1"
STARTED = (E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED)
CRASHED = (E.VIR_DOMAIN_EVENT_CRASHED, E.VIR_DOMAIN_EVENT_CRASHED_PANICKED)
RACY_PAUSE = (E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED)


class GuestPanic(GuestTestCase):
    def start_panicking_guest(self, name, on_crash):
        self.define(name, cmdline=PANIC_CMDLINE, on_crash=on_crash, panic_model="isa")
        self.start_and_wait_ready(name)
        return self.qemu_pids(name)

    def qemu_pids(self, name):
        out = subprocess.run(["pgrep", "-f", f"guest={name},.*{self.daemon.root}/"],
                             capture_output=True, text=True).stdout
        return out.split()

    def panic_events(self, name, count):
        """NAME's lifecycle events from Started on, once there are COUNT of
        them (events travel apart from replies), without the racy pause."""
        def events():
            return [e for e in self.events_since_start(name) if e != RACY_PAUSE]
        try:
            wait_for(lambda: len(events()) >= count, timeout=5, what="lifecycle events")
        except TimeoutError:
            pass
        return events()

    def assert_panicked(self, name):
        self.assertIn(f"{guest.ACTION} panic", guest.read_console(self.console_path(name)))

    def restart_daemon(self):
        """Stop the daemon (its guests run on) and start it again."""
        for cb in self.callbacks:
            self.conn.domainEventDeregisterAny(cb)
        self.conn.close()
        self.assertEqual(self.daemon.stop(), 0, self.daemon.stderr()[-3000:])
        self.daemon.start()
        self.connect()

    def test_on_crash_destroy_stops_the_guest(self):
        name = "panicdestroy"
        self.start_panicking_guest(name, "destroy")
        self.wait_state(name, "shut off", SHUTDOWN_SECONDS)
        self.assert_panicked(name)
        self.assertEqual(self.state(name), "shut off (crashed)")
        self.assertEqual(self.conn.lookupByName(name).state(),
                         [E.VIR_DOMAIN_SHUTOFF, E.VIR_DOMAIN_SHUTOFF_CRASHED])
        self.assertEqual(self.panic_events(name, 3),
                         [STARTED, CRASHED,
                          (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_CRASHED)],
                         self.diagnostics(name))
        self.assertEqual(self.qemu_pids(name), [])

    def test_on_crash_preserve_keeps_it_crashed_across_a_daemon_restart(self):
        name = "panicpreserve"
        pids = self.start_panicking_guest(name, "preserve")
        self.wait_state(name, "crashed", SHUTDOWN_SECONDS)
        self.assert_panicked(name)
        self.assertEqual(self.state(name), "crashed (panicked)")
        self.assertEqual(self.panic_events(name, 2), [STARTED, CRASHED], self.diagnostics(name))
        self.assertEqual(self.qemu_pids(name), pids)

        # the status file says crashed: a new daemon sees it so
        self.restart_daemon()
        self.assertEqual(self.state(name), "crashed (panicked)", self.daemon.stderr()[-3000:])
        dom = self.conn.lookupByName(name)
        self.assertTrue(dom.isActive())
        self.assertEqual(dom.state(), [E.VIR_DOMAIN_CRASHED, E.VIR_DOMAIN_CRASHED_PANICKED])

        r = virsh(self.daemon.uri(), "destroy", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.state(name), "shut off (destroyed)")
        self.assertEqual(self.qemu_pids(name), [])

    def test_on_crash_restart_resets_the_guest_in_the_same_qemu(self):
        name = "panicrestart"
        pids = self.start_panicking_guest(name, "restart")
        # the guest boots again (and will panic again: the option stays)
        try:
            guest.wait_for_console(self.console_path(name), guest.READY, self.boot_timeout,
                                   count=2, alive=lambda: bool(self.qemu_pids(name)))
        except (TimeoutError, RuntimeError) as e:
            self.fail(f"{e}{self.diagnostics(name)}")
        self.assert_panicked(name)
        self.assertEqual(self.qemu_pids(name), pids)
        self.assertEqual(self.panic_events(name, 3)[:3],
                         [STARTED, CRASHED,
                          (E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED)],
                         self.diagnostics(name))
        self.assertIn(name, self.reboots)
        # running (crashed) until its next panic; virsh destroy ends it either way
        self.assertIn(self.state(name), ("running (crashed)", "crashed (panicked)"))
        r = virsh(self.daemon.uri(), "destroy", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.state(name), "shut off (destroyed)")


if __name__ == "__main__":
    unittest.main()
