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
    int idx = vk_domain_disk_name_index(d->target_dev);

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
ensure_controller(VkDomainDef *def, VkControllerType type, int index)
{
    if (vk_domain_def_find_controller(def, type, index))
        return;
    VkDomainControllerDef *c = vk_domain_controller_def_new(type);
    c->index = index;
    vk_domain_def_add_controller(def, c);
}

static bool
has_input(const VkDomainDef *def, VkInputType type, VkInputBus bus)
{
    for (guint i = 0; i < def->inputs->len; i++) {
        VkDomainInputDef *in = g_ptr_array_index(def->inputs, i);
        if (in->type == type && in->bus == bus)
            return true;
    }
    return false;
}

static void
add_input(VkDomainDef *def, VkInputType type, VkInputBus bus)
{
    VkDomainInputDef *in = g_new0(VkDomainInputDef, 1);

    in->type = type;
    in->bus = bus;
    g_ptr_array_add(def->inputs, in);
}

/* DST gets SRC's host side (type, source, protocol, log) */
static void
chr_copy_source(VkDomainChrDef *dst, const VkDomainChrDef *src)
{
    char **dfields[] = { &dst->src_path, &dst->src_host, &dst->src_service, &dst->src_append,
                         &dst->src_channel, &dst->log_file, &dst->log_append };
    char *const sfields[] = { src->src_path, src->src_host, src->src_service, src->src_append,
                              src->src_channel, src->log_file, src->log_append };

    dst->type = src->type;
    dst->src_mode = src->src_mode;
    dst->protocol = src->protocol;
    for (gsize i = 0; i < G_N_ELEMENTS(dfields); i++) {
        g_free(*dfields[i]);
        *dfields[i] = g_strdup(sfields[i]);
    }
}

static VkDomainRawElement *
find_raw(const GPtrArray *raw, const char *name)
{
    for (guint i = 0; i < raw->len; i++) {
        VkDomainRawElement *r = g_ptr_array_index(raw, i);
        if (g_str_equal(r->name, name))
            return r;
    }
    return NULL;
}

static void
add_raw(GPtrArray *raw, const char *name, const char *xml)
{
    VkDomainRawElement *r = g_new0(VkDomainRawElement, 1);

    r->name = g_strdup(name);
    r->xml = g_strdup(xml);
    g_ptr_array_add(raw, r);
}

static void
video_defaults(VkDomainVideoDef *v, bool primary)
{
    /* QEMU 7.2 on x86 has cirrus-vga: libvirt 9.0's default model */
    if (v->model == VK_VIDEO_MODEL_DEFAULT)
        v->model = VK_VIDEO_MODEL_CIRRUS;
    switch (v->model) {
    case VK_VIDEO_MODEL_VGA:
    case VK_VIDEO_MODEL_CIRRUS:
    case VK_VIDEO_MODEL_BOCHS:
    case VK_VIDEO_MODEL_VMVGA:
        if (!v->vram)
            v->vram = 16384;
        break;
    case VK_VIDEO_MODEL_QXL:
        if (!v->ram)
            v->ram = 65536;
        if (!v->vram)
            v->vram = 65536;
        if (!v->vgamem)
            v->vgamem = 16384;
        break;
    default:
        break;
    }
    if (!v->heads && v->model != VK_VIDEO_MODEL_NONE)
        v->heads = 1;
    if (primary)
        v->primary = VK_TRISTATE_ON;
}

int
vk_domain_def_apply_defaults(VkDomainDef *def, const VkMachineAlias *aliases)
{
    VkDomainDefaultsOptions opts = { .aliases = aliases };

    return vk_domain_def_apply_defaults_opts(def, &opts);
}

/* Enrolled keys are of use only with secure boot: a guest that asks for
 * them asks for secure boot too (libvirt's firmware features at define). */
static void
secure_boot_for_enrolled_keys(VkDomainOsDef *os)
{
    bool keys = false;

    for (guint i = 0; i < os->firmware_features->len; i++) {
        const VkDomainOsFwFeature *f = g_ptr_array_index(os->firmware_features, i);
        if (g_str_equal(f->name, "secure-boot"))
            return;
        keys |= g_str_equal(f->name, "enrolled-keys") && f->enabled;
    }
    if (keys) {
        VkDomainOsFwFeature *sb = g_new0(VkDomainOsFwFeature, 1);
        sb->name = g_strdup("secure-boot");
        sb->enabled = true;
        g_ptr_array_add(os->firmware_features, sb);   /* after enrolled-keys, libvirt's order */
    }
}

int
vk_domain_def_apply_defaults_opts(VkDomainDef *def, const VkDomainDefaultsOptions *opts)
{
    const VkMachineAlias *aliases = opts && opts->aliases ? opts->aliases
                                                          : vk_domain_default_machine_aliases;
    const char *nvram_dir = opts && opts->nvram_dir ? opts->nvram_dir : VK_DOMAIN_DEFAULT_NVRAM_DIR;

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

    secure_boot_for_enrolled_keys(&def->os);

    /* a read-only pflash loader given by path (not firmware='efi', which is
     * resolved at start) gets its per-domain variable store */
    if (def->os.has_loader && def->os.loader_type == VK_LOADER_TYPE_PFLASH &&
        def->os.loader_readonly == VK_TRISTATE_ON && !def->os.nvram) {
        g_autofree char *file = g_strdup_printf("%s_VARS.fd", def->name);
        def->os.nvram = g_build_filename(nvram_dir, file, NULL);
    }

    /* no CPU model (no <cpu>, or a custom one with only a topology or NUMA
     * cells): the hypervisor's default model, exactly as libvirt records it */
    if (def->virt_type == VK_VIRT_KVM &&
        (!def->cpu || (def->cpu->mode == VK_CPU_MODE_CUSTOM && !def->cpu->model))) {
        if (!def->cpu) {
            def->cpu = g_new0(VkDomainCpuDef, 1);
            def->cpu->mode = VK_CPU_MODE_CUSTOM;
            def->cpu->cache_level = -1;
            def->cpu->features =
                g_ptr_array_new_with_free_func((GDestroyNotify) vk_domain_cpu_feature_free);
        }
        def->cpu->match = VK_CPU_MATCH_EXACT;
        def->cpu->check = VK_CPU_CHECK_NONE;
        def->cpu->model = g_strdup("qemu64");
        def->cpu->model_fallback = VK_CPU_FALLBACK_FORBID;
    } else if (def->cpu) {
        VkDomainCpuDef *cpu = def->cpu;
        if (cpu->mode == VK_CPU_MODE_HOST_PASSTHROUGH) {
            if (!cpu->check)
                cpu->check = VK_CPU_CHECK_NONE;
            if (!cpu->migratable)
                cpu->migratable = VK_TRISTATE_ON;
        } else if (!cpu->check && (cpu->mode == VK_CPU_MODE_HOST_MODEL ||
                                   (cpu->mode == VK_CPU_MODE_CUSTOM && cpu->model))) {
            cpu->check = VK_CPU_CHECK_PARTIAL;
        }
        /* a named model may fall back to a close one unless told otherwise */
        if (cpu->mode == VK_CPU_MODE_CUSTOM && cpu->model && !cpu->model_fallback)
            cpu->model_fallback = VK_CPU_FALLBACK_ALLOW;
    }

    /* boot from the disk unless devices carry their own boot order */
    bool per_device_boot = false;
    for (guint i = 0; i < def->disks->len && !per_device_boot; i++)
        per_device_boot = ((VkDomainDiskDef *) g_ptr_array_index(def->disks, i))->info.boot_order;
    for (guint i = 0; i < def->nets->len && !per_device_boot; i++)
        per_device_boot = ((VkDomainNetDef *) g_ptr_array_index(def->nets, i))->info.boot_order;
    for (guint i = 0; i < def->hostdevs->len && !per_device_boot; i++)
        per_device_boot = ((VkDomainHostdevDef *) g_ptr_array_index(def->hostdevs, i))->info.boot_order;
    for (guint i = 0; i < def->redirdevs->len && !per_device_boot; i++)
        per_device_boot = ((VkDomainRedirdevDef *) g_ptr_array_index(def->redirdevs, i))->info.boot_order;
    /* libvirt records <boot dev='hd'/> even for a direct kernel boot */
    if (!per_device_boot && def->os.boot_devs->len == 0) {
        VkDomainBootDev hd = VK_BOOT_HD;
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
        /* the PIIX3 has the one IDE controller of pc */
        if (i440fx && d->bus == VK_DISK_BUS_IDE && d->info.addr.type == VK_DEVICE_ADDRESS_DRIVE &&
            d->info.addr.drive.controller > 0) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                            "Only 1 IDE controller is supported");
            return -1;
        }
    }
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (q35 && c->type == VK_CONTROLLER_IDE) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                            "IDE controllers are unsupported for this QEMU binary or machine type");
            return -1;
        }
        if (i440fx && c->type == VK_CONTROLLER_IDE && c->index > 0) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                            "Only a single IDE controller is supported for this machine type");
            return -1;
        }
    }

    /* implicit controllers, in libvirt's order */
    if (q35 || i440fx) {
        if (!has_controller_type(def, VK_CONTROLLER_USB))
            ensure_controller(def, VK_CONTROLLER_USB, 0);   /* its model comes below */
        if (q35)
            ensure_controller(def, VK_CONTROLLER_SATA, 0);
        VkDomainControllerDef *root = vk_domain_def_find_controller(def, VK_CONTROLLER_PCI, 0);
        if (!root) {
            root = vk_domain_controller_def_new(VK_CONTROLLER_PCI);
            root->index = 0;
            root->pci_model = q35 ? VK_PCI_MODEL_PCIE_ROOT : VK_PCI_MODEL_PCI_ROOT;
            vk_domain_def_add_controller(def, root);
        }
        if (root->pci_model == VK_PCI_MODEL_NONE) {
            /* libvirt wants the root's model spelt out when the root is given */
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_XML_ERROR,
                            "The PCI controller with index='0' must be model='%s' for this "
                            "machine type, but model='(null)' was found instead",
                            q35 ? "pcie-root" : "pci-root");
            return -1;
        }
    }
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->index < 0)
            c->index = 0;
    }
    /* the disks' controllers (libvirt's virDomainDefAddDiskControllersForType):
     * by type, every index from 0 to the highest a disk of that bus uses */
    static const struct { VkDiskBus bus; VkControllerType type; } disk_controllers[] = {
        { VK_DISK_BUS_SCSI, VK_CONTROLLER_SCSI }, { VK_DISK_BUS_FDC, VK_CONTROLLER_FDC },
        { VK_DISK_BUS_IDE, VK_CONTROLLER_IDE }, { VK_DISK_BUS_SATA, VK_CONTROLLER_SATA },
    };
    for (guint t = 0; t < G_N_ELEMENTS(disk_controllers); t++) {
        int max = -1;
        for (guint i = 0; i < def->disks->len; i++) {
            VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
            if (d->bus == disk_controllers[t].bus && d->info.addr.type == VK_DEVICE_ADDRESS_DRIVE)
                max = MAX(max, (int) d->info.addr.drive.controller);
        }
        for (int idx = 0; idx <= max; idx++)
            ensure_controller(def, disk_controllers[t].type, idx);
    }
    /* the models of the USB and SCSI controllers given or added so far */
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type == VK_CONTROLLER_USB && !c->model && c->master_startport < 0)
            c->model = q35 ? VK_USB_MODEL_QEMU_XHCI : VK_USB_MODEL_PIIX3_UHCI;
        if (c->type == VK_CONTROLLER_SCSI && !c->model)
            c->model = VK_SCSI_MODEL_LSILOGIC;
    }

    /* character devices: a serial console without a serial port brings
     * its port */
    if (def->serials->len == 0 && def->consoles->len > 0) {
        VkDomainChrDef *c = g_ptr_array_index(def->consoles, 0);
        if (vk_domain_chr_is_serial_console(c)) {
            VkDomainChrDef *s = g_new0(VkDomainChrDef, 1);
            s->kind = VK_CHR_SERIAL;
            chr_copy_source(s, c);
            s->target_port = -1;
            g_ptr_array_add(def->serials, s);
        }
    }
    for (guint i = 0; i < def->serials->len; i++) {
        VkDomainChrDef *c = g_ptr_array_index(def->serials, i);
        if (!c->target_type)
            c->target_type = VK_CHR_SERIAL_TARGET_ISA;
        if (c->target_port < 0) {
            /* one past the highest port any serial has by now */
            int max = -1;
            for (guint j = 0; j < def->serials->len; j++)
                max = MAX(max, ((VkDomainChrDef *) g_ptr_array_index(def->serials, j))->target_port);
            c->target_port = max + 1;
        }
        /* the QEMU device, named like the target for these three */
        if (c->target_type == VK_CHR_SERIAL_TARGET_ISA || c->target_type == VK_CHR_SERIAL_TARGET_USB ||
            c->target_type == VK_CHR_SERIAL_TARGET_PCI)
            set_default(&c->target_model, vk_chr_serial_target_to_string(c->target_type));
    }
    /* libvirt's console compatibility: console 0 of type serial is serial 0
     * seen from the other side */
    VkDomainChrDef *con0 = def->consoles->len ? g_ptr_array_index(def->consoles, 0) : NULL;
    bool con0_serial = con0 && vk_domain_chr_is_serial_console(con0);
    if (def->serials->len > 0) {
        VkDomainChrDef *s = g_ptr_array_index(def->serials, 0);
        if (con0_serial) {
            chr_copy_source(con0, s);
            con0->target_port = s->target_port;
            /* its address is the port's (the formatter shows that one): an
             * address given here would otherwise count as a second device */
            g_clear_pointer(&con0->info.addr.usb.port, g_free);
            memset(&con0->info.addr, 0, sizeof(con0->info.addr));
        } else if (con0 || s->target_type == VK_CHR_SERIAL_TARGET_ISA) {
            /* the first serial port doubles as the (first) console */
            VkDomainChrDef *c = g_new0(VkDomainChrDef, 1);
            c->kind = VK_CHR_CONSOLE;
            chr_copy_source(c, s);
            c->target_type = VK_CHR_CONSOLE_TARGET_SERIAL;
            c->target_port = s->target_port;
            g_ptr_array_insert(def->consoles, 0, c);
        }
    }
    bool need_vioserial = false;
    for (guint i = 0; i < def->consoles->len; i++) {
        VkDomainChrDef *c = g_ptr_array_index(def->consoles, i);
        if (!c->target_type)
            c->target_type = VK_CHR_CONSOLE_TARGET_SERIAL;
        if (c->target_port < 0)
            c->target_port = 0;
        if (c->target_type == VK_CHR_CONSOLE_TARGET_VIRTIO)
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
        if (c->target_type != VK_CHR_CHANNEL_TARGET_VIRTIO)
            continue;
        need_vioserial = true;
        if (c->info.addr.type == VK_DEVICE_ADDRESS_NONE) {
            c->info.addr.type = VK_DEVICE_ADDRESS_VIRTIO_SERIAL;
            c->info.addr.vioserial.port = next_port++;
        }
    }
    if (need_vioserial)
        ensure_controller(def, VK_CONTROLLER_VIRTIO_SERIAL, 0);

    /* smartcards sit in a CCID slot: the next free one of CCID controller 0
     * when none is given, and their controller is added */
    for (guint i = 0; i < def->raw_devices->len; i++) {
        VkDomainRawElement *r = g_ptr_array_index(def->raw_devices, i);
        if (!g_str_equal(r->name, "smartcard") || !r->info)
            continue;
        if (r->info->addr.type == VK_DEVICE_ADDRESS_NONE) {
            int max = -1;
            for (guint j = 0; j < def->raw_devices->len; j++) {
                VkDomainRawElement *o = g_ptr_array_index(def->raw_devices, j);
                if (o->info && g_str_equal(o->name, "smartcard") &&
                    o->info->addr.type == VK_DEVICE_ADDRESS_CCID &&
                    o->info->addr.ccid.controller == 0)
                    max = MAX(max, (int) o->info->addr.ccid.slot);
            }
            r->info->addr.type = VK_DEVICE_ADDRESS_CCID;
            r->info->addr.ccid.controller = 0;
            r->info->addr.ccid.slot = (unsigned int) (max + 1);
        }
        if (r->info->addr.type == VK_DEVICE_ADDRESS_CCID)
            ensure_controller(def, VK_CONTROLLER_CCID, (int) r->info->addr.ccid.controller);
        else
            ensure_controller(def, VK_CONTROLLER_CCID, 0);
    }

    /* a TCP character device speaks raw TCP unless told otherwise */
    GPtrArray *chr_lists[] = { def->serials, def->parallels, def->consoles, def->channels };
    for (guint l = 0; l < G_N_ELEMENTS(chr_lists); l++) {
        for (guint i = 0; i < chr_lists[l]->len; i++) {
            VkDomainChrDef *c = g_ptr_array_index(chr_lists[l], i);
            if (c->type == VK_CHR_TYPE_TCP && !c->protocol)
                c->protocol = VK_CHR_PROTOCOL_RAW;
        }
    }
    for (guint i = 0; i < def->redirdevs->len; i++) {
        VkDomainRedirdevDef *r = g_ptr_array_index(def->redirdevs, i);
        if (r->type == VK_CHR_TYPE_TCP && !r->protocol)
            r->protocol = VK_CHR_PROTOCOL_RAW;
    }

    for (guint i = 0; i < def->watchdogs->len; i++) {
        VkDomainWatchdogDef *w = g_ptr_array_index(def->watchdogs, i);
        if (!w->action)
            w->action = VK_WATCHDOG_ACTION_RESET;
    }

    /* TPM: TIS on x86; an emulated TIS is TPM 1.2 (libvirt's historical
     * choice), every other emulated TPM 2.0 */
    for (guint i = 0; i < def->tpms->len; i++) {
        VkDomainTpmDef *t = g_ptr_array_index(def->tpms, i);
        if (t->model == VK_TPM_MODEL_ABSENT || t->model == VK_TPM_MODEL_DEFAULT)
            t->model = VK_TPM_MODEL_TIS;
        if (t->backend_type == VK_TPM_BACKEND_EMULATOR &&
            (t->backend_version == VK_TPM_VERSION_ABSENT || t->backend_version == VK_TPM_VERSION_DEFAULT))
            t->backend_version = t->model == VK_TPM_MODEL_TIS ? VK_TPM_VERSION_1_2 : VK_TPM_VERSION_2_0;
    }

    /* automatic vCPU placement implies automatic memory placement */
    if (def->vcpu_placement == VK_VCPU_PLACEMENT_AUTO) {
        VkDomainRawElement *nt = find_raw(def->raw, "numatune");
        if (!nt) {
            add_raw(def->raw, "numatune",
                    "<numatune>\n  <memory mode='strict' placement='auto'/>\n</numatune>");
        } else if (strstr(nt->xml, "<memory mode='") && !strstr(nt->xml, "nodeset=") &&
                   !strstr(nt->xml, "placement=")) {
            /* <memory mode='M'/> (mode first: the parser put it there) */
            const char *m = strstr(nt->xml, "<memory mode='");
            const char *q = strchr(m + strlen("<memory mode='"), '\'');
            g_autofree char *head = g_strndup(nt->xml, q + 1 - nt->xml);
            g_autofree char *xml = g_strconcat(head, " placement='auto'", q + 1, NULL);
            g_free(nt->xml);
            nt->xml = g_steal_pointer(&xml);
        }
    } else if (find_raw(def->raw, "numatune") &&
               strstr(find_raw(def->raw, "numatune")->xml, "placement='auto'") &&
               !def->cpuset) {
        /* automatic memory placement implies automatic vCPU placement */
        def->vcpu_placement = VK_VCPU_PLACEMENT_AUTO;
    }

    /* host devices given to the guest are not managed unless asked */
    for (guint i = 0; i < def->hostdevs->len; i++) {
        VkDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
        if (h->managed == VK_TRISTATE_ABSENT && h->mode == VK_HOSTDEV_MODE_SUBSYSTEM &&
            (h->type == VK_HOSTDEV_PCI || h->type == VK_HOSTDEV_USB || h->type == VK_HOSTDEV_SCSI))
            h->managed = VK_TRISTATE_OFF;
    }

    /* interfaces */
    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *n = g_ptr_array_index(def->nets, i);
        if (n->type != VK_NET_TYPE_HOSTDEV)
            set_default(&n->model, "rtl8139");
    }

    /* inputs: a bus for each, then the implicit PS/2 pair of x86 */
    for (guint i = 0; i < def->inputs->len; i++) {
        VkDomainInputDef *in = g_ptr_array_index(def->inputs, i);
        if (!in->bus)
            in->bus = in->type == VK_INPUT_TYPE_TABLET ? VK_INPUT_BUS_USB : VK_INPUT_BUS_PS2;
    }
    if (!has_input(def, VK_INPUT_TYPE_MOUSE, VK_INPUT_BUS_PS2))
        add_input(def, VK_INPUT_TYPE_MOUSE, VK_INPUT_BUS_PS2);
    if (!has_input(def, VK_INPUT_TYPE_KEYBOARD, VK_INPUT_BUS_PS2))
        add_input(def, VK_INPUT_TYPE_KEYBOARD, VK_INPUT_BUS_PS2);

    /* graphics, video, audio */
    bool has_spice = false;
    for (guint i = 0; i < def->graphics->len; i++) {
        VkDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        if (g->type == VK_GRAPHICS_SPICE)
            has_spice = true;
    }
    if (def->graphics->len > 0 && def->videos->len == 0) {
        VkDomainVideoDef *v = g_new0(VkDomainVideoDef, 1);
        g_ptr_array_add(def->videos, v);
    }
    for (guint i = 0; i < def->videos->len; i++)
        video_defaults(g_ptr_array_index(def->videos, i), i == 0);
    if (def->audios->len == 0) {
        VkDomainAudioDef *a = g_new0(VkDomainAudioDef, 1);
        a->id = 1;
        a->type = has_spice ? VK_AUDIO_TYPE_SPICE : VK_AUDIO_TYPE_NONE;
        g_ptr_array_add(def->audios, a);
    }

    if (!def->memballoon) {
        def->memballoon = g_new0(VkDomainMemballoonDef, 1);
        def->memballoon->model = VK_MEMBALLOON_MODEL_VIRTIO;
    }
    return 0;
}
