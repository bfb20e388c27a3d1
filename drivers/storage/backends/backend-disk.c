#include "drivers/storage/backends/backend-types.h"

const VkStorageBackend vk_storage_backend_disk = {
    .type = VK_STORAGE_POOL_DISK,
};
