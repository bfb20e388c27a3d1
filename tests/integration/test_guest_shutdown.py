"""A real Linux guest (tests/guest/build-guest.sh) under our virtqemud:
`virsh shutdown` reaches the guest as the ACPI power button and the guest
powers off by itself; a guest that powers off or reboots on its own is seen
as such.  Checked with virsh and with python3-libvirt's event callbacks."""
import os
import subprocess
import sys
import time
import unittest

import libvirt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "guest"))
import harness  # noqa: E402
from harness import DaemonTestCase, TinyGuestMixin, virsh, wait_for  # noqa: E402
import guest  # noqa: E402

libvirt.registerErrorHandler(lambda ctx, err: None, None)
harness.start_libvirt_event_loop()

E = libvirt
SHUTDOWN_SECONDS = 30


def timing(what, seconds):
    sys.stderr.write(f"[guest] {what}: {seconds:.2f}s\n")


class GuestTestCase(TinyGuestMixin, DaemonTestCase):
    """Builds the guest once, then one daemon and one guest per test."""

    def setUp(self):
        super().setUp()
        self.events = []
        self.reboots = []
        self.names = []
        self.connect()

    def connect(self):
        """A python3-libvirt connection that records lifecycle and reboot events."""
        self.conn = libvirt.open(self.daemon.uri())
        self.callbacks = [
            self.conn.domainEventRegisterAny(
                None, E.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                lambda c, d, ev, det, op: self.events.append((d.name(), ev, det)), None),
            self.conn.domainEventRegisterAny(
                None, E.VIR_DOMAIN_EVENT_ID_REBOOT,
                lambda c, d, op: self.reboots.append(d.name()), None),
        ]

    def tearDown(self):
        # guests outlive their daemon by design: end ours before it stops
        for name in self.names:
            try:
                dom = self.conn.lookupByName(name)
                if dom.isActive():
                    dom.destroy()
            except libvirt.libvirtError:
                pass
            self.kill_qemu(name)
        for cb in self.callbacks:
            try:
                self.conn.domainEventDeregisterAny(cb)
            except libvirt.libvirtError:
                pass
        self.conn.close()
        super().tearDown()

    def kill_qemu(self, name):
        """Last resort when the daemon could not destroy the guest."""
        out = subprocess.run(["pgrep", "-f", f"guest={name},.*{self.daemon.root}/"],
                             capture_output=True, text=True).stdout
        for pid in out.split():
            try:
                os.kill(int(pid), 9)
            except OSError:
                pass

    def console_path(self, name):
        return os.path.join(self.daemon.root, f"{name}-console.log")

    def qemu_log(self, name):
        path = os.path.join(self.daemon.root, "var", "log", "libvirt", "qemu", f"{name}.log")
        return guest.read_console(path)

    def diagnostics(self, name):
        return (f"\n--- QEMU log ---\n{self.qemu_log(name)[-3000:]}"
                f"\n--- daemon log ---\n{self.daemon.stderr()[-3000:]}"
                f"\n--- console ---\n{guest.read_console(self.console_path(name))[-2000:]}"
                f"\n--- events ---\n{self.events}")

    def define(self, name, **kwargs):
        xml = guest.domain_xml(name, self.kernel, self.initrd, self.console_path(name),
                               virt_type=self.virt_type, **kwargs)
        path = os.path.join(self.daemon.root, f"{name}.xml")
        with open(path, "w") as f:
            f.write(xml)
        r = virsh(self.daemon.uri(), "define", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.names.append(name)

    def start_and_wait_ready(self, name):
        t0 = time.monotonic()
        r = virsh(self.daemon.uri(), "start", name)
        self.assertEqual(r.returncode, 0, r.stderr + self.diagnostics(name))
        try:
            guest.wait_for_console(self.console_path(name), guest.READY, self.boot_timeout,
                                   alive=lambda: self.state(name).startswith("running"))
        except (TimeoutError, RuntimeError) as e:
            self.fail(f"{e}{self.diagnostics(name)}")
        timing(f"{name}: start to {guest.READY}", time.monotonic() - t0)

    def state(self, name):
        r = virsh(self.daemon.uri(), "domstate", "--reason", name)
        return r.stdout.strip() if r.returncode == 0 else f"error: {r.stderr.strip()}"

    def wait_state(self, name, prefix, timeout):
        try:
            wait_for(lambda: self.state(name).startswith(prefix), timeout=timeout,
                     what=f"{name} to be '{prefix}'")
        except TimeoutError as e:
            self.fail(f"{e}; it is '{self.state(name)}'{self.diagnostics(name)}")

    def events_since_start(self, name):
        """The lifecycle events of NAME from Started on (libvirt also sends
        Defined and Resumed before it)."""
        ours = [(ev, det) for (n, ev, det) in self.events if n == name]
        started = (E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED)
        return ours[ours.index(started):] if started in ours else ours

    def assert_shut_down_by_guest(self, name):
        expected = [
            (E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED),
            (E.VIR_DOMAIN_EVENT_SHUTDOWN, E.VIR_DOMAIN_EVENT_SHUTDOWN_GUEST),
            (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN),
        ]
        self.assertEqual(self.state(name), "shut off (shutdown)")
        # events travel separately from the replies: give the last one a moment
        try:
            wait_for(lambda: len(self.events_since_start(name)) >= len(expected), timeout=5,
                     what="lifecycle events")
        except TimeoutError:
            pass
        self.assertEqual(self.events_since_start(name), expected, self.diagnostics(name))


class GuestShutdown(GuestTestCase):
    def test_virsh_shutdown_powers_the_guest_off(self):
        name = "tiny"
        self.define(name)
        self.start_and_wait_ready(name)
        self.assertEqual(self.state(name), "running (booted)")

        t0 = time.monotonic()
        r = virsh(self.daemon.uri(), "shutdown", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), f"Domain '{name}' is being shutdown")
        self.wait_state(name, "shut off", SHUTDOWN_SECONDS)
        timing(f"{name}: virsh shutdown to shut off", time.monotonic() - t0)

        # it was the guest's own doing: its power button handler ran
        self.assertIn(guest.POWER_BUTTON, guest.read_console(self.console_path(name)))
        self.assert_shut_down_by_guest(name)
        self.assertEqual(self.conn.lookupByName(name).state(),
                         [E.VIR_DOMAIN_SHUTOFF, E.VIR_DOMAIN_SHUTOFF_SHUTDOWN])

    def test_guest_powers_off_by_itself(self):
        name = "selfoff"
        self.define(name, cmdline="virtkit.action=poweroff virtkit.delay=1")
        self.start_and_wait_ready(name)
        self.wait_state(name, "shut off", SHUTDOWN_SECONDS)
        console = guest.read_console(self.console_path(name))
        self.assertIn(f"{guest.ACTION} poweroff", console)
        self.assertNotIn(guest.POWER_BUTTON, console)
        self.assert_shut_down_by_guest(name)

    def test_guest_reboot_with_on_reboot_destroy_ends_it(self):
        # libvirt asks QEMU to turn a guest reboot into a shutdown: the same
        # events and state as a guest power-off, and no reboot event
        name = "rebootdestroy"
        self.define(name, cmdline="virtkit.action=reboot virtkit.delay=1", on_reboot="destroy")
        self.start_and_wait_ready(name)
        self.wait_state(name, "shut off", SHUTDOWN_SECONDS)
        self.assertIn(f"{guest.ACTION} reboot", guest.read_console(self.console_path(name)))
        self.assert_shut_down_by_guest(name)
        self.assertNotIn(name, self.reboots)

    def test_guest_reboots_by_itself(self):
        name = "selfreboot"
        self.define(name, cmdline="virtkit.action=reboot virtkit.delay=1")
        self.start_and_wait_ready(name)
        # each boot prints the ready line, then reboots: a second one means
        # QEMU reset the machine and the guest came back
        try:
            guest.wait_for_console(self.console_path(name), guest.READY, self.boot_timeout,
                                   count=2, alive=lambda: self.state(name).startswith("running"))
        except (TimeoutError, RuntimeError) as e:
            self.fail(f"{e}{self.diagnostics(name)}")
        self.assertTrue(self.state(name).startswith("running"), self.state(name))
        try:
            wait_for(lambda: name in self.reboots, timeout=5, what="a reboot event")
        except TimeoutError:
            self.fail(f"no reboot event{self.diagnostics(name)}")
        # still the same run: no lifecycle event after Started
        self.assertEqual(self.events_since_start(name),
                         [(E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED)])

        r = virsh(self.daemon.uri(), "destroy", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.state(name), "shut off (destroyed)")


if __name__ == "__main__":
    unittest.main()
