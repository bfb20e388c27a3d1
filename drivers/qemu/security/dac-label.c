#include "drivers/qemu/security/dac-label.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util/error.h"
#include "drivers/qemu/security/dac-remember.h"

/* chown unless it is already so.  File systems that cannot (no owners,
 * read-only, root squashed) are left alone, as libvirt leaves them. */
static int
set_owner(const char *path, uid_t uid, gid_t gid)
{
    struct stat st;

    if (stat(path, &st) == 0 && st.st_uid == uid && st.st_gid == gid)
        return 0;
    if (chown(path, uid, gid) == 0)
        return 0;
    if (errno == EOPNOTSUPP || errno == EINVAL || errno == EPERM || errno == EROFS) {
        g_info("Setting user and group to '%u:%u' on '%s' not possible: %s", (unsigned) uid,
               (unsigned) gid, path, g_strerror(errno));
        return 0;
    }
    vk_error_report_errno(VIR_FROM_SECURITY, errno,
                          "unable to set user and group to '%ld:%ld' on '%s'",
                          (long) uid, (long) gid, path);
    return -1;
}

int
vk_dac_label_path(const VkDacConfig *cfg, const char *path, bool remember)
{
    struct stat st;
    int refs = 0;

    if (!vk_dac_config_relabels(cfg))
        return 0;
    if (stat(path, &st) < 0) {
        vk_error_report_errno(VIR_FROM_SECURITY, errno, "unable to stat: %s", path);
        return -1;
    }
    if (remember && cfg->remember_owner &&
        (refs = vk_dac_remember_owner(path, st.st_uid, st.st_gid)) < 0)
        return -1;
    if (refs > 1 && (st.st_uid != cfg->user || st.st_gid != cfg->group)) {
        uid_t uid;
        gid_t gid;
        vk_dac_recall_owner(path, &uid, &gid);   /* this use does not count */
        vk_error_report(VIR_FROM_SECURITY, VIR_ERR_OPERATION_INVALID,
                        "Setting different DAC user or group on %s which is already in use",
                        path);
        return -1;
    }
    if (set_owner(path, cfg->user, cfg->group) < 0) {
        uid_t uid;
        gid_t gid;
        if (refs > 0)
            vk_dac_recall_owner(path, &uid, &gid);
        return -1;
    }
    return 0;
}

void
vk_dac_restore_path(const VkDacConfig *cfg, const char *path)
{
    uid_t uid = 0;
    gid_t gid = 0;
    int rc = -2;

    if (!vk_dac_config_relabels(cfg))
        return;
    if (cfg->remember_owner)
        rc = vk_dac_recall_owner(path, &uid, &gid);
    if (rc == 0)
        return;   /* another guest still uses it */
    if (rc == -1 || set_owner(path, uid, gid) < 0) {
        g_warning("cannot restore the owner of '%s': %s", path, vk_error_last_message());
        vk_error_reset();
    }
}
