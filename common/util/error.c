#include "common/util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

/* libvirt's wording per code: the bare text, and the text around the details.
 * Codes without an entry show the details alone. */
typedef struct {
    const char *bare;
    const char *with_detail; /* contains one %s */
} VkErrorText;

static const VkErrorText error_texts[VIR_ERR_NUMBER_LAST] = {
    [VIR_ERR_OK] = { "", "%s" },
    [VIR_ERR_INTERNAL_ERROR] = { "internal error", "internal error: %s" },
    [VIR_ERR_NO_MEMORY] = { "out of memory", "out of memory: %s" },
    [VIR_ERR_NO_SUPPORT] = { "this function is not supported by the connection driver", "this function is not supported by the connection driver: %s" },
    [VIR_ERR_NO_CONNECT] = { "no connection driver available", "no connection driver available for %s" },
    [VIR_ERR_INVALID_CONN] = { "invalid connection pointer in", "invalid connection pointer in %s" },
    [VIR_ERR_INVALID_DOMAIN] = { "invalid domain pointer in", "invalid domain pointer in %s" },
    [VIR_ERR_INVALID_ARG] = { "invalid argument", "invalid argument: %s" },
    [VIR_ERR_OPERATION_FAILED] = { "operation failed", "operation failed: %s" },
    [VIR_ERR_OS_TYPE] = { "unknown OS type", "unknown OS type %s" },
    [VIR_ERR_NO_SOURCE] = { "missing source information for device", "missing source information for device %s" },
    [VIR_ERR_NO_TARGET] = { "missing target information for device", "missing target information for device %s" },
    [VIR_ERR_NO_NAME] = { "missing name information", "missing name information in %s" },
    [VIR_ERR_NO_OS] = { "missing operating system information", "missing operating system information for %s" },
    [VIR_ERR_NO_DEVICE] = { "missing devices information", "missing devices information for %s" },
    [VIR_ERR_XML_ERROR] = { "XML description is invalid or not well formed", "XML error: %s" },
    [VIR_ERR_DOM_EXIST] = { "this domain exists already", "domain %s exists already" },
    [VIR_ERR_OPERATION_DENIED] = { "operation forbidden for read only access", "operation forbidden: %s" },
    [VIR_ERR_OPEN_FAILED] = { "failed to open configuration file", "failed to open configuration file %s" },
    [VIR_ERR_READ_FAILED] = { "failed to read configuration file", "failed to read configuration file %s" },
    [VIR_ERR_PARSE_FAILED] = { "failed to parse configuration file", "failed to parse configuration file %s" },
    [VIR_ERR_CONF_SYNTAX] = { "configuration file syntax error", "configuration file syntax error: %s" },
    [VIR_ERR_WRITE_FAILED] = { "failed to write configuration file", "failed to write configuration file: %s" },
    [VIR_ERR_XML_DETAIL] = { "parser error", "%s" },
    [VIR_ERR_INVALID_NETWORK] = { "invalid network pointer in", "invalid network pointer in %s" },
    [VIR_ERR_NETWORK_EXIST] = { "this network exists already", "network %s exists already" },
    [VIR_ERR_SYSTEM_ERROR] = { "system call error", "%s" },
    [VIR_ERR_RPC] = { "RPC error", "%s" },
    [VIR_ERR_NO_DOMAIN] = { "Domain not found", "Domain not found: %s" },
    [VIR_ERR_NO_NETWORK] = { "Network not found", "Network not found: %s" },
    [VIR_ERR_INVALID_MAC] = { "invalid MAC address", "invalid MAC address: %s" },
    [VIR_ERR_AUTH_FAILED] = { "authentication failed", "authentication failed: %s" },
    [VIR_ERR_INVALID_STORAGE_POOL] = { "invalid storage pool pointer in", "invalid storage pool pointer in %s" },
    [VIR_ERR_INVALID_STORAGE_VOL] = { "invalid storage volume pointer in", "invalid storage volume pointer in %s" },
    [VIR_ERR_NO_STORAGE_POOL] = { "Storage pool not found", "Storage pool not found: %s" },
    [VIR_ERR_NO_STORAGE_VOL] = { "Storage volume not found", "Storage volume not found: %s" },
    [VIR_ERR_NO_NODE_DEVICE] = { "Node device not found", "Node device not found: %s" },
    [VIR_ERR_OPERATION_INVALID] = { "Requested operation is not valid", "Requested operation is not valid: %s" },
    [VIR_ERR_CONFIG_UNSUPPORTED] = { "unsupported configuration", "unsupported configuration: %s" },
    [VIR_ERR_STORAGE_PROBE_FAILED] = { "Storage pool probe failed", "Storage pool probe failed: %s" },
    [VIR_ERR_STORAGE_POOL_BUILT] = { "Storage pool already built", "Storage pool already built: %s" },
    [VIR_ERR_OPERATION_TIMEOUT] = { "Timed out during operation", "Timed out during operation: %s" },
    [VIR_ERR_INVALID_STREAM] = { "invalid stream pointer", "invalid stream pointer in %s" },
    [VIR_ERR_ARGUMENT_UNSUPPORTED] = { "argument unsupported", "argument unsupported: %s" },
    [VIR_ERR_OPERATION_ABORTED] = { "operation aborted", "operation aborted: %s" },
    [VIR_ERR_OVERFLOW] = { "numerical overflow", "numerical overflow: %s" },
    [VIR_ERR_BLOCK_COPY_ACTIVE] = { "block copy still active", "block copy still active: %s" },
    [VIR_ERR_NO_DOMAIN_SNAPSHOT] = { "Domain snapshot not found", "Domain snapshot not found: %s" },
    [VIR_ERR_SNAPSHOT_REVERT_RISKY] = { "revert requires force", "revert requires force: %s" },
    [VIR_ERR_NO_DOMAIN_METADATA] = { "metadata not found", "metadata not found: %s" },
    [VIR_ERR_NO_SERVER] = { "Server not found", "Server not found: %s" },
    [VIR_ERR_NO_CLIENT] = { "Client not found", "Client not found: %s" },
    [VIR_ERR_OPERATION_UNSUPPORTED] = { "Operation not supported", "Operation not supported: %s" },
    [VIR_ERR_AGENT_UNRESPONSIVE] = { "Guest agent is not responding", "Guest agent is not responding: %s" },
    [VIR_ERR_RESOURCE_BUSY] = { "resource busy", "resource busy: %s" },
    [VIR_ERR_ACCESS_DENIED] = { "access denied", "access denied: %s" },
    [VIR_ERR_XML_INVALID_SCHEMA] = { "XML document failed to validate against schema", "XML document failed to validate against schema: %s" },
    [VIR_ERR_DEVICE_MISSING] = { "device not found", "device not found: %s" },
    [VIR_ERR_BUILD_FIREWALL] = { "error while building firewall", "error while building firewall: %s" },
    [VIR_ERR_INVALID_NETWORK_PORT] = { "Invalid network port pointer", "Invalid network port pointer: %s" },
    [VIR_ERR_NETWORK_PORT_EXIST] = { "this network port exists already", "network port %s exists already" },
    [VIR_ERR_NO_NETWORK_PORT] = { "network port not found", "network port not found: %s" },
    [VIR_ERR_STORAGE_VOL_EXIST] = { "this storage volume exists already", "storage volume %s exists already" },
    [VIR_ERR_MULTIPLE_DOMAINS] = { "multiple matching domains found", "multiple matching domains found: %s" },
};

static GPrivate last_error = G_PRIVATE_INIT((GDestroyNotify) vk_error_free);

char *
vk_error_compose(int code, const char *detail)
{
    const VkErrorText *text = NULL;

    if (code >= 0 && code < VIR_ERR_NUMBER_LAST && error_texts[code].bare)
        text = &error_texts[code];

    if (!detail || !*detail)
        return g_strdup(text ? text->bare : "unknown error");
    if (!text)
        return g_strdup(detail);
    const char *hole = strstr(text->with_detail, "%s");
    return g_strdup_printf("%.*s%s%s", (int) (hole - text->with_detail), text->with_detail,
                           detail, hole + 2);
}

void
vk_error_free(VkError *err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err->str1);
    g_free(err->str2);
    g_free(err->str3);
    g_free(err);
}

VkError *
vk_error_copy(const VkError *err)
{
    VkError *copy;

    if (!err)
        return NULL;
    copy = g_new0(VkError, 1);
    *copy = *err;
    copy->message = g_strdup(err->message);
    copy->str1 = g_strdup(err->str1);
    copy->str2 = g_strdup(err->str2);
    copy->str3 = g_strdup(err->str3);
    return copy;
}

void
vk_error_set(VkError *err)
{
    if (err && !err->message)
        err->message = vk_error_compose(err->code, NULL);
    g_private_replace(&last_error, err);
}

static void
report_detail(int domain, int code, char *detail, int int1)
{
    VkError *err = g_new0(VkError, 1);

    err->code = code;
    err->domain = domain;
    err->level = VIR_ERR_ERROR;
    err->message = vk_error_compose(code, detail);
    err->str1 = vk_error_compose(code, NULL);
    err->str2 = detail;
    err->int1 = int1;
    err->int2 = -1;
    g_debug("error %d (domain %d): %s", code, domain, err->message);
    vk_error_set(err);
}

void
vk_error_report(int domain, int code, const char *fmt, ...)
{
    char *detail = NULL;
    int saved_errno = errno;

    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        detail = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    report_detail(domain, code, detail, -1);
    errno = saved_errno;
}

void
vk_error_report_errno(int domain, int errnum, const char *fmt, ...)
{
    g_autofree char *what = NULL;
    int saved_errno = errno;

    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        what = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    report_detail(domain, VIR_ERR_SYSTEM_ERROR,
                  what ? g_strdup_printf("%s: %s", what, g_strerror(errnum))
                       : g_strdup(g_strerror(errnum)),
                  errnum);
    errno = saved_errno;
}

const VkError *
vk_error_last(void)
{
    return g_private_get(&last_error);
}

const char *
vk_error_last_message(void)
{
    const VkError *err = vk_error_last();
    return err && err->message ? err->message : "unknown error";
}

int
vk_error_last_code(void)
{
    const VkError *err = vk_error_last();
    return err ? err->code : VIR_ERR_OK;
}

VkError *
vk_error_steal(void)
{
    VkError *err = g_private_get(&last_error);
    g_private_set(&last_error, NULL);
    return err;
}

void
vk_error_reset(void)
{
    g_private_replace(&last_error, NULL);
}
