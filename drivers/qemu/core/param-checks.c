/* Typed parameter checks (see param-checks.h). */
#include "drivers/qemu/core/param-checks.h"

#include "common/util/error.h"
#include "virtkit/virtkit.h"

static const char *
type_name(int type)
{
    static const char *const names[] = { NULL, "int", "uint", "llong", "ullong", "double",
                                         "boolean", "string" };

    return type > 0 && type < (int) G_N_ELEMENTS(names) ? names[type] : "unknown";
}

int
vk_qemu_param_check_type(const remote_typed_param *p, int type)
{
    if (p->value.type == type)
        return 0;
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                    "invalid type '%s' for parameter '%s', expected '%s'",
                    type_name(p->value.type), p->field, type_name(type));
    return -1;
}

int
vk_qemu_param_unsupported(const remote_typed_param *p)
{
    vk_error_report(VIR_FROM_NONE, VIR_ERR_ARGUMENT_UNSUPPORTED, "parameter '%s' not supported",
                    p->field);
    return -1;
}
