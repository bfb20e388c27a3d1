#include "common/driver/object-listing.h"

#include <stdlib.h>
#include <string.h>

GPtrArray *
vk_object_list_matching(VkObjectList *list, VkObjectMatch match, unsigned int flags)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(list);
    GPtrArray *out = g_ptr_array_new_with_free_func(vk_object_unref);

    for (guint i = 0; i < all->len; i++) {
        VkObject *obj = g_ptr_array_index(all, i);
        bool listed;

        vk_object_lock(obj);
        listed = !obj->removed && match(obj, flags);
        vk_object_unlock(obj);
        if (listed)
            g_ptr_array_add(out, vk_object_ref(obj));
    }
    return out;
}

void
vk_object_list_names_matching(VkObjectList *list, VkObjectMatch match, unsigned int flags,
                              int max, char ***names, u_int *len)
{
    g_autoptr(GPtrArray) listed = vk_object_list_matching(list, match, flags);

    *names = calloc(MAX(listed->len, 1), sizeof(char *));
    *len = 0;
    for (guint i = 0; i < listed->len && (int) *len < max; i++) {
        VkObject *obj = g_ptr_array_index(listed, i);

        vk_object_lock(obj);
        (*names)[(*len)++] = strdup(obj->name);
        vk_object_unlock(obj);
    }
}
