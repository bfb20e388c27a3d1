/* PCI assignment against the reference corpus (tests/data/domain).  For each
 * NAME.xml with a NAME.expected.xml from libvirtd 9.0, take the expected
 * definition, forget every PCI address the input did not give and every PCI
 * controller the input did not have, assign again, and compare every address,
 * multifunction flag, PCI controller, model name and target attribute with
 * libvirtd's.  Starting from the expected document keeps the test about
 * assignment only (the defaults libvirt adds at define are common/conf's).
 * The PCI errors of invalid-*.xml are checked too.  A document we cannot
 * parse, or an invalid one we accept, fails. */
#include <string.h>

#include "common/conf/domain-pci-assign.h"
#include "common/util/error.h"
#include "corpus.h"

typedef struct {
    GPtrArray *infos;      /* VkDeviceInfo * in walk order */
    GPtrArray *kinds;      /* GINT kind */
} Devices;

static int
collect_dev(VkDomainDef *def, VkDomainDeviceKind kind, void *device, VkDeviceInfo *info, void *opaque)
{
    Devices *d = opaque;

    if (kind == VK_DEVICE_CONTROLLER && ((VkDomainControllerDef *) device)->type == VK_CONTROLLER_PCI)
        return 0;
    /* a console mirroring a serial port shows that port's address: no device of its own */
    if (kind == VK_DEVICE_CONSOLE && vk_domain_chr_is_serial_console(device))
        return 0;
    g_ptr_array_add(d->infos, info);
    g_ptr_array_add(d->kinds, GINT_TO_POINTER(kind));
    return 0;
}

static void
devices_of(VkDomainDef *def, Devices *d)
{
    d->infos = g_ptr_array_new();
    d->kinds = g_ptr_array_new();
    vk_domain_def_foreach_device(def, collect_dev, d);
}

static void
devices_clear(Devices *d)
{
    g_ptr_array_unref(d->infos);
    g_ptr_array_unref(d->kinds);
}

static char *
addr_key(const VkPciAddress *a)
{
    return vk_pci_address_format(a);
}

static char *
moved_key(VkDomainDeviceKind kind, const VkPciAddress *a)
{
    return g_strdup_printf("%d %x.%x", kind, a->slot, a->function);
}

/* Back to what the input said: addresses it did not give are forgotten.  A
 * given address libvirt's dry run moved onto a bus it added (a conventional
 * device on a missing bus of q35) is kept where libvirt moved it: the same
 * kind of device in the same slot and function. */
static void
strip(VkDomainDef *expected, VkDomainDef *input)
{
    g_autoptr(GHashTable) user = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) shown = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) moved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    Devices in, out;

    devices_of(input, &in);
    devices_of(expected, &out);
    for (guint i = 0; i < out.infos->len; i++) {
        VkDeviceInfo *info = g_ptr_array_index(out.infos, i);
        if (info->addr.type == VK_DEVICE_ADDRESS_PCI)
            g_hash_table_add(shown, addr_key(&info->addr.pci));
    }
    for (guint i = 0; i < in.infos->len; i++) {
        VkDeviceInfo *info = g_ptr_array_index(in.infos, i);
        if (!vk_device_info_pci_present(info))
            continue;
        g_autofree char *key = addr_key(&info->addr.pci);
        gpointer multi = GINT_TO_POINTER(info->addr.pci.multifunction + 1);
        if (g_hash_table_contains(shown, key))
            g_hash_table_insert(user, g_steal_pointer(&key), multi);
        else
            g_hash_table_insert(moved, moved_key(GPOINTER_TO_INT(g_ptr_array_index(in.kinds, i)),
                                                 &info->addr.pci), multi);
    }
    for (guint i = 0; i < out.infos->len; i++) {
        VkDeviceInfo *info = g_ptr_array_index(out.infos, i);
        g_autofree char *key = NULL;
        g_autofree char *mkey = NULL;
        g_autofree char *stolen = NULL;
        gpointer multi;
        if (info->addr.type != VK_DEVICE_ADDRESS_PCI)
            continue;
        key = addr_key(&info->addr.pci);
        mkey = moved_key(GPOINTER_TO_INT(g_ptr_array_index(out.kinds, i)), &info->addr.pci);
        if (g_hash_table_lookup_extended(user, key, NULL, &multi) ||
            g_hash_table_steal_extended(moved, mkey, (gpointer *) &stolen, &multi)) {
            info->addr.pci.multifunction = GPOINTER_TO_INT(multi) - 1;
        } else {
            info->addr.type = VK_DEVICE_ADDRESS_NONE;
            memset(&info->addr.pci, 0, sizeof(info->addr.pci));
        }
    }
    devices_clear(&in);
    devices_clear(&out);

    for (guint i = 0; i < expected->controllers->len;) {
        VkDomainControllerDef *c = g_ptr_array_index(expected->controllers, i);
        VkDomainControllerDef *orig;
        if (c->type != VK_CONTROLLER_PCI) {
            i++;
            continue;
        }
        orig = vk_domain_def_find_controller(input, VK_CONTROLLER_PCI, c->index);
        if (!orig) {
            g_ptr_array_remove_index(expected->controllers, i);
            continue;
        }
        c->info.addr = orig->info.addr;
        c->info.addr.usb.port = NULL;
        c->chassis = orig->chassis;
        c->chassis_nr = orig->chassis_nr;
        c->port = orig->port;
        c->bus_nr = orig->bus_nr;
        g_clear_pointer(&c->pci_model_name, g_free);
        c->pci_model_name = g_strdup(orig->pci_model_name);
        i++;
    }
}

static char *
describe_addr(const VkDeviceInfo *info)
{
    if (info->addr.type != VK_DEVICE_ADDRESS_PCI)
        return g_strdup("(no pci address)");
    return g_strdup_printf("%02x:%02x.%x multi=%d", info->addr.pci.bus, info->addr.pci.slot,
                           info->addr.pci.function, info->addr.pci.multifunction);
}

static gint
compare_lines(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static char *
describe_controllers(VkDomainDef *def)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    GString *s = g_string_new(NULL);

    /* by index: their order is the domain corpus's business, not assignment's */
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        g_autofree char *a = NULL;
        if (c->type != VK_CONTROLLER_PCI)
            continue;
        a = describe_addr(&c->info);
        g_ptr_array_add(lines, g_strdup_printf("  pci %3d %s name=%s chassis=%d port=%d "
                                               "chassisNr=%d busNr=%d %s\n",
                                               c->index,
                                               vk_pci_controller_model_to_string(c->pci_model),
                                               c->pci_model_name ? c->pci_model_name : "-",
                                               c->chassis, c->port, c->chassis_nr, c->bus_nr, a));
    }
    g_ptr_array_sort(lines, compare_lines);
    for (guint i = 0; i < lines->len; i++)
        g_string_append(s, g_ptr_array_index(lines, i));
    return g_string_free(s, FALSE);
}

/* NULL when they agree, else what differs */
static char *
compare(VkDomainDef *got, VkDomainDef *want)
{
    g_autofree char *cg = describe_controllers(got);
    g_autofree char *cw = describe_controllers(want);
    GString *diff = g_string_new(NULL);
    Devices dg, dw;

    if (!g_str_equal(cg, cw))
        g_string_append_printf(diff, "controllers:\n got:\n%s want:\n%s", cg, cw);
    devices_of(got, &dg);
    devices_of(want, &dw);
    g_assert_cmpuint(dg.infos->len, ==, dw.infos->len);
    for (guint i = 0; i < dg.infos->len; i++) {
        g_autofree char *a = describe_addr(g_ptr_array_index(dg.infos, i));
        g_autofree char *b = describe_addr(g_ptr_array_index(dw.infos, i));
        if (!g_str_equal(a, b))
            g_string_append_printf(diff, "device %u (kind %d): got %s, want %s\n", i,
                                   GPOINTER_TO_INT(g_ptr_array_index(dg.kinds, i)), a, b);
    }
    devices_clear(&dg);
    devices_clear(&dw);
    if (!diff->len) {
        g_string_free(diff, TRUE);
        return NULL;
    }
    return g_string_free(diff, FALSE);
}

static const char *
data_dir(void)
{
    static char *dir;

    if (!dir)
        dir = vk_test_corpus_dir("domain");
    return dir;
}

static void
test_case(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in_path = g_strdup_printf("%s/%s.xml", data_dir(), name);
    g_autofree char *exp_path = g_strdup_printf("%s/%s.expected.xml", data_dir(), name);
    g_autoptr(VkDomainDef) input = vk_domain_def_parse_file(in_path, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(VkDomainDef) want = vk_domain_def_parse_file(exp_path, VK_DOMAIN_PARSE_INACTIVE);
    g_autoptr(VkDomainDef) got = vk_domain_def_parse_file(exp_path, VK_DOMAIN_PARSE_INACTIVE);
    g_autofree char *diff = NULL;

    if (!input || !want || !got) {
        g_test_fail_printf("%s: refused by the parser: %s", name, vk_error_last_message());
        return;
    }
    strip(got, input);
    if (vk_domain_pci_assign(got, "/nonexistent-host-root") < 0)
        g_error("%s: assignment failed: %s", name, vk_error_last_message());
    diff = compare(got, want);
    if (diff) {
        g_autofree char *tree = vk_domain_pci_tree(got);
        g_test_message("%s\n%s", diff, tree);
        g_test_fail_printf("%s: PCI layout differs from libvirtd's", name);
    }
}

/* invalid-NAME.xml refused by libvirtd for a PCI reason: the same error,
 * word for word, from parsing (common/conf) or from assignment. */
static void
test_invalid(gconstpointer data)
{
    const char *name = data;
    g_autofree char *in_path = g_strdup_printf("%s/%s.xml", data_dir(), name);
    g_autofree char *err_path = g_strdup_printf("%s/%s.error", data_dir(), name);
    g_autofree char *err = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(VkDomainDef) def = NULL;

    g_assert_true(g_file_get_contents(err_path, &err, NULL, NULL));
    lines = g_strsplit(err, "\n", 3);
    if (!lines[0] || !lines[1] || !lines[2])
        g_error("%s.error: not code, domain and message, one a line", name);
    vk_error_reset();
    def = vk_domain_def_parse_file(in_path, VK_DOMAIN_PARSE_INACTIVE);
    if (def && vk_domain_def_apply_defaults(def, NULL) == 0 &&
        vk_domain_pci_assign(def, "/nonexistent-host-root") == 0) {
        g_test_fail_printf("%s: accepted, libvirtd says: %s", name, lines[2]);
        return;
    }
    g_assert_cmpint(vk_error_last_code(), ==, (int) g_ascii_strtoll(lines[0], NULL, 10));
    g_assert_cmpstr(vk_error_last_message(), ==, g_strstrip(lines[2]));
}

/* The invalid documents libvirtd refuses for a PCI reason. */
static const char *const pci_invalid_prefixes[] = {
    "invalid-pc-", "invalid-pci-", "invalid-q35-address-", "invalid-q35-overflow-",
};

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) names = NULL;

    g_test_init(&argc, &argv, NULL);
    for (gsize p = 0; p < G_N_ELEMENTS(pci_invalid_prefixes); p++) {
        g_autoptr(GPtrArray) invalid =
            vk_test_corpus_list(data_dir(), pci_invalid_prefixes[p], ".error", NULL);
        for (guint i = 0; i < invalid->len; i++) {
            char *inv = g_strdup(g_ptr_array_index(invalid, i));
            g_autofree char *path = g_strdup_printf("/pci/domain-corpus/%s", inv);
            g_test_add_data_func_full(path, inv, test_invalid, g_free);
        }
    }
    names = vk_test_corpus_list(data_dir(), NULL, ".expected.xml", NULL);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/pci/domain-corpus/%s", name);
        g_test_add_data_func(path, name, test_case);
    }
    return g_test_run();
}
