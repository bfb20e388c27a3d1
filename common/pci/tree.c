#include "common/pci/tree.h"

char *
vk_pci_tree_branch(GString *out, const char *prefix, bool last)
{
    g_string_append_printf(out, "%s%s", prefix,
                           last ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 ");
    return g_strconcat(prefix, last ? "    " : "\u2502   ", NULL);
}

typedef struct {
    const VkPciAddress *addr;
    const VkPciController *cont;   /* NULL for a device */
    const VkPciDevice *dev;
} Item;

static gint
cmp_item(gconstpointer a, gconstpointer b)
{
    const Item *x = a, *y = b;

    return vk_pci_address_compare(x->addr, y->addr);
}

static void
name_item(GString *out, const Item *it)
{
    if (it->cont)
        g_string_append_printf(out, "%s index=%u", vk_pci_model_to_string(it->cont->model),
                               it->cont->index);
    else
        g_string_append(out, it->dev->description ? it->dev->description : "device");
}

/* Why the item sits where it does: the user put it there, assignment did,
 * or assignment added the controller, for the first item on its bus. */
static void
origin(GString *out, GHashTable *by_bus, const Item *it)
{
    GArray *below;

    if (!it->cont) {
        g_string_append(out, it->dev->auto_assigned ? " [assigned]" : " [user]");
        return;
    }
    if (!it->cont->added) {
        g_string_append(out, it->cont->auto_assigned ? " [assigned]" : " [user]");
        return;
    }
    below = g_hash_table_lookup(by_bus, GUINT_TO_POINTER(it->cont->index + 1));
    if (!below || !below->len) {
        g_string_append(out, " [added, empty: for hotplug]");
        return;
    }
    g_string_append(out, " [added for ");
    name_item(out, &g_array_index(below, Item, 0));
    g_string_append_c(out, ']');
}

static void
describe(GString *out, GHashTable *by_bus, const Item *it)
{
    const VkPciAddress *a = it->addr;

    g_string_append_printf(out, "%02x:%02x.%x ", a->bus, a->slot, a->function);
    name_item(out, it);
    if (it->cont) {
        const VkPciController *c = it->cont;
        if (c->chassis >= 0)
            g_string_append_printf(out, " chassis=%d", c->chassis);
        if (c->port >= 0)
            g_string_append_printf(out, " port=0x%x", c->port);
        if (c->chassis_nr >= 0)
            g_string_append_printf(out, " chassisNr=%d", c->chassis_nr);
        if (c->bus_nr >= 0)
            g_string_append_printf(out, " busNr=%d", c->bus_nr);
    }
    origin(out, by_bus, it);
    if (a->multifunction == VK_TRISTATE_ON)
        g_string_append(out, " multifunction=on");
    else if (a->multifunction == VK_TRISTATE_OFF)
        g_string_append(out, " multifunction=off");
    g_string_append_c(out, '\n');
}

static void format_bus(GString *out, GHashTable *by_bus, GHashTable *conts,
                       unsigned int bus, const char *prefix, GHashTable *done);

static void
format_items(GString *out, GHashTable *by_bus, GHashTable *conts, GArray *items,
             const char *prefix, GHashTable *done)
{
    for (guint i = 0; i < items->len; i++) {
        const Item *it = &g_array_index(items, Item, i);
        bool last = i + 1 == items->len;
        g_autofree char *child = vk_pci_tree_branch(out, prefix, last);

        describe(out, by_bus, it);
        if (it->cont)
            format_bus(out, by_bus, conts, it->cont->index, child, done);
    }
}

static void
format_bus(GString *out, GHashTable *by_bus, GHashTable *conts,
           unsigned int bus, const char *prefix, GHashTable *done)
{
    GArray *items = g_hash_table_lookup(by_bus, GUINT_TO_POINTER(bus + 1));

    /* a loop (a bridge plugged into itself) must not recurse forever */
    if (!g_hash_table_add(done, GUINT_TO_POINTER(bus + 1)) || !items)
        return;
    format_items(out, by_bus, conts, items, prefix, done);
}

char *
vk_pci_tree_format(const VkPciController *controllers, size_t ncontrollers,
                   const VkPciDevice *devices, size_t ndevices)
{
    g_autoptr(GHashTable) by_bus = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                                         (GDestroyNotify) g_array_unref);
    g_autoptr(GHashTable) conts = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GHashTable) done = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GArray) loose = g_array_new(FALSE, FALSE, sizeof(Item));
    GString *out = g_string_new(NULL);
    const VkPciController *root = NULL;

    for (size_t i = 0; i < ncontrollers; i++) {
        g_hash_table_insert(conts, GUINT_TO_POINTER(controllers[i].index + 1), (gpointer) &controllers[i]);
        if (controllers[i].index == 0)
            root = &controllers[i];
    }

    for (size_t i = 0; i < ncontrollers + ndevices; i++) {
        Item it = { 0 };
        GArray *items;

        if (i < ncontrollers) {
            const VkPciController *c = &controllers[i];
            if (c->model == VK_PCI_CONTROLLER_PCI_ROOT || c->model == VK_PCI_CONTROLLER_PCIE_ROOT)
                continue;
            it.cont = c;
            it.addr = &c->address;
            if (!c->has_address) {
                g_array_append_val(loose, it);
                continue;
            }
        } else {
            const VkPciDevice *d = &devices[i - ncontrollers];
            if (!d->has_address || !d->address)
                continue;
            it.dev = d;
            it.addr = d->address;
        }
        if (!g_hash_table_contains(conts, GUINT_TO_POINTER(it.addr->bus + 1))) {
            g_array_append_val(loose, it);
            continue;
        }
        items = g_hash_table_lookup(by_bus, GUINT_TO_POINTER(it.addr->bus + 1));
        if (!items) {
            items = g_array_new(FALSE, FALSE, sizeof(Item));
            g_hash_table_insert(by_bus, GUINT_TO_POINTER(it.addr->bus + 1), items);
        }
        g_array_append_val(items, it);
    }

    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init(&iter, by_bus);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_array_sort(value, cmp_item);

    g_string_append_printf(out, "bus 00 %s\n",
                           root ? vk_pci_model_to_string(root->model) : "(no root)");
    format_bus(out, by_bus, conts, 0, "", done);

    if (loose->len) {
        g_string_append(out, "not attached\n");
        for (guint i = 0; i < loose->len; i++) {
            const Item *it = &g_array_index(loose, Item, i);
            g_free(vk_pci_tree_branch(out, "", i + 1 == loose->len));
            if (it->cont && !it->cont->has_address)
                g_string_append_printf(out, "%s index=%u (no address)\n",
                                       vk_pci_model_to_string(it->cont->model), it->cont->index);
            else
                describe(out, by_bus, it);
        }
    }
    return g_string_free(out, FALSE);
}
