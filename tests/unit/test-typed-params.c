#include "common/rpc/typed-params.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"

static VkTypedParams *
one_of_each(void)
{
    VkTypedParams *p = vk_typed_params_new();

    vk_typed_params_add_int(p, -3, "state.%s", "state");
    vk_typed_params_add_uint(p, 7, "vcpu.%u.state", 2u);
    vk_typed_params_add_llong(p, -(1LL << 40), "wr_bytes");
    vk_typed_params_add_ullong(p, 1ULL << 63, "cpu.time");
    vk_typed_params_add_bool(p, true, "readonly");
    vk_typed_params_add_string(p, NULL, "net.%u.name", 0u);
    return p;
}

static void
test_remote(void)
{
    g_autoptr(VkTypedParams) p = one_of_each();
    remote_typed_param *val = NULL;
    u_int len = 0;

    g_assert_cmpuint(vk_typed_params_len(p), ==, 6);
    vk_typed_params_steal(p, &val, &len);
    g_assert_cmpuint(vk_typed_params_len(p), ==, 0);
    g_assert_cmpuint(len, ==, 6);
    g_assert_cmpstr(val[0].field, ==, "state.state");
    g_assert_cmpint(val[0].value.type, ==, REMOTE_TYPED_PARAM_INT);
    g_assert_cmpint(val[0].value.remote_typed_param_value_u.i, ==, -3);
    g_assert_cmpstr(val[1].field, ==, "vcpu.2.state");
    g_assert_cmpint(val[1].value.type, ==, REMOTE_TYPED_PARAM_UINT);
    g_assert_cmpuint(val[1].value.remote_typed_param_value_u.ui, ==, 7);
    g_assert_cmpint(val[2].value.type, ==, REMOTE_TYPED_PARAM_LLONG);
    g_assert_cmpint(val[2].value.remote_typed_param_value_u.l, ==, -(1LL << 40));
    g_assert_cmpint(val[3].value.type, ==, REMOTE_TYPED_PARAM_ULLONG);
    g_assert_cmpuint(val[3].value.remote_typed_param_value_u.ul, ==, 1ULL << 63);
    g_assert_cmpint(val[4].value.type, ==, REMOTE_TYPED_PARAM_BOOLEAN);
    g_assert_cmpint(val[4].value.remote_typed_param_value_u.b, ==, 1);
    g_assert_cmpstr(val[5].field, ==, "net.0.name");
    g_assert_cmpint(val[5].value.type, ==, REMOTE_TYPED_PARAM_STRING);
    g_assert_cmpstr(val[5].value.remote_typed_param_value_u.s, ==, "");
    /* what XDR does with a reply: free() everything */
    for (u_int i = 0; i < len; i++)
        xdr_free((xdrproc_t) xdr_remote_typed_param, (char *) &val[i]);
    free(val);
}

/* The same list goes to the admin program's type. */
static void
test_admin(void)
{
    g_autoptr(VkTypedParams) p = vk_typed_params_new();
    admin_typed_param *val = NULL;
    u_int len = 0;

    vk_typed_params_add_uint(p, 5, "maxWorkers");
    vk_typed_params_add_string(p, "root", "unix_user_name");
    vk_typed_params_steal_admin(p, &val, &len);
    g_assert_cmpuint(len, ==, 2);
    g_assert_cmpstr(val[0].field, ==, "maxWorkers");
    g_assert_cmpint(val[0].value.type, ==, ADMIN_PARAM_UINT);
    g_assert_cmpuint(val[0].value.admin_typed_param_value_u.ui, ==, 5);
    g_assert_cmpint(val[1].value.type, ==, ADMIN_PARAM_STRING);
    g_assert_cmpstr(val[1].value.admin_typed_param_value_u.s, ==, "root");
    for (u_int i = 0; i < len; i++)
        xdr_free((xdrproc_t) xdr_admin_typed_param, (char *) &val[i]);
    free(val);
}

static void
test_truncate_and_empty(void)
{
    g_autoptr(VkTypedParams) p = one_of_each();
    remote_typed_param *val = NULL;
    u_int len = 99;

    vk_typed_params_truncate(p, 10);
    g_assert_cmpuint(vk_typed_params_len(p), ==, 6);
    vk_typed_params_truncate(p, 2);
    g_assert_cmpuint(vk_typed_params_len(p), ==, 2);
    vk_typed_params_truncate(p, 0);
    vk_typed_params_steal(p, &val, &len);
    g_assert_cmpuint(len, ==, 0);
    g_assert_nonnull(val);   /* XDR wants an array even when empty */
    free(val);
}

/* A get-parameters reply: what the client has room for, none for a
 * negative count; the number given back. */
static void
test_reply(void)
{
    int room[] = { 2, 10, -1 };
    int want[] = { 2, 6, 0 };

    for (guint i = 0; i < G_N_ELEMENTS(room); i++) {
        g_autoptr(VkTypedParams) p = one_of_each();
        remote_typed_param *val = NULL;
        u_int len = 99;

        g_assert_cmpint(vk_typed_params_reply(p, room[i], &val, &len), ==, want[i]);
        g_assert_cmpuint(len, ==, (u_int) want[i]);
        g_assert_cmpuint(vk_typed_params_len(p), ==, 0);
        for (u_int j = 0; j < len; j++)
            xdr_free((xdrproc_t) xdr_remote_typed_param, (char *) &val[j]);
        free(val);
    }
}

/* Copies keep the type and value under a new name; strings are their own. */
static void
test_add_copy(void)
{
    g_autoptr(VkTypedParams) src = one_of_each();
    g_autoptr(VkTypedParams) copy = vk_typed_params_new();
    remote_typed_param *val = NULL, *orig = NULL;
    u_int len = 0, olen = 0;

    vk_typed_params_steal(src, &orig, &olen);
    for (u_int i = 0; i < olen; i++)
        vk_typed_params_add_copy(copy, &orig[i], "x.%s", orig[i].field);
    vk_typed_params_steal(copy, &val, &len);
    g_assert_cmpuint(len, ==, olen);
    for (u_int i = 0; i < len; i++) {
        g_autofree char *name = g_strdup_printf("x.%s", orig[i].field);
        g_assert_cmpstr(val[i].field, ==, name);
        g_assert_cmpint(val[i].value.type, ==, orig[i].value.type);
    }
    g_assert_cmpint(val[2].value.remote_typed_param_value_u.l, ==, -(1LL << 40));
    g_assert_true(val[5].value.remote_typed_param_value_u.s != orig[5].value.remote_typed_param_value_u.s);
    g_assert_cmpstr(val[5].value.remote_typed_param_value_u.s, ==, "");
    for (u_int i = 0; i < len; i++) {
        xdr_free((xdrproc_t) xdr_remote_typed_param, (char *) &val[i]);
        xdr_free((xdrproc_t) xdr_remote_typed_param, (char *) &orig[i]);
    }
    free(val);
    free(orig);
}

static void
test_get_uint(void)
{
    char min[] = "minWorkers", max[] = "maxWorkers";
    admin_typed_param call[2] = {
        { .field = min, .value = { .type = ADMIN_PARAM_UINT,
                                   .admin_typed_param_value_u.ui = 4 } },
        { .field = max, .value = { .type = ADMIN_PARAM_INT,
                                   .admin_typed_param_value_u.i = 9 } },
    };
    const remote_typed_param *params = vk_typed_params_from_admin(call);
    guint value = 0;

    g_assert_cmpint(vk_typed_params_get_uint(params, 2, "minWorkers", &value, VIR_FROM_ADMIN),
                    ==, 1);
    g_assert_cmpuint(value, ==, 4);
    value = 77;
    g_assert_cmpint(vk_typed_params_get_uint(params, 2, "prioWorkers", &value, VIR_FROM_ADMIN),
                    ==, 0);
    g_assert_cmpuint(value, ==, 77);
    g_assert_cmpint(vk_typed_params_get_uint(params, 2, "maxWorkers", &value, VIR_FROM_ADMIN),
                    ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(vk_error_last()->domain, ==, VIR_FROM_ADMIN);
    g_assert_nonnull(strstr(vk_error_last_message(), "'maxWorkers'"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/typed-params/remote", test_remote);
    g_test_add_func("/typed-params/admin", test_admin);
    g_test_add_func("/typed-params/add-copy", test_add_copy);
    g_test_add_func("/typed-params/truncate-and-empty", test_truncate_and_empty);
    g_test_add_func("/typed-params/reply", test_reply);
    g_test_add_func("/typed-params/get-uint", test_get_uint);
    return g_test_run();
}
