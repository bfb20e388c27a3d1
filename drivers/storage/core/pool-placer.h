/* How a pool definition from a client (define, create) joins the driver's
 * list: parsed, and refused when another pool already uses its source
 * (libvirt's "Storage source conflict with pool"). */
#pragma once

#include "common/driver/object-place.h"
#include "drivers/storage/driver.h"

void vk_storage_placer_init(VkObjectPlacer *placer, VkStorageDriver *driver);
