#!/bin/bash
# Regenerates tests/data/network-update/CASE.expected from CASE.txt against a
# running reference libvirtd (Debian's libvirt 9.0, see
# /work/shared/tools/reference-libvirtd).
#
# Usage: scripts/regenerate-network-update-expected.sh [URI] [CASE...]
#   URI defaults to qemu:///system; CASEs (file base names) restrict the run.
#
# CASE.txt: '#' comments and blank lines aside, first the base network,
#   base NAME              tests/data/network/NAME.xml, or
#   base-xml <network>...  a one-line document,
# then one update step a line:
#   COMMAND SECTION PARENT-INDEX XML
# COMMAND is virsh net-update's (add-last, add-first, modify, delete) or a
# number, SECTION virsh's (ip-dhcp-host, dns-txt, ...) or a number, XML the
# rest of the line.
#
# The base is defined as corpus-CASE (net-define only: never started, so the
# host's interfaces and firewall stay as they are) and each step applied with
# virNetworkUpdate(..., VIR_NETWORK_UPDATE_AFFECT_CONFIG), the call virsh
# net-update NAME COMMAND SECTION XML --config --parent-index N makes (the
# Python binding is used so that unknown command and section numbers can be
# sent too).  CASE.expected gets "## base" and the net-dumpxml --inactive
# output, then for each step "## step N: <the step line>" and the
# net-dumpxml --inactive output after it, or when libvirtd refused it
# "error CODE DOMAIN" and the message.  The prefix corpus- is taken off the
# name everywhere.  The network is undefined at the end; the script refuses
# to touch any network whose name does not start with corpus-, and an active
# one even then.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
uri="${1:-qemu:///system}"
[ $# -gt 0 ] && shift
exec /usr/bin/python3 - "$here/tests/data" "$uri" "$@" <<'PY'
import glob, os, re, sys
import libvirt

PREFIX = 'corpus-'
COMMANDS = {'modify': 1, 'delete': 2, 'add-last': 3, 'add': 3, 'add-first': 4}
SECTIONS = {'bridge': 1, 'domain': 2, 'ip': 3, 'ip-dhcp-host': 4, 'ip-dhcp-range': 5,
            'forward': 6, 'forward-interface': 7, 'forward-pf': 8, 'portgroup': 9,
            'dns-host': 10, 'dns-txt': 11, 'dns-srv': 12}
datadir, uri, only = sys.argv[1], sys.argv[2], set(sys.argv[3:])
casedir = os.path.join(datadir, 'network-update')

libvirt.registerErrorHandler(lambda ctx, err: None, None)   # keep stderr quiet
conn = libvirt.open(uri)

def drop(net):
    """Undefine a network of ours; never one outside the prefix, never an active one."""
    if not net.name().startswith(PREFIX):
        sys.exit('refusing to touch network %r (not %s*)' % (net.name(), PREFIX))
    if net.isActive():
        sys.exit('refusing to touch network %r: it is active' % net.name())
    net.undefine()

def drop_stale(name, uuid):
    for lookup, key in ((conn.networkLookupByName, name), (conn.networkLookupByUUIDString, uuid)):
        if not key:
            continue
        try:
            drop(lookup(key))
        except libvirt.libvirtError:
            pass

def number(word, names, what, path):
    if word in names:
        return names[word]
    if re.fullmatch(r'-?[0-9]+', word):
        return int(word)
    sys.exit('%s: unknown %s %r' % (path, what, word))

def read_case(path):
    base, steps = None, []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            if base is None:
                word, _, rest = line.partition(' ')
                if word == 'base':
                    with open(os.path.join(datadir, 'network', rest.strip() + '.xml')) as b:
                        base = b.read()
                elif word == 'base-xml':
                    base = rest
                else:
                    sys.exit('%s: the first line must be base or base-xml' % path)
                continue
            parts = line.split(' ', 3)
            if len(parts) < 4:
                sys.exit('%s: a step is COMMAND SECTION PARENT-INDEX XML: %r' % (path, line))
            steps.append((line, number(parts[0], COMMANDS, 'command', path),
                          number(parts[1], SECTIONS, 'section', path), int(parts[2]), parts[3]))
    if base is None:
        sys.exit('%s: no base' % path)
    return base, steps

def dump(net, name, case):
    xml = net.XMLDesc(libvirt.VIR_NETWORK_XML_INACTIVE).replace(name, case)
    return xml if xml.endswith('\n') else xml + '\n'

def run(case, base, steps):
    name = PREFIX + case
    base = re.sub(r'<name>[^<]*</name>', '<name>%s</name>' % name, base, count=1)
    m = re.search(r'<uuid>\s*([^<\s]+)\s*</uuid>', base)
    drop_stale(name, m.group(1) if m else None)
    net = conn.networkDefineXML(base)
    out = ['## base\n', dump(net, name, case)]
    try:
        for n, (line, command, section, parent, xml) in enumerate(steps, 1):
            out.append('## step %d: %s\n' % (n, line))
            try:
                net.update(command, section, parent, xml,
                           libvirt.VIR_NETWORK_UPDATE_AFFECT_CONFIG)
                out.append(dump(net, name, case))
            except libvirt.libvirtError as e:
                out.append('error %d %d\n%s\n' % (e.get_error_code(), e.get_error_domain(),
                                                  e.get_error_message().replace(name, case)))
    finally:
        drop(net)
    return ''.join(out)

for path in sorted(glob.glob(os.path.join(casedir, '*.txt'))):
    case = os.path.basename(path)[:-len('.txt')]
    if only and case not in only:
        continue
    base, steps = read_case(path)
    text = run(case, base, steps)
    expected = os.path.join(casedir, case + '.expected')
    with open(expected + '.tmp', 'w') as f:
        f.write(text)
    os.replace(expected + '.tmp', expected)
    print('%-30s %d steps, %d refused' % (case, len(steps), text.count('\nerror ')))

conn.close()
PY
