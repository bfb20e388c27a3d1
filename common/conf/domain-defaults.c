/* The defaults libvirt's QEMU driver adds when a domain is defined (x86_64,
 * QEMU 7.2), except PCI addresses and PCI controllers, which common/pci adds.
 * Applying them to a definition that already has them changes nothing. */
#include "common/conf/domain.h"
#include "common/util/error.h"

#include <string.h>

const VkMachineAlias vk_domain_default_machine_aliases[] = {
    { "pc", "pc-i440fx-7.2" },
    { "q35", "pc-q35-7.2" },
    { NULL, NULL },
};

#define DEFAULT_EMULATOR "/usr/bin/qemu-system-x86_64"

static void
set_default(char **field, const char *value)
{
    if (!*field)
        *field = g_strdup(value);
}

/* Index of a disk name: sda -> 0, sdz -> 25, sdaa -> 26 (libvirt's rule). */
static int
disk_index(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd", NULL };
    const char *p = NULL;
    int idx = 0;

    for (int i = 0; prefixes[i]; i++) {
        if (g_str_has_prefix(name, prefixes[i])) {
            p = name + strlen(prefixes[i]);
            break;
        }
    }
    if (!p || !*p)
        return -1;
    for (int n = 0; *p; p++, n++) {
        if (!g_ascii_islower(*p))
            return -1;
        idx = (n == 0 ? 0 : (idx + 1) * 26) + (*p - 'a');
    }
    return idx;
}

static VkDiskBus
default_disk_bus(const char *dev)
{
    if (g_str_has_prefix(dev, "hd"))
        return VK_DISK_BUS_IDE;
    if (g_str_has_prefix(dev, "sd"))
        return VK_DISK_BUS_SCSI;
    if (g_str_has_prefix(dev, "vd"))
        return VK_DISK_BUS_VIRTIO;
    if (g_str_has_prefix(dev, "xvd"))
        return VK_DISK_BUS_XEN;
    if (g_str_has_prefix(dev, "ubd"))
        return VK_DISK_BUS_UML;
    if (g_str_has_prefix(dev, "fd"))
        return VK_DISK_BUS_FDC;
    return VK_DISK_BUS_IDE;
}

/* <address type='drive'> from the target name, as libvirt computes it. */
static void
assign_drive_address(VkDomainDiskDef *d)
{
    int idx = disk_index(d->target_dev);

    if (idx < 0 || d->info.addr.type != VK_DEVICE_ADDRESS_NONE)
        return;
    unsigned int controller, bus = 0, unit;
    switch (d->bus) {
    case VK_DISK_BUS_SCSI:
        controller = idx / 7;
        unit = idx % 7;
        break;
    case VK_DISK_BUS_IDE:
        controller = idx / 4;
        bus = (idx % 4) / 2;
        unit = idx % 2;
        break;
    case VK_DISK_BUS_FDC:
        controller = idx / 2;
        unit = idx % 2;
        break;
    case VK_DISK_BUS_SATA:
        controller = idx / 6;
        unit = idx % 6;
        break;
    default:
        return;
    }
    d->info.addr.type = VK_DEVICE_ADDRESS_DRIVE;
    d->info.addr.drive.controller = controller;
    d->info.addr.drive.bus = bus;
    d->info.addr.drive.target = 0;
    d->info.addr.drive.unit = unit;
}

static bool
has_controller_type(const VkDomainDef *def, VkControllerType type)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        if (((VkDomainControllerDef *) g_ptr_array_index(def->controllers, i))->type == type)
            return true;
    }
    return false;
}

static void
ensure_controller(VkDomainDef *def, VkControllerType type, int index, const char *model)
{
    if (vk_domain_def_find_controller(def, type, index))
        return;
    VkDomainControllerDef *c = vk_domain_controller_def_new(type);
    c->index = index;
    c->model = g_strdup(model);
    vk_domain_def_add_controller(def, c);
}

static bool
has_input(const VkDomainDef *def, const char *type, const char *bus)
{
    for (guint i = 0; i < def->inputs->len; i++) {
        VkDomainInputDef *in = g_ptr_array_index(def->inputs, i);
        if (g_strcmp0(in->type, type) == 0 && g_strcmp0(in->bus, bus) == 0)
            return true;
    }
    return false;
}

static void
add_input(VkDomainDef *def, const char *type, const char *bus)
{
    VkDomainInputDef *in = g_new0(VkDomainInputDef, 1);

    in->type = g_strdup(type);
    in->bus = g_strdup(bus);
    g_ptr_array_add(def->inputs, in);
}

static void
video_defaults(VkDomainVideoDef *v, bool primary, bool has_spice)
{
    if (!v->model)
        v->model = g_strdup(has_spice ? "qxl" : "vga");
    const char *m = v->model;
    if (g_str_equal(m, "vga") || g_str_equal(m, "cirrus") || g_str_equal(m, "bochs") ||
        g_str_equal(m, "vmvga")) {
        if (!v->vram)
            v->vram = 16384;
    } else if (g_str_equal(m, "qxl")) {
        if (!v->ram)
            v->ram = 65536;
        if (!v->vram)
            v->vram = 65536;
        if (!v->vgamem)
            v->vgamem = 16384;
    }
    if (!v->heads && !g_str_equal(m, "none"))
        v->heads = 1;
    if (primary)
        v->primary = VK_TRISTATE_ON;
}

int
vk_domain_def_apply_defaults(VkDomainDef *def, const VkMachineAlias *aliases)
{
    if (!aliases)
        aliases = vk_domain_default_machine_aliases;

    /* machine */
    set_default(&def->os.arch, "x86_64");
    set_default(&def->os.machine, "pc");
    for (int i = 0; aliases[i].alias; i++) {
        if (g_str_equal(def->os.machine, aliases[i].alias)) {
            g_free(def->os.machine);
            def->os.machine = g_strdup(aliases[i].canonical);
            break;
        }
    }
    bool q35 = vk_domain_machine_is_q35(def->os.machine);
    bool i440fx = vk_domain_machine_is_i440fx(def->os.machine);

    set_default(&def->emulator, DEFAULT_EMULATOR);

    if (!def->cpu && def->virt_type == VK_VIRT_KVM) {
        def->cpu = g_new0(VkDomainCpuDef, 1);
        def->cpu->mode = g_strdup("custom");
        def->cpu->match = g_strdup("exact");
        def->cpu->check = g_strdup("none");
        def->cpu->model = g_strdup("qemu64");
        def->cpu->model_fallback = g_strdup("forbid");
        def->cpu->cache_level = -1;
        def->cpu->features = g_ptr_array_new();
    } else if (def->cpu && def->cpu->mode) {
        if (g_str_equal(def->cpu->mode, "host-passthrough")) {
            set_default(&def->cpu->check, "none");
            set_default(&def->cpu->migratable, "on");
        } else if (g_str_equal(def->cpu->mode, "host-model")) {
            set_default(&def->cpu->check, "partial");
        } else if (g_str_equal(def->cpu->mode, "custom") && def->cpu->model) {
            set_default(&def->cpu->check, "partial");
        }
    }

    /* boot from the disk unless devices carry their own boot order */
    bool per_device_boot = false;
    for (guint i = 0; i < def->disks->len && !per_device_boot; i++)
        per_device_boot = ((VkDomainDiskDef *) g_ptr_array_index(def->disks, i))->info.boot_order;
    for (guint i = 0; i < def->nets->len && !per_device_boot; i++)
        per_device_boot = ((VkDomainNetDef *) g_ptr_array_index(def->nets, i))->info.boot_order;
    for (guint i = 0; i < def->hostdevs->len && !per_device_boot; i++)
        per_device_boot = ((VkDomainHostdevDef *) g_ptr_array_index(def->hostdevs, i))->info.boot_order;
    if (!per_device_boot && def->os.boot_devs->len == 0 && !def->os.kernel) {
        int hd = 2;
        g_array_append_val(def->os.boot_devs, hd);
    }

    /* disks: bus, driver, drive address */
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (d->bus == VK_DISK_BUS_NONE)
            d->bus = d->device == VK_DISK_DEVICE_FLOPPY ? VK_DISK_BUS_FDC
                                                        : default_disk_bus(d->target_dev);
        if (q35 && d->bus == VK_DISK_BUS_IDE) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                            "IDE controllers are unsupported for this QEMU binary or machine type");
            return -1;
        }
        set_default(&d->driver_name, "qemu");
        if (d->type != VK_DISK_TYPE_VOLUME)
            set_default(&d->driver_type, "raw");
        assign_drive_address(d);
    }
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (q35 && c->type == VK_CONTROLLER_IDE) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                            "IDE controllers are unsupported for this QEMU binary or machine type");
            return -1;
        }
    }

    /* implicit controllers, in libvirt's order */
    if (q35 || i440fx) {
        if (!has_controller_type(def, VK_CONTROLLER_USB))
            ensure_controller(def, VK_CONTROLLER_USB, 0, q35 ? "qemu-xhci" : "piix3-uhci");
        if (q35)
            ensure_controller(def, VK_CONTROLLER_SATA, 0, NULL);
        VkDomainControllerDef *root = vk_domain_def_find_controller(def, VK_CONTROLLER_PCI, 0);
        if (!root) {
            root = vk_domain_controller_def_new(VK_CONTROLLER_PCI);
            root->index = 0;
            vk_domain_def_add_controller(def, root);
        }
        if (root->pci_model == VK_PCI_MODEL_NONE)
            root->pci_model = q35 ? VK_PCI_MODEL_PCIE_ROOT : VK_PCI_MODEL_PCI_ROOT;
    }
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->index < 0)
            c->index = 0;
        if (c->type == VK_CONTROLLER_USB && !c->model && c->master_startport < 0)
            c->model = g_strdup(q35 ? "qemu-xhci" : "piix3-uhci");
        if (c->type == VK_CONTROLLER_SCSI && !c->model)
            c->model = g_strdup("lsilogic");
    }
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (d->info.addr.type != VK_DEVICE_ADDRESS_DRIVE)
            continue;
        VkControllerType t;
        switch (d->bus) {
        case VK_DISK_BUS_IDE: t = VK_CONTROLLER_IDE; break;
        case VK_DISK_BUS_FDC: t = VK_CONTROLLER_FDC; break;
        case VK_DISK_BUS_SCSI: t = VK_CONTROLLER_SCSI; break;
        case VK_DISK_BUS_SATA: t = VK_CONTROLLER_SATA; break;
        default: continue;
        }
        ensure_controller(def, t, (int) d->info.addr.drive.controller,
                          t == VK_CONTROLLER_SCSI ? "lsilogic" : NULL);
    }

    /* character devices */
    for (guint i = 0; i < def->serials->len; i++) {
        VkDomainChrDef *c = g_ptr_array_index(def->serials, i);
        set_default(&c->target_type, "isa-serial");
        if (c->target_port < 0)
            c->target_port = (int) i;
        if (g_str_equal(c->target_type, "isa-serial"))
            set_default(&c->target_model, "isa-serial");
        else if (g_str_equal(c->target_type, "usb-serial"))
            set_default(&c->target_model, "usb-serial");
        else if (g_str_equal(c->target_type, "pci-serial"))
            set_default(&c->target_model, "pci-serial");
    }
    if (def->consoles->len == 0 && def->serials->len > 0 &&
        g_str_equal(((VkDomainChrDef *) g_ptr_array_index(def->serials, 0))->target_type,
                    "isa-serial")) {
        /* the first (ISA) serial port doubles as the console */
        VkDomainChrDef *s = g_ptr_array_index(def->serials, 0);
        VkDomainChrDef *c = g_new0(VkDomainChrDef, 1);
        c->kind = VK_CHR_CONSOLE;
        c->type = g_strdup(s->type);
        c->src_path = g_strdup(s->src_path);
        c->src_mode = g_strdup(s->src_mode);
        c->src_host = g_strdup(s->src_host);
        c->src_service = g_strdup(s->src_service);
        c->target_type = g_strdup("serial");
        c->target_port = s->target_port;
        g_ptr_array_add(def->consoles, c);
    }
    bool need_vioserial = false;
    for (guint i = 0; i < def->consoles->len; i++) {
        VkDomainChrDef *c = g_ptr_array_index(def->consoles, i);
        set_default(&c->target_type, "serial");
        if (c->target_port < 0)
            c->target_port = 0;
        if (g_str_equal(c->target_type, "virtio"))
            need_vioserial = true;
    }
    unsigned int next_port = 1;
    for (guint i = 0; i < def->channels->len; i++) {
        VkDomainChrDef *c = g_ptr_array_index(def->channels, i);
        if (c->info.addr.type == VK_DEVICE_ADDRESS_VIRTIO_SERIAL &&
            c->info.addr.vioserial.port >= next_port)
            next_port = c->info.addr.vioserial.port + 1;
    }
    for (guint i = 0; i < def->channels->len; i++) {
        VkDomainChrDef *c = g_ptr_array_index(def->channels, i);
        if (g_strcmp0(c->target_type, "virtio") != 0)
            continue;
        need_vioserial = true;
        if (c->info.addr.type == VK_DEVICE_ADDRESS_NONE) {
            c->info.addr.type = VK_DEVICE_ADDRESS_VIRTIO_SERIAL;
            c->info.addr.vioserial.port = next_port++;
        }
    }
    if (need_vioserial)
        ensure_controller(def, VK_CONTROLLER_VIRTIO_SERIAL, 0, NULL);

    /* interfaces */
    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *n = g_ptr_array_index(def->nets, i);
        if (n->type != VK_NET_TYPE_HOSTDEV)
            set_default(&n->model, "rtl8139");
    }

    /* inputs: a bus for each, then the implicit PS/2 pair of x86 */
    for (guint i = 0; i < def->inputs->len; i++) {
        VkDomainInputDef *in = g_ptr_array_index(def->inputs, i);
        set_default(&in->bus, g_str_equal(in->type, "tablet") ? "usb" : "ps2");
    }
    if (!has_input(def, "mouse", "ps2"))
        add_input(def, "mouse", "ps2");
    if (!has_input(def, "keyboard", "ps2"))
        add_input(def, "keyboard", "ps2");

    /* graphics, video, audio */
    bool has_spice = false;
    for (guint i = 0; i < def->graphics->len; i++) {
        VkDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        if (g_str_equal(g->type, "spice"))
            has_spice = true;
    }
    if (def->graphics->len > 0 && def->videos->len == 0) {
        VkDomainVideoDef *v = g_new0(VkDomainVideoDef, 1);
        g_ptr_array_add(def->videos, v);
    }
    for (guint i = 0; i < def->videos->len; i++)
        video_defaults(g_ptr_array_index(def->videos, i), i == 0, has_spice);
    if (def->audios->len == 0) {
        VkDomainAudioDef *a = g_new0(VkDomainAudioDef, 1);
        a->id = 1;
        a->type = g_strdup(has_spice ? "spice" : "none");
        g_ptr_array_add(def->audios, a);
    }

    if (!def->memballoon) {
        def->memballoon = g_new0(VkDomainMemballoonDef, 1);
        def->memballoon->model = g_strdup("virtio");
    }
    return 0;
}
