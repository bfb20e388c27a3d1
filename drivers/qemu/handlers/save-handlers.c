/* Procedures: save, restore, managedsave, managedsave-remove,
 * managedsave-dumpxml/-define, save-image-dumpxml/-define.  What clients
 * see (events, states, errors) follows libvirt 9.0. */
#include "drivers/qemu/handlers/handlers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "common/conf/domain-xml.h"
#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/save-image.h"
#include "drivers/qemu/core/save-restore.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

static int
save(const remote_nonnull_domain *ref, const char *path, const char *dxml, unsigned int flags)
{
    VkDomainObj *obj = vk_qemu_domain_begin(ref);

    if (!obj)
        return -1;
    return vk_qemu_domain_end(obj, vk_qemu_save_domain(obj, path, dxml, flags));
}

static int
domain_save(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_save_args *args = argsp;

    return save(&args->dom, args->to, NULL, 0);
}

static int
domain_save_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_save_flags_args *args = argsp;

    return save(&args->dom, args->to, args->dxml ? *args->dxml : NULL, args->flags);
}

static int
domain_restore(VkServerClient *client, void *argsp, void *retp)
{
    return vk_qemu_restore_image(((remote_domain_restore_args *) argsp)->from, NULL, 0);
}

static int
domain_restore_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_restore_flags_args *args = argsp;

    return vk_qemu_restore_image(args->from, args->dxml ? *args->dxml : NULL, args->flags);
}

static int
domain_managed_save(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_managed_save_args *args = argsp;
    VkDomainObj *obj = vk_qemu_domain_begin(&args->dom);
    g_autofree char *path = NULL;
    g_autofree char *dir = NULL;

    if (!obj)
        return -1;
    if (!vk_qemu_process_monitor(obj))
        return vk_qemu_domain_end(obj, -1);
    if (!obj->persistent) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cannot do managed save for transient domain");
        return vk_qemu_domain_end(obj, -1);
    }
    path = vk_qemu_managed_save_path(obj->def->name);
    dir = g_path_get_dirname(path);
    if (vk_file_make_dirs(dir, 0755) < 0)
        return vk_qemu_domain_end(obj, -1);
    return vk_qemu_domain_end(obj, vk_qemu_save_domain(obj, path, NULL, args->flags));
}

/* Remove OBJ's (locked) managed save image; none is fine. */
static int
domain_managed_save_remove(VkServerClient *client, void *argsp, void *retp)
{
    VkDomainObj *obj =
        vk_qemu_domain_begin(&((remote_domain_managed_save_remove_args *) argsp)->dom);

    if (!obj)
        return -1;
    return vk_qemu_domain_end(obj, vk_qemu_managed_save_remove(obj));
}

/* ---------------------------------------------------------------------
 * The XML inside images
 * ------------------------------------------------------------------- */

/* The definition in the image at PATH, formatted as a config; its
 * passwords only when FLAGS have VIR_DOMAIN_SAVE_IMAGE_XML_SECURE. */
static char *
image_xml(const char *path, unsigned int flags)
{
    g_autoptr(VkSaveImage) img = vk_save_image_read(path, NULL);
    g_autoptr(VkDomainDef) def = NULL;

    if (!img || !(def = vk_domain_def_parse_string(img->xml, VK_DOMAIN_PARSE_INACTIVE)))
        return NULL;
    return vk_domain_def_format(def, VK_DOMAIN_FORMAT_INACTIVE |
                                         ((flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE)
                                              ? VK_DOMAIN_FORMAT_SECURE : 0));
}

/* Replace the definition in the image at PATH with DXML (same guest). */
static int
define_image_xml(const char *path, const char *dxml)
{
    g_autoptr(VkSaveImage) img = vk_save_image_read(path, NULL);
    g_autoptr(VkDomainDef) old_def = NULL;
    g_autoptr(VkDomainDef) new_def = NULL;
    g_autofree char *xml = NULL;

    if (!img || !(old_def = vk_domain_def_parse_string(img->xml, VK_DOMAIN_PARSE_INACTIVE)) ||
        !(new_def = vk_qemu_save_replacement_def(old_def, dxml)) ||
        !(xml = vk_domain_def_format(new_def, VK_DOMAIN_FORMAT_INACTIVE | VK_DOMAIN_FORMAT_SECURE)))
        return -1;
    return vk_save_image_update_xml(path, xml);
}

static int
reply_xml(char *xml, char **out)
{
    if (!xml)
        return -1;
    *out = strdup(xml);
    g_free(xml);
    return 0;
}

static int
domain_save_image_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_save_image_get_xml_desc_args *args = argsp;

    return reply_xml(image_xml(args->file, args->flags),
                     &((remote_domain_save_image_get_xml_desc_ret *) retp)->xml);
}

static int
domain_save_image_define_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_save_image_define_xml_args *args = argsp;

    return define_image_xml(args->file, args->dxml);
}

/* The path of the managed save image of the domain REF names, or NULL
 * with libvirt's error when it has none. */
static char *
managed_image_path(const remote_nonnull_domain *ref)
{
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(ref);
    char *path = NULL;

    if (!obj)
        return NULL;
    vk_domain_obj_lock(obj);
    if (vk_qemu_has_managed_save(obj))
        path = vk_qemu_managed_save_path(obj->def->name);
    else
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID,
                        "domain does not have managed save image");
    vk_domain_obj_unlock(obj);
    return path;
}

static int
domain_managed_save_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_managed_save_get_xml_desc_args *args = argsp;
    g_autofree char *path = NULL;

    if (vk_qemu_check_secure(client, args->flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE,
                             "virDomainManagedSaveGetXMLDesc") < 0)
        return -1;
    path = managed_image_path(&args->dom);
    return path ? reply_xml(image_xml(path, args->flags),
                            &((remote_domain_managed_save_get_xml_desc_ret *) retp)->xml)
                : -1;
}

static int
domain_managed_save_define_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_managed_save_define_xml_args *args = argsp;
    g_autofree char *path = managed_image_path(&args->dom);

    return path ? define_image_xml(path, args->dxml ? *args->dxml : "") : -1;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_SAVE, domain_save },
    { REMOTE_PROC_DOMAIN_SAVE_FLAGS, domain_save_flags },
    { REMOTE_PROC_DOMAIN_RESTORE, domain_restore },
    { REMOTE_PROC_DOMAIN_RESTORE_FLAGS, domain_restore_flags },
    { REMOTE_PROC_DOMAIN_MANAGED_SAVE, domain_managed_save },
    { REMOTE_PROC_DOMAIN_MANAGED_SAVE_REMOVE, domain_managed_save_remove },
    { REMOTE_PROC_DOMAIN_MANAGED_SAVE_GET_XML_DESC, domain_managed_save_get_xml_desc },
    { REMOTE_PROC_DOMAIN_MANAGED_SAVE_DEFINE_XML, domain_managed_save_define_xml },
    { REMOTE_PROC_DOMAIN_SAVE_IMAGE_GET_XML_DESC, domain_save_image_get_xml_desc },
    { REMOTE_PROC_DOMAIN_SAVE_IMAGE_DEFINE_XML, domain_save_image_define_xml },
};

void
vk_qemu_save_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}

