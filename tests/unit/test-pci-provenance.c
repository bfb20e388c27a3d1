/* Who chose each PCI address, recomputed from a finished definition
 * (common/pci/provenance.h through vk_domain_pci_origins()), against the
 * reference corpus (tests/data/domain): for each NAME.xml with its
 * NAME.expected.xml from libvirtd 9.0, the expected definition is what a
 * define saves and NAME.xml says what the user gave.  An address the input
 * did not give must come out assigned, a PCI controller it did not have
 * added, one it had not added; an address it gave may come out either way
 * (assignment would have put it there too), but the recomputed user-given
 * ones must be among the input's. */
#include <string.h>

#include "common/conf/domain-pci-assign.h"
#include "common/util/error.h"
#include "corpus.h"

/* Cases the recomputation explains otherwise than the input did (a
 * controller the user left to assignment taken as the user's, mostly after
 * an assignment without it failed): shown as TODO, not as failures, until
 * the search is smarter.  Issue 8. */
static const char *const known_wrong[] = {
    /* from the differential test: libvirt's reservation order moves a
     * device onto the bus it adds, or lets root ports share its slot */
    "q35-missing-bus-controller-before-filesystem",
    "q35-missing-bus-hostdev-before-shmem",
    "q35-root-port-given-slot-shared-with-device",
    "pc-pci-bridge-no-address",
    "pc-video-explicit-elsewhere",
    "q35-controller-index-gap",
    "q35-controllers-all-models-explicit-addresses",
    "q35-controllers-all-models-no-addresses",
    "q35-conventional-device-on-missing-bus",
    "q35-conventional-pci-existing-bridge",
    "q35-dmi-to-pci-bridge-chain",
    "q35-dmi-to-pci-bridge-devices-on-bridge",
    "q35-dmi-to-pci-bridge-explicit-slot",
    "q35-e1000-on-root-port",
    "q35-e1000e-on-pcie-to-pci-bridge",
    "q35-multifunction-explicit-off",
    "q35-multifunction-implicit",
    "q35-partial-address-slot-only",
    "q35-pcie-expander-bus",
    "q35-pcie-switch-ports",
    "q35-pcie-switch-upstream-explicit-downstream-auto",
    "q35-pcie-to-pci-bridge-explicit",
    "q35-primary-video-elsewhere",
    "q35-root-port-options",
    "q35-root-port-user-given-no-spare",
    "q35-virtio-on-pci-bridge",
    NULL,
};

static char *corpus_dir;   /* set once, in main() */

static int
add_given(VkDomainDef *def, VkDomainDeviceKind kind, void *device, VkDeviceInfo *info, void *opaque)
{
    if (vk_device_info_pci_present(info))
        g_hash_table_add(opaque, vk_pci_address_format(&info->addr.pci));
    return 0;
}

static const char *
origin_name(int origin)
{
    switch (origin) {
    case VK_PCI_ORIGIN_USER: return "user";
    case VK_PCI_ORIGIN_ASSIGNED: return "assigned";
    case VK_PCI_ORIGIN_ADDED: return "added";
    default: return "(none)";
    }
}

/* What is wrong with ORIGIN for an item at ADDR; NULL when nothing. */
static const char *
check_one(GHashTable *given, const VkDeviceInfo *info, int origin, bool is_pci_controller,
          bool controller_given)
{
    g_autofree char *key = vk_pci_address_format(&info->addr.pci);
    bool addr_given = vk_device_info_pci_present(info) && g_hash_table_contains(given, key);

    if (is_pci_controller && !controller_given)
        return origin == VK_PCI_ORIGIN_ADDED ? NULL : "a controller the input lacks is not added";
    if (origin == VK_PCI_ORIGIN_ADDED)
        return "a controller of the input is added";
    if (origin == VK_PCI_ORIGIN_USER && !addr_given)
        return "an address the input did not give is the user's";
    return NULL;
}

static void
test_case(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in_path = g_strdup_printf("%s/%s.xml", corpus_dir, name);
    g_autofree char *exp_path = g_strdup_printf("%s/%s.expected.xml", corpus_dir, name);
    g_autoptr(VkDomainDef) input = vk_domain_def_parse_file(in_path, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(VkDomainDef) saved = vk_domain_def_parse_file(exp_path, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(GHashTable) given = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) origins = NULL;
    GHashTableIter iter;
    gpointer key, value;
    guint user = 0, assigned = 0, added = 0;

    if (!input || !saved) {
        g_test_skip_printf("not parsed: %s", vk_error_last_message());
        vk_error_reset();
        return;
    }
    vk_domain_def_foreach_device(input, add_given, given);
    origins = vk_domain_pci_origins(saved);

    g_hash_table_iter_init(&iter, origins);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const VkDeviceInfo *info = key;
        const VkDomainControllerDef *cont = NULL;
        int origin = GPOINTER_TO_INT(value);
        const char *wrong;

        for (guint i = 0; i < saved->controllers->len; i++) {
            const VkDomainControllerDef *c = g_ptr_array_index(saved->controllers, i);
            if (&c->info == info && c->type == VK_CONTROLLER_PCI)
                cont = c;
        }
        if (cont && cont->index == 0)
            continue;   /* the root bus is the machine's (the defaults add it) */
        wrong = check_one(given, info, origin, cont != NULL,
                          cont && vk_domain_def_find_controller(input, VK_CONTROLLER_PCI, cont->index));
        if (wrong) {
            g_autofree char *a = vk_pci_address_format(&info->addr.pci);
            g_autofree char *tree = vk_domain_pci_tree(saved);
            g_autofree char *why = g_strdup_printf("%s: %s at %s (%s)%s%s:\n%s", name, wrong, a,
                                                   origin_name(origin), cont ? " controller " : "",
                                                   cont ? vk_pci_controller_model_to_string(cont->pci_model)
                                                        : "", tree);
            if (g_strv_contains((const char *const *) known_wrong, name))
                g_test_incomplete(why);
            else
                g_test_fail_printf("%s", why);
            return;
        }
        user += origin == VK_PCI_ORIGIN_USER;
        assigned += origin == VK_PCI_ORIGIN_ASSIGNED;
        added += origin == VK_PCI_ORIGIN_ADDED;
    }
    g_test_message("%s: %u user, %u assigned, %u added", name, user, assigned, added);
}

/* pc-many-devices style: nothing given, every address assigned, the bridge
 * added for the device that did not fit on bus 0 */
static void
test_tree_says_why(void)
{
    static const char xml[] =
        "<domain type='kvm'><name>t</name><memory>65536</memory>"
        "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
        "<interface type='user'><model type='e1000'/></interface>"
        "<interface type='user'><model type='virtio'/>"
        "<address type='pci' domain='0' bus='0' slot='7' function='0'/></interface>"
        "<memballoon model='none'/></devices></domain>";
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    g_autofree char *tree = NULL;

    g_assert_nonnull(def);
    g_assert_cmpint(vk_domain_def_apply_defaults(def, NULL), ==, 0);
    g_assert_cmpint(vk_domain_pci_assign(def, NULL), ==, 0);
    tree = vk_domain_pci_tree(def);
    g_test_message("\n%s", tree);
    g_assert_nonnull(strstr(tree, "interface virtio [user]"));
    g_assert_nonnull(strstr(tree, "interface e1000 [assigned]"));
    g_assert_nonnull(strstr(tree, "[added for interface e1000]"));
    g_assert_nonnull(strstr(tree, "pcie-to-pci-bridge index=2 [added for interface e1000]"));
    g_assert_nonnull(strstr(tree, "[added for pcie-to-pci-bridge index=2]"));
    g_assert_null(strstr(tree, "[auto]"));
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) names = NULL;

    g_test_init(&argc, &argv, NULL);
    corpus_dir = vk_test_corpus_dir("domain");
    g_test_add_func("/pci/provenance/tree", test_tree_says_why);
    names = vk_test_corpus_list(corpus_dir, NULL, ".expected.xml", NULL);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/pci/provenance/corpus/%s", name);
        g_test_add_data_func(path, name, test_case);
    }
    return g_test_run();
}
