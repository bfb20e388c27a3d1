#include "common/pci/host-reset.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/pci/address.h"
#include "common/pci/host-device.h"
#include "common/util/error.h"
#include "common/util/file.h"

/* Config space (PCI 3.0, PCI PM 1.2, PCI-to-PCI bridge 1.2, PCIe 2.0,
 * Advanced Features ECN): the offsets libvirt's virpci.c uses. */
#define CONF_LEN 256
#define CFG_HEADER_TYPE 0x0e
#define HEADER_TYPE_MASK 0x7f
#define HEADER_TYPE_BRIDGE 1
#define HEADER_TYPE_LAST 3
#define CLASS_BRIDGE_PCI 0x0604
#define CFG_SECONDARY_BUS 0x19
#define CFG_SUBORDINATE_BUS 0x1a
#define CFG_BRIDGE_CONTROL 0x3e
#define BRIDGE_CTL_RESET 0x40
#define CAP_ID_PM 0x01
#define CAP_ID_EXP 0x10
#define CAP_ID_AF 0x13
#define EXP_DEVCAP 0x04
#define EXP_DEVCAP_FLR (1u << 28)
#define AF_CAP 0x03
#define AF_CAP_FLR 0x02
#define PM_CTRL 0x04
#define PM_CTRL_STATE_MASK 0x3
#define PM_CTRL_STATE_D0 0x0
#define PM_CTRL_STATE_D3HOT 0x3
#define PM_CTRL_NO_SOFT_RESET 0x8

typedef struct {
    char *name;
    VkPciAddress addr;
    char *path;        /* its config file */
    guint8 *cfg;       /* as read; zero filled to CONF_LEN */
    gsize len;         /* bytes the file had */
} Config;

static void
config_free(Config *c)
{
    g_free(c->name);
    g_free(c->path);
    g_free(c->cfg);
    g_free(c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Config, config_free)

/* REPORT: libvirt's virPCIDeviceConfigOpen, else the quiet ...OpenTry */
static Config *
config_read(const VkPciBinder *b, const char *name, bool report)
{
    g_autoptr(Config) c = g_new0(Config, 1);
    g_autofree char *data = NULL;

    c->name = g_strdup(name);
    c->path = vk_pci_binder_device_path(b, name, "config");
    if (vk_pci_address_parse(name, &c->addr) < 0)
        return NULL;
    if (access(c->path, R_OK) < 0 || !g_file_get_contents(c->path, &data, &c->len, NULL)) {
        if (report)
            vk_error_report_errno(VIR_FROM_NONE, errno ? errno : EIO,
                                  "Failed to open config space file '%s'", c->path);
        return NULL;
    }
    c->cfg = g_malloc0(MAX(c->len, CONF_LEN));
    memcpy(c->cfg, data, c->len);
    return g_steal_pointer(&c);
}

static guint16
rd16(const Config *c, unsigned int pos)
{
    return pos + 2 <= c->len ? c->cfg[pos] | c->cfg[pos + 1] << 8 : 0;
}

static guint32
rd32(const Config *c, unsigned int pos)
{
    return pos + 4 <= c->len ? rd16(c, pos) | (guint32) rd16(c, pos + 2) << 16 : 0;
}

/* libvirt ignores a failed register write (it warns); the restore of the
 * whole config space is what it checks */
static int
wr(const VkPciBinder *b, const Config *c, unsigned int pos, guint32 val, gsize len)
{
    guint8 buf[4] = { val, val >> 8, val >> 16, val >> 24 };

    if (vk_pci_binder_write(b, c->path, pos, buf, len) < 0) {
        g_warning("Failed to write to '%s' : %s", c->path, g_strerror(errno));
        return -1;
    }
    return 0;
}

int
vk_pci_host_header_type(const VkPciBinder *b, const char *name)
{
    g_autoptr(Config) c = config_read(b, name, true);
    int type;

    if (!c)
        return -1;
    type = c->cfg[CFG_HEADER_TYPE] & HEADER_TYPE_MASK;
    if (type >= HEADER_TYPE_LAST) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "Unknown PCI header type '%d' for device '%s'", type, name);
        return -1;
    }
    return type;
}

/* virPCIDeviceDetectFunctionLevelReset: PCIe FLR, AF FLR, or a VF (FLR is
 * required of those, advertised or not). */
static bool
has_flr(const VkPciBinder *b, const Config *c)
{
    unsigned int exp = vk_pci_config_find_capability(c->cfg, c->len, CAP_ID_EXP);
    unsigned int af = vk_pci_config_find_capability(c->cfg, c->len, CAP_ID_AF);
    g_autofree char *physfn = vk_pci_binder_device_path(b, c->name, "physfn");

    if (exp && (rd32(c, exp + EXP_DEVCAP) & EXP_DEVCAP_FLR))
        return true;
    if (af && (rd16(c, af + AF_CAP) & AF_CAP_FLR))
        return true;
    return g_file_test(physfn, G_FILE_TEST_EXISTS);
}

/* A reset saves the whole config space first (what it read) ... */
static int
config_saved(const Config *c)
{
    if (c->len < CONF_LEN) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "Failed to read PCI config space for %s", c->name);
        return -1;
    }
    return 0;
}

/* ... and writes it back after. */
static int
config_restore(const VkPciBinder *b, const Config *c)
{
    if (vk_pci_binder_write(b, c->path, 0, c->cfg, CONF_LEN) < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "Failed to restore PCI config space for %s", c->name);
        return -1;
    }
    return 0;
}

/* virPCIDeviceTryPowerManagementReset: D3hot, 10 ms, D0, 10 ms, then the
 * config space as it was. */
static int
pm_reset(const VkPciBinder *b, const Config *c, unsigned int pm)
{
    guint32 ctl = rd32(c, pm + PM_CTRL) & ~PM_CTRL_STATE_MASK;

    if (config_saved(c) < 0)
        return -1;
    wr(b, c, pm + PM_CTRL, ctl | PM_CTRL_STATE_D3HOT, 4);
    g_usleep(10 * 1000);
    wr(b, c, pm + PM_CTRL, ctl | PM_CTRL_STATE_D0, 4);
    g_usleep(10 * 1000);
    return config_restore(b, c);
}

/* virPCIDeviceSharesBusWithActive: another function on the bus that is not
 * detached-and-idle (libvirt's inactive list) would be reset too. */
static char *
active_on_bus(const VkPciBinder *b, const Config *c)
{
    g_autoptr(GPtrArray) names = vk_pci_host_device_names(b->root);

    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        VkPciAddress a;

        if (vk_pci_address_parse(n, &a) < 0) {
            vk_error_reset();
            continue;
        }
        if (a.domain != c->addr.domain || a.bus != c->addr.bus ||
            (a.slot == c->addr.slot && a.function == c->addr.function))
            continue;
        if (!vk_pci_binder_is_inactive(b, n))
            return g_strdup(n);
    }
    return NULL;
}

/* virPCIDeviceGetParent: the bridge whose secondary bus is C's, else the
 * narrowest whose range holds it (SR-IOV VFs may sit on buses of their own). */
static Config *
parent_bridge(const VkPciBinder *b, const Config *c)
{
    g_autoptr(GPtrArray) names = vk_pci_host_device_names(b->root);
    g_autoptr(Config) best = NULL;

    for (guint i = 0; i < names->len; i++) {
        g_autoptr(Config) p = config_read(b, g_ptr_array_index(names, i), false);
        g_autofree char *dir = NULL;
        unsigned int secondary, subordinate;

        if (!p) {
            vk_error_reset();
            continue;
        }
        dir = vk_pci_binder_device_path(b, p->name, NULL);
        if (p->addr.domain != c->addr.domain ||
            (vk_file_read_attr_number(dir, "class", 0) >> 8 & 0xffff) != CLASS_BRIDGE_PCI ||
            (p->cfg[CFG_HEADER_TYPE] & HEADER_TYPE_MASK) != HEADER_TYPE_BRIDGE)
            continue;
        secondary = p->cfg[CFG_SECONDARY_BUS];
        subordinate = p->cfg[CFG_SUBORDINATE_BUS];
        if (c->addr.bus == secondary)
            return g_steal_pointer(&p);
        if (c->addr.bus > secondary && c->addr.bus <= subordinate &&
            (!best || secondary > best->cfg[CFG_SECONDARY_BUS])) {
            config_free(g_steal_pointer(&best));
            best = g_steal_pointer(&p);
        }
    }
    return g_steal_pointer(&best);
}

/* virPCIDeviceTrySecondaryBusReset: the parent's bridge control reset bit
 * set for 200 ms, then 200 ms to settle, then C's config space restored. */
static int
bus_reset(const VkPciBinder *b, const Config *c)
{
    g_autofree char *conflict = active_on_bus(b, c);
    g_autoptr(Config) parent = NULL;
    guint16 ctl;

    if (conflict) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "Active %s devices on bus with %s, not doing bus reset", conflict,
                        c->name);
        return -1;
    }
    if (!(parent = parent_bridge(b, c))) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "Failed to find parent device for %s", c->name);
        return -1;
    }
    if (config_saved(c) < 0)
        return -1;
    ctl = rd16(parent, CFG_BRIDGE_CONTROL);
    wr(b, parent, CFG_BRIDGE_CONTROL, ctl | BRIDGE_CTL_RESET, 2);
    g_usleep(200 * 1000);
    wr(b, parent, CFG_BRIDGE_CONTROL, ctl, 2);
    g_usleep(200 * 1000);
    return config_restore(b, c);
}

/* The checks before a reset: endpoint, in no guest; 1 when there is nothing
 * to do because vfio-pci has the device (it resets it itself). */
static int
reset_checks(const VkPciBinder *b, const char *name)
{
    int type = vk_pci_host_header_type(b, name);
    g_autofree char *driver = NULL;

    if (type < 0)
        return -1;
    if (type != 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                        "Invalid attempt to reset PCI device %s. Only PCI endpoint devices can be reset",
                        name);
        return -1;
    }
    if (vk_pci_binder_user(b, name)) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "Not resetting active device %s",
                        name);
        return -1;
    }
    driver = vk_pci_binder_driver(b, name);
    return g_strcmp0(driver, "vfio-pci") == 0 ? 1 : 0;
}

int
vk_pci_host_reset(const VkPciBinder *b, const char *str)
{
    g_autofree char *name = vk_pci_binder_device_name(b, str);
    g_autoptr(Config) c = NULL;
    unsigned int pm;
    int rc = -1;
    int checks;

    if (!name || (checks = reset_checks(b, name)) < 0)
        return -1;
    if (checks == 1 || !(c = config_read(b, name, true)))
        return checks == 1 ? 0 : -1;
    /* KVM does an FLR when the guest starts and stops */
    if (has_flr(b, c))
        return 0;
    vk_error_reset();
    pm = vk_pci_config_find_capability(c->cfg, c->len, CAP_ID_PM);
    if (pm && !(rd32(c, pm + PM_CTRL) & PM_CTRL_NO_SOFT_RESET))
        rc = pm_reset(b, c, pm);
    /* no bus reset on the root bus */
    if (rc < 0 && c->addr.bus != 0)
        rc = bus_reset(b, c);
    if (rc < 0) {
        g_autofree char *why = g_strdup(vk_error_last() ? vk_error_last()->message
                                                        : "no FLR, PM reset or bus reset available");
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "Unable to reset PCI device %s: %s",
                        name, why);
    }
    return rc;
}
