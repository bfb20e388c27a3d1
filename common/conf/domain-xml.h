/* XML text helpers shared by the domain parser and formatter. */
#pragma once

#include <stdbool.h>

#include <glib.h>
#include <libxml/tree.h>

/* Append STR escaped as libvirt escapes text and attribute values
 * (& < > ' " as entities, other control characters but tab/newline/CR dropped). */
void vk_xml_escape_append(GString *buf, const char *str);

/* NODE and its subtree as libvirt would format it: attributes in single
 * quotes, children indented by two spaces, no trailing newline.  Used for
 * elements Virtkit keeps verbatim. */
char *vk_domain_xml_serialize(xmlNodePtr node);

/* <metadata> as libvirt keeps it: children without a namespace and repeated
 * namespaces dropped, dumped by libxml2 at indentation level 1. */
char *vk_domain_xml_metadata(xmlDocPtr doc, xmlNodePtr node);

/* Parse XML (named NAME in errors, as libvirt names its documents, e.g.
 * "(metadata_xml)"), dropping indentation blanks unless KEEP_BLANKS; NULL
 * with libvirt's VIR_ERR_XML_DETAIL error (line, message, the line and a
 * pointer under it). */
xmlDocPtr vk_xml_parse_string_named(const char *xml, const char *name, bool keep_blanks);
/* The same for the file PATH (errors name the file; NAME when libxml2 gives
 * no message). */
xmlDocPtr vk_xml_parse_file_named(const char *path, const char *name, bool keep_blanks);
/* Either of them (XML, or the file PATH when XML is NULL) without the
 * blanks, the errors reported in ERR_DOMAIN (a virErrorDomain) instead of
 * the domain's: the network and its ports are VIR_FROM_NETWORK documents. */
xmlDocPtr vk_xml_parse_named_from(const char *xml, const char *path, const char *name,
                                  int err_domain);

/* Append TEXT (possibly several lines) to BUF with INDENT spaces before
 * every line, and a final newline. */
void vk_xml_append_indented(GString *buf, const char *text, int indent);
