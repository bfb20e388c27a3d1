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
