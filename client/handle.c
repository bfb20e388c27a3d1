/* What the handles of all kinds share: their reference count, name, UUID
 * and connection, and the public calls on those. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/uuid.h"

void
vk_client_handle_init(VkClientHandle *h, virConnectPtr conn, const char *name,
                      const void *uuid)
{
    g_atomic_int_inc(&conn->refs);
    h->refs = 1;
    h->conn = conn;
    h->name = g_strdup(name);
    memcpy(h->uuid, uuid, VIR_UUID_BUFLEN);
}

bool
vk_client_uuid_string_args(virConnectPtr conn, const char *uuidstr, unsigned char *uuid,
                           const char *func)
{
    vk_client_enter();
    return vk_client_check_conn(conn, func) &&
           vk_client_check_nonnull(uuidstr, "uuidstr", func) &&
           vk_client_parse_uuid(uuidstr, uuid, func);
}

/* OBJ's handle after the entry of a public call and its check. */
static VkClientHandle *
enter(void *obj, VkClientKind kind, const char *func)
{
    vk_client_enter();
    if (!vk_client_check_object(obj, kind, func))
        return NULL;
    return obj;
}

const char *
vk_client_handle_get_name(void *obj, VkClientKind kind, const char *func)
{
    VkClientHandle *h = enter(obj, kind, func);

    return h ? h->name : NULL;
}

int
vk_client_handle_get_uuid(void *obj, VkClientKind kind, unsigned char *uuid, const char *func)
{
    VkClientHandle *h = enter(obj, kind, func);

    if (!h || !vk_client_check_nonnull(uuid, "uuid", func))
        return -1;
    memcpy(uuid, h->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int
vk_client_handle_get_uuid_string(void *obj, VkClientKind kind, char *buf, const char *func)
{
    VkClientHandle *h = enter(obj, kind, func);

    if (!h || !vk_client_check_nonnull(buf, "buf", func))
        return -1;
    vk_uuid_format(h->uuid, buf);
    return 0;
}

virConnectPtr
vk_client_handle_get_connect(void *obj, VkClientKind kind, const char *func)
{
    VkClientHandle *h = enter(obj, kind, func);

    return h ? h->conn : NULL;
}

int
vk_client_handle_ref(void *obj, VkClientKind kind, const char *func)
{
    VkClientHandle *h = enter(obj, kind, func);

    if (!h)
        return -1;
    g_atomic_int_inc(&h->refs);
    return 0;
}

int
vk_client_handle_free(void *obj, VkClientKind kind, const char *func,
                      void (*free_rest)(void *obj))
{
    VkClientHandle *h = enter(obj, kind, func);

    if (!h)
        return -1;
    if (!g_atomic_int_dec_and_test(&h->refs))
        return 0;
    virConnectClose(h->conn);
    g_free(h->name);
    free_rest(obj);
    return 0;
}
