#include "common/conf/disk-iotune.h"

#include <errno.h>
#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

static const char *const field_names[VK_IOTUNE_N] = {
    "total_bytes_sec", "read_bytes_sec", "write_bytes_sec",
    "total_iops_sec", "read_iops_sec", "write_iops_sec",
    "total_bytes_sec_max", "read_bytes_sec_max", "write_bytes_sec_max",
    "total_iops_sec_max", "read_iops_sec_max", "write_iops_sec_max",
    "size_iops_sec",
    "total_bytes_sec_max_length", "read_bytes_sec_max_length", "write_bytes_sec_max_length",
    "total_iops_sec_max_length", "read_iops_sec_max_length", "write_iops_sec_max_length",
};

const char *
vk_iotune_field_name(VkIotuneField f)
{
    return field_names[f];
}

bool
vk_disk_iotune_has_any(const VkDiskIotune *t)
{
    for (int f = 0; f < VK_IOTUNE_N; f++) {
        if (t->v[f])
            return true;
    }
    return false;
}

void
vk_disk_iotune_clear(VkDiskIotune *t)
{
    g_free(t->group_name);
    memset(t, 0, sizeof(*t));
}

void
vk_disk_iotune_copy(VkDiskIotune *dst, const VkDiskIotune *src)
{
    vk_disk_iotune_clear(dst);
    memcpy(dst->v, src->v, sizeof(dst->v));
    dst->group_name = g_strdup(src->group_name);
}

/* The text of NODE's first NAME child, NULL when absent or empty (libvirt
 * reads each value with XPath string(), which treats both alike). */
static char *
child_value(xmlNodePtr node, const char *name)
{
    char *text = vk_xml_child_text(node, name);

    if (text && !*text)
        g_clear_pointer(&text, g_free);
    return text;
}

/* libvirt's virStrToLong_ullp: decimal, leading blanks allowed, no sign,
 * nothing after the digits. */
static int
parse_value(const char *text, guint64 *out)
{
    char *end = NULL;

    if (strchr(text, '-'))
        return -1;
    errno = 0;
    *out = g_ascii_strtoull(text, &end, 10);
    return errno || end == text || *end ? -1 : 0;
}

int
vk_disk_iotune_parse(xmlNodePtr node, VkDiskIotune *t)
{
    for (int f = 0; f < VK_IOTUNE_N; f++) {
        g_autofree char *text = child_value(node, field_names[f]);
        if (text && parse_value(text, &t->v[f]) < 0) {
            vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                            "disk iotune field '%s' must be an integer", field_names[f]);
            return -1;
        }
    }
    t->group_name = child_value(node, "group_name");

    int total = vk_disk_iotune_conflict(t);
    if (total >= 0) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                        "total and read/write %s cannot be set at the same time",
                        field_names[total] + strlen("total_"));
        return -1;
    }
    return 0;
}

int
vk_disk_iotune_conflict(const VkDiskIotune *t)
{
    static const VkIotuneField totals[] = VK_IOTUNE_TRIPLES;

    for (guint i = 0; i < G_N_ELEMENTS(totals); i++) {
        VkIotuneField f = totals[i];
        if (t->v[f] && (t->v[f + 1] || t->v[f + 2]))
            return f;
    }
    return -1;
}

int
vk_disk_iotune_validate_qemu(const VkDiskIotune *t)
{
    if (t->group_name && !vk_disk_iotune_has_any(t)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "group_name can be configured only together with settings");
        return -1;
    }
    for (int f = 0; f < VK_IOTUNE_N; f++) {
        if (t->v[f] > VK_IOTUNE_QEMU_MAX) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_ARGUMENT_UNSUPPORTED,
                            "block I/O throttle limit must be no more than %llu using QEMU",
                            VK_IOTUNE_QEMU_MAX);
            return -1;
        }
    }
    return 0;
}

static void
format_value(GString *out, int indent, const char *name, const char *value)
{
    g_string_append_printf(out, "%*s<%s>", indent, "", name);
    vk_xml_escape_append(out, value);
    g_string_append_printf(out, "</%s>\n", name);
}

void
vk_disk_iotune_format(GString *out, int indent, const VkDiskIotune *t)
{
    if (!vk_disk_iotune_has_any(t))
        return;
    g_string_append_printf(out, "%*s<iotune>\n", indent, "");
    for (int f = 0; f < VK_IOTUNE_N; f++) {
        if (t->v[f]) {
            char num[32];
            g_snprintf(num, sizeof(num), "%" G_GUINT64_FORMAT, t->v[f]);
            format_value(out, indent + 2, field_names[f], num);
        }
        if (f == VK_IOTUNE_SIZE_IOPS_SEC && t->group_name)
            format_value(out, indent + 2, "group_name", t->group_name);
    }
    g_string_append_printf(out, "%*s</iotune>\n", indent, "");
}
