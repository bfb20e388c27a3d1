/* A guest's state to a libvirt save image (save-image.h) and back, through
 * QEMU's migration to a file descriptor and -incoming defer with
 * migrate-incoming; managed save (one image per persistent guest, used by
 * its next start); and starting a guest as virsh start does. */
#pragma once

#include <stdbool.h>

#include "drivers/qemu/core/domain-obj.h"

/* Save the running OBJ (locked, with the job) to PATH, with DXML (may be
 * NULL) as the definition in the image; FLAGS: virDomainSaveRestoreFlags.
 * The guest stops once its state is written; libvirt's events. */
int vk_qemu_save_domain(VkDomainObj *obj, const char *path, const char *dxml,
                        unsigned int flags);

/* Bring back the guest saved at PATH (DXML may replace its definition). */
int vk_qemu_restore_image(const char *path, const char *dxml, unsigned int flags);

/* IMAGE_DEF with DXML (a definition of the same guest) put in its place,
 * or NULL with libvirt's error. */
VkDomainDef *vk_qemu_save_replacement_def(const VkDomainDef *image_def, const char *dxml);

/* Where NAME's managed save image lives (ROOT/var/lib/libvirt/qemu/save/NAME.save). */
char *vk_qemu_managed_save_path(const char *name);

/* Whether OBJ (locked) has a managed save image. */
bool vk_qemu_has_managed_save(VkDomainObj *obj);

/* Start OBJ (locked, with the job) from its managed save image, which is
 * removed once the guest runs.  1 when it has none (boot it instead), 0
 * when it runs, -1 with an error. */
int vk_qemu_managed_save_start(VkDomainObj *obj, bool paused);

/* Remove OBJ's (locked) managed save image; none is fine. */
int vk_qemu_managed_save_remove(VkDomainObj *obj);

/* Undefine of OBJ (locked): with a managed save image, refused as libvirt
 * does unless REMOVE (VIR_DOMAIN_UNDEFINE_MANAGED_SAVE), which removes it. */
int vk_qemu_managed_save_check_undefine(VkDomainObj *obj, bool remove);

/* Start the shut-off OBJ (locked, with the job) as virsh start does: from
 * its managed save image when it has one, else booting.  0 or -1 with an
 * error. */
int vk_qemu_domain_boot(VkDomainObj *obj, bool paused);
