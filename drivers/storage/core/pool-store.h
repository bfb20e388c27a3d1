/* Storage pools on disk, as libvirtd keeps them: definitions in
 * ROOT/etc/libvirt/storage (with autostart/), the live definition of each
 * active pool in ROOT/run/libvirt/storage/NAME.xml. */
#pragma once

#include "common/driver/store.h"
#include "common/util/paths.h"
#include "drivers/storage/core/pool-obj.h"

VkStore *vk_storage_store_new(const VkPaths *paths);
int vk_storage_store_save_config(VkStore *store, const VkStoragePoolDef *def);
GPtrArray *vk_storage_store_load_configs(VkStore *store);
int vk_storage_store_save_status(VkStore *store, const VkStoragePoolDef *def);
