/* The QEMU driver's state, shared by its procedure handlers. */
#pragma once

#include <glib.h>

#include "common/rpc/program.h"
#include "common/util/paths.h"
#include "drivers/qemu/domain-obj.h"
#include "drivers/qemu/domain-store.h"
#include "drivers/qemu/events.h"

typedef struct {
    VkPaths *paths;
    VkDomainList *domains;
    VkDomainStore *store;
    VkQemuEvents *events;
    char *emulator;          /* the default QEMU binary */
    GMutex lock;             /* guards the lazily probed fields below */
    unsigned long long qemu_version;   /* major * 1000000 + minor * 1000 + micro; 0 = not probed */
} VkQemuDriver;

/* The VkDaemonSpec callbacks of virtqemud. */
int vk_qemu_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driver);
void vk_qemu_driver_stop(gpointer driver);

/* The default QEMU binary's version, probed once; -1 with an error when the
 * binary cannot be run. */
int vk_qemu_driver_get_version(VkQemuDriver *driver, unsigned long long *version);

/* Handler tables, one per file. */
void vk_qemu_connect_handlers_register(VkRpcProgram *remote);
void vk_qemu_domain_handlers_register(VkRpcProgram *remote);

/* The driver handlers run on worker threads and find the driver here. */
VkQemuDriver *vk_qemu_driver(void);
