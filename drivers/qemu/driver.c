#include "drivers/qemu/driver.h"

#include "common/driver/object-place.h"
#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/core/console.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "drivers/qemu/core/graphics-ports.h"
#include "drivers/qemu/core/hotplug.h"
#include "drivers/qemu/core/monitor-events.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/core/save-restore.h"
#include "drivers/qemu/handlers/handlers.h"
#include "drivers/qemu/security/dac-domain.h"

#define DEFAULT_EMULATOR "/usr/bin/qemu-system-x86_64"

static VkQemuDriver *the_driver;

VkQemuDriver *
vk_qemu_driver(void)
{
    return the_driver;
}

/* A daemon killed while it saved a file left the temp file behind; no
 * write can be under way before the driver starts. */
static void
remove_stale_temps(VkQemuDriver *driver)
{
    g_autofree char *snapshots =
        vk_paths_prefix(driver->paths, "/var/lib/libvirt/qemu/snapshot");

    vk_store_remove_stale_temps(driver->store);
    vk_file_remove_stale_temps(snapshots, ".xml", TRUE);
    vk_file_remove_stale_temps(driver->caps_cache_dir, ".json", FALSE);
}

/* A saved definition is a persistent, shut-off domain. */
static void
mark_saved(VkObject *parent, gpointer store)
{
    VkDomainObj *obj = (VkDomainObj *) parent;

    obj->persistent = true;
    obj->autostart = vk_store_get_autostart(store, parent->name);
}

static VkObject *
list_add(VkObjectList *list, gpointer def, bool *existed)
{
    return (VkObject *) vk_domain_list_add(list, def, existed);
}

static void
load_domains(VkQemuDriver *driver)
{
    g_autoptr(GPtrArray) defs = vk_domain_store_load_configs(driver->store);

    vk_object_list_add_saved(driver->domains, defs, list_add, mark_saved, driver->store);
}

/* Guests marked autostart that do not run yet are started in the
 * background, so that the daemon answers clients meanwhile. */
static gpointer
autostart_thread(gpointer data)
{
    g_autoptr(GPtrArray) all = data;

    for (guint i = 0; i < all->len; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);
        vk_domain_obj_lock(obj);
        vk_domain_obj_begin_internal_job(obj);
        if (obj->autostart && !obj->parent.removed && !vk_domain_obj_is_active(obj) &&
            vk_qemu_domain_boot(obj, false) < 0)
            g_warning("autostart of '%s' failed: %s", obj->def->name, vk_error_last_message());
        vk_error_reset();
        vk_domain_obj_end_job(obj);
        vk_domain_obj_unlock(obj);
    }
    return NULL;
}

static void
start_autostart_domains(VkQemuDriver *driver)
{
    GPtrArray *all = vk_object_list_snapshot(driver->domains);
    bool any = false;

    for (guint i = 0; i < all->len; i++)
        any |= ((VkDomainObj *) g_ptr_array_index(all, i))->autostart;
    if (any)
        g_thread_unref(g_thread_new("autostart", autostart_thread, all));
    else
        g_ptr_array_unref(all);
}

gboolean
vk_qemu_driver_busy(gpointer driver)
{
    return vk_qemu_process_any_running();
}

int
vk_qemu_driver_start(VkRpcProgram *remote, const VkPaths *paths, gpointer *driverp)
{
    VkQemuDriver *driver;
    VkDacConfig *dac = vk_dac_config_load(paths);

    if (!dac || vk_qemu_dac_prepare_state_dir(dac, paths) < 0) {
        vk_dac_config_free(dac);
        return -1;
    }
    driver = g_new0(VkQemuDriver, 1);
    driver->dac = dac;
    driver->paths = vk_paths_copy(paths);
    driver->emulator = g_strdup(g_getenv("VIRTKIT_QEMU_EMULATOR") ?: DEFAULT_EMULATOR);
    g_mutex_init(&driver->lock);
    driver->caps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) vk_qemu_caps_free);
    driver->caps_cache_dir = vk_paths_prefix(driver->paths, "/var/cache/libvirt/qemu/capabilities");
    driver->domains = vk_object_list_new();
    driver->pci_users = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    driver->store = vk_domain_store_new(driver->paths);
    driver->cgroups = vk_qemu_cgroup_layout_new(driver->paths);
    driver->events = vk_qemu_events_new();
    driver->unplugs = vk_qemu_unplugs_new();
    driver->consoles = vk_qemu_consoles_new();
    driver->ports = vk_qemu_ports_new();
    driver->networkd = vk_daemon_link_new(driver->paths, "virtnetworkd", "network");
    driver->storaged = vk_daemon_link_new(driver->paths, "virtstoraged", "storage");
    remove_stale_temps(driver);
    load_domains(driver);
    the_driver = driver;
    vk_qemu_monitor_events_init(driver);
    vk_qemu_process_reconnect_all();
    start_autostart_domains(driver);
    vk_qemu_connect_handlers_register(remote);
    vk_qemu_cpu_handlers_register(remote);
    vk_qemu_domain_handlers_register(remote);
    vk_qemu_lifecycle_handlers_register(remote);
    vk_qemu_device_handlers_register(remote);
    vk_qemu_console_handlers_register(remote);
    vk_qemu_block_handlers_register(remote);
    vk_qemu_block_job_handlers_register(remote);
    vk_qemu_iotune_handlers_register(remote);
    vk_qemu_job_handlers_register(remote);
    vk_qemu_guest_address_handlers_register(remote);
    vk_qemu_agent_handlers_register(remote);
    vk_qemu_guest_info_handlers_register(remote);
    vk_qemu_guestinfo_handlers_register(remote);
    vk_qemu_input_handlers_register(remote);
    vk_qemu_screenshot_handlers_register(remote);
    vk_qemu_tuning_handlers_register(remote);
    vk_qemu_sched_handlers_register(remote);
    vk_qemu_memtune_handlers_register(remote);
    vk_qemu_cpu_stats_handlers_register(remote);
    vk_qemu_pin_handlers_register(remote);
    vk_qemu_blkio_handlers_register(remote);
    vk_qemu_numa_handlers_register(remote);
    vk_qemu_metadata_handlers_register(remote);
    vk_qemu_nodedev_handlers_register(remote);
    vk_qemu_stats_handlers_register(remote);
    vk_qemu_save_handlers_register(remote);
    vk_qemu_snapshot_handlers_register(remote);
    vk_qemu_event_handlers_register(remote);
    vk_qemu_balloon_handlers_register(remote);
    vk_qemu_iothread_handlers_register(remote);
    *driverp = driver;
    return 0;
}

void
vk_qemu_driver_stop(gpointer data)
{
    VkQemuDriver *driver = data;

    /* Guests keep running: a restarted daemon reconnects to them.  Their
     * monitors close first, so that no event arrives while the driver goes;
     * those already queued are handled before it does. */
    vk_qemu_process_detach_all();
    g_thread_pool_free(driver->monitor_events, FALSE, TRUE);
    vk_qemu_unplugs_free(driver->unplugs);   /* after the events that feed it */
    vk_qemu_process_forget_all();
    if (the_driver == driver)
        the_driver = NULL;
    vk_object_list_free(driver->domains);
    vk_store_free(driver->store);
    vk_event_registry_free(driver->events);
    vk_qemu_consoles_free(driver->consoles);
    vk_qemu_ports_free(driver->ports);
    vk_daemon_link_free(driver->networkd);
    vk_daemon_link_free(driver->storaged);
    vk_paths_free(driver->paths);
    vk_dac_config_free(driver->dac);
    g_free(driver->emulator);
    g_free(driver->caps_cache_dir);
    g_hash_table_destroy(driver->caps);
    g_hash_table_destroy(driver->pci_users);
    vk_host_caps_free(driver->host);
    vk_cpu_map_free(driver->cpu_map);
    vk_cgroup_layout_free(driver->cgroups);
    g_mutex_clear(&driver->lock);
    g_free(driver);
}

const VkQemuCaps *
vk_qemu_driver_get_caps(VkQemuDriver *driver, const char *binary)
{
    VkQemuCaps *caps;

    if (!binary)
        binary = driver->emulator;
    g_mutex_lock(&driver->lock);
    caps = g_hash_table_lookup(driver->caps, binary);
    if (!caps && (caps = vk_qemu_caps_get(binary, driver->caps_cache_dir)))
        g_hash_table_insert(driver->caps, g_strdup(binary), caps);
    g_mutex_unlock(&driver->lock);
    return caps;
}

const VkHostCaps *
vk_qemu_driver_get_host(VkQemuDriver *driver)
{
    const VkHostCaps *host;

    g_mutex_lock(&driver->lock);
    if (!driver->host && (driver->host = vk_host_caps_read(NULL, NULL, NULL))) {
        /* the DAC secmodel's base label: who QEMU runs as */
        g_free(driver->host->dac_label);
        driver->host->dac_label = vk_dac_config_label(driver->dac);
    }
    host = driver->host;
    g_mutex_unlock(&driver->lock);
    return host;
}

const VkCpuMap *
vk_qemu_driver_get_cpu_map(VkQemuDriver *driver)
{
    const VkCpuMap *map;

    g_mutex_lock(&driver->lock);
    if (!driver->cpu_map)
        driver->cpu_map = vk_cpu_map_load(NULL);
    map = driver->cpu_map;
    g_mutex_unlock(&driver->lock);
    if (!map)
        vk_error_report(VIR_FROM_CPU, VIR_ERR_INTERNAL_ERROR,
                        "cannot read libvirt's CPU map in %s", VK_CPU_MAP_DIR);
    return map;
}
