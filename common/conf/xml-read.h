/* Reading a parsed XML tree: child elements, attributes and text as GLib
 * strings, and attribute values as numbers, yes/no switches or values of a
 * C enum (VK_ENUM_IMPL), with the errors libvirt gives for invalid values.
 * Shared by the XML parsers of common/conf (domain, snapshot, raw elements). */
#pragma once

#include <stdbool.h>

#include <glib.h>
#include <libxml/tree.h>

#include "common/pci/address.h"

/* True when N is an element named NAME (any element when NAME is NULL). */
bool vk_xml_is_element(xmlNodePtr n, const char *name);
/* NODE's first child element named NAME, or NULL (also for a NULL NODE). */
xmlNodePtr vk_xml_child(xmlNodePtr node, const char *name);
/* The attribute NAME (without a namespace) of NODE, g_free'd by the caller;
 * NULL when absent or NODE is NULL. */
char *vk_xml_prop(xmlNodePtr node, const char *name);
/* NODE's text content (NULL for a NULL NODE). */
char *vk_xml_text(xmlNodePtr node);
/* The text of NODE's first child NAME, or NULL when there is none. */
char *vk_xml_child_text(xmlNodePtr node, const char *name);

/* libvirt's strict number parsing: the whole string is the number; no sign
 * for the unsigned ones.  -1 (no error reported) when STR is not one. */
int vk_xml_parse_ull(const char *str, int base, unsigned long long *out);
int vk_xml_parse_uint(const char *str, int base, unsigned int *out);
int vk_xml_parse_int(const char *str, int base, int *out);

/* Report libvirt's "Invalid value for attribute 'NAME' in element 'E':
 * 'VALUE'.SUFFIX" (SUFFIX may be NULL) and return -1. */
int vk_xml_invalid_attr(xmlNodePtr node, const char *name, const char *value,
                        const char *suffix);

/* Attribute readers: 0 when the attribute is absent (OUT untouched), 1 when
 * it was read into OUT, -1 with the error reported when it is invalid. */
int vk_xml_attr_uint(xmlNodePtr node, const char *name, int base, unsigned int *out);
int vk_xml_attr_int(xmlNodePtr node, const char *name, int *out);
/* A switch spelt WORDS[0] (on) / WORDS[1] (off): vk_xml_yes_no or vk_xml_on_off. */
int vk_xml_attr_tristate(xmlNodePtr node, const char *name, const char *const *words,
                         VkTristate *out);

/* One of the names of an enum, FROM_STRING being its NAME_from_string
 * (VK_ENUM_IMPL); a name it does not know is invalid.  OUT is the enum
 * field, passed as VK_XML_ENUM_OUT(field). */
int vk_xml_attr_enum(xmlNodePtr node, const char *name, int (*from_string)(const char *),
                     int *out);
/* An enum field as an int pointer: C enums are int-sized here (checked). */
#define VK_XML_ENUM_OUT(field) \
    (G_STATIC_ASSERT_EXPR(sizeof(field) == sizeof(int)), (int *) &(field))

/* <address type='pci' domain= bus= slot= function= multifunction=> into
 * ADDR with libvirt's range checks (VIR_ERR_XML_ERROR); an all-zero address
 * ("assign one") is accepted and keeps no multifunction. */
int vk_xml_pci_address(xmlNodePtr node, VkPciAddress *addr);

extern const char *const vk_xml_yes_no[];
extern const char *const vk_xml_on_off[];
