/* virsh screenshot (DOMAIN_SCREENSHOT): QEMU draws the screen into a file
 * of ours (QMP screendump, PNG as libvirt 9.0 asks for), and the file goes
 * to the client as the call's stream. */
#include "drivers/qemu/handlers/handlers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/rpc/server-stream.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/security/dac-label.h"
#include "drivers/qemu/core/process.h"
#include "remote-protocol.h"

/* Which video device shows SCREEN (counting every head of every device),
 * and which of its heads; libvirt's errors when there is none. */
static const VkDomainVideoDef *
find_screen(const VkDomainDef *def, unsigned int screen, unsigned int *head)
{
    if (def->videos->len == 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "no screens to take screenshot from");
        return NULL;
    }
    for (guint i = 0; i < def->videos->len; i++) {
        const VkDomainVideoDef *video = g_ptr_array_index(def->videos, i);
        unsigned int heads = video->heads ? video->heads : 1;
        if (screen < heads) {
            *head = screen;
            return video;
        }
        screen -= heads;
    }
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s", "no such screen ID");
    return NULL;
}

/* A new empty file for QEMU to write into, opened for reading by us; the
 * name is gone once QEMU is done (*PATH, to unlink). */
static int
make_dump_file(VkDomainObj *obj, char **path)
{
    g_autofree char *dir = vk_paths_prefix(vk_qemu_driver()->paths, "/var/cache/libvirt/qemu");
    int fd;

    if (vk_file_make_dirs(dir, 0755) < 0)
        return -1;
    *path = g_build_filename(dir, "qemu.screendump.XXXXXX", NULL);
    if ((fd = g_mkstemp_full(*path, O_RDONLY | O_CLOEXEC, 0600)) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot create a file in '%s'", dir);
        g_clear_pointer(path, g_free);
        return -1;
    }
    /* QEMU writes it: its user's, as libvirt labels it */
    if (vk_dac_label_path(vk_qemu_process_dac(obj), *path, false) < 0) {
        close(fd);
        unlink(*path);
        g_clear_pointer(path, g_free);
        return -1;
    }
    return fd;
}

/* SCREEN of OBJ (locked, its job held) as a PNG in a file, open for
 * reading (its name already gone); -1 with an error. */
static int
take_screenshot(VkDomainObj *obj, unsigned int screen)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *path = NULL;
    const VkDomainVideoDef *video;
    unsigned int head = 0;
    int fd, rc;

    if (!vk_domain_obj_is_active(obj))
        return vk_qemu_not_running();
    if (!(video = find_screen(obj->def, screen, &head)) || (fd = make_dump_file(obj, &path)) < 0)
        return -1;
    vk_json_object_set_string(args, "filename", path);
    vk_json_object_set_string(args, "format", "png");
    if (screen > 0) {
        vk_json_object_set_string(args, "device", video->info.alias);
        vk_json_object_set_int(args, "head", head);
    }
    rc = vk_qemu_process_monitor_query(obj, "screendump", args, NULL);
    unlink(path);
    if (rc < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int
domain_screenshot(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_screenshot_args *args = argsp;
    remote_domain_screenshot_ret *ret = retp;
    VkDomainObj *obj;
    int fd;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainScreenshot") < 0 ||
        !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    fd = take_screenshot(obj, args->screen);
    vk_qemu_domain_end(obj, 0);
    if (fd < 0)
        return -1;
    vk_server_stream_unref(vk_server_stream_open(client, fd));
    ret->mime = malloc(sizeof(char *));   /* XDR frees it with free() */
    *ret->mime = strdup("image/png");
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_SCREENSHOT, domain_screenshot },
};

void
vk_qemu_screenshot_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
