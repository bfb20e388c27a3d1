/* What the user gave of a domain's PCI topology, recorded at define before
 * assignment fills in the rest: the addresses given on devices and the PCI
 * controllers given (index, model, whether their address was given too).
 * It is kept with the definition (VkDomainDef.pci_given) and in our own
 * saved files, inside <metadata> in our own namespace; clients never see it
 * in the domain XML, but may ask for it with virDomainGetMetadata(ELEMENT,
 * VK_DOMAIN_PCI_GIVEN_NS).  The PCI tree (domain-pci-assign.h) re-runs
 * assignment from it to tell who chose each address. */
#pragma once

#include <libxml/tree.h>

#include "common/conf/domain.h"

#define VK_DOMAIN_PCI_GIVEN_NS "https://virtkit.org/xmlns/domain/pci-given/1"
#define VK_DOMAIN_PCI_GIVEN_PREFIX "virtkit"

typedef struct {
    unsigned int index;
    VkPciControllerModel model;
    bool has_address;          /* the user gave its address too */
    VkPciAddress address;      /* then: that address */
} VkDomainPciGivenController;

typedef struct {
    VkPciAddress address;      /* as the user gave it */
    VkPciAddress at;           /* where the device is: libvirt's reservation
                                * order may move it onto a bus it adds */
} VkDomainPciGivenDevice;

struct VkDomainPciGiven {
    GArray *devices;           /* VkDomainPciGivenDevice */
    GArray *controllers;       /* VkDomainPciGivenController */
};

VkDomainPciGiven *vk_domain_pci_given_new(void);
void vk_domain_pci_given_free(VkDomainPciGiven *given);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainPciGiven, vk_domain_pci_given_free)

/* vk_domain_pci_assign() for a define: records in DEF what it gives, as
 * parsed from the user's XML (after the defaults), replacing an earlier
 * record, then assigns. */
int vk_domain_pci_given_assign(VkDomainDef *def, const char *host_root);

/* A redefine: DEF (recorded from the new XML) replaces PREVIOUS.  An item
 * whose address (and model) is unchanged keeps the provenance it had in
 * PREVIOUS: an address dumped and given back is not the user's for that. */
void vk_domain_pci_given_carry(VkDomainDef *def, VkDomainDef *previous);

/* A device attached to DEF's config with INFO as the user gave it: its
 * address, when given, is the user's. */
void vk_domain_pci_given_add_device(VkDomainDef *def, const VkDeviceInfo *info);
/* A device detached from DEF's config with INFO: what goes to its address
 * next is not the user's for that. */
void vk_domain_pci_given_forget_device(VkDomainDef *def, const VkDeviceInfo *info);

/* In GIVEN (NULL: nothing): the address the user gave the device now AT
 * (NULL: none); the controller of INDEX and MODEL (NULL: not given). */
const VkPciAddress *vk_domain_pci_given_device(const VkDomainPciGiven *given,
                                               const VkPciAddress *at);
const VkDomainPciGivenController *vk_domain_pci_given_controller(const VkDomainPciGiven *given,
                                                                 unsigned int index,
                                                                 VkPciControllerModel model);

/* The element, with PREFIX on every name and the namespace declared
 * (PREFIX NULL: unprefixed, as virDomainGetMetadata returns an element),
 * indented by INDENT spaces. */
char *vk_domain_pci_given_format(const VkDomainPciGiven *given, const char *prefix, int indent);

/* The element NODE (any prefix); NULL with VIR_ERR_XML_ERROR when bad. */
VkDomainPciGiven *vk_domain_pci_given_parse_node(xmlNodePtr node);
/* The same from text (what virDomainGetMetadata returned). */
VkDomainPciGiven *vk_domain_pci_given_parse_string(const char *xml);

/* Parse: take our element out of the <metadata> node METADATA (so that it
 * never reaches the XML clients see), NULL when it has none (or a bad one,
 * which is dropped: the tree then recomputes). */
VkDomainPciGiven *vk_domain_pci_given_take(xmlNodePtr metadata);

/* Format, for our own files (VK_DOMAIN_FORMAT_PRIVATE): DEF's <metadata>
 * with our element in it, NULL when DEF has nothing recorded. */
char *vk_domain_pci_given_metadata(const VkDomainDef *def);
