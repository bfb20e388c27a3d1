/* Starting and stopping networks: virNetworkCreate (start a defined one),
 * virNetworkCreateXML (a transient one) and virNetworkDestroy. */
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/network/core/network-events.h"
#include "drivers/network/core/network-lookup.h"
#include "drivers/network/core/network-start.h"
#include "drivers/network/core/network-defaults.h"
#include "drivers/network/driver.h"
#include "drivers/network/handlers/handlers.h"
#include "remote-protocol.h"

#define CREATE_VALIDATE (1 << 0)   /* virNetworkCreateFlags */

typedef struct {
    char name[256];
    unsigned char uuid[VK_UUID_BUFLEN];
} Subject;

static void
subject_of(Subject *s, const VkNetworkDef *def)
{
    g_strlcpy(s->name, def->name, sizeof(s->name));
    memcpy(s->uuid, def->uuid, VK_UUID_BUFLEN);
}

static int
network_create(VkServerClient *client, void *argsp, void *retp)
{
    VkNetworkDriver *driver = vk_network_driver();
    VkNetworkObj *obj = vk_network_begin(&((remote_network_create_args *) argsp)->net);
    Subject s;

    if (!obj)
        return -1;
    if (obj->active) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, "%s",
                        "network is already active");
        return vk_object_release(&obj->parent, -1);
    }
    if (vk_network_start(driver, obj) < 0)
        return vk_object_release(&obj->parent, -1);
    subject_of(&s, obj->def);
    vk_object_release(&obj->parent, 0);
    vk_network_event_lifecycle(driver->events, s.name, s.uuid, VK_NETWORK_EVENT_STARTED);
    return 0;
}

/* A network that exists and is inactive takes DEF as its live definition
 * for this run (its own stays the config); a new one is transient. */
static int
create_xml(const char *xml, unsigned int flags, remote_nonnull_network *result)
{
    VkNetworkDriver *driver = vk_network_driver();
    g_autoptr(VkNetworkDef) def = NULL;
    g_autoptr(VkNetworkObj) obj = NULL;
    bool existed = false;
    Subject s;

    if (vk_check_flags(VIR_FROM_NETWORK, flags, CREATE_VALIDATE, "networkCreateXMLFlags") < 0)
        return -1;
    g_mutex_lock(&driver->define_lock);
    if ((def = vk_network_parse_for_host(driver->networks, xml)))
        obj = vk_network_list_add(driver->networks, def, &existed);
    g_mutex_unlock(&driver->define_lock);
    if (!obj)
        return -1;
    if (!existed)
        def = NULL;
    vk_network_obj_lock(obj);
    if (vk_object_begin_job(&obj->parent) < 0)
        goto unlisted;
    if (existed) {
        if (obj->active) {
            vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID,
                            "network '%s' is already active", obj->def->name);
            goto fail;
        }
        obj->new_def = obj->def;
        obj->def = g_steal_pointer(&def);
    }
    if (vk_network_start(driver, obj) < 0)
        goto fail;
    vk_network_make_ref(result, obj->def);
    subject_of(&s, obj->def);
    vk_object_end_job(&obj->parent);
    vk_network_obj_unlock(obj);
    vk_network_event_lifecycle(driver->events, s.name, s.uuid, VK_NETWORK_EVENT_STARTED);
    return 0;

fail:
    vk_object_end_job(&obj->parent);
unlisted:
    vk_network_obj_unlock(obj);
    if (!existed)
        vk_object_list_remove(driver->networks, &obj->parent);
    return -1;
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
    Subject s;

    if (!obj)
        return -1;
    if (vk_network_check_active(obj) < 0)
        return vk_object_release(&obj->parent, -1);
    vk_network_stop(driver, obj);
    subject_of(&s, obj->def);
    if (!obj->persistent)
        vk_object_list_remove(driver->networks, &obj->parent);
    vk_object_release(&obj->parent, 0);
    vk_network_event_lifecycle(driver->events, s.name, s.uuid, VK_NETWORK_EVENT_STOPPED);
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
