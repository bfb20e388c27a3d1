/* Host PCI devices of this machine compared with what lspci says
 * (`lspci -n -k -D`: address, class, vendor:device, driver in use).
 * Skipped when lspci (pciutils) is missing or the host has no PCI bus. */
#include <stdio.h>
#include <string.h>

#include "common/pci/host-device.h"
#include "common/util/error.h"

typedef struct {
    unsigned int class_code;   /* class << 8 | subclass */
    int prog_if;               /* -1 when lspci shows none */
    unsigned int vendor;
    unsigned int device;
    char *driver;
} LspciEntry;

static void
entry_free(gpointer p)
{
    LspciEntry *e = p;
    g_free(e->driver);
    g_free(e);
}

/* address -> LspciEntry */
static GHashTable *
run_lspci(void)
{
    g_autofree char *out = NULL;
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) lines = NULL;
    const char *argv[] = { "lspci", "-n", "-k", "-D", NULL };
    GHashTable *table;
    LspciEntry *cur = NULL;
    int status;

    if (!g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &out, NULL, &status, &err) ||
        !g_spawn_check_wait_status(status, NULL))
        return NULL;

    table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
    lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        char addr[32];
        unsigned int cls, ven, dev;
        const char *p;

        if (sscanf(*l, "%31s %x: %x:%x", addr, &cls, &ven, &dev) == 4 && **l != '\t') {
            cur = g_new0(LspciEntry, 1);
            cur->class_code = cls;
            cur->vendor = ven;
            cur->device = dev;
            cur->prog_if = -1;
            if ((p = strstr(*l, "(prog-if ")))
                cur->prog_if = (int) g_ascii_strtoull(p + 9, NULL, 16);
            g_hash_table_insert(table, g_strdup(addr), cur);
        } else if (cur && (p = strstr(*l, "Kernel driver in use: "))) {
            cur->driver = g_strdup(g_strstrip(*l + (p - *l) + strlen("Kernel driver in use: ")));
        }
    }
    return table;
}

static void
test_matches_lspci(void)
{
    g_autoptr(GHashTable) lspci = NULL;
    g_autoptr(GPtrArray) list = NULL;

    if (!g_file_test("/sys/bus/pci/devices", G_FILE_TEST_IS_DIR)) {
        g_test_skip("no /sys/bus/pci on this host");
        return;
    }
    if (!(lspci = run_lspci())) {
        g_test_skip("lspci (pciutils) is not installed");
        return;
    }
    list = vk_pci_host_device_list(NULL);
    g_assert_nonnull(list);
    g_assert_cmpuint(list->len, ==, g_hash_table_size(lspci));

    for (guint i = 0; i < list->len; i++) {
        const VkPciHostDevice *d = g_ptr_array_index(list, i);
        LspciEntry *e = g_hash_table_lookup(lspci, d->name);

        g_test_message("%s %06x %04x:%04x %s", d->name, d->class_code, d->vendor, d->device,
                       d->driver ? d->driver : "-");
        g_assert_nonnull(e);
        g_assert_cmphex(d->vendor, ==, e->vendor);
        g_assert_cmphex(d->device, ==, e->device);
        g_assert_cmphex(d->class_code >> 8, ==, e->class_code);
        if (e->prog_if >= 0)
            g_assert_cmphex(d->class_code & 0xff, ==, e->prog_if);
        g_assert_cmpstr(d->driver, ==, e->driver);
        if (i > 0)
            g_assert_cmpint(vk_pci_address_compare(
                &((VkPciHostDevice *) g_ptr_array_index(list, i - 1))->address, &d->address), <, 0);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/host-real/matches-lspci", test_matches_lspci);
    return g_test_run();
}
