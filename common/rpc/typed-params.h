/* Typed parameter lists (libvirt's virTypedParameter) as the remote and the
 * admin protocols carry them: domstats records, block stats with flags, the
 * admin program's worker pool and client settings, and whatever else answers
 * with "name = typed value" pairs.
 *
 * Built here with GLib, then handed to an XDR reply struct, which frees it
 * with free(): every name and string value is malloc'ed for that reason.
 * rpcgen gives remote_typed_param and admin_typed_param one layout (the
 * same union in both .x files; typed-params.c checks it at build time), so
 * one list serves both programs, as libvirt's _virTypedParameterRemote. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "admin-protocol.h"
#include "remote-protocol.h"

typedef struct _VkTypedParams VkTypedParams;

VkTypedParams *vk_typed_params_new(void);
void vk_typed_params_free(VkTypedParams *params);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkTypedParams, vk_typed_params_free)

guint vk_typed_params_len(const VkTypedParams *params);

/* Append one parameter; NAME_FMT is a printf format ("block.%u.rd.reqs"). */
void vk_typed_params_add_int(VkTypedParams *params, int value, const char *name_fmt, ...)
    G_GNUC_PRINTF(3, 4);
void vk_typed_params_add_uint(VkTypedParams *params, unsigned int value, const char *name_fmt, ...)
    G_GNUC_PRINTF(3, 4);
void vk_typed_params_add_llong(VkTypedParams *params, long long value, const char *name_fmt, ...)
    G_GNUC_PRINTF(3, 4);
void vk_typed_params_add_ullong(VkTypedParams *params, unsigned long long value,
                                const char *name_fmt, ...) G_GNUC_PRINTF(3, 4);
void vk_typed_params_add_bool(VkTypedParams *params, bool value, const char *name_fmt, ...)
    G_GNUC_PRINTF(3, 4);
void vk_typed_params_add_string(VkTypedParams *params, const char *value, const char *name_fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Append a copy of PARAM's value under the name NAME_FMT makes. */
void vk_typed_params_add_copy(VkTypedParams *params, const remote_typed_param *param,
                              const char *name_fmt, ...) G_GNUC_PRINTF(3, 4);
/* Keep only the first MAX parameters (clients ask for at most nparams). */
void vk_typed_params_truncate(VkTypedParams *params, guint max);

/* Move the list into an XDR array (*VAL, *LEN) of the remote or the admin
 * program: PARAMS is left empty. */
void vk_typed_params_steal(VkTypedParams *params, remote_typed_param **val, u_int *len);
void vk_typed_params_steal_admin(VkTypedParams *params, admin_typed_param **val, u_int *len);

/* The reply of a get-parameters call: the first NPARAMS (what the client
 * has room for; none when negative) moved into *VAL, *LEN.  Their number. */
int vk_typed_params_reply(VkTypedParams *params, int nparams, remote_typed_param **val,
                          u_int *len);

/* A call's admin parameters, read as remote ones (same layout). */
static inline const remote_typed_param *
vk_typed_params_from_admin(const admin_typed_param *params)
{
    return (const remote_typed_param *) params;
}

/* The unsigned value of FIELD among the N PARAMS of a call: 1 with *VALUE
 * set, 0 when FIELD is not there, -1 when it has another type
 * (VIR_ERR_INVALID_ARG from DOMAIN). */
int vk_typed_params_get_uint(const remote_typed_param *params, u_int n, const char *field,
                             guint *value, int domain);
