/* Who chose each PCI address, against the reference corpus
 * (tests/data/domain): each NAME.xml goes through the define path (what the
 * user gave recorded, defaults, assignment), is saved as our own files are
 * and read back, as a restarted daemon reads it; then every PCI item must
 * come out as the input says: an address the input gave is the user's, one
 * it did not give assigned, a PCI controller it did not have added.  The
 * record never shows in the XML clients see.  A redefine of that XML (what
 * virt-xml --edit does) keeps every item's provenance. */
#include <string.h>

#include "common/conf/domain-device.h"
#include "common/conf/domain-pci-assign.h"
#include "common/conf/domain-pci-given.h"
#include "common/util/error.h"
#include "corpus.h"

static char *corpus_dir;   /* set once, in main() */

/* The define path of the QEMU driver (drivers/qemu/core/domain-prepare.c)
 * for DEF, replacing PREVIOUS (NULL: a new domain). */
static int
define_def(VkDomainDef *def, VkDomainDef *previous)
{
    if (vk_domain_def_apply_defaults(def, NULL) < 0 || vk_domain_pci_given_assign(def, NULL) < 0)
        return -1;
    vk_domain_pci_given_carry(def, previous);
    return 0;
}

/* DEF saved as the driver saves it and read back; checks that the record
 * is in the saved file and nowhere in what clients see. */
static VkDomainDef *
save_and_reload(const VkDomainDef *def)
{
    g_autofree char *saved = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE |
                                                          VK_DOMAIN_FORMAT_SECURE |
                                                          VK_DOMAIN_FORMAT_PRIVATE);
    g_autofree char *shown = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
    g_autofree char *shown_again = NULL;
    g_autofree char *reread = NULL;
    g_autoptr(VkDomainDef) shown_back = NULL;
    VkDomainDef *back;

    g_assert_nonnull(strstr(saved, VK_DOMAIN_PCI_GIVEN_NS));
    g_assert_null(strstr(shown, VK_DOMAIN_PCI_GIVEN_NS));
    g_assert_null(strstr(shown, "pci-given"));
    back = vk_domain_def_parse_string(saved, VK_DOMAIN_PARSE_INACTIVE);
    g_assert_nonnull(back);
    g_assert_nonnull(back->pci_given);
    /* the same as the XML without it, read again (which sorts the
     * controllers) */
    shown_back = vk_domain_def_parse_string(shown, VK_DOMAIN_PARSE_INACTIVE);
    g_assert_nonnull(shown_back);
    g_assert_null(shown_back->pci_given);
    reread = vk_domain_def_format(shown_back, VK_DOMAIN_FORMAT_INACTIVE);
    shown_again = vk_domain_def_format(back, VK_DOMAIN_FORMAT_INACTIVE);
    g_assert_cmpstr(shown_again, ==, reread);
    return back;
}

/* libvirt's rule: an address all zero but the function asks for one */
static bool
address_given(const VkDeviceInfo *info)
{
    return info->addr.type == VK_DEVICE_ADDRESS_PCI && !vk_pci_address_is_empty(&info->addr.pci);
}

/* The infos of the devices (not PCI controllers) whose address the user
 * gave. */
static int
add_given(VkDomainDef *def, VkDomainDeviceKind kind, void *device, VkDeviceInfo *info, void *opaque)
{
    bool pci_controller = kind == VK_DEVICE_CONTROLLER &&
                          ((VkDomainControllerDef *) device)->type == VK_CONTROLLER_PCI;

    if (!pci_controller && address_given(info))
        g_ptr_array_add(opaque, info);
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

/* DEF's PCI controller whose info is INFO, NULL when it is a device. */
static const VkDomainControllerDef *
pci_controller_of(const VkDomainDef *def, const VkDeviceInfo *info)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        const VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (&c->info == info && c->type == VK_CONTROLLER_PCI)
            return c;
    }
    return NULL;
}

/* The origin INPUT says an item of the defined domain has. */
static int
expected_origin(const VkDomainDef *input, GHashTable *given, const VkDomainControllerDef *cont,
                const VkDeviceInfo *info)
{
    g_autofree char *key = vk_pci_address_format(&info->addr.pci);
    const VkDomainControllerDef *in;

    if (!cont)
        return g_hash_table_contains(given, key) ? VK_PCI_ORIGIN_USER : VK_PCI_ORIGIN_ASSIGNED;
    if (!(in = vk_domain_def_find_controller((VkDomainDef *) input, VK_CONTROLLER_PCI, cont->index)))
        return VK_PCI_ORIGIN_ADDED;
    return address_given(&in->info) ? VK_PCI_ORIGIN_USER : VK_PCI_ORIGIN_ASSIGNED;
}

/* Each PCI item of DEF ("controller N" or its address) to its origin. */
static GHashTable *
origins_by_key(VkDomainDef *def)
{
    g_autoptr(GHashTable) origins = vk_domain_pci_origins(def);
    GHashTable *keyed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init(&iter, origins);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const VkDomainControllerDef *cont = pci_controller_of(def, key);
        char *k = cont ? g_strdup_printf("controller %d", cont->index)
                       : vk_pci_address_format(&((VkDeviceInfo *) key)->addr.pci);
        g_hash_table_insert(keyed, k, value);
    }
    return keyed;
}

/* Fails the test when the two differ, naming the first item that does. */
static void
check_same_origins(const char *name, VkDomainDef *first, VkDomainDef *again)
{
    g_autoptr(GHashTable) want = origins_by_key(first);
    g_autoptr(GHashTable) got = origins_by_key(again);
    GHashTableIter iter;
    gpointer key, value;

    g_assert_cmpuint(g_hash_table_size(got), ==, g_hash_table_size(want));
    g_hash_table_iter_init(&iter, want);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        int o = GPOINTER_TO_INT(g_hash_table_lookup(got, key));
        if (o != GPOINTER_TO_INT(value)) {
            g_autofree char *tree = vk_domain_pci_tree(again);
            g_test_fail_printf("%s redefined: %s is %s, was %s:\n%s", name, (char *) key,
                               origin_name(o), origin_name(GPOINTER_TO_INT(value)), tree);
            return;
        }
    }
}

static void
test_case(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in_path = g_strdup_printf("%s/%s.xml", corpus_dir, name);
    g_autoptr(VkDomainDef) input = vk_domain_def_parse_file(in_path, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(VkDomainDef) defined = vk_domain_def_parse_file(in_path, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(VkDomainDef) saved = NULL;
    g_autoptr(VkDomainDef) redefined = NULL;
    g_autoptr(GPtrArray) given_infos = g_ptr_array_new();
    g_autoptr(GHashTable) given = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) origins = NULL;
    g_autofree char *shown = NULL;
    GHashTableIter iter;
    gpointer key, value;
    guint counts[VK_PCI_ORIGIN_ADDED + 1] = { 0 };

    g_assert_nonnull(input);
    g_assert_nonnull(defined);
    vk_domain_def_foreach_device(defined, add_given, given_infos);
    if (define_def(defined, NULL) < 0) {
        /* the domain corpus test says whether it should have been */
        g_test_skip_printf("not defined: %s", vk_error_last_message());
        vk_error_reset();
        return;
    }
    /* where the devices with a given address ended (libvirt may move one) */
    for (guint i = 0; i < given_infos->len; i++)
        g_hash_table_add(given, vk_pci_address_format(
                                    &((VkDeviceInfo *) g_ptr_array_index(given_infos, i))->addr.pci));
    saved = save_and_reload(defined);
    origins = vk_domain_pci_origins(saved);

    g_hash_table_iter_init(&iter, origins);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const VkDomainControllerDef *cont = pci_controller_of(saved, key);
        int want = expected_origin(input, given, cont, key);
        int got = GPOINTER_TO_INT(value);

        if (cont && cont->index == 0)
            continue;   /* the root bus is the machine's (the defaults add it) */
        if (got != want) {
            g_autofree char *a = vk_pci_address_format(&((VkDeviceInfo *) key)->addr.pci);
            g_autofree char *tree = vk_domain_pci_tree(saved);
            g_test_fail_printf("%s: %s%s at %s is %s, the input says %s:\n%s", name,
                               cont ? "controller " : "item",
                               cont ? vk_pci_controller_model_to_string(cont->pci_model) : "", a,
                               origin_name(got), origin_name(want), tree);
            return;
        }
        counts[got]++;
    }
    g_test_message("%s: %u user, %u assigned, %u added", name, counts[VK_PCI_ORIGIN_USER],
                   counts[VK_PCI_ORIGIN_ASSIGNED], counts[VK_PCI_ORIGIN_ADDED]);

    /* virt-xml --edit: the XML as shown, every address in it, defined again */
    shown = vk_domain_def_format(saved, VK_DOMAIN_FORMAT_INACTIVE);
    redefined = vk_domain_def_parse_string(shown, VK_DOMAIN_PARSE_INACTIVE);
    g_assert_nonnull(redefined);
    g_assert_cmpint(define_def(redefined, saved), ==, 0);
    check_same_origins(name, saved, redefined);
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

/* A client's own <metadata> elements stay as they were beside ours, and
 * ours is asked for as virDomainGetMetadata() returns an element. */
static void
test_client_metadata_kept(void)
{
    static const char xml[] =
        "<domain type='kvm'><name>t</name><memory>65536</memory>"
        "<metadata><app:note xmlns:app='https://example.org/app'>"
        "<app:owner>ops</app:owner></app:note></metadata>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        "<interface type='user'><model type='e1000'/>"
        "<address type='pci' domain='0' bus='0' slot='9' function='0'/></interface>"
        "</devices></domain>";
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(VkDomainDef) back = NULL;
    g_autoptr(VkDomainPciGiven) asked = NULL;
    g_autofree char *element = NULL;
    g_autofree char *shown = NULL;

    g_assert_nonnull(def);
    g_assert_cmpint(define_def(def, NULL), ==, 0);
    back = save_and_reload(def);
    g_assert_cmpstr(back->metadata, ==, def->metadata);
    shown = vk_domain_def_format(back, VK_DOMAIN_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(shown, "<app:owner>ops</app:owner>"));
    element = vk_domain_pci_given_format(back->pci_given, NULL, 0);
    g_assert_nonnull(strstr(element, "<device address='0000:00:09.0'/>"));
    g_assert_null(strstr(element, "xmlns"));
    asked = vk_domain_pci_given_parse_string(element);
    g_assert_nonnull(asked);
    g_assert_cmpuint(asked->devices->len, ==, 1);
    g_assert_cmpuint(asked->controllers->len, ==, 1);   /* the root the defaults add */
}

/* A redefine that moves an address: the moved item is the user's, what was
 * assigned and given back unchanged stays assigned. */
static void
test_redefine_moves_one(void)
{
    static const char xml[] =
        "<domain type='kvm'><name>t</name><memory>65536</memory>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        "<interface type='user'><model type='e1000'/></interface>"
        "<interface type='user'><model type='rtl8139'/></interface>"
        "<memballoon model='none'/></devices></domain>";
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(VkDomainDef) again = NULL;
    g_autofree char *shown = NULL;
    g_autofree char *moved = NULL;
    g_autofree char *tree = NULL;
    g_auto(GStrv) parts = NULL;

    g_assert_nonnull(def);
    g_assert_cmpint(define_def(def, NULL), ==, 0);
    shown = vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(shown, "slot='0x03'"));
    parts = g_strsplit(shown, "slot='0x03'", -1);
    moved = g_strjoinv("slot='0x11'", parts);
    again = vk_domain_def_parse_string(moved, VK_DOMAIN_PARSE_INACTIVE);
    g_assert_nonnull(again);
    g_assert_cmpint(define_def(again, def), ==, 0);
    tree = vk_domain_pci_tree(again);
    g_test_message("\n%s", tree);
    g_assert_nonnull(strstr(tree, "00:02.0 interface e1000 [assigned]"));
    g_assert_nonnull(strstr(tree, "00:11.0 interface rtl8139 [user]"));
}

/* attach-device --config: an address given is the user's, one chosen is
 * assigned; detach-device forgets the address. */
static void
test_attach_and_detach(void)
{
    static const char xml[] =
        "<domain type='kvm'><name>t</name><memory>65536</memory>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        "<memballoon model='none'/></devices></domain>";
    static const char given[] =
        "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='e1000'/>"
        "<address type='pci' domain='0' bus='0' slot='9' function='0'/></interface>";
    static const char chosen[] =
        "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='e1000'/>"
        "</interface>";
    const VkPciAddress nine = { .slot = 9 };
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(VkDomainDeviceDef) dev1 = NULL;
    g_autoptr(VkDomainDeviceDef) dev2 = NULL;
    g_autoptr(VkDomainDeviceDef) gone = NULL;
    g_autofree char *tree = NULL;

    g_assert_nonnull(def);
    g_assert_cmpint(define_def(def, NULL), ==, 0);
    dev1 = vk_domain_device_def_parse(given, def, VK_DOMAIN_PARSE_INACTIVE);
    dev2 = vk_domain_device_def_parse(chosen, def, VK_DOMAIN_PARSE_INACTIVE);
    g_assert_cmpint(vk_domain_def_attach_device(def, dev1, NULL), ==, 0);
    g_assert_cmpint(vk_domain_def_attach_device(def, dev2, NULL), ==, 0);
    tree = vk_domain_pci_tree(def);
    g_test_message("\n%s", tree);
    g_assert_nonnull(strstr(tree, "00:09.0 interface e1000 [user]"));
    g_assert_nonnull(strstr(tree, "00:02.0 interface e1000 [assigned]"));
    g_assert_nonnull(vk_domain_pci_given_device(def->pci_given, &nine));
    gone = vk_domain_device_def_parse(given, def, VK_DOMAIN_PARSE_INACTIVE);
    g_assert_cmpint(vk_domain_def_detach_device(def, gone), ==, 0);
    g_assert_null(vk_domain_pci_given_device(def->pci_given, &nine));
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) names = NULL;

    g_test_init(&argc, &argv, NULL);
    corpus_dir = vk_test_corpus_dir("domain");
    g_test_add_func("/pci/provenance/tree", test_tree_says_why);
    g_test_add_func("/pci/provenance/client-metadata", test_client_metadata_kept);
    g_test_add_func("/pci/provenance/redefine-moves-one", test_redefine_moves_one);
    g_test_add_func("/pci/provenance/attach-detach", test_attach_and_detach);
    names = vk_test_corpus_list(corpus_dir, NULL, ".expected.xml", NULL);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/pci/provenance/corpus/%s", name);
        g_test_add_data_func(path, name, test_case);
    }
    return g_test_run();
}
