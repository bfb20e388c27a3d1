/* A guest's host PCI devices at its start and stop, as libvirt 9.0's
 * virHostdevPreparePCIDevices / virHostdevReAttachPCIDevices do it: the
 * steps of host-binding.c and host-reset.c in libvirt's order.  Caller:
 * virtqemud for <hostdev mode='subsystem' type='pci'>. */
#pragma once

#include "common/pci/host-binding.h"

/* A guest's PCI hostdev as its start and stop see it. */
typedef struct {
    const char *name;      /* host address "0000:03:00.0" */
    bool managed;
} VkPciHostdev;

/* The kernel's VFIO rule for NAME's IOMMU group: every member unbound, on a
 * vfio driver, on pci-stub, or a bridge.  libvirt leaves this to the kernel
 * and shows what QEMU says when the guest starts; we check before QEMU and
 * report QEMU's words. */
int vk_pci_host_group_check(const char *root, const char *name);

/* Start of the guest DOMAIN of DRIVER ("QEMU"): endpoint and in-use checks
 * (over the IOMMU group), detach of the managed devices to vfio-pci
 * (unmanaged ones must be on a stub already), reset, then the group rule.
 * On failure what it detached is reattached.  The caller then counts the
 * devices as the guest's (VkPciBinder.users). */
int vk_pci_host_prepare(const VkPciBinder *b, const VkPciHostdev *devs, guint n,
                        const char *driver, const char *domain);

/* Stop of the guest, once its devices are no longer in B's users: reset,
 * then the managed devices that the start detached go back to the host (a
 * device that was on vfio-pci before the guest stays there); unmanaged
 * ones stay detached. */
void vk_pci_host_release(const VkPciBinder *b, const VkPciHostdev *devs, guint n);
