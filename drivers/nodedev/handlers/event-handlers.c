/* Node device event registrations (virConnectNodeDeviceEventRegisterAny). */
#include "drivers/nodedev/core/nodedev-events.h"
#include "drivers/nodedev/core/nodedev-obj.h"
#include "drivers/nodedev/driver.h"
#include "drivers/nodedev/handlers/handlers.h"
#include "remote-protocol.h"

static int
event_register_any(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_node_device_event_register_any_args *args = argsp;
    unsigned char uuid[VK_UUID_BUFLEN];
    int id;

    if (args->dev)
        vk_nodedev_name_uuid(args->dev->name, uuid);
    id = vk_event_registry_add_callback(vk_nodedev_driver()->events, client, args->eventID,
                                        args->dev ? uuid : NULL);
    if (id < 0)
        return -1;
    ((remote_connect_node_device_event_register_any_ret *) retp)->callbackID = id;
    return 0;
}

static int
event_deregister_any(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_node_device_event_deregister_any_args *args = argsp;

    return vk_event_registry_remove_callback(vk_nodedev_driver()->events, client,
                                             args->callbackID);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY, event_register_any },
    { REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY, event_deregister_any },
};

void
vk_nodedev_event_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
