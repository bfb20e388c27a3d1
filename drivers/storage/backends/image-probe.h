/* What the first bytes of a disk image say: its format by magic bytes (the
 * formats and order of libvirt's virStorageFileProbeFormat), the virtual
 * size its header records, and for qcow2 its backing file, compat level and
 * lazy refcounts.  Used by the volume refresh of the file based pools. */
#pragma once

#include <stdbool.h>

#include <glib.h>

/* libvirt's VIR_STORAGE_MAX_HEADER: enough for the iso9660 magic */
#define VK_IMAGE_HEADER_MAX 0x8200

typedef struct {
    const char *format;          /* "raw", "qcow2", "vmdk", ... (static) */
    unsigned long long capacity; /* virtual size in the header; 0: none */
    char *backing;               /* backing file, made absolute; NULL: none */
    char *backing_format;        /* from the qcow2 header extension; NULL: absent */
    const char *compat;          /* qcow2: "0.10" or "1.1" (static) */
    bool lazy_refcounts;
} VkImageHeader;

void vk_image_header_clear(VkImageHeader *hdr);

/* Probe BUF, the first LEN bytes of the image at PATH (PATH anchors a
 * relative backing file).  Unknown content is "raw". */
void vk_image_probe_buffer(const unsigned char *buf, gsize len, const char *path,
                           VkImageHeader *hdr);

/* Read the header of the image open as FD (from its start) and probe it.
 * -1 with "cannot read header 'PATH'" when it cannot be read. */
int vk_image_probe_fd(int fd, const char *path, VkImageHeader *hdr);

/* The format of the image at PATH, "raw" when unknown; NULL (reported)
 * when it cannot be read. */
const char *vk_image_probe_format(const char *path);
