/* 16-byte UUIDs as libvirt uses them for domains, networks, pools... */
#pragma once

#include <glib.h>

#define VK_UUID_BUFLEN 16
#define VK_UUID_STRING_BUFLEN 37   /* 36 characters and the NUL */

/* A random (version 4) UUID. */
void vk_uuid_generate(unsigned char uuid[VK_UUID_BUFLEN]);

/* Parse 32 hex digits; as libvirt, '-' and ' ' may separate the bytes and
 * leading/trailing blanks are ignored.  -1 (VIR_ERR_INVALID_ARG, naming the
 * text) on anything else. */
int vk_uuid_parse(const char *text, unsigned char uuid[VK_UUID_BUFLEN]);

/* The canonical lower-case 8-4-4-4-12 form into OUT; returns OUT. */
char *vk_uuid_format(const unsigned char uuid[VK_UUID_BUFLEN],
                     char out[VK_UUID_STRING_BUFLEN]);
