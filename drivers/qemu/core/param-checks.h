/* Checks of a call's typed parameters with libvirt's wording, shared by
 * the tunables' handlers (schedinfo, memtune, blkiotune). */
#pragma once

#include "remote-protocol.h"

/* -1 with libvirt's "invalid type 'T' for parameter 'F', expected 'E'"
 * (VIR_ERR_INVALID_ARG) unless P has TYPE (a VIR_TYPED_PARAM_*); else 0. */
int vk_qemu_param_check_type(const remote_typed_param *p, int type);
/* libvirt's "argument unsupported: parameter 'F' not supported".  -1. */
int vk_qemu_param_unsupported(const remote_typed_param *p);
