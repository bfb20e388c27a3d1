#!/bin/sh
# drivers/qemu's rooms stay in their order: monitor/ talks to QEMU and knows
# nothing of domains' state, core/ never calls a procedure handler, and
# core/process.c (launch, watch, stop) knows nothing of the later start-up
# steps or of device changes.  Prints each include that breaks it.
cd "$(dirname "$0")/../drivers/qemu" || exit 1
bad=0
check() {   # FILES PATTERN WHY
    hits=$(grep -n "$2" $1 2>/dev/null)
    if [ -n "$hits" ]; then
        echo "$3:"; echo "$hits"; bad=1
    fi
}
check "core/*.c core/*.h monitor/*.c monitor/*.h" '#include "drivers/qemu/handlers/' \
    "below the handlers, a handler is included"
check "monitor/*.c monitor/*.h" '#include "drivers/qemu/\(core/\|driver.h\)' \
    "monitor/ includes the driver's core"
check "core/process.c core/process.h" \
    '#include "drivers/qemu/core/\(hotplug\|console\|cpu-affinity\|iotune\|domain-start\)\.h"' \
    "process.c includes a later start-up step or device changes"
[ $bad = 0 ] && echo "ok: drivers/qemu's layers hold"
exit $bad
