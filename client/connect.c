/* Connections: open, close, and the connection-level questions. */
#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

#define DEFAULT_URI "qemu:///system"

int
vk_client_call(virConnectPtr conn, int proc, xdrproc_t args_filter, void *args,
               xdrproc_t ret_filter, void *ret)
{
    return vk_remote_connection_call(conn->remote, proc, args_filter, args, ret_filter, ret);
}

/* libvirt reads LIBVIRT_DEFAULT_URI; ours comes first so that Virtkit and
 * libvirt can be pointed at different daemons on one host. */
static const char *
default_uri(void)
{
    const char *uri;

    if ((uri = g_getenv("VIRTKIT_DEFAULT_URI")) && *uri)
        return uri;
    if ((uri = g_getenv("LIBVIRT_DEFAULT_URI")) && *uri)
        return uri;
    return DEFAULT_URI;
}

static virConnectPtr
connect_open(const char *name, unsigned int flags)
{
    VkRemoteConnection *remote;
    virConnectPtr conn;

    vk_client_enter();
    if (!name || !*name)
        name = default_uri();
    if (!(remote = vk_remote_connection_open(name, flags & VIR_CONNECT_RO))) {
        vk_client_failed();
        return NULL;
    }
    conn = g_new0(virConnect, 1);
    conn->refs = 1;
    conn->remote = remote;
    conn->uri = g_strdup(name);
    g_mutex_init(&conn->lock);
    return conn;
}

virConnectPtr
virConnectOpen(const char *name)
{
    return connect_open(name, 0);
}

virConnectPtr
virConnectOpenReadOnly(const char *name)
{
    return connect_open(name, VIR_CONNECT_RO);
}

int
virConnectRef(virConnectPtr conn)
{
    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    g_atomic_int_inc(&conn->refs);
    return 0;
}

int
virConnectClose(virConnectPtr conn)
{
    int left;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    left = g_atomic_int_add(&conn->refs, -1) - 1;
    if (left > 0)
        return left;
    /* The daemon's answer to CONNECT_CLOSE changes nothing: the socket
     * goes away either way. */
    if (vk_remote_connection_close(conn->remote) < 0)
        vk_error_reset();
    g_mutex_clear(&conn->lock);
    g_free(conn->type);
    g_free(conn->uri);
    g_free(conn);
    return 0;
}

const char *
virConnectGetType(virConnectPtr conn)
{
    remote_connect_get_type_ret ret = { 0 };
    const char *type;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return NULL;
    g_mutex_lock(&conn->lock);
    type = conn->type;
    g_mutex_unlock(&conn->lock);
    if (type)
        return type;

    if (vk_client_call(conn, REMOTE_PROC_CONNECT_GET_TYPE, NULL, NULL,
                       (xdrproc_t) xdr_remote_connect_get_type_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    g_mutex_lock(&conn->lock);
    if (!conn->type)
        conn->type = g_strdup(ret.type);
    type = conn->type;
    g_mutex_unlock(&conn->lock);
    xdr_free((xdrproc_t) xdr_remote_connect_get_type_ret, (char *) &ret);
    return type;
}

int
virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    remote_connect_get_version_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(hvVer, "hvVer", __func__))
        return -1;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_GET_VERSION, NULL, NULL,
                       (xdrproc_t) xdr_remote_connect_get_version_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    *hvVer = ret.hv_ver;
    return 0;
}

int
virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    remote_connect_get_lib_version_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(libVer, "libVer", __func__))
        return -1;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_GET_LIB_VERSION, NULL, NULL,
                       (xdrproc_t) xdr_remote_connect_get_lib_version_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    *libVer = ret.lib_ver;
    return 0;
}

char *
virConnectGetHostname(virConnectPtr conn)
{
    remote_connect_get_hostname_ret ret = { 0 };
    char *hostname;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return NULL;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_GET_HOSTNAME, NULL, NULL,
                       (xdrproc_t) xdr_remote_connect_get_hostname_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    hostname = g_strdup(ret.hostname);
    xdr_free((xdrproc_t) xdr_remote_connect_get_hostname_ret, (char *) &ret);
    return hostname;
}

/* As libvirt, the URI the caller opened, not the daemon's idea of it. */
char *
virConnectGetURI(virConnectPtr conn)
{
    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return NULL;
    return g_strdup(conn->uri);
}

int
virConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    remote_connect_get_max_vcpus_args args = { 0 };
    remote_connect_get_max_vcpus_ret ret = { 0 };
    char *t = (char *) type;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    args.type = type ? &t : NULL;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_GET_MAX_VCPUS,
                       (xdrproc_t) xdr_remote_connect_get_max_vcpus_args, &args,
                       (xdrproc_t) xdr_remote_connect_get_max_vcpus_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return ret.max_vcpus;
}

int
virConnectIsAlive(virConnectPtr conn)
{
    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    return vk_remote_connection_is_alive(conn->remote) ? 1 : 0;
}

int
vk_client_conn_int_call(virConnectPtr conn, const char *func, int proc)
{
    int value = 0;

    vk_client_enter();
    if (!vk_client_check_conn(conn, func))
        return -1;
    if (vk_client_call(conn, proc, NULL, NULL, (xdrproc_t) xdr_int, &value) < 0) {
        vk_client_failed();
        return -1;
    }
    return value;
}

/* A local UNIX socket is secure; the answer also depends on the daemon's
 * own view, as in libvirt. */
int
virConnectIsSecure(virConnectPtr conn)
{
    int secure = vk_client_conn_int_call(conn, __func__, REMOTE_PROC_CONNECT_IS_SECURE);

    return secure < 0 ? -1 : secure != 0;
}

/* Nothing travels encrypted over a UNIX socket. */
int
virConnectIsEncrypted(virConnectPtr conn)
{
    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    return 0;
}
