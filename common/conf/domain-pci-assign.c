#include "common/conf/domain-pci-assign.h"

#include "common/conf/domain-dimm-assign.h"
#include "common/conf/domain-pci-given.h"
#include "common/conf/domain-usb-assign.h"
#include "common/conf/domain-validate.h"

#include "common/pci/assign.h"
#include "common/pci/host-device.h"
#include "common/pci/provenance.h"
#include "common/pci/tree.h"
#include "common/util/error.h"

/* The two enums share their values (see common/pci/controller-model.h). */
G_STATIC_ASSERT((int) VK_PCI_CONTROLLER_PCI_ROOT == (int) VK_PCI_MODEL_PCI_ROOT);
G_STATIC_ASSERT((int) VK_PCI_CONTROLLER_PCIE_TO_PCI_BRIDGE == (int) VK_PCI_MODEL_PCIE_TO_PCI_BRIDGE);
G_STATIC_ASSERT((int) VK_PCI_CONTROLLER_NONE == (int) VK_PCI_MODEL_NONE);

typedef struct {
    VkDomainDef *def;
    const char *host_root;
    bool q35;
    unsigned int pci;      /* connect flags of a conventional PCI device */
    unsigned int pcie;     /* of a PCIe device (conventional on pc) */
    unsigned int virtio;   /* of a virtio device: PCIe where the machine has it */
    GArray *devices;       /* VkPciDevice */
    GPtrArray *infos;      /* VkDeviceInfo * of each entry of devices */
} Walk;

static bool
str_is(const char *value, const char *want)
{
    return value && g_str_equal(value, want);
}

/* transitional virtio devices only work in conventional slots */
static unsigned int
virtio_flags(Walk *w, VkVirtioModel model)
{
    return model == VK_VIRTIO_MODEL_TRANSITIONAL ? w->pci : w->virtio;
}

/* The order in which libvirt reserves the addresses a definition gives (its
 * device iteration order, seen from which of two clashing addresses it names),
 * by the KIND given to add(); controllers come as their type ("scsi", ...). */
static unsigned int
reserve_rank(const char *kind)
{
    static const char *const order[] = {
        "disk", "interface", "sound", "hostdev", "video", NULL /* controllers */, "serial",
        "input", "filesystem", "watchdog", "memballoon", "rng", "shmem", "iommu", "vsock",
    };
    unsigned int controllers = 0;
    for (unsigned int i = 0; i < G_N_ELEMENTS(order); i++) {
        if (!order[i])
            controllers = i;
        else if (g_str_equal(kind, order[i]))
            return i;
    }
    return controllers;
}

/* Queue a device that wants or has a PCI address; devices with another
 * address type are not PCI devices here. */
static void
add(Walk *w, VkDeviceInfo *info, unsigned int flags, VkPciDeviceRole role,
    unsigned int role_index, const char *kind, const char *model)
{
    VkPciDevice dev = { 0 };

    if (!flags || (info->addr.type != VK_DEVICE_ADDRESS_NONE &&
                   info->addr.type != VK_DEVICE_ADDRESS_PCI))
        return;
    dev.address = &info->addr.pci;
    dev.has_address = info->addr.type == VK_DEVICE_ADDRESS_PCI &&
                      !vk_pci_address_is_empty(&info->addr.pci);
    dev.flags = flags;
    dev.role = role;
    dev.role_index = role_index;
    dev.reserve_rank = reserve_rank(kind);
    /* interned: the tree view outlives this walk */
    g_autofree char *desc = model ? g_strdup_printf("%s %s", kind, model) : NULL;
    dev.description = g_intern_string(desc ? desc : kind);
    g_array_append_val(w->devices, dev);
    g_ptr_array_add(w->infos, info);
}

static unsigned int
usb_controller_flags(Walk *w, VkUsbControllerModel m)
{
    switch (m) {
    case VK_USB_MODEL_QEMU_XHCI:
    case VK_USB_MODEL_NEC_XHCI:
        return w->pcie;
    case VK_USB_MODEL_NONE:
    case VK_USB_MODEL_QUSB1:
    case VK_USB_MODEL_QUSB2:
        return 0;
    default:
        return w->pci;
    }
}

static unsigned int
controller_flags(Walk *w, const VkDomainControllerDef *c)
{
    switch (c->type) {
    case VK_CONTROLLER_SATA:
    case VK_CONTROLLER_IDE:
        return w->pci;
    case VK_CONTROLLER_USB:
        return usb_controller_flags(w, c->model);
    case VK_CONTROLLER_SCSI:
        if (c->model == VK_SCSI_MODEL_NCR53C90)
            return 0;
        if (c->model == VK_SCSI_MODEL_VIRTIO_SCSI || c->model == VK_SCSI_MODEL_VIRTIO_NON_TRANSITIONAL)
            return w->virtio;
        return w->pci;   /* lsilogic (the x86 default) and the other HBAs */
    case VK_CONTROLLER_VIRTIO_SERIAL:
        return virtio_flags(w, c->model);
    default:
        return 0;
    }
}

static VkPciDeviceRole
controller_role(Walk *w, const VkDomainControllerDef *c)
{
    if (c->type == VK_CONTROLLER_SATA && c->index == 0 && w->q35)
        return VK_PCI_ROLE_SATA0;
    if (c->type == VK_CONTROLLER_IDE && c->index == 0 && !w->q35)
        return VK_PCI_ROLE_IDE0;
    if (c->type != VK_CONTROLLER_USB)
        return VK_PCI_ROLE_NONE;
    switch ((VkUsbControllerModel) c->model) {
    case VK_USB_MODEL_ABSENT:
    case VK_USB_MODEL_PIIX3_UHCI:
        return c->index == 0 && !w->q35 ? VK_PCI_ROLE_PIIX3_USB0 : VK_PCI_ROLE_NONE;
    case VK_USB_MODEL_ICH9_EHCI1: return VK_PCI_ROLE_USB_ICH9_EHCI1;
    case VK_USB_MODEL_ICH9_UHCI1: return VK_PCI_ROLE_USB_ICH9_UHCI1;
    case VK_USB_MODEL_ICH9_UHCI2: return VK_PCI_ROLE_USB_ICH9_UHCI2;
    case VK_USB_MODEL_ICH9_UHCI3: return VK_PCI_ROLE_USB_ICH9_UHCI3;
    default: return VK_PCI_ROLE_NONE;
    }
}

static unsigned int
hostdev_flags(Walk *w, VkDomainHostdevDef *h)
{
    g_autofree char *name = NULL;
    g_autoptr(VkPciHostDevice) host = NULL;

    if (h->mode != VK_HOSTDEV_MODE_SUBSYSTEM)
        return 0;
    if (h->type == VK_HOSTDEV_SCSI_HOST)
        return virtio_flags(w, vk_virtio_model_from_string(h->model));
    if (h->type == VK_HOSTDEV_MDEV)
        return str_is(h->model, "vfio-pci") ? w->pcie : 0;
    if (h->type != VK_HOSTDEV_PCI)
        return 0;
    if (w->pci == w->pcie || vk_device_info_pci_present(&h->info))
        return w->pcie;
    /* conventional on the host: conventional in the guest; a device we
     * cannot see is assumed PCIe, as most assignable devices are */
    name = vk_pci_address_format(&h->src_pci);
    host = vk_pci_host_device_read(w->host_root, name);
    vk_error_reset();
    return !host || host->is_pcie ? w->pcie : w->pci;
}

static unsigned int
video_flags(Walk *w, const VkDomainVideoDef *v)
{
    switch (v->model) {
    case VK_VIDEO_MODEL_VIRTIO:
        return w->virtio;
    case VK_VIDEO_MODEL_BOCHS:
        return w->pcie;
    case VK_VIDEO_MODEL_DEFAULT:
    case VK_VIDEO_MODEL_NONE:
    case VK_VIDEO_MODEL_RAMFB:
    case VK_VIDEO_MODEL_GOP:
        return 0;
    default:
        return w->pci;
    }
}

/* libvirt's assignment order (qemuDomainAssignDevicePCISlots) */
static int
collect(Walk *w)
{
    VkDomainDef *def = w->def;

    for (guint i = 0; i < def->filesystems->len; i++) {
        VkDomainFsDef *fs = g_ptr_array_index(def->filesystems, i);
        VkFsDriver drv = fs->driver_type;
        unsigned int flags = 0;
        if (drv == VK_FS_DRIVER_VIRTIOFS)
            flags = w->virtio;
        else if (!drv || drv == VK_FS_DRIVER_PATH || drv == VK_FS_DRIVER_HANDLE)
            flags = virtio_flags(w, fs->model);
        add(w, &fs->info, flags, 0, 0, "filesystem", vk_fs_driver_to_string(drv));
    }
    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *net = g_ptr_array_index(def->nets, i);
        const char *m = net->model;
        unsigned int flags;
        if (net->type == VK_NET_TYPE_HOSTDEV || str_is(m, "usb-net"))
            continue;   /* a hostdev interface is placed with the hostdevs */
        if (str_is(m, "virtio") || str_is(m, "virtio-non-transitional"))
            flags = w->virtio;
        else if (str_is(m, "virtio-transitional"))
            flags = w->pci;
        else if (str_is(m, "e1000e") || str_is(m, "igb"))
            flags = w->pcie;
        else
            flags = w->pci;   /* rtl8139 (the default), e1000, ... */
        add(w, &net->info, flags, 0, 0, "interface", m ? m : "rtl8139");
    }
    for (guint i = 0; i < def->sounds->len; i++) {
        VkDomainSoundDef *snd = g_ptr_array_index(def->sounds, i);
        VkSoundModel m = snd->model;
        if (m == VK_SOUND_MODEL_ES1370 || m == VK_SOUND_MODEL_AC97 || m == VK_SOUND_MODEL_ICH6 ||
            m == VK_SOUND_MODEL_ICH9)
            add(w, &snd->info, w->pci, m == VK_SOUND_MODEL_ICH9 ? VK_PCI_ROLE_ICH9_SOUND : 0, 0, "sound",
                vk_sound_model_to_string(m));
    }
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type == VK_CONTROLLER_PCI)
            continue;
        /* the q35 IDE has no place (refused earlier); pc's is the PIIX3's */
        if (c->type == VK_CONTROLLER_IDE && c->index == 0 && w->q35)
            continue;
        add(w, &c->info, controller_flags(w, c), controller_role(w, c), MAX(c->index, 0),
            vk_controller_type_to_string(c->type), vk_domain_controller_model_to_string(c));
    }
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        if (disk->bus != VK_DISK_BUS_VIRTIO)
            continue;
        if (disk->info.addr.type != VK_DEVICE_ADDRESS_NONE &&
            disk->info.addr.type != VK_DEVICE_ADDRESS_PCI) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                            "virtio disk cannot have an address of type '%s'",
                            vk_device_address_type_to_string(disk->info.addr.type));
            return -1;
        }
        add(w, &disk->info, virtio_flags(w, disk->model), 0, 0, "disk", disk->target_dev);
    }
    for (guint i = 0; i < def->hostdevs->len; i++) {
        VkDomainHostdevDef *h = g_ptr_array_index(def->hostdevs, i);
        if (h->info.addr.type == VK_DEVICE_ADDRESS_UNASSIGNED)
            continue;
        add(w, &h->info, hostdev_flags(w, h), 0, 0, "hostdev", vk_hostdev_type_to_string(h->type));
    }
    if (def->memballoon) {
        VkMemballoonModel m = def->memballoon->model;
        unsigned int flags = m == VK_MEMBALLOON_MODEL_VIRTIO_TRANSITIONAL ? w->pci :
                             (m == VK_MEMBALLOON_MODEL_VIRTIO ||
                              m == VK_MEMBALLOON_MODEL_VIRTIO_NON_TRANSITIONAL) ? w->virtio : 0;
        add(w, &def->memballoon->info, flags, 0, 0, "memballoon", vk_memballoon_model_to_string(m));
    }
    for (guint i = 0; i < def->rngs->len; i++) {
        VkDomainRngDef *rng = g_ptr_array_index(def->rngs, i);
        add(w, &rng->info, virtio_flags(w, rng->model), 0, 0, "rng",
            vk_virtio_model_to_string(rng->model));
    }
    for (guint i = 0; i < def->watchdogs->len; i++) {
        VkDomainWatchdogDef *wd = g_ptr_array_index(def->watchdogs, i);
        if (wd->model == VK_WATCHDOG_MODEL_I6300ESB)
            add(w, &wd->info, w->pci, 0, 0, "watchdog", vk_watchdog_model_to_string(wd->model));
    }
    for (guint i = 0; i < def->videos->len; i++) {
        VkDomainVideoDef *v = g_ptr_array_index(def->videos, i);
        unsigned int flags = video_flags(w, v);
        add(w, &v->info, flags, i == 0 ? VK_PCI_ROLE_PRIMARY_VIDEO : 0, 0, "video",
            vk_video_model_to_string(v->model));
    }
    for (guint i = 0; i < def->shmems->len; i++) {
        VkDomainShmemDef *shm = g_ptr_array_index(def->shmems, i);
        add(w, &shm->info, w->pci, 0, 0, "shmem", shm->name);
    }
    for (guint i = 0; i < def->inputs->len; i++) {
        VkDomainInputDef *in = g_ptr_array_index(def->inputs, i);
        if (in->bus == VK_INPUT_BUS_VIRTIO)
            add(w, &in->info, virtio_flags(w, in->model), 0, 0, "input",
                vk_input_type_to_string(in->type));
    }
    for (guint i = 0; i < def->serials->len; i++) {
        VkDomainChrDef *chr = g_ptr_array_index(def->serials, i);
        if (chr->target_type == VK_CHR_SERIAL_TARGET_PCI)
            add(w, &chr->info, w->pci, 0, 0, "serial", vk_domain_chr_target_type_to_string(chr));
    }
    if (def->iommu && def->iommu->model == VK_IOMMU_MODEL_VIRTIO)
        add(w, &def->iommu->info, w->virtio | VK_PCI_CONNECT_INTEGRATED, 0, 0, "iommu", "virtio");
    if (def->vsock)
        add(w, &def->vsock->info, virtio_flags(w, def->vsock->model), 0, 0, "vsock",
            vk_virtio_model_to_string(def->vsock->model));
    return 0;
}

static void
ensure_root(VkDomainDef *def, bool q35)
{
    VkDomainControllerDef *root = vk_domain_def_find_controller(def, VK_CONTROLLER_PCI, 0);

    if (!root) {
        root = vk_domain_controller_def_new(VK_CONTROLLER_PCI);
        root->index = 0;
        g_ptr_array_add(def->controllers, root);
    }
    if (root->pci_model == VK_PCI_MODEL_NONE)
        root->pci_model = q35 ? VK_PCI_MODEL_PCIE_ROOT : VK_PCI_MODEL_PCI_ROOT;
}

static void
store_controller(VkDomainControllerDef *c, const VkPciController *p)
{
    const char *qemu = vk_pci_model_info((VkPciModel) c->pci_model)->qemu_name;

    if (p->has_address)
        vk_device_info_set_pci(&c->info, &p->address);
    c->chassis_nr = p->chassis_nr;
    c->chassis = p->chassis;
    c->port = p->port;
    c->bus_nr = p->bus_nr;
    if (!c->pci_model_name && qemu)
        c->pci_model_name = g_strdup(qemu);
}

/* A machine without PCI (libvirt adds no PCI root for it): fine as long as
 * no device needs a PCI address. */
static int
check_no_pci_needed(VkDomainDef *def, const char *host_root)
{
    g_autoptr(GArray) devices = g_array_new(FALSE, TRUE, sizeof(VkPciDevice));
    g_autoptr(GPtrArray) infos = g_ptr_array_new();
    Walk w = {
        .def = def, .host_root = host_root, .q35 = false,
        .pci = VK_PCI_FLAGS_PCI, .pcie = VK_PCI_FLAGS_PCI, .virtio = VK_PCI_FLAGS_PCI,
        .devices = devices, .infos = infos,
    };

    if (vk_domain_def_find_controller(def, VK_CONTROLLER_PCI, 0))
        return 0;
    if (collect(&w) < 0)
        return -1;
    for (guint i = 0; i < devices->len; i++) {
        VkPciDevice *d = &g_array_index(devices, VkPciDevice, i);
        if (d->flags && !d->has_address) {
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "%s", "No PCI buses available");
            return -1;
        }
    }
    return 0;
}

static int assign_pci(VkDomainDef *def, const char *host_root);

/* The PCI controller C as assignment takes it. */
static void
controller_entry(VkDomainControllerDef *c, VkPciController *p)
{
    vk_pci_controller_init(p, (VkPciModel) c->pci_model, c->index);
    p->address = c->info.addr.pci;
    p->has_address = c->info.addr.type == VK_DEVICE_ADDRESS_PCI &&
                     !vk_pci_address_is_empty(&c->info.addr.pci);
    p->chassis = c->chassis;
    p->port = c->port;
    p->chassis_nr = c->chassis_nr;
    p->bus_nr = c->bus_nr;
    p->hotplug = c->hotplug;
    p->reserve_rank = reserve_rank("pci");
    p->opaque = c;
}

int
vk_domain_pci_assign(VkDomainDef *def, const char *host_root)
{
    bool pci = vk_domain_machine_is_q35(def->os.machine) ||
               vk_domain_machine_is_i440fx(def->os.machine);

    /* libvirt's order: PCI, then USB ports, then memory slots */
    if (pci ? assign_pci(def, host_root) < 0 : check_no_pci_needed(def, host_root) < 0)
        return -1;
    if (vk_domain_usb_assign(def) < 0)
        return -1;
    if (vk_domain_dimm_assign(def) < 0)
        return -1;
    /* define ends with the QEMU driver's checks, once everything is placed */
    return vk_domain_def_validate(def);
}

static int
assign_pci(VkDomainDef *def, const char *host_root)
{
    bool q35 = vk_domain_machine_is_q35(def->os.machine);
    g_autoptr(GArray) conts = g_array_new(FALSE, TRUE, sizeof(VkPciController));
    g_autoptr(GPtrArray) cont_defs = g_ptr_array_new();
    g_autoptr(GArray) devices = g_array_new(FALSE, TRUE, sizeof(VkPciDevice));
    g_autoptr(GPtrArray) infos = g_ptr_array_new();
    g_autoptr(GArray) added = NULL;
    Walk w = {
        .def = def, .host_root = host_root, .q35 = q35,
        .pci = VK_PCI_FLAGS_PCI,
        .pcie = q35 ? VK_PCI_FLAGS_PCIE : VK_PCI_FLAGS_PCI,
        .devices = devices, .infos = infos,
    };

    if (!q35 && !vk_domain_machine_is_i440fx(def->os.machine))
        return 0;
    w.virtio = w.pcie;
    ensure_root(def, q35);

    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        VkPciController p;

        if (c->type != VK_CONTROLLER_PCI)
            continue;
        if (c->pci_model == VK_PCI_MODEL_NONE || c->index < 0) {
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR,
                            "PCI controller model was not set correctly");
            return -1;
        }
        controller_entry(c, &p);
        g_array_append_val(conts, p);
        g_ptr_array_add(cont_defs, c);
    }
    if (collect(&w) < 0)
        return -1;

    if (vk_pci_assign(q35 ? VK_PCI_MACHINE_Q35 : VK_PCI_MACHINE_PC,
                      (VkPciController *) conts->data, conts->len,
                      (VkPciDevice *) devices->data, devices->len, &added) < 0)
        return -1;

    for (guint i = 0; i < conts->len; i++) {
        VkPciController *p = &g_array_index(conts, VkPciController, i);
        store_controller(p->opaque, p);
    }
    for (guint i = 0; i < devices->len; i++) {
        VkPciDevice *d = &g_array_index(devices, VkPciDevice, i);
        VkDeviceInfo *info = g_ptr_array_index(infos, i);
        if (d->has_address)
            info->addr.type = VK_DEVICE_ADDRESS_PCI;
    }
    for (guint i = 0; i < added->len; i++) {
        VkPciController *p = &g_array_index(added, VkPciController, i);
        VkDomainControllerDef *c = vk_domain_controller_def_new(VK_CONTROLLER_PCI);

        c->index = p->index;
        c->pci_model = (VkPciControllerModel) p->model;
        store_controller(c, p);
        /* appended, not sorted in: libvirt's order for what it adds */
        g_ptr_array_add(def->controllers, c);
    }
    return 0;
}

/* DEF's PCI controllers and devices as assignment sees them, with the
 * VkDeviceInfo of each. */
typedef struct {
    GArray *conts;          /* VkPciController */
    GPtrArray *cont_infos;
    GArray *devices;        /* VkPciDevice */
    GPtrArray *infos;
    gpointer flags[3];      /* what the user gave (given_flags()) */
} Explained;

static void
explained_clear(Explained *x)
{
    g_clear_pointer(&x->conts, g_array_unref);
    g_clear_pointer(&x->cont_infos, g_ptr_array_unref);
    g_clear_pointer(&x->devices, g_array_unref);
    g_clear_pointer(&x->infos, g_ptr_array_unref);
    for (size_t i = 0; i < G_N_ELEMENTS(x->flags); i++)
        g_clear_pointer(&x->flags[i], g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Explained, explained_clear)

/* What DEF's record says the user gave of X's items, as the flags
 * vk_pci_provenance() starts from (arrays owned by X). */
static VkPciGiven
given_flags(const VkDomainDef *def, Explained *x)
{
    const VkPciAddress **device = g_new0(const VkPciAddress *, x->devices->len + 1);
    bool *controller = g_new0(bool, x->conts->len + 1);
    bool *address = g_new0(bool, x->conts->len + 1);

    for (guint i = 0; i < x->conts->len; i++) {
        const VkPciController *p = &g_array_index(x->conts, VkPciController, i);
        const VkDomainPciGivenController *g =
            vk_domain_pci_given_controller(def->pci_given, p->index,
                                           (VkPciControllerModel) p->model);
        controller[i] = g != NULL;
        address[i] = g && g->has_address;
    }
    for (guint i = 0; i < x->devices->len; i++) {
        const VkPciDevice *d = &g_array_index(x->devices, VkPciDevice, i);
        device[i] = d->has_address ? vk_domain_pci_given_device(def->pci_given, d->address) : NULL;
    }
    x->flags[0] = (gpointer) device;
    x->flags[1] = controller;
    x->flags[2] = address;
    return (VkPciGiven) { device, controller, address };
}

/* Fill X for DEF, with who chose each address: assignment re-run from what
 * the user gave, or recomputed when that is not known
 * (common/pci/provenance.h). */
static void
explain(VkDomainDef *def, Explained *x)
{
    bool q35 = vk_domain_machine_is_q35(def->os.machine);
    GArray *conts = x->conts = g_array_new(FALSE, TRUE, sizeof(VkPciController));
    GArray *devices = x->devices = g_array_new(FALSE, TRUE, sizeof(VkPciDevice));
    Walk w = {
        .def = def, .q35 = q35, .pci = VK_PCI_FLAGS_PCI,
        .pcie = q35 ? VK_PCI_FLAGS_PCIE : VK_PCI_FLAGS_PCI,
        .devices = devices, .infos = x->infos = g_ptr_array_new(),
    };
    VkPciGiven given;

    w.virtio = w.pcie;
    x->cont_infos = g_ptr_array_new();
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        VkPciController p;

        if (c->type != VK_CONTROLLER_PCI || c->index < 0)
            continue;
        controller_entry(c, &p);
        g_array_append_val(conts, p);
        g_ptr_array_add(x->cont_infos, &c->info);
    }
    if (collect(&w) < 0) {
        vk_error_reset();   /* a picture of what there is, even then */
        return;
    }
    if (!q35 && !vk_domain_machine_is_i440fx(def->os.machine))
        return;
    given = given_flags(def, x);
    vk_pci_provenance(q35 ? VK_PCI_MACHINE_Q35 : VK_PCI_MACHINE_PC,
                      (VkPciController *) conts->data, conts->len,
                      (VkPciDevice *) devices->data, devices->len,
                      def->pci_given ? &given : NULL);
}

char *
vk_domain_pci_tree(VkDomainDef *def)
{
    g_auto(Explained) x = { 0 };

    explain(def, &x);
    return vk_pci_tree_format((VkPciController *) x.conts->data, x.conts->len,
                              (VkPciDevice *) x.devices->data, x.devices->len);
}

GHashTable *
vk_domain_pci_origins(VkDomainDef *def)
{
    g_auto(Explained) x = { 0 };
    GHashTable *origins = g_hash_table_new(g_direct_hash, g_direct_equal);

    explain(def, &x);
    for (guint i = 0; i < x.conts->len; i++) {
        const VkPciController *p = &g_array_index(x.conts, VkPciController, i);
        VkPciOrigin o = p->added ? VK_PCI_ORIGIN_ADDED :
                        p->auto_assigned ? VK_PCI_ORIGIN_ASSIGNED : VK_PCI_ORIGIN_USER;
        g_hash_table_insert(origins, g_ptr_array_index(x.cont_infos, i), GINT_TO_POINTER(o));
    }
    for (guint i = 0; i < x.devices->len; i++) {
        const VkPciDevice *d = &g_array_index(x.devices, VkPciDevice, i);
        if (d->has_address)
            g_hash_table_insert(origins, g_ptr_array_index(x.infos, i),
                                GINT_TO_POINTER(d->auto_assigned ? VK_PCI_ORIGIN_ASSIGNED
                                                                 : VK_PCI_ORIGIN_USER));
    }
    return origins;
}

/* ---- one new device in a finished definition (attach-device) ------------- */

int
vk_domain_pci_assign_device(VkDomainDef *def, VkDeviceInfo *info, bool hotplug)
{
    bool q35 = vk_domain_machine_is_q35(def->os.machine);
    g_autoptr(GArray) devices = g_array_new(FALSE, TRUE, sizeof(VkPciDevice));
    g_autoptr(GPtrArray) infos = g_ptr_array_new();
    g_autoptr(VkPciAddressSet) set = NULL;
    Walk w = {
        .def = def, .q35 = q35, .pci = VK_PCI_FLAGS_PCI,
        .pcie = q35 ? VK_PCI_FLAGS_PCIE : VK_PCI_FLAGS_PCI,
        .devices = devices, .infos = infos,
    };
    VkPciDevice *target = NULL;

    w.virtio = w.pcie;
    if (!q35 && !vk_domain_machine_is_i440fx(def->os.machine))
        return check_no_pci_needed(def, NULL);
    if (collect(&w) < 0)
        return -1;
    for (guint i = 0; i < devices->len; i++) {
        if (g_ptr_array_index(infos, i) == info)
            target = &g_array_index(devices, VkPciDevice, i);
    }
    if (!target)
        return 0;   /* not a PCI device */

    /* The buses as they are: no controller is added, nothing moves. */
    set = vk_pci_address_set_new();
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        if (c->type == VK_CONTROLLER_PCI && c->index >= 0 && c->pci_model != VK_PCI_MODEL_NONE)
            vk_pci_address_set_set_bus(set, (unsigned int) c->index, (VkPciModel) c->pci_model,
                                       c->hotplug != VK_TRISTATE_OFF);
    }
    if (vk_pci_address_set_nbuses(set) == 0) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "%s", "No PCI buses available");
        return -1;
    }
    if (vk_pci_address_set_reserve_machine(set, q35 ? VK_PCI_MACHINE_Q35 : VK_PCI_MACHINE_PC) < 0)
        return -1;
    /* What is in use stays in use, whatever a check of it would say. */
    for (guint i = 0; i < def->controllers->len; i++) {
        VkDomainControllerDef *c = g_ptr_array_index(def->controllers, i);
        VkPciAddress a = c->info.addr.pci;
        if (c->type == VK_CONTROLLER_PCI && vk_device_info_pci_present(&c->info) &&
            vk_pci_address_set_reserve(set, &a, vk_pci_model_info((VkPciModel) c->pci_model)->plugs_as,
                                       true) < 0)
            vk_error_reset();
    }
    for (guint i = 0; i < devices->len; i++) {
        VkPciDevice *d = &g_array_index(devices, VkPciDevice, i);
        VkPciAddress a;
        if (d == target || !d->has_address)
            continue;
        a = *d->address;
        if (vk_pci_address_set_reserve(set, &a, d->flags, true) < 0)
            vk_error_reset();
    }

    if (target->has_address) {
        /* the user's address: it must fit and be free */
        return vk_pci_address_set_reserve(set, target->address,
                                          target->flags | (hotplug ? VK_PCI_CONNECT_HOTPLUGGABLE : 0),
                                          true);
    }
    if (vk_pci_address_set_reserve_next(set, target->flags | (hotplug ? VK_PCI_CONNECT_HOTPLUGGABLE : 0),
                                        -1, target->address) < 0)
        return -1;
    info->addr.type = VK_DEVICE_ADDRESS_PCI;
    return 0;
}
