#include "drivers/qemu/core/domain-obj.h"

#include <string.h>

#include "common/util/error.h"
#include "drivers/qemu/core/snapshot-store.h"

static void
forget_xml(VkObject *parent)
{
    VkDomainObj *obj = (VkDomainObj *) parent;

    for (gsize i = 0; i < G_N_ELEMENTS(obj->xml_cache); i++) {
        g_clear_pointer(&obj->xml_cache[i].xml, g_free);
        obj->xml_cache[i].def = NULL;
    }
}

static void
dispose(VkObject *parent)
{
    VkDomainObj *obj = (VkDomainObj *) parent;

    forget_xml(parent);
    vk_domain_def_free(obj->def);
    vk_domain_def_free(obj->new_def);
    vk_snapshot_list_free(obj->snapshots);
}

static const VkObjectClass domain_class = {
    .name = "domain",
    .error_domain = VIR_FROM_DOMAIN,
    .job_wait_ms = 30 * 1000,   /* libvirt's */
    .dispose = dispose,
    .job_ended = forget_xml,
};

bool
vk_domain_obj_is_active(const VkDomainObj *obj)
{
    return obj->def->id >= 0;
}

VkDomainDef *
vk_domain_obj_config(VkDomainObj *obj)
{
    return obj->new_def ? obj->new_def : obj->def;
}

G_STATIC_ASSERT((VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_SECURE) <
                G_N_ELEMENTS(((VkDomainObj *) NULL)->xml_cache));

char *
vk_domain_obj_format(VkDomainObj *obj, const VkDomainDef *def, unsigned int flags)
{
    const unsigned int cached = VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_SECURE;

    /* mid-job the definition may be half changed: no keeping */
    if (obj->parent.job_active || (flags & ~cached)) {
        g_autofree char *xml = vk_domain_def_format(def, flags);
        return xml ? strdup(xml) : NULL;
    }
    if (obj->xml_cache[flags].def != def || !obj->xml_cache[flags].xml) {
        g_free(obj->xml_cache[flags].xml);
        obj->xml_cache[flags].def = NULL;
        if (!(obj->xml_cache[flags].xml = vk_domain_def_format(def, flags)))
            return NULL;
        obj->xml_cache[flags].def = def;
    }
    return strdup(obj->xml_cache[flags].xml);
}

void
vk_domain_obj_set_state(VkDomainObj *obj, VkDomainState state, int reason)
{
    obj->state = state;
    obj->reason = reason;
}

VkDomainObj *
vk_domain_list_add(VkDomainList *list, VkDomainDef *def, bool *existed)
{
    VkDomainObj *fresh = g_new0(VkDomainObj, 1);
    VkDomainObj *listed;
    int id = def->id;

    vk_object_init(&fresh->parent, &domain_class, def->name, def->uuid);
    fresh->def = def;
    fresh->def->id = -1;   /* before anyone can find it: a new domain is shut off */
    fresh->state = VK_DOMAIN_SHUTOFF;
    fresh->reason = VK_SHUTOFF_UNKNOWN;
    listed = (VkDomainObj *) vk_object_list_add(list, &fresh->parent, existed);
    if (listed != fresh) {
        def->id = id;
        fresh->def = NULL;   /* not taken: the caller keeps it */
    }
    vk_domain_obj_unref(fresh);
    return listed;
}

void
vk_domain_list_set_id(VkDomainList *list, VkDomainObj *obj, int id)
{
    vk_object_list_set_id(list, &obj->parent, id);
    obj->def->id = id;
    forget_xml(&obj->parent);   /* a reconnect sets it without a job */
}
