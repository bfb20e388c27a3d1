/* Authentication of an RPC client to a daemon's remote program, done before
 * CONNECT_OPEN by every client of ours (drivers/remote's connections, the
 * router's connections to the daemons that own a call). */
#pragma once

#include "common/rpc/client.h"

/* Authenticate the way the daemon at SOCKET asks first, as libvirt's client
 * does: nothing for "none", one AUTH_POLKIT call for polkit.  SASL is not
 * implemented: -1 with VIR_ERR_AUTH_FAILED. */
int vk_rpc_client_authenticate(VkRpcClient *client, const char *socket);
