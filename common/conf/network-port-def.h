/* A network port: libvirt's <networkport> XML, what a hypervisor driver and
 * the network driver exchange when a guest interface joins a network
 * (virNetworkPortCreateXML).  Parse and format as src/conf/virnetworkportdef.c
 * defines the format. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/conf/enum-table.h"
#include "common/pci/address.h"

/* <plug type=> */
typedef enum {
    VK_NETWORK_PORT_PLUG_NONE = 0,
    VK_NETWORK_PORT_PLUG_NETWORK,   /* a tap on the network's own bridge */
    VK_NETWORK_PORT_PLUG_BRIDGE,    /* a tap on an existing host bridge */
    VK_NETWORK_PORT_PLUG_DIRECT,
    VK_NETWORK_PORT_PLUG_HOSTDEV_PCI,
} VkNetworkPortPlugType;
VK_ENUM_DECL(vk_network_port_plug_type);   /* "none", "network", "bridge", ... */

typedef struct {
    unsigned char uuid[16];
    char *owner_name;            /* <owner><name> (the guest) */
    unsigned char owner_uuid[16];
    char *group;                 /* <group>: the portgroup, or NULL */
    char *mac;                   /* <mac address=>, lower case */
    char *raw_extra;             /* <virtualport>, <bandwidth>, <vlan>, <port>: raw XML,
                                  * in that order */
    VkTristate trust_guest_rx_filters;   /* <rxfilters trustGuest=> */
    VkNetworkPortPlugType plug_type;
    char *plug_bridge;           /* <plug bridge=> (network, bridge) */
    char *plug_mac_table_manager;   /* <plug macTableManager=> */
    char *plug_dev;              /* <plug dev= mode=> (direct) */
    char *plug_mode;             /* NULL: libvirt's first mode, formatted 'vepa' */
    /* <plug type='hostdev-pci' managed=><driver name=/><address .../></plug> */
    VkTristate plug_managed;
    char *plug_driver;           /* "kvm", "vfio" or NULL */
    VkPciAddress plug_address;
} VkNetworkPortDef;

/* NULL with libvirt's error: a port needs its uuid, an owner name and uuid
 * and a MAC (libvirt 9.0 refuses a port without a uuid: "network port has no
 * uuid"; whoever creates one makes the uuid up first). */
VkNetworkPortDef *vk_network_port_def_parse_string(const char *xml);
VkNetworkPortDef *vk_network_port_def_parse_file(const char *path);
char *vk_network_port_def_format(const VkNetworkPortDef *def);
void vk_network_port_def_free(VkNetworkPortDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkNetworkPortDef, vk_network_port_def_free)
