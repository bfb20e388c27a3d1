/* The storage driver's procedure handlers, one family per file; each adds
 * its handlers to the remote program. */
#pragma once

#include "common/rpc/program.h"
#include "drivers/storage/core/pool-obj.h"
#include "remote-protocol.h"

void vk_storage_pool_handlers_register(VkRpcProgram *remote);
void vk_storage_pool_lifecycle_handlers_register(VkRpcProgram *remote);
void vk_storage_volume_handlers_register(VkRpcProgram *remote);
void vk_storage_event_handlers_register(VkRpcProgram *remote);
void vk_storage_stream_handlers_register(VkRpcProgram *remote);
