#include "common/driver/object-place.h"

#include "common/util/error.h"

int
vk_object_place_begin(const VkObjectPlacer *placer, const char *xml, VkObjectPlacing *p)
{
    gpointer def;

    *p = (VkObjectPlacing) { 0 };
    g_mutex_lock(placer->define_lock);
    if ((def = placer->parse(placer->list, xml)) &&
        !(p->obj = placer->list_add(placer->list, def, &p->existed)))
        placer->free_def(def);
    g_mutex_unlock(placer->define_lock);
    if (!p->obj)
        return -1;
    if (p->existed)
        p->def = def;   /* else the object owns it */
    vk_object_lock(p->obj);
    if (vk_object_begin_job(p->obj) < 0) {
        vk_object_unlock(p->obj);
        if (!p->existed)
            vk_object_list_remove(placer->list, p->obj);
        vk_object_unref(p->obj);
        if (p->def)
            placer->free_def(p->def);
        return -1;
    }
    return 0;
}

int
vk_object_place_end(const VkObjectPlacer *placer, VkObjectPlacing *p, int rc)
{
    vk_object_end_job(p->obj);
    vk_object_unlock(p->obj);
    if (rc < 0 && !p->existed)
        vk_object_list_remove(placer->list, p->obj);
    vk_object_unref(p->obj);
    if (p->def)
        placer->free_def(g_steal_pointer(&p->def));
    return rc;
}

void
vk_object_list_add_saved(VkObjectList *list, GPtrArray *defs,
                         VkObject *(*add)(VkObjectList *list, gpointer def, bool *existed),
                         void (*loaded)(VkObject *obj, gpointer data), gpointer data)
{
    for (guint i = 0; i < defs->len; i++) {
        bool existed;
        VkObject *obj = add(list, defs->pdata[i], &existed);

        if (!obj || existed) {
            g_warning("ignoring a saved definition: %s",
                      obj ? "listed twice" : vk_error_last_message());
            vk_error_reset();
            if (obj)
                vk_object_unref(obj);
            continue;
        }
        defs->pdata[i] = NULL;   /* the object owns it */
        vk_object_lock(obj);
        loaded(obj, data);
        vk_object_unlock(obj);
        vk_object_unref(obj);
    }
}
