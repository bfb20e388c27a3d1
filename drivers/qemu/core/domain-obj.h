/* Domain objects: a definition plus its live state, on the common object
 * core (common/driver/object.h: reference, lock, job, identity), and the
 * driver's list of them by name, UUID and id. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "common/conf/domain.h"
#include "common/driver/object-list.h"
#include "drivers/qemu/core/domain-state.h"

typedef struct _VkDomainObj VkDomainObj;
typedef struct _VkSnapshotList VkSnapshotList;   /* snapshot-store.h */

struct _VkDomainObj {
    VkObject parent;        /* first: the object core and the list see this */
    /* guarded by parent.lock: */
    VkDomainDef *def;       /* the live definition while running, else the config */
    VkDomainDef *new_def;   /* running and persistent: the config for next boot */
    bool persistent;
    bool autostart;

    VkDomainState state;
    int reason;
    pid_t pid;              /* QEMU's, 0 when not running */
    gpointer runtime;       /* process-level state owned by the process code */
    VkSnapshotList *snapshots;   /* read on first use (snapshot-store.h) */
    /* dumpxml's answers by VK_DOMAIN_FORMAT_INACTIVE | _SECURE, with the
     * definition each was made from; forgotten when any job ends */
    struct {
        const VkDomainDef *def;
        char *xml;
    } xml_cache[4];
};

static inline VkDomainObj *
vk_domain_obj_ref(VkDomainObj *obj)
{
    return vk_object_ref(obj);
}

static inline void
vk_domain_obj_unref(VkDomainObj *obj)
{
    vk_object_unref(obj);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainObj, vk_domain_obj_unref)

static inline void
vk_domain_obj_lock(VkDomainObj *obj)
{
    vk_object_lock(&obj->parent);
}

static inline void
vk_domain_obj_unlock(VkDomainObj *obj)
{
    vk_object_unlock(&obj->parent);
}

/* Jobs (common/driver/object.h), called with the domain locked: a client's
 * call waits a bounded time for another's job; the driver's own work waits
 * as long as it takes. */
static inline int
vk_domain_obj_begin_job(VkDomainObj *obj)
{
    return vk_object_begin_job(&obj->parent);
}

static inline void
vk_domain_obj_begin_internal_job(VkDomainObj *obj)
{
    vk_object_begin_internal_job(&obj->parent);
}

static inline void
vk_domain_obj_end_job(VkDomainObj *obj)
{
    vk_object_end_job(&obj->parent);
}

bool vk_domain_obj_is_active(const VkDomainObj *obj);
/* The persistent definition: new_def when there is one, else def. */
VkDomainDef *vk_domain_obj_config(VkDomainObj *obj);
void vk_domain_obj_set_state(VkDomainObj *obj, VkDomainState state, int reason);

/* DEF (OBJ's def or its config) as XML with FLAGS (VkDomainFormatFlags), in
 * malloc'ed memory for an RPC reply; NULL with the error.  Called with OBJ
 * locked.  A definition changes only under OBJ's job, so the answer is kept
 * until the next job ends (or the id changes) and not kept while a job runs:
 * a document with secrets (SECURE) is only ever given for that flag. */
char *vk_domain_obj_format(VkDomainObj *obj, const VkDomainDef *def, unsigned int flags);

/* The driver's domains: the common object list, whose lookups report
 * nothing (the caller says what it looked for). */
typedef VkObjectList VkDomainList;
typedef VkObjectIdentity VkDomainIdentity;

/* List a new domain for DEF (owned on success) unless one with its name or
 * UUID exists; one with the same name and UUID is returned instead
 * (*EXISTED, DEF stays the caller's: a redefinition).  NULL with libvirt's
 * error when only the name or only the UUID match (DEF stays the caller's). */
VkDomainObj *vk_domain_list_add(VkDomainList *list, VkDomainDef *def, bool *existed);

static inline void
vk_domain_list_remove(VkDomainList *list, VkDomainObj *obj)
{
    vk_object_list_remove(list, &obj->parent);
}

static inline VkDomainObj *
vk_domain_list_find_by_name(VkDomainList *list, const char *name)
{
    return (VkDomainObj *) vk_object_list_find_by_name(list, name);
}

static inline VkDomainObj *
vk_domain_list_find_by_uuid(VkDomainList *list, const unsigned char *uuid)
{
    return (VkDomainObj *) vk_object_list_find_by_uuid(list, uuid);
}

static inline VkDomainObj *
vk_domain_list_find_by_id(VkDomainList *list, int id)
{
    return (VkDomainObj *) vk_object_list_find_by_id(list, id);
}

/* The domain's id becomes ID (-1: shut off), in the list and in its
 * definition. */
void vk_domain_list_set_id(VkDomainList *list, VkDomainObj *obj, int id);
