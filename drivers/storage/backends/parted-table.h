/* A device's partition table as parted reads it ("parted -s -m DEV unit B
 * print free" and the BIOS geometry of "unit chs print"), in the terms of
 * libvirt's parthelper: partitions and free extents in disk order, byte
 * offsets with an exclusive end, dos partitions told apart as primary,
 * extended or logical.  For the disk pool. */
#pragma once

#include <stdbool.h>

#include <glib.h>

typedef enum {
    VK_PART_PRIMARY,
    VK_PART_EXTENDED,
    VK_PART_LOGICAL,
} VkPartKind;

typedef struct {
    unsigned int number;             /* 0 for free space */
    unsigned long long start, end;   /* bytes, END exclusive */
    bool free;
    VkPartKind kind;                 /* free space: LOGICAL when inside the extended */
} VkPartExtent;

typedef struct {
    char *label;                     /* "dos" (parted's msdos), "gpt", ... */
    unsigned long long size;         /* of the device, bytes */
    unsigned long long cylinder;     /* bytes in a BIOS cylinder (heads * sectors * 512) */
    GArray *extents;                 /* VkPartExtent */
} VkPartTable;

void vk_part_table_free(VkPartTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkPartTable, vk_part_table_free)

/* The table of DEVICE; NULL, reported, when parted fails (an unrecognised
 * label included). */
VkPartTable *vk_part_table_read(const char *device);

/* Parse parted's machine output MACHINE and the geometry line of CHS (may
 * be NULL); NULL, reported, on malformed text. */
VkPartTable *vk_part_table_parse(const char *machine, const char *chs);

/* The device node of partition NUMBER of DEVICE, named as parthelper
 * does: "p" between them when DEVICE ends in a digit, unless SEPARATOR is
 * false (part_separator='no'). */
char *vk_part_device_path(const char *device, unsigned int number, bool separator);
