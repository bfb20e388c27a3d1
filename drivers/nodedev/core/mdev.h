/* Mediated devices in sysfs: the types a parent offers
 * (PARENT/mdev_supported_types/TYPE/{name,device_api,available_instances}),
 * an mdev's type and IOMMU group, and creating or removing one by writing
 * its UUID to the type's "create" file or 1 to its "remove" file (what
 * mdevctl start/stop do). */
#pragma once

#include "common/conf/node-device-def.h"

/* The types under the device directory SYSPATH (VkMdevType *, sorted by
 * id), or NULL when it offers none. */
GPtrArray *vk_mdev_read_types(const char *syspath);

/* The mdev at SYSPATH (named by its UUID): type, UUID, IOMMU group. */
int vk_mdev_read_device(const char *syspath, VkNodeDevMdev *mdev);

/* libvirt's name of the mdev UUID under the parent PARENT_ADDR:
 * mdev_UUID_PARENTADDR with every other character than letters and digits
 * made '_'. */
char *vk_mdev_device_name(const char *uuid, const char *parent_addr);

/* Create the mdev UUID of TYPE under the parent device PARENT_SYSPATH, or
 * remove the one at SYSPATH; -1 with a system error. */
int vk_mdev_create(const char *parent_syspath, const char *type, const char *uuid);
int vk_mdev_remove(const char *syspath);
