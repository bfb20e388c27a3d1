/* Network ports: handles on them (each holds a reference on its network),
 * listing, lookup, creation, XML and deletion. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

static virNetworkPortPtr
port_new(virNetworkPtr network, const remote_nonnull_network_port *port)
{
    virNetworkPortPtr p = g_new0(virNetworkPort, 1);

    vk_client_handle_init(&p->h, network->h.conn, NULL, port->uuid);
    g_atomic_int_inc(&network->h.refs);
    p->net = network;
    return p;
}

static void
port_free_rest(void *obj)
{
    virNetworkPortPtr port = obj;

    virNetworkFree(port->net);
    g_free(port);
}

/* Call PROC for PORT as public call FUNC; ARGS begins with the port. */
static int
port_call(virNetworkPortPtr port, const char *func, int proc, xdrproc_t args_filter,
          void *args, xdrproc_t ret_filter, void *ret)
{
    remote_nonnull_network_port *wire = args;

    vk_client_enter();
    if (!vk_client_check_object(port, VK_CLIENT_NETWORK_PORT, func))
        return -1;
    vk_client_network_to_wire(port->net, &wire->net);
    memcpy(wire->uuid, port->h.uuid, VIR_UUID_BUFLEN);
    if (vk_client_call(port->h.conn, proc, args_filter, args, ret_filter, ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

/* PORT_LOOKUP_BY_UUID and PORT_CREATE_XML answer one port, the whole of
 * their *_ret struct. */
static virNetworkPortPtr
port_from_call(virNetworkPtr network, const char *func, int proc, xdrproc_t args_filter,
               void *args)
{
    remote_nonnull_network_port wire = { 0 };
    virNetworkPortPtr port;

    if (vk_client_network_call(network, func, proc, args_filter, args,
                               (xdrproc_t) xdr_remote_nonnull_network_port, &wire) < 0)
        return NULL;
    port = port_new(network, &wire);
    xdr_free((xdrproc_t) xdr_remote_nonnull_network_port, (char *) &wire);
    return port;
}

int
virNetworkListAllPorts(virNetworkPtr network, virNetworkPortPtr **ports, unsigned int flags)
{
    remote_network_list_all_ports_args args = { .need_results = ports != NULL,
                                                .flags = flags };
    remote_network_list_all_ports_ret ret = { 0 };
    int count;

    if (ports)
        *ports = NULL;
    if (vk_client_network_call(network, __func__, REMOTE_PROC_NETWORK_LIST_ALL_PORTS,
                               (xdrproc_t) xdr_remote_network_list_all_ports_args, &args,
                               (xdrproc_t) xdr_remote_network_list_all_ports_ret, &ret) < 0)
        return -1;
    count = ret.ret;
    if (ports) {
        virNetworkPortPtr *list = g_new0(virNetworkPortPtr, ret.ports.ports_len + 1);

        for (u_int i = 0; i < ret.ports.ports_len; i++)
            list[i] = port_new(network, &ret.ports.ports_val[i]);
        *ports = list;
        count = ret.ports.ports_len;
    }
    xdr_free((xdrproc_t) xdr_remote_network_list_all_ports_ret, (char *) &ret);
    return count;
}

virNetworkPortPtr
virNetworkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid)
{
    remote_network_port_lookup_by_uuid_args args = { 0 };

    vk_client_enter();
    if (!vk_client_check_network(net, __func__) ||
        !vk_client_check_nonnull(uuid, "uuid", __func__))
        return NULL;
    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    return port_from_call(net, __func__, REMOTE_PROC_NETWORK_PORT_LOOKUP_BY_UUID,
                          (xdrproc_t) xdr_remote_network_port_lookup_by_uuid_args, &args);
}

virNetworkPortPtr
virNetworkPortLookupByUUIDString(virNetworkPtr net, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    vk_client_enter();
    if (!vk_client_check_network(net, __func__) ||
        !vk_client_check_nonnull(uuidstr, "uuidstr", __func__) ||
        !vk_client_parse_uuid(uuidstr, uuid, __func__))
        return NULL;
    return virNetworkPortLookupByUUID(net, uuid);
}

virNetworkPortPtr
virNetworkPortCreateXML(virNetworkPtr net, const char *xmldesc, unsigned int flags)
{
    remote_network_port_create_xml_args args = { .xml = (char *) xmldesc, .flags = flags };

    vk_client_enter();
    if (!vk_client_check_network(net, __func__) ||
        !vk_client_check_nonnull(xmldesc, "xmldesc", __func__))
        return NULL;
    return port_from_call(net, __func__, REMOTE_PROC_NETWORK_PORT_CREATE_XML,
                          (xdrproc_t) xdr_remote_network_port_create_xml_args, &args);
}

virNetworkPtr
virNetworkPortGetNetwork(virNetworkPortPtr port)
{
    vk_client_enter();
    if (!vk_client_check_object(port, VK_CLIENT_NETWORK_PORT, __func__))
        return NULL;
    return port->net;
}

char *
virNetworkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags)
{
    remote_network_port_get_xml_desc_args args = { .flags = flags };
    remote_network_port_get_xml_desc_ret ret = { 0 };
    char *xml;

    if (port_call(port, __func__, REMOTE_PROC_NETWORK_PORT_GET_XML_DESC,
                  (xdrproc_t) xdr_remote_network_port_get_xml_desc_args, &args,
                  (xdrproc_t) xdr_remote_network_port_get_xml_desc_ret, &ret) < 0)
        return NULL;
    xml = g_strdup(ret.xml);
    xdr_free((xdrproc_t) xdr_remote_network_port_get_xml_desc_ret, (char *) &ret);
    return xml;
}

int
virNetworkPortGetUUID(virNetworkPortPtr port, unsigned char *uuid)
{
    return vk_client_handle_get_uuid(port, VK_CLIENT_NETWORK_PORT, uuid, __func__);
}

int
virNetworkPortGetUUIDString(virNetworkPortPtr port, char *buf)
{
    return vk_client_handle_get_uuid_string(port, VK_CLIENT_NETWORK_PORT, buf, __func__);
}

int
virNetworkPortDelete(virNetworkPortPtr port, unsigned int flags)
{
    remote_network_port_delete_args args = { .flags = flags };

    return port_call(port, __func__, REMOTE_PROC_NETWORK_PORT_DELETE,
                     (xdrproc_t) xdr_remote_network_port_delete_args, &args, NULL, NULL);
}

int
virNetworkPortRef(virNetworkPortPtr port)
{
    return vk_client_handle_ref(port, VK_CLIENT_NETWORK_PORT, __func__);
}

int
virNetworkPortFree(virNetworkPortPtr port)
{
    return vk_client_handle_free(port, VK_CLIENT_NETWORK_PORT, __func__, port_free_rest);
}
