#!/usr/bin/env python3
"""Write the seed frames of fuzz-rpc-message into a directory.

Each file is what a peer puts on the socket: a 4-byte length (counting
itself), the 24-byte header, the XDR payload; the layouts follow
protocol/*.x.  The committed tests/fuzz/rpc-corpus/ was made by

    python3 tests/fuzz/make-rpc-corpus.py tests/fuzz/rpc-corpus
"""

import os
import struct
import sys

REMOTE, QEMU, KEEPALIVE, ADMIN = 0x20008086, 0x20008087, 0x6B656570, 0x06900690
CALL, REPLY, MESSAGE, STREAM_HOLE = 0, 1, 2, 6
OK, ERROR = 0, 1


def u32(v):
    return struct.pack(">I", v)


def i32(v):
    return struct.pack(">i", v)


def u64(v):
    return struct.pack(">Q", v)


def opaque(b):
    return b + b"\0" * (-len(b) % 4)


def string(s):
    b = s.encode()
    return u32(len(b)) + opaque(b)


def optional(payload):
    return u32(0) if payload is None else u32(1) + payload


def domain(name, dom_id):
    return string(name) + opaque(bytes(range(16))) + i32(dom_id)


def frame(prog, proc, payload=b"", mtype=CALL, status=OK, serial=1):
    header = u32(prog) + u32(1) + i32(proc) + u32(mtype) + u32(serial) + u32(status)
    return u32(4 + len(header) + len(payload)) + header + payload


DOMAIN_XML = ("<domain type='kvm'><name>demo</name><memory>65536</memory>"
              "<os><type arch='x86_64' machine='q35'>hvm</type></os></domain>")

SEEDS = {
    "remote-connect-open": frame(REMOTE, 1, optional(string("qemu:///system")) + u32(0)),
    "remote-domain-define-xml": frame(REMOTE, 11, string(DOMAIN_XML)),
    "remote-domain-lookup-by-name": frame(REMOTE, 23, string("demo")),
    "remote-connect-list-all-domains": frame(REMOTE, 273, i32(1) + u32(0)),
    "remote-connect-list-all-domains-reply": frame(
        REMOTE, 273, u32(2) + domain("demo", 1) + domain("other", -1) + u32(2), REPLY),
    # typed parameters: a discriminated union per element
    "remote-domain-set-scheduler-parameters-flags": frame(
        REMOTE, 219, domain("demo", 1) + u32(2)
        + string("cpu_shares") + i32(4) + u64(1024)
        + string("vcpu_quota") + i32(3) + u64(0xFFFFFFFFFFFFFFFF) + u32(0)),
    "remote-domain-event-lifecycle": frame(
        REMOTE, 107, domain("demo", 1) + i32(2) + i32(0), MESSAGE, serial=0),
    "remote-error-reply": frame(
        REMOTE, 23, i32(42) + i32(10) + optional(string("Domain not found: no domain with matching name 'x'"))
        + i32(2) + optional(domain("x", -1)) + optional(string("x")) + optional(None)
        + optional(None) + i32(0) + i32(0) + optional(None), REPLY, ERROR),
    "keepalive-ping": frame(KEEPALIVE, 1, mtype=MESSAGE, serial=0),
    "qemu-domain-monitor-command": frame(
        QEMU, 1, domain("demo", 1) + string('{"execute":"query-status"}') + u32(0)),
    "admin-connect-open": frame(ADMIN, 1, u32(0)),
    "admin-server-set-threadpool-parameters": frame(
        ADMIN, 7, string("virtqemud") + u32(1) + string("maxWorkers") + i32(2) + u32(20) + u32(0)),
    "stream-hole": frame(REMOTE, 1, u64(1 << 20) + u32(0), STREAM_HOLE),
    # two frames back to back, as a socket delivers them
    "ping-then-call": frame(KEEPALIVE, 1, mtype=MESSAGE, serial=0)
    + frame(REMOTE, 23, string("demo"), serial=2),
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-rpc-corpus.py DIR")
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(sys.argv[1], name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
