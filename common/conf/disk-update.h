/* update-device for disks: a new medium in a running guest's CD-ROM or
 * floppy drive, or a disk replaced in a persistent definition, with
 * libvirt's checks and errors. */
#pragma once

#include "common/conf/domain-device.h"

/* update-device of a persistent definition: the disk with DEV's target is
 * replaced by DEV's (DEV gives it up), which keeps the old one's address
 * when it gives none on the same bus; libvirt's "target X doesn't exist."
 * otherwise.  On failure DEF may be partly changed: work on a copy. */
int vk_domain_def_update_disk(VkDomainDef *def, VkDomainDeviceDef *dev,
                              const VkDomainDefaultsOptions *opts);

/* The index of DEF's disk with NEWDISK's target for a live update, once
 * NEWDISK is checked to change nothing but the medium of a removable drive;
 * -1 with libvirt's error. */
int vk_domain_def_find_media_change(const VkDomainDef *def, const VkDomainDiskDef *newdisk);

/* Give ORIG the medium of NEWDISK (its source; its format when it names
 * one). */
void vk_domain_disk_take_media(VkDomainDiskDef *orig, const VkDomainDiskDef *newdisk);
