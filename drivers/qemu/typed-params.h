/* Typed parameter lists (libvirt's virTypedParameter) as the remote protocol
 * carries them: domstats records, block stats with flags, and whatever else
 * answers with "name = typed value" pairs.
 *
 * Built here with GLib, then handed to an XDR reply struct, which frees it
 * with free(): every name and string value is malloc'ed for that reason. */
#pragma once

#include <glib.h>
#include <stdbool.h>

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

/* Keep only the first MAX parameters (clients ask for at most nparams). */
void vk_typed_params_truncate(VkTypedParams *params, guint max);

/* Move the list into an XDR array (*VAL, *LEN): PARAMS is left empty. */
void vk_typed_params_steal(VkTypedParams *params, remote_typed_param **val, u_int *len);
