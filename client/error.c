/* The error half of the C API: libvirt's virError calls on top of the
 * thread-local VkError of common/util/error.h, where the RPC client puts
 * the daemon's errors. */
#include <string.h>

#include "client/api-error.h"
#include "common/util/error.h"
#include "common/util/uuid.h"

static GMutex handler_lock;
static virErrorFunc handler;
static void *handler_data;

void
virResetError(virErrorPtr err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err->str1);
    g_free(err->str2);
    g_free(err->str3);
    memset(err, 0, sizeof(*err));
}

void
virFreeError(virErrorPtr err)
{
    virResetError(err);
    g_free(err);
}

static void
thread_error_free(gpointer data)
{
    virFreeError(data);
}

/* The record virGetLastError hands out: one per thread, owned here. */
static GPrivate thread_error = G_PRIVATE_INIT(thread_error_free);

static void
fill(virErrorPtr to, const VkError *from)
{
    to->code = from->code;
    to->domain = from->domain;
    to->message = g_strdup(from->message);
    to->level = from->level;
    to->str1 = g_strdup(from->str1);
    to->str2 = g_strdup(from->str2);
    to->str3 = g_strdup(from->str3);
    to->int1 = from->int1;
    to->int2 = from->int2;
}

virErrorPtr
virGetLastError(void)
{
    const VkError *last = vk_error_last();
    virErrorPtr err;

    if (!last)
        return NULL;
    if (!(err = g_private_get(&thread_error))) {
        err = g_new0(virError, 1);
        g_private_set(&thread_error, err);
    }
    /* Keep the record (and the strings a caller may hold) while the error
     * is the same one. */
    if (err->code == last->code && err->domain == last->domain &&
        g_strcmp0(err->message, last->message) == 0)
        return err;
    virResetError(err);
    fill(err, last);
    return err;
}

virErrorPtr
virSaveLastError(void)
{
    virErrorPtr copy = g_new0(virError, 1);

    virCopyLastError(copy);
    return copy;
}

int
virCopyLastError(virErrorPtr to)
{
    const VkError *last = vk_error_last();

    if (!to)
        return -1;
    virResetError(to);
    if (!last)
        return 0;
    fill(to, last);
    return to->code;
}

void
virResetLastError(void)
{
    vk_error_reset();
    virResetError(g_private_get(&thread_error));
}

const char *
virGetLastErrorMessage(void)
{
    const VkError *last = vk_error_last();

    if (!last)
        return "no error";
    return last->message ? last->message : "unknown error";
}

int
virGetLastErrorCode(void)
{
    const VkError *last = vk_error_last();

    return last ? last->code : VIR_ERR_OK;
}

int
virGetLastErrorDomain(void)
{
    const VkError *last = vk_error_last();

    return last ? last->domain : VIR_FROM_NONE;
}

void
virSetErrorFunc(void *userData, virErrorFunc func)
{
    g_mutex_lock(&handler_lock);
    handler = func;
    handler_data = userData;
    g_mutex_unlock(&handler_lock);
}

void
vk_client_enter(void)
{
    virResetLastError();
}

void
vk_client_failed(void)
{
    virErrorFunc func;
    void *data;

    if (!vk_error_last())
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s",
                        "the call failed without saying why");
    g_mutex_lock(&handler_lock);
    func = handler;
    data = handler_data;
    g_mutex_unlock(&handler_lock);
    if (func)
        func(data, virGetLastError());
}

bool
vk_client_check_conn(virConnectPtr conn, const char *func)
{
    if (conn)
        return true;
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_CONN, "%s", func);
    vk_client_failed();
    return false;
}

bool
vk_client_check_object(const void *obj, VkClientKind kind, const char *func)
{
    /* libvirt's error for each kind (its domain check says VIR_FROM_DOMAIN;
     * ours has always said VIR_FROM_NONE) */
    static const struct {
        int from;
        int code;
    } invalid[] = {
        [VK_CLIENT_DOMAIN] = { VIR_FROM_NONE, VIR_ERR_INVALID_DOMAIN },
        [VK_CLIENT_NETWORK] = { VIR_FROM_NETWORK, VIR_ERR_INVALID_NETWORK },
        [VK_CLIENT_NETWORK_PORT] = { VIR_FROM_NETWORK, VIR_ERR_INVALID_NETWORK_PORT },
        [VK_CLIENT_STORAGE_POOL] = { VIR_FROM_STORAGE, VIR_ERR_INVALID_STORAGE_POOL },
        [VK_CLIENT_STORAGE_VOL] = { VIR_FROM_STORAGE, VIR_ERR_INVALID_STORAGE_VOL },
        [VK_CLIENT_STREAM] = { VIR_FROM_STREAMS, VIR_ERR_INVALID_STREAM },
        [VK_CLIENT_NODE_DEVICE] = { VIR_FROM_NODEDEV, VIR_ERR_INVALID_NODE_DEVICE },
    };

    if (obj)
        return true;
    vk_error_report(invalid[kind].from, invalid[kind].code, "%s", func);
    vk_client_failed();
    return false;
}

bool
vk_client_check_domain(virDomainPtr domain, const char *func)
{
    return vk_client_check_object(domain, VK_CLIENT_DOMAIN, func);
}

bool
vk_client_check_network(virNetworkPtr network, const char *func)
{
    return vk_client_check_object(network, VK_CLIENT_NETWORK, func);
}

bool
vk_client_check_nonnull(const void *arg, const char *argname, const char *func)
{
    if (arg)
        return true;
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "%s in %s must not be NULL",
                    argname, func);
    vk_client_failed();
    return false;
}

bool
vk_client_parse_uuid(const char *uuidstr, unsigned char *uuid, const char *func)
{
    if (vk_uuid_parse(uuidstr, uuid) == 0)
        return true;
    vk_error_reset();
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                    "uuidstr in %s must be a valid UUID (got '%s')", func, uuidstr);
    vk_client_failed();
    return false;
}
