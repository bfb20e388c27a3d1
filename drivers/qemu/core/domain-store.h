/* Domains in the common store (common/driver/store.h), at libvirt's QEMU
 * places: ETC/libvirt/qemu/NAME.xml (autostart links in its autostart/),
 * and RUN/libvirt/qemu/NAME.xml for running guests. */
#pragma once

#include "common/conf/domain.h"
#include "common/driver/store.h"
#include "common/util/paths.h"

VkStore *vk_domain_store_new(const VkPaths *paths);

/* Save DEF as the persistent definition, secrets included. */
int vk_domain_store_save_config(VkStore *store, const VkDomainDef *def);

/* Every saved definition; unreadable ones are logged and skipped. */
GPtrArray *vk_domain_store_load_configs(VkStore *store);
