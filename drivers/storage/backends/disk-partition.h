/* Where and how a new partition of a disk pool goes: libvirt's
 * virStorageBackendDiskPartTypeToCreate, PartFormat and PartBoundaries
 * (primary while fewer than 4 primary/extended slots are used on dos, then
 * logical inside the extended partition; the smallest free extent that
 * fits; dos partitions end on a cylinder boundary).  For backend-disk.c. */
#pragma once

#include "drivers/storage/backends/parted-table.h"

typedef struct {
    char *part_format;               /* parted mkpart's type/name word(s) */
    unsigned long long start, end;   /* bytes, END inclusive as parted takes it */
} VkPartPlan;

/* Plan a partition of CAPACITY bytes whose volume format is FORMAT
 * ("none", "linux", ..., "extended") in TABLE.  -1 with libvirt's error:
 * "extended partition already exists", "no extended partition found and no
 * primary partition available", "no large enough free extent". */
int vk_part_plan(const VkPartTable *table, const char *format, unsigned long long capacity,
                 VkPartPlan *plan);
