#include "drivers/qemu/domain-lookup.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/save-handlers.h"

/* virConnectListAllDomainsFlags */
enum {
    LIST_ACTIVE = 1 << 0, LIST_INACTIVE = 1 << 1,
    LIST_PERSISTENT = 1 << 2, LIST_TRANSIENT = 1 << 3,
    LIST_RUNNING = 1 << 4, LIST_PAUSED = 1 << 5, LIST_SHUTOFF = 1 << 6, LIST_OTHER = 1 << 7,
    LIST_MANAGEDSAVE = 1 << 8, LIST_NO_MANAGEDSAVE = 1 << 9,
    LIST_AUTOSTART = 1 << 10, LIST_NO_AUTOSTART = 1 << 11,
    LIST_HAS_SNAPSHOT = 1 << 12, LIST_NO_SNAPSHOT = 1 << 13,
    LIST_HAS_CHECKPOINT = 1 << 14, LIST_NO_CHECKPOINT = 1 << 15,
};

VkDomainObj *
vk_qemu_domain_from_ref(const remote_nonnull_domain *ref)
{
    VkDomainObj *obj = vk_domain_list_find_by_uuid(vk_qemu_driver()->domains,
                                                   (const unsigned char *) ref->uuid);
    char uuidstr[37];

    if (!obj) {
        vk_domain_uuid_format((const unsigned char *) ref->uuid, uuidstr);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN,
                        "no domain with matching uuid '%s' (%s)", uuidstr, ref->name);
    }
    return obj;
}

VkDomainObj *
vk_qemu_domain_begin(const remote_nonnull_domain *ref)
{
    VkDomainObj *obj = vk_qemu_domain_from_ref(ref);

    if (!obj)
        return NULL;
    vk_domain_obj_lock(obj);
    if (vk_domain_obj_begin_job(obj) < 0) {
        vk_domain_obj_unlock(obj);
        vk_domain_obj_unref(obj);
        return NULL;
    }
    return obj;
}

int
vk_qemu_domain_end(VkDomainObj *obj, int rc)
{
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
    vk_domain_obj_unref(obj);
    return rc;
}

void
vk_qemu_domain_make_ref(remote_nonnull_domain *ref, const VkDomainDef *def)
{
    ref->name = strdup(def->name);
    memcpy(ref->uuid, def->uuid, VK_UUID_LEN);
    ref->id = def->id;
}

bool
vk_qemu_domain_matches_list_flags(VkDomainObj *obj, unsigned int flags)
{
    bool active = vk_domain_obj_is_active(obj);

#define GROUP(a, b, cond_a, cond_b) \
    if ((flags & ((a) | (b))) && !(((flags & (a)) && (cond_a)) || ((flags & (b)) && (cond_b)))) \
        return false
    GROUP(LIST_ACTIVE, LIST_INACTIVE, active, !active);
    GROUP(LIST_PERSISTENT, LIST_TRANSIENT, obj->persistent, !obj->persistent);
    GROUP(LIST_AUTOSTART, LIST_NO_AUTOSTART, obj->autostart, !obj->autostart);
    /* a look at the disk: only when asked */
    GROUP(LIST_MANAGEDSAVE, LIST_NO_MANAGEDSAVE, vk_qemu_has_managed_save(obj),
          !vk_qemu_has_managed_save(obj));
    GROUP(LIST_HAS_SNAPSHOT, LIST_NO_SNAPSHOT, false, true);
    GROUP(LIST_HAS_CHECKPOINT, LIST_NO_CHECKPOINT, false, true);
#undef GROUP
    if (flags & (LIST_RUNNING | LIST_PAUSED | LIST_SHUTOFF | LIST_OTHER)) {
        bool running = obj->state == VK_DOMAIN_RUNNING;
        bool paused = obj->state == VK_DOMAIN_PAUSED;
        bool shutoff = obj->state == VK_DOMAIN_SHUTOFF;
        if (!((flags & LIST_RUNNING && running) || (flags & LIST_PAUSED && paused) ||
              (flags & LIST_SHUTOFF && shutoff) ||
              (flags & LIST_OTHER && !running && !paused && !shutoff)))
            return false;
    }
    return true;
}
