/* Node device objects: a definition plus its state, on the common object
 * core, in the driver's list.  Host devices are active, transient and not
 * autostarted; the computer is persistent and autostarted (libvirt's
 * rules); mdevs defined through nodedev-define are persistent and may be
 * inactive. */
#pragma once

#include <stdbool.h>

#include "common/conf/node-device-def.h"
#include "common/driver/object-list.h"

typedef struct {
    VkObject parent;          /* first: the object core and the list see this */
    /* guarded by parent.lock: */
    VkNodeDeviceDef *def;
    bool active;
    bool persistent;
    bool autostart;
} VkNodeDevObj;

static inline void
vk_nodedev_obj_unref(VkNodeDevObj *obj)
{
    vk_object_unref(obj);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkNodeDevObj, vk_nodedev_obj_unref)

/* The UUID the list indexes NAME by (node devices have none of their own;
 * event filters use it too). */
void vk_nodedev_name_uuid(const char *name, unsigned char uuid[VK_UUID_BUFLEN]);

/* List a new device for DEF (taken): a new reference, or NULL when the
 * name is taken (DEF stays the caller's). */
VkNodeDevObj *vk_nodedev_list_add(VkObjectList *list, VkNodeDeviceDef *def);

static inline VkNodeDevObj *
vk_nodedev_list_find(VkObjectList *list, const char *name)
{
    return (VkNodeDevObj *) vk_object_list_find_by_name(list, name);
}

/* The device NAME (a new reference), or NULL with libvirt's "Node device
 * not found: no node device with matching name 'NAME'". */
VkNodeDevObj *vk_nodedev_lookup(VkObjectList *list, const char *name);
