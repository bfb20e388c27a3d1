#!/bin/bash
# Regenerates the storage corpora from a running reference libvirtd (Debian's
# libvirt 9.0, see /work/shared/tools/reference-libvirtd).
#
# Usage: scripts/regenerate-storage-expected.sh [URI] [NAME...]
#   URI defaults to qemu:///system; NAMEs (file base names) restrict the run.
#
# Pools (tests/data/storage-pool): NAME.xml, whose <name> starts with NAME,
# is defined as corpus-NAME (pool-define only: never built, started or
# deleted), dumped with pool-dumpxml --inactive, the prefix taken off again,
# written to NAME.expected.xml and undefined at once.  invalid-NAME.xml must
# be refused: invalid-NAME.error gets the error code, the error domain and the
# message, one a line.  manual-NAME.xml is skipped: this libvirtd has no
# backend for those types (rbd, gluster, zfs, vstorage, iscsi-direct) and
# refuses them at define, so their expected output is written by hand from
# storage_conf.c's rules.  The script touches no pool outside corpus-*.
#
# Volumes (tests/data/storage-vol): one dir pool, corpus-volpool, is
# created (transient, pool-create) over a fresh mktemp -d directory under
# /tmp holding backing.raw (1 MiB, sparse) for the backing-store cases.  Each
# NAME.xml, with @POOL@ standing for that directory, is created with
# vol-create, dumped with vol-dumpxml, the directory written back as @POOL@
# into NAME.expected.xml, and deleted; invalid-NAME.xml -> invalid-NAME.error
# as for pools.  Then the pool is destroyed and the directory removed.
#
# What the expected volumes hold is live (allocation, physical size, owner,
# timestamps, qcow2's rounded capacity): the unit test does not recompute
# it.  It checks (a) that libvirtd's own dump, @POOL@ filled in with any
# path, parses (as an existing volume) and formats to the same bytes and
# validates against storagevol.rng; (b) that NAME.xml parses as a create
# request to the name, format and backing store libvirtd created, and to a
# capacity within the 512 bytes qemu-img rounds up to; (c) the errors.
#
# Exit status is 1 when a valid input was refused or an invalid one accepted.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
uri="${1:-qemu:///system}"
[ $# -gt 0 ] && shift
exec /usr/bin/python3 - "$here/tests/data" "$uri" "$@" <<'PY'
import glob, os, shutil, subprocess, sys, tempfile
import libvirt

PREFIX = 'corpus-'
datadir, uri, only = sys.argv[1], sys.argv[2], set(sys.argv[3:])
libvirt.registerErrorHandler(lambda ctx, err: None, None)
conn = libvirt.open(uri)
bad = 0

def write(path, text):
    if not text.endswith('\n'):
        text += '\n'
    with open(path + '.tmp', 'w') as f:
        f.write(text)
    os.replace(path + '.tmp', path)

def remove(path):
    if os.path.exists(path):
        os.remove(path)

def inputs(sub):
    for path in sorted(glob.glob(os.path.join(datadir, sub, '*.xml'))):
        base = os.path.basename(path)[:-4]
        if base.endswith('.expected') or base.startswith('manual-'):
            continue
        if not only or base in only:
            yield path, base

def record(path, base, error, out, rename):
    """Write NAME.expected.xml (OUT) or invalid-NAME.error; count surprises."""
    global bad
    d = os.path.dirname(path)
    expected, errfile = os.path.join(d, base + '.expected.xml'), os.path.join(d, base + '.error')
    invalid = base.startswith('invalid-')
    if error is not None and invalid:
        msg = rename(error.get_error_message())
        write(errfile, '%d\n%d\n%s' % (error.get_error_code(), error.get_error_domain(), msg))
        remove(expected)
        print('%-40s refused: %s' % (base, msg.splitlines()[0]))
    elif error is not None:
        bad += 1
        print('%-40s UNEXPECTEDLY REFUSED: %s' % (base, error.get_error_message()), file=sys.stderr)
    elif invalid:
        bad += 1
        print('%-40s UNEXPECTEDLY ACCEPTED' % base, file=sys.stderr)
    else:
        write(expected, rename(out))
        remove(errfile)
        print('%-40s ok' % base)

def drop_pool(pool):
    if not pool.name().startswith(PREFIX):
        sys.exit('refusing to touch pool %r (not %s*)' % (pool.name(), PREFIX))
    if pool.isActive():
        sys.exit('refusing to touch pool %r: it is active' % pool.name())
    pool.undefine()

def pools():
    for path, base in inputs('storage-pool'):
        text = open(path).read()
        name = PREFIX + base
        if '<name>' in text:
            if '<name>' + base not in text:
                sys.exit('%s: <name> does not start with %r' % (path, base))
            text = text.replace('<name>' + base, '<name>' + name, 1)
        for stale in (name,):
            try:
                drop_pool(conn.storagePoolLookupByName(stale))
            except libvirt.libvirtError:
                pass
        rename = lambda s: s.replace(name, base)
        try:
            pool = conn.storagePoolDefineXML(text, 0)
        except libvirt.libvirtError as e:
            record(path, base, e, None, rename)
            continue
        try:
            xml = pool.XMLDesc(libvirt.VIR_STORAGE_XML_INACTIVE)
        finally:
            drop_pool(pool)
        record(path, base, None, xml, rename)

def volumes():
    pooldir = tempfile.mkdtemp(prefix='virtkit-volpool.', dir='/tmp')
    subprocess.run(['truncate', '-s', '1M', os.path.join(pooldir, 'backing.raw')], check=True)
    pool = conn.storagePoolCreateXML(
        "<pool type='dir'><name>%svolpool</name><target><path>%s</path></target></pool>"
        % (PREFIX, pooldir), 0)
    try:
        for path, base in inputs('storage-vol'):
            text = open(path).read().replace('@POOL@', pooldir)
            rename = lambda s: s.replace(pooldir, '@POOL@')
            try:
                vol = pool.createXML(text, 0)
            except libvirt.libvirtError as e:
                record(path, base, e, None, rename)
                continue
            try:
                xml = vol.XMLDesc(0)
            finally:
                vol.delete(0)
            record(path, base, None, xml, rename)
    finally:
        pool.destroy()
        shutil.rmtree(pooldir)

pools()
volumes()
conn.close()
sys.exit(1 if bad else 0)
PY
