/* A definition from a client (define, create) on its way into a driver's
 * list: parsed (with whatever the driver fills in from the other objects)
 * under the driver's define lock, listed, then locked with its job taken;
 * a new object is unlisted again if the call fails.  Each driver describes
 * its type once in a VkObjectPlacer. */
#pragma once

#include <stdbool.h>

#include "common/driver/object-list.h"

typedef struct {
    VkObjectList *list;
    GMutex *define_lock;   /* held while parsing and listing */
    /* XML -> a definition, NULL with libvirt's error */
    gpointer (*parse)(VkObjectList *list, const char *xml);
    /* the type's list add: the listed object (a new reference), taking DEF
     * when it is new; *EXISTED when one with the same name and UUID was
     * there (DEF stays the caller's); NULL with an error */
    VkObject *(*list_add)(VkObjectList *list, gpointer def, bool *existed);
    GDestroyNotify free_def;
} VkObjectPlacer;

typedef struct {
    VkObject *obj;       /* locked, job held */
    bool existed;
    gpointer def;        /* when EXISTED: the new definition, for the caller to place */
} VkObjectPlacing;

/* -1 with libvirt's error; nothing is listed then. */
int vk_object_place_begin(const VkObjectPlacer *placer, const char *xml, VkObjectPlacing *p);
/* End the job, unlock, unlist a new object when RC < 0, drop the reference
 * and whatever of P->def is left; returns RC. */
int vk_object_place_end(const VkObjectPlacer *placer, VkObjectPlacing *p, int rc);

/* At daemon start: the saved definitions DEFS (as vk_store_load_configs()
 * read them; the array is emptied) listed through ADD, each new object given
 * to LOADED(obj, DATA) to mark it persistent; a definition the list refuses
 * (a name or UUID twice) is logged and dropped. */
void vk_object_list_add_saved(VkObjectList *list, GPtrArray *defs,
                              VkObject *(*add)(VkObjectList *list, gpointer def, bool *existed),
                              void (*loaded)(VkObject *obj, gpointer data), gpointer data);
