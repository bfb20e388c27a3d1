/* Network objects: a definition plus its live state, on the common object
 * core (common/driver/object.h), and the driver's list of them. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "common/conf/network-def.h"
#include "common/conf/network-port-def.h"
#include "common/driver/object-list.h"

typedef struct {
    VkObject parent;        /* first: the object core and the list see this */
    /* guarded by parent.lock: */
    VkNetworkDef *def;      /* the live definition while active, else the config */
    VkNetworkDef *new_def;  /* active and persistent: the config for next start */
    bool active;
    bool persistent;
    bool autostart;
    pid_t dnsmasq_pid;      /* 0 when none runs for it */
    GHashTable *ports;      /* port uuid (16 bytes) -> VkNetworkPortDef */
} VkNetworkObj;

static inline void
vk_network_obj_unref(VkNetworkObj *obj)
{
    vk_object_unref(obj);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkNetworkObj, vk_network_obj_unref)

static inline void
vk_network_obj_lock(VkNetworkObj *obj)
{
    vk_object_lock(&obj->parent);
}

static inline void
vk_network_obj_unlock(VkNetworkObj *obj)
{
    vk_object_unlock(&obj->parent);
}

/* The persistent definition: new_def when there is one, else def. */
VkNetworkDef *vk_network_obj_config(VkNetworkObj *obj);

/* List a new network for DEF (owned on success) unless one with its name
 * or UUID exists; one with the same name and UUID is returned instead
 * (*EXISTED, DEF stays the caller's).  NULL with libvirt's error when only
 * the name or only the UUID match. */
VkNetworkObj *vk_network_list_add(VkObjectList *list, VkNetworkDef *def, bool *existed);

static inline VkNetworkObj *
vk_network_list_find_by_name(VkObjectList *list, const char *name)
{
    return (VkNetworkObj *) vk_object_list_find_by_name(list, name);
}

static inline VkNetworkObj *
vk_network_list_find_by_uuid(VkObjectList *list, const unsigned char *uuid)
{
    return (VkNetworkObj *) vk_object_list_find_by_uuid(list, uuid);
}

/* Ports: OBJ locked.  Add takes PORT. */
void vk_network_obj_add_port(VkNetworkObj *obj, VkNetworkPortDef *port);
VkNetworkPortDef *vk_network_obj_find_port(VkNetworkObj *obj, const unsigned char *uuid);
bool vk_network_obj_remove_port(VkNetworkObj *obj, const unsigned char *uuid);
