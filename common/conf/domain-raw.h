/* Elements Virtkit keeps as XML text (memtune, memoryBacking, cputune, the
 * cpu's <numa>, memory devices, redirfilter...) are still put in the form
 * libvirt prints them in: sizes in KiB, children in libvirt's order, hex
 * numbers as libvirt writes them.  Used by the parser before it serializes
 * such an element. */
#pragma once

#include <libxml/tree.h>

/* Rewrite NODE (and its subtree) in place into libvirt's canonical form.
 * Elements it does not know are left alone. */
void vk_domain_raw_canonicalize(xmlNodePtr node);
