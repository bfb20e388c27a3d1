#include "drivers/qemu/core/domain-lookup.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/save-restore.h"
#include "drivers/qemu/core/snapshot-store.h"
#include "virtkit/virtkit.h"

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

    if (!obj || vk_object_acquire(&obj->parent) < 0)
        return NULL;
    return obj;
}

int
vk_qemu_domain_end(VkDomainObj *obj, int rc)
{
    return vk_object_release(&obj->parent, rc);
}

void
vk_qemu_domain_make_ref(remote_nonnull_domain *ref, const VkDomainDef *def)
{
    ref->name = strdup(def->name);
    memcpy(ref->uuid, def->uuid, VK_UUID_LEN);
    ref->id = def->id;
}

/* Whether OBJ (locked) has snapshots: a look at the disk the first time. */
static bool
has_snapshots(VkDomainObj *obj)
{
    return vk_snapshot_list_count(vk_qemu_snapshots(obj)) > 0;
}

bool
vk_qemu_domain_matches_list_flags(VkDomainObj *obj, unsigned int flags)
{
    bool active = vk_domain_obj_is_active(obj);

/* The group of bits A and B (virConnectListAllDomainsFlags without their
 * prefix); COND_A and COND_B are only evaluated when the group is asked for. */
#define LIST(bit) VIR_CONNECT_LIST_DOMAINS_##bit
#define GROUP(a, b, cond_a, cond_b) \
    if ((flags & (LIST(a) | LIST(b))) && \
        !(((flags & LIST(a)) && (cond_a)) || ((flags & LIST(b)) && (cond_b)))) \
        return false
    GROUP(ACTIVE, INACTIVE, active, !active);
    GROUP(PERSISTENT, TRANSIENT, obj->persistent, !obj->persistent);
    GROUP(AUTOSTART, NO_AUTOSTART, obj->autostart, !obj->autostart);
    /* a look at the disk: only when asked */
    GROUP(MANAGEDSAVE, NO_MANAGEDSAVE, vk_qemu_has_managed_save(obj),
          !vk_qemu_has_managed_save(obj));
    GROUP(HAS_SNAPSHOT, NO_SNAPSHOT, has_snapshots(obj), !has_snapshots(obj));
    GROUP(HAS_CHECKPOINT, NO_CHECKPOINT, false, true);
#undef GROUP
    if (flags & (LIST(RUNNING) | LIST(PAUSED) | LIST(SHUTOFF) | LIST(OTHER))) {
        bool running = obj->state == VK_DOMAIN_RUNNING;
        bool paused = obj->state == VK_DOMAIN_PAUSED;
        bool shutoff = obj->state == VK_DOMAIN_SHUTOFF;
        if (!((flags & LIST(RUNNING) && running) || (flags & LIST(PAUSED) && paused) ||
              (flags & LIST(SHUTOFF) && shutoff) ||
              (flags & LIST(OTHER) && !running && !paused && !shutoff)))
            return false;
    }
#undef LIST
    return true;
}
