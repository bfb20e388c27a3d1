/* The QEMU command line for a domain definition (see command-line.h).
 *
 * The arguments come in the order libvirt 9.0 emits them; within a JSON
 * value the properties come in libvirt's order too, so that our argv can be
 * compared with libvirt's word for word. */
#include "drivers/qemu/monitor/command-line.h"

#include <stdarg.h>
#include <string.h>

#include "common/conf/domain-iothreads.h"
#include "common/util/error.h"

#define DEFAULT_EMULATOR "/usr/bin/qemu-system-x86_64"

typedef struct {
    const VkDomainDef *def;
    const VkQemuCommandOptions *opts;
    VkQemuCommand *cmd;
    bool q35;
    GHashTable *boot;        /* VkDeviceInfo* -> bootindex */
    GHashTable *usb;         /* VkDeviceInfo* -> "bus:port" when we assigned it */
    const char *audio_id;    /* "audio1": the audiodev devices refer to */
} Ctx;

static int G_GNUC_PRINTF(1, 2)
unsupported(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s", msg);
    return -1;
}

/* ---------------------------------------------------------------------------
 * Small writers
 * ------------------------------------------------------------------------- */

void
vk_qemu_escape_comma_append(GString *buf, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(buf, ',');
        g_string_append_c(buf, *p);
    }
}

static void
add(Ctx *c, const char *arg)
{
    g_ptr_array_add(c->cmd->argv, g_strdup(arg));
}

static void
add2(Ctx *c, const char *opt, char *value)
{
    add(c, opt);
    g_ptr_array_add(c->cmd->argv, value);
}

static void
add2s(Ctx *c, const char *opt, const char *value)
{
    add(c, opt);
    add(c, value);
}

/* JSON objects, built as text: keys are emitted in the order they are added. */
static void
json_string(GString *o, const char *s)
{
    g_string_append_c(o, '"');
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        switch (*p) {
        case '"': g_string_append(o, "\\\""); break;
        case '\\': g_string_append(o, "\\\\"); break;
        case '\n': g_string_append(o, "\\n"); break;
        case '\t': g_string_append(o, "\\t"); break;
        case '\r': g_string_append(o, "\\r"); break;
        default:
            if (*p < 0x20)
                g_string_append_printf(o, "\\u%04x", *p);
            else
                g_string_append_c(o, *p);
        }
    }
    g_string_append_c(o, '"');
}

static GString *
obj_new(void)
{
    return g_string_new("{");
}

static void
j_key(GString *o, const char *key)
{
    if (o->len > 1)
        g_string_append_c(o, ',');
    json_string(o, key);
    g_string_append_c(o, ':');
}

static void
j_str(GString *o, const char *key, const char *value)
{
    if (!value)
        return;
    j_key(o, key);
    json_string(o, value);
}

static void
j_int(GString *o, const char *key, long long value)
{
    j_key(o, key);
    g_string_append_printf(o, "%lld", value);
}

/* An integer that libvirt omits when 0 */
static void
j_int_nz(GString *o, const char *key, long long value)
{
    if (value)
        j_int(o, key, value);
}

static void
j_bool(GString *o, const char *key, bool value)
{
    j_key(o, key);
    g_string_append(o, value ? "true" : "false");
}

static void
j_raw(GString *o, const char *key, const char *json)
{
    j_key(o, key);
    g_string_append(o, json);
}

static char *
obj_end(GString *o)
{
    g_string_append_c(o, '}');
    return g_string_free(o, FALSE);
}

static void
add_obj(Ctx *c, const char *opt, GString *o)
{
    add2(c, opt, obj_end(o));
}

/* ---------------------------------------------------------------------------
 * Names libvirt gives to devices and buses
 * ------------------------------------------------------------------------- */

char *
vk_qemu_domain_dir_name(int id, const char *name)
{
    g_autofree char *shortname = NULL;

    if (g_utf8_validate(name, -1, NULL))
        shortname = g_utf8_substring(name, 0, MIN(20, g_utf8_strlen(name, -1)));
    else
        shortname = g_strndup(name, 20);
    return g_strdup_printf("domain-%d-%s", id, shortname);
}

static bool
user_alias(const VkDeviceInfo *info)
{
    return info->alias && g_str_has_prefix(info->alias, "ua-");
}

/* The device's user alias, else PREFIX followed by N */
static char *
alias_or(const VkDeviceInfo *info, const char *prefix, guint n)
{
    if (user_alias(info))
        return g_strdup(info->alias);
    return g_strdup_printf("%s%u", prefix, n);
}

char *
vk_qemu_disk_alias(const VkDomainDef *def, const VkDomainDiskDef *d)
{
    const VkDeviceAddress *a = &d->info.addr;
    int idx;

    if (user_alias(&d->info))
        return g_strdup(d->info.alias);
    switch (d->bus) {
    case VK_DISK_BUS_VIRTIO:
        idx = vk_domain_disk_name_index(d->target_dev);
        return g_strdup_printf("virtio-disk%d", MAX(idx, 0));
    case VK_DISK_BUS_USB:
        idx = vk_domain_disk_name_index(d->target_dev);
        return g_strdup_printf("usb-disk%d", MAX(idx, 0));
    case VK_DISK_BUS_SATA:
        return g_strdup_printf("sata%u-%u-%u", a->drive.controller, a->drive.bus, a->drive.unit);
    case VK_DISK_BUS_IDE:
        return g_strdup_printf("ide%u-%u-%u", a->drive.controller, a->drive.bus, a->drive.unit);
    case VK_DISK_BUS_SCSI: {
        VkDomainControllerDef *ctrl = vk_domain_def_find_controller(def, VK_CONTROLLER_SCSI,
                                                                    (int) a->drive.controller);
        if (ctrl && ctrl->model == VK_SCSI_MODEL_LSILOGIC)
            return g_strdup_printf("scsi%u-%u-%u", a->drive.controller, a->drive.bus, a->drive.unit);
        return g_strdup_printf("scsi%u-%u-%u-%u", a->drive.controller, a->drive.bus,
                               a->drive.target, a->drive.unit);
    }
    case VK_DISK_BUS_FDC:
        return g_strdup_printf("fdc0-0-%u", a->drive.unit);
    default:
        return g_strdup_printf("%s-disk%u", vk_disk_bus_to_string(d->bus), MAX(vk_domain_disk_name_index(d->target_dev), 0));
    }
}

char *
vk_qemu_net_alias(const VkDomainNetDef *net, guint index)
{
    return alias_or(&net->info, vk_domain_net_actual_type(net) == VK_NET_TYPE_HOSTDEV ? "hostdev"
                                                                                     : "net",
                    index);
}

static char *
controller_alias(const VkDomainControllerDef *ctrl)
{
    if (user_alias(&ctrl->info))
        return g_strdup(ctrl->info.alias);
    switch (ctrl->type) {
    case VK_CONTROLLER_PCI:
        if (ctrl->index == 0)
            return g_strdup(ctrl->pci_model == VK_PCI_MODEL_PCIE_ROOT ? "pcie.0" : "pci.0");
        return g_strdup_printf("pci.%d", ctrl->index);
    case VK_CONTROLLER_USB:
        return ctrl->index == 0 ? g_strdup("usb") : g_strdup_printf("usb%d", ctrl->index);
    case VK_CONTROLLER_IDE:
        return ctrl->index == 0 ? g_strdup("ide") : g_strdup_printf("ide%d", ctrl->index);
    default:
        return g_strdup_printf("%s%d", vk_controller_type_to_string(ctrl->type), ctrl->index);
    }
}

static char *
controller_alias_of(Ctx *c, VkControllerType type, int index)
{
    VkDomainControllerDef *ctrl = vk_domain_def_find_controller(c->def, type, index);

    if (ctrl)
        return controller_alias(ctrl);
    VkDomainControllerDef tmp = { .type = type, .index = index,
                                  .pci_model = c->q35 ? VK_PCI_MODEL_PCIE_ROOT : VK_PCI_MODEL_PCI_ROOT };
    return controller_alias(&tmp);
}

/* "bus":..., "multifunction":true, "addr":"0xS[.0xF]" of a PCI device */
static int
add_pci_address(Ctx *c, GString *o, const VkDeviceInfo *info, const char *what)
{
    const VkPciAddress *a = &info->addr.pci;
    g_autofree char *bus = NULL;

    if (info->addr.type != VK_DEVICE_ADDRESS_PCI)
        return unsupported("%s has no PCI address (assign addresses first)", what);
    bus = controller_alias_of(c, VK_CONTROLLER_PCI, a->bus);
    j_str(o, "bus", bus);
    if (a->multifunction == VK_TRISTATE_ON)
        j_bool(o, "multifunction", true);
    j_key(o, "addr");
    if (a->function)
        g_string_append_printf(o, "\"0x%x.0x%x\"", a->slot, a->function);
    else
        g_string_append_printf(o, "\"0x%x\"", a->slot);
    return 0;
}

/* "bus":"usb.0","port":"N" */
static void
add_usb_address(Ctx *c, GString *o, const VkDeviceInfo *info)
{
    unsigned int bus = 0;
    g_autofree char *port = NULL;
    g_autofree char *ctrl = NULL;
    g_autofree char *busname = NULL;

    if (info->addr.type == VK_DEVICE_ADDRESS_USB && info->addr.usb.port) {
        bus = info->addr.usb.bus;
        port = g_strdup(info->addr.usb.port);
    } else {
        const char *assigned = g_hash_table_lookup(c->usb, info);
        if (!assigned)
            return;
        const char *colon = strchr(assigned, ':');
        bus = (unsigned int) g_ascii_strtoull(assigned, NULL, 10);
        port = g_strdup(colon + 1);
    }
    ctrl = controller_alias_of(c, VK_CONTROLLER_USB, (int) bus);
    busname = g_strdup_printf("%s.0", ctrl);
    j_str(o, "bus", busname);
    j_str(o, "port", port);
}

static void
add_bootindex(Ctx *c, GString *o, const VkDeviceInfo *info)
{
    int idx = GPOINTER_TO_INT(g_hash_table_lookup(c->boot, info));

    if (idx > 0)
        j_int(o, "bootindex", idx);
}

/* rombar / romfile of a PCI device */
static void
add_rom(GString *o, const VkDeviceInfo *info)
{
    if (info->rom_enabled == VK_TRISTATE_OFF) {
        j_str(o, "romfile", "");
        return;
    }
    if (info->rom_bar != VK_TRISTATE_ABSENT)
        j_int(o, "rombar", info->rom_bar == VK_TRISTATE_ON ? 1 : 0);
    j_str(o, "romfile", info->rom_file);
}

/* ---------------------------------------------------------------------------
 * Boot order and USB ports: computed before anything is written
 * ------------------------------------------------------------------------- */

static bool
any_boot_order(const VkDomainDef *def)
{
    const GPtrArray *lists[] = { def->disks, def->nets, def->hostdevs, def->redirdevs };

    for (guint l = 0; l < G_N_ELEMENTS(lists); l++) {
        for (guint i = 0; i < lists[l]->len; i++) {
            /* every device struct of these lists ends with its info; find it by kind */
            const VkDeviceInfo *info = NULL;
            if (l == 0)
                info = &((VkDomainDiskDef *) g_ptr_array_index(lists[l], i))->info;
            else if (l == 1)
                info = &((VkDomainNetDef *) g_ptr_array_index(lists[l], i))->info;
            else if (l == 2)
                info = &((VkDomainHostdevDef *) g_ptr_array_index(lists[l], i))->info;
            else
                info = &((VkDomainRedirdevDef *) g_ptr_array_index(lists[l], i))->info;
            if (info->boot_order)
                return true;
        }
    }
    return false;
}

static void
compute_boot(Ctx *c)
{
    const VkDomainDef *def = c->def;

    if (any_boot_order(def)) {
        for (guint i = 0; i < def->disks->len; i++) {
            VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
            if (d->info.boot_order)
                g_hash_table_insert(c->boot, &d->info, GINT_TO_POINTER(d->info.boot_order));
        }
        for (guint i = 0; i < def->nets->len; i++) {
            VkDomainNetDef *n = g_ptr_array_index(def->nets, i);
            if (n->info.boot_order)
                g_hash_table_insert(c->boot, &n->info, GINT_TO_POINTER(n->info.boot_order));
        }
        for (guint i = 0; i < def->hostdevs->len; i++) {
            VkDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
            if (h->info.boot_order)
                g_hash_table_insert(c->boot, &h->info, GINT_TO_POINTER(h->info.boot_order));
        }
        for (guint i = 0; i < def->redirdevs->len; i++) {
            VkDomainRedirdevDef *r = g_ptr_array_index(def->redirdevs, i);
            if (r->info.boot_order)
                g_hash_table_insert(c->boot, &r->info, GINT_TO_POINTER(r->info.boot_order));
        }
        return;
    }

    /* <os><boot dev=/>: the Nth entry boots the first device of its kind */
    if (!def->os.boot_devs || def->os.kernel)
        return;
    for (guint b = 0; b < def->os.boot_devs->len; b++) {
        VkDomainBootDev dev = g_array_index(def->os.boot_devs, VkDomainBootDev, b);
        VkDeviceInfo *info = NULL;

        if (dev == VK_BOOT_NETWORK) {
            if (def->nets->len)
                info = &((VkDomainNetDef *) g_ptr_array_index(def->nets, 0))->info;
        } else {
            VkDiskDevice want = dev == VK_BOOT_HD ? VK_DISK_DEVICE_DISK
                              : dev == VK_BOOT_CDROM ? VK_DISK_DEVICE_CDROM
                              : VK_DISK_DEVICE_FLOPPY;
            for (guint i = 0; i < def->disks->len && !info; i++) {
                VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
                if (d->device == want || (want == VK_DISK_DEVICE_DISK && d->device == VK_DISK_DEVICE_LUN))
                    info = &d->info;
            }
        }
        if (info && !g_hash_table_contains(c->boot, info))
            g_hash_table_insert(c->boot, info, GINT_TO_POINTER(b + 1));
    }
}

static bool
usb_port_used(const VkDomainDef *def, unsigned int bus, guint port)
{
    g_autofree char *want = g_strdup_printf("%u", port);
    const GPtrArray *lists[] = { def->inputs, def->disks, def->serials, def->redirdevs, def->hostdevs, def->sounds };

    for (guint l = 0; l < G_N_ELEMENTS(lists); l++) {
        for (guint i = 0; i < lists[l]->len; i++) {
            const VkDeviceInfo *info;
            gpointer dev = g_ptr_array_index(lists[l], i);
            switch (l) {
            case 0: info = &((VkDomainInputDef *) dev)->info; break;
            case 1: info = &((VkDomainDiskDef *) dev)->info; break;
            case 2: info = &((VkDomainChrDef *) dev)->info; break;
            case 3: info = &((VkDomainRedirdevDef *) dev)->info; break;
            case 4: info = &((VkDomainHostdevDef *) dev)->info; break;
            default: info = &((VkDomainSoundDef *) dev)->info; break;
            }
            if (info->addr.type == VK_DEVICE_ADDRESS_USB && info->addr.usb.bus == bus &&
                info->addr.usb.port && g_str_equal(info->addr.usb.port, want))
                return true;
        }
    }
    return false;
}

/* USB devices without a port get the next free one of bus 0, in the order
 * libvirt assigns them at define: inputs, sound, disks, serials, hostdevs,
 * redirdevs. */
static void
compute_usb(Ctx *c)
{
    const VkDomainDef *def = c->def;
    g_autoptr(GHashTable) next = g_hash_table_new(NULL, NULL);
    g_autoptr(GPtrArray) todo = g_ptr_array_new();

    for (guint i = 0; i < def->inputs->len; i++) {
        VkDomainInputDef *in = g_ptr_array_index(def->inputs, i);
        if (in->bus == VK_INPUT_BUS_USB)
            g_ptr_array_add(todo, &in->info);
    }
    for (guint i = 0; i < def->sounds->len; i++) {
        VkDomainSoundDef *s = g_ptr_array_index(def->sounds, i);
        if (s->model == VK_SOUND_MODEL_USB)
            g_ptr_array_add(todo, &s->info);
    }
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (d->bus == VK_DISK_BUS_USB)
            g_ptr_array_add(todo, &d->info);
    }
    for (guint i = 0; i < def->serials->len; i++) {
        VkDomainChrDef *s = g_ptr_array_index(def->serials, i);
        if (s->target_type == VK_CHR_SERIAL_TARGET_USB)
            g_ptr_array_add(todo, &s->info);
    }
    for (guint i = 0; i < def->hostdevs->len; i++) {
        VkDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
        if (h->type == VK_HOSTDEV_USB)
            g_ptr_array_add(todo, &h->info);
    }
    for (guint i = 0; i < def->redirdevs->len; i++)
        g_ptr_array_add(todo, &((VkDomainRedirdevDef *) g_ptr_array_index(def->redirdevs, i))->info);

    for (guint i = 0; i < todo->len; i++) {
        VkDeviceInfo *info = g_ptr_array_index(todo, i);
        if (info->addr.type == VK_DEVICE_ADDRESS_USB && info->addr.usb.port)
            continue;
        unsigned int bus = info->addr.type == VK_DEVICE_ADDRESS_USB ? info->addr.usb.bus : 0;
        guint port = GPOINTER_TO_UINT(g_hash_table_lookup(next, GUINT_TO_POINTER(bus)));
        port = port ? port : 1;
        while (usb_port_used(def, bus, port))
            port++;
        g_hash_table_insert(next, GUINT_TO_POINTER(bus), GUINT_TO_POINTER(port + 1));
        g_hash_table_insert(c->usb, info, g_strdup_printf("%u:%u", bus, port));
    }
}

/* ---------------------------------------------------------------------------
 * Character device backends (-chardev), key=value syntax
 * ------------------------------------------------------------------------- */

static int
add_chardev(Ctx *c, const VkDomainChrDef *chr, const char *id, const char *what)
{
    GString *s = g_string_new(NULL);
    const char *type = vk_chr_type_to_string(chr->type);

    switch (chr->type) {
    case VK_CHR_TYPE_PTY:
    case VK_CHR_TYPE_NULL:
    case VK_CHR_TYPE_VC:
    case VK_CHR_TYPE_STDIO:
        g_string_append_printf(s, "%s,id=%s", type, id);
        break;
    case VK_CHR_TYPE_FILE:
    case VK_CHR_TYPE_PIPE:
    case VK_CHR_TYPE_DEV:
        if (!chr->src_path) {
            g_string_free(s, TRUE);
            return unsupported("%s needs <source path=>", what);
        }
        g_string_append_printf(s, "%s,id=%s,path=", chr->type == VK_CHR_TYPE_DEV ? "tty" : type, id);
        vk_qemu_escape_comma_append(s, chr->src_path);
        if (chr->type == VK_CHR_TYPE_FILE && chr->src_append)
            g_string_append_printf(s, ",append=%s", chr->src_append);
        break;
    case VK_CHR_TYPE_UNIX: {
        g_autofree char *path = NULL;
        bool server = chr->src_mode != VK_CHR_SOURCE_MODE_CONNECT;
        if (chr->src_path)
            path = g_strdup(chr->src_path);
        else if (chr->kind == VK_CHR_CHANNEL && chr->target_name)
            path = g_build_filename(c->opts->channel_dir ? c->opts->channel_dir : c->opts->priv_dir,
                                    chr->target_name, NULL);
        else {
            g_string_free(s, TRUE);
            return unsupported("%s of type unix needs <source path=>", what);
        }
        g_string_append_printf(s, "socket,id=%s,path=", id);
        vk_qemu_escape_comma_append(s, path);
        if (server)
            g_string_append(s, ",server=on,wait=off");
        break;
    }
    case VK_CHR_TYPE_TCP:
        g_string_append_printf(s, "socket,id=%s,host=", id);
        vk_qemu_escape_comma_append(s, chr->src_host ? chr->src_host : "127.0.0.1");
        g_string_append_printf(s, ",port=%s", chr->src_service ? chr->src_service : "0");
        if (chr->protocol == VK_CHR_PROTOCOL_TELNET)
            g_string_append(s, ",telnet=on");
        if (chr->src_mode == VK_CHR_SOURCE_MODE_BIND)
            g_string_append(s, ",server=on,wait=off");
        break;
    case VK_CHR_TYPE_SPICEVMC:
        /* the channel name QEMU knows: vdagent for the agent channel */
        g_string_append_printf(s, "spicevmc,id=%s,name=%s", id,
                               chr->kind == VK_CHR_CHANNEL ? "vdagent" : "usbredir");
        break;
    default:
        g_string_free(s, TRUE);
        return unsupported("character device type '%s' is not supported", type);
    }
    add2(c, "-chardev", g_string_free(s, FALSE));
    return 0;
}

/* ---------------------------------------------------------------------------
 * The machine and the CPU
 * ------------------------------------------------------------------------- */

static bool
feature_on(const VkDomainDef *def, VkDomainFeature f)
{
    return def->features.state[f] == VK_TRISTATE_ON;
}

static const VkDomainTimerDef *
find_timer(const VkDomainDef *def, VkTimerName name)
{
    if (!def->clock.timers)
        return NULL;
    for (guint i = 0; i < def->clock.timers->len; i++) {
        VkDomainTimerDef *t = g_ptr_array_index(def->clock.timers, i);
        if (t->name == name)
            return t;
    }
    return NULL;
}

static int
build_firmware(Ctx *c, GString *machine)
{
    const VkDomainOsDef *os = &c->def->os;

    if (!os->loader) {
        /* the start fills <loader> from QEMU's descriptors (core/firmware-select) */
        if (os->firmware == VK_OS_FIRMWARE_EFI) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                            "firmware 'efi' was not chosen before building the command line");
            return -1;
        }
        return 0;
    }
    if (os->loader_type != VK_LOADER_TYPE_PFLASH) {
        add2s(c, "-bios", os->loader);
        return 0;
    }
    const char *files[2] = { os->loader, os->nvram };
    bool ro[2] = { os->loader_readonly != VK_TRISTATE_OFF, false };
    for (int i = 0; i < 2; i++) {
        g_autofree char *storage = g_strdup_printf("libvirt-pflash%d-storage", i);
        g_autofree char *format = g_strdup_printf("libvirt-pflash%d-format", i);
        if (!files[i])
            continue;
        GString *o = obj_new();
        j_str(o, "driver", "file");
        j_str(o, "filename", files[i]);
        j_str(o, "node-name", storage);
        j_bool(o, "auto-read-only", true);
        j_str(o, "discard", "unmap");
        add_obj(c, "-blockdev", o);
        o = obj_new();
        j_str(o, "node-name", format);
        j_bool(o, "read-only", ro[i]);
        j_str(o, "driver", "raw");
        j_str(o, "file", storage);
        add_obj(c, "-blockdev", o);
        g_string_append_printf(machine, ",pflash%d=%s", i, format);
    }
    return 0;
}

static int
build_machine(Ctx *c)
{
    const VkDomainDef *def = c->def;
    GString *m = g_string_new(NULL);
    g_autoptr(GString) pflash = g_string_new(NULL);

    if (build_firmware(c, pflash) < 0) {
        g_string_free(m, TRUE);
        return -1;
    }
    g_string_append(m, def->os.machine);
    g_string_append(m, ",usb=off");
    if (def->features.state[VK_FEATURE_VMPORT] != VK_TRISTATE_ABSENT)
        g_string_append_printf(m, ",vmport=%s", feature_on(def, VK_FEATURE_VMPORT) ? "on" : "off");
    if (def->features.state[VK_FEATURE_SMM] != VK_TRISTATE_ABSENT)
        g_string_append_printf(m, ",smm=%s", feature_on(def, VK_FEATURE_SMM) ? "on" : "off");
    if (def->features.ioapic_driver)
        g_string_append_printf(m, ",kernel_irqchip=%s",
                               def->features.ioapic_driver == VK_IOAPIC_QEMU ? "split" : "on");
    g_string_append_printf(m, ",dump-guest-core=%s",
                           def->memory_dump_core == VK_TRISTATE_ON ? "on" : "off");
    g_string_append(m, ",memory-backend=pc.ram");
    g_string_append(m, pflash->str);
    if (def->os.bios_useserial == VK_TRISTATE_ON)
        g_string_append(m, ",graphics=off");
    add2(c, "-machine", g_string_free(m, FALSE));
    /* a kvm guest falls back to TCG on a host without /dev/kvm */
    add2s(c, "-accel", c->opts->kvm && def->virt_type == VK_VIRT_KVM ? "kvm" : "tcg");
    return 0;
}

static void
cpu_features_from_domain(const VkDomainDef *def, GString *s)
{
    const VkDomainFeatures *f = &def->features;
    const VkDomainTimerDef *t;

    if ((t = find_timer(def, VK_TIMER_KVMCLOCK)) && t->present != VK_TRISTATE_ABSENT)
        g_string_append_printf(s, ",kvmclock=%s", t->present == VK_TRISTATE_ON ? "on" : "off");
    if ((t = find_timer(def, VK_TIMER_HYPERVCLOCK)) && t->present == VK_TRISTATE_ON)
        g_string_append(s, ",hv-time=on");
    if (f->apic_eoi != VK_TRISTATE_ABSENT)
        g_string_append_printf(s, ",kvm-pv-eoi=%s", f->apic_eoi == VK_TRISTATE_ON ? "on" : "off");
    if (f->state[VK_FEATURE_PVSPINLOCK] != VK_TRISTATE_ABSENT)
        g_string_append_printf(s, ",kvm-pv-unhalt=%s",
                               f->state[VK_FEATURE_PVSPINLOCK] == VK_TRISTATE_ON ? "on" : "off");
    if (f->state[VK_FEATURE_HYPERV] == VK_TRISTATE_ON && f->hyperv) {
        for (guint i = 0; i < f->hyperv->len; i++) {
            VkDomainHypervFeature *h = g_ptr_array_index(f->hyperv, i);
            g_autofree char *name = g_strdelimit(g_strdup(vk_hyperv_feature_name_to_string(h->name)),
                                                 "_", '-');
            if (h->state != VK_TRISTATE_ON)
                continue;
            if (h->name == VK_HYPERV_SPINLOCKS)
                g_string_append_printf(s, ",hv-spinlocks=0x%x", h->retries ? h->retries : 0x1fff);
            else if (h->name == VK_HYPERV_VENDOR_ID)
                g_string_append_printf(s, ",hv-vendor-id=%s", h->value ? h->value : "");
            else {
                g_string_append_printf(s, ",hv-%s=on", name);
                if (h->name == VK_HYPERV_STIMER && h->stimer_direct)
                    g_string_append(s, ",hv-stimer-direct=on");
            }
        }
    }
    for (guint i = 0; def->panics && i < def->panics->len; i++) {
        VkDomainPanicDef *p = g_ptr_array_index(def->panics, i);
        if (p->model == VK_PANIC_MODEL_HYPERV)
            g_string_append(s, ",hv-crash");
    }
    if (f->state[VK_FEATURE_KVM] == VK_TRISTATE_ON) {
        if (f->kvm_hidden == VK_TRISTATE_ON)
            g_string_append(s, ",kvm=off");
        if (f->kvm_hint_dedicated != VK_TRISTATE_ABSENT)
            g_string_append_printf(s, ",kvm-hint-dedicated=%s", f->kvm_hint_dedicated == VK_TRISTATE_ON ? "on" : "off");
        if (f->kvm_poll_control != VK_TRISTATE_ABSENT)
            g_string_append_printf(s, ",kvm-poll-control=%s", f->kvm_poll_control == VK_TRISTATE_ON ? "on" : "off");
        if (f->kvm_pv_ipi != VK_TRISTATE_ABSENT)
            g_string_append_printf(s, ",kvm-pv-ipi=%s", f->kvm_pv_ipi == VK_TRISTATE_ON ? "on" : "off");
    }
    if (f->state[VK_FEATURE_PMU] != VK_TRISTATE_ABSENT)
        g_string_append_printf(s, ",pmu=%s", feature_on(def, VK_FEATURE_PMU) ? "on" : "off");
}

static int
build_cpu(Ctx *c)
{
    const VkDomainDef *def = c->def;
    const VkDomainCpuDef *cpu = def->cpu;
    GString *s = g_string_new(NULL);
    VkCpuMode mode = cpu ? cpu->mode : VK_CPU_MODE_CUSTOM;

    if (mode == VK_CPU_MODE_HOST_PASSTHROUGH || mode == VK_CPU_MODE_HOST_MODEL) {
        /* host-model: libvirt expands the host's CPU model from its
         * capabilities; we pass the host CPU through (see the report) */
        if (c->opts->kvm && def->virt_type == VK_VIRT_KVM) {
            g_string_append(s, "host");
            g_string_append_printf(s, ",migratable=%s",
                                   cpu->migratable == VK_TRISTATE_OFF ? "off" : "on");
        } else {
            g_string_append(s, "max");
        }
    } else if (mode == VK_CPU_MODE_MAXIMUM) {
        g_string_append(s, "max");
    } else if (cpu && cpu->model) {
        vk_qemu_escape_comma_append(s, cpu->model);
    } else {
        g_string_append(s, "qemu64");
    }
    if (cpu && cpu->cache_mode == VK_CPU_CACHE_PASSTHROUGH)
        g_string_append(s, ",host-cache-info=on,l3-cache=off");
    else if (cpu && cpu->cache_mode == VK_CPU_CACHE_EMULATE && cpu->cache_level == 3)
        g_string_append(s, ",l3-cache=on");
    else if (cpu && cpu->cache_mode == VK_CPU_CACHE_DISABLE)
        g_string_append(s, ",l3-cache=off");
    if (cpu && cpu->features && mode != VK_CPU_MODE_HOST_MODEL) {
        for (guint i = 0; i < cpu->features->len; i++) {
            VkDomainCpuFeature *f = g_ptr_array_index(cpu->features, i);
            g_autofree char *name = g_strdelimit(g_strdup(f->name), "_", '-');
            if (f->policy == VK_CPU_POLICY_OPTIONAL)
                continue;
            g_string_append_printf(s, ",%s=%s", name,
                                   f->policy == VK_CPU_POLICY_DISABLE ||
                                   f->policy == VK_CPU_POLICY_FORBID ? "off" : "on");
        }
    }
    cpu_features_from_domain(def, s);
    add2(c, "-cpu", g_string_free(s, FALSE));
    if (def->os.loader && def->os.loader_secure == VK_TRISTATE_ON)
        add2s(c, "-global", "driver=cfi.pflash01,property=secure,value=on");
    return 0;
}

static int
build_memory_and_smp(Ctx *c)
{
    const VkDomainDef *def = c->def;
    const VkDomainCpuDef *cpu = def->cpu;
    GString *o;

    if (def->max_memory_kib)
        return unsupported("%s (memory hotplug) is not supported", "<maxMemory>");
    if (cpu && cpu->numa_xml)
        return unsupported("%s is not supported", "<cpu><numa>");
    /* libvirt rounds guest memory to whole MiB at define */
    unsigned long long mib = (def->memory_kib + 1023) / 1024;
    add2(c, "-m", g_strdup_printf("%llu", mib));
    o = obj_new();
    j_str(o, "qom-type", "memory-backend-ram");
    j_str(o, "id", "pc.ram");
    j_int(o, "size", (long long) (mib * 1024 * 1024));
    add_obj(c, "-object", o);
    add2s(c, "-overcommit", "mem-lock=off");

    unsigned int max = def->vcpus ? def->vcpus : 1;
    unsigned int cur = def->current_vcpus ? def->current_vcpus : max;
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%u", cur);
    if (cur != max)
        g_string_append_printf(s, ",maxcpus=%u", max);
    if (cpu && cpu->sockets) {
        g_string_append_printf(s, ",sockets=%u", cpu->sockets);
        if (cpu->dies)
            g_string_append_printf(s, ",dies=%u", cpu->dies);
        g_string_append_printf(s, ",cores=%u,threads=%u", cpu->cores ? cpu->cores : 1,
                               cpu->threads ? cpu->threads : 1);
    } else {
        g_string_append_printf(s, ",sockets=%u,cores=1,threads=1", max);
    }
    add2(c, "-smp", g_string_free(s, FALSE));

    for (unsigned int i = 0; i < def->iothreads; i++) {
        g_autofree char *id = g_strdup_printf(
            "iothread%u", g_array_index(def->iothread_ids, VkDomainIothreadDef, i).id);
        o = obj_new();
        j_str(o, "qom-type", "iothread");
        j_str(o, "id", id);
        add_obj(c, "-object", o);
    }
    return 0;
}

static int
build_clock(Ctx *c)
{
    const VkDomainDef *def = c->def;
    const VkDomainClockDef *clk = &def->clock;
    GString *s = g_string_new("base=");
    const VkDomainTimerDef *t;

    if (clk->offset == VK_CLOCK_OFFSET_UTC || clk->offset == VK_CLOCK_OFFSET_LOCALTIME) {
        g_string_append(s, vk_clock_offset_to_string(clk->offset));
    } else if (clk->offset == VK_CLOCK_OFFSET_TIMEZONE) {
        g_string_append(s, "localtime");
        g_ptr_array_insert(c->cmd->env, (gint) c->cmd->env->len - 1,
                           g_strdup_printf("TZ=%s", clk->timezone ? clk->timezone : "UTC"));
    } else {
        /* variable, absolute: the guest's clock starts at now + adjustment */
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        gint64 adj = clk->adjustment ? g_ascii_strtoll(clk->adjustment, NULL, 10) : 0;
        g_autoptr(GDateTime) t0 = g_date_time_add_seconds(now, (gdouble) adj);
        g_autofree char *iso = g_date_time_format(t0, "%Y-%m-%dT%H:%M:%S");
        g_string_append(s, iso);
    }
    if ((t = find_timer(def, VK_TIMER_RTC))) {
        if (t->track == VK_TIMER_TRACK_GUEST)
            g_string_append(s, ",clock=vm");
        else if (t->track == VK_TIMER_TRACK_WALL)
            g_string_append(s, ",clock=rt");
        if (t->tickpolicy == VK_TIMER_TICKPOLICY_CATCHUP)
            g_string_append(s, ",driftfix=slew");
    }
    add2(c, "-rtc", g_string_free(s, FALSE));

    if ((t = find_timer(def, VK_TIMER_PIT)) && t->tickpolicy) {
        const char *policy = t->tickpolicy == VK_TIMER_TICKPOLICY_CATCHUP
                             ? "slew" : vk_timer_tickpolicy_to_string(t->tickpolicy);
        add2(c, "-global", g_strdup_printf("kvm-pit.lost_tick_policy=%s", policy));
    }
    if ((t = find_timer(def, VK_TIMER_HPET)) && t->present == VK_TRISTATE_OFF)
        add(c, "-no-hpet");
    return 0;
}

static void
build_pm_and_boot(Ctx *c)
{
    const VkDomainDef *def = c->def;
    const char *lpc = c->q35 ? "ICH9-LPC" : "PIIX4_PM";

    add(c, "-no-shutdown");
    if (!feature_on(def, VK_FEATURE_ACPI))
        add(c, "-no-acpi");
    if (def->pm_suspend_to_mem != VK_TRISTATE_ABSENT)
        add2(c, "-global", g_strdup_printf("%s.disable_s3=%d", lpc, def->pm_suspend_to_mem == VK_TRISTATE_OFF));
    if (def->pm_suspend_to_disk != VK_TRISTATE_ABSENT)
        add2(c, "-global", g_strdup_printf("%s.disable_s4=%d", lpc, def->pm_suspend_to_disk == VK_TRISTATE_OFF));

    GString *b = g_string_new(NULL);
    if (def->os.bootmenu != VK_TRISTATE_ABSENT)
        g_string_append_printf(b, "menu=%s,", def->os.bootmenu == VK_TRISTATE_ON ? "on" : "off");
    if (def->os.bios_reboot_timeout != -2)
        g_string_append_printf(b, "reboot-timeout=%d,", def->os.bios_reboot_timeout);
    if (def->os.bootmenu == VK_TRISTATE_ON && def->os.bootmenu_timeout >= 0)
        g_string_append_printf(b, "splash-time=%d,", def->os.bootmenu_timeout);
    g_string_append(b, "strict=on");
    add2(c, "-boot", g_string_free(b, FALSE));

    if (def->os.kernel)
        add2s(c, "-kernel", def->os.kernel);
    if (def->os.initrd)
        add2s(c, "-initrd", def->os.initrd);
    if (def->os.cmdline)
        add2s(c, "-append", def->os.cmdline);
    if (def->os.dtb)
        add2s(c, "-dtb", def->os.dtb);
}

/* ---------------------------------------------------------------------------
 * Controllers
 * ------------------------------------------------------------------------- */

static const char *
pci_controller_driver(const VkDomainControllerDef *ctrl)
{
    if (ctrl->pci_model_name)
        return ctrl->pci_model_name;
    switch (ctrl->pci_model) {
    case VK_PCI_MODEL_PCI_BRIDGE: return "pci-bridge";
    case VK_PCI_MODEL_DMI_TO_PCI_BRIDGE: return "i82801b11-bridge";
    case VK_PCI_MODEL_PCIE_ROOT_PORT: return "pcie-root-port";
    case VK_PCI_MODEL_PCIE_SWITCH_UPSTREAM_PORT: return "x3130-upstream";
    case VK_PCI_MODEL_PCIE_SWITCH_DOWNSTREAM_PORT: return "xio3130-downstream";
    case VK_PCI_MODEL_PCI_EXPANDER_BUS: return "pxb";
    case VK_PCI_MODEL_PCIE_EXPANDER_BUS: return "pxb-pcie";
    case VK_PCI_MODEL_PCIE_TO_PCI_BRIDGE: return "pcie-pci-bridge";
    default: return NULL;
    }
}

static int
build_pci_controller(Ctx *c, const VkDomainControllerDef *ctrl)
{
    const char *driver = pci_controller_driver(ctrl);
    g_autofree char *alias = controller_alias(ctrl);
    g_autofree char *what = g_strdup_printf("PCI controller index %d", ctrl->index);
    GString *o;

    if (ctrl->pci_model == VK_PCI_MODEL_PCI_ROOT || ctrl->pci_model == VK_PCI_MODEL_PCIE_ROOT)
        return 0;
    if (!driver)
        return unsupported("%s has no model", what);
    o = obj_new();
    j_str(o, "driver", driver);
    switch (ctrl->pci_model) {
    case VK_PCI_MODEL_PCI_BRIDGE:
        j_int(o, "chassis_nr", ctrl->chassis_nr >= 0 ? ctrl->chassis_nr : ctrl->index);
        break;
    case VK_PCI_MODEL_PCIE_ROOT_PORT:
    case VK_PCI_MODEL_PCIE_SWITCH_DOWNSTREAM_PORT:
        j_int(o, "port", ctrl->port >= 0 ? ctrl->port : 0);
        j_int(o, "chassis", ctrl->chassis >= 0 ? ctrl->chassis : ctrl->index);
        break;
    case VK_PCI_MODEL_PCI_EXPANDER_BUS:
    case VK_PCI_MODEL_PCIE_EXPANDER_BUS:
        j_int(o, "bus_nr", ctrl->bus_nr >= 0 ? ctrl->bus_nr : 0);
        break;
    default:
        break;
    }
    j_str(o, "id", alias);
    if ((ctrl->pci_model == VK_PCI_MODEL_PCI_EXPANDER_BUS || ctrl->pci_model == VK_PCI_MODEL_PCIE_EXPANDER_BUS) &&
        ctrl->numa_node >= 0)
        j_int(o, "numa_node", ctrl->numa_node);
    if (ctrl->hotplug != VK_TRISTATE_ABSENT)
        j_bool(o, "hotplug", ctrl->hotplug == VK_TRISTATE_ON);
    if (add_pci_address(c, o, &ctrl->info, what) < 0) {
        g_string_free(o, TRUE);
        return -1;
    }
    add_obj(c, "-device", o);
    return 0;
}

static const char *
usb_driver(VkUsbControllerModel model)
{
    switch (model) {
    case VK_USB_MODEL_PIIX3_UHCI: return "piix3-usb-uhci";
    case VK_USB_MODEL_PIIX4_UHCI: return "piix4-usb-uhci";
    case VK_USB_MODEL_EHCI: return "usb-ehci";
    case VK_USB_MODEL_ICH9_EHCI1: return "ich9-usb-ehci1";
    case VK_USB_MODEL_ICH9_UHCI1: return "ich9-usb-uhci1";
    case VK_USB_MODEL_ICH9_UHCI2: return "ich9-usb-uhci2";
    case VK_USB_MODEL_ICH9_UHCI3: return "ich9-usb-uhci3";
    case VK_USB_MODEL_VT82C686B_UHCI: return "vt82c686b-usb-uhci";
    case VK_USB_MODEL_PCI_OHCI: return "pci-ohci";
    case VK_USB_MODEL_NEC_XHCI: return "nec-usb-xhci";
    case VK_USB_MODEL_QEMU_XHCI: return "qemu-xhci";
    default: return NULL;
    }
}

static const char *
scsi_driver(VkScsiControllerModel model)
{
    switch (model) {
    case VK_SCSI_MODEL_VIRTIO_SCSI: return "virtio-scsi-pci";
    case VK_SCSI_MODEL_VIRTIO_TRANSITIONAL: return "virtio-scsi-pci-transitional";
    case VK_SCSI_MODEL_VIRTIO_NON_TRANSITIONAL: return "virtio-scsi-pci-non-transitional";
    case VK_SCSI_MODEL_ABSENT:
    case VK_SCSI_MODEL_LSILOGIC: return "lsi";
    case VK_SCSI_MODEL_LSISAS1068: return "mptsas1068";
    case VK_SCSI_MODEL_LSISAS1078: return "megasas";
    case VK_SCSI_MODEL_VMPVSCSI: return "pvscsi";
    default: return NULL;
    }
}

static char *
usb_master_alias(const VkDomainDef *def, const VkDomainControllerDef *companion)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        const VkDomainControllerDef *m = g_ptr_array_index(def->controllers, i);
        if (m->type == VK_CONTROLLER_USB && m->index == companion->index &&
            m->master_startport < 0)
            return controller_alias(m);
    }
    return NULL;
}

static int
build_controller(Ctx *c, const VkDomainControllerDef *ctrl)
{
    g_autofree char *alias = controller_alias(ctrl);
    g_autofree char *what = g_strdup_printf("controller type='%s' index='%d'",
                                            vk_controller_type_to_string(ctrl->type), ctrl->index);
    GString *o;

    switch (ctrl->type) {
    case VK_CONTROLLER_USB: {
        const char *driver = usb_driver(ctrl->model);
        if (ctrl->model == VK_USB_MODEL_NONE)
            return 0;
        if (!driver)
            return unsupported("USB controller model '%s' is not supported",
                               vk_usb_controller_model_to_string(ctrl->model));
        o = obj_new();
        j_str(o, "driver", driver);
        if (ctrl->master_startport >= 0) {
            /* a companion: on the bus of the controller it serves, the one of
             * its index without <master> */
            g_autofree char *master_alias = usb_master_alias(c->def, ctrl);
            g_autofree char *master = g_strdup_printf("%s.0", master_alias ? master_alias : alias);
            j_str(o, "masterbus", master);
            j_int(o, "firstport", ctrl->master_startport);
        } else {
            if (ctrl->ports > 0 &&
                (ctrl->model == VK_USB_MODEL_NEC_XHCI || ctrl->model == VK_USB_MODEL_QEMU_XHCI)) {
                j_int(o, "p2", ctrl->ports);
                j_int(o, "p3", ctrl->ports);
            }
            j_str(o, "id", alias);
        }
        break;
    }
    case VK_CONTROLLER_SCSI: {
        const char *driver = scsi_driver(ctrl->model);
        if (!driver)
            return unsupported("SCSI controller model '%s' is not supported",
                               vk_scsi_controller_model_to_string(ctrl->model));
        o = obj_new();
        j_str(o, "driver", driver);
        if (ctrl->iothread) {
            g_autofree char *io = g_strdup_printf("iothread%u", ctrl->iothread);
            j_str(o, "iothread", io);
        }
        j_str(o, "id", alias);
        if (ctrl->queues)
            j_int(o, "num_queues", ctrl->queues);
        break;
    }
    case VK_CONTROLLER_SATA:
        if (c->q35 && ctrl->index == 0)
            return 0;     /* the ICH9's own AHCI at 00:1f.2 */
        o = obj_new();
        j_str(o, "driver", "ahci");
        j_str(o, "id", alias);
        break;
    case VK_CONTROLLER_IDE:
        if (!c->q35 && ctrl->index == 0)
            return 0;     /* PIIX3's IDE */
        return unsupported("%s: only the chipset's IDE controller is supported", what);
    case VK_CONTROLLER_FDC:
        return 0;         /* the chipset's floppy controller */
    case VK_CONTROLLER_VIRTIO_SERIAL:
        o = obj_new();
        j_str(o, "driver", "virtio-serial-pci");
        j_str(o, "id", alias);
        if (ctrl->ports >= 0)
            j_int(o, "max_ports", ctrl->ports);
        if (ctrl->vectors >= 0)
            j_int(o, "vectors", ctrl->vectors);
        break;
    case VK_CONTROLLER_CCID:
        o = obj_new();
        j_str(o, "driver", "usb-ccid");
        j_str(o, "id", alias);
        add_usb_address(c, o, &ctrl->info);
        add_obj(c, "-device", o);
        return 0;
    default:
        return unsupported("%s is not supported", what);
    }
    if (add_pci_address(c, o, &ctrl->info, what) < 0) {
        g_string_free(o, TRUE);
        return -1;
    }
    add_obj(c, "-device", o);
    return 0;
}

static int
build_controllers(Ctx *c)
{
    const VkDomainDef *def = c->def;
    static const VkControllerType order[] = {
        VK_CONTROLLER_USB, VK_CONTROLLER_SCSI, VK_CONTROLLER_IDE, VK_CONTROLLER_SATA,
        VK_CONTROLLER_FDC, VK_CONTROLLER_VIRTIO_SERIAL, VK_CONTROLLER_CCID,
    };

    /* PCI controllers first, in the definition's order (libvirt's too) */
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *ctrl = g_ptr_array_index(def->controllers, i);
        if (ctrl->type == VK_CONTROLLER_PCI && build_pci_controller(c, ctrl) < 0)
            return -1;
    }

    for (guint t = 0; t < G_N_ELEMENTS(order); t++) {
        for (guint i = 0; i < def->controllers->len; i++) {
            VkDomainControllerDef *ctrl = g_ptr_array_index(def->controllers, i);
            if (ctrl->type == order[t] && build_controller(c, ctrl) < 0)
                return -1;
        }
    }
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *ctrl = g_ptr_array_index(def->controllers, i);
        if (ctrl->type == VK_CONTROLLER_XENBUS || ctrl->type == VK_CONTROLLER_ISA)
            return unsupported("controller type '%s' is not supported", vk_controller_type_to_string(ctrl->type));
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Disks
 * ------------------------------------------------------------------------- */

typedef struct { bool set, writeback, direct, noflush; } CacheMode;

static CacheMode
cache_mode(VkDiskCache cache)
{
    switch (cache) {
    case VK_DISK_CACHE_NONE:
        return (CacheMode) { .set = true, .writeback = true, .direct = true };
    case VK_DISK_CACHE_WRITETHROUGH:
        return (CacheMode) { .set = true };
    case VK_DISK_CACHE_WRITEBACK:
        return (CacheMode) { .set = true, .writeback = true };
    case VK_DISK_CACHE_DIRECTSYNC:
        return (CacheMode) { .set = true, .direct = true };
    case VK_DISK_CACHE_UNSAFE:
        return (CacheMode) { .set = true, .writeback = true, .noflush = true };
    default:
        return (CacheMode) { 0 };   /* not given, or QEMU's default */
    }
}

static void
j_cache(GString *o, const CacheMode *m)
{
    if (!m->set)
        return;
    g_autofree char *v = g_strdup_printf("{\"direct\":%s,\"no-flush\":%s}",
                                         m->direct ? "true" : "false", m->noflush ? "true" : "false");
    j_raw(o, "cache", v);
}

char *
vk_qemu_format_node_name(guint n)
{
    return g_strdup_printf("libvirt-%u-format", n);
}

/* An image of a disk's chain: its path, format and node number, and what
 * the format node's "backing" is (BACKING: 0 none given, -1 null, else the
 * number of the node below). */
typedef struct {
    const char *path;
    const char *format;
    guint n;
    bool readonly;
    int backing;
} ImageNode;

/* Whether FORMAT can have a backing image (the "backing" key applies). */
static bool
format_has_backing(const char *format)
{
    return g_strcmp0(format, "qcow2") == 0 || g_strcmp0(format, "qed") == 0;
}

static int build_image_nodes(Ctx *c, const VkDomainDiskDef *d, const ImageNode *img,
                             const CacheMode *cache);

/* The backing images of D (a probed chain, live only) from the bottom up,
 * as libvirt opens them before the top image; *TOP_BACKING: what the top's
 * "backing" is. */
static int
build_backing_nodes(Ctx *c, const VkDomainDiskDef *d, const CacheMode *cache, int *top_backing)
{
    guint len = d->backing && d->backing_detected ? d->backing->len : 0;

    *top_backing = 0;
    if (!d->backing_detected)
        return 0;   /* a config's chain: QEMU opens what the image names */
    for (guint i = len; i-- > 0;) {
        const VkDiskLayer *layer = g_ptr_array_index(d->backing, i);
        ImageNode img = { layer->path, layer->format, layer->index, true, -1 };
        if (i + 1 < len)
            img.backing = (int) ((VkDiskLayer *) g_ptr_array_index(d->backing, i + 1))->index;
        if (!format_has_backing(layer->format))
            img.backing = 0;
        if (build_image_nodes(c, d, &img, cache) < 0)
            return -1;
    }
    if (d->src_no_backing && format_has_backing(d->driver_type))
        *top_backing = len ? (int) ((VkDiskLayer *) g_ptr_array_index(d->backing, 0))->index : -1;
    return 0;
}

static int
build_disk_backend(Ctx *c, const VkDomainDiskDef *d, guint n, const CacheMode *cache)
{
    ImageNode img = { d->src_path, d->driver_type ? d->driver_type : "raw", n, d->readonly, 0 };

    if (build_backing_nodes(c, d, cache, &img.backing) < 0)
        return -1;
    return build_image_nodes(c, d, &img, cache);
}

static int
build_image_nodes(Ctx *c, const VkDomainDiskDef *d, const ImageNode *img, const CacheMode *cache)
{
    g_autofree char *storage = g_strdup_printf("libvirt-%u-storage", img->n);
    g_autofree char *format = vk_qemu_format_node_name(img->n);
    GString *o = obj_new();

    VkDiskType type = vk_domain_disk_actual_type(d);

    switch (type) {
    case VK_DISK_TYPE_FILE:
    case VK_DISK_TYPE_BLOCK:
        j_str(o, "driver", type == VK_DISK_TYPE_FILE ? "file" : "host_device");
        j_str(o, "filename", img->path);
        if (d->driver_io)
            j_str(o, "aio", vk_disk_io_to_string(d->driver_io));
        break;
    case VK_DISK_TYPE_NETWORK:
        if (d->src_protocol == VK_DISK_PROTOCOL_NBD && d->src_host_name) {
            GString *srv = obj_new();
            j_str(srv, "type", "inet");
            j_str(srv, "host", d->src_host_name);
            j_str(srv, "port", d->src_host_port ? d->src_host_port : "10809");
            j_str(o, "driver", "nbd");
            g_autofree char *srvs = obj_end(srv);
            j_raw(o, "server", srvs);
            j_str(o, "export", d->src_name);
            break;
        }
        /* fall through */
    default:
        g_string_free(o, TRUE);
        return unsupported("disk '%s': this source type is not supported", d->target_dev);
    }
    j_str(o, "node-name", storage);
    j_cache(o, cache);
    j_bool(o, "auto-read-only", true);
    j_str(o, "discard", "unmap");
    add_obj(c, "-blockdev", o);

    o = obj_new();
    j_str(o, "node-name", format);
    j_bool(o, "read-only", img->readonly);
    if (d->driver_discard == VK_DISK_DISCARD_UNMAP)
        j_str(o, "discard", "unmap");
    j_cache(o, cache);
    j_str(o, "driver", img->format);
    j_str(o, "file", storage);
    if (img->backing == -1) {
        j_raw(o, "backing", "null");
    } else if (img->backing > 0) {
        g_autofree char *below = vk_qemu_format_node_name((guint) img->backing);
        j_str(o, "backing", below);
    }
    add_obj(c, "-blockdev", o);
    return 0;
}

/* BASE, or its -transitional / -non-transitional variant for MODEL */
static char *
virtio_driver(const char *base, VkVirtioModel model)
{
    switch (model) {
    case VK_VIRTIO_MODEL_TRANSITIONAL:
        return g_strdup_printf("%s-transitional", base);
    case VK_VIRTIO_MODEL_NON_TRANSITIONAL:
        return g_strdup_printf("%s-non-transitional", base);
    default:
        return g_strdup(base);
    }
}

/* Add "driver": a virtio device name for MODEL */
static void
j_virtio_driver(GString *o, const char *base, VkVirtioModel model)
{
    g_autofree char *driver = virtio_driver(base, model);

    j_str(o, "driver", driver);
}

static int
build_disk(Ctx *c, const VkDomainDiskDef *d, guint n)
{
    const VkDeviceAddress *a = &d->info.addr;
    bool has_media = d->has_source && (d->src_path || d->src_protocol);
    bool cd = d->device == VK_DISK_DEVICE_CDROM;
    g_autofree char *format = vk_qemu_format_node_name(n);
    g_autofree char *alias = NULL;
    g_autofree char *what = g_strdup_printf("disk '%s'", d->target_dev);
    CacheMode cache = cache_mode(d->driver_cache);
    GString *o;

    if (d->bus != VK_DISK_BUS_VIRTIO && d->bus != VK_DISK_BUS_USB && a->type != VK_DEVICE_ADDRESS_DRIVE)
        return unsupported("%s has no drive address", what);
    if (has_media && build_disk_backend(c, d, n, &cache) < 0)
        return -1;

    alias = vk_qemu_disk_alias(c->def, d);
    o = obj_new();
    switch (d->bus) {
    case VK_DISK_BUS_VIRTIO: {
        j_virtio_driver(o, "virtio-blk-pci", d->model);
        if (d->driver_iothread) {
            g_autofree char *io = g_strdup_printf("iothread%u", d->driver_iothread);
            j_str(o, "iothread", io);
        }
        if (d->driver_queues)
            j_int(o, "num-queues", d->driver_queues);
        if (add_pci_address(c, o, &d->info, what) < 0)
            goto error;
        break;
    }
    case VK_DISK_BUS_SATA: {
        g_autofree char *bus = a->drive.controller == 0 && c->q35
            ? g_strdup_printf("ide.%u", a->drive.unit)
            : g_strdup_printf("sata%u.%u", a->drive.controller, a->drive.unit);
        j_str(o, "driver", cd ? "ide-cd" : "ide-hd");
        j_str(o, "bus", bus);
        break;
    }
    case VK_DISK_BUS_IDE: {
        if (c->q35)
            return unsupported("%s: IDE is not supported on q35", what);
        g_autofree char *bus = g_strdup_printf("ide.%u", a->drive.bus);
        j_str(o, "driver", cd ? "ide-cd" : "ide-hd");
        j_str(o, "bus", bus);
        j_int(o, "unit", a->drive.unit);
        break;
    }
    case VK_DISK_BUS_SCSI: {
        VkDomainControllerDef *ctrl = vk_domain_def_find_controller(c->def, VK_CONTROLLER_SCSI,
                                                                    (int) a->drive.controller);
        g_autofree char *calias = controller_alias_of(c, VK_CONTROLLER_SCSI, (int) a->drive.controller);
        g_autofree char *bus = g_strdup_printf("%s.0", calias);
        g_autofree char *devid = NULL;
        bool lsi = ctrl && ctrl->model == VK_SCSI_MODEL_LSILOGIC;
        if (d->device == VK_DISK_DEVICE_LUN)
            return unsupported("%s: device='lun' is not supported", what);
        j_str(o, "driver", cd ? "scsi-cd" : "scsi-hd");
        j_str(o, "bus", bus);
        if (lsi) {
            j_int(o, "scsi-id", a->drive.unit);
        } else {
            j_int(o, "channel", a->drive.bus);
            j_int(o, "scsi-id", a->drive.target);
            j_int(o, "lun", a->drive.unit);
        }
        if (!d->serial) {
            devid = g_strdup_printf("drive-%s", alias);
            j_str(o, "device_id", devid);
        }
        break;
    }
    case VK_DISK_BUS_FDC:
        j_str(o, "driver", "floppy");
        j_int(o, "unit", a->drive.unit);
        break;
    case VK_DISK_BUS_USB: {
        j_str(o, "driver", "usb-storage");
        add_usb_address(c, o, &d->info);
        break;
    }
    default:
        g_string_free(o, TRUE);
        return unsupported("disk bus '%s' is not supported", vk_disk_bus_to_string(d->bus));
    }
    if (d->shareable)   /* other guests may write it too (QEMU's image locking) */
        j_bool(o, "share-rw", true);
    if (has_media)
        j_str(o, "drive", format);
    j_str(o, "id", alias);
    add_bootindex(c, o, &d->info);
    if (d->blockio_logical)
        j_int(o, "logical_block_size", d->blockio_logical);
    if (d->blockio_physical)
        j_int(o, "physical_block_size", d->blockio_physical);
    if (d->wwn)
        j_str(o, "wwn", d->wwn);
    if (d->vendor)
        j_str(o, "vendor", d->vendor);
    if (d->product)
        j_str(o, "product", d->product);
    if (d->bus == VK_DISK_BUS_USB && d->target_removable)
        j_bool(o, "removable", d->target_removable == VK_TRISTATE_ON);
    if (cache.set && !cd)
        j_str(o, "write-cache", cache.writeback ? "on" : "off");
    j_str(o, "serial", d->serial);
    if (d->driver_error_policy) {
        j_str(o, "werror", vk_disk_error_policy_to_string(d->driver_error_policy));
        j_str(o, "rerror", vk_disk_error_policy_to_string(d->driver_rerror_policy ? d->driver_rerror_policy
                                                                                  : d->driver_error_policy));
    }
    add_obj(c, "-device", o);
    return 0;

error:
    g_string_free(o, TRUE);
    return -1;
}

guint
vk_qemu_disk_node_index(const VkDomainDef *def, guint i)
{
    /* node names count down: the first disk gets libvirt-N-*, the last
     * libvirt-1-*; backing images take the numbers after (block-chain.h) */
    return def->disks->len - i;
}

static int
build_disks(Ctx *c)
{
    for (guint i = 0; i < c->def->disks->len; i++)
        if (build_disk(c, g_ptr_array_index(c->def->disks, i),
                       vk_qemu_disk_node_index(c->def, i)) < 0)
            return -1;
    return 0;
}

/* ---------------------------------------------------------------------------
 * Network interfaces
 * ------------------------------------------------------------------------- */

static char *
nic_driver(const char *model)
{
    if (!model)
        return g_strdup("rtl8139");
    if (g_str_equal(model, "virtio") || g_str_equal(model, "virtio-transitional") ||
        g_str_equal(model, "virtio-non-transitional"))
        return virtio_driver("virtio-net-pci", vk_virtio_model_from_string(model));
    if (g_str_equal(model, "e1000") || g_str_equal(model, "e1000e") || g_str_equal(model, "rtl8139") ||
        g_str_equal(model, "ne2k_pci") || g_str_equal(model, "pcnet") || g_str_equal(model, "vmxnet3") ||
        g_str_equal(model, "i82559er") || g_str_equal(model, "i82557b") || g_str_equal(model, "i82801"))
        return g_strdup(model);
    return NULL;
}

static int
build_hostdev_pci(Ctx *c, const VkPciAddress *src, const VkDeviceInfo *info, const char *alias,
                  const char *what)
{
    g_autofree char *host = g_strdup_printf("%04x:%02x:%02x.%x", src->domain, src->bus, src->slot,
                                            src->function);
    GString *o = obj_new();

    j_str(o, "driver", "vfio-pci");
    j_str(o, "host", host);
    j_str(o, "id", alias);
    add_bootindex(c, o, info);
    if (add_pci_address(c, o, info, what) < 0) {
        g_string_free(o, TRUE);
        return -1;
    }
    add_rom(o, info);
    add_obj(c, "-device", o);
    return 0;
}

/* What the caller opened for the I-th interface, or NULL. */
static const VkQemuNetFds *
net_fds_of(const VkQemuCommandOptions *opts, guint i)
{
    return opts->net_fds && i < opts->n_net_fds ? &opts->net_fds[i] : NULL;
}

/* The tap of a -netdev tap: the fds the caller opened (by the name QEMU got
 * them under over QMP, or by number for the child to inherit), else the
 * tap named by <target dev=>.  Takes O back on failure. */
static int
add_tap_backend(Ctx *c, GString *o, const VkDomainNetDef *net, const VkQemuNetFds *fds,
                const char *what)
{
    j_str(o, "type", "tap");
    if (fds && fds->tap_fd_name) {
        j_str(o, "fd", fds->tap_fd_name);
    } else if (fds && fds->tap_fd >= 0) {
        g_autofree char *fd = g_strdup_printf("%d", fds->tap_fd);
        j_str(o, "fd", fd);
        g_array_append_val(c->cmd->pass_fds, fds->tap_fd);
        if (fds->vhost_fd >= 0) {
            g_autofree char *vfd = g_strdup_printf("%d", fds->vhost_fd);
            j_bool(o, "vhost", true);
            j_str(o, "vhostfd", vfd);
            g_array_append_val(c->cmd->pass_fds, fds->vhost_fd);
        }
    } else if (net->target_dev && net->type != VK_NET_TYPE_DIRECT) {
        /* a tap the caller made (and bridged) before starting QEMU */
        j_str(o, "ifname", net->target_dev);
        j_str(o, "script", "no");
        j_str(o, "downscript", "no");
    } else {
        g_string_free(o, TRUE);
        return unsupported("%s needs a tap file descriptor or a <target dev=> tap", what);
    }
    return 0;
}

/* The interface NET, the I-th: -netdev then -device.  FDS: how it reaches
 * the host (may be NULL). */
static int
build_net(Ctx *c, VkDomainNetDef *net, guint i, const VkQemuNetFds *fds)
{
    g_autofree char *alias = alias_or(&net->info, "net", i);
    g_autofree char *netdev = g_strdup_printf("host%s", alias);
    g_autofree char *what = g_strdup_printf("interface '%s'", net->mac);
    g_autofree char *driver = NULL;
    GString *o;

    if (vk_domain_net_actual_type(net) == VK_NET_TYPE_HOSTDEV) {
        g_autofree char *hd = alias_or(&net->info, "hostdev", i);
        if (!net->has_src_pci)
            return unsupported("%s of type hostdev needs a PCI source address", what);
        return build_hostdev_pci(c, &net->src_pci, &net->info, user_alias(&net->info) ? alias : hd, what);
    }
    if (!(driver = nic_driver(net->model)))
        return unsupported("interface model '%s' is not supported", net->model);

    o = obj_new();
    switch (net->type) {
    case VK_NET_TYPE_USER:
        j_str(o, "type", "user");
        break;
    case VK_NET_TYPE_NETWORK:
    case VK_NET_TYPE_BRIDGE:
    case VK_NET_TYPE_ETHERNET:
    case VK_NET_TYPE_DIRECT:
        if (add_tap_backend(c, o, net, fds, what) < 0)
            return -1;
        break;
    default:
        g_string_free(o, TRUE);
        return unsupported("interface type '%s' is not supported", vk_net_type_to_string(net->type));
    }
    j_str(o, "id", netdev);
    add_obj(c, "-netdev", o);

    o = obj_new();
    j_str(o, "driver", driver);
    if (g_str_has_prefix(driver, "virtio-net")) {
        if (net->driver_queues > 1) {
            j_bool(o, "mq", true);
            j_int(o, "vectors", 2 * net->driver_queues + 2);
        }
        if (net->driver_txmode)
            j_str(o, "tx", net->driver_txmode == VK_NET_TXMODE_IOTHREAD
                           ? "bh" : vk_net_txmode_to_string(net->driver_txmode));
        if (net->driver_ioeventfd)
            j_str(o, "ioeventfd", net->driver_ioeventfd == VK_TRISTATE_ON ? "on" : "off");
        if (net->driver_event_idx)
            j_str(o, "event_idx", net->driver_event_idx == VK_TRISTATE_ON ? "on" : "off");
        if (net->driver_rx_queue_size)
            j_int(o, "rx_queue_size", net->driver_rx_queue_size);
        if (net->driver_tx_queue_size)
            j_int(o, "tx_queue_size", net->driver_tx_queue_size);
    }
    j_str(o, "netdev", netdev);
    j_str(o, "id", alias);
    j_str(o, "mac", net->mac);
    if (net->mtu)
        j_int(o, "host_mtu", net->mtu);
    add_bootindex(c, o, &net->info);
    if (add_pci_address(c, o, &net->info, what) < 0) {
        g_string_free(o, TRUE);
        return -1;
    }
    add_rom(o, &net->info);
    add_obj(c, "-device", o);
    return 0;
}

/* ---------------------------------------------------------------------------
 * Serial, parallel, channels, consoles
 * ------------------------------------------------------------------------- */

static int
build_serial(Ctx *c, VkDomainChrDef *chr, guint i)
{
    g_autofree char *alias = alias_or(&chr->info, "serial", i);
    g_autofree char *chardev = g_strdup_printf("char%s", alias);
    VkChrSerialTarget target = chr->target_type ? chr->target_type : VK_CHR_SERIAL_TARGET_ISA;
    GString *o;

    if (add_chardev(c, chr, chardev, alias) < 0)
        return -1;
    o = obj_new();
    if (target == VK_CHR_SERIAL_TARGET_ISA) {
        j_str(o, "driver", "isa-serial");
        j_str(o, "chardev", chardev);
        j_str(o, "id", alias);
        j_int(o, "index", chr->target_port >= 0 ? chr->target_port : (int) i);
    } else if (target == VK_CHR_SERIAL_TARGET_PCI) {
        j_str(o, "driver", "pci-serial");
        j_str(o, "chardev", chardev);
        j_str(o, "id", alias);
        if (add_pci_address(c, o, &chr->info, alias) < 0) {
            g_string_free(o, TRUE);
            return -1;
        }
    } else if (target == VK_CHR_SERIAL_TARGET_USB) {
        j_str(o, "driver", "usb-serial");
        j_str(o, "chardev", chardev);
        j_str(o, "id", alias);
        add_usb_address(c, o, &chr->info);
    } else {
        g_string_free(o, TRUE);
        return unsupported("serial target type '%s' is not supported",
                           vk_chr_serial_target_to_string(target));
    }
    add_obj(c, "-device", o);
    return 0;
}

static int
add_virtio_serial_port(Ctx *c, const VkDomainChrDef *chr, const char *driver, const char *chardev,
                       const char *alias)
{
    const VkDeviceAddress *a = &chr->info.addr;
    unsigned int ctrl = a->type == VK_DEVICE_ADDRESS_VIRTIO_SERIAL ? a->vioserial.controller : 0;
    unsigned int bus = a->type == VK_DEVICE_ADDRESS_VIRTIO_SERIAL ? a->vioserial.bus : 0;
    g_autofree char *calias = controller_alias_of(c, VK_CONTROLLER_VIRTIO_SERIAL, (int) ctrl);
    g_autofree char *busname = g_strdup_printf("%s.%u", calias, bus);
    GString *o = obj_new();

    j_str(o, "driver", driver);
    /* without an address (a virtio console) QEMU picks the port */
    if (a->type == VK_DEVICE_ADDRESS_VIRTIO_SERIAL) {
        j_str(o, "bus", busname);
        j_int(o, "nr", a->vioserial.port);
    }
    j_str(o, "chardev", chardev);
    j_str(o, "id", alias);
    j_str(o, "name", chr->target_name);
    add_obj(c, "-device", o);
    return 0;
}

static int
build_channel(Ctx *c, VkDomainChrDef *chr, guint i)
{
    g_autofree char *alias = alias_or(&chr->info, "channel", i);
    g_autofree char *chardev = g_strdup_printf("char%s", alias);

    if (chr->target_type != VK_CHR_CHANNEL_TARGET_VIRTIO)
        return unsupported("channel target type '%s' is not supported",
                           vk_domain_chr_target_type_to_string(chr));
    if (add_chardev(c, chr, chardev, alias) < 0)
        return -1;
    return add_virtio_serial_port(c, chr, "virtserialport", chardev, alias);
}

static int
build_console(Ctx *c, VkDomainChrDef *chr, guint i)
{
    g_autofree char *alias = alias_or(&chr->info, "console", i);
    g_autofree char *chardev = g_strdup_printf("char%s", alias);

    /* a serial console is the first <serial> itself */
    if (vk_domain_chr_is_serial_console(chr))
        return 0;
    if (chr->target_type != VK_CHR_CONSOLE_TARGET_VIRTIO)
        return unsupported("console target type '%s' is not supported",
                           vk_domain_chr_target_type_to_string(chr));
    if (add_chardev(c, chr, chardev, alias) < 0)
        return -1;
    return add_virtio_serial_port(c, chr, "virtconsole", chardev, alias);
}

static int
build_parallel(Ctx *c, VkDomainChrDef *chr, guint i)
{
    g_autofree char *alias = alias_or(&chr->info, "parallel", i);
    g_autofree char *chardev = g_strdup_printf("char%s", alias);
    GString *o;

    if (add_chardev(c, chr, chardev, alias) < 0)
        return -1;
    o = obj_new();
    j_str(o, "driver", "isa-parallel");
    j_str(o, "chardev", chardev);
    j_str(o, "id", alias);
    add_obj(c, "-device", o);
    return 0;
}

/* ---------------------------------------------------------------------------
 * Input, audio, graphics, video, sound
 * ------------------------------------------------------------------------- */

static int
build_input(Ctx *c, VkDomainInputDef *in, guint i)
{
    g_autofree char *alias = alias_or(&in->info, "input", i);
    GString *o;

    if (in->bus == VK_INPUT_BUS_ABSENT || in->bus == VK_INPUT_BUS_PS2)
        return 0;
    o = obj_new();
    if (in->bus == VK_INPUT_BUS_USB) {
        const char *driver = in->type == VK_INPUT_TYPE_TABLET ? "usb-tablet"
                           : in->type == VK_INPUT_TYPE_KEYBOARD ? "usb-kbd" : "usb-mouse";
        j_str(o, "driver", driver);
        j_str(o, "id", alias);
        add_usb_address(c, o, &in->info);
    } else if (in->bus == VK_INPUT_BUS_VIRTIO) {
        const char *base = in->type == VK_INPUT_TYPE_TABLET ? "virtio-tablet-pci"
                         : in->type == VK_INPUT_TYPE_KEYBOARD ? "virtio-keyboard-pci"
                         : in->type == VK_INPUT_TYPE_MOUSE ? "virtio-mouse-pci"
                         : "virtio-input-host-pci";
        j_virtio_driver(o, base, in->model);
        j_str(o, "id", alias);
        if (in->type == VK_INPUT_TYPE_PASSTHROUGH)
            j_str(o, "evdev", in->source_evdev);
        if (add_pci_address(c, o, &in->info, alias) < 0) {
            g_string_free(o, TRUE);
            return -1;
        }
    } else {
        g_string_free(o, TRUE);
        return unsupported("input bus '%s' is not supported", vk_input_bus_to_string(in->bus));
    }
    add_obj(c, "-device", o);
    return 0;
}

static int
build_audio(Ctx *c)
{
    for (guint i = 0; i < c->def->audios->len; i++) {
        VkDomainAudioDef *a = g_ptr_array_index(c->def->audios, i);
        g_autofree char *id = g_strdup_printf("audio%u", a->id);
        const char *driver = a->type == VK_AUDIO_TYPE_PULSEAUDIO ? "pa"
                           : a->type == VK_AUDIO_TYPE_FILE ? "wav" : vk_audio_type_to_string(a->type);
        GString *o = obj_new();
        j_str(o, "id", id);
        j_str(o, "driver", driver);
        if (a->type == VK_AUDIO_TYPE_PULSEAUDIO)
            j_str(o, "server", a->server_name);
        if (a->type == VK_AUDIO_TYPE_FILE)
            j_str(o, "path", a->path);
        add_obj(c, "-audiodev", o);
    }
    return 0;
}

static int
build_graphics(Ctx *c)
{
    for (guint i = 0; i < c->def->graphics->len; i++) {
        VkDomainGraphicsDef *g = g_ptr_array_index(c->def->graphics, i);
        GString *s = g_string_new(NULL);
        bool socket = g->listen_type == VK_GRAPHICS_LISTEN_SOCKET ||
                      (!g->listen_type && g->listen_socket);
        const char *addr = g->listen_address ? g->listen_address : "127.0.0.1";

        if (g->type == VK_GRAPHICS_VNC) {
            if (socket) {
                if (!g->listen_socket) {
                    g_string_free(s, TRUE);
                    return unsupported("%s needs a socket path", "<graphics type='vnc'> listen type socket");
                }
                g_string_append(s, "vnc=unix:");
                vk_qemu_escape_comma_append(s, g->listen_socket);
            } else {
                int port = g->port > 0 ? g->port : (c->opts->vnc_port ? c->opts->vnc_port : 5900);
                if (strchr(addr, ':'))
                    g_string_append_printf(s, "[%s]:%d", addr, port - 5900);
                else
                    g_string_append_printf(s, "%s:%d", addr, port - 5900);
                if (g->websocket)
                    g_string_append_printf(s, ",websocket=%s", g->websocket);
            }
            if (g->share_policy)
                g_string_append_printf(s, ",share=%s", g->share_policy);
            if (g->passwd)
                g_string_append(s, ",password=on");
            if (c->audio_id)
                g_string_append_printf(s, ",audiodev=%s", c->audio_id);
            add2(c, "-vnc", g_string_free(s, FALSE));
        } else if (g->type == VK_GRAPHICS_SPICE) {
            int port = g->port > 0 ? g->port : (c->opts->spice_port ? c->opts->spice_port : 5900);
            if (socket) {
                g_string_append(s, "unix=on,addr=");
                vk_qemu_escape_comma_append(s, g->listen_socket ? g->listen_socket : "");
            } else {
                g_string_append_printf(s, "port=%d", port);
                if (g->tls_port > 0)
                    g_string_append_printf(s, ",tls-port=%d", g->tls_port);
                g_string_append(s, ",addr=");
                vk_qemu_escape_comma_append(s, addr);
            }
            if (!g->passwd)
                g_string_append(s, ",disable-ticketing=on");
            if (g->image_compression)
                g_string_append_printf(s, ",image-compression=%s", g->image_compression);
            g_string_append(s, ",seamless-migration=on");
            add2(c, "-spice", g_string_free(s, FALSE));
        } else {
            g_string_free(s, TRUE);
            return unsupported("graphics type '%s' is not supported", vk_graphics_type_to_string(g->type));
        }
    }
    return 0;
}

/* The QEMU device of video MODEL, the PRIMARY one or another; NULL when
 * QEMU has none (VGA-compatible cards can only be the primary one). */
static const char *
video_driver(const VkDomainVideoDef *v, VkVideoModel model, bool primary)
{
    switch (model) {
    case VK_VIDEO_MODEL_VGA:
        return primary ? "VGA" : NULL;
    case VK_VIDEO_MODEL_CIRRUS:
        return primary ? "cirrus-vga" : NULL;
    case VK_VIDEO_MODEL_VMVGA:
        return primary ? "vmware-svga" : NULL;
    case VK_VIDEO_MODEL_QXL:
        return primary ? "qxl-vga" : "qxl";
    case VK_VIDEO_MODEL_VIRTIO:
        if (!primary)
            return "virtio-gpu-pci";
        return v->accel3d == VK_TRISTATE_ON ? "virtio-vga-gl" : "virtio-vga";
    case VK_VIDEO_MODEL_BOCHS:
        return "bochs-display";
    case VK_VIDEO_MODEL_RAMFB:
        return "ramfb";
    default:
        return NULL;
    }
}

static int
build_video(Ctx *c, VkDomainVideoDef *v, guint i)
{
    g_autofree char *alias = alias_or(&v->info, "video", i);
    VkVideoModel model = v->model == VK_VIDEO_MODEL_DEFAULT ? VK_VIDEO_MODEL_VGA : v->model;
    const char *driver = video_driver(v, model, i == 0);
    GString *o;

    if (model == VK_VIDEO_MODEL_NONE)
        return 0;
    if (!driver)
        return unsupported("video model '%s' is not supported here", vk_video_model_to_string(model));

    o = obj_new();
    j_str(o, "driver", driver);
    j_str(o, "id", alias);
    if (model == VK_VIDEO_MODEL_VGA || model == VK_VIDEO_MODEL_VMVGA) {
        j_int_nz(o, "vgamem_mb", v->vram / 1024);
    } else if (model == VK_VIDEO_MODEL_QXL) {
        j_int_nz(o, "max_outputs", v->heads);
        j_int_nz(o, "ram_size", (long long) v->ram * 1024);
        j_int_nz(o, "vram_size", (long long) v->vram * 1024);
        j_int(o, "vram64_size_mb", v->vram64 / 1024);
        j_int_nz(o, "vgamem_mb", v->vgamem / 1024);
    } else if (model == VK_VIDEO_MODEL_VIRTIO) {
        j_int_nz(o, "max_outputs", v->heads);
    } else if (model == VK_VIDEO_MODEL_BOCHS) {
        j_int_nz(o, "vgamem", (long long) v->vram * 1024);
    }
    if (model != VK_VIDEO_MODEL_RAMFB && add_pci_address(c, o, &v->info, alias) < 0) {
        g_string_free(o, TRUE);
        return -1;
    }
    add_obj(c, "-device", o);
    return 0;
}

static int
build_sound(Ctx *c, VkDomainSoundDef *snd, guint i)
{
    g_autofree char *alias = alias_or(&snd->info, "sound", i);
    g_autofree char *audio = snd->audio_id ? g_strdup_printf("audio%u", snd->audio_id) : g_strdup(c->audio_id);
    const char *driver = NULL;
    bool hda = false;
    GString *o;

    switch (snd->model) {
    case VK_SOUND_MODEL_ICH6: driver = "intel-hda", hda = true; break;
    case VK_SOUND_MODEL_ICH9: driver = "ich9-intel-hda", hda = true; break;
    case VK_SOUND_MODEL_ICH7: driver = "ich7-intel-hda", hda = true; break;
    case VK_SOUND_MODEL_AC97: driver = "AC97"; break;
    case VK_SOUND_MODEL_ES1370: driver = "ES1370"; break;
    case VK_SOUND_MODEL_USB: driver = "usb-audio"; break;
    default: break;
    }
    if (!driver)
        return unsupported("sound model '%s' is not supported", vk_sound_model_to_string(snd->model));

    o = obj_new();
    j_str(o, "driver", driver);
    j_str(o, "id", alias);
    if (!hda)
        j_str(o, "audiodev", audio);
    if (snd->model == VK_SOUND_MODEL_USB) {
        add_usb_address(c, o, &snd->info);
    } else if (add_pci_address(c, o, &snd->info, alias) < 0) {
        g_string_free(o, TRUE);
        return -1;
    }
    add_obj(c, "-device", o);
    if (!hda)
        return 0;

    guint ncodecs = snd->codecs && snd->codecs->len ? snd->codecs->len : 1;
    for (guint k = 0; k < ncodecs; k++) {
        const char *type = snd->codecs && snd->codecs->len ? g_ptr_array_index(snd->codecs, k) : "duplex";
        g_autofree char *cdriver = g_strdup_printf("hda-%s", type);
        g_autofree char *cid = g_strdup_printf("%s-codec%u", alias, k);
        g_autofree char *bus = g_strdup_printf("%s.0", alias);
        o = obj_new();
        j_str(o, "driver", cdriver);
        j_str(o, "id", cid);
        j_str(o, "bus", bus);
        j_int(o, "cad", k);
        j_str(o, "audiodev", audio);
        add_obj(c, "-device", o);
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Watchdog, redirdev, hostdev, balloon, RNG, panic
 * ------------------------------------------------------------------------- */

static int
build_watchdogs(Ctx *c)
{
    for (guint i = 0; i < c->def->watchdogs->len; i++) {
        VkDomainWatchdogDef *w = g_ptr_array_index(c->def->watchdogs, i);
        g_autofree char *alias = alias_or(&w->info, "watchdog", i);
        VkWatchdogAction action = w->action ? w->action : VK_WATCHDOG_ACTION_RESET;
        GString *o = obj_new();

        if (w->model == VK_WATCHDOG_MODEL_I6300ESB) {
            j_str(o, "driver", "i6300esb");
            j_str(o, "id", alias);
            if (add_pci_address(c, o, &w->info, alias) < 0) {
                g_string_free(o, TRUE);
                return -1;
            }
        } else if (w->model == VK_WATCHDOG_MODEL_IB700) {
            j_str(o, "driver", "ib700");
            j_str(o, "id", alias);
        } else {
            g_string_free(o, TRUE);
            return unsupported("watchdog model '%s' is not supported", vk_watchdog_model_to_string(w->model));
        }
        add_obj(c, "-device", o);
        /* QEMU has no "dump": libvirt pauses the guest and dumps it itself */
        if (action == VK_WATCHDOG_ACTION_DUMP)
            action = VK_WATCHDOG_ACTION_PAUSE;
        add2s(c, "-watchdog-action", vk_watchdog_action_to_string(action));
    }
    return 0;
}

static int
build_redirdevs(Ctx *c)
{
    for (guint i = 0; i < c->def->redirdevs->len; i++) {
        VkDomainRedirdevDef *r = g_ptr_array_index(c->def->redirdevs, i);
        g_autofree char *alias = alias_or(&r->info, "redir", i);
        g_autofree char *chardev = g_strdup_printf("char%s", alias);
        VkDomainChrDef chr = {
            .kind = VK_CHR_SERIAL, .type = r->type, .src_host = r->src_host,
            .src_service = r->src_service, .protocol = r->protocol,
            .src_mode = VK_CHR_SOURCE_MODE_CONNECT,
        };
        if (add_chardev(c, &chr, chardev, alias) < 0)
            return -1;
        GString *o = obj_new();
        j_str(o, "driver", "usb-redir");
        j_str(o, "chardev", chardev);
        j_str(o, "id", alias);
        add_usb_address(c, o, &r->info);
        add_obj(c, "-device", o);
    }
    return 0;
}

static int
build_hostdevs(Ctx *c)
{
    for (guint i = 0; i < c->def->hostdevs->len; i++) {
        VkDomainHostdevDef *h = g_ptr_array_index(c->def->hostdevs, i);
        g_autofree char *alias = alias_or(&h->info, "hostdev", i);

        if (h->type != VK_HOSTDEV_PCI || (h->driver && h->driver != VK_HOSTDEV_DRIVER_VFIO))
            return unsupported("hostdev type '%s' is not supported (only PCI with VFIO)",
                               vk_hostdev_type_to_string(h->type));
        if (h->info.addr.type == VK_DEVICE_ADDRESS_UNASSIGNED)
            continue;
        if (build_hostdev_pci(c, &h->src_pci, &h->info, alias, alias) < 0)
            return -1;
    }
    return 0;
}

static int
build_memballoon(Ctx *c)
{
    const VkDomainMemballoonDef *b = c->def->memballoon;
    GString *o;

    if (!vk_domain_def_has_balloon(c->def))
        return 0;
    if (b->model == VK_MEMBALLOON_MODEL_XEN)
        return unsupported("memballoon model '%s' is not supported", vk_memballoon_model_to_string(b->model));
    g_autofree char *alias = alias_or(&b->info, "balloon", 0);
    o = obj_new();
    j_virtio_driver(o, "virtio-balloon-pci",
                    b->model == VK_MEMBALLOON_MODEL_VIRTIO_TRANSITIONAL ? VK_VIRTIO_MODEL_TRANSITIONAL
                    : b->model == VK_MEMBALLOON_MODEL_VIRTIO_NON_TRANSITIONAL ? VK_VIRTIO_MODEL_NON_TRANSITIONAL
                    : VK_VIRTIO_MODEL_VIRTIO);
    j_str(o, "id", alias);
    if (b->autodeflate)
        j_bool(o, "deflate-on-oom", b->autodeflate == VK_TRISTATE_ON);
    if (b->free_page_reporting)
        j_bool(o, "free-page-reporting", b->free_page_reporting == VK_TRISTATE_ON);
    if (add_pci_address(c, o, &b->info, alias) < 0) {
        g_string_free(o, TRUE);
        return -1;
    }
    add_obj(c, "-device", o);
    return 0;
}

static int
build_rngs(Ctx *c)
{
    for (guint i = 0; i < c->def->rngs->len; i++) {
        VkDomainRngDef *r = g_ptr_array_index(c->def->rngs, i);
        g_autofree char *alias = alias_or(&r->info, "rng", i);
        g_autofree char *obj = g_strdup_printf("obj%s", alias);
        GString *o;

        o = obj_new();
        if (r->backend_model == VK_RNG_BACKEND_RANDOM) {
            j_str(o, "qom-type", "rng-random");
            j_str(o, "id", obj);
            j_str(o, "filename", r->backend_path ? r->backend_path : "/dev/urandom");
        } else if (r->backend_model == VK_RNG_BACKEND_BUILTIN) {
            j_str(o, "qom-type", "rng-builtin");
            j_str(o, "id", obj);
        } else {
            g_autofree char *chardev = g_strdup_printf("char%s", alias);
            VkDomainChrDef chr = {
                .kind = VK_CHR_SERIAL, .type = r->egd_type, .src_mode = r->egd_src_mode,
                .src_host = r->egd_src_host, .src_service = r->egd_src_service,
                .src_path = r->egd_src_path, .protocol = r->egd_protocol,
            };
            if (add_chardev(c, &chr, chardev, alias) < 0) {
                g_string_free(o, TRUE);
                return -1;
            }
            j_str(o, "qom-type", "rng-egd");
            j_str(o, "id", obj);
            j_str(o, "chardev", chardev);
        }
        add_obj(c, "-object", o);

        o = obj_new();
        j_virtio_driver(o, "virtio-rng-pci", r->model);
        j_str(o, "rng", obj);
        j_str(o, "id", alias);
        if (r->rate_bytes) {
            j_int(o, "max-bytes", r->rate_bytes);
            j_int(o, "period", r->rate_period ? r->rate_period : 1000);
        }
        if (add_pci_address(c, o, &r->info, alias) < 0) {
            g_string_free(o, TRUE);
            return -1;
        }
        add_obj(c, "-device", o);
    }
    return 0;
}

static int
build_panics(Ctx *c)
{
    for (guint i = 0; i < c->def->panics->len; i++) {
        VkDomainPanicDef *p = g_ptr_array_index(c->def->panics, i);
        VkPanicModel model = p->model ? p->model : VK_PANIC_MODEL_ISA;

        if (model == VK_PANIC_MODEL_HYPERV)
            continue;     /* a CPU flag (hv-crash), not a device */
        if (model != VK_PANIC_MODEL_ISA)
            return unsupported("panic model '%s' is not supported", vk_panic_model_to_string(model));
        GString *o = obj_new();
        j_str(o, "driver", "pvpanic");
        /* libvirt names the port only when the XML gives one; QEMU's
         * default is 0x505 */
        if (p->info.addr.type == VK_DEVICE_ADDRESS_ISA && p->info.addr.isa.iobase)
            j_int(o, "ioport", p->info.addr.isa.iobase);
        add_obj(c, "-device", o);
    }
    return 0;
}

/* What we refuse rather than start without */
static int
check_unsupported(const VkDomainDef *def)
{
    static const struct { size_t off; const char *what; } lists[] = {
        { G_STRUCT_OFFSET(VkDomainDef, filesystems), "<filesystem>" },
        { G_STRUCT_OFFSET(VkDomainDef, tpms), "<tpm>" },
        { G_STRUCT_OFFSET(VkDomainDef, shmems), "<shmem>" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(lists); i++) {
        GPtrArray *arr = G_STRUCT_MEMBER(GPtrArray *, def, lists[i].off);
        if (arr && arr->len)
            return unsupported("%s devices are not supported yet", lists[i].what);
    }
    if (def->iommu)
        return unsupported("%s is not supported yet", "<iommu>");
    if (def->vsock)
        return unsupported("%s is not supported yet", "<vsock>");
    if (def->raw_devices && def->raw_devices->len) {
        VkDomainRawElement *r = g_ptr_array_index(def->raw_devices, 0);
        return unsupported("<%s> devices are not supported yet", r->name);
    }
    if (def->virt_type != VK_VIRT_KVM && def->virt_type != VK_VIRT_QEMU)
        return unsupported("domain type '%s' is not supported", vk_domain_virt_type_to_string(def->virt_type));
    if (def->os.arch && !g_str_equal(def->os.arch, "x86_64"))
        return unsupported("architecture '%s' is not supported", def->os.arch);
    if (!def->os.machine || (!vk_domain_machine_is_q35(def->os.machine) &&
                             !vk_domain_machine_is_i440fx(def->os.machine)))
        return unsupported("machine type '%s' is not supported", def->os.machine);
    return 0;
}

/* ---------------------------------------------------------------------------
 * The whole command
 * ------------------------------------------------------------------------- */

void
vk_qemu_command_free(VkQemuCommand *cmd)
{
    if (!cmd)
        return;
    g_ptr_array_unref(cmd->argv);
    g_ptr_array_unref(cmd->env);
    g_array_unref(cmd->pass_fds);
    g_free(cmd);
}

static void
build_env(Ctx *c)
{
    const char *path = c->opts->path_env ? c->opts->path_env : g_getenv("PATH");
    const char *dir = c->opts->priv_dir;
    GPtrArray *env = c->cmd->env;

    g_ptr_array_add(env, g_strdup("LC_ALL=C"));
    if (path)
        g_ptr_array_add(env, g_strdup_printf("PATH=%s", path));
    g_ptr_array_add(env, g_strdup_printf("HOME=%s", dir));
    g_ptr_array_add(env, g_strdup_printf("XDG_DATA_HOME=%s/.local/share", dir));
    g_ptr_array_add(env, g_strdup_printf("XDG_CACHE_HOME=%s/.cache", dir));
    g_ptr_array_add(env, g_strdup_printf("XDG_CONFIG_HOME=%s/.config", dir));
    g_ptr_array_add(env, NULL);
}

static int
build_all(Ctx *c)
{
    const VkDomainDef *def = c->def;
    GString *s;

    if (check_unsupported(def) < 0)
        return -1;

    s = g_string_new("guest=");
    vk_qemu_escape_comma_append(s, def->name);
    g_string_append(s, ",debug-threads=on");
    add2(c, "-name", g_string_free(s, FALSE));
    add(c, "-S");
    if (build_machine(c) < 0 || build_cpu(c) < 0 || build_memory_and_smp(c) < 0)
        return -1;

    char uuid[37];
    vk_domain_uuid_format(def->uuid, uuid);
    add2s(c, "-uuid", uuid);
    if (def->graphics->len == 0)
        add2s(c, "-display", "none");
    add(c, "-no-user-config");
    add(c, "-nodefaults");

    s = g_string_new("socket,id=charmonitor,path=");
    vk_qemu_escape_comma_append(s, c->opts->monitor_path);
    g_string_append(s, ",server=on,wait=off");
    add2(c, "-chardev", g_string_free(s, FALSE));
    add2s(c, "-mon", "chardev=charmonitor,id=monitor,mode=control");
    if (c->opts->pid_path)
        add2s(c, "-pidfile", c->opts->pid_path);

    if (build_clock(c) < 0)
        return -1;
    build_pm_and_boot(c);
    if (build_controllers(c) < 0 || build_disks(c) < 0)
        return -1;
    for (guint i = 0; i < def->nets->len; i++)
        if (build_net(c, g_ptr_array_index(def->nets, i), i, net_fds_of(c->opts, i)) < 0)
            return -1;
    for (guint i = 0; i < def->serials->len; i++)
        if (build_serial(c, g_ptr_array_index(def->serials, i), i) < 0)
            return -1;
    for (guint i = 0; i < def->parallels->len; i++)
        if (build_parallel(c, g_ptr_array_index(def->parallels, i), i) < 0)
            return -1;
    for (guint i = 0; i < def->channels->len; i++)
        if (build_channel(c, g_ptr_array_index(def->channels, i), i) < 0)
            return -1;
    for (guint i = 0; i < def->consoles->len; i++)
        if (build_console(c, g_ptr_array_index(def->consoles, i), i) < 0)
            return -1;
    for (guint i = 0; i < def->inputs->len; i++)
        if (build_input(c, g_ptr_array_index(def->inputs, i), i) < 0)
            return -1;
    if (build_audio(c) < 0 || build_graphics(c) < 0)
        return -1;
    for (guint i = 0; i < def->videos->len; i++)
        if (build_video(c, g_ptr_array_index(def->videos, i), i) < 0)
            return -1;
    for (guint i = 0; i < def->sounds->len; i++)
        if (build_sound(c, g_ptr_array_index(def->sounds, i), i) < 0)
            return -1;
    if (build_watchdogs(c) < 0 || build_redirdevs(c) < 0 || build_hostdevs(c) < 0 ||
        build_memballoon(c) < 0 || build_rngs(c) < 0)
        return -1;
    if (c->opts->incoming)
        add2s(c, "-incoming", c->opts->incoming);
    if (c->opts->loadvm)
        add2s(c, "-loadvm", c->opts->loadvm);
    add2s(c, "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    if (build_panics(c) < 0)
        return -1;
    add2s(c, "-msg", "timestamp=on");
    return 0;
}

VkQemuCommand *
vk_qemu_command_build(const VkDomainDef *def, const VkQemuCommandOptions *opts)
{
    g_autoptr(VkQemuCommand) cmd = g_new0(VkQemuCommand, 1);
    g_autoptr(GHashTable) boot = g_hash_table_new(NULL, NULL);
    g_autoptr(GHashTable) usb = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    g_autofree char *audio = NULL;
    Ctx c = { .def = def, .opts = opts, .cmd = cmd, .boot = boot, .usb = usb };

    cmd->argv = g_ptr_array_new_with_free_func(g_free);
    cmd->env = g_ptr_array_new_with_free_func(g_free);
    cmd->pass_fds = g_array_new(FALSE, FALSE, sizeof(int));
    if (!def || !def->name) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s", "no domain definition");
        return NULL;
    }
    if (!opts || !opts->monitor_path || !opts->priv_dir) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "%s",
                        "the QEMU command needs a monitor path and a private directory");
        return NULL;
    }
    c.q35 = def->os.machine && vk_domain_machine_is_q35(def->os.machine);
    if (def->audios->len) {
        audio = g_strdup_printf("audio%u", ((VkDomainAudioDef *) g_ptr_array_index(def->audios, 0))->id);
        c.audio_id = audio;
    }
    compute_boot(&c);
    compute_usb(&c);

    build_env(&c);
    add(&c, opts->emulator ? opts->emulator : def->emulator ? def->emulator : DEFAULT_EMULATOR);
    if (build_all(&c) < 0)
        return NULL;
    g_ptr_array_add(cmd->argv, NULL);
    return g_steal_pointer(&cmd);
}

/* Quote for a POSIX shell when the word has anything but safe characters */
static void
shell_word(GString *s, const char *w)
{
    if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        "-_=+,./:@%") == strlen(w)) {
        g_string_append(s, w);
        return;
    }
    g_autofree char *q = g_shell_quote(w);
    g_string_append(s, q);
}

char *
vk_qemu_command_to_string(const VkQemuCommand *cmd)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < cmd->env->len && g_ptr_array_index(cmd->env, i); i++) {
        shell_word(s, g_ptr_array_index(cmd->env, i));
        g_string_append_c(s, ' ');
    }
    for (guint i = 0; i < cmd->argv->len && g_ptr_array_index(cmd->argv, i); i++) {
        if (i)
            g_string_append_c(s, ' ');
        shell_word(s, g_ptr_array_index(cmd->argv, i));
    }
    return g_string_free(s, FALSE);
}

/* ---------------------------------------------------------------------------
 * One device at a time, for hotplug
 * ------------------------------------------------------------------------- */

/* A context for building the options of one device of DEF: no boot order
 * but the device's own, no USB port it did not name. */
static GPtrArray *
one_device(const VkDomainDef *def, const VkDeviceInfo *info,
           int (*build)(Ctx *c, gpointer dev, guint n), gpointer dev, guint n)
{
    g_autoptr(VkQemuCommand) cmd = g_new0(VkQemuCommand, 1);
    g_autoptr(GHashTable) boot = g_hash_table_new(NULL, NULL);
    g_autoptr(GHashTable) usb = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    VkQemuCommandOptions opts = { 0 };
    Ctx c = { .def = def, .opts = &opts, .cmd = cmd, .boot = boot, .usb = usb };

    cmd->argv = g_ptr_array_new_with_free_func(g_free);
    cmd->env = g_ptr_array_new_with_free_func(g_free);
    cmd->pass_fds = g_array_new(FALSE, FALSE, sizeof(int));
    c.q35 = def->os.machine && vk_domain_machine_is_q35(def->os.machine);
    if (info->boot_order)
        g_hash_table_insert(boot, (gpointer) info, GINT_TO_POINTER(info->boot_order));
    if (build(&c, dev, n) < 0)
        return NULL;
    return g_ptr_array_ref(cmd->argv);
}

static int
build_disk_cb(Ctx *c, gpointer dev, guint n)
{
    return build_disk(c, dev, n);
}

typedef struct {
    VkDomainNetDef *net;
    const VkQemuNetFds *fds;
} NetAndFds;

static int
build_net_cb(Ctx *c, gpointer dev, guint n)
{
    NetAndFds *nf = dev;

    return build_net(c, nf->net, n, nf->fds);
}

GPtrArray *
vk_qemu_command_disk_objects(const VkDomainDef *def, const VkDomainDiskDef *disk,
                             guint node_index)
{
    return one_device(def, &disk->info, build_disk_cb, (gpointer) disk, node_index);
}

GPtrArray *
vk_qemu_command_net_objects(const VkDomainDef *def, const VkDomainNetDef *net, guint index,
                            const VkQemuNetFds *fds)
{
    NetAndFds nf = { (VkDomainNetDef *) net, fds };

    return one_device(def, &net->info, build_net_cb, &nf, index);
}

/* Give every device its alias as QEMU knows it (the ids above), for the live
 * XML; devices that have one keep it. */
static void
name_list(GPtrArray *devices, gsize info_offset, const char *prefix)
{
    for (guint i = 0; i < devices->len; i++) {
        VkDeviceInfo *info = (VkDeviceInfo *) ((char *) g_ptr_array_index(devices, i) + info_offset);
        if (!info->alias)
            info->alias = g_strdup_printf("%s%u", prefix, i);
    }
}

void
vk_qemu_name_devices(VkDomainDef *def)
{
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (!d->info.alias)
            d->info.alias = vk_qemu_disk_alias(def, d);
    }
    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *n = g_ptr_array_index(def->nets, i);
        if (!n->info.alias)
            n->info.alias = vk_qemu_net_alias(n, i);
    }
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->info.alias)
            continue;
        /* q35's built-in AHCI is QEMU's "ide" */
        if (c->type == VK_CONTROLLER_SATA && c->index == 0 &&
            vk_domain_machine_is_q35(def->os.machine))
            c->info.alias = g_strdup("ide");
        else
            c->info.alias = controller_alias(c);
    }
    name_list(def->serials, G_STRUCT_OFFSET(VkDomainChrDef, info), "serial");
    name_list(def->parallels, G_STRUCT_OFFSET(VkDomainChrDef, info), "parallel");
    name_list(def->channels, G_STRUCT_OFFSET(VkDomainChrDef, info), "channel");
    name_list(def->inputs, G_STRUCT_OFFSET(VkDomainInputDef, info), "input");
    name_list(def->videos, G_STRUCT_OFFSET(VkDomainVideoDef, info), "video");
    name_list(def->sounds, G_STRUCT_OFFSET(VkDomainSoundDef, info), "sound");
    name_list(def->watchdogs, G_STRUCT_OFFSET(VkDomainWatchdogDef, info), "watchdog");
    name_list(def->redirdevs, G_STRUCT_OFFSET(VkDomainRedirdevDef, info), "redir");
    name_list(def->hostdevs, G_STRUCT_OFFSET(VkDomainHostdevDef, info), "hostdev");
    name_list(def->rngs, G_STRUCT_OFFSET(VkDomainRngDef, info), "rng");
    /* A console on the first serial port is that port, by its name. */
    for (guint i = 0; i < def->consoles->len; i++) {
        VkDomainChrDef *con = g_ptr_array_index(def->consoles, i);
        if (con->info.alias)
            continue;
        if (i == 0 && def->serials->len > 0 && con->target_type == VK_CHR_CONSOLE_TARGET_SERIAL)
            con->info.alias = g_strdup("serial0");
        else
            con->info.alias = g_strdup_printf("console%u", i);
    }
    if (vk_domain_def_has_balloon(def) && !def->memballoon->info.alias)
        def->memballoon->info.alias = g_strdup("balloon0");
}
