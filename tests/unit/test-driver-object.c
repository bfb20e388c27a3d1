/* The object core of common/driver without any hypervisor: references,
 * the list's indexes and duplicate rules, ids, and jobs with their time
 * limit. */
#include <string.h>

#include "common/driver/object-list.h"
#include "common/util/error.h"

typedef struct {
    VkObject parent;
    int *disposed;   /* counts dispose calls */
} TestObj;

static void
test_dispose(VkObject *obj)
{
    (*((TestObj *) obj)->disposed)++;
}

static const VkObjectClass test_class = {
    .name = "widget", .error_domain = VIR_FROM_NETWORK, .job_wait_ms = 100,
    .dispose = test_dispose,
};

static TestObj *
test_obj_new(const char *name, guint8 uuid_byte, int *disposed)
{
    TestObj *obj = g_new0(TestObj, 1);
    unsigned char uuid[VK_UUID_BUFLEN];

    memset(uuid, uuid_byte, sizeof(uuid));
    vk_object_init(&obj->parent, &test_class, name, uuid);
    obj->disposed = disposed;
    return obj;
}

static void
test_refs_and_dispose(void)
{
    int disposed = 0;
    TestObj *obj = test_obj_new("a", 1, &disposed);

    g_assert_cmpint(obj->parent.id, ==, -1);
    vk_object_ref(obj);
    vk_object_unref(obj);
    g_assert_cmpint(disposed, ==, 0);
    vk_object_unref(obj);
    g_assert_cmpint(disposed, ==, 1);
    vk_object_unref(NULL);
}

static void
test_list_add_find_remove(void)
{
    int disposed = 0;
    VkObjectList *list = vk_object_list_new();
    TestObj *a = test_obj_new("a", 1, &disposed);
    TestObj *b = test_obj_new("b", 2, &disposed);
    unsigned char uuid[VK_UUID_BUFLEN];
    bool existed = true;
    VkObject *found;

    found = vk_object_list_add(list, &a->parent, &existed);
    g_assert_true(found == &a->parent);
    g_assert_false(existed);
    vk_object_unref(found);   /* the one add returned */
    vk_object_unref(a);       /* the caller's: the list's is left */
    found = vk_object_list_add(list, &b->parent, &existed);
    g_assert_true(found == &b->parent);
    vk_object_unref(found);
    vk_object_unref(b);
    g_assert_cmpuint(vk_object_list_count(list), ==, 2);

    /* lookups hand out references and report nothing */
    vk_error_reset();
    found = vk_object_list_find_by_name(list, "a");
    g_assert_true(found == &a->parent);
    vk_object_unref(found);
    memset(uuid, 2, sizeof(uuid));
    found = vk_object_list_find_by_uuid(list, uuid);
    g_assert_true(found == &b->parent);
    vk_object_unref(found);
    g_assert_null(vk_object_list_find_by_name(list, "nope"));
    memset(uuid, 9, sizeof(uuid));
    g_assert_null(vk_object_list_find_by_uuid(list, uuid));
    g_assert_null(vk_object_list_find_by_id(list, 1));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_OK);

    /* removal: unlisted, marked, and freed with the last reference */
    found = vk_object_list_find_by_name(list, "a");
    vk_object_list_remove(list, found);
    g_assert_true(found->removed);
    g_assert_null(vk_object_list_find_by_name(list, "a"));
    g_assert_cmpint(disposed, ==, 0);
    vk_object_unref(found);
    g_assert_cmpint(disposed, ==, 1);
    vk_object_list_free(list);
    g_assert_cmpint(disposed, ==, 2);
}

static void
test_list_duplicates(void)
{
    int disposed = 0;
    VkObjectList *list = vk_object_list_new();
    TestObj *a = test_obj_new("a", 1, &disposed);
    TestObj *same = test_obj_new("a", 1, &disposed);
    TestObj *other_uuid = test_obj_new("a", 7, &disposed);
    TestObj *other_name = test_obj_new("z", 1, &disposed);
    bool existed = false;
    VkObject *listed;

    vk_object_unref(vk_object_list_add(list, &a->parent, &existed));
    vk_object_unref(a);

    /* same name and UUID: the listed one comes back (a redefinition) */
    listed = vk_object_list_add(list, &same->parent, &existed);
    g_assert_true(listed == &a->parent);
    g_assert_true(existed);
    vk_object_unref(listed);
    vk_object_unref(same);

    g_assert_null(vk_object_list_add(list, &other_uuid->parent, &existed));
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_OPERATION_FAILED);
    g_assert_cmpint(vk_error_last()->domain, ==, VIR_FROM_NETWORK);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "operation failed: widget 'a' already exists with uuid "
                    "01010101-0101-0101-0101-010101010101");
    vk_object_unref(other_uuid);

    g_assert_null(vk_object_list_add(list, &other_name->parent, &existed));
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "operation failed: widget 'a' is already defined with uuid "
                    "01010101-0101-0101-0101-010101010101");
    vk_object_unref(other_name);
    g_assert_cmpuint(vk_object_list_count(list), ==, 1);
    vk_object_list_free(list);
    g_assert_cmpint(disposed, ==, 4);
}

static void
test_list_ids_and_identities(void)
{
    int disposed = 0;
    VkObjectList *list = vk_object_list_new();
    TestObj *a = test_obj_new("a", 1, &disposed);
    TestObj *b = test_obj_new("b", 2, &disposed);
    bool existed;
    VkObjectIdentity *all;
    guint n = 0;

    vk_object_unref(vk_object_list_add(list, &a->parent, &existed));
    vk_object_unref(vk_object_list_add(list, &b->parent, &existed));
    /* a guest found running at restart keeps its id; new ids go past it */
    vk_object_list_set_id(list, &b->parent, 5);
    g_assert_cmpint(vk_object_list_next_id(list), ==, 6);
    vk_object_list_set_id(list, &a->parent, 6);
    VkObject *found = vk_object_list_find_by_id(list, 6);
    g_assert_true(found == &a->parent);
    vk_object_unref(found);
    vk_object_list_set_id(list, &a->parent, -1);
    g_assert_null(vk_object_list_find_by_id(list, 6));

    all = vk_object_list_identities(list, &n);
    g_assert_cmpuint(n, ==, 2);
    for (guint i = 0; i < n; i++) {
        g_assert_cmpint(all[i].id, ==, g_str_equal(all[i].name, "b") ? 5 : -1);
        free(all[i].name);
    }
    g_free(all);
    GPtrArray *snapshot = vk_object_list_snapshot(list);
    g_assert_cmpuint(snapshot->len, ==, 2);
    g_ptr_array_unref(snapshot);
    vk_object_unref(a);
    vk_object_unref(b);
    vk_object_list_free(list);
    g_assert_cmpint(disposed, ==, 2);
}

typedef struct {
    TestObj *obj;
    GMutex lock;
    GCond cond;
    bool holding;
    bool release;
} Holder;

/* Takes the job, says so, and keeps it until told to let go. */
static gpointer
hold_job(gpointer data)
{
    Holder *h = data;

    vk_object_lock(&h->obj->parent);
    g_assert_cmpint(vk_object_begin_job(&h->obj->parent), ==, 0);
    h->obj->parent.job_owner = "virDomainCreate";   /* as if an RPC call held it */
    vk_object_unlock(&h->obj->parent);
    g_mutex_lock(&h->lock);
    h->holding = true;
    g_cond_broadcast(&h->cond);
    while (!h->release)
        g_cond_wait(&h->cond, &h->lock);
    g_mutex_unlock(&h->lock);
    vk_object_lock(&h->obj->parent);
    vk_object_end_job(&h->obj->parent);
    vk_object_unlock(&h->obj->parent);
    return NULL;
}

static void
test_job_times_out(void)
{
    int disposed = 0;
    Holder h = { .obj = test_obj_new("a", 1, &disposed) };
    GThread *thread;
    gint64 start;

    g_mutex_init(&h.lock);
    g_cond_init(&h.cond);
    thread = g_thread_new("holder", hold_job, &h);
    g_mutex_lock(&h.lock);
    while (!h.holding)
        g_cond_wait(&h.cond, &h.lock);
    g_mutex_unlock(&h.lock);

    /* a second job gives up after the class's limit, naming the holder */
    start = g_get_monotonic_time();
    vk_object_lock(&h.obj->parent);
    g_assert_cmpint(vk_object_begin_job(&h.obj->parent), ==, -1);
    vk_object_unlock(&h.obj->parent);
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 100 * 1000);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_OPERATION_TIMEOUT);
    g_assert_cmpint(vk_error_last()->domain, ==, VIR_FROM_NETWORK);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "Timed out during operation: cannot acquire state change lock "
                    "(held by monitor=remoteDispatchDomainCreate)");

    /* once released, the job is free again; no RPC call here: no owner */
    g_mutex_lock(&h.lock);
    h.release = true;
    g_cond_broadcast(&h.cond);
    g_mutex_unlock(&h.lock);
    g_thread_join(thread);
    vk_object_lock(&h.obj->parent);
    g_assert_cmpint(vk_object_begin_job(&h.obj->parent), ==, 0);
    g_assert_null(h.obj->parent.job_owner);
    vk_object_end_job(&h.obj->parent);
    vk_object_unlock(&h.obj->parent);
    g_mutex_clear(&h.lock);
    g_cond_clear(&h.cond);
    vk_object_unref(h.obj);
}

/* An internal job waits as long as it takes: it gets the job when the
 * holder ends, past the time limit of client calls. */
static gpointer
end_job_later(gpointer data)
{
    VkObject *obj = data;

    g_usleep(250 * 1000);
    vk_object_lock(obj);
    vk_object_end_job(obj);
    vk_object_unlock(obj);
    return NULL;
}

static void
test_internal_job_waits(void)
{
    int disposed = 0;
    TestObj *obj = test_obj_new("a", 1, &disposed);
    GThread *thread;

    vk_object_lock(&obj->parent);
    g_assert_cmpint(vk_object_begin_job(&obj->parent), ==, 0);
    vk_object_unlock(&obj->parent);
    thread = g_thread_new("ender", end_job_later, obj);
    vk_object_lock(&obj->parent);
    vk_object_begin_internal_job(&obj->parent);
    g_assert_true(obj->parent.job_active);
    vk_object_end_job(&obj->parent);
    vk_object_unlock(&obj->parent);
    g_thread_join(thread);
    vk_object_unref(obj);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/driver-object/refs-and-dispose", test_refs_and_dispose);
    g_test_add_func("/driver-object/list-add-find-remove", test_list_add_find_remove);
    g_test_add_func("/driver-object/list-duplicates", test_list_duplicates);
    g_test_add_func("/driver-object/list-ids-and-identities", test_list_ids_and_identities);
    g_test_add_func("/driver-object/job-times-out", test_job_times_out);
    g_test_add_func("/driver-object/internal-job-waits", test_internal_job_waits);
    return g_test_run();
}
