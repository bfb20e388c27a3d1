/* Starting and stopping networks: virNetworkCreate (start a defined one),
 * virNetworkCreateXML (a transient one) and virNetworkDestroy. */
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/network/core/network-events.h"
#include "drivers/network/core/network-lookup.h"
#include "drivers/network/core/network-start.h"
#include "drivers/network/driver.h"
#include "drivers/network/handlers/handlers.h"
#include "remote-protocol.h"

#define CREATE_VALIDATE (1 << 0)   /* virNetworkCreateFlags */

static int
network_create(VkServerClient *client, void *argsp, void *retp)
{
    VkNetworkDriver *driver = vk_network_driver();
    VkNetworkObj *obj = vk_network_begin(&((remote_network_create_args *) argsp)->net);
    VkEventSubject subject;

    if (!obj)
        return -1;
    if (obj->active) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, "%s",
                        "network is already active");
        return vk_object_release(&obj->parent, -1);
    }
    if (vk_network_start(driver, obj) < 0)
        return vk_object_release(&obj->parent, -1);
    vk_event_subject_of(&subject, &obj->parent);
    vk_object_release(&obj->parent, 0);
    vk_network_event_emit(driver->events, &subject, VK_NETWORK_EVENT_STARTED);
    return 0;
}

/* A network that exists and is inactive takes the new definition as its
 * live one for this run (its own stays the config); a new one is transient. */
static int
create_xml(const char *xml, unsigned int flags, remote_nonnull_network *result)
{
    VkNetworkDriver *driver = vk_network_driver();
    VkEventSubject subject;
    VkObjectPlacing p;
    VkNetworkObj *obj;

    if (vk_check_flags(VIR_FROM_NETWORK, flags, CREATE_VALIDATE, "networkCreateXMLFlags") < 0 ||
        vk_object_place_begin(&driver->placer, xml, &p) < 0)
        return -1;
    obj = (VkNetworkObj *) p.obj;
    if (p.existed) {
        if (obj->active) {
            vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID,
                            "network '%s' is already active", obj->def->name);
            return vk_object_place_end(&driver->placer, &p, -1);
        }
        obj->new_def = obj->def;
        obj->def = g_steal_pointer(&p.def);
    }
    if (vk_network_start(driver, obj) < 0)
        return vk_object_place_end(&driver->placer, &p, -1);
    vk_network_make_ref(result, obj->def);
    vk_event_subject_of(&subject, &obj->parent);
    vk_object_place_end(&driver->placer, &p, 0);
    vk_network_event_emit(driver->events, &subject, VK_NETWORK_EVENT_STARTED);
    return 0;
}

static int
network_create_xml(VkServerClient *client, void *argsp, void *retp)
{
    return create_xml(((remote_network_create_xml_args *) argsp)->xml, 0,
                      &((remote_network_create_xml_ret *) retp)->net);
}

static int
network_create_xml_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_create_xml_flags_args *args = argsp;

    return create_xml(args->xml, args->flags, &((remote_network_create_xml_flags_ret *) retp)->net);
}

static int
network_destroy(VkServerClient *client, void *argsp, void *retp)
{
    VkNetworkDriver *driver = vk_network_driver();
    VkNetworkObj *obj = vk_network_begin(&((remote_network_destroy_args *) argsp)->net);
    VkEventSubject subject;

    if (!obj)
        return -1;
    if (vk_network_check_active(obj) < 0)
        return vk_object_release(&obj->parent, -1);
    vk_network_stop(driver, obj);
    vk_event_subject_of(&subject, &obj->parent);
    if (!obj->persistent)
        vk_object_list_remove(driver->networks, &obj->parent);
    vk_object_release(&obj->parent, 0);
    vk_network_event_emit(driver->events, &subject, VK_NETWORK_EVENT_STOPPED);
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NETWORK_CREATE, network_create },
    { REMOTE_PROC_NETWORK_CREATE_XML, network_create_xml },
    { REMOTE_PROC_NETWORK_CREATE_XML_FLAGS, network_create_xml_flags },
    { REMOTE_PROC_NETWORK_DESTROY, network_destroy },
};

void
vk_network_lifecycle_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
