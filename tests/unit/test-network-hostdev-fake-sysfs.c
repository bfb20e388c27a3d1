/* A hostdev network's pool of SR-IOV virtual functions on a FAKE sysfs tree
 * built in a temporary directory (nothing here reads /sys): the PF fakepf0
 * (0000:03:00.0) with four VFs 0000:03:10.0, .2, .4, .6; a second PF
 * fakepf1 (0000:04:00.0) without any.  The pool from <pf dev=> and from an
 * <address> list, libvirt's check that listed devices are VFs, and the VF
 * each new port takes (libvirt's networkAllocatePort: the first with no
 * connection), up to exhaustion and after a port is freed. */
#include <string.h>

#include "common/pci/host-device.h"
#include "common/util/error.h"
#include "drivers/network/core/network-hostdev.h"
#include "fake-sysfs.h"

static const char *vfs[] = { "0000:03:10.0", "0000:03:10.2", "0000:03:10.4", "0000:03:10.6" };

static char *
build_tree(void)
{
    char *root = fake_sysfs_new();

    fake_sysfs_device(root, "0000:03:00.0", "0x8086\n", "0x1521\n", "0x8086\n", "0x0001\n",
                      "0x020000\n", "0\n", "igb", 20);
    fake_sysfs_put(root, "0000:03:00.0", "sriov_totalvfs", "7\n");
    fake_sysfs_put(root, "0000:03:00.0", "sriov_numvfs", "4\n");
    fake_sysfs_netdev(root, "fakepf0", "0000:03:00.0");
    for (guint i = 0; i < G_N_ELEMENTS(vfs); i++) {
        fake_sysfs_device(root, vfs[i], "0x8086\n", "0x1520\n", "0x8086\n", "0x0001\n",
                          "0x020000\n", "0\n", "igbvf", 30 + i);
        fake_sysfs_virtfn(root, "0000:03:00.0", i, vfs[i]);
    }
    fake_sysfs_device(root, "0000:04:00.0", "0x8086\n", "0x1521\n", "0x8086\n", "0x0001\n",
                      "0x020000\n", "0\n", "igb", 21);
    fake_sysfs_put(root, "0000:04:00.0", "sriov_totalvfs", "7\n");
    fake_sysfs_netdev(root, "fakepf1", "0000:04:00.0");
    return root;
}

static VkNetworkDef *
parse(const char *forward_children)
{
    g_autofree char *xml = g_strdup_printf("<network><name>vfpool</name>"
                                           "<forward mode='hostdev' managed='yes'>"
                                           "<driver name='vfio'/>%s</forward></network>",
                                           forward_children);
    VkNetworkDef *def = vk_network_def_parse_string(xml);

    g_assert_nonnull(def);
    return def;
}

static char *
addr_name(const VkPciAddress *a)
{
    return vk_pci_address_format(a);
}

static void
test_pool_from_pf(void)
{
    g_autofree char *root = build_tree();
    g_autoptr(VkNetworkDef) def = parse("<pf dev='fakepf0'/>");
    g_autoptr(GArray) pool = vk_network_hostdev_pool(def, root);

    g_assert_nonnull(pool);
    g_assert_cmpuint(pool->len, ==, 4);
    for (guint i = 0; i < pool->len; i++) {
        g_autofree char *name = addr_name(&g_array_index(pool, VkPciAddress, i));
        g_assert_cmpstr(name, ==, vfs[i]);
    }
    g_assert_cmpint(vk_network_hostdev_validate(def, root), ==, 0);
    fake_sysfs_remove(root);
}

/* what virtqemud needs to set a VF's MAC through its PF */
static void
test_vf_pf_info(void)
{
    g_autofree char *root = build_tree();
    g_autofree char *pf = NULL;
    unsigned int index = 0;

    g_assert_cmpint(vk_pci_vf_pf_info(root, vfs[2], &pf, &index), ==, 0);
    g_assert_cmpstr(pf, ==, "fakepf0");
    g_assert_cmpuint(index, ==, 2);
    g_assert_cmpint(vk_pci_vf_pf_info(root, "0000:03:00.0", &pf, &index), ==, -1);
    fake_sysfs_remove(root);
}

static void
test_pf_without_vfs(void)
{
    g_autofree char *root = build_tree();
    g_autoptr(VkNetworkDef) def = parse("<pf dev='fakepf1'/>");
    g_autoptr(VkNetworkDef) missing = parse("<pf dev='nosuchpf'/>");

    g_assert_null(vk_network_hostdev_pool(def, root));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: No usable Vf's present on SRIOV PF fakepf1");
    g_assert_null(vk_network_hostdev_pool(missing, root));
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: No usable Vf's present on SRIOV PF nosuchpf");
    fake_sysfs_remove(root);
}

static void
test_address_pool(void)
{
    g_autofree char *root = build_tree();
    g_autoptr(VkNetworkDef) def = parse("<address type='pci' domain='0' bus='3' slot='0x10' "
                                        "function='4'/><address type='pci' domain='0' bus='3' "
                                        "slot='0x10' function='6'/>");
    g_autoptr(VkNetworkDef) pf = parse("<address type='pci' domain='0' bus='3' slot='0x10' "
                                       "function='2'/><address type='pci' domain='0' bus='3' "
                                       "slot='0' function='0'/>");
    g_autoptr(GArray) pool = NULL;

    g_assert_cmpint(vk_network_hostdev_validate(def, root), ==, 0);
    pool = vk_network_hostdev_pool(def, root);
    g_assert_cmpuint(pool->len, ==, 2);
    g_assert_cmpuint(g_array_index(pool, VkPciAddress, 1).function, ==, 6);
    g_assert_cmpint(vk_network_hostdev_validate(pf, root), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "unsupported configuration: device '/sys/bus/pci/devices/0000:03:00.0' in "
                    "network 'vfpool' is not an SR-IOV Virtual Function");
    fake_sysfs_remove(root);
}

static VkNetworkPortDef *
new_port(guint8 id)
{
    VkNetworkPortDef *port = g_new0(VkNetworkPortDef, 1);

    memset(port->uuid, id, sizeof(port->uuid));
    return port;
}

/* allocate a port into PORTS; its VF's name, or NULL with the error set */
static char *
allocate(const VkNetworkDef *def, const char *root, GHashTable *ports, guint8 id)
{
    g_autoptr(VkNetworkPortDef) port = new_port(id);
    char *name;

    if (vk_network_hostdev_plug(def, root, ports, port) < 0)
        return NULL;
    g_assert_cmpint(port->plug_type, ==, VK_NETWORK_PORT_PLUG_HOSTDEV_PCI);
    g_assert_cmpint(port->plug_managed, ==, VK_TRISTATE_ON);
    g_assert_cmpstr(port->plug_driver, ==, "vfio");
    name = addr_name(&port->plug_address);
    g_hash_table_insert(ports, g_memdup2(port->uuid, 16), port);
    port = NULL;
    return name;
}

static guint
uuid_hash(gconstpointer p)
{
    return *(const guint8 *) p;
}

static gboolean
uuid_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, 16) == 0;
}

static void
test_ports(void)
{
    g_autofree char *root = build_tree();
    g_autoptr(VkNetworkDef) def = parse("<pf dev='fakepf0'/>");
    g_autoptr(GHashTable) ports = g_hash_table_new_full(uuid_hash, uuid_equal, g_free,
                                                        (GDestroyNotify) vk_network_port_def_free);
    g_autoptr(VkNetworkPortDef) used = new_port(9);
    guint8 freed[16];

    /* one VF (the first) is held by a port already, as after a restart */
    used->plug_type = VK_NETWORK_PORT_PLUG_HOSTDEV_PCI;
    g_assert_cmpint(vk_pci_address_parse(vfs[0], &used->plug_address), ==, 0);
    g_hash_table_insert(ports, g_memdup2(used->uuid, 16), used);
    used = NULL;

    for (guint8 id = 1; id <= 3; id++) {
        g_autofree char *vf = allocate(def, root, ports, id);
        g_assert_cmpstr(vf, ==, vfs[id]);
    }
    /* all four in use */
    g_assert_null(allocate(def, root, ports, 4));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(vk_error_last_message(), ==, "internal error: network 'vfpool' requires "
                    "exclusive access to interfaces, but none are available");
    /* deleting port 2 (the third VF) frees its VF for the next port */
    memset(freed, 2, sizeof(freed));
    g_assert_true(g_hash_table_remove(ports, freed));
    {
        g_autofree char *vf = allocate(def, root, ports, 5);
        g_assert_cmpstr(vf, ==, vfs[2]);
    }
    g_assert_null(allocate(def, root, ports, 6));
    fake_sysfs_remove(root);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/network-hostdev/fake/pool-from-pf", test_pool_from_pf);
    g_test_add_func("/network-hostdev/fake/vf-pf-info", test_vf_pf_info);
    g_test_add_func("/network-hostdev/fake/pf-without-vfs", test_pf_without_vfs);
    g_test_add_func("/network-hostdev/fake/address-pool", test_address_pool);
    g_test_add_func("/network-hostdev/fake/ports", test_ports);
    return g_test_run();
}
