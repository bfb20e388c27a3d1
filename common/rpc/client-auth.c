#include "common/rpc/client-auth.h"

#include "remote-protocol.h"

static int
call(VkRpcClient *client, int proc, xdrproc_t ret_filter, void *ret)
{
    return vk_rpc_client_call(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc,
                              NULL, NULL, ret_filter, ret);
}

int
vk_rpc_client_authenticate(VkRpcClient *client, const char *socket)
{
    remote_auth_list_ret list = { 0 };
    remote_auth_polkit_ret polkit = { 0 };
    remote_auth_type type = REMOTE_AUTH_NONE;

    if (call(client, REMOTE_PROC_AUTH_LIST, (xdrproc_t) xdr_remote_auth_list_ret, &list) < 0)
        return -1;
    if (list.types.types_len > 0)
        type = list.types.types_val[0];
    xdr_free((xdrproc_t) xdr_remote_auth_list_ret, (char *) &list);

    switch (type) {
    case REMOTE_AUTH_NONE:
        return 0;
    case REMOTE_AUTH_POLKIT:
        return call(client, REMOTE_PROC_AUTH_POLKIT, (xdrproc_t) xdr_remote_auth_polkit_ret,
                    &polkit);
    case REMOTE_AUTH_SASL:
    default:
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_AUTH_FAILED,
                        "the daemon at '%s' asks for authentication type %d, "
                        "which this client does not implement (only none and polkit)",
                        socket, (int) type);
        return -1;
    }
}
