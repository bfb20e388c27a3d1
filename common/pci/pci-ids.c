#include "common/pci/pci-ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
vk_pci_ids_path(void)
{
    static const char *const candidates[] = {
        "/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids",
    };

    for (guint i = 0; i < G_N_ELEMENTS(candidates); i++)
        if (g_file_test(candidates[i], G_FILE_TEST_EXISTS))
            return candidates[i];
    return NULL;
}

/* "XXXX  name" (after LEVEL tabs): the id, and *NAME pointing at the name. */
static int
parse_entry(const char *line, unsigned int *id, const char **name)
{
    char *end;
    unsigned long v = strtoul(line, &end, 16);

    if (end != line + 4 || end[0] != ' ' || end[1] != ' ')
        return -1;
    *id = v;
    *name = end + 2;
    return 0;
}

void
vk_pci_ids_resolve(const char *path, VkPciIdsQuery *q, guint n)
{
    FILE *f;
    char line[512];
    unsigned int vendor = 0x10000;   /* none yet */

    if (!n || !(path = path ? path : vk_pci_ids_path()) || !(f = fopen(path, "re")))
        return;
    while (fgets(line, sizeof(line), f)) {
        unsigned int id;
        const char *name;

        line[strcspn(line, "\n")] = '\0';
        if (line[0] == 'C' && line[1] == ' ')
            break;   /* the device classes follow the vendors */
        if (line[0] != '\t' && parse_entry(line, &id, &name) == 0) {
            vendor = id;
            for (guint i = 0; i < n; i++)
                if (q[i].vendor == id && !q[i].vendor_name)
                    q[i].vendor_name = g_strdup(name);
        } else if (line[0] == '\t' && line[1] != '\t' && parse_entry(line + 1, &id, &name) == 0) {
            for (guint i = 0; i < n; i++)
                if (q[i].vendor == vendor && q[i].device == id && !q[i].device_name)
                    q[i].device_name = g_strdup(name);
        }
    }
    fclose(f);
}
