#!/usr/bin/env python3
"""Regenerate NAME.args from libvirt 9.0's own command line for NAME.xml.

    tests/data/qemu-argv/generate.py [URI] [NAME...]

Defines NAME.xml as cmdline-NAME, takes libvirtd's inactive XML and undefines
it again (nothing is started), runs `virsh -c URI domxml-to-native qemu-argv`
on that XML, splits the shell line into words and applies the documented
rewrites (README.md) that turn libvirt's output into what Virtkit is expected
to produce with the test options.  Files listed in HAND_WRITTEN are left alone.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
HAND_WRITTEN = set()


def virsh(uri, *args, check=True):
    res = subprocess.run(["virsh", "-c", uri] + list(args), capture_output=True, text=True)
    if check and res.returncode != 0:
        sys.exit("virsh %s: %s" % (" ".join(args), res.stderr.strip()))
    return res


def defined_xml(uri, xml_path, name):
    """The domain as libvirtd keeps it after define (defaults, PCI addresses),
    which is what a real start turns into a command line.  Defined as
    cmdline-NAME and undefined again right away."""
    tmpname = "cmdline-" + name
    text = open(xml_path).read()
    text = text.replace("<name>%s</name>" % name, "<name>%s</name>" % tmpname, 1)
    tmp = os.path.join(HERE, ".%s.tmp.xml" % name)
    with open(tmp, "w") as f:
        f.write(text)
    try:
        virsh(uri, "define", tmp)
        dumped = virsh(uri, "dumpxml", "--inactive", tmpname).stdout
    finally:
        virsh(uri, "undefine", "--nvram", tmpname, check=False)
    dumped = dumped.replace("<name>%s</name>" % tmpname, "<name>%s</name>" % name, 1)
    with open(tmp, "w") as f:
        f.write(dumped)
    return tmp


def interfaces(xml_path):
    root = ET.parse(xml_path).getroot()
    out = []
    for iface in root.findall("./devices/interface"):
        boot = iface.find("boot")
        target = iface.find("target")
        addr = iface.find("address[@type='pci']")
        out.append({
            "pci": None if addr is None else (int(addr.get("bus"), 16), int(addr.get("slot"), 16),
                                              int(addr.get("function"), 16),
                                              addr.get("multifunction") == "on"),
            "type": iface.get("type"),
            "boot": int(boot.get("order")) if boot is not None else None,
            "target": target.get("dev") if target is not None else None,
        })
    return out


def rewrite(words, nets, q35):
    out = []
    i = 0
    while i < len(words):
        w = words[i]
        if w.startswith("PATH="):
            out.append("PATH=" + TEST_PATH)
        elif w == "-object" and '"masterKey0"' in words[i + 1]:
            i += 2          # no master key secret: Virtkit passes no secrets
            continue
        elif w == "-netdev" and words[i + 1].startswith("{"):
            nd = json.loads(words[i + 1])
            idx = int(nd["id"][len("hostnet"):])
            n = nets[idx]
            if n["type"] == "user":
                nd = {"type": "user", "id": nd["id"]}
            elif n["type"] == "ethernet" and n["target"]:
                nd = {"type": "tap", "ifname": n["target"], "script": "no",
                      "downscript": "no", "id": nd["id"]}
            else:
                nd = {"type": "tap", "fd": str(30 + idx), "id": nd["id"]}
            out += [w, json.dumps(nd, separators=(",", ":"))]
            i += 2
            continue
        elif w == "-device" and re.search(r'"netdev":"hostnet\d+"', words[i + 1]):
            dev = json.loads(words[i + 1])
            idx = int(dev["netdev"][len("hostnet"):])
            boot = nets[idx]["boot"]
            if nets[idx]["pci"] is not None:
                # domxml-to-native also re-addresses interfaces: put back the
                # address libvirtd gave at define
                bus, slot, fn, multi = nets[idx]["pci"]
                dev.pop("addr")
                dev["bus"] = ("pcie.0" if q35 else "pci.0") if bus == 0 else "pci.%d" % bus
                if multi:
                    dev["multifunction"] = True
                dev["addr"] = "0x%x" % slot if fn == 0 else "0x%x.0x%x" % (slot, fn)
            if boot is not None and "bootindex" not in dev:
                # domxml-to-native forgets <boot order> of interfaces; a real
                # start puts bootindex right after mac
                items = list(dev.items())
                after = "host_mtu" if "host_mtu" in dev else "mac"
                pos = [k for k, _ in items].index(after) + 1
                items.insert(pos, ("bootindex", boot))
                new = dict(items)
                dev = new
            out += [w, json.dumps(dev, separators=(",", ":"))]
            i += 2
            continue
        else:
            out.append(w)
        i += 1
    return out


def main():
    args = sys.argv[1:]
    uri = "qemu:///system"
    if args and ":" in args[0]:
        uri = args.pop(0)
    names = args or sorted(f[:-4] for f in os.listdir(HERE) if f.endswith(".xml"))
    for name in names:
        if name in HAND_WRITTEN:
            continue
        xml = os.path.join(HERE, name + ".xml")
        tmp = defined_xml(uri, xml, name)
        try:
            res = virsh(uri, "domxml-to-native", "qemu-argv", tmp)
            nets = interfaces(tmp)
            q35 = "machine='pc-q35" in open(tmp).read()
        finally:
            os.unlink(tmp)
        words = rewrite(shlex.split(res.stdout), nets, q35)
        with open(os.path.join(HERE, name + ".args"), "w") as f:
            f.write("".join(w + "\n" for w in words))


if __name__ == "__main__":
    main()
