/* What the handles of all kinds share: their reference count, name, UUID
 * and connection, and the public calls on those. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"
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
    virConnectPtr conn;

    if (!h)
        return -1;
    if (!g_atomic_int_dec_and_test(&h->refs))
        return 0;
    /* the kind's own fields may still use the connection (a stream's) */
    conn = h->conn;
    g_free(h->name);
    free_rest(obj);
    virConnectClose(conn);
    return 0;
}

/* The wire form networks and storage pools share (remote_nonnull_network,
 * remote_nonnull_storage_pool): the name, then the UUID. */
typedef struct {
    char *name;
    char uuid[VIR_UUID_BUFLEN];
} WireNamed;

void
vk_client_named_to_wire(const VkClientHandle *h, void *out)
{
    WireNamed *wire = out;

    wire->name = h->name;
    memcpy(wire->uuid, h->uuid, VIR_UUID_BUFLEN);
}

/* The wire form of H, a handle of KIND, into OUT: a node device is its
 * name alone (remote_nonnull_node_device). */
static void
object_to_wire(const VkClientHandle *h, VkClientKind kind, void *out)
{
    if (kind == VK_CLIENT_NODE_DEVICE)
        *(char **) out = h->name;
    else
        vk_client_named_to_wire(h, out);
}

int
vk_client_named_call(void *obj, VkClientKind kind, const char *func, int proc,
                     xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret)
{
    VkClientHandle *h = enter(obj, kind, func);

    if (!h)
        return -1;
    object_to_wire(h, kind, args);
    if (vk_client_call(h->conn, proc, args_filter, args, ret_filter, ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

void *
vk_client_object_from_call(virConnectPtr conn, int proc, xdrproc_t args_filter, void *args,
                           const VkClientWire *wire, void *owner)
{
    g_autofree void *ret = g_malloc0(wire->size);
    void *obj;

    if (vk_client_call(conn, proc, args_filter, args, wire->filter, ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    obj = wire->new_handle(owner, ret);
    xdr_free(wire->filter, ret);
    return obj;
}

/* The answer of every LIST_ALL call: the objects, then their count. */
typedef struct {
    u_int len;
    char *val;
    u_int ret;
} WireList;

int
vk_client_take_list(void *answer, xdrproc_t answer_filter, const VkClientWire *wire,
                    void *owner, void ***list)
{
    WireList *wl = answer;
    int count = wl->ret;

    if (list) {
        void **out = g_new0(void *, wl->len + 1);

        for (u_int i = 0; i < wl->len; i++)
            out[i] = wire->new_handle(owner, wl->val + i * wire->size);
        *list = out;
        count = wl->len;
    }
    xdr_free(answer_filter, answer);
    return count;
}

int
vk_client_take_names(void *answer, xdrproc_t answer_filter, char **const names, int maxnames,
                     const char *what)
{
    struct { u_int len; char **val; } *wn = answer;
    int count = wn->len;

    if (wn->len > (u_int) maxnames) {
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_RPC, "too many remote %s: %u > %d", what,
                        wn->len, maxnames);
        count = -1;
    } else {
        for (u_int i = 0; i < wn->len; i++)
            names[i] = g_strdup(wn->val[i]);
    }
    xdr_free(answer_filter, answer);
    if (count < 0)
        vk_client_failed();
    return count;
}

bool
vk_client_check_maxnames(int maxnames, const char *func)
{
    if (maxnames >= 0)
        return true;
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                    "maxnames in %s must be greater than or equal to 0 (got %d)", func, maxnames);
    vk_client_failed();
    return false;
}

int
vk_client_conn_list_names(virConnectPtr conn, const char *func, int proc,
                          xdrproc_t ret_filter, char **const names, int maxnames,
                          const char *what)
{
    struct { u_int len; char **val; } ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_conn(conn, func) || !vk_client_check_nonnull(names, "names", func) ||
        !vk_client_check_maxnames(maxnames, func))
        return -1;
    if (vk_client_call(conn, proc, (xdrproc_t) xdr_int, &maxnames, ret_filter, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return vk_client_take_names(&ret, ret_filter, names, maxnames, what);
}

int
vk_client_named_int_call(void *obj, VkClientKind kind, const char *func, int proc)
{
    /* every such call sends the object alone (laid out as a network's, or
     * as a node device's) and answers one int */
    union {
        remote_network_is_active_args named;
        remote_node_device_is_active_args dev;
    } args = { 0 };
    xdrproc_t args_filter = kind == VK_CLIENT_NODE_DEVICE
                                ? (xdrproc_t) xdr_remote_node_device_is_active_args
                                : (xdrproc_t) xdr_remote_network_is_active_args;
    int value = 0;

    if (vk_client_named_call(obj, kind, func, proc, args_filter, &args, (xdrproc_t) xdr_int,
                             &value) < 0)
        return -1;
    return value;
}

int
vk_client_named_get_autostart(void *obj, VkClientKind kind, const char *func, int proc,
                              int *autostart)
{
    int value;

    vk_client_enter();
    if (!vk_client_check_object(obj, kind, func) ||
        !vk_client_check_nonnull(autostart, "autostart", func))
        return -1;
    if ((value = vk_client_named_int_call(obj, kind, func, proc)) < 0)
        return -1;
    *autostart = value;
    return 0;
}

int
vk_client_named_bool_call(void *obj, VkClientKind kind, const char *func, int proc)
{
    int value = vk_client_named_int_call(obj, kind, func, proc);

    return value < 0 ? -1 : value != 0;
}
