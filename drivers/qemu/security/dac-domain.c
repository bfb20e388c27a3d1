#include "drivers/qemu/security/dac-domain.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/security/dac-access.h"
#include "drivers/qemu/security/dac-backing.h"
#include "drivers/qemu/security/dac-label.h"

/* ---- which files ---------------------------------------------------------- */

/* A file QEMU opens, and whether its owner is given back afterwards. */
typedef struct {
    const char *path;
    bool restore;
    bool create;   /* a chardev file QEMU would create */
} Item;

static bool
disk_is_shared(const VkDomainDiskDef *disk)
{
    return disk->readonly || disk->shareable || disk->device == VK_DISK_DEVICE_CDROM;
}

static void
add_item(GArray *items, const char *path, bool restore)
{
    Item it = { path, restore, false };

    if (path)
        g_array_append_val(items, it);
}

/* DISK's image, then its backing chain, which QEMU only reads: given,
 * never taken back (libvirt's rule for read-only layers).  KEEP holds the
 * chain's paths. */
static void
add_disk(GArray *items, GPtrArray *keep, const VkDomainDiskDef *disk)
{
    const char *path = vk_qemu_dac_disk_path(disk);
    guint first = keep->len;

    if (!path)
        return;
    add_item(items, path, !disk_is_shared(disk));
    vk_dac_backing_chain(path, keep);
    for (guint i = first; i < keep->len; i++)
        add_item(items, g_ptr_array_index(keep, i), false);
}

/* File chardevs (QEMU writes them) and the sockets of UNIX chardevs that
 * connect (QEMU must be allowed to); a listening one QEMU makes itself. */
static void
add_chardevs(GArray *items, const GPtrArray *chrs)
{
    for (guint i = 0; i < chrs->len; i++) {
        const VkDomainChrDef *chr = g_ptr_array_index(chrs, i);
        bool file = chr->type == VK_CHR_TYPE_FILE;
        Item it = { chr->src_path, true, file };
        if (chr->src_path &&
            (file || (chr->type == VK_CHR_TYPE_UNIX && chr->src_mode == VK_CHR_SOURCE_MODE_CONNECT)))
            g_array_append_val(items, it);
    }
}

/* In libvirt's order (virSecurityDACSetAllLabel): disks, chardevs, then
 * the firmware and boot files. */
static GArray *
domain_items(const VkDomainDef *def, GPtrArray *keep)
{
    GArray *items = g_array_new(FALSE, FALSE, sizeof(Item));

    for (guint i = 0; i < def->disks->len; i++)
        add_disk(items, keep, g_ptr_array_index(def->disks, i));
    add_chardevs(items, def->serials);
    add_chardevs(items, def->parallels);
    add_chardevs(items, def->channels);
    add_item(items, def->os.nvram, true);
    add_item(items, def->os.kernel, true);
    add_item(items, def->os.initrd, true);
    add_item(items, def->os.dtb, true);
    return items;
}

static GArray *
disk_items(const VkDomainDiskDef *disk, GPtrArray *keep)
{
    GArray *items = g_array_new(FALSE, FALSE, sizeof(Item));

    add_disk(items, keep, disk);
    return items;
}

/* ---- labels --------------------------------------------------------------- */

int
vk_qemu_dac_prepare_state_dir(const VkDacConfig *cfg, const VkPaths *paths)
{
    g_autofree char *dir = vk_paths_prefix(paths, "/var/lib/libvirt/qemu");

    if (!cfg->privileged)
        return 0;
    if (vk_file_make_dirs(dir, 0755) < 0)
        return -1;
    if (chown(dir, cfg->user, cfg->group) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "unable to set ownership of '%s' to %u:%u",
                              dir, (unsigned) cfg->user, (unsigned) cfg->group);
        return -1;
    }
    return 0;
}

/* A chardev file QEMU would create: made here (0600, as libvirt's log
 * daemon makes them), so that it can be given to QEMU's user. */
static void
create_missing(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd >= 0)
        close(fd);
}

static void
restore_items(const VkDacConfig *cfg, const GArray *items, guint count)
{
    for (guint i = count; i > 0; i--) {
        const Item *it = &g_array_index(items, Item, i - 1);
        if (it->restore)
            vk_dac_restore_path(cfg, it->path);
    }
}

/* Every item to QEMU's user; on failure those done go back. */
static int
label_items(const VkDacConfig *cfg, const GArray *items)
{
    if (!vk_dac_config_relabels(cfg))
        return 0;
    for (guint i = 0; i < items->len; i++) {
        const Item *it = &g_array_index(items, Item, i);
        if (it->create)
            create_missing(it->path);
        if (vk_dac_label_path(cfg, it->path, it->restore) < 0) {
            g_autoptr(VkError) err = vk_error_steal();
            restore_items(cfg, items, i);
            vk_error_set(g_steal_pointer(&err));
            return -1;
        }
    }
    return 0;
}

int
vk_qemu_dac_label_domain(const VkDacConfig *cfg, const VkDomainDef *def,
                         const char *priv_dir)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) items = domain_items(def, keep);

    if (label_items(cfg, items) < 0)
        return -1;
    /* libvirt's per-guest directory belongs to QEMU's user: its sockets */
    if (vk_dac_label_path(cfg, priv_dir, false) < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        restore_items(cfg, items, items->len);
        vk_error_set(g_steal_pointer(&err));
        return -1;
    }
    return 0;
}

void
vk_qemu_dac_restore_domain(const VkDacConfig *cfg, const VkDomainDef *def)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) items = domain_items(def, keep);

    restore_items(cfg, items, items->len);
}

int
vk_qemu_dac_label_disk(const VkDacConfig *cfg, const VkDomainDiskDef *disk)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) items = disk_items(disk, keep);

    return label_items(cfg, items);
}

void
vk_qemu_dac_restore_disk(const VkDacConfig *cfg, const VkDomainDiskDef *disk)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GArray) items = disk_items(disk, keep);

    restore_items(cfg, items, items->len);
}
