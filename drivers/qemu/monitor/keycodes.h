/* Key codes as clients send them (virsh send-key: virKeycodeSet) turned
 * into QEMU's "qnum" numbers (XT scancodes, the 0xe0 prefix folded into
 * the high bit), which QMP send-key takes. */
#pragma once

#include <glib.h>

/* CODE of CODESET as a qnum, or -1 with libvirt's "cannot translate"
 * error (unknown codes and codesets we have no table for). */
int vk_keycode_to_qnum(unsigned int codeset, unsigned int code);
