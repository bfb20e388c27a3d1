"""Debian's virsh with a plain qemu:///system URI whose socket is moved
under a --root by the URI's socket option, as libvirt 9.0's client takes
it: "qemu:///system?socket=PATH", with mode=legacy or mode=direct beside
it too.  Through virtproxyd's libvirt-sock and through virtqemud's own
socket, one virsh connection each does a domain's lifecycle, a network
call and a pool call (routed to virtnetworkd and virtstoraged).  The
client's debug log shows which socket it chose and that it asked the
daemon for "qemu:///system".  All daemons run in a network namespace this
test creates."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402
from test_console import GUEST  # noqa: E402
from test_virtproxyd import DIR_POOL, ProxyCase  # noqa: E402

NETWORK_XML = """<network>
  <name>{name}</name>
  <bridge name='vk{name}'/>
</network>
"""


class SocketOption(ProxyCase):
    def forms(self):
        """(URI, the socket it must reach) for each form that libvirt 9.0 accepts."""
        proxy, qemu = self.proxy.socket(), self.qemu.socket()
        return [(f"qemu:///system?socket={proxy}", proxy),
                (f"qemu:///system?socket={qemu}", qemu),
                (f"qemu:///system?mode=legacy&socket={proxy}", proxy),
                (f"qemu:///system?mode=direct&socket={qemu}", qemu)]

    def session(self, uri, tag):
        """One virsh connection: a domain's lifecycle, a network and a pool."""
        dom, net, pool = f"sock{tag}", f"snet{tag}", f"spool{tag}"
        pool_xml = DIR_POOL.format(name=pool, path=os.path.join(self.root, pool))
        commands = [
            f"define {self.write(dom + '.xml', GUEST.format(name=dom))}",
            f"start {dom} --paused", f"domstate {dom}", f"resume {dom}", f"domstate {dom}",
            f"destroy {dom}", f"domstate {dom}", f"undefine {dom}",
            f"net-define {self.write(net + '.xml', NETWORK_XML.format(name=net))}",
            "net-list --all --name",
            f"pool-define {self.write(pool + '.xml', pool_xml)}",
            "pool-list --all --name",
        ]
        env = dict(os.environ, LIBVIRT_DEBUG="1", LIBVIRT_LOG_OUTPUTS="1:stderr")
        return harness.run(["virsh", "-c", uri, " ; ".join(commands)], env=env, timeout=120)

    def test_each_form_on_one_connection(self):
        for i, (uri, socket) in enumerate(self.forms()):
            with self.subTest(uri=uri):
                r = self.session(uri, i)
                self.assertEqual(r.returncode, 0, r.stderr[-3000:])
                self.assertIn(f"Chosen UNIX socket {socket}\n", r.stderr)
                self.assertIn("proceeding with name = qemu:///system\n", r.stderr)
                # one connection: one socket chosen, one connect()
                self.assertEqual(r.stderr.count("Chosen UNIX socket"), 1)
                states = [line.strip() for line in r.stdout.splitlines()
                          if line.strip() in ("paused", "running", "shut off")]
                self.assertEqual(states, ["paused", "running", "shut off"], r.stdout)
                self.assertIn(f"Domain 'sock{i}' has been undefined", r.stdout)
                names = r.stdout.split()
                self.assertIn(f"snet{i}", names)
                self.assertIn(f"spool{i}", names)


if __name__ == "__main__":
    unittest.main()
