/* Test-only: storage pool and volume definitions built by hand, until
 * common/conf parses <pool> and <volume> (then the tests should parse XML).
 * storage-builder.c also defines the definitions' free functions weakly,
 * so the real ones take over when they are linked in. */
#pragma once

#include "drivers/storage/backends/backend.h"

/* A pool of TYPE with TARGET (may be NULL) and SOURCE_DEVICE (may be NULL);
 * FORMAT is <source><format type=> (may be NULL). */
VkStoragePoolDef *sb_pool(VkStoragePoolType type, const char *name, const char *target,
                          const char *source_device, const char *format);
/* A volume request: NAME, FORMAT (NULL: absent), CAPACITY; ALLOCATION < 0
 * means absent. */
VkStorageVolDef *sb_vol(const char *name, const char *format, unsigned long long capacity,
                        long long allocation);

/* The thread's last error must read EXPECTED; it is cleared. */
void sb_assert_error(const char *expected);

/* rm -rf DIR (a test's temporary directory), then g_free(DIR) */
void sb_remove_tree(char *dir);
