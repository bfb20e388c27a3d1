/* The data-driven XML tests of the definitions (networks, ports, node
 * devices): every tests/data/SUB/NAME.xml parses and formats to the bytes of
 * NAME.expected.xml (what libvirtd 9.0 gave back, or the document itself
 * when it is libvirtd's output), formats the same again when its output is
 * parsed, and validates against the schema; every invalid-NAME.xml fails
 * with the code, domain and message of invalid-NAME.error (one a line). */
#pragma once

#include <glib.h>

typedef struct {
    const char *sub;      /* tests/data/SUB */
    const char *schema;   /* under /usr/share/libvirt/schemas */
    char *(*define)(const char *xml);   /* parse and format; NULL on error */
    /* NAME's document with what may legitimately differ blanked (both the
     * expected and our output go through it); NULL: compare the bytes */
    char *(*normalise)(const char *name, const char *xml);
    /* NAME.xml is its own expected output (no NAME.expected.xml) */
    gboolean self_expected;
} VkTestXmlCorpus;

/* Register the cases of CORPUS (which must outlive the tests). */
void vk_test_xml_corpus_add(const VkTestXmlCorpus *corpus);
