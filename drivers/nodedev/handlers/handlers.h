/* The node device driver's procedure handlers, one family per file; each
 * adds its handlers to the remote program. */
#pragma once

#include "common/rpc/program.h"

void vk_nodedev_device_handlers_register(VkRpcProgram *remote);
void vk_nodedev_listing_handlers_register(VkRpcProgram *remote);
void vk_nodedev_mdev_handlers_register(VkRpcProgram *remote);
void vk_nodedev_event_handlers_register(VkRpcProgram *remote);
