/* Vendor and device names from the system's PCI ID database (pci.ids, as
 * lspci and libvirt's libpciaccess read it).  The file is large, so it is
 * not kept in memory: each call resolves a whole batch in one pass. */
#pragma once

#include <glib.h>

typedef struct {
    unsigned int vendor, device;   /* in */
    char *vendor_name;             /* out: g_free'd by the caller, NULL if unknown */
    char *device_name;
} VkPciIdsQuery;

/* The database in use: /usr/share/misc/pci.ids or /usr/share/hwdata/pci.ids,
 * whichever exists (NULL when neither does). */
const char *vk_pci_ids_path(void);

/* Fill the names of the N queries from PATH (NULL: vk_pci_ids_path()).
 * Missing file or entries leave names NULL. */
void vk_pci_ids_resolve(const char *path, VkPciIdsQuery *queries, guint n);
