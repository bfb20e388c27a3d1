#!/bin/bash
# Regenerates tests/data/network/*.expected.xml and invalid-*.error from the input
# documents, against a running reference libvirtd (Debian's libvirt 9.0, see
# /work/shared/tools/reference-libvirtd).
#
# Usage: scripts/regenerate-network-expected.sh [URI] [NAME...]
#   URI defaults to qemu:///system; NAMEs (file base names) restrict the run.
#
# For NAME.xml the document's <name>NAME</name> is defined as corpus-NAME
# (net-define only: a network is never started, so the host's interfaces and
# firewall stay as they are), dumped with net-dumpxml --inactive, the prefix
# taken off again, written to NAME.expected.xml, and undefined at once.  The
# script refuses to touch any network whose name does not start with corpus-,
# and an active one even then.  invalid-NAME.xml must be refused: the error
# goes to invalid-NAME.error as three parts, one a line: the error code, the
# error domain, the message.  Exit status is 1 when a valid input was refused
# or an invalid one accepted.  manual-NAME.xml is skipped: libvirtd cannot define
# it on this host (a hostdev pool of PCI addresses needs real SR-IOV VFs), so
# its expected output is written by hand from formatnetwork.rst.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir="$here/tests/data/network"
uri="${1:-qemu:///system}"
[ $# -gt 0 ] && shift
exec /usr/bin/python3 - "$dir" "$uri" "$@" <<'PY'
import glob, os, sys
import libvirt

PREFIX = 'corpus-'
datadir, uri, only = sys.argv[1], sys.argv[2], set(sys.argv[3:])

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
    try:
        drop(conn.networkLookupByName(name))
    except libvirt.libvirtError:
        pass
    if uuid:
        try:
            drop(conn.networkLookupByUUIDString(uuid))
        except libvirt.libvirtError:
            pass

def write(path, text):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)

def remove(path):
    if os.path.exists(path):
        os.remove(path)

bad = 0
inputs = sorted(p for p in glob.glob(os.path.join(datadir, '*.xml'))
                if not p.endswith('.expected.xml')
                and not os.path.basename(p).startswith('manual-'))
for path in inputs:
    base = os.path.basename(path)[:-len('.xml')]
    if only and base not in only:
        continue
    invalid = base.startswith('invalid-')
    with open(path) as f:
        text = f.read()
    name = PREFIX + base
    # the document's name must start with the file's base name: it gets the prefix
    if '<name>' in text:
        if '<name>' + base not in text:
            sys.exit('%s: <name> does not start with %r' % (path, base))
        text = text.replace('<name>' + base, '<name>' + name, 1)
    elif not invalid:
        sys.exit('%s: no <name>' % path)
    uuid = None
    if '<uuid>' in text:
        uuid = text.split('<uuid>', 1)[1].split('</uuid>', 1)[0].strip()
        if len(uuid) != 36:
            uuid = None
    drop_stale(name, uuid)
    expected = os.path.join(datadir, base + '.expected.xml')
    errfile = os.path.join(datadir, base + '.error')
    try:
        net = conn.networkDefineXML(text)
    except libvirt.libvirtError as e:
        msg = e.get_error_message().replace(name, base)
        if invalid:
            write(errfile, '%d\n%d\n%s\n' % (e.get_error_code(), e.get_error_domain(), msg))
            remove(expected)
            print('%-45s refused: %s' % (base, msg.splitlines()[0] if msg else ''))
        else:
            bad += 1
            print('%-45s UNEXPECTEDLY REFUSED: %s' % (base, msg), file=sys.stderr)
        continue
    try:
        xml = net.XMLDesc(libvirt.VIR_NETWORK_XML_INACTIVE)
    finally:
        drop(net)
    if invalid:
        bad += 1
        print('%-45s UNEXPECTEDLY ACCEPTED (rename it without invalid-)' % base, file=sys.stderr)
        continue
    xml = xml.replace(name, base)
    if not xml.endswith('\n'):
        xml += '\n'
    write(expected, xml)
    remove(errfile)
    print('%-45s ok' % base)

conn.close()
sys.exit(1 if bad else 0)
PY
