#include "drivers/qemu/security/dac-domain.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libxml/parser.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/security/dac-backing.h"
#include "drivers/qemu/security/dac-label.h"

/* ---- which files ---------------------------------------------------------- */

/* A file QEMU opens, and whether its owner is given back afterwards. */
typedef struct {
    const char *path;
    bool restore;
    bool create;   /* a chardev file QEMU would create */
} Item;

static const char *
disk_local_path(const VkDomainDiskDef *disk)
{
    VkDiskType type = vk_domain_disk_actual_type(disk);

    return type == VK_DISK_TYPE_FILE || type == VK_DISK_TYPE_BLOCK ? disk->src_path : NULL;
}

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
    const char *path = disk_local_path(disk);
    guint first = keep->len;

    if (!path)
        return;
    add_item(items, path, !disk_is_shared(disk));
    vk_dac_backing_chain(path, keep);
    for (guint i = first; i < keep->len; i++)
        add_item(items, g_ptr_array_index(keep, i), false);
}

static void
add_chardevs(GArray *items, const GPtrArray *chrs)
{
    for (guint i = 0; i < chrs->len; i++) {
        const VkDomainChrDef *chr = g_ptr_array_index(chrs, i);
        Item it = { chr->src_path, true, true };
        if (chr->type == VK_CHR_TYPE_FILE && chr->src_path)
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

/* DEF's <seclabel model='dac'> (kept as XML text), or NULL. */
static VkDomainRawElement *
find_dac_seclabel(const VkDomainDef *def)
{
    for (guint i = 0; i < def->raw->len; i++) {
        VkDomainRawElement *r = g_ptr_array_index(def->raw, i);
        g_autofree char *model = NULL;
        if (g_str_equal(r->name, "seclabel") &&
            g_strcmp0(model = vk_domain_raw_element_attr(r, "model"), "dac") == 0)
            return r;
    }
    return NULL;
}

/* The text of R's child element NAME, or NULL. */
static char *
child_text(const VkDomainRawElement *r, const char *name)
{
    xmlDocPtr doc = xmlReadMemory(r->xml, (int) strlen(r->xml), NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    char *text = NULL;

    for (xmlNodePtr n = doc ? xmlDocGetRootElement(doc)->children : NULL; n && !text; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *) name)) {
            xmlChar *t = xmlNodeGetContent(n);
            text = g_strdup((const char *) t);
            xmlFree(t);
        }
    }
    if (doc)
        xmlFreeDoc(doc);
    return text;
}

static bool
relabels(const VkDomainRawElement *r)
{
    g_autofree char *type = vk_domain_raw_element_attr(r, "type");
    g_autofree char *relabel = vk_domain_raw_element_attr(r, "relabel");

    return g_strcmp0(type, "none") != 0 && g_strcmp0(relabel, "no") != 0;
}

VkDacConfig *
vk_qemu_dac_for_domain(const VkDacConfig *base, const VkDomainDef *def)
{
    const VkDomainRawElement *r = find_dac_seclabel(def);
    g_autofree char *type = r ? vk_domain_raw_element_attr(r, "type") : NULL;
    g_autofree char *label = NULL;
    VkDacConfig *cfg;
    uid_t user = base->user;
    gid_t group = base->group;

    if (g_strcmp0(type, "static") == 0 && (label = child_text(r, "label")) &&
        vk_dac_config_parse_label(label, &user, &group) < 0)
        return NULL;
    cfg = vk_dac_config_with_ids(base, user, group);
    if (r && !relabels(r))
        cfg->dynamic_ownership = false;
    return cfg;
}

static char *
seclabel_xml(const char *type, const char *label)
{
    return g_strdup_printf("<seclabel type='%s' model='dac' relabel='yes'>\n"
                           "  <label>%s</label>\n  <imagelabel>%s</imagelabel>\n"
                           "</seclabel>", type, label, label);
}

void
vk_qemu_dac_add_seclabel(const VkDacConfig *cfg, VkDomainDef *def)
{
    VkDomainRawElement *r = find_dac_seclabel(def);
    g_autofree char *type = r ? vk_domain_raw_element_attr(r, "type") : NULL;
    g_autofree char *label = r ? child_text(r, "label") : NULL;
    g_autofree char *image = r ? child_text(r, "imagelabel") : NULL;
    bool is_static = g_strcmp0(type, "static") == 0;

    if (r && (!relabels(r) || image || (is_static && !label)))
        return;   /* complete as it is */
    if (!r) {
        r = g_new0(VkDomainRawElement, 1);
        r->name = g_strdup("seclabel");
        g_ptr_array_add(def->raw, r);
    }
    if (!is_static) {
        g_free(label);
        label = vk_dac_config_label(cfg);
    }
    g_free(r->xml);
    r->xml = seclabel_xml(is_static ? "static" : "dynamic", label);
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

/* ---- as QEMU's user ------------------------------------------------------- */

int
vk_qemu_dac_drop_privileges(const VkDacConfig *cfg)
{
    if (!cfg->privileged || (cfg->user == 0 && cfg->group == 0))
        return 0;
    if (setgroups(cfg->n_groups, cfg->groups) < 0 || setregid(cfg->group, cfg->group) < 0 ||
        setreuid(cfg->user, cfg->user) < 0)
        return -1;
    return 0;
}

/* access(PATH, F_OK) as QEMU's user: 0, or the errno it failed with.  A
 * child process does it (libvirt's virFileAccessibleAs): the daemon's own
 * ids never change. */
static int
access_as(const VkDacConfig *cfg, const char *path)
{
    int status;
    pid_t pid;

    if (!cfg->privileged || (cfg->user == 0 && cfg->group == 0))
        return access(path, F_OK) < 0 ? errno : 0;
    if ((pid = fork()) < 0)
        return errno;
    if (pid == 0) {
        if (vk_qemu_dac_drop_privileges(cfg) < 0)
            _exit(EPERM);
        _exit(access(path, F_OK) < 0 ? errno : 0);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
}

/* libvirt reads the layers below as root: a missing one is reported. */
static int
check_backing_chain(const VkDacConfig *cfg, const char *path)
{
    g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func(g_free);

    vk_dac_backing_chain(path, chain);
    for (guint i = 0; i < chain->len; i++) {
        const char *layer = g_ptr_array_index(chain, i);
        if (access(layer, F_OK) < 0) {
            vk_error_report_errno(VIR_FROM_STORAGE, errno,
                                  "Cannot access backing file '%s' of storage file '%s' "
                                  "(as uid:%u, gid:%u)", layer, path, (unsigned) cfg->user,
                                  (unsigned) cfg->group);
            return -1;
        }
    }
    return 0;
}

int
vk_qemu_dac_check_disk(const VkDacConfig *cfg, const VkDomainDiskDef *disk)
{
    const char *path = disk_local_path(disk);
    int err;

    if (!path)
        return 0;
    if ((err = access_as(cfg, path)) != 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, err,
                              "Cannot access storage file '%s' (as uid:%u, gid:%u)", path,
                              (unsigned) cfg->user, (unsigned) cfg->group);
        return -1;
    }
    return check_backing_chain(cfg, path);
}

int
vk_qemu_dac_check_disks(const VkDacConfig *cfg, const VkDomainDef *def)
{
    for (guint i = 0; i < def->disks->len; i++)
        if (vk_qemu_dac_check_disk(cfg, g_ptr_array_index(def->disks, i)) < 0)
            return -1;
    return 0;
}
