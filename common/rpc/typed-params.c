/* Typed parameter lists for remote and admin protocol replies (see
 * typed-params.h). */
#include "common/rpc/typed-params.h"

#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"

/* One list for both programs: their typed parameters must not differ in
 * anything but the names rpcgen gave them. */
#define SAME_OFFSET(member) \
    G_STATIC_ASSERT(offsetof(remote_typed_param, value.remote_typed_param_value_u.member) == \
                    offsetof(admin_typed_param, value.admin_typed_param_value_u.member))
G_STATIC_ASSERT(sizeof(remote_typed_param) == sizeof(admin_typed_param));
G_STATIC_ASSERT(offsetof(remote_typed_param, field) == offsetof(admin_typed_param, field));
G_STATIC_ASSERT(offsetof(remote_typed_param, value.type) ==
                offsetof(admin_typed_param, value.type));
SAME_OFFSET(i);
SAME_OFFSET(ui);
SAME_OFFSET(l);
SAME_OFFSET(ul);
SAME_OFFSET(d);
SAME_OFFSET(b);
SAME_OFFSET(s);
#undef SAME_OFFSET
G_STATIC_ASSERT(REMOTE_TYPED_PARAM_INT == ADMIN_PARAM_INT);
G_STATIC_ASSERT(REMOTE_TYPED_PARAM_UINT == ADMIN_PARAM_UINT);
G_STATIC_ASSERT(REMOTE_TYPED_PARAM_LLONG == ADMIN_PARAM_LLONG);
G_STATIC_ASSERT(REMOTE_TYPED_PARAM_ULLONG == ADMIN_PARAM_ULLONG);
G_STATIC_ASSERT(REMOTE_TYPED_PARAM_DOUBLE == ADMIN_PARAM_DOUBLE);
G_STATIC_ASSERT(REMOTE_TYPED_PARAM_BOOLEAN == ADMIN_PARAM_BOOLEAN);
G_STATIC_ASSERT(REMOTE_TYPED_PARAM_STRING == ADMIN_PARAM_STRING);

struct _VkTypedParams {
    GArray *items;   /* remote_typed_param, names and strings malloc'ed */
};

static void
clear_param(gpointer p)
{
    xdr_free((xdrproc_t) xdr_remote_typed_param, (char *) p);
}

VkTypedParams *
vk_typed_params_new(void)
{
    VkTypedParams *params = g_new0(VkTypedParams, 1);

    params->items = g_array_new(FALSE, TRUE, sizeof(remote_typed_param));
    g_array_set_clear_func(params->items, clear_param);
    return params;
}

void
vk_typed_params_free(VkTypedParams *params)
{
    if (!params)
        return;
    g_array_unref(params->items);
    g_free(params);
}

guint
vk_typed_params_len(const VkTypedParams *params)
{
    return params->items->len;
}

/* A new zeroed parameter of TYPE named by FMT/AP, at the end of the list. */
static remote_typed_param_value *
append(VkTypedParams *params, int type, const char *fmt, va_list ap)
{
    remote_typed_param p = { 0 };
    g_autofree char *name = g_strdup_vprintf(fmt, ap);

    p.field = strdup(name);
    p.value.type = type;
    g_array_append_val(params->items, p);
    return &g_array_index(params->items, remote_typed_param, params->items->len - 1).value;
}

#define DEFINE_ADD(suffix, ctype, type, member) \
    void vk_typed_params_add_##suffix(VkTypedParams *params, ctype value, const char *fmt, ...) \
    { \
        va_list ap; \
        va_start(ap, fmt); \
        append(params, type, fmt, ap)->remote_typed_param_value_u.member = value; \
        va_end(ap); \
    }
DEFINE_ADD(int, int, REMOTE_TYPED_PARAM_INT, i)
DEFINE_ADD(uint, unsigned int, REMOTE_TYPED_PARAM_UINT, ui)
DEFINE_ADD(llong, long long, REMOTE_TYPED_PARAM_LLONG, l)
DEFINE_ADD(ullong, unsigned long long, REMOTE_TYPED_PARAM_ULLONG, ul)
DEFINE_ADD(bool, bool, REMOTE_TYPED_PARAM_BOOLEAN, b)
#undef DEFINE_ADD

void
vk_typed_params_add_string(VkTypedParams *params, const char *value, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    append(params, REMOTE_TYPED_PARAM_STRING, fmt, ap)->remote_typed_param_value_u.s =
        strdup(value ? value : "");
    va_end(ap);
}

void
vk_typed_params_add_copy(VkTypedParams *params, const remote_typed_param *param,
                         const char *fmt, ...)
{
    remote_typed_param_value *v;
    va_list ap;

    va_start(ap, fmt);
    v = append(params, param->value.type, fmt, ap);
    va_end(ap);
    *v = param->value;
    if (v->type == REMOTE_TYPED_PARAM_STRING)
        v->remote_typed_param_value_u.s = strdup(param->value.remote_typed_param_value_u.s);
}

void
vk_typed_params_truncate(VkTypedParams *params, guint max)
{
    if (params->items->len > max)
        g_array_set_size(params->items, max);
}

/* The items as a malloc'ed array for XDR (of either program's type). */
static void *
steal_items(VkTypedParams *params, u_int *len)
{
    guint n = params->items->len;
    /* calloc, not g_new: XDR frees the array with free() */
    void *val = calloc(MAX(n, 1), sizeof(remote_typed_param));

    if (n)
        memcpy(val, params->items->data, n * sizeof(remote_typed_param));
    *len = n;
    /* the copies own the strings now: drop the items without clearing them */
    g_array_set_clear_func(params->items, NULL);
    g_array_set_size(params->items, 0);
    g_array_set_clear_func(params->items, clear_param);
    return val;
}

void
vk_typed_params_steal(VkTypedParams *params, remote_typed_param **val, u_int *len)
{
    *val = steal_items(params, len);
}

void
vk_typed_params_steal_admin(VkTypedParams *params, admin_typed_param **val, u_int *len)
{
    *val = steal_items(params, len);
}

int
vk_typed_params_reply(VkTypedParams *params, int nparams, remote_typed_param **val, u_int *len)
{
    vk_typed_params_truncate(params, (guint) MAX(nparams, 0));
    vk_typed_params_steal(params, val, len);
    return (int) *len;
}

int
vk_typed_params_get_uint(const remote_typed_param *params, u_int n, const char *field,
                         guint *value, int domain)
{
    for (u_int i = 0; i < n; i++) {
        if (strcmp(params[i].field, field) != 0)
            continue;
        if (params[i].value.type != REMOTE_TYPED_PARAM_UINT) {
            vk_error_report(domain, VIR_ERR_INVALID_ARG, "invalid type for parameter '%s'",
                            field);
            return -1;
        }
        *value = params[i].value.remote_typed_param_value_u.ui;
        return 1;
    }
    return 0;
}
