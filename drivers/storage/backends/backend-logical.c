#include "drivers/storage/backends/backend-types.h"

const VkStorageBackend vk_storage_backend_logical = {
    .type = VK_STORAGE_POOL_LOGICAL,
};
