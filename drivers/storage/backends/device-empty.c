/* Existing content of a block device (device-empty.h). */
#include "drivers/storage/backends/device-empty.h"

#include <string.h>

#include <glib.h>

#include "common/util/error.h"
#include "drivers/storage/backends/command.h"

typedef enum {
    PROBE_ERROR = -1,
    PROBE_UNDEFINED,   /* nothing found */
    PROBE_UNKNOWN,     /* something blkid cannot name */
    PROBE_MATCH,
    PROBE_DIFFERENT,
} ProbeResult;

/* VALUE of KEY=VALUE in blkid's export output, or NULL */
static char *
export_value(const char *out, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    g_autofree char *prefix = g_strconcat(key, "=", NULL);

    for (char **l = lines; *l; l++)
        if (g_str_has_prefix(*l, prefix))
            return g_strdup(*l + strlen(prefix));
    return NULL;
}

static ProbeResult
probe(const char *device, const char *format)
{
    const char *argv[] = { "blkid", "-p", "-o", "export", device, NULL };
    g_autofree char *out = NULL;
    g_autofree char *type = NULL;
    int rc = vk_storage_command_status(argv, &out, NULL);

    if (rc == 2)
        return PROBE_UNDEFINED;
    if (rc != 0) {
        vk_error_reset();
        return PROBE_ERROR;
    }
    if (!(type = export_value(out, "TYPE")) && !(type = export_value(out, "PTTYPE")))
        return PROBE_UNKNOWN;
    return g_str_equal(type, format) ? PROBE_MATCH : PROBE_DIFFERENT;
}

int
vk_storage_device_check_empty(const char *device, const char *format, bool writelabel)
{
    switch (probe(device, format)) {
    case PROBE_UNDEFINED:
        if (writelabel)
            return 0;
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_STORAGE_PROBE_FAILED,
                        "Device '%s' is unrecognized, requires build", device);
        return -1;
    case PROBE_ERROR:
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_STORAGE_PROBE_FAILED,
                        "Failed to probe for format type '%s'", format);
        return -1;
    case PROBE_UNKNOWN:
        if (!writelabel)
            return 0;
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                        "Unable to probe '%s' for existing data, forced overwrite is necessary",
                        device);
        return -1;
    case PROBE_MATCH:
        if (!writelabel)
            return 0;
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_STORAGE_POOL_BUILT,
                        "Device '%s' already formatted using '%s'", device, format);
        return -1;
    case PROBE_DIFFERENT:
        break;
    }
    if (writelabel)
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_STORAGE_POOL_BUILT,
                        "Format of device '%s' does not match the expected format '%s', "
                        "forced overwrite is necessary", device, format);
    else
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                        "Format of device '%s' does not match the expected format '%s'",
                        device, format);
    return -1;
}
