#include "common/util/uuid.h"
#include "common/util/error.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

void
vk_uuid_generate(unsigned char uuid[VK_UUID_BUFLEN])
{
    gsize have = 0;

    while (have < VK_UUID_BUFLEN) {
        ssize_t n = getrandom(uuid + have, VK_UUID_BUFLEN - have, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        have += (gsize) n;
    }
    /* no getrandom (old kernel, seccomp): GLib's generator still gives unique ids */
    for (; have < VK_UUID_BUFLEN; have++)
        uuid[have] = (unsigned char) g_random_int_range(0, 256);

    uuid[6] = (uuid[6] & 0x0f) | 0x40;   /* version 4 */
    uuid[8] = (uuid[8] & 0x3f) | 0x80;   /* RFC 4122 variant */
}

int
vk_uuid_parse(const char *text, unsigned char uuid[VK_UUID_BUFLEN])
{
    const char *cur = text;
    unsigned char out[VK_UUID_BUFLEN];
    int i = 0;

    if (!text)
        goto error;
    while (g_ascii_isspace(*cur))
        cur++;
    while (i < VK_UUID_BUFLEN) {
        if (*cur == '-' || *cur == ' ') {
            cur++;
            continue;
        }
        if (!g_ascii_isxdigit(cur[0]) || !g_ascii_isxdigit(cur[1]))
            goto error;
        out[i++] = (unsigned char) (g_ascii_xdigit_value(cur[0]) * 16 +
                                    g_ascii_xdigit_value(cur[1]));
        cur += 2;
    }
    while (*cur) {
        if (!g_ascii_isspace(*cur))
            goto error;
        cur++;
    }
    memcpy(uuid, out, VK_UUID_BUFLEN);
    return 0;

 error:
    vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                    "malformed UUID '%s': expected 32 hexadecimal digits", text ? text : "");
    return -1;
}

char *
vk_uuid_format(const unsigned char uuid[VK_UUID_BUFLEN], char out[VK_UUID_STRING_BUFLEN])
{
    g_snprintf(out, VK_UUID_STRING_BUFLEN,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
               uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
    return out;
}
