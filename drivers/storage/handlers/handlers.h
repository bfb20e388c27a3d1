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

/* Shared by the handler files: look a pool up for a read (locked, no job:
 * reads do not queue) and let it go again, passing RC through. */
VkStoragePoolObj *vk_storage_pool_read_begin(const remote_nonnull_storage_pool *ref);
int vk_storage_pool_read_end(VkStoragePoolObj *obj, int rc);
