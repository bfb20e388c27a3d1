#!/usr/bin/env python3
"""Run rpcgen on one .x file for meson.

rpcgen names the header that its generated C file includes after the path
of the input file, which would be the source tree's path; running it from
the input's own directory makes that a bare name, and we then replace it
with the header name the build uses.  It also derives the header's include
guard from the output name, dashes included; those become underscores.

usage: rpcgen.py RPCGEN -h|-c INPUT.x OUTPUT HEADER-NAME
"""

import os
import re
import subprocess
import sys


def main():
    if len(sys.argv) != 6 or sys.argv[2] not in ("-h", "-c"):
        sys.exit(__doc__.strip().splitlines()[-1])
    rpcgen, mode, src, out, header = sys.argv[1:]
    src = os.path.abspath(src)
    out = os.path.abspath(out)
    # rpcgen refuses to overwrite its previous output.
    if os.path.exists(out):
        os.unlink(out)
    subprocess.run([rpcgen, mode, "-o", out, os.path.basename(src)],
                   cwd=os.path.dirname(src), check=True)
    with open(out, encoding="utf-8") as f:
        text = f.read()
    # The include guard comes from the output name; ours have dashes.
    text = re.sub(r"_[A-Za-z0-9_-]+_H_RPCGEN",
                  lambda m: m.group(0).replace("-", "_"), text)
    if mode == "-c":
        bare = '#include "%s"' % (os.path.basename(src)[:-2] + ".h")
        if bare not in text:
            sys.exit("rpcgen.py: %s: expected %s in rpcgen output" % (src, bare))
        text = text.replace(bare, '#include "%s"' % header, 1)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
