#include "common/daemon/pidfile.h"
#include "common/util/error.h"
#include "common/util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct VkPidFile {
    char *path;
    int fd;
};

/* Open-file-description locks: they conflict even inside one process, go
 * away when the daemon dies, and interoperate with libvirt's fcntl locks. */
static int
lock_fd(int fd)
{
    struct flock fl = {
        .l_type = F_WRLCK,
        .l_whence = SEEK_SET,
        .l_start = 0,
        .l_len = 0,
    };
    return fcntl(fd, F_OFD_SETLK, &fl);
}

static long
read_pid(int fd)
{
    char buf[32] = { 0 };
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

    if (n <= 0)
        return -1;
    return strtol(buf, NULL, 10);
}

VkPidFile *
vk_pidfile_acquire(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    char line[32];
    int fd;

    if (vk_file_make_dirs(dir, 0755) < 0)
        return NULL;

    for (;;) {
        struct stat by_fd, by_path;

        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            vk_error_report_errno(VIR_FROM_NONE, errno, "cannot open pid file '%s'", path);
            return NULL;
        }
        if (lock_fd(fd) < 0) {
            int err = errno;
            if (err == EAGAIN || err == EACCES) {
                long pid = read_pid(fd);
                if (pid > 0)
                    vk_error_report(VIR_FROM_NONE, VIR_ERR_RESOURCE_BUSY,
                                    "pid file '%s' is held by running process %ld: "
                                    "is the daemon already running?", path, pid);
                else
                    vk_error_report(VIR_FROM_NONE, VIR_ERR_RESOURCE_BUSY,
                                    "pid file '%s' is held by another process: "
                                    "is the daemon already running?", path);
            } else {
                vk_error_report_errno(VIR_FROM_NONE, err, "cannot lock pid file '%s'", path);
            }
            close(fd);
            return NULL;
        }
        /* the previous owner may have removed the file between our open
         * and our lock; then we locked an orphan and must start again */
        if (fstat(fd, &by_fd) == 0 && stat(path, &by_path) == 0 &&
            by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino)
            break;
        close(fd);
    }

    g_snprintf(line, sizeof(line), "%ld\n", (long) getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, line, strlen(line), 0) != (ssize_t) strlen(line)) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "cannot write pid file '%s'", path);
        unlink(path);
        close(fd);
        return NULL;
    }

    VkPidFile *pidfile = g_new0(VkPidFile, 1);
    pidfile->path = g_strdup(path);
    pidfile->fd = fd;
    return pidfile;
}

void
vk_pidfile_release(VkPidFile *pidfile)
{
    struct stat by_fd, by_path;

    if (!pidfile)
        return;
    /* unlink before unlocking, and only the file we still hold */
    if (fstat(pidfile->fd, &by_fd) == 0 && stat(pidfile->path, &by_path) == 0 &&
        by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino)
        unlink(pidfile->path);
    close(pidfile->fd);
    g_free(pidfile->path);
    g_free(pidfile);
}
