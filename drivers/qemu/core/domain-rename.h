/* virDomainRename: a shut-off persistent domain gets a new name, with its
 * saved definition, autostart link and snapshot metadata. */
#pragma once

#include "drivers/qemu/core/domain-obj.h"

/* Rename OBJ (locked, with its job) to NEW_NAME after libvirt's checks; on
 * success the definition is saved under the new name and the old file is
 * gone.  -1 with libvirt's error, nothing changed. */
int vk_qemu_domain_rename(VkDomainObj *obj, const char *new_name);
