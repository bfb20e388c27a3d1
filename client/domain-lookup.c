/* Getting hold of domains: lookups, definitions (define / undefine), transient
 * domains started from XML, and counting the running ones. */
#include <string.h>

#include "client/api-error.h"
#include "client/objects.h"
#include "common/util/error.h"

virDomainPtr
virDomainLookupByID(virConnectPtr conn, int id)
{
    remote_domain_lookup_by_id_args args = { .id = id };
    remote_domain_lookup_by_id_ret ret = { 0 };
    virDomainPtr domain;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__))
        return NULL;
    if (id < 0) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "id in %s must be greater than or equal to 0 (got %d)", __func__, id);
        vk_client_failed();
        return NULL;
    }
    if (vk_client_call(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_ID,
                       (xdrproc_t) xdr_remote_domain_lookup_by_id_args, &args,
                       (xdrproc_t) xdr_remote_domain_lookup_by_id_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    domain = vk_client_domain_new(conn, &ret.dom);
    xdr_free((xdrproc_t) xdr_remote_domain_lookup_by_id_ret, (char *) &ret);
    return domain;
}

virDomainPtr
virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    remote_domain_lookup_by_uuid_args args = { 0 };
    remote_domain_lookup_by_uuid_ret ret = { 0 };
    virDomainPtr domain;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(uuid, "uuid", __func__))
        return NULL;
    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    if (vk_client_call(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID,
                       (xdrproc_t) xdr_remote_domain_lookup_by_uuid_args, &args,
                       (xdrproc_t) xdr_remote_domain_lookup_by_uuid_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    domain = vk_client_domain_new(conn, &ret.dom);
    xdr_free((xdrproc_t) xdr_remote_domain_lookup_by_uuid_ret, (char *) &ret);
    return domain;
}

virDomainPtr
virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (!vk_client_uuid_string_args(conn, uuidstr, uuid, __func__))
        return NULL;
    return virDomainLookupByUUID(conn, uuid);
}

virDomainPtr
virDomainLookupByName(virConnectPtr conn, const char *name)
{
    remote_domain_lookup_by_name_args args = { .name = (char *) name };
    remote_domain_lookup_by_name_ret ret = { 0 };
    virDomainPtr domain;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(name, "name", __func__))
        return NULL;
    if (vk_client_call(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
                       (xdrproc_t) xdr_remote_domain_lookup_by_name_args, &args,
                       (xdrproc_t) xdr_remote_domain_lookup_by_name_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    domain = vk_client_domain_new(conn, &ret.dom);
    xdr_free((xdrproc_t) xdr_remote_domain_lookup_by_name_ret, (char *) &ret);
    return domain;
}

virDomainPtr
virDomainDefineXML(virConnectPtr conn, const char *xml)
{
    remote_domain_define_xml_args args = { .xml = (char *) xml };
    remote_domain_define_xml_ret ret = { 0 };
    virDomainPtr domain;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(xml, "xml", __func__))
        return NULL;
    if (vk_client_call(conn, REMOTE_PROC_DOMAIN_DEFINE_XML,
                       (xdrproc_t) xdr_remote_domain_define_xml_args, &args,
                       (xdrproc_t) xdr_remote_domain_define_xml_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    domain = vk_client_domain_new(conn, &ret.dom);
    xdr_free((xdrproc_t) xdr_remote_domain_define_xml_ret, (char *) &ret);
    return domain;
}

virDomainPtr
virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    remote_domain_define_xml_flags_args args = { .xml = (char *) xml, .flags = flags };
    remote_domain_define_xml_flags_ret ret = { 0 };
    virDomainPtr domain;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(xml, "xml", __func__))
        return NULL;
    if (vk_client_call(conn, REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS,
                       (xdrproc_t) xdr_remote_domain_define_xml_flags_args, &args,
                       (xdrproc_t) xdr_remote_domain_define_xml_flags_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    domain = vk_client_domain_new(conn, &ret.dom);
    xdr_free((xdrproc_t) xdr_remote_domain_define_xml_flags_ret, (char *) &ret);
    return domain;
}

int
virDomainUndefine(virDomainPtr domain)
{
    remote_domain_undefine_args args = { 0 };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_UNDEFINE,
                              (xdrproc_t) xdr_remote_domain_undefine_args, &args,
                              NULL, NULL) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

int
virDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    remote_domain_undefine_flags_args args = { .flags = flags };

    vk_client_enter();
    if (!vk_client_check_domain(domain, __func__))
        return -1;
    vk_client_domain_to_wire(domain, &args.dom);
    if (vk_client_domain_call(domain, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS,
                              (xdrproc_t) xdr_remote_domain_undefine_flags_args, &args,
                              NULL, NULL) < 0) {
        vk_client_failed();
        return -1;
    }
    return 0;
}

virDomainPtr
virDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    remote_domain_create_xml_args args = { .xml_desc = (char *) xmlDesc, .flags = flags };
    remote_domain_create_xml_ret ret = { 0 };
    virDomainPtr domain;

    vk_client_enter();
    if (!vk_client_check_conn(conn, __func__) ||
        !vk_client_check_nonnull(xmlDesc, "xmlDesc", __func__))
        return NULL;
    if (vk_client_call(conn, REMOTE_PROC_DOMAIN_CREATE_XML,
                       (xdrproc_t) xdr_remote_domain_create_xml_args, &args,
                       (xdrproc_t) xdr_remote_domain_create_xml_ret, &ret) < 0) {
        vk_client_failed();
        return NULL;
    }
    domain = vk_client_domain_new(conn, &ret.dom);
    xdr_free((xdrproc_t) xdr_remote_domain_create_xml_ret, (char *) &ret);
    return domain;
}

int
virConnectNumOfDomains(virConnectPtr conn)
{
    return vk_client_conn_int_call(conn, __func__, REMOTE_PROC_CONNECT_NUM_OF_DOMAINS);
}
