#include "drivers/nodedev/core/nodedev-udev.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib-unix.h>

#include "common/util/error.h"
#include "drivers/nodedev/core/nodedev-events.h"
#include "drivers/nodedev/core/nodedev-obj.h"
#include "drivers/nodedev/core/udev-device.h"

/* libvirt skips subsystems that hold no node devices */
static const char *const skipped_subsystems[] = { "acpi", "tty", "vc", "i2c" };

/* The nearest ancestor of DEF's sysfs path that is a node device, else the
 * computer (libvirt's udevSetParent).  Driver lock held. */
static char *
find_parent(VkNodeDevDriver *driver, const char *syspath)
{
    g_autofree char *path = g_strdup(syspath);
    char *slash;

    while ((slash = strrchr(path, '/')) && slash != path) {
        const char *name;

        *slash = '\0';
        if ((name = g_hash_table_lookup(driver->by_syspath, path)))
            return g_strdup(name);
    }
    return g_strdup("computer");
}

typedef enum { CHANGE_NONE, CHANGE_CREATED, CHANGE_UPDATED } Change;

/* List DEF (taken), or replace the definition of the device of its name.
 * Driver lock held. */
static Change
place(VkNodeDevDriver *driver, VkNodeDeviceDef *def)
{
    VkNodeDevObj *obj = vk_nodedev_list_find(driver->devices, def->name);
    char *syspath = g_strdup(def->sysfs_path);
    char *name = g_strdup(def->name);
    Change change = CHANGE_UPDATED;

    def->parent = find_parent(driver, def->sysfs_path);
    if (obj) {
        vk_object_lock(&obj->parent);
        vk_node_device_def_free(obj->def);
        obj->def = def;
        obj->active = true;
        vk_object_unlock(&obj->parent);
    } else if ((obj = vk_nodedev_list_add(driver->devices, def))) {
        change = CHANGE_CREATED;
    } else {
        vk_node_device_def_free(def);
        g_free(syspath);
        g_free(name);
        return CHANGE_NONE;
    }
    vk_nodedev_obj_unref(obj);
    g_hash_table_replace(driver->by_syspath, syspath, name);
    return change;
}

static void
announce(VkNodeDevDriver *driver, const char *name, Change change)
{
    if (change == CHANGE_CREATED)
        vk_nodedev_event_lifecycle(driver->events, name, VK_NODEDEV_EVENT_CREATED);
    else if (change == CHANGE_UPDATED)
        vk_nodedev_event_update(driver->events, name);
}

/* The device DEV as a definition with its PCI names, or NULL. */
static VkNodeDeviceDef *
read_device(struct udev_device *dev)
{
    VkNodeDeviceDef *def = vk_udev_device_to_def(dev);

    if (def)
        vk_udev_device_name_pci_ids(&def, 1);
    vk_error_reset();
    return def;
}

static char *
add_device(VkNodeDevDriver *driver, struct udev_device *dev)
{
    VkNodeDeviceDef *def = read_device(dev);
    char *name;
    Change change;

    if (!def)
        return NULL;
    name = g_strdup(def->name);
    g_mutex_lock(&driver->lock);
    change = place(driver, def);
    g_mutex_unlock(&driver->lock);
    announce(driver, name, change);
    return name;
}

static void
remove_device(VkNodeDevDriver *driver, const char *syspath)
{
    g_autofree char *name = NULL;
    VkNodeDevObj *obj;

    g_mutex_lock(&driver->lock);
    name = g_strdup(g_hash_table_lookup(driver->by_syspath, syspath));
    g_hash_table_remove(driver->by_syspath, syspath);
    obj = name ? vk_nodedev_list_find(driver->devices, name) : NULL;
    if (obj) {
        vk_object_lock(&obj->parent);
        if (obj->persistent) {
            obj->active = false;     /* a defined mdev stays, inactive */
            g_clear_pointer(&obj->def->sysfs_path, g_free);
        } else {
            vk_object_list_remove(driver->devices, &obj->parent);
        }
        vk_object_unlock(&obj->parent);
        vk_nodedev_obj_unref(obj);
    }
    g_mutex_unlock(&driver->lock);
    if (obj)
        vk_nodedev_event_lifecycle(driver->events, name, VK_NODEDEV_EVENT_DELETED);
}

char *
vk_nodedev_udev_add_syspath(VkNodeDevDriver *driver, const char *syspath)
{
    struct udev_device *dev = udev_device_new_from_syspath(driver->udev, syspath);
    char *name;

    if (!dev)
        return NULL;
    name = add_device(driver, dev);
    udev_device_unref(dev);
    return name;
}

void
vk_nodedev_udev_remove_syspath(VkNodeDevDriver *driver, const char *syspath)
{
    remove_device(driver, syspath);
}

static gboolean
on_uevent(gint fd, GIOCondition cond, gpointer data)
{
    VkNodeDevDriver *driver = data;
    struct udev_device *dev;

    while ((dev = udev_monitor_receive_device(driver->monitor))) {
        const char *action = udev_device_get_action(dev);
        const char *old = udev_device_get_property_value(dev, "DEVPATH_OLD");

        if (g_strcmp0(action, "remove") == 0) {
            remove_device(driver, udev_device_get_syspath(dev));
        } else if (g_strcmp0(action, "add") == 0 || g_strcmp0(action, "change") == 0 ||
                   g_strcmp0(action, "move") == 0) {
            if (old) {   /* a rename: the old name goes */
                g_autofree char *oldpath = g_strconcat("/sys", old, NULL);
                remove_device(driver, oldpath);
            }
            g_free(add_device(driver, dev));
        }
        udev_device_unref(dev);
    }
    return G_SOURCE_CONTINUE;
}

static gint
cmp_path(gconstpointer a, gconstpointer b)
{
    const VkNodeDeviceDef *x = *(VkNodeDeviceDef *const *) a;
    const VkNodeDeviceDef *y = *(VkNodeDeviceDef *const *) b;

    return strcmp(x->sysfs_path, y->sysfs_path);
}

/* Every device, parents before children so that each finds its parent. */
static void
enumerate(VkNodeDevDriver *driver)
{
    struct udev_enumerate *en = udev_enumerate_new(driver->udev);
    g_autoptr(GPtrArray) defs = g_ptr_array_new();
    struct udev_list_entry *e;

    for (guint i = 0; i < G_N_ELEMENTS(skipped_subsystems); i++)
        udev_enumerate_add_nomatch_subsystem(en, skipped_subsystems[i]);
    udev_enumerate_scan_devices(en);
    udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
        struct udev_device *dev = udev_device_new_from_syspath(driver->udev,
                                                               udev_list_entry_get_name(e));
        VkNodeDeviceDef *def = dev ? vk_udev_device_to_def(dev) : NULL;

        if (def)
            g_ptr_array_add(defs, def);
        if (dev)
            udev_device_unref(dev);
        vk_error_reset();
    }
    udev_enumerate_unref(en);
    vk_udev_device_name_pci_ids((VkNodeDeviceDef **) defs->pdata, defs->len);
    g_ptr_array_sort(defs, cmp_path);
    g_mutex_lock(&driver->lock);
    for (guint i = 0; i < defs->len; i++)
        place(driver, g_ptr_array_index(defs, i));
    g_mutex_unlock(&driver->lock);
}

static void
add_computer(VkNodeDevDriver *driver)
{
    VkNodeDevObj *obj = vk_nodedev_list_add(driver->devices, vk_udev_device_computer(driver->udev));

    obj->persistent = true;
    obj->autostart = true;
    vk_nodedev_obj_unref(obj);
}

static void
start_monitor(VkNodeDevDriver *driver)
{
    driver->monitor = udev_monitor_new_from_netlink(driver->udev, "kernel");
    if (!driver->monitor || udev_monitor_enable_receiving(driver->monitor) < 0) {
        g_warning("no uevent monitor: device changes will not be seen");
        g_clear_pointer(&driver->monitor, udev_monitor_unref);
        return;
    }
    /* a burst of uevents (a module load) must not overflow the socket */
    udev_monitor_set_receive_buffer_size(driver->monitor, 8 * 1024 * 1024);
    driver->monitor_source = g_unix_fd_add(udev_monitor_get_fd(driver->monitor), G_IO_IN,
                                           on_uevent, driver);
}

int
vk_nodedev_udev_start(VkNodeDevDriver *driver)
{
    if (!(driver->udev = udev_new())) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR, "%s",
                        "failed to create udev context");
        return -1;
    }
    driver->by_syspath = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    /* the monitor first, so nothing that changes during enumeration is lost */
    start_monitor(driver);
    add_computer(driver);
    enumerate(driver);
#ifdef __GLIBC__
    /* the scan's hundreds of udev devices are gone: give their heap back */
    malloc_trim(0);
#endif
    return 0;
}

void
vk_nodedev_udev_stop(VkNodeDevDriver *driver)
{
    if (driver->monitor_source)
        g_source_remove(driver->monitor_source);
    g_clear_pointer(&driver->monitor, udev_monitor_unref);
    g_clear_pointer(&driver->udev, udev_unref);
    g_clear_pointer(&driver->by_syspath, g_hash_table_destroy);
}
