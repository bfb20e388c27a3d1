/* Reading the XML file a command was given (define, create, attach-device). */
#pragma once

#include <stdbool.h>

#include "tools/shell.h"

/* virsh's limit on such a file. */
#define VKSH_MAX_XML_FILE (10 * 1024 * 1024)

/* The whole of PATH, NUL-terminated (g_free), or NULL after printing what
 * virsh prints ("Failed to open file 'PATH': REASON"). */
char *vksh_file_read(VkshControl *ctl, const char *path);
