#include "drivers/qemu/driver.h"

#include <stdio.h>
#include <string.h>

#include "common/util/error.h"

#define DEFAULT_EMULATOR "/usr/bin/qemu-system-x86_64"

static VkQemuDriver *the_driver;

VkQemuDriver *
vk_qemu_driver(void)
{
    return the_driver;
}

/* The saved definitions become shut-off domains. */
static void
load_domains(VkQemuDriver *driver)
{
    g_autoptr(GPtrArray) defs = vk_domain_store_load_configs(driver->store);

    for (guint i = 0; i < defs->len; i++) {
        VkDomainDef *def = g_ptr_array_index(defs, i);
        bool existed;
        VkDomainObj *obj = vk_domain_list_add(driver->domains, def, &existed);

        if (!obj) {
            g_warning("ignoring the saved definition of '%s': %s", def->name,
                      vk_error_last_message());
            continue;
        }
        defs->pdata[i] = NULL;   /* the object owns it */
        obj->persistent = true;
        obj->autostart = vk_domain_store_get_autostart(driver->store, def->name);
        vk_domain_obj_unref(obj);
    }
}

int
vk_qemu_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driverp)
{
    VkQemuDriver *driver = g_new0(VkQemuDriver, 1);

    driver->paths = vk_paths_new(paths->root);
    driver->emulator = g_strdup(g_getenv("VIRTKIT_QEMU_EMULATOR") ?: DEFAULT_EMULATOR);
    g_mutex_init(&driver->lock);
    driver->domains = vk_domain_list_new();
    driver->store = vk_domain_store_new(driver->paths);
    driver->events = vk_qemu_events_new();
    load_domains(driver);
    the_driver = driver;
    vk_qemu_connect_handlers_register(remote);
    vk_qemu_domain_handlers_register(remote);
    vk_qemu_events_register_handlers(remote);
    *driverp = driver;
    return 0;
}

void
vk_qemu_driver_stop(gpointer data)
{
    VkQemuDriver *driver = data;

    if (the_driver == driver)
        the_driver = NULL;
    vk_domain_list_free(driver->domains);
    vk_domain_store_free(driver->store);
    vk_qemu_events_free(driver->events);
    vk_paths_free(driver->paths);
    g_free(driver->emulator);
    g_mutex_clear(&driver->lock);
    g_free(driver);
}

/* "QEMU emulator version 7.2.22 (Debian ...)" -> 7002022 */
static int
probe_version(const char *emulator, unsigned long long *version)
{
    const char *argv[] = { emulator, "--version", NULL };
    g_autofree char *out = NULL;
    g_autoptr(GError) gerr = NULL;
    unsigned int major, minor, micro = 0;
    const char *at;
    int status;

    if (!g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      &out, NULL, &status, &gerr) || !g_spawn_check_wait_status(status, NULL)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot run '%s --version': %s", emulator,
                        gerr ? gerr->message : "non-zero exit status");
        return -1;
    }
    at = strstr(out, "version ");
    if (!at || sscanf(at, "version %u.%u.%u", &major, &minor, &micro) < 2) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "cannot parse the version of '%s' from '%s'", emulator, out);
        return -1;
    }
    *version = major * 1000000ULL + minor * 1000ULL + micro;
    return 0;
}

int
vk_qemu_driver_get_version(VkQemuDriver *driver, unsigned long long *version)
{
    int rc = 0;

    g_mutex_lock(&driver->lock);
    if (driver->qemu_version == 0)
        rc = probe_version(driver->emulator, &driver->qemu_version);
    *version = driver->qemu_version;
    g_mutex_unlock(&driver->lock);
    return rc;
}
