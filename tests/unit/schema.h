/* Validation of formatted XML against libvirt's RelaxNG schemas
 * (/usr/share/libvirt/schemas), in process with libxml2, for the unit tests
 * of the XML definitions. */
#pragma once

#include <glib.h>

#define VK_TEST_SCHEMA_DIR "/usr/share/libvirt/schemas"

/* Fail the running test (with libxml2's messages and the document) when XML
 * does not validate against SCHEMA (a file name under VK_TEST_SCHEMA_DIR, or
 * a path).  A missing schema is a failure, not a skip: a skip would hide the
 * test's other failures. */
void vk_test_assert_schema_valid(const char *xml, const char *schema);
