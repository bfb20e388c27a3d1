/* libvirt's QEMU save image: the file that virsh save, managedsave and
 * restore use.  A fixed header (magic "LibvirtQemudSave", version 2, the
 * length of the data that follows, whether the guest was running, the
 * compression format, the offset of an optional cookie), then the domain
 * XML NUL-padded to that length (libvirt leaves 64 KiB of room so that
 * save-image-define can grow it), then QEMU's migration stream.  While the
 * stream is being written the magic is "LibvirtQemudPart", so a save that
 * did not finish is never taken for a good image.  The layout is libvirt's
 * (src/qemu/qemu_saveimage.h), so images move between libvirtd and us. */
#pragma once

#include <stdbool.h>
#include <glib.h>

typedef struct {
    guint32 data_len;     /* XML + cookie + padding, after the header */
    bool was_running;
    guint32 format;       /* 0: raw; the others are compressed */
    char *xml;            /* the domain XML */
    char *cookie;         /* libvirt's <cookie> (CPU), or NULL */
} VkSaveImage;

void vk_save_image_free(VkSaveImage *img);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkSaveImage, vk_save_image_free)

/* Open PATH and read its header and XML, with libvirt's errors ("Failed to
 * open file", "failed to read qemu header", "image magic is incorrect",
 * "save image is incomplete"...).  *FD (when not NULL) gets the open file,
 * positioned at the migration stream (the caller closes it).  Compressed
 * images are refused: we write none. */
VkSaveImage *vk_save_image_read(const char *path, int *fd);

/* Create PATH (mode 0600, truncated) and write an incomplete header and
 * XML to it.  The fd, positioned where the migration stream goes, or -1
 * with an error. */
int vk_save_image_create(const char *path, const char *xml, bool was_running);

/* The stream is complete: give the image its real magic. */
int vk_save_image_finish(const char *path);

/* Put XML in place of the image's domain XML (save-image-define), within
 * the room the header gives ("new xml too large to fit in file" else). */
int vk_save_image_update_xml(const char *path, const char *xml);
