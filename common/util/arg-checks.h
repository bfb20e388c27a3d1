/* libvirt's checks of a call's arguments, for every driver and the admin
 * program: the caller passes its error domain (VIR_FROM_QEMU,
 * VIR_FROM_NETWORK, VIR_FROM_ADMIN...), as libvirt's VIR_FROM_THIS. */
#pragma once

#include <glib.h>

/* libvirt's virCheckFlags: bits of FLAGS outside ALLOWED give "unsupported
 * flags (0x..) in function API" (VIR_ERR_INVALID_ARG).  0 or -1. */
int vk_check_flags(int domain, unsigned int flags, unsigned int allowed, const char *api);

/* Report VIR_ERR_INVALID_ARG with the message as is, as libvirt's
 * virReportInvalidArg does (no "invalid argument: " prefix).  Returns -1. */
int vk_invalid_arg(int domain, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
