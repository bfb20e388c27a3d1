#!/usr/bin/env python3
"""Build a procedure table (C source and header) from a protocol .x file.

The .x file's procedure enum lists every procedure; the trailing comment of
each entry carries our annotations (see the end of remote.x).  For procedure
PREFIX_PROC_FOO the argument type is <prog>_foo_args, the reply type
<prog>_foo_ret and an event's payload <prog>_foo_msg; those that the .x file
defines get their XDR filters in the table.

usage: gen-proc-table.py --program remote --xdr-header remote-protocol.h
                         INPUT.x OUT.c OUT.h
"""

import argparse
import re
import sys

# Words that the public API spells in capitals (or in a mixed form of its
# own) when the procedure name is turned into a function name.
SPECIAL_WORDS = {
    "XML": "XML", "UUID": "UUID", "ID": "ID", "CPU": "CPU", "OS": "OS",
    "URI": "URI", "MAC": "MAC", "NMI": "NMI", "PM": "PM", "FD": "FD",
    "SCSI": "SCSI", "WWN": "WWN", "DHCP": "DHCP", "SEV": "SEV", "SSH": "SSH",
    "IOTHREAD": "IOThread", "NWFILTER": "NWFilter", "NWFILTERS": "NWFilters",
    "FSFREEZE": "FSFreeze", "FSTHAW": "FSThaw", "FSTRIM": "FSTrim",
    "FSINFO": "FSInfo",
}

ENTRY_RE = re.compile(
    r"^\s*(?P<prefix>[A-Z][A-Z0-9]*)_PROC_(?P<name>[A-Z0-9_]+)\s*=\s*(?P<num>\d+)"
    r"\s*,?\s*(?:/\*(?P<ann>.*?)\*/)?\s*$")
STRUCT_RE = re.compile(r"^\s*struct\s+(\w+)\s*\{", re.M)
ANNOTATIONS = {"@ro", "@hi", "@void", "@event"}

# Which driver's daemon answers a remote procedure, by its name, as libvirt
# splits the drivers: the first matching pattern wins.  The connection-level
# calls are answered by whichever daemon the client talks to (None); every
# other call is the hypervisor driver's (virtqemud), the QEMU program's too.
# The node-device detach/reattach/reset calls go to the hypervisor driver in
# libvirt (conn->driver), and so do the secret, interface and nwfilter calls
# here (virtqemud answers them or says "not supported").
OWNER_RULES = [
    (None, r"AUTH_.*|CONNECT_(OPEN|CLOSE|SUPPORTS_FEATURE|GET_HOSTNAME|GET_LIB_VERSION"
           r"|GET_URI|IS_SECURE|REGISTER_CLOSE_CALLBACK|UNREGISTER_CLOSE_CALLBACK)"),
    ("HYPERVISOR", r"NODE_DEVICE_(DETTACH|DETACH_FLAGS|RE_ATTACH|RESET)"),
    ("NETWORK", r"NETWORK_.*|CONNECT_\w*_NETWORKS?|CONNECT_NETWORK_EVENT_.*"),
    ("STORAGE", r"STORAGE_(POOL|VOL)_.*|CONNECT_\w*STORAGE_POOL\w*"),
    ("NODEDEV", r"NODE_DEVICE_.*|NODE_NUM_OF_DEVICES|NODE_LIST_DEVICES"
                r"|CONNECT_LIST_ALL_NODE_DEVICES|CONNECT_NODE_DEVICE_EVENT_.*"),
]

# The calls that open a stream (libvirt's @readstream / @writestream): their
# STREAM frames follow under the call's serial.
STREAM_PROCS = {
    "DOMAIN_MIGRATE_PREPARE_TUNNEL", "DOMAIN_OPEN_CONSOLE", "STORAGE_VOL_UPLOAD",
    "STORAGE_VOL_DOWNLOAD", "DOMAIN_SCREENSHOT", "DOMAIN_MIGRATE_PREPARE_TUNNEL3",
    "DOMAIN_OPEN_CHANNEL", "DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS",
}


def owner_of(program, name):
    """REMOTE_PROC_NETWORK_CREATE -> "NETWORK"; None when answered locally."""
    if program == "qemu":
        return "HYPERVISOR"
    if program != "remote":
        return None
    for owner, pattern in OWNER_RULES:
        if re.fullmatch(pattern, name):
            return owner
    return "HYPERVISOR"


def api_name(name):
    """REMOTE_PROC_DOMAIN_DEFINE_XML -> virDomainDefineXML."""
    words = []
    for word in name.split("_"):
        words.append(SPECIAL_WORDS.get(word, word.capitalize()))
    return "vir" + "".join(words)


def parse(path, program):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    structs = set(STRUCT_RE.findall(text))
    procs = []
    seen = {}
    in_enum = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if re.match(r"^\s*enum\s+\w+_procedure\s*\{", line):
            in_enum = True
            continue
        if not in_enum:
            continue
        if line.strip().startswith("}"):
            break
        m = ENTRY_RE.match(line)
        if not m:
            continue
        num = int(m.group("num"))
        name = m.group("name")
        if num in seen:
            sys.exit(f"{path}:{lineno}: procedure {num} already used by {seen[num]}")
        seen[num] = name
        ann = (m.group("ann") or "").split()
        api = None
        flags = set()
        for a in ann:
            if a.startswith("@api="):
                api = a[len("@api="):]
            elif a in ANNOTATIONS:
                flags.add(a)
            elif a.startswith("@"):
                sys.exit(f"{path}:{lineno}: unknown annotation {a}")
        base = f"{program}_{name.lower()}"
        args = ret = None
        if f"{base}_msg" in structs:
            args = f"{base}_msg"
        if f"{base}_args" in structs:
            if args:
                sys.exit(f"{path}:{lineno}: {name} has both _args and _msg")
            args = f"{base}_args"
        if f"{base}_ret" in structs:
            ret = f"{base}_ret"
        if "@void" in flags and (args or ret):
            sys.exit(f"{path}:{lineno}: {name} is @void but has types")
        if "@event" in flags and ret:
            sys.exit(f"{path}:{lineno}: event {name} cannot have a reply")
        procs.append({
            "num": num, "name": name, "api": api or api_name(name),
            "args": args, "ret": ret,
            "defined": bool(args or ret or "@void" in flags),
            "flags": flags,
            "owner": owner_of(program, name),
        })
    if not procs:
        sys.exit(f"{path}: no procedure enum found")
    return sorted(procs, key=lambda p: p["num"])


def emit(procs, program, xdr_header, out_c, out_h):
    guard = f"VK_{program.upper()}_PROCS_H"
    with open(out_h, "w", encoding="utf-8") as h:
        h.write(f"""/* Generated by protocol/gen-proc-table.py: do not edit. */
#ifndef {guard}
#define {guard}

#include "proc-info.h"

/* Number of slots in the table: the highest procedure number plus one. */
#define VK_{program.upper()}_PROC_TABLE_SIZE {procs[-1]["num"] + 1}

/* The entry for PROC, or NULL when PROC is not a procedure of the
 * {program} program. */
const VkProcInfo *vk_{program}_proc_lookup(int proc);

#endif /* {guard} */
""")

    with open(out_c, "w", encoding="utf-8") as c:
        c.write(f"""/* Generated by protocol/gen-proc-table.py: do not edit. */
#include <stddef.h>

#include "{xdr_header}"
#include "{program}-procs.h"

static const VkProcInfo table[VK_{program.upper()}_PROC_TABLE_SIZE] = {{
""")
        for p in procs:
            flags = []
            if "@ro" in p["flags"]:
                flags.append("VK_PROC_READONLY_OK")
            if "@hi" in p["flags"]:
                flags.append("VK_PROC_PRIORITY")
            if p["defined"]:
                flags.append("VK_PROC_HAS_ARGS_DEFINED")
            if "@event" in p["flags"]:
                flags.append("VK_PROC_EVENT")
            if program == "remote" and p["name"] in STREAM_PROCS:
                flags.append("VK_PROC_STREAM")
            flag_expr = " | ".join(flags) if flags else "0"

            def filt(t):
                if not t:
                    return ("NULL", "0")
                return (f"(xdrproc_t) xdr_{t}", f"sizeof({t})")

            args_filter, args_size = filt(p["args"])
            ret_filter, ret_size = filt(p["ret"])
            c.write(f"""    [{p["num"]}] = {{
        .proc = {p["num"]},
        .name = "{p["name"]}",
        .api = "{p["api"]}",
        .args_filter = {args_filter},
        .args_size = {args_size},
        .ret_filter = {ret_filter},
        .ret_size = {ret_size},
        .flags = {flag_expr},
        .owner = VK_PROC_OWNER_{p["owner"] or "NONE"},
    }},
""")
        c.write(f"""}};

const VkProcInfo *
vk_{program}_proc_lookup(int proc)
{{
    if (proc < 0 || proc >= VK_{program.upper()}_PROC_TABLE_SIZE)
        return NULL;
    if (!table[proc].name)
        return NULL;
    return &table[proc];
}}
""")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--program", required=True,
                    help="C prefix of the program's types, e.g. remote")
    ap.add_argument("--xdr-header", required=True,
                    help="rpcgen header that declares the xdr_* filters")
    ap.add_argument("--list", action="store_true",
                    help="print number, name, api and flags instead")
    ap.add_argument("input")
    ap.add_argument("out_c", nargs="?")
    ap.add_argument("out_h", nargs="?")
    opts = ap.parse_args()
    procs = parse(opts.input, opts.program)
    if opts.list:
        for p in procs:
            print(p["num"], p["name"], p["api"],
                  "defined" if p["defined"] else "unknown",
                  (p["owner"] or "local").lower(),
                  " ".join(sorted(p["flags"])))
        return
    if not opts.out_c or not opts.out_h:
        ap.error("OUT.c and OUT.h are required")
    emit(procs, opts.program, opts.xdr_header, opts.out_c, opts.out_h)


if __name__ == "__main__":
    main()
