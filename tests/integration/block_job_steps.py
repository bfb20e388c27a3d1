"""The block job scenario that tests/data/block-jobs/record.py runs against
libvirtd 9.0 and test_block_jobs.py against virtqemud: virsh commands on one
guest with a qcow2 chain, the disk's live XML and `qemu-img info
--backing-chain` after each change.  Paths are written with {dir} (the
directory of the images) and {name} (the guest); outputs are stored with
those put back, so that both daemons' outputs compare as text."""
import os
import re
import subprocess

GUEST = """<domain type='kvm'>
  <name>{name}</name>
  <uuid>6a3c5c0e-1b2f-4d4e-9a51-15b10c4e0f15</uuid>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{dir}/top.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{dir}/b.qcow2'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
  </devices>
</domain>
"""

# (label, kind, words): kind "virsh" runs virsh with WORDS; "disk" shows the
# live <disk> of vda; "chain" the backing chain of the image WORDS[0]; "img"
# runs qemu-img with WORDS (preparing an image).
STEPS = [
    ("define", "virsh", ["define", "{dir}/{name}.xml"]),
    ("start", "virsh", ["start", "{name}"]),
    ("disk-start", "disk", []),
    ("info-none", "virsh", ["blockjob", "{name}", "vda", "--info"]),
    ("pull", "virsh", ["blockpull", "{name}", "vda", "--base", "{dir}/base.qcow2", "--wait"]),
    ("disk-pulled", "disk", []),
    ("chain-pulled", "chain", ["{dir}/top.qcow2"]),
    ("commit-active", "virsh", ["blockcommit", "{name}", "vda", "--active", "--wait"]),
    ("info-commit", "virsh", ["blockjob", "{name}", "vda", "--info"]),
    ("info-commit-bytes", "virsh", ["blockjob", "{name}", "vda", "--info", "--bytes"]),
    ("disk-commit-ready", "disk", []),
    ("commit-again", "virsh", ["blockcommit", "{name}", "vda", "--active"]),
    ("bandwidth", "virsh", ["blockjob", "{name}", "vda", "--bandwidth", "10"]),
    ("info-bandwidth", "virsh", ["blockjob", "{name}", "vda", "--info"]),
    ("pivot", "virsh", ["blockjob", "{name}", "vda", "--pivot"]),
    ("disk-pivoted", "disk", []),
    ("chain-pivoted", "chain", ["{dir}/top.qcow2"]),
    ("pivot-none", "virsh", ["blockjob", "{name}", "vda", "--pivot"]),
    ("abort-none", "virsh", ["blockjob", "{name}", "vda", "--abort"]),
    ("snap1", "virsh", ["snapshot-create-as", "{name}", "snap1", "--disk-only", "--no-metadata"]),
    ("disk-snap1", "disk", []),
    ("chain-snap1", "chain", ["{dir}/base.snap1"]),
    ("snap2", "virsh", ["snapshot-create-as", "{name}", "snap2", "--disk-only", "--no-metadata"]),
    ("disk-snap2", "disk", []),
    ("commit-inactive", "virsh", ["blockcommit", "{name}", "vda", "--top", "{dir}/base.snap1",
                                  "--wait"]),
    ("disk-commit-inactive", "disk", []),
    ("chain-commit-inactive", "chain", ["{dir}/base.snap2"]),
    ("commit-pivot", "virsh", ["blockcommit", "{name}", "vda", "--active", "--pivot",
                               "--wait"]),
    ("disk-commit-pivot", "disk", []),
    ("copy-persistent", "virsh", ["blockcopy", "{name}", "vda", "{dir}/copy.qcow2"]),
    ("copy", "virsh", ["blockcopy", "{name}", "vda", "{dir}/copy.qcow2", "--transient-job",
                       "--wait"]),
    ("info-copy", "virsh", ["blockjob", "{name}", "vda", "--info"]),
    ("disk-copy-ready", "disk", []),
    ("pull-during-copy", "virsh", ["blockpull", "{name}", "vda"]),
    ("abort-copy", "virsh", ["blockjob", "{name}", "vda", "--abort"]),
    ("disk-copy-aborted", "disk", []),
    ("copy-pivot", "virsh", ["blockcopy", "{name}", "vda", "{dir}/copy2.qcow2",
                             "--transient-job", "--format", "qcow2", "--pivot", "--wait"]),
    ("disk-copy-pivot", "disk", []),
    ("chain-copy-pivot", "chain", ["{dir}/copy2.qcow2"]),
    ("snap3", "virsh", ["snapshot-create-as", "{name}", "snap3", "--disk-only", "--no-metadata"]),
    ("make-shallow-target", "img", ["create", "-q", "-f", "qcow2", "-b", "{dir}/copy2.qcow2",
                                    "-F", "qcow2", "{dir}/shallow.qcow2"]),
    ("copy-shallow", "virsh", ["blockcopy", "{name}", "vda", "{dir}/shallow.qcow2",
                               "--transient-job", "--shallow", "--reuse-external",
                               "--format", "qcow2", "--finish", "--wait"]),
    ("disk-copy-finished", "disk", []),
    ("chain-copy-shallow", "chain", ["{dir}/shallow.qcow2"]),
    ("pull-all", "virsh", ["blockpull", "{name}", "vda", "--wait"]),
    ("disk-pulled-all", "disk", []),
    ("chain-pulled-all", "chain", ["{dir}/copy2.snap3"]),
    ("info-raw-none", "virsh", ["blockjob", "{name}", "vda", "--raw"]),
    ("destroy", "virsh", ["destroy", "{name}"]),
    ("undefine", "virsh", ["undefine", "{name}"]),
]


# External disk-only snapshots, of the shut-off guest (qemu-img) and of
# the running one (QEMU), with their metadata.
SNAPSHOT_STEPS = [
    ("define", "virsh", ["define", "{dir}/{name}.xml"]),
    ("snap-off", "virsh", ["snapshot-create-as", "{name}", "off1", "--disk-only"]),
    ("inactive-disk-off", "inactive-disk", []),
    ("chain-off", "chain", ["{dir}/top.off1"]),
    ("list-off", "virsh", ["snapshot-list", "{name}"]),
    ("dumpxml-off", "virsh", ["snapshot-dumpxml", "{name}", "off1"]),
    ("start", "virsh", ["start", "{name}"]),
    ("disk-started", "disk", []),
    ("snap-run", "virsh", ["snapshot-create-as", "{name}", "run1", "--disk-only"]),
    ("disk-run", "disk", []),
    ("chain-run", "chain", ["{dir}/top.run1"]),
    ("inactive-disk-run", "inactive-disk", []),
    ("list-run", "virsh", ["snapshot-list", "{name}", "--parent"]),
    ("current", "virsh", ["snapshot-current", "{name}", "--name"]),
    ("info-run", "virsh", ["snapshot-info", "{name}", "run1"]),
    ("revert-run", "virsh", ["snapshot-revert", "{name}", "run1"]),
    ("revert-off", "virsh", ["snapshot-revert", "{name}", "off1"]),
    ("delete-run", "virsh", ["snapshot-delete", "{name}", "run1"]),
    ("disk-deleted", "disk", []),
    ("files-deleted", "files", []),
    ("inactive-disk-deleted", "inactive-disk", []),
    ("commit-undo", "virsh", ["blockcommit", "{name}", "vda", "--active", "--pivot", "--wait"]),
    ("disk-undone", "disk", []),
    ("inactive-disk-undone", "inactive-disk", []),
    ("delete-meta", "virsh", ["snapshot-delete", "{name}", "run1", "--metadata"]),
    ("list-after", "virsh", ["snapshot-list", "{name}", "--name"]),
    ("destroy", "virsh", ["destroy", "{name}"]),
    ("delete-meta-off", "virsh", ["snapshot-delete", "{name}", "off1", "--metadata"]),
    ("undefine", "virsh", ["undefine", "{name}"]),
]

# Refused calls: libvirt's errors, and the disk unchanged after them.
ERROR_STEPS = [
    ("define", "virsh", ["define", "{dir}/{name}.xml"]),
    ("pull-shut-off", "virsh", ["blockpull", "{name}", "vda"]),
    ("start", "virsh", ["start", "{name}"]),
    ("commit-no-disk", "virsh", ["blockcommit", "{name}", "vdz", "--active"]),
    ("pull-bad-base", "virsh", ["blockpull", "{name}", "vda", "--base", "/nonexistent"]),
    ("commit-no-backing", "virsh", ["blockcommit", "{name}", "vdb", "--active"]),
    ("commit-needs-active", "virsh", ["blockcommit", "{name}", "vda"]),
    ("commit-top-is-base", "virsh", ["blockcommit", "{name}", "vda", "--top",
                                     "{dir}/base.qcow2"]),
    ("info-no-disk", "virsh", ["blockjob", "{name}", "vdz", "--info"]),
    ("pivot-no-job", "virsh", ["blockjob", "{name}", "vda", "--pivot"]),
    ("bandwidth-overflow", "virsh", ["blockcommit", "{name}", "vda", "--active", "--bandwidth",
                                     "9999999999999"]),
    ("disk-after", "disk", []),
    ("chain-after", "chain", ["{dir}/top.qcow2"]),
    ("destroy", "virsh", ["destroy", "{name}"]),
    ("undefine", "virsh", ["undefine", "{name}"]),
]

# Jobs cancelled while they run: data in mid.qcow2 and 1 MiB/s keep them
# running long enough for the abort.
ABORT_STEPS = [
    ("fill-mid", "io", ["-f", "qcow2", "-c", "write -P 7 0 3M", "{dir}/mid.qcow2"]),
    ("define", "virsh", ["define", "{dir}/{name}.xml"]),
    ("start", "virsh", ["start", "{name}"]),
    ("pull-slow", "virsh", ["blockpull", "{name}", "vda", "--bandwidth", "1"]),
    ("abort-pull", "virsh", ["blockjob", "{name}", "vda", "--abort"]),
    ("disk-pull-aborted", "disk", []),
    ("commit-slow", "virsh", ["blockcommit", "{name}", "vda", "--top", "{dir}/mid.qcow2",
                              "--bandwidth", "1"]),
    ("abort-commit", "virsh", ["blockjob", "{name}", "vda", "--abort"]),
    ("disk-commit-aborted", "disk", []),
    ("chain-aborted", "chain", ["{dir}/top.qcow2"]),
    ("info-none", "virsh", ["blockjob", "{name}", "vda", "--info"]),
    ("destroy", "virsh", ["destroy", "{name}"]),
    ("undefine", "virsh", ["undefine", "{name}"]),
]

# Creation times differ from run to run.
TIMES = [(re.compile(r"<creationTime>\d+</creationTime>"), "<creationTime>T</creationTime>"),
         (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}"), "TIME")]


def fill(word, directory, name):
    return word.replace("{dir}", directory).replace("{name}", name)


def unfill(text, directory, name):
    text = text.replace(directory, "{dir}").replace(name, "{name}")
    for pattern, replacement in TIMES:
        text = pattern.sub(replacement, text)
    return text


def disk_section(xml, target="vda"):
    """The <disk> element of TARGET in a domain XML, as text."""
    for m in re.finditer(r"( *)<disk .*?</disk>\n", xml, re.S):
        if f"<target dev='{target}'" in m.group(0):
            return m.group(0)
    return ""


def backing_chain(image):
    """The image and backing lines of qemu-img info --backing-chain."""
    out = subprocess.run(["qemu-img", "info", "-U", "--backing-chain", image],
                         capture_output=True, text=True).stdout
    return "".join(line + "\n" for line in out.splitlines()
                   if line.startswith(("image:", "backing file", "file format")))


def prepare_images(directory):
    def img(*args):
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", *args], check=True,
                       cwd=directory)
    img("base.qcow2", "16M")
    img("-b", "base.qcow2", "-F", "qcow2", "mid.qcow2")
    img("-b", "mid.qcow2", "-F", "qcow2", "top.qcow2")
    img("b.qcow2", "16M")


def run(directory, name, virsh, steps=STEPS):
    """Run STEPS; VIRSH(words) -> (rc, stdout, stderr).  The results as a
    list of (label, text) with paths put back as {dir} and {name}."""
    with open(f"{directory}/{name}.xml", "w") as f:
        f.write(fill(GUEST, directory, name))
    results = []
    for label, kind, words in steps:
        words = [fill(w, directory, name) for w in words]
        if kind == "virsh":
            rc, out, err = virsh(words)
            text = f"rc={rc}\n--- stdout\n{out}--- stderr\n{err}"
        elif kind == "disk":
            text = disk_section(virsh(["dumpxml", name])[1])
        elif kind == "files":
            text = "".join(f + "\n" for f in sorted(os.listdir(directory)))
        elif kind == "inactive-disk":
            text = disk_section(virsh(["dumpxml", "--inactive", name])[1])
        elif kind == "chain":
            text = backing_chain(words[0])
        else:
            tool = "qemu-io" if kind == "io" else "qemu-img"
            r = subprocess.run([tool, *words], capture_output=True, text=True)
            text = "" if r.returncode == 0 else f"{tool} failed: {r.stderr}"
        results.append((label, unfill(text, directory, name)))
    return results


def format_results(results):
    return "".join(f"=== {label}\n{text}" + ("" if text.endswith("\n") or not text else "\n")
                   for label, text in results)


def block_job_events(text, name):
    """The block-job lines of virsh event --loop output, for the guest NAME
    (already written as {name} in TEXT)."""
    return "".join(line + "\n" for line in text.splitlines()
                   if "'block-job" in line and "domain '{name}'" in line)
