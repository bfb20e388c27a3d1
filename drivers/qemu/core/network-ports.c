/* Ports on virtual networks through virtnetworkd (network-ports.h). */
#include "drivers/qemu/core/network-ports.h"

#include <libxml/parser.h>
#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "drivers/remote/daemon-link.h"
#include "remote-protocol.h"

/* The network NAME into *NET (libvirt's error when there is none). */
static int
lookup(VkDaemonLink *networkd, const char *name, remote_nonnull_network *net)
{
    remote_network_lookup_by_name_args args = { .name = (char *) name };
    remote_network_lookup_by_name_ret ret = { 0 };

    if (vk_daemon_link_call(networkd, REMOTE_PROC_NETWORK_LOOKUP_BY_NAME,
                            (xdrproc_t) xdr_remote_network_lookup_by_name_args, &args,
                            (xdrproc_t) xdr_remote_network_lookup_by_name_ret, &ret) < 0)
        return -1;
    *net = ret.net;
    return 0;
}

/* The same for a network that must be active, as libvirt refuses a port
 * on one that is not. */
static int
lookup_active(VkDaemonLink *networkd, const char *name, remote_nonnull_network *net)
{
    remote_network_is_active_ret active = { 0 };

    if (lookup(networkd, name, net) < 0)
        return -1;
    remote_network_is_active_args args = { .net = *net };
    if (vk_daemon_link_call(networkd, REMOTE_PROC_NETWORK_IS_ACTIVE,
                            (xdrproc_t) xdr_remote_network_is_active_args, &args,
                            (xdrproc_t) xdr_remote_network_is_active_ret, &active) < 0)
        return -1;
    if (!active.active) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID,
                        "network '%s' is not active", name);
        return -1;
    }
    return 0;
}

/* The <networkport> libvirt's QEMU driver asks for: a new uuid, the guest
 * as owner, the interface's MAC and what else the network applies. */
static char *
port_xml(const VkDomainDef *def, const VkDomainNetDef *net, const unsigned char *uuid)
{
    GString *xml = g_string_new("<networkport>\n");
    char text[37];

    vk_domain_uuid_format(uuid, text);
    g_string_append_printf(xml, "  <uuid>%s</uuid>\n  <owner>\n    <name>", text);
    vk_xml_escape_append(xml, def->name);
    vk_domain_uuid_format(def->uuid, text);
    g_string_append_printf(xml, "</name>\n    <uuid>%s</uuid>\n  </owner>\n", text);
    if (net->src_portgroup) {
        g_string_append(xml, "  <group>");
        vk_xml_escape_append(xml, net->src_portgroup);
        g_string_append(xml, "</group>\n");
    }
    g_string_append_printf(xml, "  <mac address='%s'/>\n", net->mac);
    if (net->bandwidth_xml)
        vk_xml_append_indented(xml, net->bandwidth_xml, 2);
    if (net->vlan_xml)
        vk_xml_append_indented(xml, net->vlan_xml, 2);
    if (g_strcmp0(net->trust_guest_rx_filters, "yes") == 0)
        g_string_append(xml, "  <rxfilters trustGuest='yes'/>\n");
    g_string_append(xml, "</networkport>\n");
    return g_string_free(xml, FALSE);
}

/* libvirt's actual hostdev: the port's <plug type='hostdev-pci'> VF. */
static int
plug_hostdev(xmlNodePtr plug, VkDomainNetDef *net)
{
    g_autofree char *managed = vk_xml_prop(plug, "managed");
    xmlNodePtr addr = vk_xml_child(plug, "address");

    if (!addr || vk_xml_pci_address(addr, &net->src_pci) < 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "the port on network '%s' names no PCI device", net->src_network);
        return -1;
    }
    net->src_pci.multifunction = VK_TRISTATE_ABSENT;
    net->has_src_pci = true;
    net->managed = g_strcmp0(managed, "yes") == 0 ? VK_TRISTATE_ON : VK_TRISTATE_OFF;
    net->actual_hostdev = true;
    return 0;
}

/* What a port's XML plugs NET into: a bridge (<plug type='network|bridge'
 * bridge='X'/>, into net->src_bridge) or a host PCI device (hostdev-pci);
 * macvtap plugs are not ours to make. */
static int
port_plug(const char *xml, VkDomainNetDef *net)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int) strlen(xml), "networkport.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNodePtr plug = vk_xml_child(root, "plug");
    g_autofree char *type = vk_xml_prop(plug, "type");
    int rc = -1;

    net->actual_hostdev = false;
    if (g_strcmp0(type, "hostdev-pci") == 0) {
        rc = plug_hostdev(plug, net);
    } else if (g_strcmp0(type, "network") != 0 && g_strcmp0(type, "bridge") != 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                        "unsupported port type '%s' on network '%s'",
                        type ? type : "(none)", net->src_network);
    } else if (!(net->src_bridge = vk_xml_prop(plug, "bridge"))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "the port on network '%s' names no bridge", net->src_network);
    } else {
        rc = 0;
    }
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}

static int
port_delete(VkDaemonLink *networkd, const remote_nonnull_network_port *port)
{
    remote_network_port_delete_args args = { .port = *port };

    return vk_daemon_link_call(networkd, REMOTE_PROC_NETWORK_PORT_DELETE,
                               (xdrproc_t) xdr_remote_network_port_delete_args, &args, NULL, NULL);
}

/* Create the port for NET on NETWORK and read back its plug into NET. */
static int
port_create(VkDaemonLink *networkd, const VkDomainDef *def, VkDomainNetDef *net,
            remote_nonnull_network *network, const unsigned char *uuid)
{
    g_autofree char *xml = port_xml(def, net, uuid);
    remote_network_port_create_xml_args args = { .network = *network, .xml = xml };
    remote_network_port_create_xml_ret ret = { 0 };
    remote_network_port_get_xml_desc_ret desc = { 0 };
    int rc = -1;

    if (vk_daemon_link_call(networkd, REMOTE_PROC_NETWORK_PORT_CREATE_XML,
                            (xdrproc_t) xdr_remote_network_port_create_xml_args, &args,
                            (xdrproc_t) xdr_remote_network_port_create_xml_ret, &ret) < 0)
        return -1;
    remote_network_port_get_xml_desc_args get = { .port = ret.port };
    if (vk_daemon_link_call(networkd, REMOTE_PROC_NETWORK_PORT_GET_XML_DESC,
                            (xdrproc_t) xdr_remote_network_port_get_xml_desc_args, &get,
                            (xdrproc_t) xdr_remote_network_port_get_xml_desc_ret, &desc) == 0) {
        rc = port_plug(desc.xml, net);
        xdr_free((xdrproc_t) xdr_remote_network_port_get_xml_desc_ret, (char *) &desc);
    }
    if (rc < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        if (port_delete(networkd, &ret.port) < 0)
            vk_error_reset();
        vk_error_set(g_steal_pointer(&err));
    }
    xdr_free((xdrproc_t) xdr_remote_network_port_create_xml_ret, (char *) &ret);
    return rc;
}

int
vk_qemu_networks_acquire(VkDaemonLink *networkd, const VkDomainDef *def, VkDomainNetDef *net)
{
    remote_nonnull_network network = { 0 };
    unsigned char uuid[VK_UUID_LEN];
    int rc = -1;

    vk_domain_uuid_generate(uuid);
    g_clear_pointer(&net->src_bridge, g_free);
    if (lookup_active(networkd, net->src_network, &network) == 0)
        rc = port_create(networkd, def, net, &network, uuid);
    xdr_free((xdrproc_t) xdr_remote_nonnull_network, (char *) &network);
    if (rc < 0)
        return -1;
    memcpy(net->src_portid, uuid, VK_UUID_LEN);
    net->has_src_portid = true;
    return 0;
}

/* Delete the port UUID of network NAME; one that is gone
 * already, with its network or not, is no error. */
static int
port_delete_by_name(VkDaemonLink *networkd, const char *name, const unsigned char *uuid)
{
    remote_nonnull_network_port port = { 0 };
    int rc;

    /* a port is named by its network, which virtnetworkd finds by uuid */
    if ((rc = lookup(networkd, name, &port.net)) == 0) {
        memcpy(port.uuid, uuid, VK_UUID_LEN);
        rc = port_delete(networkd, &port);
        xdr_free((xdrproc_t) xdr_remote_nonnull_network, (char *) &port.net);
    }
    if (rc < 0 && (vk_error_last_code() == VIR_ERR_NO_NETWORK_PORT ||
                   vk_error_last_code() == VIR_ERR_NO_NETWORK))
        rc = 0;
    return rc;
}

void
vk_qemu_networks_release(VkDaemonLink *networkd, VkDomainNetDef *net)
{
    if (net->type != VK_NET_TYPE_NETWORK || !net->has_src_portid)
        return;
    g_autoptr(VkError) err = vk_error_steal();
    if (port_delete_by_name(networkd, net->src_network, net->src_portid) < 0)
        g_warning("cannot release the port of interface %s on network '%s': %s",
                  net->mac, net->src_network, vk_error_last_message());
    net->has_src_portid = false;
    g_clear_pointer(&net->src_bridge, g_free);
    if (net->actual_hostdev) {
        net->actual_hostdev = false;
        net->has_src_pci = false;
    }
    vk_error_set(g_steal_pointer(&err));
}

int
vk_qemu_networks_acquire_all(VkDaemonLink *networkd, VkDomainDef *def)
{
    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *net = g_ptr_array_index(def->nets, i);

        if (net->type == VK_NET_TYPE_NETWORK && vk_qemu_networks_acquire(networkd, def, net) < 0) {
            vk_qemu_networks_release_all(networkd, def);
            return -1;
        }
    }
    return 0;
}

void
vk_qemu_networks_release_all(VkDaemonLink *networkd, VkDomainDef *def)
{
    for (guint i = 0; i < def->nets->len; i++)
        vk_qemu_networks_release(networkd, g_ptr_array_index(def->nets, i));
}
