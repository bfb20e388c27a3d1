#include "drivers/qemu/security/dac-remember.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "common/util/error.h"

#define ATTR_OWNER "trusted.libvirt.security.dac"
#define ATTR_REFS "trusted.libvirt.security.ref_dac"
#define ATTR_STAMP "trusted.libvirt.security.timestamp_dac"

/* The attribute's value, or NULL with errno (ENODATA: not set). */
static char *
get_attr(const char *path, const char *name)
{
    char buf[256];
    ssize_t n = getxattr(path, name, buf, sizeof(buf) - 1);

    if (n < 0)
        return NULL;
    buf[n] = '\0';
    return g_strdup(buf);
}

static int
set_attr(const char *path, const char *name, const char *value)
{
    if (setxattr(path, name, value, strlen(value), 0) < 0) {
        vk_error_report_errno(VIR_FROM_SECURITY, errno, "Unable to set XATTR %s on %s",
                              name, path);
        return -1;
    }
    return 0;
}

static void
remove_attrs(const char *path)
{
    removexattr(path, ATTR_REFS);
    removexattr(path, ATTR_OWNER);
    removexattr(path, ATTR_STAMP);
}

static bool
no_xattr_support(int err)
{
    return err == ENOTSUP || err == ENOSYS;
}

/* The host's boot time in seconds since the epoch, as text ("btime" in
 * /proc/stat: what libvirt's virHostGetBootTime gives on Linux). */
static char *
boot_time(void)
{
    g_autofree char *stat = NULL;
    const char *line;

    if (!g_file_get_contents("/proc/stat", &stat, NULL, NULL) ||
        !(line = strstr(stat, "\nbtime ")))
        return g_strdup("0");
    return g_strdup_printf("%llu", strtoull(line + 7, NULL, 10));
}

/* The reference count of PATH, 0 when none (or stale: the attributes were
 * left before the last boot, and are dropped); -1 with errno. */
static int
read_refs(const char *path)
{
    g_autofree char *refs = get_attr(path, ATTR_REFS);
    g_autofree char *stamp = NULL;
    g_autofree char *now = NULL;

    if (!refs)
        return errno == ENODATA ? 0 : -1;
    stamp = get_attr(path, ATTR_STAMP);
    now = boot_time();
    if (g_strcmp0(stamp, now) != 0) {
        g_warning("Invalid XATTR timestamp detected on %s secdriver=dac", path);
        remove_attrs(path);
        return 0;
    }
    return atoi(refs);
}

int
vk_dac_remember_owner(const char *path, uid_t uid, gid_t gid)
{
    int refs = read_refs(path);
    g_autofree char *count = NULL;

    if (refs < 0) {
        if (no_xattr_support(errno))
            return 0;
        vk_error_report_errno(VIR_FROM_SECURITY, errno, "Unable to get XATTR %s on %s",
                              ATTR_REFS, path);
        return -1;
    }
    if (++refs == 1) {
        g_autofree char *owner = g_strdup_printf("+%u:+%u", (unsigned) uid, (unsigned) gid);
        g_autofree char *stamp = boot_time();
        if (setxattr(path, ATTR_OWNER, owner, strlen(owner), 0) < 0 && no_xattr_support(errno))
            return 0;   /* a file system with xattrs for reading only */
        if (set_attr(path, ATTR_OWNER, owner) < 0 || set_attr(path, ATTR_STAMP, stamp) < 0)
            return -1;
    }
    count = g_strdup_printf("%d", refs);
    return set_attr(path, ATTR_REFS, count) < 0 ? -1 : refs;
}

/* "+UID:+GID" into *UID, *GID. */
static bool
parse_owner(const char *text, uid_t *uid, gid_t *gid)
{
    unsigned u, g;

    if (!text || sscanf(text, "+%u:+%u", &u, &g) != 2)
        return false;
    *uid = u;
    *gid = g;
    return true;
}

int
vk_dac_recall_owner(const char *path, uid_t *uid, gid_t *gid)
{
    int refs = read_refs(path);
    g_autofree char *owner = NULL;

    if (refs < 0 && !no_xattr_support(errno) && errno != ENOENT) {
        vk_error_report_errno(VIR_FROM_SECURITY, errno, "Unable to get XATTR %s on %s",
                              ATTR_REFS, path);
        return -1;
    }
    if (refs <= 0)
        return -2;
    if (--refs > 0) {
        g_autofree char *count = g_strdup_printf("%d", refs);
        return set_attr(path, ATTR_REFS, count) < 0 ? -1 : 0;
    }
    owner = get_attr(path, ATTR_OWNER);
    remove_attrs(path);
    if (!parse_owner(owner, uid, gid)) {
        vk_error_report(VIR_FROM_SECURITY, VIR_ERR_INTERNAL_ERROR,
                        "malformed remembered owner %s on %s", owner ? owner : "", path);
        return -1;
    }
    return 1;
}
