"""The steps of the firmware corpus (tests/data/firmware), through Debian's
virsh, as one text that scripts/regenerate-firmware-expected.sh records
from libvirtd and test_firmware.py compares with Virtkit's: define, the
inactive <os>, start (the live <os> and <features>: the firmware chosen,
the variable store, SMM), whether the store was made, destroy, undefine
without and then with --nvram."""
import os
import re
import subprocess

VIRSH = "/usr/bin/virsh"


def virsh(uri, *args):
    env = dict(os.environ, LC_ALL="C")
    r = subprocess.run([VIRSH, "-c", uri, *args], capture_output=True, text=True, env=env,
                       timeout=120)
    return r.returncode, r.stdout, r.stderr


def section(xml, tag):
    m = re.search(rf"^  <{tag}[ >].*?^  </{tag}>\n", xml, re.S | re.M)
    return m.group(0) if m else f"(no <{tag}>)\n"


def nvram_path(xml):
    m = re.search(r"<nvram[^>]*>([^<]+)</nvram>", xml)
    return m.group(1) if m else None


def error_of(stderr):
    """virsh's last error line (the message of the failed call)."""
    lines = [ln for ln in stderr.splitlines() if ln.startswith("error: ")]
    return lines[-1] if lines else stderr.strip()


def run(uri, document, name, nvram_dir, prefix=""):
    """The steps for DOCUMENT (its <name> NAME, NVRAM_DIR written where the
    store lives) on URI, as the domain PREFIX+NAME; the transcript, with
    NVRAM_DIR and NAME put back as they are in the corpus."""
    doc = document.replace("NVRAM_DIR", nvram_dir).replace(
        f"<name>{name}</name>", f"<name>{prefix}{name}</name>")
    full, name = name, prefix + name
    path = os.path.join("/tmp", f"firmware-step-{os.getpid()}.xml")
    with open(path, "w") as f:
        f.write(doc)
    out = []
    try:
        rc, _, err = virsh(uri, "define", path)
    finally:
        os.unlink(path)
    if rc != 0:
        return f"define: {error_of(err)}\n"
    out.append("define: ok\n")
    out.append(section(virsh(uri, "dumpxml", "--inactive", name)[1], "os"))
    rc, _, err = virsh(uri, "start", name)
    if rc != 0:
        out.append(f"start: {error_of(err)}\n")
    else:
        live = virsh(uri, "dumpxml", name)[1]
        out += ["start: ok\n", section(live, "os"), section(live, "features")]
        store = nvram_path(live)
        out.append(f"variable store made: {bool(store and os.path.exists(store))}\n")
        virsh(uri, "destroy", name)
    rc, _, err = virsh(uri, "undefine", name)
    out.append(f"undefine: {'ok' if rc == 0 else error_of(err)}\n")
    if rc != 0:
        rc, _, err = virsh(uri, "undefine", "--nvram", name)
        out.append(f"undefine --nvram: {'ok' if rc == 0 else error_of(err)}\n")
    return "".join(out).replace(nvram_dir, "NVRAM_DIR").replace(name, full)
