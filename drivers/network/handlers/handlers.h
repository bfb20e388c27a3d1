/* The network driver's procedure handlers, one family per file; each adds
 * its handlers to the remote program. */
#pragma once

#include "common/rpc/program.h"

void vk_network_connect_handlers_register(VkRpcProgram *remote);
void vk_network_definition_handlers_register(VkRpcProgram *remote);
void vk_network_lifecycle_handlers_register(VkRpcProgram *remote);
void vk_network_update_handlers_register(VkRpcProgram *remote);
void vk_network_lease_handlers_register(VkRpcProgram *remote);
void vk_network_port_handlers_register(VkRpcProgram *remote);
void vk_network_event_handlers_register(VkRpcProgram *remote);
