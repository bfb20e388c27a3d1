/* The backend tables of the pool types Virtkit runs, one per backend-*.c
 * file; only backend.c looks them up. */
#pragma once

#include "drivers/storage/backends/backend.h"

extern const VkStorageBackend vk_storage_backend_dir;
extern const VkStorageBackend vk_storage_backend_fs;
extern const VkStorageBackend vk_storage_backend_logical;
extern const VkStorageBackend vk_storage_backend_disk;
