/* Network ports (virNetworkPort*): what a hypervisor driver asks for when a
 * guest interface joins a network, and what virsh net-port-* shows. */
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/network/core/network-lookup.h"
#include "drivers/network/core/network-ports.h"
#include "drivers/network/driver.h"
#include "drivers/network/handlers/handlers.h"
#include "remote-protocol.h"

/* virNetworkPortCreateFlags */
#define PORT_CREATE_RECLAIM (1 << 0)
#define PORT_CREATE_VALIDATE (1 << 1)

static int
port_create_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_port_create_xml_args *args = argsp;
    VkNetworkObj *obj;
    VkNetworkPortDef *port;
    unsigned char uuid[VK_UUID_BUFLEN];

    if (vk_check_flags(VIR_FROM_NETWORK, args->flags, PORT_CREATE_RECLAIM | PORT_CREATE_VALIDATE,
                       "networkPortCreateXML") < 0 ||
        !(obj = vk_network_begin(&args->network)))
        return -1;
    if (vk_network_check_active(obj) < 0 ||
        !(port = vk_network_port_def_parse_string(args->xml)))
        return vk_object_release(&obj->parent, -1);
    if ((args->flags & PORT_CREATE_RECLAIM) && port->plug_type == VK_NETWORK_PORT_PLUG_NONE) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_INTERNAL_ERROR, "%s",
                        "Port reclaim requested but plug type is none");
        vk_network_port_def_free(port);
        return vk_object_release(&obj->parent, -1);
    }
    memcpy(uuid, port->uuid, VK_UUID_BUFLEN);
    if (vk_network_port_add(vk_network_driver(), obj, port, args->flags & PORT_CREATE_RECLAIM) < 0)
        return vk_object_release(&obj->parent, -1);
    vk_network_make_ref(&((remote_network_port_create_xml_ret *) retp)->port.net, obj->def);
    memcpy(((remote_network_port_create_xml_ret *) retp)->port.uuid, uuid, VK_UUID_BUFLEN);
    return vk_object_release(&obj->parent, 0);
}

/* The network of a port reference, locked, with the port looked up; NULL
 * with libvirt's error. */
static VkNetworkObj *
port_begin(const remote_nonnull_network_port *ref, VkNetworkPortDef **port)
{
    VkNetworkObj *obj = vk_network_begin(&ref->net);

    if (!obj)
        return NULL;
    if (!(*port = vk_network_port_lookup(obj, (const unsigned char *) ref->uuid))) {
        vk_object_release(&obj->parent, -1);
        return NULL;
    }
    return obj;
}

static int
port_lookup_by_uuid(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_port_lookup_by_uuid_args *args = argsp;
    VkNetworkObj *obj = vk_network_begin(&args->network);
    VkNetworkPortDef *port;

    if (!obj)
        return -1;
    if (!(port = vk_network_port_lookup(obj, (const unsigned char *) args->uuid)))
        return vk_object_release(&obj->parent, -1);
    vk_network_port_make_ref(&((remote_network_port_lookup_by_uuid_ret *) retp)->port, obj->def,
                             port);
    return vk_object_release(&obj->parent, 0);
}

static int
port_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_port_get_xml_desc_args *args = argsp;
    VkNetworkPortDef *port;
    VkNetworkObj *obj;
    g_autofree char *xml = NULL;

    if (vk_check_flags(VIR_FROM_NETWORK, args->flags, 0, "networkPortGetXMLDesc") < 0 ||
        !(obj = port_begin(&args->port, &port)))
        return -1;
    if (!(xml = vk_network_port_def_format(port)))
        return vk_object_release(&obj->parent, -1);
    ((remote_network_port_get_xml_desc_ret *) retp)->xml = strdup(xml);
    return vk_object_release(&obj->parent, 0);
}

static int
port_delete(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_port_delete_args *args = argsp;
    VkNetworkObj *obj;

    if (vk_check_flags(VIR_FROM_NETWORK, args->flags, 0, "networkPortDelete") < 0 ||
        !(obj = vk_network_begin(&args->port.net)))
        return -1;
    return vk_object_release(&obj->parent,
                             vk_network_port_remove(vk_network_driver(), obj,
                                                    (const unsigned char *) args->port.uuid));
}

/* Bandwidth is not modelled: a port has no parameters to show or set. */
static int
port_get_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_port_get_parameters_args *args = argsp;
    VkNetworkPortDef *port;
    VkNetworkObj *obj = port_begin(&args->port, &port);

    if (!obj)
        return -1;
    ((remote_network_port_get_parameters_ret *) retp)->nparams = 0;
    return vk_object_release(&obj->parent, 0);
}

static int
port_set_parameters(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_port_set_parameters_args *args = argsp;
    VkNetworkPortDef *port;
    VkNetworkObj *obj = port_begin(&args->port, &port);

    if (!obj)
        return -1;
    if (args->params.params_len > 0) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_ARGUMENT_UNSUPPORTED,
                        "parameter '%s' not supported", args->params.params_val[0].field);
        return vk_object_release(&obj->parent, -1);
    }
    return vk_object_release(&obj->parent, 0);
}

static int
list_all_ports(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_list_all_ports_args *args = argsp;
    remote_network_list_all_ports_ret *ret = retp;
    VkNetworkObj *obj;
    GHashTableIter iter;
    gpointer value;
    guint n = 0;

    if (vk_check_flags(VIR_FROM_NETWORK, args->flags, 0, "networkListAllPorts") < 0 ||
        !(obj = vk_network_begin(&args->network)))
        return -1;
    if (args->need_results)
        ret->ports.ports_val = calloc(MAX(g_hash_table_size(obj->ports), 1),
                                      sizeof(remote_nonnull_network_port));
    g_hash_table_iter_init(&iter, obj->ports);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        if (args->need_results)
            vk_network_port_make_ref(&ret->ports.ports_val[n], obj->def, value);
        n++;
    }
    ret->ports.ports_len = args->need_results ? n : 0;
    ret->ret = n;
    return vk_object_release(&obj->parent, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NETWORK_PORT_CREATE_XML, port_create_xml },
    { REMOTE_PROC_NETWORK_PORT_LOOKUP_BY_UUID, port_lookup_by_uuid },
    { REMOTE_PROC_NETWORK_PORT_GET_XML_DESC, port_get_xml_desc },
    { REMOTE_PROC_NETWORK_PORT_DELETE, port_delete },
    { REMOTE_PROC_NETWORK_PORT_GET_PARAMETERS, port_get_parameters },
    { REMOTE_PROC_NETWORK_PORT_SET_PARAMETERS, port_set_parameters },
    { REMOTE_PROC_NETWORK_LIST_ALL_PORTS, list_all_ports },
};

void
vk_network_port_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
