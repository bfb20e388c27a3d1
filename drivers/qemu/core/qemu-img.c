/* Running qemu-img (qemu-img.h). */
#include "drivers/qemu/core/qemu-img.h"

#include <sys/wait.h>

#include "common/util/error.h"
#include "common/util/json.h"
#include "virtkit/virtkit.h"

int
vk_qemu_img(const char *const *args, char **out)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autofree char *err_out = NULL;
    g_autofree char *std_out = NULL;
    g_autofree char *cmdline = NULL;
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_ptr_array_add(argv, (gpointer) "qemu-img");
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add(argv, (gpointer) args[i]);
    g_ptr_array_add(argv, NULL);
    if (!g_spawn_sync(NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                      &std_out, &err_out, &status, &error)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "Cannot run qemu-img: %s", error->message);
        return -1;
    }
    if (g_spawn_check_wait_status(status, NULL)) {
        if (out)
            *out = g_steal_pointer(&std_out);
        return 0;
    }
    g_ptr_array_remove_index(argv, argv->len - 1);
    g_ptr_array_add(argv, NULL);
    cmdline = g_strjoinv(" ", (char **) argv->pdata);
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                    "Child process (%s) unexpected exit status %d: %s", cmdline,
                    WIFEXITED(status) ? WEXITSTATUS(status) : status, g_strstrip(err_out));
    return -1;
}

gint64
vk_qemu_img_virtual_size(const char *path)
{
    g_autofree char *json = NULL;
    const char *args[] = { "info", "-U", "--output=json", path, NULL };
    g_autoptr(VkJson) info = NULL;

    if (vk_qemu_img(args, &json) < 0)
        return -1;
    if (!(info = vk_json_parse(json, -1))) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot read the size of '%s'", path);
        return -1;
    }
    return vk_json_object_get_int(info, "virtual-size", -1);
}
