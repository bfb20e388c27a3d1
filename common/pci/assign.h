/* PCI address assignment for a whole guest, libvirt's way: a dry run that
 * decides which controllers to add, then the real pass (controllers first, in
 * index order, then devices in the order given).  It works on plain lists, so
 * it knows nothing of the domain definition: common/conf walks the definition
 * in libvirt's device order and fills these lists. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "common/pci/address-set.h"

/* A PCI controller (<controller type='pci'>).  In/out: assignment fills the
 * address and the target attributes libvirt sets by default. */
typedef struct {
    VkPciModel model;
    unsigned int index;
    VkPciAddress address;
    bool has_address;        /* the address is set (not absent, not all zero) */
    int chassis;             /* target attributes, -1 when absent */
    int port;
    int chassis_nr;
    int bus_nr;
    VkTristate hotplug;
    unsigned int reserve_rank; /* as VkPciDevice's: a given address is reserved after
                                * the devices of the same rank */
    bool added;              /* out: created by assignment */
    bool auto_assigned;      /* out: the address was chosen by assignment */
    gpointer opaque;         /* the caller's own pointer, untouched */
} VkPciController;

/* Devices whose place libvirt fixes, or that need special grouping. */
typedef enum {
    VK_PCI_ROLE_NONE = 0,
    VK_PCI_ROLE_PRIMARY_VIDEO,   /* the first <video>: pc 00:02.0, q35 00:01.0 if free */
    VK_PCI_ROLE_ICH9_SOUND,      /* q35: the first one goes to 00:1b.0 if free */
    VK_PCI_ROLE_SATA0,           /* q35: sata index 0, always 00:1f.2 */
    VK_PCI_ROLE_IDE0,            /* pc: ide index 0, always 00:01.1 */
    VK_PCI_ROLE_PIIX3_USB0,      /* pc: usb index 0 piix3-uhci/default, always 00:01.2 */
    /* the USB2 companion set of usb index ROLE_INDEX shares one slot */
    VK_PCI_ROLE_USB_ICH9_EHCI1,  /* function 7 */
    VK_PCI_ROLE_USB_ICH9_UHCI1,  /* function 0, multifunction on; q35: 00:1d or 00:1a */
    VK_PCI_ROLE_USB_ICH9_UHCI2,  /* function 1 */
    VK_PCI_ROLE_USB_ICH9_UHCI3,  /* function 2 */
} VkPciDeviceRole;

/* A device that needs a PCI address. */
typedef struct {
    VkPciAddress *address;     /* in/out: points into the caller's device */
    bool has_address;          /* in/out: *address is set (not absent or all zero) */
    unsigned int flags;        /* VkPciConnectFlags: VK_PCI_FLAGS_PCI or _PCIE, ... */
    VkPciDeviceRole role;
    unsigned int role_index;   /* the USB controller index for the companion roles */
    const char *description;   /* for messages and the tree view: "interface e1000" */
    unsigned int reserve_rank; /* libvirt reserves the given addresses in another order
                                * than it assigns: lower ranks first, then list order */
    bool auto_assigned;        /* out: the address was chosen by assignment */
} VkPciDevice;

/* Assign every device and controller without an address, check those given.
 * CONTROLLERS: the guest's PCI controllers in the definition's order (pci-root
 * / pcie-root index 0 included): those without an address are placed in that
 * order, which libvirt keeps even when it is not index order.  DEVICES: in
 * libvirt's assignment order.  On success *ADDED (never NULL) holds the
 * controllers assignment added, in index order, to be appended to the
 * definition's controllers (libvirt appends them), and the entries of both
 * arrays are updated.  On failure an
 * error is reported; the arrays may have been partly changed (as libvirt
 * changes the definition it then throws away). */
int vk_pci_assign(VkPciMachine machine,
                  VkPciController *controllers, size_t ncontrollers,
                  VkPciDevice *devices, size_t ndevices,
                  GArray **added);

/* A controller entry with every target attribute absent.  The QEMU model
 * name libvirt shows (<model name=.../>) is vk_pci_model_info()->qemu_name. */
void vk_pci_controller_init(VkPciController *cont, VkPciModel model,
                            unsigned int index);
