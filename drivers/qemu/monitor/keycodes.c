/* Key codes to QEMU's qnum (see keycodes.h). */
#include "drivers/qemu/monitor/keycodes.h"

#include "common/util/error.h"
#include "virtkit/virtkit.h"

/* libvirt's names of virKeycodeSet, for errors. */
static const char *const codeset_names[] = {
    "linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb", "win32", "qnum",
};

/* Linux input key codes past the first 84 (where they equal XT scancodes)
 * that a PC keyboard has: the qnum of each (0 for none). */
static const guint8 linux_extended[] = {
    [86] = 0x56,            /* KEY_102ND */
    [87] = 0x57,            /* KEY_F11 */
    [88] = 0x58,            /* KEY_F12 */
    [96] = 0x9c,            /* KEY_KPENTER */
    [97] = 0x9d,            /* KEY_RIGHTCTRL */
    [98] = 0xb5,            /* KEY_KPSLASH */
    [99] = 0x54,            /* KEY_SYSRQ */
    [100] = 0xb8,           /* KEY_RIGHTALT */
    [102] = 0xc7,           /* KEY_HOME */
    [103] = 0xc8,           /* KEY_UP */
    [104] = 0xc9,           /* KEY_PAGEUP */
    [105] = 0xcb,           /* KEY_LEFT */
    [106] = 0xcd,           /* KEY_RIGHT */
    [107] = 0xcf,           /* KEY_END */
    [108] = 0xd0,           /* KEY_DOWN */
    [109] = 0xd1,           /* KEY_PAGEDOWN */
    [110] = 0xd2,           /* KEY_INSERT */
    [111] = 0xd3,           /* KEY_DELETE */
    [113] = 0xa0,           /* KEY_MUTE */
    [114] = 0xae,           /* KEY_VOLUMEDOWN */
    [115] = 0xb0,           /* KEY_VOLUMEUP */
    [116] = 0xde,           /* KEY_POWER */
    [119] = 0xc6,           /* KEY_PAUSE */
    [125] = 0xdb,           /* KEY_LEFTMETA */
    [126] = 0xdc,           /* KEY_RIGHTMETA */
    [127] = 0xdd,           /* KEY_COMPOSE */
};

static int
linux_to_qnum(unsigned int code)
{
    if (code >= 1 && code <= 83)
        return (int) code;   /* ESC .. keypad dot: the XT scancodes themselves */
    if (code < G_N_ELEMENTS(linux_extended) && linux_extended[code])
        return linux_extended[code];
    return -1;
}

/* XT set 1 with its 0xe0 prefix (0xe0XX), as libvirt's atset1 codes. */
static int
atset1_to_qnum(unsigned int code)
{
    if (code < 0x80)
        return (int) code;
    if ((code & 0xff00) == 0xe000 && (code & 0xff) < 0x80)
        return (int) (0x80 | (code & 0x7f));
    return -1;
}

int
vk_keycode_to_qnum(unsigned int codeset, unsigned int code)
{
    int qnum = -1;

    switch (codeset) {
    case VIR_KEYCODE_SET_LINUX:
        qnum = linux_to_qnum(code);
        break;
    case VIR_KEYCODE_SET_XT:
        qnum = code > 0 && code < 0x80 ? (int) code : -1;
        break;
    case VIR_KEYCODE_SET_ATSET1:
        qnum = atset1_to_qnum(code);
        break;
    case VIR_KEYCODE_SET_QNUM:
        qnum = code > 0 && code < 0x100 ? (int) code : -1;
        break;
    }
    if (qnum < 0)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot translate keycode %u of %s codeset to qnum keycode", code,
                        codeset < G_N_ELEMENTS(codeset_names) ? codeset_names[codeset] : "?");
    return qnum;
}
