/* Domain objects: a definition plus its live state, reference counted and
 * locked, and the driver's list of them by name, UUID and id. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "common/conf/domain.h"
#include "drivers/qemu/domain-state.h"

typedef struct _VkDomainObj VkDomainObj;

struct _VkDomainObj {
    gint refs;
    GMutex lock;            /* guards every field below */
    GCond job_done;
    bool job_active;        /* a long operation (start, stop...) is running */

    VkDomainDef *def;       /* the live definition while running, else the config */
    VkDomainDef *new_def;   /* running and persistent: the config for next boot */
    bool persistent;
    bool autostart;
    bool removed;           /* gone from the list: lookups must not find it */

    VkDomainState state;
    int reason;
    pid_t pid;              /* QEMU's, 0 when not running */
    gpointer runtime;       /* process-level state owned by the process code */
};

VkDomainObj *vk_domain_obj_ref(VkDomainObj *obj);
void vk_domain_obj_unref(VkDomainObj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainObj, vk_domain_obj_unref)

void vk_domain_obj_lock(VkDomainObj *obj);
void vk_domain_obj_unlock(VkDomainObj *obj);

/* Jobs: a long operation holds the job so that others queue behind it
 * instead of racing; the object lock is dropped while waiting.  Both are
 * called with the object locked. */
void vk_domain_obj_begin_job(VkDomainObj *obj);
void vk_domain_obj_end_job(VkDomainObj *obj);

bool vk_domain_obj_is_active(const VkDomainObj *obj);
/* The persistent definition: new_def when there is one, else def. */
VkDomainDef *vk_domain_obj_config(VkDomainObj *obj);
void vk_domain_obj_set_state(VkDomainObj *obj, VkDomainState state, int reason);

typedef struct _VkDomainList VkDomainList;

VkDomainList *vk_domain_list_new(void);
void vk_domain_list_free(VkDomainList *list);

/* Add an object for DEF (owned) unless a domain with its name or UUID
 * exists.  A domain with the same name and UUID is returned instead when
 * REPLACE_OK (redefine), with its reference; *EXISTED tells which. */
VkDomainObj *vk_domain_list_add(VkDomainList *list, VkDomainDef *def, bool *existed);
void vk_domain_list_remove(VkDomainList *list, VkDomainObj *obj);

/* Lookups return a new reference, or NULL with libvirt's "Domain not found"
 * error. */
VkDomainObj *vk_domain_list_find_by_name(VkDomainList *list, const char *name);
VkDomainObj *vk_domain_list_find_by_uuid(VkDomainList *list, const unsigned char *uuid);
VkDomainObj *vk_domain_list_find_by_id(VkDomainList *list, int id);

/* A new id for a starting domain (1, 2, ...; never reused while running). */
int vk_domain_list_next_id(VkDomainList *list);
void vk_domain_list_set_id(VkDomainList *list, VkDomainObj *obj, int id);

/* A snapshot of all objects (new references), in no particular order:
 * clients sort listings themselves, as libvirt's come in hash order. */
GPtrArray *vk_domain_list_snapshot(VkDomainList *list);

typedef struct {
    char *name;              /* malloc'ed: can be handed over to XDR */
    unsigned char uuid[VK_UUID_LEN];
    int id;
} VkDomainIdentity;

/* Name, UUID and id of every domain, taken under the list's lock only (no
 * domain lock: those three only change under it), for unfiltered listings.
 * A g_new array of *N entries; the names are the caller's too. */
VkDomainIdentity *vk_domain_list_identities(VkDomainList *list, guint *n);
