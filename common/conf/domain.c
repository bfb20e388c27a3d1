/* The domain definition's structs: allocation, freeing, enum tables and the
 * small helpers other modules use to walk and edit a definition. */
#include "common/conf/domain.h"
#include "common/conf/domain-pci-given.h"

#include <string.h>

VK_ENUM_IMPL(vk_device_address_type, "none", "pci", "drive", "virtio-serial", "ccid", "usb",
             "spapr-vio", "virtio-s390", "ccw", "virtio-mmio", "isa", "dimm", "unassigned")
VK_ENUM_IMPL_OPTIONAL(vk_virtio_model, "virtio", "virtio-transitional", "virtio-non-transitional")
VK_ENUM_IMPL(vk_disk_type, "file", "block", "dir", "network", "volume")
VK_ENUM_IMPL(vk_disk_device, "disk", "cdrom", "floppy", "lun")
VK_ENUM_IMPL_OPTIONAL(vk_disk_cache, "default", "none", "writethrough", "writeback",
                      "directsync", "unsafe")
VK_ENUM_IMPL_OPTIONAL(vk_disk_io, "native", "threads", "io_uring")
VK_ENUM_IMPL_OPTIONAL(vk_disk_discard, "unmap", "ignore")
VK_ENUM_IMPL_OPTIONAL(vk_disk_error_policy, "stop", "report", "ignore", "enospace")
VK_ENUM_IMPL_OPTIONAL(vk_disk_detect_zeroes, "off", "on", "unmap")
VK_ENUM_IMPL_OPTIONAL(vk_disk_source_mode, "host", "direct")
VK_ENUM_IMPL_OPTIONAL(vk_disk_startup_policy, "default", "mandatory", "requisite", "optional")
VK_ENUM_IMPL_OPTIONAL(vk_disk_tray, "closed", "open")
VK_ENUM_IMPL_OPTIONAL(vk_disk_protocol, "nbd", "rbd", "sheepdog", "gluster", "iscsi", "http",
                      "https", "ftp", "ftps", "tftp", "ssh", "vxhs", "nfs")
VK_ENUM_IMPL(vk_disk_bus, "none", "ide", "fdc", "scsi", "virtio", "xen", "usb", "uml",
             "sata", "sd")
VK_ENUM_IMPL(vk_controller_type, "ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb",
             "pci", "xenbus", "isa")
VK_ENUM_IMPL_OPTIONAL(vk_usb_controller_model, "piix3-uhci", "piix4-uhci", "ehci", "ich9-ehci1",
                      "ich9-uhci1", "ich9-uhci2", "ich9-uhci3", "vt82c686b-uhci", "pci-ohci",
                      "nec-xhci", "qusb1", "qusb2", "qemu-xhci", "none")
VK_ENUM_IMPL_OPTIONAL(vk_scsi_controller_model, "auto", "buslogic", "lsilogic", "lsisas1068",
                      "vmpvscsi", "ibmvscsi", "virtio-scsi", "lsisas1078", "virtio-transitional",
                      "virtio-non-transitional", "ncr53c90", "am53c974", "dc390")
VK_ENUM_IMPL_OPTIONAL(vk_ide_controller_model, "piix3", "piix4", "ich6")
VK_ENUM_IMPL(vk_pci_controller_model, "pci-root", "pcie-root", "pci-bridge",
             "dmi-to-pci-bridge", "pcie-root-port", "pcie-switch-upstream-port",
             "pcie-switch-downstream-port", "pci-expander-bus", "pcie-expander-bus",
             "pcie-to-pci-bridge")
VK_ENUM_IMPL(vk_net_type, "user", "ethernet", "vhostuser", "server", "client", "mcast",
             "network", "bridge", "internal", "direct", "hostdev", "udp", "vdpa", "null", "vds")
VK_ENUM_IMPL(vk_memballoon_model, "virtio", "xen", "none", "virtio-transitional",
             "virtio-non-transitional")
VK_ENUM_IMPL(vk_input_type, "mouse", "tablet", "keyboard", "passthrough", "evdev")
VK_ENUM_IMPL_OPTIONAL(vk_input_bus, "ps2", "usb", "xen", "parallels", "virtio", "none")
VK_ENUM_IMPL(vk_graphics_type, "sdl", "vnc", "rdp", "desktop", "spice", "egl-headless", "dbus")
VK_ENUM_IMPL_OPTIONAL(vk_graphics_listen_type, "address", "network", "socket", "none")
VK_ENUM_IMPL(vk_video_model, "default", "vga", "cirrus", "vmvga", "xen", "vbox", "qxl",
             "parallels", "virtio", "gop", "none", "bochs", "ramfb")
VK_ENUM_IMPL(vk_chr_type, "null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp",
             "unix", "spicevmc", "spiceport", "nmdm", "qemu-vdagent", "dbus")
VK_ENUM_IMPL_OPTIONAL(vk_chr_source_mode, "connect", "bind")
VK_ENUM_IMPL_OPTIONAL(vk_chr_protocol, "raw", "telnet", "telnets", "tls")
VK_ENUM_IMPL_OPTIONAL(vk_chr_serial_target, "isa-serial", "usb-serial", "pci-serial",
                      "spapr-vio-serial", "system-serial", "sclp-serial", "isa-debug")
VK_ENUM_IMPL_OPTIONAL(vk_chr_console_target, "serial", "xen", "uml", "virtio", "lxc", "openvz",
                      "sclp", "sclplm")
VK_ENUM_IMPL_OPTIONAL(vk_chr_channel_target, "guestfwd", "virtio", "xen")
VK_ENUM_IMPL_OPTIONAL(vk_chr_state, "connected", "disconnected")
VK_ENUM_IMPL(vk_redirdev_bus, "usb")
VK_ENUM_IMPL(vk_sound_model, "sb16", "es1370", "pcspk", "ac97", "ich6", "ich9", "usb", "ich7")
VK_ENUM_IMPL(vk_audio_type, "none", "alsa", "coreaudio", "jack", "oss", "pulseaudio", "sdl", "spice",
             "file", "dbus")
VK_ENUM_IMPL(vk_hostdev_mode, "subsystem", "capabilities")
VK_ENUM_IMPL(vk_hostdev_type, "usb", "pci", "scsi", "scsi_host", "mdev")
VK_ENUM_IMPL_OPTIONAL(vk_hostdev_driver, "kvm", "vfio", "xen")
VK_ENUM_IMPL(vk_rng_backend, "random", "egd", "builtin")
VK_ENUM_IMPL_OPTIONAL(vk_tpm_model, "default", "tpm-tis", "tpm-crb", "tpm-spapr", "spapr-tpm-proxy")
VK_ENUM_IMPL(vk_tpm_backend_type, "passthrough", "emulator", "external")
VK_ENUM_IMPL_OPTIONAL(vk_tpm_version, "default", "1.2", "2.0")
VK_ENUM_IMPL(vk_watchdog_model, "i6300esb", "ib700", "diag288")
VK_ENUM_IMPL_OPTIONAL(vk_watchdog_action, "reset", "shutdown", "poweroff", "pause", "dump", "none",
                      "inject-nmi")
VK_ENUM_IMPL_OPTIONAL(vk_panic_model, "default", "isa", "pseries", "hyperv", "s390")
VK_ENUM_IMPL(vk_iommu_model, "intel", "smmuv3", "virtio")
VK_ENUM_IMPL(vk_fs_type, "mount", "block", "file", "template", "ram", "bind", "volume")
VK_ENUM_IMPL_OPTIONAL(vk_fs_access_mode, "passthrough", "mapped", "squash")
VK_ENUM_IMPL_OPTIONAL(vk_fs_driver, "default", "path", "handle", "loop", "nbd", "ploop", "virtiofs")
VK_ENUM_IMPL(vk_lifecycle_action, "destroy", "restart", "rename-restart", "preserve",
             "coredump-destroy", "coredump-restart")
VK_ENUM_IMPL_OPTIONAL(vk_net_direct_mode, "vepa", "private", "bridge", "passthrough")
VK_ENUM_IMPL_OPTIONAL(vk_net_driver_name, "qemu", "vhost", "vfio", "kvm")
VK_ENUM_IMPL_OPTIONAL(vk_net_txmode, "iothread", "timer")
VK_ENUM_IMPL_OPTIONAL(vk_net_link_state, "up", "down")
VK_ENUM_IMPL_OPTIONAL(vk_shmem_role, "default", "master", "peer")
VK_ENUM_IMPL_OPTIONAL(vk_shmem_model, "ivshmem", "ivshmem-plain", "ivshmem-doorbell")
VK_ENUM_IMPL(vk_domain_virt_type, "none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml",
             "openvz", "test", "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve",
             "vz", "hvf")
VK_ENUM_IMPL_OPTIONAL(vk_os_firmware, "bios", "efi")
VK_ENUM_IMPL_OPTIONAL(vk_loader_type, "rom", "pflash")
VK_ENUM_IMPL_OPTIONAL(vk_smbios_mode, "emulate", "host", "sysinfo")
VK_ENUM_IMPL(vk_hyperv_feature_name, "relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic",
             "stimer", "reset", "vendor_id", "frequencies", "reenlightenment", "tlbflush", "ipi",
             "evmcs", "avic")
VK_ENUM_IMPL_OPTIONAL(vk_hyperv_mode, "custom", "passthrough")
VK_ENUM_IMPL_OPTIONAL(vk_ioapic_driver, "kvm", "qemu")
VK_ENUM_IMPL_OPTIONAL(vk_msrs_unknown, "ignore", "fault")
VK_ENUM_IMPL(vk_cpu_mode, "custom", "host-model", "host-passthrough", "maximum")
VK_ENUM_IMPL_OPTIONAL(vk_cpu_match, "minimum", "exact", "strict")
VK_ENUM_IMPL_OPTIONAL(vk_cpu_check, "none", "partial", "full")
VK_ENUM_IMPL_OPTIONAL(vk_cpu_fallback, "allow", "forbid")
VK_ENUM_IMPL(vk_cpu_feature_policy, "require", "force", "optional", "disable", "forbid")
VK_ENUM_IMPL_OPTIONAL(vk_cpu_cache_mode, "emulate", "passthrough", "disable")
VK_ENUM_IMPL(vk_clock_offset, "utc", "localtime", "variable", "timezone", "absolute")
VK_ENUM_IMPL_OPTIONAL(vk_clock_basis, "utc", "localtime")
VK_ENUM_IMPL(vk_timer_name, "platform", "pit", "rtc", "hpet", "tsc", "kvmclock", "hypervclock",
             "armvtimer")
VK_ENUM_IMPL_OPTIONAL(vk_timer_tickpolicy, "delay", "catchup", "merge", "discard")
VK_ENUM_IMPL_OPTIONAL(vk_timer_track, "boot", "guest", "wall", "realtime")
VK_ENUM_IMPL(vk_vcpu_placement, "static", "auto")
VK_ENUM_IMPL(vk_domain_boot_dev, "fd", "cdrom", "hd", "network")
VK_ENUM_IMPL(vk_domain_feature, "acpi", "apic", "pae", "hap", "viridian", "privnet",
             "hyperv", "kvm", "pvspinlock", "capabilities", "pmu", "vmport", "gic", "smm",
             "ioapic", "hpt", "vmcoreinfo", "htm", "nested-hv", "msrs", "ccf-assist", "xen",
             "cfpc", "sbbc", "ibs", "tcg")

bool
vk_device_info_pci_wanted(const VkDeviceInfo *info)
{
    if (info->addr.type == VK_DEVICE_ADDRESS_NONE)
        return true;
    if (info->addr.type != VK_DEVICE_ADDRESS_PCI)
        return false;
    const VkPciAddress *a = &info->addr.pci;
    return a->domain == 0 && a->bus == 0 && a->slot == 0 && a->function == 0;
}

bool
vk_device_info_pci_present(const VkDeviceInfo *info)
{
    return info->addr.type == VK_DEVICE_ADDRESS_PCI && !vk_device_info_pci_wanted(info);
}

void
vk_device_info_set_pci(VkDeviceInfo *info, const VkPciAddress *addr)
{
    g_clear_pointer(&info->addr.usb.port, g_free);
    info->addr.type = VK_DEVICE_ADDRESS_PCI;
    info->addr.pci = *addr;
}

static void
device_info_clear(VkDeviceInfo *info)
{
    g_free(info->alias);
    g_free(info->rom_file);
    g_free(info->addr.usb.port);
}

void
vk_domain_disk_def_free(VkDomainDiskDef *d)
{
    if (!d)
        return;
    g_free(d->snapshot);
    g_free(d->driver_name); g_free(d->driver_type);
    g_free(d->src_path); g_free(d->src_pool); g_free(d->src_volume);
    g_free(d->src_name); g_free(d->src_host_name);
    g_free(d->src_host_port); g_free(d->src_host_transport);
    g_free(d->target_dev);
    g_free(d->serial); g_free(d->wwn); g_free(d->vendor); g_free(d->product);
    vk_disk_iotune_clear(&d->iotune);
    if (d->backing)
        g_ptr_array_unref(d->backing);
    vk_disk_mirror_free(d->mirror);
    device_info_clear(&d->info);
    g_free(d);
}

VkDomainControllerDef *
vk_domain_controller_def_new(VkControllerType type)
{
    VkDomainControllerDef *c = g_new0(VkDomainControllerDef, 1);

    c->type = type;
    c->index = -1;
    c->pci_model = VK_PCI_MODEL_NONE;
    c->chassis_nr = c->chassis = c->port = c->bus_nr = -1;
    c->target_index = -1;
    c->numa_node = -1;
    c->ports = c->vectors = -1;
    c->master_startport = -1;
    return c;
}

const char *
vk_domain_controller_model_to_string(const VkDomainControllerDef *ctrl)
{
    switch (ctrl->type) {
    case VK_CONTROLLER_PCI: return vk_pci_controller_model_to_string(ctrl->pci_model);
    case VK_CONTROLLER_USB: return vk_usb_controller_model_to_string(ctrl->model);
    case VK_CONTROLLER_SCSI: return vk_scsi_controller_model_to_string(ctrl->model);
    case VK_CONTROLLER_VIRTIO_SERIAL: return vk_virtio_model_to_string(ctrl->model);
    case VK_CONTROLLER_IDE: return vk_ide_controller_model_to_string(ctrl->model);
    default: return NULL;
    }
}

void
vk_domain_controller_def_free(VkDomainControllerDef *c)
{
    if (!c)
        return;
    g_free(c->pci_model_name);
    device_info_clear(&c->info);
    g_free(c);
}

VkNetType
vk_domain_net_actual_type(const VkDomainNetDef *net)
{
    return net->type == VK_NET_TYPE_NETWORK && net->actual_hostdev ? VK_NET_TYPE_HOSTDEV
                                                                   : net->type;
}

void
vk_domain_net_def_free(VkDomainNetDef *n)
{
    if (!n)
        return;
    g_free(n->trust_guest_rx_filters);
    g_free(n->src_network); g_free(n->src_portgroup); g_free(n->src_bridge);
    g_free(n->src_dev); g_free(n->virtualport_type);
    g_free(n->target_dev); g_free(n->model);
    g_free(n->bandwidth_xml); g_free(n->vlan_xml);
    device_info_clear(&n->info);
    g_free(n);
}

void
vk_domain_input_def_free(VkDomainInputDef *i)
{
    if (!i)
        return;
    g_free(i->source_evdev);
    device_info_clear(&i->info);
    g_free(i);
}

void
vk_domain_graphics_def_free(VkDomainGraphicsDef *g)
{
    if (!g)
        return;
    g_free(g->websocket); g_free(g->passwd); g_free(g->keymap);
    g_free(g->share_policy); g_free(g->default_mode);
    g_free(g->listen_address); g_free(g->listen_network); g_free(g->listen_socket);
    g_free(g->gl_enable); g_free(g->gl_rendernode); g_free(g->image_compression);
    g_free(g->audio_id);
    g_free(g);
}

void
vk_domain_video_def_free(VkDomainVideoDef *v)
{
    if (!v)
        return;
    g_free(v->driver_name);
    device_info_clear(&v->info);
    g_free(v);
}

const char *
vk_domain_chr_target_type_to_string(const VkDomainChrDef *chr)
{
    switch (chr->kind) {
    case VK_CHR_SERIAL: return vk_chr_serial_target_to_string(chr->target_type);
    case VK_CHR_CONSOLE: return vk_chr_console_target_to_string(chr->target_type);
    case VK_CHR_CHANNEL: return vk_chr_channel_target_to_string(chr->target_type);
    default: return NULL;
    }
}

bool
vk_domain_chr_is_serial_console(const VkDomainChrDef *chr)
{
    return chr->kind == VK_CHR_CONSOLE && (chr->target_type == VK_CHR_CONSOLE_TARGET_ABSENT ||
                                           chr->target_type == VK_CHR_CONSOLE_TARGET_SERIAL);
}

void
vk_domain_chr_def_free(VkDomainChrDef *c)
{
    if (!c)
        return;
    g_free(c->src_path); g_free(c->src_host);
    g_free(c->src_service); g_free(c->src_append); g_free(c->src_channel);
    g_free(c->target_name);
    g_free(c->target_address); g_free(c->target_tgt_port); g_free(c->target_model);
    g_free(c->log_file); g_free(c->log_append);
    device_info_clear(&c->info);
    g_free(c);
}

void
vk_domain_sound_def_free(VkDomainSoundDef *s)
{
    if (!s)
        return;
    if (s->codecs)
        g_ptr_array_unref(s->codecs);
    device_info_clear(&s->info);
    g_free(s);
}

void
vk_domain_audio_def_free(VkDomainAudioDef *a)
{
    if (!a)
        return;
    g_free(a->server_name); g_free(a->path);
    g_free(a);
}

void
vk_domain_hostdev_def_free(VkDomainHostdevDef *h)
{
    if (!h)
        return;
    g_free(h->model); g_free(h->usb_vendor); g_free(h->usb_product);
    device_info_clear(&h->info);
    g_free(h);
}

void
vk_domain_redirdev_def_free(VkDomainRedirdevDef *r)
{
    if (!r)
        return;
    g_free(r->src_host); g_free(r->src_service);
    device_info_clear(&r->info);
    g_free(r);
}

void
vk_domain_memballoon_def_free(VkDomainMemballoonDef *m)
{
    if (!m)
        return;
    device_info_clear(&m->info);
    g_free(m);
}

void
vk_domain_rng_def_free(VkDomainRngDef *r)
{
    if (!r)
        return;
    g_free(r->backend_path);
    g_free(r->egd_src_host); g_free(r->egd_src_service); g_free(r->egd_src_path);
    device_info_clear(&r->info);
    g_free(r);
}

void
vk_domain_watchdog_def_free(VkDomainWatchdogDef *w)
{
    if (!w)
        return;
    device_info_clear(&w->info);
    g_free(w);
}

void
vk_domain_tpm_def_free(VkDomainTpmDef *t)
{
    if (!t)
        return;
    g_free(t->device_path); g_free(t->persistent_state); g_free(t->encryption_secret);
    g_free(t->active_pcr_banks);
    device_info_clear(&t->info);
    g_free(t);
}

void
vk_domain_panic_def_free(VkDomainPanicDef *p)
{
    if (!p)
        return;
    device_info_clear(&p->info);
    g_free(p);
}

void
vk_domain_fs_def_free(VkDomainFsDef *f)
{
    if (!f)
        return;
    g_free(f->driver_queue);
    g_free(f->src_dir); g_free(f->target_dir); g_free(f->binary_xml);
    device_info_clear(&f->info);
    g_free(f);
}

void
vk_domain_iommu_def_free(VkDomainIommuDef *i)
{
    if (!i)
        return;
    device_info_clear(&i->info);
    g_free(i);
}

void
vk_domain_shmem_def_free(VkDomainShmemDef *s)
{
    if (!s)
        return;
    g_free(s->name); g_free(s->server_path);
    device_info_clear(&s->info);
    g_free(s);
}

void
vk_domain_vsock_def_free(VkDomainVsockDef *v)
{
    if (!v)
        return;
    device_info_clear(&v->info);
    g_free(v);
}

static void
cpu_feature_free(VkDomainCpuFeature *f)
{
    g_free(f->name);
    g_free(f);
}

void
vk_domain_cpu_def_free(VkDomainCpuDef *c)
{
    if (!c)
        return;
    g_free(c->model); g_free(c->model_vendor_id); g_free(c->vendor); g_free(c->numa_xml);
    if (c->features)
        g_ptr_array_unref(c->features);
    g_free(c);
}

static void
timer_free(VkDomainTimerDef *t)
{
    g_free(t->frequency); g_free(t->mode);
    g_free(t);
}

static void
hyperv_feature_free(VkDomainHypervFeature *h)
{
    g_free(h->value);
    g_free(h);
}

static void
fw_feature_free(VkDomainOsFwFeature *f)
{
    g_free(f->name);
    g_free(f);
}

static void
raw_element_free(VkDomainRawElement *r)
{
    g_free(r->name);
    g_free(r->xml);
    if (r->info)
        device_info_clear(r->info);
    g_free(r->info);
    g_free(r);
}

VkDomainDef *
vk_domain_def_new(void)
{
    VkDomainDef *def = g_new0(VkDomainDef, 1);

    def->id = -1;
    /* libvirt's defaults: destroy (0) on power off and crash, restart on reboot */
    def->on_reboot = VK_LIFECYCLE_RESTART;
    def->os.firmware_features = g_ptr_array_new_with_free_func((GDestroyNotify) fw_feature_free);
    def->os.boot_devs = g_array_new(FALSE, FALSE, sizeof(VkDomainBootDev));
    def->os.bootmenu_timeout = -1;
    def->os.bios_reboot_timeout = -2;
    def->features.hyperv = g_ptr_array_new_with_free_func((GDestroyNotify) hyperv_feature_free);
    def->clock.timers = g_ptr_array_new_with_free_func((GDestroyNotify) timer_free);
    def->raw = g_ptr_array_new_with_free_func((GDestroyNotify) raw_element_free);
    def->raw_devices = g_ptr_array_new_with_free_func((GDestroyNotify) raw_element_free);
#define NEW_LIST(field, fn) def->field = g_ptr_array_new_with_free_func((GDestroyNotify) fn)
    NEW_LIST(disks, vk_domain_disk_def_free);
    NEW_LIST(controllers, vk_domain_controller_def_free);
    NEW_LIST(filesystems, vk_domain_fs_def_free);
    NEW_LIST(nets, vk_domain_net_def_free);
    NEW_LIST(serials, vk_domain_chr_def_free);
    NEW_LIST(parallels, vk_domain_chr_def_free);
    NEW_LIST(consoles, vk_domain_chr_def_free);
    NEW_LIST(channels, vk_domain_chr_def_free);
    NEW_LIST(inputs, vk_domain_input_def_free);
    NEW_LIST(tpms, vk_domain_tpm_def_free);
    NEW_LIST(graphics, vk_domain_graphics_def_free);
    NEW_LIST(sounds, vk_domain_sound_def_free);
    NEW_LIST(audios, vk_domain_audio_def_free);
    NEW_LIST(videos, vk_domain_video_def_free);
    NEW_LIST(hostdevs, vk_domain_hostdev_def_free);
    NEW_LIST(redirdevs, vk_domain_redirdev_def_free);
    NEW_LIST(watchdogs, vk_domain_watchdog_def_free);
    NEW_LIST(rngs, vk_domain_rng_def_free);
    NEW_LIST(panics, vk_domain_panic_def_free);
    NEW_LIST(shmems, vk_domain_shmem_def_free);
#undef NEW_LIST
    return def;
}

void
vk_domain_cpu_feature_free(VkDomainCpuFeature *f)
{
    cpu_feature_free(f);
}

VkDomainCpuDef *
vk_domain_cpu_def_copy(const VkDomainCpuDef *c)
{
    VkDomainCpuDef *copy = g_memdup2(c, sizeof(*c));

    copy->model = g_strdup(c->model);
    copy->model_vendor_id = g_strdup(c->model_vendor_id);
    copy->vendor = g_strdup(c->vendor);
    copy->numa_xml = g_strdup(c->numa_xml);
    copy->features = g_ptr_array_new_with_free_func((GDestroyNotify) cpu_feature_free);
    for (guint i = 0; c->features && i < c->features->len; i++) {
        const VkDomainCpuFeature *f = g_ptr_array_index(c->features, i);
        VkDomainCpuFeature *nf = g_new0(VkDomainCpuFeature, 1);
        nf->policy = f->policy;
        nf->name = g_strdup(f->name);
        g_ptr_array_add(copy->features, nf);
    }
    return copy;
}

void
vk_domain_def_free(VkDomainDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    g_free(def->metadata);
    vk_domain_pci_given_free(def->pci_given);
    g_free(def->cpuset);
    if (def->iothread_ids)
        g_array_unref(def->iothread_ids);
    vk_domain_cpu_def_free(def->cpu_migratable);

    VkDomainOsDef *os = &def->os;
    g_ptr_array_unref(os->firmware_features);
    g_free(os->type); g_free(os->arch); g_free(os->machine); g_free(os->loader);
    g_free(os->nvram); g_free(os->nvram_template);
    g_free(os->kernel); g_free(os->initrd); g_free(os->cmdline); g_free(os->dtb);
    g_array_unref(os->boot_devs);

    g_ptr_array_unref(def->features.hyperv);
    vk_domain_cpu_def_free(def->cpu);
    g_free(def->clock.timezone); g_free(def->clock.adjustment);
    g_ptr_array_unref(def->clock.timers);
    g_ptr_array_unref(def->raw);

    g_free(def->emulator);
    g_ptr_array_unref(def->disks);
    g_ptr_array_unref(def->controllers);
    g_ptr_array_unref(def->filesystems);
    g_ptr_array_unref(def->nets);
    g_ptr_array_unref(def->serials);
    g_ptr_array_unref(def->parallels);
    g_ptr_array_unref(def->consoles);
    g_ptr_array_unref(def->channels);
    g_ptr_array_unref(def->inputs);
    g_ptr_array_unref(def->tpms);
    g_ptr_array_unref(def->graphics);
    g_ptr_array_unref(def->sounds);
    g_ptr_array_unref(def->audios);
    g_ptr_array_unref(def->videos);
    g_ptr_array_unref(def->hostdevs);
    g_ptr_array_unref(def->redirdevs);
    g_ptr_array_unref(def->watchdogs);
    vk_domain_memballoon_def_free(def->memballoon);
    g_ptr_array_unref(def->rngs);
    g_ptr_array_unref(def->panics);
    g_ptr_array_unref(def->shmems);
    vk_domain_iommu_def_free(def->iommu);
    vk_domain_vsock_def_free(def->vsock);
    g_ptr_array_unref(def->raw_devices);
    g_free(def);
}

void
vk_domain_def_add_controller(VkDomainDef *def, VkDomainControllerDef *ctrl)
{
    g_ptr_array_add(def->controllers, ctrl);
}

/* libvirt's virDomainControllerInsertPreAlloced: a parsed controller goes
 * among those of its type, by index (one without an index after the last of
 * its type), a master before the companions of its index; a type not seen
 * yet goes last. */
void
vk_domain_def_insert_controller(VkDomainDef *def, VkDomainControllerDef *ctrl)
{
    gint insert_at = -1;

    for (guint i = def->controllers->len; i > 0; i--) {
        const VkDomainControllerDef *cur = g_ptr_array_index(def->controllers, i - 1);

        if (cur->type != ctrl->type)
            continue;
        if (ctrl->index < 0) {
            insert_at = (gint) i;
            break;
        }
        if (cur->index > ctrl->index ||
            (ctrl->master_startport < 0 && cur->master_startport >= 0 &&
             cur->index == ctrl->index))
            insert_at = (gint) i - 1;
        else if (insert_at < 0)
            insert_at = (gint) i;
    }
    g_ptr_array_insert(def->controllers, insert_at, ctrl);
}

/* libvirt's virDomainDiskInsertPreAlloced: a parsed disk goes among the
 * disks of its bus (as written: one without a bus attribute is on none yet)
 * before the first with a higher target index, else after the last of its
 * bus; a bus not seen yet goes last.  Address assignment and dumpxml follow
 * that order, not the document's. */
void
vk_domain_def_insert_disk(VkDomainDef *def, VkDomainDiskDef *disk)
{
    gint insert_at = -1;
    int index = vk_domain_disk_name_index(disk->target_dev);

    for (guint i = def->disks->len; i > 0; i--) {
        const VkDomainDiskDef *cur = g_ptr_array_index(def->disks, i - 1);

        if (cur->bus != disk->bus)
            continue;
        if (vk_domain_disk_name_index(cur->target_dev) > index)
            insert_at = (gint) i - 1;
        else if (insert_at < 0)
            insert_at = (gint) i;
    }
    g_ptr_array_insert(def->disks, insert_at, disk);
}

unsigned int
vk_domain_def_current_vcpus(const VkDomainDef *def)
{
    return def->current_vcpus ? def->current_vcpus : def->vcpus;
}

VkDomainControllerDef *
vk_domain_def_find_controller(const VkDomainDef *def, VkControllerType type, int index)
{
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type == type && c->index == index)
            return c;
    }
    return NULL;
}

#define WALK(list, kind, type) \
    for (guint i = 0; i < def->list->len; i++) { \
        type *d = g_ptr_array_index(def->list, i); \
        if (func(def, kind, d, &d->info, opaque) < 0) \
            return -1; \
    }

bool
vk_domain_def_has_balloon(const VkDomainDef *def)
{
    return def->memballoon && def->memballoon->model != VK_MEMBALLOON_MODEL_NONE;
}

VkDomainDiskDef *
vk_domain_def_disk_by_name(const VkDomainDef *def, const char *name)
{
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (g_strcmp0(d->target_dev, name) == 0)
            return d;
    }
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        if (d->src_path && g_strcmp0(d->src_path, name) == 0)
            return d;
    }
    return NULL;
}

int
vk_domain_def_foreach_device(VkDomainDef *def, VkDomainDeviceFunc func, void *opaque)
{
    WALK(disks, VK_DEVICE_DISK, VkDomainDiskDef);
    WALK(controllers, VK_DEVICE_CONTROLLER, VkDomainControllerDef);
    WALK(filesystems, VK_DEVICE_FS, VkDomainFsDef);
    WALK(nets, VK_DEVICE_NET, VkDomainNetDef);
    WALK(serials, VK_DEVICE_SERIAL, VkDomainChrDef);
    WALK(parallels, VK_DEVICE_PARALLEL, VkDomainChrDef);
    WALK(consoles, VK_DEVICE_CONSOLE, VkDomainChrDef);
    WALK(channels, VK_DEVICE_CHANNEL, VkDomainChrDef);
    WALK(inputs, VK_DEVICE_INPUT, VkDomainInputDef);
    WALK(tpms, VK_DEVICE_TPM, VkDomainTpmDef);
    WALK(sounds, VK_DEVICE_SOUND, VkDomainSoundDef);
    WALK(videos, VK_DEVICE_VIDEO, VkDomainVideoDef);
    WALK(hostdevs, VK_DEVICE_HOSTDEV, VkDomainHostdevDef);
    WALK(redirdevs, VK_DEVICE_REDIRDEV, VkDomainRedirdevDef);
    WALK(watchdogs, VK_DEVICE_WATCHDOG, VkDomainWatchdogDef);
    if (def->memballoon &&
        func(def, VK_DEVICE_MEMBALLOON, def->memballoon, &def->memballoon->info, opaque) < 0)
        return -1;
    WALK(rngs, VK_DEVICE_RNG, VkDomainRngDef);
    WALK(panics, VK_DEVICE_PANIC, VkDomainPanicDef);
    WALK(shmems, VK_DEVICE_SHMEM, VkDomainShmemDef);
    if (def->iommu && func(def, VK_DEVICE_IOMMU, def->iommu, &def->iommu->info, opaque) < 0)
        return -1;
    if (def->vsock && func(def, VK_DEVICE_VSOCK, def->vsock, &def->vsock->info, opaque) < 0)
        return -1;
    return 0;
}

void
vk_domain_uuid_format(const unsigned char *u, char *buf)
{
    g_snprintf(buf, 37,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
               u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

int
vk_domain_uuid_parse(const char *str, unsigned char *uuid)
{
    const char *p = str;

    /* Like libvirt: leading spaces, then 32 hex digits, with dashes or
     * spaces allowed between byte pairs, then only trailing spaces. */
    while (g_ascii_isspace(*p))
        p++;
    for (int i = 0; i < VK_UUID_LEN; i++) {
        while (*p == '-' || *p == ' ')
            p++;
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]))
            return -1;
        uuid[i] = (unsigned char) (g_ascii_xdigit_value(p[0]) * 16 + g_ascii_xdigit_value(p[1]));
        p += 2;
    }
    while (*p) {
        if (!g_ascii_isspace(*p))
            return -1;
        p++;
    }
    return 0;
}

void
vk_domain_uuid_generate(unsigned char *uuid)
{
    for (int i = 0; i < VK_UUID_LEN; i += 4) {
        guint32 r = g_random_int();
        memcpy(uuid + i, &r, 4);
    }
    uuid[6] = (uuid[6] & 0x0F) | 0x40;   /* version 4 */
    uuid[8] = (uuid[8] & 0x3F) | 0x80;   /* RFC 4122 variant */
}

bool
vk_domain_machine_is_q35(const char *machine)
{
    return machine && (g_str_equal(machine, "q35") || g_str_has_prefix(machine, "pc-q35-"));
}

bool
vk_domain_machine_is_i440fx(const char *machine)
{
    return machine && (g_str_equal(machine, "pc") || g_str_has_prefix(machine, "pc-i440fx-") ||
                       g_str_has_prefix(machine, "pc-0.") || g_str_has_prefix(machine, "pc-1."));
}

char *
vk_domain_raw_element_attr(const VkDomainRawElement *r, const char *attr)
{
    g_autofree char *needle = g_strdup_printf(" %s='", attr);
    const char *end = strchr(r->xml, '>');
    const char *p = g_strstr_len(r->xml, end ? end - r->xml : -1, needle);
    const char *q;

    if (!p)
        return NULL;
    p += strlen(needle);
    q = strchr(p, '\'');
    return q ? g_strndup(p, q - p) : NULL;
}

VkDiskType
vk_domain_disk_actual_type(const VkDomainDiskDef *disk)
{
    if (disk->type == VK_DISK_TYPE_VOLUME && disk->src_path)
        return disk->src_actual_type;
    return disk->type;
}

int
vk_domain_disk_name_index(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd", NULL };
    const char *p = NULL;
    int idx = 0;

    for (int i = 0; prefixes[i] && !p; i++) {
        if (g_str_has_prefix(name, prefixes[i]))
            p = name + strlen(prefixes[i]);
    }
    if (!p || !*p)
        return -1;
    for (int n = 0; *p; p++, n++) {
        /* past about 6 letters the index no longer fits: no such disk */
        if (!g_ascii_islower(*p) || idx > G_MAXINT / 26 - 2)
            return -1;
        idx = (n == 0 ? 0 : (idx + 1) * 26) + (*p - 'a');
    }
    return idx;
}
