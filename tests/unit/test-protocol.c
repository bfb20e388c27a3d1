/* Wire encoding of our rpcgen types and the generated procedure tables.
 * The expected bytes are worked out by hand from the XDR rules (RFC 4506)
 * and libvirt's layouts, not produced by the code under test. */
#include <glib.h>
#include <string.h>

#include "virnet-protocol.h"
#include "keepalive-protocol.h"
#include "remote-protocol.h"
#include "remote-procs.h"
#include "keepalive-procs.h"

/* Encode OBJ with FILTER into a new GBytes; fails the test on error. */
static GBytes *
encode(xdrproc_t filter, void *obj)
{
    g_autofree char *buf = g_malloc0(65536);
    XDR xdr;

    xdrmem_create(&xdr, buf, 65536, XDR_ENCODE);
    g_assert_true(filter(&xdr, obj));
    guint len = xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    return g_bytes_new(buf, len);
}

/* Decode BYTES into OBJ (zeroed first); returns whether the filter
 * succeeded and leaves *used at the number of bytes read. */
static gboolean
decode(xdrproc_t filter, const guint8 *bytes, gsize len, void *obj,
       gsize size, guint *used)
{
    g_autofree char *copy = g_memdup2(bytes, len);
    XDR xdr;

    memset(obj, 0, size);
    xdrmem_create(&xdr, copy, len, XDR_DECODE);
    gboolean ok = filter(&xdr, obj);
    if (used)
        *used = xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    return ok;
}

static void
assert_bytes(GBytes *got, const guint8 *want, gsize want_len)
{
    gsize len;
    const guint8 *data = g_bytes_get_data(got, &len);
    g_assert_cmpmem(data, len, want, want_len);
}

static void
test_header_round_trip(void)
{
    VkNetMessageHeader hdr = {
        .prog = REMOTE_PROGRAM,
        .vers = REMOTE_PROTOCOL_VERSION,
        .proc = REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
        .type = VK_NET_REPLY,
        .serial = 0xdeadbeef,
        .status = VK_NET_ERROR,
    };
    g_autoptr(GBytes) bytes = encode((xdrproc_t) xdr_VkNetMessageHeader, &hdr);
    static const guint8 want[] = {
        0x20, 0x00, 0x80, 0x86,   /* prog */
        0x00, 0x00, 0x00, 0x01,   /* vers */
        0x00, 0x00, 0x01, 0x11,   /* proc 273 */
        0x00, 0x00, 0x00, 0x01,   /* REPLY */
        0xde, 0xad, 0xbe, 0xef,   /* serial */
        0x00, 0x00, 0x00, 0x01,   /* ERROR */
    };
    assert_bytes(bytes, want, sizeof(want));
    g_assert_cmpuint(g_bytes_get_size(bytes), ==, VK_NET_MESSAGE_HEADER_MAX);

    VkNetMessageHeader back;
    guint used;
    g_assert_true(decode((xdrproc_t) xdr_VkNetMessageHeader, want, sizeof(want),
                         &back, sizeof(back), &used));
    g_assert_cmpuint(used, ==, 24);
    g_assert_cmpuint(back.prog, ==, 0x20008086);
    g_assert_cmpuint(back.vers, ==, 1);
    g_assert_cmpint(back.proc, ==, 273);
    g_assert_cmpint(back.type, ==, VK_NET_REPLY);
    g_assert_cmpuint(back.serial, ==, 0xdeadbeef);
    g_assert_cmpint(back.status, ==, VK_NET_ERROR);

    /* Too short: the decoder must fail, not read past the end. */
    g_assert_false(decode((xdrproc_t) xdr_VkNetMessageHeader, want, 20,
                          &back, sizeof(back), NULL));
}

static void
test_constants(void)
{
    g_assert_cmpint(VK_NET_CALL, ==, 0);
    g_assert_cmpint(VK_NET_REPLY, ==, 1);
    g_assert_cmpint(VK_NET_MESSAGE, ==, 2);
    g_assert_cmpint(VK_NET_STREAM, ==, 3);
    g_assert_cmpint(VK_NET_CALL_WITH_FDS, ==, 4);
    g_assert_cmpint(VK_NET_REPLY_WITH_FDS, ==, 5);
    g_assert_cmpint(VK_NET_STREAM_HOLE, ==, 6);
    g_assert_cmpint(VK_NET_OK, ==, 0);
    g_assert_cmpint(VK_NET_ERROR, ==, 1);
    g_assert_cmpint(VK_NET_CONTINUE, ==, 2);
    g_assert_cmpint(VK_NET_MESSAGE_INITIAL, ==, 65536);
    g_assert_cmpint(VK_NET_MESSAGE_MAX, ==, 32 * 1024 * 1024);
    g_assert_cmpint(VK_NET_MESSAGE_PAYLOAD_MAX, ==,
                    VK_NET_MESSAGE_MAX - VK_NET_MESSAGE_HEADER_MAX);
    g_assert_cmpint(VK_NET_MESSAGE_LEN_MAX, ==, 4);
    g_assert_cmpint(VK_NET_MESSAGE_NUM_FDS_MAX, ==, 32);
    g_assert_cmpint(KEEPALIVE_PROGRAM, ==, 0x6b656570);
    g_assert_cmpint(KEEPALIVE_PROC_PING, ==, 1);
    g_assert_cmpint(KEEPALIVE_PROC_PONG, ==, 2);
    g_assert_cmpint(REMOTE_PROGRAM, ==, 0x20008086);
}

static void
test_error_present(void)
{
    char *msg = (char *) "Domain not found: no domain with matching name 'web'";
    char *s1 = (char *) "web";
    VkNetMessageError err = {
        .code = 42, .domain = 10, .message = &msg, .level = 2,
        .str1 = &s1, .int1 = -1,
    };
    g_autoptr(GBytes) bytes = encode((xdrproc_t) xdr_VkNetMessageError, &err);
    /* 4 code + 4 domain + (4 flag + 4 len + 52 text) + 4 level + 4 dom
     * + (4 + 4 + 4) str1 + 4 str2 + 4 str3 + 4 int1 + 4 int2 + 4 net */
    g_assert_cmpuint(g_bytes_get_size(bytes), ==, 108);

    const guint8 *data = g_bytes_get_data(bytes, NULL);
    static const guint8 head[] = {
        0, 0, 0, 42,  0, 0, 0, 10,  0, 0, 0, 1,  0, 0, 0, 52, 'D', 'o',
    };
    g_assert_cmpmem(data, sizeof(head), head, sizeof(head));

    VkNetMessageError back;
    gsize len;
    const guint8 *raw = g_bytes_get_data(bytes, &len);
    g_assert_true(decode((xdrproc_t) xdr_VkNetMessageError, raw, len,
                         &back, sizeof(back), NULL));
    g_assert_cmpint(back.code, ==, 42);
    g_assert_cmpint(back.domain, ==, 10);
    g_assert_nonnull(back.message);
    g_assert_cmpstr(*back.message, ==, msg);
    g_assert_cmpint(back.level, ==, 2);
    g_assert_null(back.dom);
    g_assert_nonnull(back.str1);
    g_assert_cmpstr(*back.str1, ==, "web");
    g_assert_null(back.str2);
    g_assert_null(back.str3);
    g_assert_cmpint(back.int1, ==, -1);
    g_assert_null(back.net);
    xdr_free((xdrproc_t) xdr_VkNetMessageError, (char *) &back);
}

static void
test_error_absent_and_odd_flags(void)
{
    /* Hand-made: message present with flag 01 00 00 00 (what go-libvirt
     * sends), str1 with flag 2, str2 absent, a domain with flag 1. */
    static const guint8 wire[] = {
        0x00, 0x00, 0x00, 0x09,             /* code 9 */
        0x00, 0x00, 0x00, 0x0a,             /* domain 10 */
        0x01, 0x00, 0x00, 0x00,             /* message: present */
        0x00, 0x00, 0x00, 0x02, 'o', 'k', 0, 0,
        0x00, 0x00, 0x00, 0x02,             /* level */
        0x00, 0x00, 0x00, 0x01,             /* dom: present */
        0x00, 0x00, 0x00, 0x01, 'd', 0, 0, 0,
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
        0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
        0xff, 0xff, 0xff, 0xff,             /* id -1 */
        0x00, 0x00, 0x00, 0x02,             /* str1: present */
        0x00, 0x00, 0x00, 0x00,             /* "" */
        0x00, 0x00, 0x00, 0x00,             /* str2: absent */
        0x00, 0x00, 0x00, 0x00,             /* str3: absent */
        0x00, 0x00, 0x00, 0x07,             /* int1 */
        0x00, 0x00, 0x00, 0x00,             /* int2 */
        0x00, 0x00, 0x00, 0x00,             /* net: absent */
    };
    VkNetMessageError err;
    guint used;
    g_assert_true(decode((xdrproc_t) xdr_VkNetMessageError, wire, sizeof(wire),
                         &err, sizeof(err), &used));
    g_assert_cmpuint(used, ==, sizeof(wire));
    g_assert_cmpint(err.code, ==, 9);
    g_assert_nonnull(err.message);
    g_assert_cmpstr(*err.message, ==, "ok");
    g_assert_nonnull(err.dom);
    g_assert_cmpstr(err.dom->name, ==, "d");
    g_assert_cmpint(err.dom->uuid[15], ==, (char) 0xff);
    g_assert_cmpint(err.dom->id, ==, -1);
    g_assert_nonnull(err.str1);
    g_assert_cmpstr(*err.str1, ==, "");
    g_assert_null(err.str2);
    g_assert_null(err.str3);
    g_assert_cmpint(err.int1, ==, 7);
    g_assert_null(err.net);
    xdr_free((xdrproc_t) xdr_VkNetMessageError, (char *) &err);

    /* Our encoder writes the canonical flag 1. */
    char *m = (char *) "x";
    VkNetMessageError out = { .message = &m };
    g_autoptr(GBytes) bytes = encode((xdrproc_t) xdr_VkNetMessageError, &out);
    const guint8 *data = g_bytes_get_data(bytes, NULL);
    static const guint8 flag[] = { 0, 0, 0, 1 };
    g_assert_cmpmem(data + 8, 4, flag, 4);
}

static void
test_node_get_info(void)
{
    remote_node_get_info_ret info = {
        .memory = G_GUINT64_CONSTANT(0x0000000100000002),
        .cpus = 8, .mhz = 2400, .nodes = 1, .sockets = 1, .cores = 4,
        .threads = 2,
    };
    g_strlcpy(info.model, "x86_64", sizeof(info.model));
    g_autoptr(GBytes) bytes = encode((xdrproc_t) xdr_remote_node_get_info_ret, &info);
    /* char[32] is 32 four-byte values, then a hyper and six ints. */
    g_assert_cmpuint(g_bytes_get_size(bytes), ==, 32 * 4 + 8 + 6 * 4);

    const guint8 *data = g_bytes_get_data(bytes, NULL);
    static const guint8 model[] = {
        0, 0, 0, 'x',  0, 0, 0, '8',  0, 0, 0, '6',  0, 0, 0, '_',
        0, 0, 0, '6',  0, 0, 0, '4',  0, 0, 0, 0,
    };
    g_assert_cmpmem(data, sizeof(model), model, sizeof(model));
    static const guint8 tail[] = {
        0, 0, 0, 1,  0, 0, 0, 2,          /* memory */
        0, 0, 0, 8,                       /* cpus */
        0, 0, 0x09, 0x60,                 /* mhz 2400 */
        0, 0, 0, 1,  0, 0, 0, 1,  0, 0, 0, 4,  0, 0, 0, 2,
    };
    g_assert_cmpmem(data + 128, sizeof(tail), tail, sizeof(tail));

    remote_node_get_info_ret back;
    gsize len;
    const guint8 *raw = g_bytes_get_data(bytes, &len);
    g_assert_true(decode((xdrproc_t) xdr_remote_node_get_info_ret, raw, len,
                         &back, sizeof(back), NULL));
    g_assert_cmpstr(back.model, ==, "x86_64");
    g_assert_cmpuint(back.memory, ==, info.memory);
    g_assert_cmpint(back.mhz, ==, 2400);
    g_assert_cmpint(back.threads, ==, 2);
}

/* CONNECT_OPEN("qemu:///system", 0): 4 flag + 4 length + 14 text + 2 pad
 * + 4 flags. */
static const guint8 open_args_wire[] = {
    0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x0e,
    'q', 'e', 'm', 'u', ':', '/', '/', '/', 's', 'y', 's', 't', 'e', 'm', 0, 0,
    0x00, 0x00, 0x00, 0x00,
};

static void
test_connect_open_args(void)
{
    char *uri = (char *) "qemu:///system";
    remote_connect_open_args args = { .name = &uri, .flags = 0 };
    g_autoptr(GBytes) bytes = encode((xdrproc_t) xdr_remote_connect_open_args, &args);
    assert_bytes(bytes, open_args_wire, sizeof(open_args_wire));

    remote_connect_open_args back;
    g_assert_true(decode((xdrproc_t) xdr_remote_connect_open_args, open_args_wire,
                         sizeof(open_args_wire), &back, sizeof(back), NULL));
    g_assert_nonnull(back.name);
    g_assert_cmpstr(*back.name, ==, "qemu:///system");
    xdr_free((xdrproc_t) xdr_remote_connect_open_args, (char *) &back);

    /* A NULL name is an absent optional: flag 0, then flags. */
    remote_connect_open_args none = { .name = NULL, .flags = 1 };
    g_autoptr(GBytes) nb = encode((xdrproc_t) xdr_remote_connect_open_args, &none);
    static const guint8 want[] = { 0, 0, 0, 0,  0, 0, 0, 1 };
    assert_bytes(nb, want, sizeof(want));
}

/* A whole CALL frame for CONNECT_OPEN, serial 1: length word, header,
 * arguments. */
static void
test_call_frame_bytes(void)
{
    static const guint8 want[] = {
        0x00, 0x00, 0x00, 0x38,             /* length 56 = 4 + 24 + 28 */
        0x20, 0x00, 0x80, 0x86,             /* REMOTE_PROGRAM */
        0x00, 0x00, 0x00, 0x01,             /* version 1 */
        0x00, 0x00, 0x00, 0x01,             /* CONNECT_OPEN */
        0x00, 0x00, 0x00, 0x00,             /* CALL */
        0x00, 0x00, 0x00, 0x01,             /* serial 1 */
        0x00, 0x00, 0x00, 0x00,             /* OK */
        0x00, 0x00, 0x00, 0x01,             /* name present */
        0x00, 0x00, 0x00, 0x0e,
        'q', 'e', 'm', 'u', ':', '/', '/', '/', 's', 'y', 's', 't', 'e', 'm', 0, 0,
        0x00, 0x00, 0x00, 0x00,             /* flags */
    };
    char buf[256];
    XDR xdr;
    char *uri = (char *) "qemu:///system";
    remote_connect_open_args args = { .name = &uri };
    VkNetMessageHeader hdr = {
        .prog = REMOTE_PROGRAM, .vers = REMOTE_PROTOCOL_VERSION,
        .proc = REMOTE_PROC_CONNECT_OPEN, .type = VK_NET_CALL,
        .serial = 1, .status = VK_NET_OK,
    };
    const VkProcInfo *info = vk_remote_proc_lookup(hdr.proc);
    g_assert_nonnull(info);

    xdrmem_create(&xdr, buf, sizeof(buf), XDR_ENCODE);
    unsigned int len = 0;
    g_assert_true(xdr_u_int(&xdr, &len));       /* placeholder */
    g_assert_true(xdr_VkNetMessageHeader(&xdr, &hdr));
    g_assert_true(info->args_filter(&xdr, &args));
    len = xdr_getpos(&xdr);
    g_assert_true(xdr_setpos(&xdr, 0));
    g_assert_true(xdr_u_int(&xdr, &len));
    xdr_destroy(&xdr);
    g_assert_cmpmem(buf, len, want, sizeof(want));
}

static void
test_list_all_domains(void)
{
    remote_nonnull_domain doms[2] = {
        { .name = (char *) "web", .id = 3 },
        { .name = (char *) "db1", .id = -1 },
    };
    for (int i = 0; i < 16; i++) {
        doms[0].uuid[i] = (char) i;
        doms[1].uuid[i] = (char) (0xf0 | i);
    }
    remote_connect_list_all_domains_ret ret = {
        .domains = { .domains_len = 2, .domains_val = doms },
        .ret = 2,
    };
    g_autoptr(GBytes) bytes =
        encode((xdrproc_t) xdr_remote_connect_list_all_domains_ret, &ret);
    /* count + 2 x (len + "web"/"db1" padded to 4 + 16 uuid + id) + ret */
    g_assert_cmpuint(g_bytes_get_size(bytes), ==, 4 + 2 * (4 + 4 + 16 + 4) + 4);
    const guint8 *data = g_bytes_get_data(bytes, NULL);
    static const guint8 first[] = {
        0, 0, 0, 2,  0, 0, 0, 3, 'w', 'e', 'b', 0,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        0, 0, 0, 3,
    };
    g_assert_cmpmem(data, sizeof(first), first, sizeof(first));

    remote_connect_list_all_domains_ret back;
    gsize len;
    const guint8 *raw = g_bytes_get_data(bytes, &len);
    g_assert_true(decode((xdrproc_t) xdr_remote_connect_list_all_domains_ret,
                         raw, len, &back, sizeof(back), NULL));
    g_assert_cmpuint(back.domains.domains_len, ==, 2);
    g_assert_cmpstr(back.domains.domains_val[0].name, ==, "web");
    g_assert_cmpint(back.domains.domains_val[0].id, ==, 3);
    g_assert_cmpstr(back.domains.domains_val[1].name, ==, "db1");
    g_assert_cmpint(back.domains.domains_val[1].id, ==, -1);
    g_assert_cmpmem(back.domains.domains_val[1].uuid, 16, doms[1].uuid, 16);
    g_assert_cmpuint(back.ret, ==, 2);
    xdr_free((xdrproc_t) xdr_remote_connect_list_all_domains_ret, (char *) &back);
}

static void
test_typed_param(void)
{
    remote_typed_param p = {
        .field = (char *) "cpu_time",
        .value = { .type = REMOTE_TYPED_PARAM_ULLONG,
                   .remote_typed_param_value_u.ul = 5 },
    };
    g_autoptr(GBytes) bytes = encode((xdrproc_t) xdr_remote_typed_param, &p);
    static const guint8 want[] = {
        0, 0, 0, 8, 'c', 'p', 'u', '_', 't', 'i', 'm', 'e',
        0, 0, 0, 4,                     /* ULLONG */
        0, 0, 0, 0, 0, 0, 0, 5,
    };
    assert_bytes(bytes, want, sizeof(want));

    /* A discriminant outside the union must be refused. */
    static const guint8 bad[] = { 0, 0, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 9 };
    remote_typed_param back;
    g_assert_false(decode((xdrproc_t) xdr_remote_typed_param, bad, sizeof(bad),
                          &back, sizeof(back), NULL));
    xdr_free((xdrproc_t) xdr_remote_typed_param, (char *) &back);
}

static void
test_proc_lookup(void)
{
    static const struct { int proc; const char *name; const char *api; } known[] = {
        { 1, "CONNECT_OPEN", "virConnectOpen" },
        { 2, "CONNECT_CLOSE", "virConnectClose" },
        { 3, "CONNECT_GET_TYPE", "virConnectGetType" },
        { 4, "CONNECT_GET_VERSION", "virConnectGetVersion" },
        { 11, "DOMAIN_DEFINE_XML", "virDomainDefineXML" },
        { 14, "DOMAIN_GET_XML_DESC", "virDomainGetXMLDesc" },
        { 19, "DOMAIN_GET_OS_TYPE", "virDomainGetOSType" },
        { 22, "DOMAIN_LOOKUP_BY_ID", "virDomainLookupByID" },
        { 24, "DOMAIN_LOOKUP_BY_UUID", "virDomainLookupByUUID" },
        { 59, "CONNECT_GET_HOSTNAME", "virConnectGetHostname" },
        { 60, "CONNECT_SUPPORTS_FEATURE", "virConnectSupportsFeature" },
        { 66, "AUTH_LIST", "virAuthList" },
        { 110, "CONNECT_GET_URI", "virConnectGetURI" },
        { 129, "INTERFACE_LOOKUP_BY_MAC_STRING", "virInterfaceLookupByMACString" },
        { 157, "CONNECT_GET_LIB_VERSION", "virConnectGetLibVersion" },
        { 210, "DOMAIN_INJECT_NMI", "virDomainInjectNMI" },
        { 212, "DOMAIN_GET_STATE", "virDomainGetState" },
        { 253, "DOMAIN_GET_BLOCK_IO_TUNE", "virDomainGetBlockIoTune" },
        { 267, "DOMAIN_PM_WAKEUP", "virDomainPMWakeup" },
        { 273, "CONNECT_LIST_ALL_DOMAINS", "virConnectListAllDomains" },
        { 286, "CONNECT_LIST_ALL_NWFILTERS", "virConnectListAllNWFilters" },
        { 293, "NODE_GET_CPU_MAP", "virNodeGetCPUMap" },
        { 297, "NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN", "virNodeDeviceLookupSCSIHostByWWN" },
        { 316, "CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY", "virConnectDomainEventRegisterAny" },
        { 317, "CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY", "virConnectDomainEventDeregisterAny" },
        { 318, "DOMAIN_EVENT_CALLBACK_LIFECYCLE", "virDomainEventCallbackLifecycle" },
        { 335, "DOMAIN_FSFREEZE", "virDomainFSFreeze" },
        { 341, "NETWORK_GET_DHCP_LEASES", "virNetworkGetDHCPLeases" },
        { 351, "DOMAIN_GET_IOTHREAD_INFO", "virDomainGetIOThreadInfo" },
        { 360, "CONNECT_REGISTER_CLOSE_CALLBACK", "virConnectRegisterCloseCallback" },
        { 361, "CONNECT_UNREGISTER_CLOSE_CALLBACK", "virConnectUnregisterCloseCallback" },
        { 443, "DOMAIN_FD_ASSOCIATE", "virDomainFDAssociate" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(known); i++) {
        const VkProcInfo *p = vk_remote_proc_lookup(known[i].proc);
        g_assert_nonnull(p);
        g_assert_cmpint(p->proc, ==, known[i].proc);
        g_assert_cmpstr(p->name, ==, known[i].name);
        g_assert_cmpstr(p->api, ==, known[i].api);
    }
    g_assert_null(vk_remote_proc_lookup(0));
    g_assert_null(vk_remote_proc_lookup(-1));
    g_assert_null(vk_remote_proc_lookup(100000));
    g_assert_null(vk_remote_proc_lookup(VK_REMOTE_PROC_TABLE_SIZE));
}

/* Which daemon answers a call, as libvirt splits its drivers. */
static void
test_proc_owner(void)
{
    static const struct { int proc; VkProcOwner owner; } known[] = {
        { REMOTE_PROC_CONNECT_OPEN, VK_PROC_OWNER_NONE },
        { REMOTE_PROC_CONNECT_GET_URI, VK_PROC_OWNER_NONE },
        { REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, VK_PROC_OWNER_NONE },
        { REMOTE_PROC_AUTH_LIST, VK_PROC_OWNER_NONE },
        { REMOTE_PROC_CONNECT_GET_TYPE, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_CONNECT_GET_CAPABILITIES, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_NODE_GET_INFO, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_NODE_GET_CPU_STATS, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_NODE_GET_FREE_MEMORY, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_DOMAIN_DEFINE_XML, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_CONNECT_LIST_ALL_NWFILTERS, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_CONNECT_LIST_ALL_NETWORKS, VK_PROC_OWNER_NETWORK },
        { REMOTE_PROC_CONNECT_NUM_OF_NETWORKS, VK_PROC_OWNER_NETWORK },
        { REMOTE_PROC_NETWORK_DEFINE_XML, VK_PROC_OWNER_NETWORK },
        { REMOTE_PROC_NETWORK_PORT_CREATE_XML, VK_PROC_OWNER_NETWORK },
        { REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, VK_PROC_OWNER_NETWORK },
        { REMOTE_PROC_NETWORK_EVENT_LIFECYCLE, VK_PROC_OWNER_NETWORK },
        { REMOTE_PROC_CONNECT_FIND_STORAGE_POOL_SOURCES, VK_PROC_OWNER_STORAGE },
        { REMOTE_PROC_CONNECT_LIST_ALL_STORAGE_POOLS, VK_PROC_OWNER_STORAGE },
        { REMOTE_PROC_CONNECT_GET_STORAGE_POOL_CAPABILITIES, VK_PROC_OWNER_STORAGE },
        { REMOTE_PROC_STORAGE_VOL_CREATE_XML_FROM, VK_PROC_OWNER_STORAGE },
        { REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH, VK_PROC_OWNER_STORAGE },
        { REMOTE_PROC_NODE_NUM_OF_DEVICES, VK_PROC_OWNER_NODEDEV },
        { REMOTE_PROC_NODE_LIST_DEVICES, VK_PROC_OWNER_NODEDEV },
        { REMOTE_PROC_CONNECT_LIST_ALL_NODE_DEVICES, VK_PROC_OWNER_NODEDEV },
        { REMOTE_PROC_NODE_DEVICE_CREATE_XML, VK_PROC_OWNER_NODEDEV },
        { REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY, VK_PROC_OWNER_NODEDEV },
        /* detaching a host device for a guest is the hypervisor's */
        { REMOTE_PROC_NODE_DEVICE_DETTACH, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_NODE_DEVICE_DETACH_FLAGS, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_NODE_DEVICE_RE_ATTACH, VK_PROC_OWNER_HYPERVISOR },
        { REMOTE_PROC_NODE_DEVICE_RESET, VK_PROC_OWNER_HYPERVISOR },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(known); i++)
        g_assert_cmpint(vk_remote_proc_lookup(known[i].proc)->owner, ==, known[i].owner);
    /* the calls that open a stream, which a router passes on with it */
    g_assert_true(vk_remote_proc_lookup(REMOTE_PROC_STORAGE_VOL_UPLOAD)->flags & VK_PROC_STREAM);
    g_assert_true(vk_remote_proc_lookup(REMOTE_PROC_DOMAIN_OPEN_CONSOLE)->flags & VK_PROC_STREAM);
    g_assert_false(vk_remote_proc_lookup(REMOTE_PROC_STORAGE_VOL_CREATE_XML)->flags &
                   VK_PROC_STREAM);
    /* the keepalive program is answered where it arrives */
    for (int proc = 0; proc < 100; proc++) {
        const VkProcInfo *info = vk_keepalive_proc_lookup(proc);
        g_assert_true(!info || info->owner == VK_PROC_OWNER_NONE);
    }
}

static void
test_proc_flags(void)
{
    const VkProcInfo *define = vk_remote_proc_lookup(REMOTE_PROC_DOMAIN_DEFINE_XML);
    g_assert_false(define->flags & VK_PROC_READONLY_OK);
    g_assert_true(define->flags & VK_PROC_PRIORITY);
    g_assert_true(define->flags & VK_PROC_HAS_ARGS_DEFINED);
    g_assert_true(define->args_filter == (xdrproc_t) xdr_remote_domain_define_xml_args);
    g_assert_cmpuint(define->args_size, ==, sizeof(remote_domain_define_xml_args));
    g_assert_true(define->ret_filter == (xdrproc_t) xdr_remote_domain_define_xml_ret);

    const VkProcInfo *list = vk_remote_proc_lookup(REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS);
    g_assert_true(list->flags & VK_PROC_READONLY_OK);
    g_assert_true(list->flags & VK_PROC_PRIORITY);

    /* Read-only allowed: reads, lookups, events, auth, close callbacks. */
    static const int ro[] = {
        REMOTE_PROC_CONNECT_OPEN, REMOTE_PROC_CONNECT_CLOSE,
        REMOTE_PROC_AUTH_LIST, REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
        REMOTE_PROC_DOMAIN_GET_XML_DESC, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
        REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
        REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
        REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, REMOTE_PROC_NODE_GET_INFO,
        REMOTE_PROC_CONNECT_LIST_ALL_STORAGE_POOLS,
    };
    for (gsize i = 0; i < G_N_ELEMENTS(ro); i++)
        g_assert_true(vk_remote_proc_lookup(ro[i])->flags & VK_PROC_READONLY_OK);

    /* Refused read-only: anything that changes or starts something, and
     * the read-acl calls libvirt refuses all the same. */
    static const int rw[] = {
        REMOTE_PROC_DOMAIN_CREATE, REMOTE_PROC_DOMAIN_DESTROY,
        REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, REMOTE_PROC_DOMAIN_SET_AUTOSTART,
        REMOTE_PROC_DOMAIN_ATTACH_DEVICE_FLAGS, REMOTE_PROC_DOMAIN_GET_HOSTNAME,
        REMOTE_PROC_CONNECT_GET_DOMAIN_CAPABILITIES, REMOTE_PROC_DOMAIN_BLOCK_PEEK,
        REMOTE_PROC_SECRET_GET_VALUE, REMOTE_PROC_DOMAIN_SET_SCHEDULER_PARAMETERS,
        REMOTE_PROC_NETWORK_CREATE, REMOTE_PROC_STORAGE_VOL_DELETE,
    };
    for (gsize i = 0; i < G_N_ELEMENTS(rw); i++)
        g_assert_false(vk_remote_proc_lookup(rw[i])->flags & VK_PROC_READONLY_OK);

    /* Args defined in remote.x (the snapshot procedures got theirs). */
    const VkProcInfo *snap = vk_remote_proc_lookup(REMOTE_PROC_DOMAIN_SNAPSHOT_CREATE_XML);
    g_assert_true(snap->flags & VK_PROC_HAS_ARGS_DEFINED);
    g_assert_nonnull(snap->args_filter);
    g_assert_cmpuint(snap->args_size, ==, sizeof(remote_domain_snapshot_create_xml_args));

    /* Void both ways but defined. */
    const VkProcInfo *close = vk_remote_proc_lookup(REMOTE_PROC_CONNECT_CLOSE);
    g_assert_true(close->flags & VK_PROC_HAS_ARGS_DEFINED);
    g_assert_null(close->args_filter);
    g_assert_null(close->ret_filter);

    /* Events: their payload decodes through args_filter. */
    const VkProcInfo *ev = vk_remote_proc_lookup(REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE);
    g_assert_true(ev->flags & VK_PROC_EVENT);
    g_assert_true(ev->args_filter ==
                  (xdrproc_t) xdr_remote_domain_event_callback_lifecycle_msg);
    g_assert_null(ev->ret_filter);
    g_assert_false(vk_remote_proc_lookup(REMOTE_PROC_DOMAIN_GET_INFO)->flags & VK_PROC_EVENT);
}

static void
test_proc_table_consistent(void)
{
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    int count = 0;
    for (int n = 1; n < VK_REMOTE_PROC_TABLE_SIZE; n++) {
        const VkProcInfo *p = vk_remote_proc_lookup(n);
        g_assert_nonnull(p);      /* libvirt's numbers have no gaps */
        g_assert_cmpint(p->proc, ==, n);
        g_assert_true(g_str_has_prefix(p->api, "vir"));
        g_assert_true(g_hash_table_add(names, (gpointer) p->name));
        g_assert_true((p->args_filter == NULL) == (p->args_size == 0));
        g_assert_true((p->ret_filter == NULL) == (p->ret_size == 0));
        if (!(p->flags & VK_PROC_HAS_ARGS_DEFINED))
            g_assert_true(!p->args_filter && !p->ret_filter);
        count++;
    }
    g_assert_cmpint(count, >=, 443);   /* libvirt 9.0 ends at 443 */
}

static void
test_keepalive_table(void)
{
    const VkProcInfo *ping = vk_keepalive_proc_lookup(KEEPALIVE_PROC_PING);
    const VkProcInfo *pong = vk_keepalive_proc_lookup(KEEPALIVE_PROC_PONG);
    g_assert_nonnull(ping);
    g_assert_nonnull(pong);
    g_assert_cmpstr(ping->name, ==, "PING");
    g_assert_cmpstr(pong->name, ==, "PONG");
    g_assert_true(ping->flags & VK_PROC_READONLY_OK);
    g_assert_true(ping->flags & VK_PROC_HAS_ARGS_DEFINED);
    g_assert_null(ping->args_filter);
    g_assert_null(vk_keepalive_proc_lookup(3));
    g_assert_null(vk_keepalive_proc_lookup(0));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/protocol/header", test_header_round_trip);
    g_test_add_func("/protocol/constants", test_constants);
    g_test_add_func("/protocol/error/present", test_error_present);
    g_test_add_func("/protocol/error/absent-and-odd-flags", test_error_absent_and_odd_flags);
    g_test_add_func("/protocol/node-get-info", test_node_get_info);
    g_test_add_func("/protocol/connect-open-args", test_connect_open_args);
    g_test_add_func("/protocol/call-frame-bytes", test_call_frame_bytes);
    g_test_add_func("/protocol/list-all-domains", test_list_all_domains);
    g_test_add_func("/protocol/typed-param", test_typed_param);
    g_test_add_func("/protocol/proc/lookup", test_proc_lookup);
    g_test_add_func("/protocol/proc/flags", test_proc_flags);
    g_test_add_func("/protocol/proc/owner", test_proc_owner);
    g_test_add_func("/protocol/proc/consistent", test_proc_table_consistent);
    g_test_add_func("/protocol/keepalive", test_keepalive_table);
    return g_test_run();
}
