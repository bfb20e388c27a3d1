/* What a domain is: its XML, its info record, whether it runs, persists and
 * autostarts, its OS type, memory and security label (with the host's
 * security model, which gives the label its meaning). */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

char *
virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    remote_domain_get_xml_desc_args args = { .flags = flags };
    remote_domain_get_xml_desc_ret ret = { 0 };
    char *xml;

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__))
        return NULL;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_GET_XML_DESC,
                              (xdrproc_t) xdr_remote_domain_get_xml_desc_args, &args,
                              (xdrproc_t) xdr_remote_domain_get_xml_desc_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    xml = g_strdup(ret.xml);
    xdr_free((xdrproc_t) xdr_remote_domain_get_xml_desc_ret, (char *) &ret);
    return xml;
}

int
virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    remote_domain_get_info_args args = { 0 };
    remote_domain_get_info_ret ret = { 0 };

    vk_client_enter();
    if (info)
        memset(info, 0, sizeof(*info));
    if (!vk_client_check_domain(domain, __func__) ||
        !vk_client_check_nonnull(info, "info", __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_GET_INFO,
                              (xdrproc_t) xdr_remote_domain_get_info_args, &args,
                              (xdrproc_t) xdr_remote_domain_get_info_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    info->state = ret.state;
    info->maxMem = ret.maxMem;
    info->memory = ret.memory;
    info->nrVirtCpu = ret.nrVirtCpu;
    info->cpuTime = ret.cpuTime;
    return 0;
}

int
virDomainIsActive(virDomainPtr dom)
{
    remote_domain_is_active_args args = { 0 };
    remote_domain_is_active_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_domain(dom, __func__))
        return -1;
    vk_client_domain_to_wire(dom, &args.dom);
    if (vk_client_domain_call(dom, REMOTE_PROC_DOMAIN_IS_ACTIVE,
                              (xdrproc_t) xdr_remote_domain_is_active_args, &args,
                              (xdrproc_t) xdr_remote_domain_is_active_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return ret.active ? 1 : 0;
}

int
virDomainIsPersistent(virDomainPtr dom)
{
    remote_domain_is_persistent_args args = { 0 };
    remote_domain_is_persistent_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_domain(dom, __func__))
        return -1;
    vk_client_domain_to_wire(dom, &args.dom);
    if (vk_client_domain_call(dom, REMOTE_PROC_DOMAIN_IS_PERSISTENT,
                              (xdrproc_t) xdr_remote_domain_is_persistent_args, &args,
                              (xdrproc_t) xdr_remote_domain_is_persistent_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return ret.persistent ? 1 : 0;
}

int
virDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    remote_domain_has_managed_save_image_args args = { .flags = flags };
    remote_domain_has_managed_save_image_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_domain(dom, __func__))
        return -1;
    vk_client_domain_to_wire(dom, &args.dom);
    if (vk_client_domain_call(dom, REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE,
                              (xdrproc_t) xdr_remote_domain_has_managed_save_image_args, &args,
                              (xdrproc_t) xdr_remote_domain_has_managed_save_image_ret,
                              &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    return ret.result ? 1 : 0;
}

int
virDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    remote_domain_get_autostart_args args = { 0 };
    remote_domain_get_autostart_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__) ||
        !vk_client_check_nonnull(autostart, "autostart", __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_GET_AUTOSTART,
                              (xdrproc_t) xdr_remote_domain_get_autostart_args, &args,
                              (xdrproc_t) xdr_remote_domain_get_autostart_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    *autostart = ret.autostart ? 1 : 0;
    return 0;
}

int
virDomainSetAutostart(virDomainPtr domain, int autostart)
{
    remote_domain_set_autostart_args args = { .autostart = autostart };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_SET_AUTOSTART,
                              (xdrproc_t) xdr_remote_domain_set_autostart_args, &args,
                              NULL, NULL) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

char *
virDomainGetOSType(virDomainPtr domain)
{
    remote_domain_get_os_type_args args = { 0 };
    remote_domain_get_os_type_ret ret = { 0 };
    char *type;

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__))
        return NULL;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_GET_OS_TYPE,
                              (xdrproc_t) xdr_remote_domain_get_os_type_args, &args,
                              (xdrproc_t) xdr_remote_domain_get_os_type_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    type = g_strdup(ret.type);
    xdr_free((xdrproc_t) xdr_remote_domain_get_os_type_ret, (char *) &ret);
    return type;
}

unsigned long
virDomainGetMaxMemory(virDomainPtr domain)
{
    remote_domain_get_max_memory_args args = { 0 };
    remote_domain_get_max_memory_ret ret = { 0 };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__))
        return 0;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_GET_MAX_MEMORY,
                              (xdrproc_t) xdr_remote_domain_get_max_memory_args, &args,
                              (xdrproc_t) xdr_remote_domain_get_max_memory_ret, &ret) < 0) {
        vk_client_failed();
        return 0;
    }
    return ret.memory;
}

/* Copy a counted wire string into a fixed buffer of SIZE, as libvirt does:
 * an answer that does not fit is an error, not a silent cut. */
static int
copy_fixed(char *to, size_t size, const char *from, u_int len, const char *what)
{
    if (len >= size) {
        vk_error_report(VIR_FROM_REMOTE, VIR_ERR_RPC,
                        "the daemon's %s is %u bytes long, more than the %zu the API allows",
                        what, len, size - 1);
        return -1;
    }
    memcpy(to, from, len);
    to[len] = '\0';
    return 0;
}

int
virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel)
{
    remote_domain_get_security_label_args args = { 0 };
    remote_domain_get_security_label_ret ret = { 0 };
    int rc = 0;

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__) ||
        !vk_client_check_nonnull(seclabel, "seclabel", __func__))
        return -1;
    memset(seclabel, 0, sizeof(*seclabel));
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL,
                              (xdrproc_t) xdr_remote_domain_get_security_label_args, &args,
                              (xdrproc_t) xdr_remote_domain_get_security_label_ret,
                              &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    /* the label travels with its NUL, as in libvirt */
    if (ret.label.label_len > 0)
        rc = copy_fixed(seclabel->label, sizeof(seclabel->label), ret.label.label_val,
                        strnlen(ret.label.label_val, ret.label.label_len), "security label");
    seclabel->enforcing = ret.enforcing;
    xdr_free((xdrproc_t) xdr_remote_domain_get_security_label_ret, (char *) &ret);
    if (rc < 0)
        vk_client_failed();
    return rc;
}

int
virDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags)
{
    remote_domain_get_messages_args args = { 0 };
    remote_domain_get_messages_ret ret = { 0 };
    int n;

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__) ||
        !vk_client_check_nonnull(msgs, "msgs", __func__))
        return -1;
    *msgs = NULL;
    vk_client_domain_to_wire(domain, &args.dom);
    args.flags = flags;
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_GET_MESSAGES,
                              (xdrproc_t) xdr_remote_domain_get_messages_args, &args,
                              (xdrproc_t) xdr_remote_domain_get_messages_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    n = (int) ret.msgs.msgs_len;
    *msgs = calloc(n + 1, sizeof(char *));
    for (int i = 0; i < n; i++)
        (*msgs)[i] = strdup(ret.msgs.msgs_val[i]);
    xdr_free((xdrproc_t) xdr_remote_domain_get_messages_ret, (char *) &ret);
    return n;
}

int
virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    remote_node_get_security_model_ret ret = { 0 };
    int rc = 0;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(secmodel, "secmodel", __func__))
        return -1;
    memset(secmodel, 0, sizeof(*secmodel));
    if (vk_client_call(conn, REMOTE_PROC_NODE_GET_SECURITY_MODEL, NULL, NULL,
                       (xdrproc_t) xdr_remote_node_get_security_model_ret, &ret) < 0) {
        vk_client_failed();
        return -1;
    }
    if (ret.model.model_len > 0)
        rc = copy_fixed(secmodel->model, sizeof(secmodel->model), ret.model.model_val,
                        strnlen(ret.model.model_val, ret.model.model_len), "security model");
    if (rc == 0 && ret.doi.doi_len > 0)
        rc = copy_fixed(secmodel->doi, sizeof(secmodel->doi), ret.doi.doi_val,
                        strnlen(ret.doi.doi_val, ret.doi.doi_len), "security DOI");
    xdr_free((xdrproc_t) xdr_remote_node_get_security_model_ret, (char *) &ret);
    if (rc < 0)
        vk_client_failed();
    return rc;
}
