#!/bin/bash
# Regenerates tests/data/domain/*.expected.xml and invalid-*.error from the input
# documents, against a running reference libvirtd (Debian's libvirt 9.0 with QEMU 7.2,
# see /work/shared/tools/reference-libvirtd).
#
# Usage: scripts/regenerate-domain-expected.sh [URI] [NAME...]
#   URI defaults to qemu:///system; NAMEs (file base names) restrict the run.
#
# For NAME.xml the document's <name>NAME</name> is defined as corpus-NAME, so the run
# never touches another domain; the dumped XML (dumpxml --inactive) gets the prefix
# taken off again before it is written to NAME.expected.xml. Each domain is undefined
# (with its NVRAM) right after it is dumped. invalid-NAME.xml must be refused: the
# error goes to invalid-NAME.error as three parts, one a line: the error code, the
# error domain, the message (which may span several lines, as libxml2's do).
# Exit status is 1 when a valid input was refused or an invalid one accepted.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir="$here/tests/data/domain"
uri="${1:-qemu:///system}"
[ $# -gt 0 ] && shift
exec /usr/bin/python3 - "$dir" "$uri" "$@" <<'PY'
import glob, os, sys
import libvirt

PREFIX = 'corpus-'
datadir, uri, only = sys.argv[1], sys.argv[2], set(sys.argv[3:])

libvirt.registerErrorHandler(lambda ctx, err: None, None)   # keep stderr quiet
conn = libvirt.open(uri)

def drop(dom):
    """Undefine a domain of ours, with its NVRAM; never one outside the prefix."""
    if not dom.name().startswith(PREFIX):
        sys.exit('refusing to touch domain %r (not %s*)' % (dom.name(), PREFIX))
    if dom.isActive():
        dom.destroy()
    dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_NVRAM)

def drop_stale(name, uuid):
    try:
        drop(conn.lookupByName(name))
    except libvirt.libvirtError:
        pass
    if uuid:
        try:
            drop(conn.lookupByUUIDString(uuid))
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
                if not p.endswith(('.expected.xml', '.redefined.xml')))
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
    uuid = None
    if '<uuid>' in text:
        uuid = text.split('<uuid>', 1)[1].split('</uuid>', 1)[0].strip()
        if len(uuid) != 36:
            uuid = None
    drop_stale(name, uuid)
    expected = os.path.join(datadir, base + '.expected.xml')
    errfile = os.path.join(datadir, base + '.error')
    try:
        dom = conn.defineXML(text)
    except libvirt.libvirtError as e:
        msg = e.get_error_message().replace(name, base)
        if invalid:
            write(errfile, '%d\n%d\n%s\n' % (e.get_error_code(), e.get_error_domain(), msg))
            remove(expected)
            print('%-55s refused: %s' % (base, msg.splitlines()[0] if msg else ''))
        else:
            bad += 1
            print('%-55s UNEXPECTEDLY REFUSED: %s' % (base, msg), file=sys.stderr)
        continue
    try:
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    finally:
        drop(dom)
    if invalid:
        bad += 1
        print('%-55s UNEXPECTEDLY ACCEPTED (rename it without invalid-)' % base, file=sys.stderr)
        continue
    xml = xml.replace(name, base)
    if not xml.endswith('\n'):
        xml += '\n'
    write(expected, xml)
    remove(errfile)
    # libvirtd does not always give its own output back unchanged: the
    # controllers it appended at define (implicit ones, PCI ones) move among
    # those of their type when the output is defined again.  What it gives
    # then is NAME.redefined.xml (only where it differs).
    dom = conn.defineXML(xml.replace('<name>' + base, '<name>' + name, 1))
    try:
        again = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    finally:
        drop(dom)
    again = again.replace(name, base)
    if not again.endswith('\n'):
        again += '\n'
    redefined = os.path.join(datadir, base + '.redefined.xml')
    if again != xml:
        write(redefined, again)
    else:
        remove(redefined)
    print('%-55s ok%s' % (base, ' (redefined differs)' if again != xml else ''))

conn.close()
sys.exit(1 if bad else 0)
PY
