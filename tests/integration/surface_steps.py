"""The steps of tests/data/domain-surface/steps.json run against one daemon:
used by scripts/regenerate-domain-surface-expected.sh to record what libvirtd
prints, and by test_domain_surface.py to run the same steps on ours.

A step is {"virsh": [args]} (exit code, stdout and stderr are kept; "compare"
may narrow stdout to "prefixed", "element:NAME", "lines:REGEX" or "without:NAME"),
{"api": METHOD, "dom": NAME, "args": [...]} (a python3-libvirt call on the
domain: its result, or its error's code, domain and message) or {"note": ...}.
In the steps "@" stands for the name prefix and "%DIR%" for the work
directory; the results have both taken out again, so that the reference's
run (with a prefix, in a shared daemon) and ours compare equal.  The domain
lifecycle events of the prefixed domains are recorded too."""
import glob
import json
import os
import re
import subprocess
import threading
import time

import harness

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "domain-surface")
STEPS = os.path.join(DATA, "steps.json")
EXPECTED = os.path.join(DATA, "expected.json")


def load_steps():
    with open(STEPS) as f:
        return json.load(f)


def element_block(lines, name, keep):
    """The lines of the first <NAME> element (KEEP) or all the others."""
    out, inside, done = [], False, False
    opening = re.compile(r"^\s*<%s[ />]" % re.escape(name))
    for line in lines:
        if not inside and not done and opening.match(line):
            inside = not line.rstrip().endswith("/>") and f"</{name}>" not in line
            done = not inside
            if keep:
                out.append(line)
            continue
        if inside:
            if keep:
                out.append(line)
            if line.strip() == f"</{name}>":
                inside, done = False, True
            continue
        if not keep:
            out.append(line)
    return out


def narrow(stdout, compare, prefix):
    """STDOUT as the step's "compare" asks ("prefixed": the lines of our
    domains only, for lists of a shared daemon)."""
    if not compare:
        return stdout
    kind, arg = (compare.split(":", 1) + [""])[:2]
    lines = stdout.splitlines()
    if kind == "prefixed":
        lines = [l for l in lines if l and l.startswith(prefix)]
    elif kind == "element":
        lines = element_block(lines, arg, True)
    elif kind == "without":
        lines = element_block(lines, arg, False)
    elif kind == "lines":
        lines = [l for l in lines if re.search(arg, l)]
    else:
        raise ValueError(f"unknown compare {compare!r}")
    return "\n".join(lines) + "\n"


class Runner:
    """The steps against URI, with domain names prefixed by PREFIX and files
    under WORKDIR."""

    def __init__(self, uri, prefix, workdir):
        import libvirt
        self.libvirt = libvirt
        self.uri, self.prefix, self.workdir = uri, prefix, workdir
        self.events = []
        self.lock = threading.Lock()
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
        harness.start_libvirt_event_loop()
        self.conn = libvirt.open(uri)
        self.callback = self.conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, self.on_event, None)

    def on_event(self, conn, dom, event, detail, opaque):
        if dom.name().startswith(self.prefix):
            with self.lock:
                self.events.append([self.clean(dom.name()), event, detail])

    def expand(self, text):
        return text.replace("@", self.prefix).replace("%DIR%", self.workdir)

    def clean(self, text):
        text = text.replace(self.workdir, "DIR")
        return text.replace(self.prefix, "") if self.prefix else text

    def prepare(self):
        """The guests' XML in WORKDIR, names and paths filled in; c's disk."""
        for path in glob.glob(os.path.join(DATA, "*.xml")):
            with open(path) as f:
                text = self.expand(f.read())
            with open(os.path.join(self.workdir, os.path.basename(path)), "w") as f:
                f.write(text)
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2",
                        os.path.join(self.workdir, "c.qcow2"), "16M"], check=True)

    def run_virsh(self, step):
        r = harness.virsh(self.uri, *[self.expand(a) for a in step["virsh"]])
        return {"rc": r.returncode, "stdout": self.clean(narrow(r.stdout, step.get("compare"), self.prefix)),
                "stderr": self.clean(r.stderr)}

    def plain(self, value):
        if isinstance(value, str):
            return self.expand(value)
        if isinstance(value, dict):
            return {k: self.plain(v) for k, v in value.items()}
        return value

    def run_api(self, step):
        dom = self.conn.lookupByName(self.expand(step["dom"]))
        try:
            result = getattr(dom, step["api"])(*[self.plain(a) for a in step.get("args", [])])
            return {"result": self.clean(repr(result))}
        except self.libvirt.libvirtError as e:
            return {"error": [e.get_error_code(), e.get_error_domain(),
                              self.clean(e.get_error_message())]}

    def run(self):
        """The results of all steps (None for notes) and the events seen."""
        self.prepare()
        results = []
        for step in load_steps():
            if "virsh" in step:
                results.append(self.run_virsh(step))
            elif "api" in step:
                results.append(self.run_api(step))
            else:
                results.append(None)
        time.sleep(1)   # the last events on their way
        self.conn.domainEventDeregisterAny(self.callback)
        self.conn.close()
        with self.lock:
            return {"steps": results, "events": list(self.events)}
