#include "drivers/qemu/core/save-image.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/util/error.h"

#define SAVE_MAGIC "LibvirtQemudSave"
#define SAVE_PARTIAL "LibvirtQemudPart"
#define SAVE_VERSION 2
#define SAVE_MAGIC_LEN (sizeof(SAVE_MAGIC) - 1)
/* libvirt's room for a larger XML later (save-image-define) */
#define SAVE_XML_ROOM (64 * 1024)
#define SAVE_FORMAT_LAST 7   /* raw, gzip, bzip2, xz, lzop, zstd, sparse */

/* The header as it is on disk (host byte order: x86_64, little endian). */
typedef struct {
    char magic[SAVE_MAGIC_LEN];
    guint32 version;
    guint32 data_len;
    guint32 was_running;
    guint32 format;
    guint32 cookie_offset;
    guint32 unused[14];
} VkSaveHeader;

G_STATIC_ASSERT(sizeof(VkSaveHeader) == 92);

void
vk_save_image_free(VkSaveImage *img)
{
    if (!img)
        return;
    g_free(img->xml);
    g_free(img->cookie);
    g_free(img);
}

/* read() until LEN bytes or end of file. */
static gssize
read_full(int fd, void *buf, gsize len)
{
    gsize done = 0;

    while (done < len) {
        gssize n = read(fd, (char *) buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -1 : (gssize) done;
        done += n;
    }
    return done;
}

static int
write_full(int fd, const void *buf, gsize len)
{
    gsize done = 0;

    while (done < len) {
        gssize n = write(fd, (const char *) buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        done += n;
    }
    return 0;
}

static int
open_image(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC, 0600);

    if (fd < 0)
        vk_error_report_errno(VIR_FROM_QEMU, errno, "Failed to open file '%s'", path);
    return fd;
}

static int
image_error(const char *message)
{
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "%s", message);
    return -1;
}

/* Read and check the header, as libvirt does and with its messages. */
static int
read_header(int fd, VkSaveHeader *hdr)
{
    if (read_full(fd, hdr, sizeof(*hdr)) != sizeof(*hdr))
        return image_error("failed to read qemu header");
    if (memcmp(hdr->magic, SAVE_MAGIC, SAVE_MAGIC_LEN) != 0) {
        if (memcmp(hdr->magic, SAVE_PARTIAL, SAVE_MAGIC_LEN) == 0)
            return image_error("save image is incomplete");
        return image_error("image magic is incorrect");
    }
    if (hdr->version > SAVE_VERSION) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED,
                        "image version is not supported (%u > %d)", hdr->version, SAVE_VERSION);
        return -1;
    }
    if (hdr->format >= SAVE_FORMAT_LAST) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED,
                        "unsupported save image format: %u", hdr->format);
        return -1;
    }
    if (hdr->data_len == 0 || hdr->cookie_offset > hdr->data_len) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED,
                        "invalid header data length: %u", hdr->data_len);
        return -1;
    }
    return 0;
}

/* The XML and the cookie from the data area after the header. */
static VkSaveImage *
read_data(int fd, const VkSaveHeader *hdr)
{
    g_autoptr(VkSaveImage) img = g_new0(VkSaveImage, 1);
    guint32 xml_len = hdr->cookie_offset ? hdr->cookie_offset : hdr->data_len;
    g_autofree char *data = g_malloc0(hdr->data_len + 1);   /* NUL-terminated either way */

    if (read_full(fd, data, hdr->data_len) != (gssize) hdr->data_len) {
        image_error("failed to read domain XML");
        return NULL;
    }
    img->data_len = hdr->data_len;
    img->was_running = hdr->was_running != 0;
    img->format = hdr->format;
    img->xml = g_strndup(data, xml_len);
    if (hdr->cookie_offset)
        img->cookie = g_strdup(data + xml_len);
    return g_steal_pointer(&img);
}

VkSaveImage *
vk_save_image_read(const char *path, int *fdp)
{
    VkSaveHeader hdr;
    VkSaveImage *img;
    int fd = open_image(path, O_RDONLY);

    if (fd < 0)
        return NULL;
    if (read_header(fd, &hdr) < 0 || !(img = read_data(fd, &hdr))) {
        close(fd);
        return NULL;
    }
    if (img->format != 0) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_UNSUPPORTED,
                        "compressed save images (format %u) are not supported", img->format);
        vk_save_image_free(img);
        close(fd);
        return NULL;
    }
    if (fdp)
        *fdp = fd;
    else
        close(fd);
    return img;
}

/* Header, XML, cookie and padding up to HDR's data_len. */
static int
write_data(int fd, const char *path, VkSaveHeader *hdr, const char *xml, const char *cookie)
{
    gsize xml_len = strlen(xml) + 1;
    gsize cookie_len = cookie ? strlen(cookie) + 1 : 0;
    g_autofree char *data = NULL;

    if (hdr->data_len == 0)
        hdr->data_len = xml_len + cookie_len + SAVE_XML_ROOM;
    if (xml_len + cookie_len > hdr->data_len)
        return image_error("new xml too large to fit in file");
    hdr->cookie_offset = cookie ? xml_len : 0;
    data = g_malloc0(hdr->data_len);
    memcpy(data, xml, xml_len);
    if (cookie)
        memcpy(data + xml_len, cookie, cookie_len);
    if (lseek(fd, 0, SEEK_SET) < 0 || write_full(fd, hdr, sizeof(*hdr)) < 0 ||
        write_full(fd, data, hdr->data_len) < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno,
                              "failed to write header to domain save file '%s'", path);
        return -1;
    }
    return 0;
}

int
vk_save_image_create(const char *path, const char *xml, bool was_running)
{
    VkSaveHeader hdr = { .version = SAVE_VERSION, .was_running = was_running };
    int fd = open_image(path, O_WRONLY | O_CREAT | O_TRUNC);

    if (fd < 0)
        return -1;
    memcpy(hdr.magic, SAVE_PARTIAL, SAVE_MAGIC_LEN);
    if (write_data(fd, path, &hdr, xml, NULL) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int
vk_save_image_finish(const char *path)
{
    int fd = open_image(path, O_WRONLY);
    int rc;

    if (fd < 0)
        return -1;
    rc = pwrite(fd, SAVE_MAGIC, SAVE_MAGIC_LEN, 0) == SAVE_MAGIC_LEN ? 0 : -1;
    if (rc < 0)
        vk_error_report_errno(VIR_FROM_QEMU, errno,
                              "failed to write header to domain save file '%s'", path);
    if (fsync(fd) < 0 && rc == 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "unable to close %s", path);
        rc = -1;
    }
    close(fd);
    return rc;
}

int
vk_save_image_update_xml(const char *path, const char *xml)
{
    VkSaveHeader hdr;
    g_autoptr(VkSaveImage) img = NULL;
    int fd = open_image(path, O_RDWR);
    int rc = -1;

    if (fd < 0)
        return -1;
    if (read_header(fd, &hdr) == 0 && (img = read_data(fd, &hdr)))
        rc = write_data(fd, path, &hdr, xml, img->cookie);
    if (close(fd) < 0 && rc == 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "unable to close %s", path);
        rc = -1;
    }
    return rc;
}
