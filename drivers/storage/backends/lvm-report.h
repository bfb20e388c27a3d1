/* What the lvm2 report tools say about a volume group, parsed: vgs for its
 * size and free space, lvs for its logical volumes, with the options
 * libvirt's storage_backend_logical.c uses (--noheadings --units b
 * --unbuffered --nosuffix --separator).  For backend-logical.c. */
#pragma once

#include <glib.h>

typedef struct {
    char *name;
    char *uuid;                   /* libvirt's key of an LV */
    char *device;                 /* first PV it sits on */
    unsigned long long pv_start;  /* bytes into that PV */
    unsigned long long seg_size;
    unsigned long long size;
    char *attr;                   /* lv_attr: "-wi-a-----", 's' snapshot, 't' thin pool */
    char *origin;
} VkLvmVolume;

void vk_lvm_volume_free(VkLvmVolume *lv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkLvmVolume, vk_lvm_volume_free)

/* vg_size and vg_free of VG */
int vk_lvm_vg_sizes(const char *vg, unsigned long long *size, unsigned long long *free_bytes);

/* The LVs of VG, first segment each (VkLvmVolume) */
GPtrArray *vk_lvm_list_volumes(const char *vg);

enum {
    VK_LVM_VG_ABSENT,          /* no PV belongs to VG */
    VK_LVM_VG_OTHER_DEVICES,   /* VG exists, on none of the devices */
    VK_LVM_VG_MATCHES,         /* one of the devices is a PV of VG */
};
/* Where VG stands against DEVICES (NULL terminated), from pvs; -1 reported */
int vk_lvm_vg_find(const char *vg, const char *const *devices);
