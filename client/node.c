/* The host the daemon runs on. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"

int
virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    remote_node_get_info_ret ret = { 0 };
    gsize len;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(info, "info", __func__))
        return -1;
    if (vk_client_call(conn, REMOTE_PROC_NODE_GET_INFO, NULL, NULL,
                       (xdrproc_t) xdr_remote_node_get_info_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    /* model is a fixed array: not NUL-terminated when all 32 are used. */
    memset(info, 0, sizeof(*info));
    len = strnlen(ret.model, sizeof(ret.model));
    memcpy(info->model, ret.model, MIN(len, sizeof(info->model) - 1));
    info->memory = ret.memory;
    info->cpus = ret.cpus;
    info->mhz = ret.mhz;
    info->nodes = ret.nodes;
    info->sockets = ret.sockets;
    info->cores = ret.cores;
    info->threads = ret.threads;
    return 0;
}
