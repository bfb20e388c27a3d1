"""The daemon's own life: pid file, --daemon, SIGTERM, SIGHUP reload, and a
bad config file refused at start."""
import os
import signal
import subprocess
import sys
import tempfile
import shutil
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Daemon, daemon_path, virsh, wait_for  # noqa: E402


class DaemonLifecycle(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="virtkit-life-")

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def test_sigterm_cleans_up(self):
        d = Daemon(root=self.root).start()
        pidfile = os.path.join(self.root, "run", "virtqemud.pid")
        self.assertEqual(int(open(pidfile).read().strip()), d.proc.pid)
        self.assertEqual(d.stop(signal.SIGTERM), 0)
        self.assertFalse(os.path.exists(d.socket()))
        self.assertFalse(os.path.exists(pidfile))

    def test_second_daemon_refused_by_pid_file(self):
        d = Daemon(root=self.root).start()
        try:
            r = subprocess.run([daemon_path("virtqemud"), "--root", self.root],
                               capture_output=True, text=True, timeout=10)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("virtqemud.pid", r.stderr)
            # The first one is untouched.
            self.assertEqual(virsh(d.uri(), "hostname").returncode, 0)
        finally:
            d.stop()

    def test_daemon_option_detaches(self):
        r = subprocess.run([daemon_path("virtqemud"), "--root", self.root, "--daemon"],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        pidfile = os.path.join(self.root, "run", "virtqemud.pid")
        wait_for(lambda: os.path.exists(pidfile))
        pid = int(open(pidfile).read().strip())
        try:
            sock = os.path.join(self.root, "run", "libvirt", "virtqemud-sock")
            r = virsh(f"qemu+unix:///system?socket={sock}", "uri")
            self.assertEqual(r.returncode, 0, r.stderr)
        finally:
            os.kill(pid, signal.SIGTERM)
            wait_for(lambda: not os.path.exists(f"/proc/{pid}"), what="daemon exit")

    def test_sighup_reloads_log_settings(self):
        log = os.path.join(self.root, "debug.log")
        d = Daemon(root=self.root, config="log_level = 4\n").start()
        try:
            self.assertEqual(virsh(d.uri(), "hostname").returncode, 0)
            self.assertFalse(os.path.exists(log))
            with open(d.config_path(), "w") as f:
                f.write(f'log_level = 1\nlog_outputs = "1:file:{log}"\n')
            d.proc.send_signal(signal.SIGHUP)
            wait_for(lambda: os.path.exists(log), what="log file after SIGHUP")
            self.assertEqual(virsh(d.uri(), "hostname").returncode, 0)
            time.sleep(0.2)
            self.assertIn("connected", open(log).read())
            # A broken file on reload is reported and the daemon keeps going.
            with open(d.config_path(), "w") as f:
                f.write("log_level = \"loud\n")
            d.proc.send_signal(signal.SIGHUP)
            time.sleep(0.3)
            self.assertTrue(d.alive())
            self.assertEqual(virsh(d.uri(), "hostname").returncode, 0)
        finally:
            d.stop()

    def test_bad_config_refused(self):
        os.makedirs(os.path.join(self.root, "etc", "libvirt"))
        with open(os.path.join(self.root, "etc", "libvirt", "virtqemud.conf"), "w") as f:
            f.write("max_workers = \"many\"\n")
        r = subprocess.run([daemon_path("virtqemud"), "--root", self.root],
                           capture_output=True, text=True, timeout=10)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("max_workers", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.root, "run", "libvirt", "virtqemud-sock")))


if __name__ == "__main__":
    unittest.main()
