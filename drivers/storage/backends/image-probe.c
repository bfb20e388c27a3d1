/* Disk image headers by magic bytes (image-probe.h). */
#include "drivers/storage/backends/image-probe.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/util/error.h"

typedef enum { BIG, LITTLE } Endian;

/* One row of libvirt's fileTypeInfo: magic at MAGIC_OFF, an optional
 * version word, and where the virtual size is (SIZE_OFF < 0: nowhere). */
typedef struct {
    const char *format;
    int magic_off;
    const char *magic;
    int magic_len;
    Endian endian;
    int version_off;           /* -1: no version check */
    int versions[3];           /* accepted values, 0 terminated */
    int size_off;
    unsigned long long size_mult;
} ImageType;

/* libvirt's probing order; qcow is told from qcow2 by its version */
static const ImageType image_types[] = {
    { "bochs", 32, "Bochs Virtual HD Image", 22, LITTLE, -1, { 0 }, -1, 1 },
    { "cloop", 0, "#!/bin/sh\n#V2.0 Format\n"
                  "modprobe cloop file=$0 && mount -r -t iso9660 /dev/cloop $1\n",
      83, LITTLE, -1, { 0 }, -1, 1 },
    { "iso", 0x8001, "CD001", 5, LITTLE, -1, { 0 }, -1, 1 },
    { "vpc", 0, "conectix", 8, BIG, 12, { 0x10000 }, 40, 1 },
    { "vdi", 64, "\x7f\x10\xda\xbe", 4, LITTLE, 68, { 0x00010001 }, 368, 1 },
    { "cow", 0, "OOOM", 4, BIG, 4, { 2 }, 1036, 1 },
    { "qcow", 0, "QFI\xfb", 4, BIG, 4, { 1 }, 24, 1 },
    { "qcow2", 0, "QFI\xfb", 4, BIG, 4, { 2, 3 }, 24, 1 },
    { "qed", 0, "QED\0", 4, LITTLE, -1, { 0 }, 48, 1 },
    { "vmdk", 0, "KDMV", 4, LITTLE, 4, { 1, 2, 3 }, 12, 512 },
    { "luks", 0, "LUKS\xba\xbe", 6, BIG, 6, { 1, 2 }, -1, 1 },
};

static guint64
read_uint(const unsigned char *p, int bytes, Endian endian)
{
    guint64 v = 0;

    for (int i = 0; i < bytes; i++)
        v |= (guint64) p[endian == BIG ? i : bytes - 1 - i] << (8 * (bytes - 1 - i));
    return v;
}

static bool
version_ok(const ImageType *t, const unsigned char *buf, gsize len)
{
    int width = g_str_equal(t->format, "luks") ? 2 : 4;
    guint64 v;

    if (t->version_off < 0)
        return true;
    if ((gsize) t->version_off + width > len)
        return false;
    v = read_uint(buf + t->version_off, width, t->endian);
    for (int i = 0; i < 3 && t->versions[i]; i++)
        if (v == (guint64) t->versions[i])
            return true;
    return false;
}

static const ImageType *
match_type(const unsigned char *buf, gsize len)
{
    for (gsize i = 0; i < G_N_ELEMENTS(image_types); i++) {
        const ImageType *t = &image_types[i];
        if ((gsize) (t->magic_off + t->magic_len) > len ||
            memcmp(buf + t->magic_off, t->magic, t->magic_len) != 0)
            continue;
        if (version_ok(t, buf, len))
            return t;
    }
    return NULL;
}

/* The backing format header extension (0xE2792ACA) of a qcow2 image */
static char *
qcow2_backing_format(const unsigned char *buf, gsize len, guint64 version)
{
    gsize off = version >= 3 && len >= 104 ? read_uint(buf + 100, 4, BIG) : 72;

    while (off + 8 <= len) {
        guint32 type = read_uint(buf + off, 4, BIG);
        guint32 size = read_uint(buf + off + 4, 4, BIG);
        if (type == 0 || off + 8 + size > len)
            break;
        if (type == 0xE2792ACA)
            return g_strndup((const char *) buf + off + 8, size);
        off += 8 + ((size + 7) & ~7u);
    }
    return NULL;
}

static void
qcow2_details(const unsigned char *buf, gsize len, const char *path, VkImageHeader *hdr)
{
    guint64 version = read_uint(buf + 4, 4, BIG);
    guint64 boff, bsize;

    hdr->compat = version == 2 ? "0.10" : "1.1";
    if (version >= 3 && len >= 88)
        hdr->lazy_refcounts = read_uint(buf + 80, 8, BIG) & 1;
    if (len < 20)
        return;
    boff = read_uint(buf + 8, 8, BIG);
    bsize = read_uint(buf + 16, 4, BIG);
    if (boff == 0 || bsize == 0 || boff + bsize > len)
        return;
    g_autofree char *raw = g_strndup((const char *) buf + boff, bsize);
    if (g_path_is_absolute(raw) || !path) {
        hdr->backing = g_steal_pointer(&raw);
    } else {
        g_autofree char *dir = g_path_get_dirname(path);
        hdr->backing = g_build_filename(dir, raw, NULL);
    }
    hdr->backing_format = qcow2_backing_format(buf, len, version);
}

void
vk_image_probe_buffer(const unsigned char *buf, gsize len, const char *path, VkImageHeader *hdr)
{
    const ImageType *t = match_type(buf, len);

    memset(hdr, 0, sizeof(*hdr));
    hdr->format = t ? t->format : "raw";
    if (!t)
        return;
    if (t->size_off >= 0 && (gsize) t->size_off + 8 <= len)
        hdr->capacity = read_uint(buf + t->size_off, 8, t->endian) * t->size_mult;
    if (g_str_equal(t->format, "qcow2"))
        qcow2_details(buf, len, path, hdr);
}

void
vk_image_header_clear(VkImageHeader *hdr)
{
    g_clear_pointer(&hdr->backing, g_free);
    g_clear_pointer(&hdr->backing_format, g_free);
}

int
vk_image_probe_fd(int fd, const char *path, VkImageHeader *hdr)
{
    g_autofree unsigned char *buf = g_malloc(VK_IMAGE_HEADER_MAX);
    gsize len = 0;

    while (len < VK_IMAGE_HEADER_MAX) {
        ssize_t n = pread(fd, buf + len, VK_IMAGE_HEADER_MAX - len, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot read header '%s'", path);
            return -1;
        }
        if (n == 0)
            break;
        len += n;
    }
    vk_image_probe_buffer(buf, len, path, hdr);
    return 0;
}

const char *
vk_image_probe_format(const char *path)
{
    VkImageHeader hdr;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        vk_error_report_errno(VIR_FROM_STORAGE, errno, "cannot open file '%s'", path);
        return NULL;
    }
    rc = vk_image_probe_fd(fd, path, &hdr);
    close(fd);
    if (rc < 0)
        return NULL;
    vk_image_header_clear(&hdr);
    return hdr.format;
}
