#include "common/conf/enum-table.h"

#include <string.h>

int
vk_enum_from_string(const char *const *table, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; table[i]; i++) {
        if (strcmp(table[i], name) == 0)
            return i;
    }
    return -1;
}

const char *
vk_enum_to_string(const char *const *table, int value)
{
    if (value < 0)
        return NULL;
    for (int i = 0; table[i]; i++) {
        if (i == value)
            return table[i];
    }
    return NULL;
}
