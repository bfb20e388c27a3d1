#include "drivers/network/core/network-hostdev.h"

#include "common/conf/network-parse.h"
#include "common/pci/host-device.h"
#include "common/util/error.h"

const char *
vk_network_pci_root(void)
{
    return g_getenv("VIRTKIT_TEST_PCI_ROOT");
}

int
vk_network_hostdev_validate(const VkNetworkDef *def, const char *root)
{
    const GArray *addrs = def->forward.pci_addresses;

    for (guint i = 0; addrs && i < addrs->len; i++) {
        g_autofree char *name = vk_pci_address_format(&g_array_index(addrs, VkPciAddress, i));

        if (vk_pci_host_is_virtual_function(root, name))
            continue;
        /* libvirt names the device by its sysfs path on the host */
        VK_NET_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
                   "device '/sys/bus/pci/devices/%s' in network '%s' is not an SR-IOV "
                   "Virtual Function", name, def->name);
        return -1;
    }
    return 0;
}

GArray *
vk_network_hostdev_pool(const VkNetworkDef *def, const char *root)
{
    const VkNetworkForwardDef *fwd = &def->forward;
    g_autoptr(GArray) pool = g_array_new(FALSE, FALSE, sizeof(VkPciAddress));
    g_autoptr(GPtrArray) vfs = NULL;

    if (!fwd->pf_dev || fwd->pci_addresses->len) {
        g_array_append_vals(pool, fwd->pci_addresses->data, fwd->pci_addresses->len);
        return g_steal_pointer(&pool);
    }
    vfs = vk_pci_net_virtual_functions(root, fwd->pf_dev);
    for (guint i = 0; i < vfs->len; i++) {
        VkPciAddress addr = { 0 };

        if (vk_pci_address_parse(g_ptr_array_index(vfs, i), &addr) < 0) {
            VK_NET_ERR(VIR_ERR_INTERNAL_ERROR, "Could not get Virtual functions on %s",
                       fwd->pf_dev);
            return NULL;
        }
        g_array_append_val(pool, addr);
    }
    if (pool->len == 0) {
        VK_NET_ERR(VIR_ERR_INTERNAL_ERROR, "No usable Vf's present on SRIOV PF %s", fwd->pf_dev);
        return NULL;
    }
    return g_steal_pointer(&pool);
}

static bool
held_by_port(GHashTable *ports, const VkPciAddress *addr)
{
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, ports);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        const VkNetworkPortDef *p = value;

        if (p->plug_type == VK_NETWORK_PORT_PLUG_HOSTDEV_PCI &&
            vk_pci_address_equal(&p->plug_address, addr))
            return true;
    }
    return false;
}

int
vk_network_hostdev_plug(const VkNetworkDef *def, const char *root, GHashTable *ports,
                        VkNetworkPortDef *port)
{
    g_autoptr(GArray) pool = vk_network_hostdev_pool(def, root);

    if (!pool)
        return -1;
    /* exclusive use: the first VF with no connection */
    for (guint i = 0; i < pool->len; i++) {
        const VkPciAddress *vf = &g_array_index(pool, VkPciAddress, i);

        if (held_by_port(ports, vf))
            continue;
        port->plug_type = VK_NETWORK_PORT_PLUG_HOSTDEV_PCI;
        port->plug_address = *vf;
        port->plug_managed = def->forward.managed == VK_TRISTATE_ON ? VK_TRISTATE_ON
                                                                    : VK_TRISTATE_OFF;
        g_free(port->plug_driver);
        port->plug_driver = g_strdup(def->forward.driver_name);
        return 0;
    }
    VK_NET_ERR(VIR_ERR_INTERNAL_ERROR,
               "network '%s' requires exclusive access to interfaces, but none are available",
               def->name);
    return -1;
}
