/* <network>'s <dns>: forwarders, TXT, SRV and host records, with libvirt's
 * rules and error texts (network_conf.c). */
#include "common/conf/network-parse.h"

#include <string.h>

#include "common/conf/net-addr.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

/* libvirt's limit on an SRV service name: a DNS record less its overhead */
#define DNS_RECORD_LENGTH_SRV (512 - 30)
#define SRV_PROTOCOL_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+/"
#define SRV_SERVICE_CHARS SRV_PROTOCOL_CHARS "_*"

#define DNS_ERR(...) (VK_NET_ERR(VIR_ERR_XML_DETAIL, __VA_ARGS__), -1)

static int
parse_forwarder(const char *net, xmlNodePtr node, VkNetworkDnsDef *dns)
{
    VkNetworkDnsForwarder *fwd = g_new0(VkNetworkDnsForwarder, 1);
    g_autofree char *addr = vk_xml_prop(node, "addr");

    g_ptr_array_add(dns->forwarders, fwd);
    if (addr && !(fwd->addr = vk_net_addr_canonical(addr))) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Invalid forwarder IP address '%s' in network '%s'", addr,
                   net);
        return -1;
    }
    fwd->domain = vk_xml_prop(node, "domain");
    if (!addr && !fwd->domain) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "%s",
                   "Invalid forwarder element, must contain at least one of addr or domain");
        return -1;
    }
    return 0;
}

static int
parse_host(const char *net, xmlNodePtr node, VkNetworkDnsDef *dns)
{
    VkNetworkDnsHost *host = g_new0(VkNetworkDnsHost, 1);
    g_autofree char *ip = vk_xml_prop(node, "ip");

    g_ptr_array_add(dns->hosts, host);
    host->hostnames = g_ptr_array_new_with_free_func(g_free);
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!vk_xml_is_element(c, "hostname"))
            continue;
        char *name = vk_xml_text(c);
        g_ptr_array_add(host->hostnames, name);
        if (!*name)
            return DNS_ERR("Missing hostname in network '%s' DNS HOST record", net);
    }
    if (host->hostnames->len == 0)
        return DNS_ERR("Missing hostname in network '%s' DNS HOST record", net);
    if (!ip)
        return DNS_ERR("Missing IP address in network '%s' DNS HOST record", net);
    if (!(host->ip = vk_net_addr_canonical(ip)))
        return DNS_ERR("Invalid IP address in network '%s' DNS HOST record", net);
    return 0;
}

/* port=, priority= or weight= of an SRV record: only with a target,
 * and at most MAX (at least 1 for the port). */
static int
parse_srv_number(const char *net, xmlNodePtr node, VkNetworkDnsSrv *srv, const char *attr,
                 const char *invalid, unsigned int *out)
{
    g_autofree char *text = vk_xml_prop(node, attr);
    bool is_port = g_str_equal(attr, "port");
    int rc;

    if (!text)
        return 0;
    rc = vk_xml_parse_uint(text, 10, out);
    if (rc == 0 && !srv->target)
        return DNS_ERR("DNS SRV %s attribute not permitted without target for service '%s' in "
                       "network '%s'", attr, srv->service, net);
    if (rc < 0 || *out > 65535 || (is_port && *out < 1)) {
        VK_NET_ERR(VIR_ERR_XML_DETAIL, "%s DNS SRV %s attribute for service '%s' in network '%s'",
                   invalid, attr, srv->service, net);
        return -1;
    }
    return 0;
}

static int
parse_srv(const char *net, xmlNodePtr node, VkNetworkDnsDef *dns)
{
    VkNetworkDnsSrv *srv = g_new0(VkNetworkDnsSrv, 1);

    g_ptr_array_add(dns->srvs, srv);
    if (!(srv->service = vk_xml_prop(node, "service")))
        return DNS_ERR("missing required service attribute in DNS SRV record of network '%s'",
                       net);
    if (strlen(srv->service) > DNS_RECORD_LENGTH_SRV)
        return DNS_ERR("service attribute '%s' in network '%s' is too long, limit is %d bytes",
                       srv->service, net, DNS_RECORD_LENGTH_SRV);
    if (strspn(srv->service, SRV_SERVICE_CHARS) < strlen(srv->service))
        return DNS_ERR("invalid character in service attribute '%s' in DNS SRV record of "
                       "network '%s'", srv->service, net);
    if (!(srv->protocol = vk_xml_prop(node, "protocol")))
        return DNS_ERR("missing required protocol attribute in DNS SRV record '%s' of network "
                       "'%s'", srv->service, net);
    if (strspn(srv->protocol, SRV_PROTOCOL_CHARS) < strlen(srv->protocol))
        return DNS_ERR("invalid character in protocol attribute '%s' in DNS SRV record of "
                       "network '%s'", srv->protocol, net);
    srv->domain = vk_xml_prop(node, "domain");
    srv->target = vk_xml_prop(node, "target");
    /* libvirt capitalizes only the priority's message */
    if (parse_srv_number(net, node, srv, "port", "invalid", &srv->port) < 0 ||
        parse_srv_number(net, node, srv, "priority", "Invalid", &srv->priority) < 0 ||
        parse_srv_number(net, node, srv, "weight", "invalid", &srv->weight) < 0)
        return -1;
    return 0;
}

static int
parse_txt(const char *net, xmlNodePtr node, VkNetworkDnsDef *dns)
{
    VkNetworkDnsTxt *txt = g_new0(VkNetworkDnsTxt, 1);

    g_ptr_array_add(dns->txts, txt);
    if (!(txt->name = vk_xml_prop(node, "name")))
        return DNS_ERR("missing required name attribute in DNS TXT record of network %s", net);
    if (strcspn(txt->name, " ,") != strlen(txt->name))
        return DNS_ERR("prohibited character in DNS TXT record name '%s' of network %s",
                       txt->name, net);
    if (!(txt->value = vk_xml_prop(node, "value")))
        return DNS_ERR("missing required value attribute in DNS TXT record named '%s' of "
                       "network %s", txt->name, net);
    return 0;
}

typedef int (*DnsChildParser)(const char *net, xmlNodePtr node, VkNetworkDnsDef *dns);

/* Every child NAME of NODE, in document order. */
static int
parse_children(const char *net, xmlNodePtr node, const char *name, DnsChildParser parse,
               VkNetworkDnsDef *dns)
{
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (vk_xml_is_element(c, name) && parse(net, c, dns) < 0)
            return -1;
    return 0;
}

int
vk_network_parse_dns(const char *net, xmlNodePtr node, VkNetworkDnsDef *dns)
{
    if (vk_xml_attr_tristate(node, "enable", vk_xml_yes_no, &dns->enable) < 0 ||
        vk_xml_attr_tristate(node, "forwardPlainNames", vk_xml_yes_no,
                             &dns->forward_plain_names) < 0)
        return -1;
    if (parse_children(net, node, "forwarder", parse_forwarder, dns) < 0 ||
        parse_children(net, node, "host", parse_host, dns) < 0 ||
        parse_children(net, node, "srv", parse_srv, dns) < 0 ||
        parse_children(net, node, "txt", parse_txt, dns) < 0)
        return -1;
    if (dns->enable == VK_TRISTATE_OFF &&
        (dns->forwarders->len || dns->hosts->len || dns->srvs->len || dns->txts->len)) {
        VK_NET_ERR(VIR_ERR_XML_ERROR, "Extra data in disabled network '%s'", net);
        return -1;
    }
    return 0;
}
