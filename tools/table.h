/* Tables printed as virsh prints them: a header, a dashed line, then rows,
 * each cell preceded by a space and columns padded to their widest cell. */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct _VkshTable VkshTable;

/* A table with the header cells given (NULL-terminated). */
VkshTable *vksh_table_new(const char *first, ...) G_GNUC_NULL_TERMINATED;
/* Add a row: as many cells as the header (NULL-terminated). */
void vksh_table_add_row(VkshTable *table, const char *first, ...) G_GNUC_NULL_TERMINATED;
/* The table as text; HEADER false leaves out the header and the line. */
char *vksh_table_format(VkshTable *table, bool header);
void vksh_table_free(VkshTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkshTable, vksh_table_free)
