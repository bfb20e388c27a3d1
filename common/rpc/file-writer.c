/* An upload's writes on a thread of their own (file-writer.h). */
#include "common/rpc/file-writer.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes queued before the main loop waits: a few frames, so the socket and
 * the disk both stay busy while memory stays small. */
#define QUEUE_MAX (4 * 1024 * 1024)
/* Zeros written at a time where a hole cannot be punched. */
#define ZERO_CHUNK (1024 * 1024)

typedef enum { JOB_WRITE, JOB_ZERO, JOB_DRAIN } VkWriterJobKind;

typedef struct {
    VkWriterJobKind kind;
    guint64 pos;
    guint64 len;
    guint8 *buf;          /* JOB_WRITE: owned; the bytes start at DATA */
    const guint8 *data;
    GMainContext *context;   /* JOB_DRAIN: where DONE runs */
    void (*done)(VkError *error, gpointer data);
    gpointer done_data;
    GDestroyNotify free;
    VkError *error;       /* JOB_DRAIN: the outcome, for DONE */
} VkWriterJob;

struct _VkFileWriter {
    int fd;
    char *name;
    bool block;
    GThread *thread;
    GMutex lock;
    /* each side is woken only when it sleeps: a wake-up is a system call
     * (and on a virtual machine an interrupt between its CPUs) per frame */
    GCond work;           /* for the writer: a job queued, or stop */
    GCond room;           /* for the main loop: a job done */
    bool writer_asleep;
    bool main_waiting;
    GQueue jobs;          /* under LOCK */
    gsize queued;         /* bytes of JOB_WRITE in JOBS */
    bool stop;            /* write what is queued, then end */
    VkError *error;       /* the first failure, under LOCK */
};

static void
job_free(VkWriterJob *job)
{
    if (job->free)
        job->free(job->done_data);
    vk_error_free(job->error);
    g_free(job->buf);
    g_free(job);
}

/* ---- the writer's thread ---- */

static int
write_at(VkFileWriter *writer, const guint8 *data, gsize len, guint64 pos)
{
    while (len > 0) {
        ssize_t n = pwrite(writer->fd, data, len, pos);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            vk_error_report_errno(VIR_FROM_STREAMS, errno, "Unable to write %s", writer->name);
            return -1;
        }
        data += n;
        len -= n;
        pos += n;
    }
    return 0;
}

static int
write_zeros(VkFileWriter *writer, guint64 pos, guint64 length)
{
    g_autofree guint8 *zeros = g_malloc0(MIN(length, ZERO_CHUNK));

    while (length > 0) {
        gsize n = MIN(length, ZERO_CHUNK);
        if (write_at(writer, zeros, n, pos) < 0)
            return -1;
        pos += n;
        length -= n;
    }
    return 0;
}

/* Make LENGTH bytes at POS read as zeros.  A file beyond its end needs
 * nothing (the finish extends it); inside, the old data is punched out
 * rather than the file cut short there as libvirt does, so what lies past
 * the upload survives.  A device gets zeros, by the kernel if it can. */
static int
zero_range(VkFileWriter *writer, guint64 pos, guint64 length)
{
    struct stat st;

    if (!writer->block) {
        if (fstat(writer->fd, &st) < 0) {
            vk_error_report_errno(VIR_FROM_STREAMS, errno, "Unable to access %s", writer->name);
            return -1;
        }
        if (pos >= (guint64) st.st_size)
            return 0;
        length = MIN(length, st.st_size - pos);
    }
    if (length == 0 ||
        fallocate(writer->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, pos, length) == 0 ||
        (writer->block &&
         fallocate(writer->fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, pos, length) == 0))
        return 0;
    return write_zeros(writer, pos, length);
}

static gboolean
run_done(gpointer data)
{
    VkWriterJob *job = data;

    job->done(job->error, job->done_data);
    return G_SOURCE_REMOVE;
}

/* One job, the lock not held; after a failure only drains still run. */
static void
run_job(VkFileWriter *writer, VkWriterJob *job, bool failed)
{
    int rc = 0;

    if (job->kind == JOB_DRAIN) {
        g_mutex_lock(&writer->lock);
        job->error = writer->error ? vk_error_copy(writer->error) : NULL;
        g_mutex_unlock(&writer->lock);
        g_main_context_invoke_full(job->context, G_PRIORITY_DEFAULT, run_done, job,
                                   (GDestroyNotify) job_free);
        return;
    }
    if (!failed)
        rc = job->kind == JOB_WRITE ? write_at(writer, job->data, job->len, job->pos)
                                    : zero_range(writer, job->pos, job->len);
    g_mutex_lock(&writer->lock);
    if (rc < 0 && !writer->error)
        writer->error = vk_error_steal();
    if (job->kind == JOB_WRITE)
        writer->queued -= job->len;
    if (writer->main_waiting)
        g_cond_signal(&writer->room);
    g_mutex_unlock(&writer->lock);
    job_free(job);
}

static gpointer
writer_thread(gpointer data)
{
    VkFileWriter *writer = data;

    for (;;) {
        VkWriterJob *job;
        bool failed;

        g_mutex_lock(&writer->lock);
        writer->writer_asleep = true;
        while (!writer->stop && g_queue_is_empty(&writer->jobs))
            g_cond_wait(&writer->work, &writer->lock);
        writer->writer_asleep = false;
        if (g_queue_is_empty(&writer->jobs)) {
            g_mutex_unlock(&writer->lock);
            return NULL;
        }
        job = g_queue_pop_head(&writer->jobs);
        failed = writer->error != NULL;
        g_mutex_unlock(&writer->lock);
        run_job(writer, job, failed);
    }
}

/* ---- the main loop's side ---- */

VkFileWriter *
vk_file_writer_new(int fd, const char *name, bool block)
{
    VkFileWriter *writer = g_new0(VkFileWriter, 1);
    g_autoptr(GError) err = NULL;

    writer->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (writer->fd < 0) {
        vk_error_report_errno(VIR_FROM_STREAMS, errno, "Unable to write %s", name);
        g_free(writer);
        return NULL;
    }
    writer->name = g_strdup(name);
    writer->block = block;
    g_mutex_init(&writer->lock);
    g_cond_init(&writer->work);
    g_cond_init(&writer->room);
    g_queue_init(&writer->jobs);
    writer->thread = g_thread_try_new("stream-writer", writer_thread, writer, &err);
    if (!writer->thread) {
        vk_error_report(VIR_FROM_STREAMS, VIR_ERR_INTERNAL_ERROR, "cannot start a writer for %s: %s",
                        name, err->message);
        close(writer->fd);
        g_mutex_clear(&writer->lock);
        g_cond_clear(&writer->work);
        g_cond_clear(&writer->room);
        g_free(writer->name);
        g_free(writer);
        return NULL;
    }
    return writer;
}

static void
push_locked(VkFileWriter *writer, VkWriterJob *job)
{
    g_queue_push_tail(&writer->jobs, job);
    if (writer->writer_asleep)
        g_cond_signal(&writer->work);
}

/* Queue JOB (taken), waiting for room first; -1 once a job failed. */
static int
queue_job(VkFileWriter *writer, VkWriterJob *job)
{
    g_mutex_lock(&writer->lock);
    writer->main_waiting = true;
    while (!writer->error && job->kind == JOB_WRITE && writer->queued > 0 &&
           writer->queued + job->len > QUEUE_MAX)
        g_cond_wait(&writer->room, &writer->lock);
    writer->main_waiting = false;
    if (writer->error) {
        vk_error_set(vk_error_copy(writer->error));
        g_mutex_unlock(&writer->lock);
        job_free(job);
        return -1;
    }
    if (job->kind == JOB_WRITE)
        writer->queued += job->len;
    push_locked(writer, job);
    g_mutex_unlock(&writer->lock);
    return 0;
}

int
vk_file_writer_write(VkFileWriter *writer, guint8 *buf, const guint8 *data, gsize len,
                     guint64 pos)
{
    VkWriterJob *job = g_new0(VkWriterJob, 1);

    *job = (VkWriterJob) { .kind = JOB_WRITE, .pos = pos, .len = len, .buf = buf, .data = data };
    return queue_job(writer, job);
}

int
vk_file_writer_zero(VkFileWriter *writer, guint64 pos, guint64 length)
{
    VkWriterJob *job = g_new0(VkWriterJob, 1);

    *job = (VkWriterJob) { .kind = JOB_ZERO, .pos = pos, .len = length };
    return queue_job(writer, job);
}

void
vk_file_writer_drain(VkFileWriter *writer, GMainContext *context,
                     void (*done)(VkError *error, gpointer data), gpointer data,
                     GDestroyNotify free)
{
    VkWriterJob *job = g_new0(VkWriterJob, 1);

    *job = (VkWriterJob) { .kind = JOB_DRAIN, .context = context, .done = done,
                           .done_data = data, .free = free };
    g_mutex_lock(&writer->lock);
    push_locked(writer, job);   /* never refused: it reports the error */
    g_mutex_unlock(&writer->lock);
}

void
vk_file_writer_free(VkFileWriter *writer)
{
    if (!writer)
        return;
    g_mutex_lock(&writer->lock);
    writer->stop = true;
    g_cond_signal(&writer->work);
    g_mutex_unlock(&writer->lock);
    g_thread_join(writer->thread);
    close(writer->fd);
    vk_error_free(writer->error);
    g_mutex_clear(&writer->lock);
    g_cond_clear(&writer->work);
    g_cond_clear(&writer->room);
    g_free(writer->name);
    g_free(writer);
}
