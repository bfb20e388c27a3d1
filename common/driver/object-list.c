#include "common/driver/object-list.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"

struct _VkObjectList {
    GMutex lock;           /* also guards the listed objects' identity */
    GHashTable *by_name;   /* name -> obj (the list's reference) */
    GHashTable *by_uuid;   /* 16-byte uuid -> obj */
    GHashTable *by_id;     /* id -> obj, active objects with ids only */
    int last_id;
};

static guint
uuid_hash(gconstpointer key)
{
    guint words[4];

    memcpy(words, key, sizeof(words));
    return words[0] ^ words[1] ^ words[2] ^ words[3];
}

static gboolean
uuid_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, VK_UUID_BUFLEN) == 0;
}

VkObjectList *
vk_object_list_new(void)
{
    VkObjectList *list = g_new0(VkObjectList, 1);

    g_mutex_init(&list->lock);
    /* keys point into the objects' own identity, which outlives the entry */
    list->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, vk_object_unref);
    list->by_uuid = g_hash_table_new(uuid_hash, uuid_equal);
    list->by_id = g_hash_table_new(NULL, NULL);
    return list;
}

void
vk_object_list_free(VkObjectList *list)
{
    if (!list)
        return;
    g_hash_table_destroy(list->by_id);
    g_hash_table_destroy(list->by_uuid);
    g_hash_table_destroy(list->by_name);
    g_mutex_clear(&list->lock);
    g_free(list);
}

/* libvirt's duplicate checks, with the type's own words. */
static bool
check_duplicate(VkObjectList *list, VkObject *obj, VkObject **same)
{
    VkObject *by_uuid = g_hash_table_lookup(list->by_uuid, obj->uuid);
    VkObject *by_name = g_hash_table_lookup(list->by_name, obj->name);
    char uuidstr[VK_UUID_STRING_BUFLEN];

    if (by_uuid && !g_str_equal(by_uuid->name, obj->name)) {
        vk_uuid_format(obj->uuid, uuidstr);
        vk_error_report(obj->klass->error_domain, VIR_ERR_OPERATION_FAILED,
                        "%s '%s' is already defined with uuid %s",
                        obj->klass->name, by_uuid->name, uuidstr);
        return false;
    }
    if (by_name && !by_uuid) {
        vk_uuid_format(by_name->uuid, uuidstr);
        vk_error_report(obj->klass->error_domain, VIR_ERR_OPERATION_FAILED,
                        "%s '%s' already exists with uuid %s",
                        obj->klass->name, obj->name, uuidstr);
        return false;
    }
    *same = by_uuid;
    return true;
}

VkObject *
vk_object_list_add(VkObjectList *list, VkObject *obj, bool *existed)
{
    VkObject *same = NULL;
    VkObject *listed = NULL;

    g_mutex_lock(&list->lock);
    if (check_duplicate(list, obj, &same)) {
        *existed = same != NULL;
        listed = same ? same : obj;
        if (!same) {
            g_hash_table_insert(list->by_name, obj->name, vk_object_ref(obj));
            g_hash_table_insert(list->by_uuid, obj->uuid, obj);
        }
        vk_object_ref(listed);
    }
    g_mutex_unlock(&list->lock);
    return listed;
}

void
vk_object_list_remove(VkObjectList *list, VkObject *obj)
{
    g_mutex_lock(&list->lock);
    if (!obj->removed && g_hash_table_lookup(list->by_name, obj->name) == obj) {
        obj->removed = true;
        if (obj->id >= 0)
            g_hash_table_remove(list->by_id, GINT_TO_POINTER(obj->id));
        g_hash_table_remove(list->by_uuid, obj->uuid);
        g_hash_table_remove(list->by_name, obj->name);   /* drops the list's ref */
    }
    g_mutex_unlock(&list->lock);
}

bool
vk_object_list_rename(VkObjectList *list, VkObject *obj, const char *new_name)
{
    bool free_name;

    g_mutex_lock(&list->lock);
    free_name = !g_hash_table_contains(list->by_name, new_name);
    if (free_name) {
        /* the key is obj->name itself: out with the old, in with the new */
        g_hash_table_steal(list->by_name, obj->name);
        g_free(obj->name);
        obj->name = g_strdup(new_name);
        g_hash_table_insert(list->by_name, obj->name, obj);
    }
    g_mutex_unlock(&list->lock);
    return free_name;
}

static VkObject *
find(VkObjectList *list, GHashTable *table, gconstpointer key)
{
    VkObject *obj;

    g_mutex_lock(&list->lock);
    obj = g_hash_table_lookup(table, key);
    if (obj)
        vk_object_ref(obj);
    g_mutex_unlock(&list->lock);
    return obj;
}

VkObject *
vk_object_list_find_by_name(VkObjectList *list, const char *name)
{
    return find(list, list->by_name, name);
}

VkObject *
vk_object_list_find_by_uuid(VkObjectList *list, const unsigned char *uuid)
{
    return find(list, list->by_uuid, uuid);
}

VkObject *
vk_object_list_find_by_id(VkObjectList *list, int id)
{
    return find(list, list->by_id, GINT_TO_POINTER(id));
}

int
vk_object_list_next_id(VkObjectList *list)
{
    int id;

    g_mutex_lock(&list->lock);
    do
        id = ++list->last_id;
    while (g_hash_table_contains(list->by_id, GINT_TO_POINTER(id)));
    g_mutex_unlock(&list->lock);
    return id;
}

void
vk_object_list_set_id(VkObjectList *list, VkObject *obj, int id)
{
    g_mutex_lock(&list->lock);
    if (obj->id >= 0)
        g_hash_table_remove(list->by_id, GINT_TO_POINTER(obj->id));
    obj->id = id;
    if (id >= 0 && !obj->removed)
        g_hash_table_insert(list->by_id, GINT_TO_POINTER(id), obj);
    if (id > list->last_id)
        list->last_id = id;   /* ids of objects found running at restart */
    g_mutex_unlock(&list->lock);
}

VkObjectIdentity *
vk_object_list_identities(VkObjectList *list, guint *n)
{
    VkObjectIdentity *all;
    GHashTableIter iter;
    gpointer value;
    guint i = 0;

    g_mutex_lock(&list->lock);
    all = g_new(VkObjectIdentity, MAX(g_hash_table_size(list->by_name), 1));
    g_hash_table_iter_init(&iter, list->by_name);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        const VkObject *obj = value;
        all[i].name = strdup(obj->name);
        memcpy(all[i].uuid, obj->uuid, VK_UUID_BUFLEN);
        all[i].id = obj->id;
        i++;
    }
    g_mutex_unlock(&list->lock);
    *n = i;
    return all;
}

GPtrArray *
vk_object_list_snapshot(VkObjectList *list)
{
    GPtrArray *all = g_ptr_array_new_with_free_func(vk_object_unref);
    GHashTableIter iter;
    gpointer value;

    g_mutex_lock(&list->lock);
    g_hash_table_iter_init(&iter, list->by_name);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_ptr_array_add(all, vk_object_ref(value));
    g_mutex_unlock(&list->lock);
    return all;
}

guint
vk_object_list_count(VkObjectList *list)
{
    guint n;

    g_mutex_lock(&list->lock);
    n = g_hash_table_size(list->by_name);
    g_mutex_unlock(&list->lock);
    return n;
}
