/* Networks on disk, as libvirtd keeps them: definitions in
 * ROOT/etc/libvirt/qemu/networks (with autostart/), the state of active
 * networks in ROOT/run/libvirt/network/NAME.xml (<networkstatus>) and their
 * ports in ROOT/run/libvirt/network/NAME/UUID.xml. */
#pragma once

#include "common/driver/store.h"
#include "common/util/paths.h"
#include "drivers/network/core/network-obj.h"

VkStore *vk_network_store_new(const VkPaths *paths);

int vk_network_store_save_config(VkStore *store, const VkNetworkDef *def);
/* Every readable saved definition (VkNetworkDef); unreadable ones are
 * logged and skipped. */
GPtrArray *vk_network_store_load_configs(VkStore *store);

/* OBJ's (locked) live definition as its status file. */
int vk_network_store_save_status(VkStore *store, VkNetworkObj *obj);
/* The live definition in a status file; NULL with an error. */
VkNetworkDef *vk_network_store_read_status(const char *path);
/* Remove NAME's status and its ports' files. */
void vk_network_store_delete_status(VkStore *store, const char *name);

int vk_network_store_save_port(VkStore *store, const char *network, const VkNetworkPortDef *port);
void vk_network_store_delete_port(VkStore *store, const char *network,
                                  const unsigned char *uuid);
/* The ports saved for NETWORK (VkNetworkPortDef). */
GPtrArray *vk_network_store_load_ports(VkStore *store, const char *network);
