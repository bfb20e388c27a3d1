/* A driver's objects indexed by name, UUID and id (domains have ids; other
 * types leave them at -1).  Lookups report nothing: the caller knows what it
 * was looking for and reports once, in its own error domain. */
#pragma once

#include "common/driver/object.h"

typedef struct _VkObjectList VkObjectList;

VkObjectList *vk_object_list_new(void);
void vk_object_list_free(VkObjectList *list);

/* List OBJ (new, with its identity set) unless an object with its name or
 * UUID is there.  Returns a new reference to the listed object: OBJ itself
 * (the list takes a reference of its own), or the one already listed with
 * the same name and UUID (*EXISTED, OBJ is left alone: a redefinition).
 * NULL with libvirt's "TYPE 'NAME' already exists with uuid ..." or "is
 * already defined with uuid ..." when only one of the two matches. */
VkObject *vk_object_list_add(VkObjectList *list, VkObject *obj, bool *existed);
/* Unlist OBJ (it is marked removed; references held elsewhere stay valid). */
void vk_object_list_remove(VkObjectList *list, VkObject *obj);

/* OBJ is listed as NEW_NAME from now on (obj->name changes); false, and
 * nothing changed, when another object has that name. */
bool vk_object_list_rename(VkObjectList *list, VkObject *obj, const char *new_name);

/* A new reference, or NULL (nothing reported). */
VkObject *vk_object_list_find_by_name(VkObjectList *list, const char *name);
VkObject *vk_object_list_find_by_uuid(VkObjectList *list, const unsigned char *uuid);
VkObject *vk_object_list_find_by_id(VkObjectList *list, int id);

/* A new id for an object that starts (1, 2, ...; never one in use). */
int vk_object_list_next_id(VkObjectList *list);
/* OBJ's id becomes ID (-1: inactive). */
void vk_object_list_set_id(VkObjectList *list, VkObject *obj, int id);

/* All objects (new references), in no particular order: clients sort
 * listings themselves, as libvirt's come in hash order. */
GPtrArray *vk_object_list_snapshot(VkObjectList *list);

typedef struct {
    char *name;              /* malloc'ed: can be handed over to XDR */
    unsigned char uuid[VK_UUID_BUFLEN];
    int id;
} VkObjectIdentity;

/* Name, UUID and id of every object, under the list's lock only, for
 * listings that need nothing else.  A g_new array of *N entries; the names
 * are the caller's too. */
VkObjectIdentity *vk_object_list_identities(VkObjectList *list, guint *n);
guint vk_object_list_count(VkObjectList *list);
