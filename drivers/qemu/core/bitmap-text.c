/* libvirt's text form of CPU and node sets (see bitmap-text.h). */
#include "drivers/qemu/core/bitmap-text.h"

#include <stdbool.h>
#include <string.h>

#include "common/util/error.h"
#include "virtkit/virtkit.h"

static bool
bit_set(const unsigned char *map, int bit)
{
    return map[bit / 8] & (1 << (bit % 8));
}

char *
vk_bitmap_format(const unsigned char *map, int maplen)
{
    GString *out = g_string_new(NULL);
    int bits = maplen * 8;

    for (int c = 0; c < bits; c++) {
        int end = c;

        if (!bit_set(map, c))
            continue;
        while (end + 1 < bits && bit_set(map, end + 1))
            end++;
        g_string_append_printf(out, out->len ? ",%d" : "%d", c);
        if (end > c)
            g_string_append_printf(out, "-%d", end);
        c = end;
    }
    if (!out->len) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

/* "N" or "N-M" into *LO and *HI */
static bool
parse_range(const char *p, guint64 *lo, guint64 *hi)
{
    char *end = NULL;

    if (!g_ascii_isdigit(*p))
        return false;
    *lo = *hi = g_ascii_strtoull(p, &end, 10);
    if (*end == '-') {
        if (!g_ascii_isdigit(end[1]))
            return false;
        *hi = g_ascii_strtoull(end + 1, &end, 10);
    }
    return *end == '\0' && *lo <= *hi;
}

unsigned char *
vk_bitmap_parse(const char *text, int maplen)
{
    g_autofree unsigned char *map = g_malloc0(maplen);
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);
    bool any = false;

    for (guint i = 0; parts[i]; i++) {
        const char *p = g_strstrip(parts[i]);
        bool negate = *p == '^';
        guint64 lo, hi;

        if (!parse_range(negate ? p + 1 : p, &lo, &hi) || hi >= (guint64) maplen * 8)
            goto bad;
        for (guint64 b = lo; b <= hi; b++) {
            if (negate)
                map[b / 8] &= ~(1 << (b % 8));
            else
                map[b / 8] |= 1 << (b % 8);
        }
        any = any || !negate;
    }
    if (any)
        return g_steal_pointer(&map);
bad:
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "Failed to parse bitmap '%s'", text);
    return NULL;
}
