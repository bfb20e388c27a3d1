/* Block job records, their ends and the status file (block-job.h); what a
 * concluded job does to its disk is in block-job-finish.c. */
#include "drivers/qemu/core/block-job.h"

#include <libxml/tree.h>
#include <stdlib.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/block-job-events.h"
#include "drivers/qemu/core/block-job-finish.h"
#include "drivers/qemu/core/process.h"
#include "virtkit/virtkit.h"

/* How long a cancel or complete may take before we give up waiting. */
#define END_WAIT_MS 30000
#define END_POLL_MS 20

void
vk_qemu_block_job_free(VkQemuBlockJob *job)
{
    if (!job)
        return;
    g_free(job->disk);
    g_free(job->id);
    g_free(job);
}

static GPtrArray *
jobs_of(VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;

    if (!rt)
        return NULL;
    if (!rt->block_jobs)
        rt->block_jobs = g_ptr_array_new_with_free_func((GDestroyNotify) vk_qemu_block_job_free);
    return rt->block_jobs;
}

VkQemuBlockJob *
vk_qemu_block_job_find(VkDomainObj *obj, const char *disk)
{
    GPtrArray *jobs = jobs_of(obj);

    for (guint i = 0; jobs && i < jobs->len; i++) {
        VkQemuBlockJob *job = g_ptr_array_index(jobs, i);
        if (g_str_equal(job->disk, disk))
            return job;
    }
    return NULL;
}

static VkQemuBlockJob *
find_by_id(VkDomainObj *obj, const char *id)
{
    GPtrArray *jobs = jobs_of(obj);

    for (guint i = 0; jobs && i < jobs->len; i++) {
        VkQemuBlockJob *job = g_ptr_array_index(jobs, i);
        if (g_str_equal(job->id, id))
            return job;
    }
    return NULL;
}

static void
save_status(VkDomainObj *obj)
{
    if (vk_qemu_process_save_status(obj) < 0) {
        g_warning("%s: cannot save the status: %s", obj->def->name, vk_error_last_message());
        vk_error_reset();
    }
}

void
vk_qemu_block_job_add(VkDomainObj *obj, VkQemuBlockJob *job)
{
    g_ptr_array_add(jobs_of(obj), job);
    save_status(obj);
}

/* The highest node number OBJ's definition shows. */
static guint
highest_node(const VkDomainDef *def)
{
    guint max = 0;

    for (guint i = 0; i < def->disks->len; i++) {
        const VkDomainDiskDef *d = g_ptr_array_index(def->disks, i);
        max = MAX(max, d->src_index);
        for (guint j = 0; d->backing && j < d->backing->len; j++)
            max = MAX(max, ((VkDiskLayer *) g_ptr_array_index(d->backing, j))->index);
        if (d->mirror)
            max = MAX(max, d->mirror->dest.index);
    }
    return max;
}

guint
vk_qemu_block_next_node(VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;

    rt->last_node = MAX(rt->last_node, highest_node(obj->def)) + 1;
    return rt->last_node;
}

/* The job is over in QEMU: change the disk, tell the clients, let QEMU
 * forget it. */
static void
conclude(VkDomainObj *obj, VkQemuBlockJob *job, const char *error)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *target = g_strdup(job->disk);
    int type = job->type;
    int status;

    /* first: QEMU keeps the job's nodes busy until it is dismissed */
    vk_json_object_set_string(args, "id", job->id);
    if (vk_qemu_process_monitor_query(obj, "job-dismiss", args, NULL) < 0) {
        g_warning("%s: %s", obj->def->name, vk_error_last_message());
        vk_error_reset();
    }
    status = vk_qemu_block_job_finish(obj, job, error);
    g_ptr_array_remove(jobs_of(obj), job);
    save_status(obj);
    vk_qemu_block_job_emit(obj, target, type, status);
}

/* QEMU's state of job ID ("concluded", ...) and its error in *STATE and
 * *ERROR, from query-jobs; *STATE NULL when QEMU does not know the job. */
static int
query_job(VkDomainObj *obj, const char *id, char **state, char **error)
{
    g_autoptr(VkJson) reply = NULL;

    *error = *state = NULL;
    if (vk_qemu_process_monitor_query(obj, "query-jobs", NULL, &reply) < 0)
        return -1;
    for (guint i = 0; i < vk_json_array_length(reply); i++) {
        const VkJson *j = vk_json_array_get(reply, i);
        if (g_strcmp0(vk_json_object_get_string(j, "id", NULL), id) != 0)
            continue;
        *error = g_strdup(vk_json_object_get_string(j, "error", NULL));
        *state = g_strdup(vk_json_object_get_string(j, "status", ""));
    }
    return 0;
}

static void
mark_ready(VkDomainObj *obj, VkQemuBlockJob *job)
{
    VkDomainDiskDef *disk = vk_domain_def_disk_by_name(obj->def, job->disk);

    if (job->ready)
        return;
    job->ready = true;
    if (disk && disk->mirror)
        disk->mirror->ready = true;
    save_status(obj);
    vk_qemu_block_job_emit(obj, job->disk, job->type, VIR_DOMAIN_BLOCK_JOB_READY);
}

void
vk_qemu_block_job_status_changed(VkDomainObj *obj, const char *id, const char *status)
{
    VkQemuBlockJob *job = find_by_id(obj, id);
    g_autofree char *error = NULL;
    g_autofree char *state = NULL;

    if (!job)
        return;   /* not ours, or already finished by whoever ended it */
    if (g_str_equal(status, "ready")) {
        mark_ready(obj, job);
    } else if (g_str_equal(status, "concluded")) {
        if (query_job(obj, id, &state, &error) < 0) {
            g_warning("%s: %s", obj->def->name, vk_error_last_message());
            vk_error_reset();
        }
        conclude(obj, job, error);
    }
}

void
vk_qemu_block_jobs_check(VkDomainObj *obj)
{
    GPtrArray *jobs = jobs_of(obj);

    /* backwards: a concluded job leaves the array */
    for (guint i = jobs ? jobs->len : 0; i-- > 0;) {
        VkQemuBlockJob *job = g_ptr_array_index(jobs, i);
        g_autofree char *error = NULL;
        g_autofree char *state = NULL;

        if (query_job(obj, job->id, &state, &error) < 0) {
            g_warning("%s: %s", obj->def->name, vk_error_last_message());
            vk_error_reset();
            return;
        }
        if (!state || g_str_equal(state, "concluded") || g_str_equal(state, "null"))
            conclude(obj, job, error);
        else if (g_str_equal(state, "ready"))
            mark_ready(obj, job);
    }
}

/* Poll QEMU until JOB has concluded (then it is finished here), or until
 * it is ready when READY_IS_ENOUGH.  The lock is dropped while we wait
 * (the job keeps other changes out). */
static int
wait_for(VkDomainObj *obj, VkQemuBlockJob *job, bool ready_is_enough)
{
    for (int waited = 0; waited < END_WAIT_MS; waited += END_POLL_MS) {
        g_autofree char *error = NULL;
        g_autofree char *state = NULL;

        if (query_job(obj, job->id, &state, &error) < 0)
            return -1;
        if (!state || g_str_equal(state, "concluded") || g_str_equal(state, "null")) {
            conclude(obj, job, error);
            return 0;
        }
        if (ready_is_enough && g_str_equal(state, "ready")) {
            mark_ready(obj, job);
            return 0;
        }
        vk_domain_obj_unlock(obj);
        g_usleep(END_POLL_MS * 1000);
        vk_domain_obj_lock(obj);
    }
    vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                    "block job '%s' did not end in time", job->id);
    return -1;
}

int
vk_qemu_block_job_end(VkDomainObj *obj, VkQemuBlockJob *job, VkBlockJobEnd ending)
{
    g_autoptr(VkJson) args = vk_json_new_object();

    vk_json_object_set_string(args, "device", job->id);
    job->ending = ending;
    if (vk_qemu_process_monitor_query(obj, ending == VK_BLOCK_JOB_END_PIVOT ?
                                      "block-job-complete" : "block-job-cancel", args, NULL) < 0) {
        job->ending = VK_BLOCK_JOB_END_NONE;
        return -1;
    }
    return wait_for(obj, job, false);
}

int
vk_qemu_block_job_wait(VkDomainObj *obj, const char *disk)
{
    VkQemuBlockJob *job = vk_qemu_block_job_find(obj, disk);

    return job ? wait_for(obj, job, true) : 0;
}

/* ---------------------------------------------------------------------
 * The status file
 * ------------------------------------------------------------------- */

static const char *const ending_names[] = { "none", "abort", "pivot" };

void
vk_qemu_block_jobs_format(GString *xml, VkDomainObj *obj)
{
    VkQemuRuntime *rt = obj->runtime;
    GPtrArray *jobs = rt ? rt->block_jobs : NULL;

    if (!rt)
        return;
    g_string_append_printf(xml, "  <nodename index='%u'/>\n", rt->last_node);
    g_string_append_printf(xml, "  <blockjobs active='%s'>\n", jobs && jobs->len ? "yes" : "no");
    for (guint i = 0; jobs && i < jobs->len; i++) {
        VkQemuBlockJob *job = g_ptr_array_index(jobs, i);
        g_string_append(xml, "    <blockjob name='");
        vk_xml_escape_append(xml, job->id);
        g_string_append(xml, "' disk='");
        vk_xml_escape_append(xml, job->disk);
        g_string_append_printf(xml, "' type='%d' ready='%s' ending='%s' bandwidth='%" G_GUINT64_FORMAT
                               "' top='%u' base='%u' shallow='%s'/>\n", job->type,
                               job->ready ? "yes" : "no", ending_names[job->ending],
                               job->bandwidth, job->top, job->base, job->shallow ? "yes" : "no");
    }
    g_string_append(xml, "  </blockjobs>\n");
}

static VkQemuBlockJob *
parse_job(xmlNodePtr n)
{
    VkQemuBlockJob *job = g_new0(VkQemuBlockJob, 1);
    g_autofree char *type = vk_xml_prop(n, "type");
    g_autofree char *ready = vk_xml_prop(n, "ready");
    g_autofree char *ending = vk_xml_prop(n, "ending");
    g_autofree char *bandwidth = vk_xml_prop(n, "bandwidth");
    g_autofree char *top = vk_xml_prop(n, "top");
    g_autofree char *base = vk_xml_prop(n, "base");
    g_autofree char *shallow = vk_xml_prop(n, "shallow");

    job->id = vk_xml_prop(n, "name");
    job->disk = vk_xml_prop(n, "disk");
    job->type = type ? atoi(type) : 0;
    job->ready = g_strcmp0(ready, "yes") == 0;
    for (guint i = 0; i < G_N_ELEMENTS(ending_names); i++)
        if (g_strcmp0(ending, ending_names[i]) == 0)
            job->ending = i;
    job->bandwidth = bandwidth ? g_ascii_strtoull(bandwidth, NULL, 10) : 0;
    job->top = top ? (guint) atoi(top) : 0;
    job->base = base ? (guint) atoi(base) : 0;
    job->shallow = g_strcmp0(shallow, "yes") == 0;
    if (!job->id || !job->disk) {
        vk_qemu_block_job_free(job);
        return NULL;
    }
    return job;
}

void
vk_qemu_block_jobs_parse(VkDomainObj *obj, void *status_root)
{
    VkQemuRuntime *rt = obj->runtime;
    xmlNodePtr nodename = vk_xml_child(status_root, "nodename");
    xmlNodePtr jobs = vk_xml_child(status_root, "blockjobs");

    if (nodename) {
        g_autofree char *index = vk_xml_prop(nodename, "index");
        rt->last_node = index ? (guint) atoi(index) : 0;
    }
    for (xmlNodePtr n = jobs ? jobs->children : NULL; n; n = n->next) {
        VkQemuBlockJob *job;
        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, (const xmlChar *) "blockjob"))
            continue;
        if ((job = parse_job(n)))
            g_ptr_array_add(jobs_of(obj), job);
    }
}
