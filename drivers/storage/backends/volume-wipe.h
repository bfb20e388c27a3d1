/* vol-wipe as libvirt's storageBackendVolWipeLocalFile does it, for file
 * and block volumes of every pool type: zeros (a sparse file is truncated
 * and extended instead of written); the other algorithms need scrub, which
 * Virtkit does not run, and are refused; trim is refused as by libvirt. */
#pragma once

#include "drivers/storage/backends/backend.h"

int vk_volume_wipe(const VkStoragePoolDef *pool, VkStorageVolDef *vol, unsigned int algorithm,
                   unsigned int flags);
