#include "drivers/qemu/core/balloon-period.h"
#include "drivers/qemu/core/guest-cpu.h"
#include "drivers/qemu/core/guest-agent.h"
#include "drivers/qemu/core/process.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/conf/disk-shareable.h"
#include "drivers/qemu/monitor/command-line.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/domain-cgroup.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/graphics-ports.h"
#include "drivers/qemu/core/host-pci.h"
#include "drivers/qemu/core/firmware-select.h"
#include "drivers/qemu/core/network-ports.h"
#include "drivers/qemu/core/storage-volumes.h"
#include "drivers/qemu/core/domain-stats.h"
#include "drivers/qemu/core/block-chain.h"
#include "drivers/qemu/core/block-job.h"
#include "drivers/qemu/core/monitor-events.h"
#include "drivers/qemu/core/taint.h"
#include "drivers/qemu/security/dac-access.h"
#include "drivers/qemu/security/dac-seclabel.h"
#include "drivers/qemu/security/dac-domain.h"
#include "common/host/bridge-helper.h"
#include "common/host/tap.h"

#define MONITOR_TIMEOUT_MS 30000
#define RECONNECT_TIMEOUT_MS 3000

/* ---------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------- */

/* A process exists and is not a zombie.  QEMU is not our child (it is
 * spawned through an intermediate process), so /proc is the way to ask. */
static bool
pid_alive(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int) pid);
    g_autofree char *stat = NULL;
    const char *end;

    if (pid <= 0 || !g_file_get_contents(path, &stat, NULL, NULL))
        return false;
    end = strrchr(stat, ')');
    return end && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X';
}

/* Whether PID runs a QEMU binary (so a recycled pid is not taken for it). */
static bool
pid_is_qemu(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int) pid);
    g_autofree char *cmdline = NULL;

    return pid_alive(pid) && g_file_get_contents(path, &cmdline, NULL, NULL) &&
           strstr(cmdline, "qemu") != NULL;
}

static void
wait_gone(pid_t pid, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms && pid_alive(pid); waited += 10)
        g_usleep(10 * 1000);
}

/* SIGTERM, then SIGKILL when QEMU does not go within a few seconds. */
static void
kill_qemu(pid_t pid)
{
    if (!pid_alive(pid))
        return;
    kill(pid, SIGTERM);
    wait_gone(pid, 5000);
    if (pid_alive(pid)) {
        g_warning("QEMU pid %d ignored SIGTERM: killing it", (int) pid);
        kill(pid, SIGKILL);
        wait_gone(pid, 5000);
    }
}

static void
remove_tree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *entry;

    while (d && (entry = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, entry, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            remove_tree(path);
        else
            g_unlink(path);
    }
    g_rmdir(dir);
}

char *
vk_qemu_process_log_path(const char *name)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autofree char *dir = vk_paths_prefix(driver->paths, "/var/log/libvirt/qemu");
    g_autofree char *file = g_strconcat(name, ".log", NULL);
    return g_build_filename(dir, file, NULL);
}

/* What QEMU wrote to its log since OFFSET, for an error message. */
static char *
log_since(const char *path, goffset offset)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &text, &len, NULL) || (gsize) offset >= len)
        return g_strdup("");
    return g_strstrip(g_strdup(text + offset));
}

static void
runtime_free(VkQemuRuntime *rt)
{
    if (!rt)
        return;
    if (rt->monitor)
        vk_qmp_close(rt->monitor);
    vk_agent_close(rt->agent);
    g_free(rt->monitor_path);
    g_free(rt->priv_dir);
    if (rt->block_jobs)
        g_ptr_array_unref(rt->block_jobs);
    vk_dac_config_free(rt->dac);
    g_free(rt);
}

/* ---------------------------------------------------------------------
 * Status files
 * ------------------------------------------------------------------- */

int
vk_qemu_process_save_status(VkDomainObj *obj)
{
    VkQemuDriver *driver = vk_qemu_driver();
    VkQemuRuntime *rt = obj->runtime;
    g_autofree char *domain_xml = vk_domain_def_format(obj->def, VK_DOMAIN_FORMAT_SECURE |
                                                                 VK_DOMAIN_FORMAT_STATUS |
                                                                 VK_DOMAIN_FORMAT_PRIVATE);
    g_autoptr(GString) xml = g_string_new(NULL);

    if (!domain_xml)
        return -1;
    g_string_append_printf(xml, "<domstatus state='%d' reason='%d' pid='%d' persistent='%s'>\n",
                           obj->state, obj->reason, (int) obj->pid,
                           obj->persistent ? "yes" : "no");
    g_string_append(xml, "  <monitor path='");
    vk_xml_escape_append(xml, rt->monitor_path);
    g_string_append(xml, "'/>\n  <privdir path='");
    vk_xml_escape_append(xml, rt->priv_dir);
    g_string_append(xml, "'/>\n");
    vk_qemu_block_jobs_format(xml, obj);
    vk_qemu_taint_format(rt->taints, xml);
    vk_xml_append_indented(xml, domain_xml, 2);
    g_string_append(xml, "</domstatus>\n");
    return vk_store_save_status(driver->store, obj->def->name, xml->str);
}

typedef struct {
    int state, reason;
    pid_t pid;
    bool persistent;
    char *monitor_path;
    char *priv_dir;
    guint taints;
    VkDomainDef *def;
    xmlDocPtr doc;       /* the whole file, for the parts other modules keep there */
} VkStatus;

static void
status_clear(VkStatus *st)
{
    g_free(st->monitor_path);
    g_free(st->priv_dir);
    vk_domain_def_free(st->def);
    if (st->doc)
        xmlFreeDoc(st->doc);
}

static int
read_status(const char *path, VkStatus *st)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    g_autofree char *state = NULL;
    g_autofree char *reason = NULL;
    g_autofree char *pid = NULL;
    g_autofree char *persistent = NULL;
    int rc = -1;

    memset(st, 0, sizeof(*st));
    if (!root || !xmlStrEqual(root->name, (const xmlChar *) "domstatus"))
        goto out;
    state = vk_xml_prop(root, "state");
    reason = vk_xml_prop(root, "reason");
    pid = vk_xml_prop(root, "pid");
    persistent = vk_xml_prop(root, "persistent");
    st->state = state ? atoi(state) : VK_DOMAIN_RUNNING;
    st->reason = reason ? atoi(reason) : 0;
    st->pid = pid ? atoi(pid) : 0;
    st->persistent = g_strcmp0(persistent, "yes") == 0;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, (const xmlChar *) "monitor")) {
            st->monitor_path = vk_xml_prop(n, "path");
        } else if (xmlStrEqual(n->name, (const xmlChar *) "privdir")) {
            st->priv_dir = vk_xml_prop(n, "path");
        } else if (xmlStrEqual(n->name, (const xmlChar *) "taint")) {
            g_autofree char *flag = vk_xml_prop(n, "flag");
            st->taints |= vk_qemu_taint_from_name(flag);
        } else if (xmlStrEqual(n->name, (const xmlChar *) "domain")) {
            xmlBufferPtr buf = xmlBufferCreate();
            xmlNodeDump(buf, doc, n, 0, 0);
            st->def = vk_domain_def_parse_string((const char *) xmlBufferContent(buf), 0);
            xmlBufferFree(buf);
        }
    }
    rc = st->def && st->monitor_path && st->pid > 0 ? 0 : -1;
    st->doc = g_steal_pointer(&doc);
out:
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}

/* ---------------------------------------------------------------------
 * Start and stop
 * ------------------------------------------------------------------- */

static void
child_setup(gpointer data)
{
    static const char failed[] = "cannot run QEMU as the user of qemu.conf\n";

    /* Its own session: signals meant for the daemon never reach QEMU. */
    setsid();
    if (vk_qemu_dac_drop_privileges(data) < 0) {
        ssize_t ignored = write(STDERR_FILENO, failed, sizeof(failed) - 1);
        (void) ignored;
        _exit(127);
    }
}

static int
spawn_qemu(VkQemuCommand *cmd, const VkDacConfig *dac, int log_fd, GPid *pid)
{
    g_autoptr(GError) gerr = NULL;
    guint n_fds = cmd->pass_fds->len;

    if (!g_spawn_async_with_pipes_and_fds(NULL, (const char *const *) cmd->argv->pdata,
                                          (const char *const *) cmd->env->pdata,
                                          G_SPAWN_DEFAULT, child_setup, (gpointer) dac,
                                          -1, log_fd, log_fd,
                                          (const int *) cmd->pass_fds->data,
                                          (const int *) cmd->pass_fds->data, n_fds,
                                          pid, NULL, NULL, NULL, &gerr)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "cannot start QEMU: %s",
                        gerr->message);
        return -1;
    }
    return 0;
}

/* Undo a start that did not get through. */
void
vk_qemu_process_abort_launch(VkDomainObj *obj)
{
    g_autoptr(VkError) err = vk_error_steal();

    vk_qemu_process_stop(obj, VK_SHUTOFF_FAILED);
    vk_error_set(g_steal_pointer(&err));
}

static void close_taps(GArray *fds);

int
vk_qemu_process_open_bridge_tap(VkDomainNetDef *net)
{
    char *ifname = NULL;
    int fd;

    /* A tap needs CAP_NET_ADMIN: an ordinary user's daemon asks QEMU's
     * setuid bridge helper for one, as libvirt's session daemon does. */
    if (geteuid() != 0) {
        g_autofree char *helper = vk_bridge_helper_find();
        if (!helper) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                            "cannot put a tap on bridge '%s' without privileges: "
                            "qemu-bridge-helper not found", net->src_bridge);
            return -1;
        }
        fd = vk_bridge_helper_tap(helper, net->src_bridge,
                                  g_strcmp0(net->model, "virtio") == 0, &ifname);
    } else {
        fd = vk_tap_create_on_bridge(net->src_bridge, net->mac,
                                     g_strcmp0(net->model, "virtio") == 0, &ifname);
    }
    if (fd < 0)
        return -1;
    g_free(net->target_dev);
    net->target_dev = ifname;
    return fd;
}

/* Taps for the interfaces on host bridges and on virtual networks (on
 * the bridge of their port); QEMU gets their fds. */
static GArray *
open_taps(VkDomainDef *def)
{
    GArray *fds = g_array_new(FALSE, TRUE, sizeof(VkQemuNetFds));

    for (guint i = 0; i < def->nets->len; i++) {
        VkDomainNetDef *net = g_ptr_array_index(def->nets, i);
        VkQemuNetFds f = { .tap_fd = -1, .vhost_fd = -1 };

        VkNetType type = vk_domain_net_actual_type(net);

        if ((type == VK_NET_TYPE_BRIDGE || type == VK_NET_TYPE_NETWORK) &&
            (f.tap_fd = vk_qemu_process_open_bridge_tap(net)) < 0) {
            close_taps(fds);
            return NULL;
        }
        g_array_append_val(fds, f);
    }
    return fds;
}

static void
close_taps(GArray *fds)
{
    for (guint i = 0; fds && i < fds->len; i++) {
        VkQemuNetFds *f = &g_array_index(fds, VkQemuNetFds, i);
        if (f->tap_fd >= 0)
            close(f->tap_fd);
    }
    if (fds)
        g_array_free(fds, TRUE);
}

static bool
kvm_usable(const VkDomainDef *def)
{
    return def->virt_type == VK_VIRT_KVM && access("/dev/kvm", R_OK | W_OK) == 0;
}



void
vk_qemu_process_note_medium(VkDomainDiskDef *disk, guint node)
{
    disk->src_index = node;
    disk->src_no_backing = disk->src_path &&
                           vk_stats_image_has_backing(disk->src_path, disk->driver_type) == 0;
}

/* What the live XML says of each disk's medium and backing chain in QEMU
 * (node numbers: command-line.c for the top images, block-chain.h for
 * the backing ones). */
static int
note_media(VkDomainDef *def)
{
    for (guint i = 0; i < def->disks->len; i++)
        if (vk_qemu_block_chain_probe(g_ptr_array_index(def->disks, i)) < 0)
            return -1;
    for (guint i = 0; i < def->disks->len; i++) {
        VkDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        if (!disk->src_path)
            continue;
        bool known = disk->src_no_backing;
        vk_qemu_process_note_medium(disk, vk_qemu_disk_node_index(def, i));
        disk->src_no_backing = known;
    }
    vk_qemu_block_chain_number(def);
    return 0;
}

int
vk_qemu_process_launch(VkDomainObj *obj, bool incoming, const char *loadvm)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autoptr(VkQemuCommand) cmd = NULL;
    g_autofree char *log = NULL;
    g_autofree char *dir_name = NULL;
    g_autofree char *lib_dir = NULL;
    g_autofree char *line = NULL;
    g_autoptr(VkDacConfig) dac = NULL;
    VkQemuRuntime *rt;
    VkQemuCommandOptions opts = { 0 };
    GArray *taps;
    goffset log_offset;
    GPid pid;
    int log_fd;

    if (vk_domain_obj_is_active(obj)) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "domain is already running");
        return -1;
    }
    /* The live definition is a copy: changes to the config while the guest
     * runs must not reach it, and the other way round. */
    if (obj->persistent) {
        g_autofree char *xml = vk_domain_def_format(obj->def, VK_DOMAIN_FORMAT_INACTIVE |
                                                                      VK_DOMAIN_FORMAT_SECURE |
                                                                      VK_DOMAIN_FORMAT_PRIVATE);
        VkDomainDef *live = xml ? vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE) : NULL;
        if (!live)
            return -1;
        obj->new_def = obj->def;
        obj->def = live;
    }
    /* volumes are found again at each start, as libvirt does; it checks
     * the disks first (as QEMU's user), so that a typo or a directory QEMU
     * cannot enter is reported as such */
    if (vk_qemu_volumes_resolve_all(driver->storaged, obj->def) < 0 ||
        !(dac = vk_qemu_dac_for_domain(driver->dac, obj->def)) ||
        vk_qemu_dac_check_disks(dac, obj->def) < 0 || vk_qemu_firmware_prepare(obj->def) < 0) {
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    vk_domain_list_set_id(driver->domains, obj, vk_object_list_next_id(driver->domains));
    /* The live XML names the devices as QEMU knows them. */
    vk_qemu_name_devices(obj->def);
    vk_disk_shareable_set_cache(obj->def);
    if (note_media(obj->def) < 0) {
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    vk_qemu_dac_add_seclabel(dac, obj->def);

    rt = obj->runtime = g_new0(VkQemuRuntime, 1);
    rt->dac = g_steal_pointer(&dac);
    dir_name = vk_qemu_domain_dir_name(obj->def->id, obj->def->name);
    lib_dir = vk_paths_prefix(driver->paths, "/var/lib/libvirt/qemu");
    rt->priv_dir = g_build_filename(lib_dir, dir_name, NULL);
    rt->monitor_path = g_build_filename(rt->priv_dir, "monitor.sock", NULL);
    log = vk_qemu_process_log_path(obj->def->name);
    g_autofree char *channel_dir = vk_paths_prefix(driver->paths,
                                                   "/var/lib/libvirt/qemu/channel/target");
    if (vk_file_make_dirs(rt->priv_dir, 0750) < 0 ||
        vk_qemu_agent_prepare(obj, channel_dir) < 0) {
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    g_autofree char *log_dir = g_path_get_dirname(log);
    if (vk_file_make_dirs(log_dir, 0755) < 0) {
        vk_qemu_process_abort_launch(obj);
        return -1;
    }

    /* libvirt's order: the network ports first (a hostdev network's port
     * is a VF), then the host devices, the VFs among them */
    if (vk_qemu_ports_allocate(driver->ports, obj->def) < 0 ||
        vk_qemu_networks_acquire_all(driver->networkd, obj->def) < 0 ||
        vk_qemu_hostdevs_prepare(obj) < 0 ||
        vk_qemu_dac_label_domain(rt->dac, obj->def, rt->priv_dir) < 0) {
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    rt->relabeled = true;
    if (!(taps = open_taps(obj->def))) {
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    opts.net_fds = (const VkQemuNetFds *) taps->data;
    opts.n_net_fds = taps->len;
    opts.emulator = obj->def->emulator;
    opts.monitor_path = rt->monitor_path;
    opts.kvm = kvm_usable(obj->def);
    opts.id = obj->def->id;
    opts.priv_dir = rt->priv_dir;
    opts.log_path = log;
    opts.incoming = incoming ? "defer" : NULL;
    opts.loadvm = loadvm;
    cmd = vk_qemu_command_build(obj->def, &opts);
    if (!cmd) {
        close_taps(taps);
        vk_qemu_process_abort_launch(obj);
        return -1;
    }

    log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log_fd < 0) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "cannot open log file '%s'", log);
        close_taps(taps);
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f%z");
    g_autofree char *cmdline = vk_qemu_command_to_string(cmd);
    line = g_strdup_printf("%s: starting up (Virtkit)%s\n%s\n", stamp,
                           opts.kvm ? "" : ", no KVM: TCG", cmdline);
    if (write(log_fd, line, strlen(line)) < 0)
        g_warning("cannot write to '%s': %s", log, g_strerror(errno));
    vk_qemu_taint_check_launch(obj, driver->dac);
    log_offset = lseek(log_fd, 0, SEEK_END);

    int spawned = spawn_qemu(cmd, rt->dac, log_fd, &pid);
    close(log_fd);
    close_taps(taps);   /* QEMU has its own copies now */
    if (spawned < 0) {
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    obj->pid = pid;

    /* QEMU may take a while to come up: others may look at the domain
     * meanwhile (the job keeps changes out). */
    g_autofree char *name = g_strdup(obj->def->name);
    vk_domain_obj_unlock(obj);
    VkQmp *mon = vk_qmp_open(rt->monitor_path, pid, name, MONITOR_TIMEOUT_MS,
                             driver->monitor_callbacks, vk_domain_obj_ref(obj));
    vk_domain_obj_lock(obj);
    rt->monitor = mon;
    if (!rt->monitor) {
        g_autofree char *output = log_since(log, log_offset);
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                        "process exited while connecting to monitor: %s",
                        *output ? output : vk_error_last_message());
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    /* on_reboot destroy: a guest reboot ends the guest (QEMU reports it as
     * a shutdown), as libvirt sets it up. */
    if (obj->def->on_reboot == VK_LIFECYCLE_DESTROY &&
        vk_qemu_process_monitor_command(obj, "set-action", "{\"reboot\":\"shutdown\"}") < 0) {
        vk_qemu_process_abort_launch(obj);
        return -1;
    }
    vk_qemu_balloon_apply_period(obj);
    vk_qemu_guest_cpu_update(obj);
    vk_qemu_agent_attach(obj, VK_AGENT_REASON_DOMAIN_STARTED);
    return 0;
}

VkQemuRuntime *
vk_qemu_process_report_begin(VkDomainObj *obj, VkQmp *monitor)
{
    VkQemuRuntime *rt;

    vk_domain_obj_lock(obj);
    vk_domain_obj_begin_internal_job(obj);
    rt = obj->runtime;
    if (!rt || rt->monitor != monitor || rt->stopping || !vk_domain_obj_is_active(obj))
        return NULL;
    return rt;
}

void
vk_qemu_process_report_end(VkDomainObj *obj)
{
    vk_error_reset();
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
}

void
vk_qemu_process_stop(VkDomainObj *obj, int reason)
{
    VkQemuDriver *driver = vk_qemu_driver();
    VkQemuRuntime *rt = obj->runtime;
    g_autofree char *status = vk_store_status_path(driver->store, obj->def->name);

    if (rt)
        rt->stopping = true;
    if (obj->pid > 0) {
        /* Waiting for QEMU to exit takes up to seconds: not under the lock. */
        vk_domain_obj_unlock(obj);
        kill_qemu(obj->pid);
        vk_domain_obj_lock(obj);
    }
    if (rt && rt->relabeled)
        vk_qemu_dac_restore_domain(rt->dac, obj->def);
    vk_qemu_cgroup_remove(obj);
    if (rt && rt->priv_dir)
        remove_tree(rt->priv_dir);
    vk_qemu_agent_detach(obj);
    runtime_free(rt);
    obj->runtime = NULL;
    obj->pid = 0;
    g_unlink(status);
    if (vk_domain_obj_is_active(obj))
        vk_qemu_ports_release(driver->ports, obj->def);
    /* after QEMU: its tap is gone with it, its host devices are free; the
     * devices go back before their ports (a VF is both) */
    vk_qemu_hostdevs_release(obj);
    vk_qemu_networks_release_all(driver->networkd, obj->def);
    vk_domain_list_set_id(driver->domains, obj, -1);
    if (obj->new_def) {
        vk_domain_def_free(obj->def);
        obj->def = g_steal_pointer(&obj->new_def);
        obj->def->id = -1;
    }
    vk_domain_obj_set_state(obj, VK_DOMAIN_SHUTOFF, reason);
}

int
vk_qemu_process_monitor_command(VkDomainObj *obj, const char *command, const char *args)
{
    VkQmp *mon = vk_qemu_process_monitor(obj);
    int rc;

    if (!mon)
        return -1;
    vk_domain_obj_unlock(obj);
    rc = vk_qmp_execute(mon, command, args, NULL);
    vk_domain_obj_lock(obj);
    return rc;
}

int
vk_qemu_process_monitor_query(VkDomainObj *obj, const char *command, const VkJson *args,
                              VkJson **reply)
{
    VkQmp *mon = vk_qemu_process_monitor(obj);
    int rc;

    if (!mon)
        return -1;
    vk_domain_obj_unlock(obj);
    rc = vk_qmp_execute_node(mon, command, args, reply, NULL);
    vk_domain_obj_lock(obj);
    return rc;
}

const VkDacConfig *
vk_qemu_process_dac(VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;

    return rt && rt->dac ? rt->dac : vk_qemu_driver()->dac;
}

VkQmp *
vk_qemu_process_monitor(VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;

    if (!vk_domain_obj_is_active(obj) || !rt || !rt->monitor) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s",
                        "domain is not running");
        return NULL;
    }
    return rt->monitor;
}

/* ---------------------------------------------------------------------
 * Daemon restart
 * ------------------------------------------------------------------- */

/* Bring one guest back from its status file; false when its QEMU is gone. */
static bool
reconnect(VkQemuDriver *driver, VkStatus *st)
{
    g_autoptr(VkDomainObj) obj = NULL;
    VkQemuRuntime *rt;
    bool existed = false;
    int id = st->def->id;

    if (!pid_is_qemu(st->pid))
        return false;
    obj = vk_domain_list_find_by_name(driver->domains, st->def->name);
    if (obj) {
        vk_domain_obj_lock(obj);
        obj->new_def = obj->def;
        obj->def = g_steal_pointer(&st->def);
        existed = true;
    } else {
        vk_error_reset();
        if (!(obj = vk_domain_list_add(driver->domains, st->def, &existed)))
            return false;
        st->def = NULL;
        vk_domain_obj_lock(obj);
    }
    obj->persistent = existed && st->persistent;
    obj->pid = st->pid;
    rt = obj->runtime = g_new0(VkQemuRuntime, 1);
    rt->monitor_path = g_strdup(st->monitor_path);
    rt->priv_dir = g_strdup(st->priv_dir);
    vk_qemu_block_jobs_parse(obj, xmlDocGetRootElement(st->doc));
    rt->taints = st->taints;
    if (!(rt->dac = vk_qemu_dac_for_domain(driver->dac, obj->def))) {
        g_warning("%s: %s", obj->def->name, vk_error_last_message());
        vk_error_reset();
        rt->dac = vk_dac_config_with_ids(driver->dac, driver->dac->user, driver->dac->group);
    }
    rt->relabeled = true;   /* given back at stop, as when it started */
    vk_qemu_dac_mark_implicit(existed ? obj->new_def : NULL, obj->def);
    vk_domain_list_set_id(driver->domains, obj, id);
    vk_domain_obj_set_state(obj, st->state, st->reason);
    vk_qemu_ports_reserve(driver->ports, obj->def);
    vk_qemu_hostdevs_adopt(obj);
    /* the status file names volumes, not their paths: ask again */
    if (vk_qemu_volumes_resolve_all(driver->storaged, obj->def) < 0) {
        g_warning("%s: cannot find its volumes again: %s", obj->def->name,
                  vk_error_last_message());
        vk_error_reset();
    }
    rt->monitor = vk_qmp_open(rt->monitor_path, st->pid, obj->def->name, RECONNECT_TIMEOUT_MS,
                              driver->monitor_callbacks, vk_domain_obj_ref(obj));
    if (!rt->monitor) {
        g_warning("%s: cannot reconnect to QEMU pid %d: %s", obj->def->name, (int) st->pid,
                  vk_error_last_message());
        rt->stopping = true;
        vk_qemu_process_stop(obj, VK_SHUTOFF_CRASHED);
        bool transient = !obj->persistent;
        vk_domain_obj_unlock(obj);
        if (transient)
            vk_domain_list_remove(driver->domains, obj);
        return true;
    }
    g_info("%s: reconnected to QEMU pid %d", obj->def->name, (int) st->pid);
    if (rt->block_jobs && rt->block_jobs->len)
        vk_qemu_monitor_events_check_block_jobs(obj, rt->monitor);
    vk_qemu_agent_attach(obj, VK_AGENT_REASON_UNKNOWN);
    vk_domain_obj_unlock(obj);
    return true;
}

void
vk_qemu_process_reconnect_all(void)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autoptr(GPtrArray) paths = vk_store_status_files(driver->store);

    for (guint i = 0; i < paths->len; i++) {
        const char *path = g_ptr_array_index(paths, i);
        VkStatus st;

        if (read_status(path, &st) < 0) {
            g_warning("ignoring the unreadable status file '%s'", path);
            g_unlink(path);
            status_clear(&st);
            continue;
        }
        if (!reconnect(driver, &st)) {
            /* QEMU died while we were away: a persistent guest is shown shut
             * off (crashed); a transient one is gone. */
            g_autoptr(VkDomainObj) obj = NULL;
            g_info("%s: QEMU pid %d is gone", st.def ? st.def->name : path, (int) st.pid);
            if (st.def && (obj = vk_domain_list_find_by_name(driver->domains, st.def->name))) {
                vk_domain_obj_lock(obj);
                vk_domain_obj_set_state(obj, VK_DOMAIN_SHUTOFF, VK_SHUTOFF_CRASHED);
                vk_domain_obj_unlock(obj);
            }
            vk_error_reset();
            if (st.def)
                vk_qemu_networks_release_all(driver->networkd, st.def);
            if (st.priv_dir)
                remove_tree(st.priv_dir);
            g_unlink(path);
        }
        status_clear(&st);
    }
}

void
vk_qemu_process_detach_all(void)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_qemu_driver()->domains);

    for (guint i = 0; i < all->len; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);
        VkQemuRuntime *rt;

        vk_domain_obj_lock(obj);
        rt = obj->runtime;
        if (rt && rt->monitor)
            g_clear_pointer(&rt->monitor, vk_qmp_close);
        vk_domain_obj_unlock(obj);
    }
}

void
vk_qemu_process_forget_all(void)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_qemu_driver()->domains);

    for (guint i = 0; i < all->len; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);

        vk_domain_obj_lock(obj);
        g_clear_pointer(&obj->runtime, runtime_free);
        vk_domain_obj_unlock(obj);
    }
}

bool
vk_qemu_process_any_running(void)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_qemu_driver()->domains);
    bool running = false;

    for (guint i = 0; i < all->len && !running; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);
        vk_domain_obj_lock(obj);
        running = vk_domain_obj_is_active(obj);
        vk_domain_obj_unlock(obj);
    }
    return running;
}
