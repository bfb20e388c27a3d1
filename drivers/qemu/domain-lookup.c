#include "drivers/qemu/domain-lookup.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/qemu/driver.h"

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

    if (obj) {
        vk_domain_obj_lock(obj);
        vk_domain_obj_begin_job(obj);
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
