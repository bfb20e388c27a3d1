/* The QEMU driver's state, shared by its procedure handlers. */
#pragma once

#include <glib.h>

#include "common/host/cgroup-layout.h"
#include "common/rpc/program.h"
#include "common/util/paths.h"
#include "drivers/qemu/core/domain-obj.h"
#include "drivers/qemu/core/domain-store.h"
#include "drivers/qemu/monitor/capabilities-xml.h"
#include "drivers/qemu/monitor/capabilities.h"
#include "drivers/qemu/monitor/cpu-map.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/monitor/qmp.h"
#include "drivers/remote/daemon-link.h"
#include "drivers/qemu/security/dac-config.h"

/* Kept by modules of their own (console.h, hotplug.h, graphics-ports.h). */
typedef struct _VkQemuConsoles VkQemuConsoles;
typedef struct _VkQemuUnplugs VkQemuUnplugs;
typedef struct _VkQemuPorts VkQemuPorts;

typedef struct _VkQemuDriver {
    VkPaths *paths;
    VkDomainList *domains;
    VkStore *store;
    VkEventRegistry *events;
    GThreadPool *monitor_events;   /* handles what QEMU reports, in order */
    const VkQmpCallbacks *monitor_callbacks;   /* feed it (monitor-events.h) */
    VkQemuPorts *ports;            /* display ports in use */
    /* links to the sibling daemons: network ports (network-ports.h), the
     * volumes of volume disks (storage-volumes.h) */
    VkDaemonLink *networkd, *storaged;
    VkQemuUnplugs *unplugs;        /* device removals under way */
    VkQemuConsoles *consoles;      /* open console sessions */
    VkDacConfig *dac;        /* who QEMU runs as (qemu.conf) */
    char *emulator;          /* the default QEMU binary */
    char *caps_cache_dir;    /* ROOT/var/cache/libvirt/qemu/capabilities */
    GMutex lock;             /* guards the lazily filled fields below */
    GHashTable *caps;        /* binary path -> VkQemuCaps*, probed on first use */
    VkHostCaps *host;        /* the host's facts, read on first use */
    GHashTable *pci_users;   /* host PCI device -> the guest holding it (host-pci.h) */
    VkCpuMap *cpu_map;       /* libvirt's x86 CPU map, read on first use */
    VkCgroupLayout *cgroups; /* the cgroup mounts guests get groups in (domain-cgroup.h) */
} VkQemuDriver;

/* The VkDaemonSpec callbacks of virtqemud. */
int vk_qemu_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driver);
void vk_qemu_driver_stop(gpointer driver);
gboolean vk_qemu_driver_busy(gpointer driver);

/* What BINARY (NULL: the default QEMU) can do: from the cache on disk, else
 * probed once.  The driver keeps it; NULL with libvirt's error when the binary
 * is missing or broken. */
const VkQemuCaps *vk_qemu_driver_get_caps(VkQemuDriver *driver, const char *binary);
/* The host's facts for the capabilities documents. */
const VkHostCaps *vk_qemu_driver_get_host(VkQemuDriver *driver);
/* libvirt's x86 CPU map; NULL with an error when libvirt's is not installed. */
const VkCpuMap *vk_qemu_driver_get_cpu_map(VkQemuDriver *driver);


/* The driver handlers run on worker threads and find the driver here. */
VkQemuDriver *vk_qemu_driver(void);
