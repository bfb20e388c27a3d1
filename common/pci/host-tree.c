#include "common/pci/host-tree.h"

#include <stdbool.h>
#include <string.h>

#include "common/pci/host-device.h"
#include "common/pci/pci-ids.h"
#include "common/pci/tree.h"

/* One device and where the kernel puts it: sysfs nests a device in the
 * directory of the bridge in front of its bus, or of its root bus
 * ("pci0000:00"). */
typedef struct {
    const VkPciHostDevice *dev;
    char *holder;          /* that directory's name */
    bool behind_bridge;    /* HOLDER is a device of the list */
    VkPciIdsQuery names;
} Node;

static void
node_clear(Node *n)
{
    g_free(n->holder);
    g_free(n->names.vendor_name);
    g_free(n->names.device_name);
}

/* The name of the directory holding device NAME under ROOT. */
static char *
holder_name(const char *root, const char *name)
{
    g_autofree char *link = g_build_filename(root, "sys", "bus", "pci", "devices", name, NULL);
    g_autofree char *target = g_file_read_link(link, NULL);
    g_autofree char *base = g_path_get_dirname(link);
    g_autofree char *path = g_canonicalize_filename(target ? target : link, base);
    g_autofree char *dir = g_path_get_dirname(path);

    return g_path_get_basename(dir);
}

static void
describe(GString *out, const Node *n)
{
    const VkPciHostDevice *d = n->dev;

    g_string_append_printf(out, "%02x:%02x.%x [%04x:%04x]", d->address.bus, d->address.slot,
                           d->address.function, d->vendor, d->device);
    if (n->names.vendor_name)
        g_string_append_printf(out, " %s", n->names.vendor_name);
    if (n->names.device_name)
        g_string_append_printf(out, " %s", n->names.device_name);
    g_string_append_printf(out, " driver=%s", d->driver ? d->driver : "none");
    if (d->iommu_group >= 0)
        g_string_append_printf(out, " iommu-group=%d", d->iommu_group);
    g_string_append_c(out, '\n');
}

/* The devices HOLDER holds (a bridge when BRIDGE, else a root bus), in
 * address order, each followed by the bus behind it. */
static void
format_bus(GString *out, GArray *nodes, const char *holder, bool bridge, const char *prefix)
{
    g_autoptr(GArray) on_bus = g_array_new(FALSE, FALSE, sizeof(guint));

    for (guint i = 0; i < nodes->len; i++) {
        const Node *n = &g_array_index(nodes, Node, i);

        if (n->behind_bridge == bridge && strcmp(n->holder, holder) == 0)
            g_array_append_val(on_bus, i);
    }
    for (guint i = 0; i < on_bus->len; i++) {
        const Node *n = &g_array_index(nodes, Node, g_array_index(on_bus, guint, i));
        g_autofree char *child = vk_pci_tree_branch(out, prefix, i + 1 == on_bus->len);

        describe(out, n);
        format_bus(out, nodes, n->dev->name, true, child);
    }
}

/* The names of NODES from the database PCI_IDS (see the header). */
static void
resolve_names(GArray *nodes, const char *pci_ids)
{
    g_autofree VkPciIdsQuery *queries = NULL;

    if (pci_ids && !*pci_ids)
        return;
    queries = g_new0(VkPciIdsQuery, nodes->len);
    for (guint i = 0; i < nodes->len; i++) {
        queries[i].vendor = g_array_index(nodes, Node, i).dev->vendor;
        queries[i].device = g_array_index(nodes, Node, i).dev->device;
    }
    vk_pci_ids_resolve(pci_ids, queries, nodes->len);
    for (guint i = 0; i < nodes->len; i++)
        g_array_index(nodes, Node, i).names = queries[i];
}

char *
vk_pci_host_tree_format(const char *root, const char *pci_ids)
{
    g_autoptr(GPtrArray) devs = vk_pci_host_device_list(root ? root : "/");
    g_autoptr(GArray) nodes = g_array_new(FALSE, TRUE, sizeof(Node));
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    GString *out;
    const char *last_root = NULL;

    if (!devs)
        return NULL;
    out = g_string_new(NULL);
    g_array_set_clear_func(nodes, (GDestroyNotify) node_clear);
    for (guint i = 0; i < devs->len; i++) {
        const VkPciHostDevice *dev = g_ptr_array_index(devs, i);
        Node n = { .dev = dev, .holder = holder_name(root ? root : "/", dev->name) };

        g_array_append_val(nodes, n);
        g_hash_table_add(names, dev->name);
    }
    for (guint i = 0; i < nodes->len; i++) {
        Node *n = &g_array_index(nodes, Node, i);

        n->behind_bridge = g_hash_table_contains(names, n->holder);
    }
    resolve_names(nodes, pci_ids);
    /* the root buses, in the order of their first device */
    for (guint i = 0; i < nodes->len; i++) {
        const Node *n = &g_array_index(nodes, Node, i);

        if (n->behind_bridge || (last_root && strcmp(last_root, n->holder) == 0))
            continue;
        last_root = n->holder;
        g_string_append_printf(out, "bus %s\n",
                               g_str_has_prefix(n->holder, "pci") ? n->holder + 3 : n->holder);
        format_bus(out, nodes, n->holder, false, "");
    }
    return g_string_free(out, FALSE);
}
