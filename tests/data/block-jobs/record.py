#!/usr/bin/python3
"""Record what Debian's libvirtd 9.0 prints for the block job scenario
(tests/integration/block_job_steps.py) into expected.txt and events.txt.
Needs the reference daemon (/work/shared/tools/reference-libvirtd start);
the guest is named blk15-ref and removed at the end; the images live in a
fresh directory under /tmp."""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "integration"))
import block_job_steps as steps  # noqa: E402

URI = sys.argv[1] if len(sys.argv) > 1 else "qemu:///system"
NAME = "blk15-ref"


def virsh(words):
    p = subprocess.run(["virsh", "-c", URI, *words], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def record(steps_list, results_name, events_name):
    directory = tempfile.mkdtemp(prefix="blk15-ref-")
    os.chmod(directory, 0o755)
    steps.prepare_images(directory)
    events = subprocess.Popen(["virsh", "-c", URI, "event", "--all", "--loop"],
                              stdout=subprocess.PIPE, text=True)
    time.sleep(1)
    try:
        results = steps.run(directory, NAME, virsh, steps_list)
    finally:
        time.sleep(1)
        events.terminate()
        out = events.communicate()[0]
        virsh(["destroy", NAME])
        virsh(["undefine", NAME])
    with open(os.path.join(HERE, results_name), "w") as f:
        f.write(steps.format_results(results))
    if events_name:
        with open(os.path.join(HERE, events_name), "w") as f:
            f.write(steps.block_job_events(steps.unfill(out, directory, NAME), NAME))
    subprocess.run(["rm", "-rf", directory])


def main():
    record(steps.STEPS, "expected.txt", "events.txt")
    record(steps.SNAPSHOT_STEPS, "snapshots.txt", None)
    record(steps.ERROR_STEPS, "errors.txt", None)
    record(steps.ABORT_STEPS, "aborts.txt", "abort-events.txt")


if __name__ == "__main__":
    main()
