/* Detach, reattach and reset of host PCI devices through sysfs, as libvirt
 * 9.0 does it (src/util/virpci.c, src/hypervisor/virhostdev.c): shared by
 * virtnodedevd (nodedev-detach / -reattach / -reset) and by virtqemud for a
 * guest's <hostdev managed='yes'>.  Every path is under the binder's ROOT so
 * that tests run on a sysfs tree they build; they play the kernel through the
 * WROTE hook, which sees every write. */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* A host device in use by a running guest: libvirt's activePCIHostdevs. */
typedef struct {
    const char *name;      /* "0000:03:00.0" */
    const char *driver;    /* the hypervisor driver: "QEMU" */
    const char *domain;    /* the guest's name */
} VkPciHostUser;

typedef struct {
    const char *root;            /* file system root; NULL: "/" */
    /* Where a detach records what it changed ("ROOT/run/libvirt/hostdevmgr"):
     * a device with a record there is libvirt's "inactive" device, detached
     * by us and in no guest; the record is what reattach undoes. */
    const char *state_dir;
    const VkPciHostUser *users;  /* devices assigned to running guests */
    guint n_users;
    /* Load a driver module; NULL runs "modprobe -b MODULE" as libvirt does. */
    int (*load_module)(const char *module, gpointer data);
    /* Called after each write to sysfs: PATH as written (through symlinks),
     * OFFSET into the file, the bytes. */
    void (*wrote)(const char *path, goffset offset, const void *buf, gsize len, gpointer data);
    gpointer data;
} VkPciBinder;

/* The stub driver for virsh nodedev-detach --driver NAME on the QEMU driver
 * (NULL: "vfio"): "vfio-pci" when the host can do VFIO (IOMMU groups under
 * ROOT/sys/kernel/iommu_groups and ROOT/dev/vfio/vfio), else libvirt's error. */
const char *vk_pci_host_stub_for_driver_name(const char *root, const char *driver_name);

/* libvirt's qemuHostdevHostSupportsPassthroughVFIO under ROOT. */
bool vk_pci_host_supports_vfio(const char *root);

/* Bind NAME to STUB ("vfio-pci"): driver_override, unbind, drivers_probe
 * (virPCIDeviceBindToStub).  Nothing is written when it is bound to STUB
 * already; a device assigned to a guest is refused. */
int vk_pci_host_detach(const VkPciBinder *b, const char *name, const char *stub);

/* Give NAME back to the host (virHostdevPCINodeDeviceReAttach): clear
 * driver_override, unbind, drivers_probe, so that the kernel's match (its
 * original driver) takes it; forgets the detach record. */
int vk_pci_host_reattach(const VkPciBinder *b, const char *name);

/* For host-reset.c and hostdev-prepare.c: the sysfs path of NAME, a write
 * that tells the hook (OFFSET < 0: the whole attribute, truncated; -1 with
 * errno, nothing reported), whether NAME is detached by us and in no guest
 * (libvirt's inactive list), and the guest using NAME. */
char *vk_pci_binder_device_path(const VkPciBinder *b, const char *name, const char *file);
int vk_pci_binder_write(const VkPciBinder *b, const char *path, goffset offset,
                        const void *buf, gsize len);
bool vk_pci_binder_is_inactive(const VkPciBinder *b, const char *name);
const VkPciHostUser *vk_pci_binder_user(const VkPciBinder *b, const char *name);
/* virHostdevIsPCINodeDeviceUsed: NAME in a guest is libvirt's error, unless
 * SHARER names that guest (one guest may own a whole IOMMU group). */
int vk_pci_binder_check_unused(const VkPciBinder *b, const char *name,
                               const VkPciHostUser *sharer);
/* NAME as libvirt's virPCIDeviceNew checks it (address, config, ids), in
 * canonical form; NULL with libvirt's error. */
char *vk_pci_binder_device_name(const VkPciBinder *b, const char *str);
/* The driver NAME is bound to, NULL when none. */
char *vk_pci_binder_driver(const VkPciBinder *b, const char *name);
/* The steps of the detach and reattach above without their checks of NAME,
 * for the guest start and stop; UNBIND is libvirt's unbind_from_stub. */
int vk_pci_binder_detach(const VkPciBinder *b, const char *name, const char *stub);
int vk_pci_binder_reattach(const VkPciBinder *b, const char *name, bool unbind);
/* The detach record of NAME: whether one exists, its unbind-from-stub, and
 * one for a device that was on STUB before (unmanaged). */
bool vk_pci_binder_recorded(const VkPciBinder *b, const char *name, bool *unbind);
int vk_pci_binder_record_stub(const VkPciBinder *b, const char *name, const char *stub);
