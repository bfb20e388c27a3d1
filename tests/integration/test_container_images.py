"""The images of units/container/ built and run with podman: virtqemud and
virtnetworkd, one container each, share a socket directory (the layout of
units/container/compose.yaml, as `podman run` commands); Debian's virsh on
the host defines a network and a guest through virtqemud's socket (network
calls reach virtnetworkd through virtqemud), the guest boots on that
network, `podman stop` ends virtqemud cleanly and leaves the guest running,
and a new virtqemud container takes it back.

Both containers join a network namespace the test makes (podman's
`--network ns:PATH`): the bridge, dnsmasq and their nftables rules are
there, never on the host.  The images are built (or found in podman's cache)
by scripts/build-containers.sh; the test is skipped where podman is not
installed."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import unittest
import uuid

from harness import TinyGuestMixin, wait_for, virsh

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PODMAN = [os.path.join(TOP, "scripts", "podman-here")]
DAEMONS = ("virtqemud", "virtnetworkd", "virtstoraged", "virtnodedevd", "virtproxyd")
BUILD_TIMEOUT = 1500   # a cold build compiles the tree in a container

NETWORK_XML = """<network>
  <name>ctr</name>
  <bridge name='{bridge}'/>
  <ip address='192.168.177.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.177.10' end='192.168.177.20'/></dhcp>
  </ip>
</network>"""

INTERFACE_XML = "<interface type='network'><source network='ctr'/><model type='virtio'/></interface>"


def podman(*args, timeout=60, check=True):
    r = subprocess.run(PODMAN + list(args), capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)}: {r.stderr}")
    return r


@unittest.skipUnless(shutil.which("podman"), "podman is not installed (apt-get install podman)")
class ContainerImagesTest(TinyGuestMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = subprocess.run([os.path.join(TOP, "scripts", "build-containers.sh"),
                            *DAEMONS],
                           capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        if r.returncode != 0:
            raise AssertionError(f"building the images failed:\n{r.stderr[-4000:]}")

    def setUp(self):
        tag = uuid.uuid4().hex[:8]
        self.netns = f"virtkit-ctr-{tag}"
        self.names = {"net": f"virtkit-net-{tag}", "qemu": f"virtkit-qemu-{tag}",
                      "qemu2": f"virtkit-qemu2-{tag}", "storage": f"virtkit-storage-{tag}",
                      "nodedev": f"virtkit-nodedev-{tag}", "proxy": f"virtkit-proxy-{tag}"}
        self.bridge = f"vkc{tag[:6]}"
        self.top = tempfile.mkdtemp(prefix="virtkit-img-")
        os.chmod(self.top, 0o755)
        # qemu-config: a named volume, so it starts with the image's qemu.conf
        self.config_volume = f"virtkit-qemu-config-{tag}"
        for d in ("sockets", "qemu-state", "net-state", "net-config"):
            os.mkdir(os.path.join(self.top, d))
        self.sockdir = os.path.join(self.top, "sockets")
        self.daemon_pids = []
        self.qemu_key = "qemu"   # the virtqemud container running now
        self.addCleanup(self.cleanup)
        subprocess.run(["ip", "netns", "add", self.netns], check=True)
        subprocess.run(["ip", "-n", self.netns, "link", "set", "lo", "up"], check=True)

    def cleanup(self):
        for name in self.names.values():
            podman("stop", "-t", "10", name, check=False)
            podman("rm", "-f", "-v", "-t", "0", name, check=False)   # -v: its anonymous volumes
        for pid in self.daemon_pids:   # out of their containers' cgroups
            subprocess.run(["kill", "-KILL", str(pid)], capture_output=True)
        podman("volume", "rm", "-f", self.config_volume, check=False)
        subprocess.run(["pkill", "-KILL", "-f", f"qemu-system.*{self.top}/"])
        subprocess.run(["pkill", "-KILL", "-f", f"dnsmasq.*{self.bridge}"])
        subprocess.run(["ip", "netns", "del", self.netns])
        subprocess.run(["rm", "-rf", self.top])

    def run_container(self, key, image, *args):
        """podman run -d, as compose.yaml's service, in the test's namespace."""
        podman("run", "-d", "--name", self.names[key], f"--network=ns:/run/netns/{self.netns}",
               "-v", f"{self.sockdir}:/run/libvirt", *args, f"localhost/virtkit/{image}",
               "--verbose")

    def start_virtnetworkd(self):
        self.run_container("net", "virtnetworkd", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW",
                           "-v", f"{self.top}/net-state:/var/lib/libvirt",
                           "-v", f"{self.top}/net-config:/etc/libvirt")
        self.wait_socket("virtnetworkd-sock", "net")

    def start_virtqemud(self, key):
        # --pid host and the host's cgroups, where virtkit-init starts the
        # daemon: the guests are in neither the container's pid namespace nor
        # its cgroups, so they outlive it
        self.run_container(key, "virtqemud", "--cap-add", "NET_ADMIN", "--pid", "host",
                           "-e", "VIRTKIT_CGROUP=/machine",
                           "--device", "/dev/kvm", "--device", "/dev/net/tun",
                           "-v", "/sys/fs/cgroup:/sys/fs/cgroup",
                           "-v", f"{self.top}/qemu-state:/var/lib/libvirt",
                           "-v", f"{self.config_volume}:/etc/libvirt",
                           "-v", f"{self.top}:{self.top}",
                           "-v", f"{os.path.dirname(self.kernel)}:{os.path.dirname(self.kernel)}:ro",
                           "-e", "LIBVIRT_LOG_OUTPUTS=2:stderr")
        self.wait_socket("virtqemud-sock", key)
        init = podman("inspect", "--format", "{{.State.Pid}}", self.names[key]).stdout.strip()
        self.daemon_pids += [int(p) for p in subprocess.run(["pgrep", "-P", init], capture_output=True,
                                                            text=True).stdout.split()]

    def wait_socket(self, name, key):
        def accepting():
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.connect(os.path.join(self.sockdir, name))
                return True
            except OSError:
                return False
        try:
            wait_for(accepting, timeout=30, what=name)
        except TimeoutError:
            self.fail(f"{name} did not come up:\n{self.logs(key)}")

    def stop_cleanly(self, key):
        """podman stop (SIGTERM): the daemon ends with status 0."""
        podman("stop", "-t", "20", self.names[key])
        state = podman("inspect", "--format", "{{.State.ExitCode}}", self.names[key])
        self.assertEqual(state.stdout.strip(), "0", self.logs(key))

    def logs(self, key):
        r = podman("logs", self.names[key], check=False)
        return (r.stdout + r.stderr)[-3000:]

    def uri(self):
        return f"qemu+unix:///system?socket={self.sockdir}/virtqemud-sock"

    def virsh_ok(self, *args, uri=None):
        r = virsh(uri or self.uri(), *args)
        self.assertEqual(r.returncode, 0, f"virsh {args}: {r.stderr}\n--- virtqemud ---\n"
                                          f"{self.logs(self.qemu_key)}\n--- virtnetworkd ---\n"
                                          f"{self.logs('net')}")
        return r.stdout

    def write(self, name, text):
        path = os.path.join(self.top, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def qemu_pids(self):
        return subprocess.run(["pgrep", "-f", f"guest=c1,.*{self.top}/"], capture_output=True,
                              text=True).stdout.split()

    def in_netns(self, *cmd):
        return subprocess.run(["ip", "-n", self.netns] + list(cmd), capture_output=True, text=True)

    def test_guest_outlives_virtqemud_container(self):
        self.start_virtnetworkd()
        self.start_virtqemud("qemu")
        self.assertIn("virtnetworkd-sock", os.listdir(self.sockdir))

        # network calls on virtqemud's socket are virtnetworkd's
        self.virsh_ok("net-define", self.write("net.xml", NETWORK_XML.format(bridge=self.bridge)))
        self.virsh_ok("net-start", "ctr")
        self.assertRegex(self.virsh_ok("net-list"), r"\bctr\s+active")
        link = self.in_netns("link", "show", self.bridge)
        self.assertEqual(link.returncode, 0, "the bridge is in the test's namespace")
        self.assertNotIn(self.bridge, subprocess.run(["ip", "link"], capture_output=True,
                                                     text=True).stdout)

        console = os.path.join(self.top, "c1.console")
        xml = self.guest.domain_xml("c1", self.kernel, self.initrd, console,
                                    virt_type=self.virt_type, disks=INTERFACE_XML,
                                    cmdline="virtkit.dhcp=1")
        self.virsh_ok("define", self.write("c1.xml", xml))
        self.virsh_ok("start", "c1")
        wait_for(lambda: self.guest.READY in self.guest.read_console(console),
                 timeout=self.boot_timeout, what="the guest's ready line")
        # a lease from dnsmasq in virtnetworkd's container, recorded by its
        # leases helper
        wait_for(lambda: "VIRTKIT-GUEST-LEASE" in self.guest.read_console(console),
                 timeout=60, what="the guest's DHCP lease")
        lease = re.search(r"VIRTKIT-GUEST-LEASE (\S+)", self.guest.read_console(console))[1]
        self.assertTrue(lease.startswith("192.168.177."), lease)
        self.assertIn(f"{lease}/24", self.virsh_ok("net-dhcp-leases", "ctr"))
        qemu = self.qemu_pids()
        self.assertEqual(len(qemu), 1)
        tap = self.virsh_ok("domiflist", "c1").split("\n")[2].split()[0]
        self.assertIn(f"master {self.bridge}", self.in_netns("link", "show", tap).stdout)

        # the runtime stops virtqemud's container: SIGTERM, a clean end
        self.stop_cleanly("qemu")
        self.assertIn("virtqemud: stopping", self.logs("qemu"))
        self.assertEqual(self.qemu_pids(), qemu, "the guest outlives virtqemud's container")

        # a new container takes the guest back
        self.start_virtqemud("qemu2")
        self.qemu_key = "qemu2"
        self.assertRegex(self.virsh_ok("list"), r"\bc1\s+running")
        self.assertEqual(self.qemu_pids(), qemu)
        self.assertIn("c1", self.virsh_ok("qemu-monitor-command", "c1", "--hmp", "info name"))

        self.virsh_ok("destroy", "c1")
        self.virsh_ok("undefine", "c1")
        wait_for(lambda: not self.qemu_pids(), what="QEMU to go")
        self.virsh_ok("net-destroy", "ctr")
        self.assertNotEqual(self.in_netns("link", "show", self.bridge).returncode, 0)
        self.stop_cleanly("net")

    def test_storage_nodedev_and_proxy_containers(self):
        pool = os.path.join(self.top, "pool")
        os.mkdir(pool)
        self.run_container("storage", "virtstoraged", "-v", f"{pool}:{pool}")
        self.wait_socket("virtstoraged-sock", "storage")
        udev = ["-v", "/run/udev:/run/udev:ro"] if os.path.isdir("/run/udev") else []
        self.run_container("nodedev", "virtnodedevd", *udev)
        self.wait_socket("virtnodedevd-sock", "nodedev")
        self.run_container("proxy", "virtproxyd")
        self.wait_socket("libvirt-sock", "proxy")

        storage = f"storage+unix:///system?socket={self.sockdir}/virtstoraged-sock"
        self.virsh_ok("pool-create-as", "ctr", "dir", "--target", pool, uri=storage)
        self.virsh_ok("vol-create-as", "ctr", "v1.qcow2", "1M", "--format", "qcow2", uri=storage)
        info = subprocess.run(["qemu-img", "info", os.path.join(pool, "v1.qcow2")],
                              capture_output=True, text=True).stdout
        self.assertIn("file format: qcow2", info, "qemu-img in the image made the volume")
        nodedev = f"nodedev+unix:///system?socket={self.sockdir}/virtnodedevd-sock"
        self.assertIn("computer", self.virsh_ok("nodedev-list", uri=nodedev).split())
        # virtproxyd passes the calls to the daemons whose sockets it finds
        proxy = f"qemu+unix:///system?socket={self.sockdir}/libvirt-sock"
        self.assertRegex(self.virsh_ok("pool-list", uri=proxy), r"\bctr\s+active")
        self.assertIn("v1.qcow2", self.virsh_ok("vol-list", "ctr", uri=proxy))

        self.virsh_ok("pool-destroy", "ctr", uri=storage)
        for key in ("proxy", "nodedev", "storage"):
            self.stop_cleanly(key)


if __name__ == "__main__":
    unittest.main()
