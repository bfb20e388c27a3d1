/* Storage pool event registrations (virConnectStoragePoolEventRegisterAny). */
#include "drivers/storage/driver.h"
#include "drivers/storage/handlers/handlers.h"
#include "remote-protocol.h"

static int
event_register_any(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_storage_pool_event_register_any_args *args = argsp;
    int id = vk_event_registry_add_callback(vk_storage_driver()->events, client, args->eventID,
                                            args->pool ? (const unsigned char *) args->pool->uuid
                                                       : NULL);

    if (id < 0)
        return -1;
    ((remote_connect_storage_pool_event_register_any_ret *) retp)->callbackID = id;
    return 0;
}

static int
event_deregister_any(VkServerClient *client, void *argsp, void *retp)
{
    return vk_event_registry_remove_callback(
        vk_storage_driver()->events, client,
        ((remote_connect_storage_pool_event_deregister_any_args *) argsp)->callbackID);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY, event_register_any },
    { REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY, event_deregister_any },
};

void
vk_storage_event_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
