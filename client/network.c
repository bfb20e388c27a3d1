/* Network handles and getting hold of networks: listing and counting them,
 * lookups, definitions (define / undefine), transient networks started from
 * XML, starting and stopping. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"
#include "common/util/uuid.h"

virNetworkPtr
vk_client_network_new(virConnectPtr conn, const remote_nonnull_network *net)
{
    virNetworkPtr network = g_new0(virNetwork, 1);

    vk_client_handle_init(&network->h, conn, net->name, net->uuid);
    return network;
}

void
vk_client_network_to_wire(virNetworkPtr network, remote_nonnull_network *out)
{
    vk_client_named_to_wire(&network->h, out);
}

int
vk_client_network_call(virNetworkPtr network, const char *func, int proc,
                       xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret)
{
    return vk_client_named_call(network, VK_CLIENT_NETWORK, func, proc, args_filter, args,
                                ret_filter, ret);
}

static void *
network_from_wire(void *conn, const void *wire)
{
    return vk_client_network_new(conn, wire);
}

static const VkClientWire network_wire = {
    (xdrproc_t) xdr_remote_nonnull_network, sizeof(remote_nonnull_network), network_from_wire,
};

/* Every call that answers a network answers it alone. */
static virNetworkPtr
network_from_call(virConnectPtr conn, int proc, xdrproc_t args_filter, void *args)
{
    return vk_client_object_from_call(conn, proc, args_filter, args, &network_wire, conn);
}

int
virConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    remote_connect_list_all_networks_args args = { .need_results = nets != NULL,
                                                   .flags = flags };
    remote_connect_list_all_networks_ret ret = { 0 };

    vk_client_enter();
    if (nets)
        *nets = NULL;
    if (!vk_client_check_conn(conn, __func__))
        return -1;
    if (vk_client_call(conn, REMOTE_PROC_CONNECT_LIST_ALL_NETWORKS,
                       (xdrproc_t) xdr_remote_connect_list_all_networks_args, &args,
                       (xdrproc_t) xdr_remote_connect_list_all_networks_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return vk_client_take_list(&ret, (xdrproc_t) xdr_remote_connect_list_all_networks_ret,
                               &network_wire, conn, (void ***) nets);
}

int
virConnectNumOfNetworks(virConnectPtr conn)
{
    return vk_client_conn_int_call(conn, __func__, REMOTE_PROC_CONNECT_NUM_OF_NETWORKS);
}

int
virConnectNumOfDefinedNetworks(virConnectPtr conn)
{
    return vk_client_conn_int_call(conn, __func__,
                                   REMOTE_PROC_CONNECT_NUM_OF_DEFINED_NETWORKS);
}

/* CONNECT_LIST_NETWORKS and CONNECT_LIST_DEFINED_NETWORKS: the same
 * arguments and answer. */
static int
list_names(virConnectPtr conn, const char *func, int proc, char **const names, int maxnames)
{
    return vk_client_conn_list_names(conn, func, proc,
                                     (xdrproc_t) xdr_remote_connect_list_networks_ret, names,
                                     maxnames, "networks");
}

int
virConnectListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return list_names(conn, __func__, REMOTE_PROC_CONNECT_LIST_NETWORKS, names, maxnames);
}

int
virConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    return list_names(conn, __func__, REMOTE_PROC_CONNECT_LIST_DEFINED_NETWORKS, names,
                      maxnames);
}

virNetworkPtr
virNetworkLookupByName(virConnectPtr conn, const char *name)
{
    remote_network_lookup_by_name_args args = { .name = (char *) name };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(name, "name", __func__))
        return NULL;
    return network_from_call(conn, REMOTE_PROC_NETWORK_LOOKUP_BY_NAME,
                             (xdrproc_t) xdr_remote_network_lookup_by_name_args, &args);
}

virNetworkPtr
virNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    remote_network_lookup_by_uuid_args args = { 0 };

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(uuid, "uuid", __func__))
        return NULL;
    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    return network_from_call(conn, REMOTE_PROC_NETWORK_LOOKUP_BY_UUID,
                             (xdrproc_t) xdr_remote_network_lookup_by_uuid_args, &args);
}

virNetworkPtr
virNetworkLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (!vk_client_uuid_string_args(conn, uuidstr, uuid, __func__))
        return NULL;
    return virNetworkLookupByUUID(conn, uuid);
}

/* DEFINE_XML, DEFINE_XML_FLAGS, CREATE_XML, CREATE_XML_FLAGS: the calls
 * with flags send { xml, flags }, the others { xml }. */
static virNetworkPtr
network_from_xml(virConnectPtr conn, const char *func, int proc, bool with_flags,
                 const char *xml, unsigned int flags)
{
    remote_network_define_xml_flags_args args = { .xml = (char *) xml, .flags = flags };

    vk_client_enter();
    if (!vk_client_check_conn(conn, func) || !vk_client_check_nonnull(xml, "xmlDesc", func))
        return NULL;
    return network_from_call(conn, proc,
                             with_flags ? (xdrproc_t) xdr_remote_network_define_xml_flags_args
                                        : (xdrproc_t) xdr_remote_network_define_xml_args,
                             &args);
}

virNetworkPtr
virNetworkDefineXML(virConnectPtr conn, const char *xmlDesc)
{
    return network_from_xml(conn, __func__, REMOTE_PROC_NETWORK_DEFINE_XML, false, xmlDesc, 0);
}

virNetworkPtr
virNetworkDefineXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return network_from_xml(conn, __func__, REMOTE_PROC_NETWORK_DEFINE_XML_FLAGS, true,
                            xmlDesc, flags);
}

virNetworkPtr
virNetworkCreateXML(virConnectPtr conn, const char *xmlDesc)
{
    return network_from_xml(conn, __func__, REMOTE_PROC_NETWORK_CREATE_XML, false, xmlDesc, 0);
}

virNetworkPtr
virNetworkCreateXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    return network_from_xml(conn, __func__, REMOTE_PROC_NETWORK_CREATE_XML_FLAGS, true,
                            xmlDesc, flags);
}

/* UNDEFINE, CREATE, DESTROY: the network alone, no answer. */
static int
network_void_call(virNetworkPtr network, const char *func, int proc)
{
    remote_network_undefine_args args = { 0 };

    return vk_client_network_call(network, func, proc,
                                  (xdrproc_t) xdr_remote_network_undefine_args, &args, NULL, NULL);
}

int
virNetworkUndefine(virNetworkPtr network)
{
    return network_void_call(network, __func__, REMOTE_PROC_NETWORK_UNDEFINE);
}

int
virNetworkCreate(virNetworkPtr network)
{
    return network_void_call(network, __func__, REMOTE_PROC_NETWORK_CREATE);
}

int
virNetworkDestroy(virNetworkPtr network)
{
    return network_void_call(network, __func__, REMOTE_PROC_NETWORK_DESTROY);
}

const char *
virNetworkGetName(virNetworkPtr network)
{
    return vk_client_handle_get_name(network, VK_CLIENT_NETWORK, __func__);
}

int
virNetworkGetUUID(virNetworkPtr network, unsigned char *uuid)
{
    return vk_client_handle_get_uuid(network, VK_CLIENT_NETWORK, uuid, __func__);
}

int
virNetworkGetUUIDString(virNetworkPtr network, char *buf)
{
    return vk_client_handle_get_uuid_string(network, VK_CLIENT_NETWORK, buf, __func__);
}

virConnectPtr
virNetworkGetConnect(virNetworkPtr network)
{
    return vk_client_handle_get_connect(network, VK_CLIENT_NETWORK, __func__);
}

int
virNetworkRef(virNetworkPtr network)
{
    return vk_client_handle_ref(network, VK_CLIENT_NETWORK, __func__);
}

int
virNetworkFree(virNetworkPtr network)
{
    return vk_client_handle_free(network, VK_CLIENT_NETWORK, __func__, g_free);
}
