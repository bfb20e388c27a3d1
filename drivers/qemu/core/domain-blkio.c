/* blkiotune on a running guest's group (see domain-blkio.h). */
#include "drivers/qemu/core/domain-blkio.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common/util/error.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "virtkit/virtkit.h"

/* The running OBJ's group with a blkio controller, else NULL with
 * libvirt's error. */
static VkCgroup *
blkio_group(VkDomainObj *obj)
{
    VkCgroup *cg = vk_qemu_cgroup_of(obj);

    if (cg && vk_cgroup_layout_has(cg->layout, VK_CGROUP_BLKIO))
        return cg;
    vk_cgroup_free(cg);
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s", "blkio cgroup isn't mounted");
    return NULL;
}

static bool
is_v2(const VkCgroup *cg)
{
    return vk_cgroup_layout_is_v2(cg->layout, VK_CGROUP_BLKIO);
}

/* The weight file the I/O scheduler offers (bfq's first), else NULL with
 * libvirt's error.  DEVICE: the per-device one. */
static const char *
weight_file(const VkCgroup *cg, bool device)
{
    static const char *const v1[2][2] = { { "blkio.bfq.weight", "blkio.weight" },
                                          { "blkio.bfq.weight_device", "blkio.weight_device" } };
    static const char *const v2[2][2] = { { "io.bfq.weight", "io.weight" },
                                          { "io.bfq.weight", "io.weight" } };
    const char *const *names = is_v2(cg) ? v2[device] : v1[device];
    g_autofree char *dir = vk_cgroup_dir(cg, VK_CGROUP_BLKIO);

    for (int i = 0; i < 2; i++) {
        g_autofree char *path = g_build_filename(dir, names[i], NULL);
        if (g_file_test(path, G_FILE_TEST_EXISTS))
            return names[i];
    }
    vk_error_report(VIR_FROM_CGROUP, VIR_ERR_OPERATION_INVALID, "%s",
                    "blkio device weight is valid only for bfq or cfq scheduler");
    return NULL;
}

int
vk_qemu_blkio_get_weight(VkDomainObj *obj, unsigned int *weight)
{
    g_autoptr(VkCgroup) cg = blkio_group(obj);
    const char *file = cg ? weight_file(cg, false) : NULL;
    g_autofree char *text = file ? vk_cgroup_get(cg, VK_CGROUP_BLKIO, file) : NULL;
    const char *number;

    if (!text)
        return -1;
    /* v2's files say "default N" first */
    number = g_str_has_prefix(text, "default ") ? text + strlen("default ") : text;
    *weight = (unsigned int) g_ascii_strtoull(number, NULL, 10);
    return 0;
}

int
vk_qemu_blkio_set_weight(VkDomainObj *obj, unsigned int weight)
{
    g_autoptr(VkCgroup) cg = blkio_group(obj);
    const char *file = cg ? weight_file(cg, false) : NULL;
    g_autofree char *text = NULL;

    if (!file)
        return -1;
    text = is_v2(cg) ? g_strdup_printf("default %u", weight) : g_strdup_printf("%u", weight);
    return vk_cgroup_set(cg, VK_CGROUP_BLKIO, file, text);
}

/* "MAJOR:MINOR" of block device PATH, else NULL with libvirt's error. */
static char *
device_numbers(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0) {
        vk_error_report_errno(VIR_FROM_CGROUP, errno, "Path '%s' is not accessible", path);
        return NULL;
    }
    if (!S_ISBLK(st.st_mode)) {
        vk_error_report(VIR_FROM_CGROUP, VIR_ERR_INVALID_ARG, "Path '%s' must be a block device",
                        path);
        return NULL;
    }
    return g_strdup_printf("%u:%u", major(st.st_rdev), minor(st.st_rdev));
}

/* v1's throttle file of FIELD, v2's io.max key */
static const char *
limit_name(const char *field, bool v2)
{
    static const char *const fields[] = { "read_iops_sec", "write_iops_sec", "read_bytes_sec",
                                          "write_bytes_sec" };
    static const char *const v1_files[] = {
        "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
        "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
    };
    static const char *const v2_keys[] = { "riops", "wiops", "rbps", "wbps" };

    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        if (g_str_equal(field, fields[i]))
            return v2 ? v2_keys[i] : v1_files[i];
    }
    return NULL;
}

int
vk_qemu_blkio_set_device(VkDomainObj *obj, const char *path, const char *field, guint64 value)
{
    g_autoptr(VkCgroup) cg = blkio_group(obj);
    g_autofree char *dev = cg ? device_numbers(path) : NULL;
    g_autofree char *text = NULL;
    const char *file;

    if (!dev)
        return -1;
    if (g_str_equal(field, "weight")) {
        if (!(file = weight_file(cg, true)))
            return -1;
        text = g_strdup_printf("%s %" G_GUINT64_FORMAT, dev, value);
        return vk_cgroup_set(cg, VK_CGROUP_BLKIO, file, text);
    }
    if (is_v2(cg)) {
        /* io.max takes "max" for no limit */
        text = value ? g_strdup_printf("%s %s=%" G_GUINT64_FORMAT, dev, limit_name(field, true),
                                       value)
                     : g_strdup_printf("%s %s=max", dev, limit_name(field, true));
        return vk_cgroup_set(cg, VK_CGROUP_BLKIO, "io.max", text);
    }
    text = g_strdup_printf("%s %" G_GUINT64_FORMAT, dev, value);
    return vk_cgroup_set(cg, VK_CGROUP_BLKIO, limit_name(field, false), text);
}
