/* Clients registering for domain events, in libvirt's three forms: the
 * old lifecycle-only one, one registration per event id, and callback ids
 * (the registry is common/driver/event-registry.h). */
#include "drivers/qemu/handlers/handlers.h"

#include "drivers/qemu/driver.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

static VkEventRegistry *
driver_events(void)
{
    return vk_qemu_driver()->events;
}

static int
event_register(VkServerClient *client, void *args, void *retp)
{
    remote_connect_domain_event_register_ret *ret = retp;

    if (vk_event_registry_add_plain(driver_events(), client, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                    true) < 0)
        return -1;
    ret->cb_registered = 1;
    return 0;
}

static int
event_deregister(VkServerClient *client, void *args, void *retp)
{
    remote_connect_domain_event_deregister_ret *ret = retp;

    if (vk_event_registry_remove_plain(driver_events(), client, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                       true) < 0)
        return -1;
    ret->cb_registered = 0;
    return 0;
}

static int
event_register_any(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_domain_event_register_any_args *args = argsp;

    return vk_event_registry_add_plain(driver_events(), client, args->eventID, false);
}

static int
event_deregister_any(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_domain_event_deregister_any_args *args = argsp;

    return vk_event_registry_remove_plain(driver_events(), client, args->eventID, false);
}

static int
event_callback_register_any(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_domain_event_callback_register_any_args *args = argsp;
    remote_connect_domain_event_callback_register_any_ret *ret = retp;
    int id = vk_event_registry_add_callback(driver_events(), client, args->eventID,
                                            args->dom ? (const unsigned char *) args->dom->uuid
                                                      : NULL);

    if (id < 0)
        return -1;
    ret->callbackID = id;
    return 0;
}

static int
event_callback_deregister_any(VkServerClient *client, void *argsp, void *ret)
{
    remote_connect_domain_event_callback_deregister_any_args *args = argsp;

    return vk_event_registry_remove_callback(driver_events(), client, args->callbackID);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER, event_register },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER, event_deregister },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY, event_register_any },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, event_deregister_any },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, event_callback_register_any },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, event_callback_deregister_any },
};

void
vk_qemu_event_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
