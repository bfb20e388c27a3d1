/* What the Storage Pool and Storage Volume commands share
 * (cmd-storage-pool.c). */
#pragma once

#include "tools/object.h"

extern const VkshObjectKind vksh_pool_kind;

/* The pool the command's --pool option names, by UUID or name (see
 * vksh_object_lookup). */
virStoragePoolPtr vksh_pool_lookup(VkshControl *ctl, const VkshCmd *cmd, const char **name);

/* BYTES as virsh shows a size in its tables: "%.2lf UNIT" (g_free). */
char *vksh_capacity_string(unsigned long long bytes);
