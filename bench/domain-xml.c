/* Domain XML benchmark: what a define costs in common/conf and common/pci
 * (parse, defaults, PCI/USB assignment, format of the inactive XML) for a
 * small domain and for big ones, and whether that cost grows linearly with
 * the number of devices.
 *
 *   bench/domain-xml [--seconds S] [--dump NAME]
 *
 * Documents: "small-pc" (20 devices), "big-pc" (500 devices: pci-bridges
 * get added) and "big-q35" (230 PCIe devices, with the USB controller and
 * the balloon: one pcie-root-port each, close to the most q35 can take).
 * For each, the median time of one define over many iterations (about S
 * seconds per document, 1 by default). --dump NAME prints that document's
 * input and output XML instead. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/conf/domain.h"
#include "common/conf/domain-pci-assign.h"
#include "common/util/error.h"

typedef struct {
    const char *name;
    const char *machine;
    guint disks, nets;     /* virtio disks and interfaces */
    char *xml;
    guint devices;         /* devices in the output (controllers added included) */
    double median_us;
} Doc;

/* vda, vdb, ... vdz, vdaa, ... (libvirt's disk naming) */
static char *
disk_name(guint idx)
{
    char buf[16];
    int n = 0;
    char rev[16];

    idx++;
    while (idx > 0) {
        idx--;
        rev[n++] = 'a' + idx % 26;
        idx /= 26;
    }
    for (int i = 0; i < n; i++)
        buf[i] = rev[n - 1 - i];
    buf[n] = '\0';
    return g_strdup_printf("vd%s", buf);
}

static char *
build_xml(const Doc *d)
{
    GString *x = g_string_new(NULL);

    g_string_append_printf(x,
        "<domain type='kvm'>\n"
        "  <name>bench-%s</name>\n"
        "  <uuid>c0a9c0a9-0000-4000-8000-0000000b0000</uuid>\n"
        "  <memory unit='GiB'>4</memory>\n"
        "  <vcpu>4</vcpu>\n"
        "  <os><type arch='x86_64' machine='%s'>hvm</type></os>\n"
        "  <features><acpi/><apic/></features>\n"
        "  <devices>\n", d->name, d->machine);
    for (guint i = 0; i < d->disks; i++) {
        g_autofree char *dev = disk_name(i);
        g_string_append_printf(x,
            "    <disk type='file' device='disk'>\n"
            "      <driver name='qemu' type='qcow2'/>\n"
            "      <source file='/var/lib/libvirt/images/bench-%u.qcow2'/>\n"
            "      <target dev='%s' bus='virtio'/>\n"
            "    </disk>\n", i, dev);
    }
    for (guint i = 0; i < d->nets; i++) {
        g_string_append_printf(x,
            "    <interface type='network'>\n"
            "      <mac address='52:54:00:%02x:%02x:%02x'/>\n"
            "      <source network='default'/>\n"
            "      <model type='virtio'/>\n"
            "    </interface>\n", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
    }
    g_string_append(x,
        "    <input type='tablet' bus='usb'/>\n"
        "    <graphics type='vnc' port='-1'/>\n"
        "  </devices>\n"
        "</domain>\n");
    return g_string_free(x, FALSE);
}

static gint64
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
count_dev(VkDomainDef *def G_GNUC_UNUSED, VkDomainDeviceKind kind G_GNUC_UNUSED,
          void *device G_GNUC_UNUSED, VkDeviceInfo *info G_GNUC_UNUSED, void *opaque)
{
    (*(guint *) opaque)++;
    return 0;
}

/* One define; the output XML, or NULL with the error printed. */
static char *
define_once(const Doc *d, guint *devices)
{
    g_autoptr(VkDomainDef) def = vk_domain_def_parse_string(d->xml, VK_DOMAIN_PARSE_INACTIVE);

    if (!def || vk_domain_def_apply_defaults(def, NULL) < 0 || vk_domain_pci_assign(def, NULL) < 0) {
        fprintf(stderr, "%s: refused: %s\n", d->name, vk_error_last_message());
        return NULL;
    }
    if (devices) {
        *devices = 0;
        vk_domain_def_foreach_device(def, count_dev, devices);
    }
    return vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE);
}

static gint
cmp_double(gconstpointer a, gconstpointer b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return x < y ? -1 : x > y;
}

static int
measure(Doc *d, double seconds)
{
    g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(double));
    gint64 end;
    g_autofree char *first = define_once(d, &d->devices);

    if (!first)
        return -1;
    /* warm up, then sample until the time is spent (at least 20 runs) */
    g_free(define_once(d, NULL));
    end = now_ns() + (gint64) (seconds * 1e9);
    while (samples->len < 20 || now_ns() < end) {
        gint64 t0 = now_ns();
        char *out = define_once(d, NULL);
        double us = (double) (now_ns() - t0) / 1000.0;
        if (!out)
            return -1;
        g_free(out);
        g_array_append_val(samples, us);
    }
    g_array_sort(samples, cmp_double);
    d->median_us = g_array_index(samples, double, samples->len / 2);
    fflush(stderr);
    printf("%-9s %4u devices  %6u runs  median %9.1f us/define  %6.2f us/device\n", d->name,
           d->devices, samples->len, d->median_us, d->median_us / d->devices);
    return 0;
}

int
main(int argc, char **argv)
{
    Doc docs[] = {
        { .name = "small-pc", .machine = "pc", .disks = 10, .nets = 10 },
        { .name = "big-pc", .machine = "pc", .disks = 250, .nets = 250 },
        { .name = "big-q35", .machine = "q35", .disks = 114, .nets = 114 },
    };
    double seconds = 1.0;
    const char *dump = NULL;
    int ret = 0;

    for (int i = 1; i < argc; i++) {
        if (g_str_equal(argv[i], "--seconds") && i + 1 < argc)
            seconds = g_ascii_strtod(argv[++i], NULL);
        else if (g_str_equal(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--seconds S] [--dump small-pc|big-pc|big-q35]\n", argv[0]);
            return 2;
        }
    }
    for (gsize i = 0; i < G_N_ELEMENTS(docs); i++)
        docs[i].xml = build_xml(&docs[i]);

    if (dump) {
        for (gsize i = 0; i < G_N_ELEMENTS(docs); i++) {
            if (g_str_equal(docs[i].name, dump)) {
                g_autofree char *out = define_once(&docs[i], NULL);
                printf("%s\n%s", docs[i].xml, out ? out : "");
                return out ? 0 : 1;
            }
        }
        fprintf(stderr, "no document %s\n", dump);
        return 2;
    }

    printf("define = parse + defaults + PCI/USB assignment + format (inactive XML)\n");
    for (gsize i = 0; i < G_N_ELEMENTS(docs); i++) {
        if (measure(&docs[i], seconds) < 0)
            ret = 1;
    }
    if (ret)
        return ret;
    Doc *small = &docs[0];
    for (gsize i = 1; i < G_N_ELEMENTS(docs); i++) {
        Doc *big = &docs[i];
        double per_small = small->median_us / small->devices;
        double per_big = big->median_us / big->devices;
        double growth = per_big / per_small;
        printf("%s / %s: %.1fx the time for %.1fx the devices; time per device %.2fx -> %s\n",
               big->name, small->name, big->median_us / small->median_us,
               (double) big->devices / small->devices, growth,
               growth <= 2.0 ? "linear (within 2x per device)" : "NOT linear (over 2x per device)");
    }
    for (gsize i = 0; i < G_N_ELEMENTS(docs); i++)
        g_free(docs[i].xml);
    return ret;
}
