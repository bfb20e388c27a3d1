#include "drivers/qemu/security/dac-access.h"

#include <errno.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/qemu/security/dac-backing.h"

const char *
vk_qemu_dac_disk_path(const VkDomainDiskDef *disk)
{
    VkDiskType type = vk_domain_disk_actual_type(disk);

    return type == VK_DISK_TYPE_FILE || type == VK_DISK_TYPE_BLOCK ? disk->src_path : NULL;
}

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
    const char *path = vk_qemu_dac_disk_path(disk);
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
