#include "drivers/network/core/network-place.h"

#include "drivers/network/core/network-defaults.h"

int
vk_network_place_begin(VkNetworkDriver *driver, const char *xml, VkNetworkPlacing *p)
{
    VkNetworkDef *def;

    *p = (VkNetworkPlacing) { 0 };
    g_mutex_lock(&driver->define_lock);
    if ((def = vk_network_parse_for_host(driver->networks, xml)) &&
        !(p->obj = vk_network_list_add(driver->networks, def, &p->existed)))
        vk_network_def_free(def);
    g_mutex_unlock(&driver->define_lock);
    if (!p->obj)
        return -1;
    if (p->existed)
        p->def = def;   /* else the object owns it */
    vk_network_obj_lock(p->obj);
    if (vk_object_begin_job(&p->obj->parent) < 0) {
        vk_network_obj_unlock(p->obj);
        if (!p->existed)
            vk_object_list_remove(driver->networks, &p->obj->parent);
        vk_network_obj_unref(p->obj);
        vk_network_def_free(p->def);
        return -1;
    }
    return 0;
}

int
vk_network_place_end(VkNetworkDriver *driver, VkNetworkPlacing *p, int rc)
{
    vk_object_end_job(&p->obj->parent);
    vk_network_obj_unlock(p->obj);
    if (rc < 0 && !p->existed)
        vk_object_list_remove(driver->networks, &p->obj->parent);
    vk_network_obj_unref(p->obj);
    g_clear_pointer(&p->def, vk_network_def_free);
    return rc;
}
