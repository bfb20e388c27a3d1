#include "common/conf/domain-dimm-assign.h"

#include "common/util/error.h"

static bool
wants_slot(const VkDomainRawElement *r)
{
    g_autofree char *model = NULL;

    if (!r->info || !g_str_equal(r->name, "memory"))
        return false;
    model = vk_domain_raw_element_attr(r, "model");
    return g_strcmp0(model, "dimm") == 0 || g_strcmp0(model, "nvdimm") == 0;
}

int
vk_domain_dimm_assign(VkDomainDef *def)
{
    g_autofree bool *used = NULL;
    guint nslots = def->max_memory_slots;

    if (!def->max_memory_kib && !nslots)
        return 0;   /* no memory hotplug: nothing to place */
    used = g_new0(bool, nslots + 1);
    for (guint i = 0; i < def->raw_devices->len; i++) {
        VkDomainRawElement *r = g_ptr_array_index(def->raw_devices, i);
        if (r->info && r->info->addr.type == VK_DEVICE_ADDRESS_DIMM &&
            r->info->addr.dimm.slot < nslots)
            used[r->info->addr.dimm.slot] = true;
    }
    for (guint i = 0; i < def->raw_devices->len; i++) {
        VkDomainRawElement *r = g_ptr_array_index(def->raw_devices, i);
        guint slot = 0;

        if (!wants_slot(r) || r->info->addr.type == VK_DEVICE_ADDRESS_DIMM)
            continue;
        while (slot < nslots && used[slot])
            slot++;
        if (slot >= nslots) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                            "failed to find an empty memory slot");
            return -1;
        }
        used[slot] = true;
        r->info->addr.type = VK_DEVICE_ADDRESS_DIMM;
        r->info->addr.dimm.slot = slot;
    }
    return 0;
}
