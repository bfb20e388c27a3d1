/* A guest PCI address: domain:bus:slot.function, with the multifunction flag
 * libvirt keeps on function 0.  Shared by the domain definition (common/conf)
 * and PCI assignment (common/pci). */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
    VK_TRISTATE_ABSENT = 0,
    VK_TRISTATE_ON,
    VK_TRISTATE_OFF,
} VkTristate;

typedef struct {
    unsigned int domain;    /* 0..0xFFFF (only 0 is usable) */
    unsigned int bus;       /* 0..0xFF */
    unsigned int slot;      /* 0..0x1F */
    unsigned int function;  /* 0..7 */
    VkTristate multifunction;
} VkPciAddress;

#define VK_PCI_MAX_SLOT 0x1F
#define VK_PCI_MAX_FUNCTION 7
#define VK_PCI_MAX_BUS 0xFF

/* Format as libvirt prints addresses in messages: "0000:00:05.0". */
char *vk_pci_address_format(const VkPciAddress *addr);

/* Parse "0000:00:05.0" or "00:05.0" (hex fields, domain defaults to 0).
 * Reports VIR_ERR_INVALID_ARG naming STR when it is not an address or a field
 * is out of range. */
int vk_pci_address_parse(const char *str, VkPciAddress *addr);

/* The range checks libvirt applies when it reads an <address type='pci'/>:
 * bus, slot and function limits, VIR_ERR_XML_ERROR with libvirt's texts.
 * The domain is checked later, against the guest's buses. */
int vk_pci_address_check(const VkPciAddress *addr);

/* An address whose domain, bus and slot are all 0 asks for assignment
 * (libvirt ignores the function then). */
bool vk_pci_address_is_empty(const VkPciAddress *addr);

/* Order by domain, bus, slot, function (multifunction is ignored). */
int vk_pci_address_compare(const VkPciAddress *a, const VkPciAddress *b);
bool vk_pci_address_equal(const VkPciAddress *a, const VkPciAddress *b);
