/* A text picture of a guest's PCI topology: each bus with what sits in its
 * slots, controllers opening their own bus below them, and whether each
 * address came from the user ([user]) or from assignment ([assigned]), or
 * the controller was added ([added for the first item on its bus]).  For logs, `virtkit`
 * commands and test failures. */
#pragma once

#include <glib.h>

#include "common/pci/assign.h"

/* CONTROLLERS: all PCI controllers (the guest's and those vk_pci_assign()
 * added), any order; DEVICES: as given to and filled by vk_pci_assign()
 * (or by vk_pci_provenance(), provenance.h, for a finished guest).
 * Items whose bus has no controller are listed at the end. */
char *vk_pci_tree_format(const VkPciController *controllers, size_t ncontrollers,
                         const VkPciDevice *devices, size_t ndevices);

/* One branch of such a tree: PREFIX and the connector of an item ("├── ",
 * or "└── " when it is the LAST of its bus) into OUT; the prefix of the
 * item's own children (g_free). */
char *vk_pci_tree_branch(GString *out, const char *prefix, bool last);
