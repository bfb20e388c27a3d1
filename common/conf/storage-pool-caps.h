/* libvirt's <storagepoolCapabilities> document (virConnectGetStoragePool-
 * Capabilities, virsh pool-capabilities): every pool type with whether
 * this driver runs it, and the source and volume formats each type takes. */
#pragma once

#include <stdbool.h>

#include "common/conf/storage-pool-def.h"

/* SUPPORTED(TYPE): whether the driver has a backend for pool TYPE. */
char *vk_storage_pool_caps_format(bool (*supported)(VkStoragePoolType type));
