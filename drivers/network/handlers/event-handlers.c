/* Network event registrations (virConnectNetworkEventRegisterAny). */
#include "drivers/network/core/network-events.h"
#include "drivers/network/driver.h"
#include "drivers/network/handlers/handlers.h"
#include "remote-protocol.h"

static int
event_register_any(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_network_event_register_any_args *args = argsp;
    remote_connect_network_event_register_any_ret *ret = retp;
    int id = vk_event_registry_add_callback(vk_network_driver()->events, client, args->eventID,
                                            args->net ? (const unsigned char *) args->net->uuid
                                                      : NULL);

    if (id < 0)
        return -1;
    ret->callbackID = id;
    return 0;
}

static int
event_deregister_any(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_network_event_deregister_any_args *args = argsp;

    return vk_event_registry_remove_callback(vk_network_driver()->events, client,
                                             args->callbackID);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, event_register_any },
    { REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY, event_deregister_any },
};

void
vk_network_event_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
