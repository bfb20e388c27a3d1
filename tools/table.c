#include "tools/table.h"

#include <stdarg.h>
#include <string.h>

struct _VkshTable {
    GPtrArray *rows;    /* of GPtrArray of char*; row 0 is the header */
};

/* Control characters would break the alignment: show them as \xNN. */
static char *
safe_cell(const char *text)
{
    GString *out = g_string_new(NULL);

    for (const char *p = text; *p; p++) {
        if ((unsigned char) *p < 0x20 || *p == 0x7f)
            g_string_append_printf(out, "\\x%02x", (unsigned char) *p);
        else
            g_string_append_c(out, *p);
    }
    return g_string_free(out, false);
}

static gsize
cell_width(const char *cell)
{
    return g_utf8_validate(cell, -1, NULL) ? (gsize) g_utf8_strlen(cell, -1) : strlen(cell);
}

static void
add_row(VkshTable *table, const char *first, va_list ap)
{
    GPtrArray *row = g_ptr_array_new_with_free_func(g_free);

    for (const char *cell = first; cell; cell = va_arg(ap, const char *))
        g_ptr_array_add(row, safe_cell(cell));
    g_ptr_array_add(table->rows, row);
}

VkshTable *
vksh_table_new(const char *first, ...)
{
    VkshTable *table = g_new0(VkshTable, 1);
    va_list ap;

    table->rows = g_ptr_array_new_with_free_func((GDestroyNotify) g_ptr_array_unref);
    va_start(ap, first);
    add_row(table, first, ap);
    va_end(ap);
    return table;
}

void
vksh_table_add_row(VkshTable *table, const char *first, ...)
{
    va_list ap;

    va_start(ap, first);
    add_row(table, first, ap);
    va_end(ap);
}

static void
format_row(GString *out, GPtrArray *row, const gsize *widths)
{
    for (guint i = 0; i < row->len; i++) {
        const char *cell = row->pdata[i];

        g_string_append_printf(out, " %s", cell);
        if (i + 1 < row->len) {
            for (gsize pad = cell_width(cell); pad < widths[i] + 2; pad++)
                g_string_append_c(out, ' ');
        }
    }
    g_string_append_c(out, '\n');
}

char *
vksh_table_format(VkshTable *table, bool header)
{
    GPtrArray *head = table->rows->pdata[0];
    g_autofree gsize *widths = g_new0(gsize, head->len);
    GString *out = g_string_new(NULL);

    for (guint r = header ? 0 : 1; r < table->rows->len; r++) {
        GPtrArray *row = table->rows->pdata[r];
        for (guint i = 0; i < row->len && i < head->len; i++)
            widths[i] = MAX(widths[i], cell_width(row->pdata[i]));
    }
    if (header) {
        format_row(out, head, widths);
        for (guint i = 0; i < head->len; i++) {
            for (gsize n = 0; n < widths[i] + 3; n++)
                g_string_append_c(out, '-');
        }
        g_string_append_c(out, '\n');
    }
    for (guint r = 1; r < table->rows->len; r++)
        format_row(out, table->rows->pdata[r], widths);
    return g_string_free(out, false);
}

void
vksh_table_free(VkshTable *table)
{
    if (!table)
        return;
    g_ptr_array_unref(table->rows);
    g_free(table);
}
