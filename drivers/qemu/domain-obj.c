#include "drivers/qemu/domain-obj.h"

#include <string.h>

#include "common/util/error.h"

VkDomainObj *
vk_domain_obj_ref(VkDomainObj *obj)
{
    g_atomic_int_inc(&obj->refs);
    return obj;
}

void
vk_domain_obj_unref(VkDomainObj *obj)
{
    if (!obj || !g_atomic_int_dec_and_test(&obj->refs))
        return;
    vk_domain_def_free(obj->def);
    vk_domain_def_free(obj->new_def);
    g_mutex_clear(&obj->lock);
    g_cond_clear(&obj->job_done);
    g_free(obj);
}

void
vk_domain_obj_lock(VkDomainObj *obj)
{
    g_mutex_lock(&obj->lock);
}

void
vk_domain_obj_unlock(VkDomainObj *obj)
{
    g_mutex_unlock(&obj->lock);
}

void
vk_domain_obj_begin_job(VkDomainObj *obj)
{
    while (obj->job_active)
        g_cond_wait(&obj->job_done, &obj->lock);
    obj->job_active = true;
}

void
vk_domain_obj_end_job(VkDomainObj *obj)
{
    obj->job_active = false;
    g_cond_broadcast(&obj->job_done);
}

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

void
vk_domain_obj_set_state(VkDomainObj *obj, VkDomainState state, int reason)
{
    obj->state = state;
    obj->reason = reason;
}

/* What never changes behind the list's back: a domain's name and UUID, and
 * its id, which only vk_domain_list_set_id changes (under the list lock). */
typedef struct {
    char *name;
    unsigned char uuid[VK_UUID_LEN];
    int id;
} VkListedIdentity;

static void
listed_identity_free(VkListedIdentity *ident)
{
    g_free(ident->name);
    g_free(ident);
}

struct _VkDomainList {
    GMutex lock;           /* also guards the objects' identity below */
    GHashTable *by_name;   /* name -> obj (the list's reference) */
    GHashTable *ids;       /* obj -> VkListedIdentity, for listings without domain locks */
    GHashTable *by_uuid;   /* 16-byte uuid -> obj */
    GHashTable *by_id;     /* id -> obj, running domains only */
    int last_id;
};

static guint
uuid_hash(gconstpointer key)
{
    const guint *words = key;
    return words[0] ^ words[1] ^ words[2] ^ words[3];
}

static gboolean
uuid_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, VK_UUID_LEN) == 0;
}

VkDomainList *
vk_domain_list_new(void)
{
    VkDomainList *list = g_new0(VkDomainList, 1);

    g_mutex_init(&list->lock);
    list->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) vk_domain_obj_unref);
    list->by_uuid = g_hash_table_new_full(uuid_hash, uuid_equal, g_free, NULL);
    list->by_id = g_hash_table_new(NULL, NULL);
    list->ids = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify) listed_identity_free);
    return list;
}

void
vk_domain_list_free(VkDomainList *list)
{
    if (!list)
        return;
    g_hash_table_destroy(list->by_id);
    g_hash_table_destroy(list->ids);
    g_hash_table_destroy(list->by_uuid);
    g_hash_table_destroy(list->by_name);
    g_mutex_clear(&list->lock);
    g_free(list);
}

VkDomainObj *
vk_domain_list_add(VkDomainList *list, VkDomainDef *def, bool *existed)
{
    VkDomainObj *obj;
    char uuidstr[37];

    g_mutex_lock(&list->lock);
    obj = g_hash_table_lookup(list->by_uuid, def->uuid);
    if (obj) {
        if (g_strcmp0(obj->def->name, def->name) != 0) {
            vk_domain_uuid_format(def->uuid, uuidstr);
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                            "domain '%s' is already defined with uuid %s",
                            obj->def->name, uuidstr);
            obj = NULL;
            goto out;
        }
        *existed = true;
        vk_domain_obj_ref(obj);
        goto out;
    }
    obj = g_hash_table_lookup(list->by_name, def->name);
    if (obj) {
        vk_domain_uuid_format(obj->def->uuid, uuidstr);
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                        "domain '%s' already exists with uuid %s", def->name, uuidstr);
        obj = NULL;
        goto out;
    }
    obj = g_new0(VkDomainObj, 1);
    obj->refs = 1;
    g_mutex_init(&obj->lock);
    g_cond_init(&obj->job_done);
    obj->def = def;
    obj->def->id = -1;
    obj->state = VK_DOMAIN_SHUTOFF;
    obj->reason = VK_SHUTOFF_UNKNOWN;
    g_hash_table_insert(list->by_name, g_strdup(def->name), obj);
    g_hash_table_insert(list->by_uuid, g_memdup2(def->uuid, VK_UUID_LEN), obj);
    VkListedIdentity *ident = g_new0(VkListedIdentity, 1);
    ident->name = g_strdup(def->name);
    memcpy(ident->uuid, def->uuid, VK_UUID_LEN);
    ident->id = -1;
    g_hash_table_insert(list->ids, obj, ident);
    *existed = false;
    vk_domain_obj_ref(obj);
out:
    g_mutex_unlock(&list->lock);
    return obj;
}

void
vk_domain_list_remove(VkDomainList *list, VkDomainObj *obj)
{
    g_mutex_lock(&list->lock);
    if (!obj->removed && g_hash_table_lookup(list->by_name, obj->def->name) == obj) {
        obj->removed = true;
        g_hash_table_remove(list->by_id, GINT_TO_POINTER(obj->def->id));
        g_hash_table_remove(list->ids, obj);
        g_hash_table_remove(list->by_uuid, obj->def->uuid);
        g_hash_table_remove(list->by_name, obj->def->name);   /* drops the list's ref */
    }
    g_mutex_unlock(&list->lock);
}

static VkDomainObj *
found(VkDomainObj *obj)
{
    return obj ? vk_domain_obj_ref(obj) : NULL;
}

VkDomainObj *
vk_domain_list_find_by_name(VkDomainList *list, const char *name)
{
    VkDomainObj *obj;

    g_mutex_lock(&list->lock);
    obj = found(g_hash_table_lookup(list->by_name, name));
    g_mutex_unlock(&list->lock);
    if (!obj)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN,
                        "no domain with matching name '%s'", name);
    return obj;
}

VkDomainObj *
vk_domain_list_find_by_uuid(VkDomainList *list, const unsigned char *uuid)
{
    VkDomainObj *obj;
    char uuidstr[37];

    g_mutex_lock(&list->lock);
    obj = found(g_hash_table_lookup(list->by_uuid, uuid));
    g_mutex_unlock(&list->lock);
    if (!obj) {
        vk_domain_uuid_format(uuid, uuidstr);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN,
                        "no domain with matching uuid '%s'", uuidstr);
    }
    return obj;
}

VkDomainObj *
vk_domain_list_find_by_id(VkDomainList *list, int id)
{
    VkDomainObj *obj;

    g_mutex_lock(&list->lock);
    obj = found(g_hash_table_lookup(list->by_id, GINT_TO_POINTER(id)));
    g_mutex_unlock(&list->lock);
    if (!obj)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
    return obj;
}

int
vk_domain_list_next_id(VkDomainList *list)
{
    int id;

    g_mutex_lock(&list->lock);
    id = ++list->last_id;
    g_mutex_unlock(&list->lock);
    return id;
}

void
vk_domain_list_set_id(VkDomainList *list, VkDomainObj *obj, int id)
{
    g_mutex_lock(&list->lock);
    if (obj->def->id >= 0)
        g_hash_table_remove(list->by_id, GINT_TO_POINTER(obj->def->id));
    obj->def->id = id;
    if (id >= 0 && !obj->removed)
        g_hash_table_insert(list->by_id, GINT_TO_POINTER(id), obj);
    VkListedIdentity *ident = g_hash_table_lookup(list->ids, obj);
    if (ident)
        ident->id = id;
    if (id > list->last_id)
        list->last_id = id;   /* ids of guests found running at restart */
    g_mutex_unlock(&list->lock);
}

VkDomainIdentity *
vk_domain_list_identities(VkDomainList *list, guint *n)
{
    VkDomainIdentity *all;
    GHashTableIter iter;
    gpointer value;
    guint i = 0;

    g_mutex_lock(&list->lock);
    all = g_new(VkDomainIdentity, MAX(g_hash_table_size(list->ids), 1));
    g_hash_table_iter_init(&iter, list->ids);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        const VkListedIdentity *ident = value;
        all[i].name = strdup(ident->name);
        memcpy(all[i].uuid, ident->uuid, VK_UUID_LEN);
        all[i].id = ident->id;
        i++;
    }
    g_mutex_unlock(&list->lock);
    *n = i;
    return all;
}

GPtrArray *
vk_domain_list_snapshot(VkDomainList *list)
{
    GPtrArray *all = g_ptr_array_new_with_free_func((GDestroyNotify) vk_domain_obj_unref);
    GHashTableIter iter;
    gpointer value;

    g_mutex_lock(&list->lock);
    g_hash_table_iter_init(&iter, list->by_name);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_ptr_array_add(all, vk_domain_obj_ref(value));
    g_mutex_unlock(&list->lock);
    return all;
}
