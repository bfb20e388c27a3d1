/* libvirt's argument checks (see arg-checks.h). */
#include "common/util/arg-checks.h"

#include <stdarg.h>

#include "common/util/error.h"

int
vk_invalid_arg(int domain, const char *fmt, ...)
{
    VkError *err = g_new0(VkError, 1);
    va_list ap;

    va_start(ap, fmt);
    err->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err->code = VIR_ERR_INVALID_ARG;
    err->domain = domain;
    err->level = VIR_ERR_ERROR;
    err->str1 = g_strdup("invalid argument");
    err->str2 = g_strdup(err->message);
    err->int1 = err->int2 = -1;
    vk_error_set(err);
    return -1;
}

int
vk_check_flags(int domain, unsigned int flags, unsigned int allowed, const char *api)
{
    if (flags & ~allowed)
        return vk_invalid_arg(domain, "unsupported flags (0x%x) in function %s",
                              flags & ~allowed, api);
    return 0;
}
