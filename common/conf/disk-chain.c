/* A disk's <backingStore> chain and <mirror> in the live XML (disk-chain.h). */
#include "common/conf/disk-chain.h"

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "virtkit/virtkit.h"

void
vk_disk_layer_free(VkDiskLayer *layer)
{
    if (!layer)
        return;
    g_free(layer->path);
    g_free(layer->format);
    g_free(layer);
}

VkDiskLayer *
vk_disk_layer_copy(const VkDiskLayer *layer)
{
    VkDiskLayer *copy = g_new0(VkDiskLayer, 1);

    copy->block = layer->block;
    copy->path = g_strdup(layer->path);
    copy->format = g_strdup(layer->format);
    copy->index = layer->index;
    return copy;
}

void
vk_disk_mirror_free(VkDiskMirror *mirror)
{
    if (!mirror)
        return;
    g_free(mirror->job);
    g_free(mirror->dest.path);
    g_free(mirror->dest.format);
    g_free(mirror);
}

GPtrArray *
vk_disk_chain_new(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify) vk_disk_layer_free);
}

/* <format type=> and <source file|dev= index=> of NODE into LAYER. */
static int
parse_layer(xmlNodePtr node, VkDiskLayer *layer)
{
    g_autofree char *type = vk_xml_prop(node, "type");
    xmlNodePtr src = vk_xml_child(node, "source");
    xmlNodePtr fmt = vk_xml_child(node, "format");
    g_autofree char *index = src ? vk_xml_prop(src, "index") : NULL;

    if (!index)
        index = vk_xml_prop(node, "index");
    layer->block = g_strcmp0(type, "block") == 0;
    layer->path = src ? vk_xml_prop(src, layer->block ? "dev" : "file") : NULL;
    layer->format = fmt ? vk_xml_prop(fmt, "type") : NULL;
    layer->index = index ? (unsigned int) g_ascii_strtoull(index, NULL, 10) : 0;
    if (!layer->path) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "%s",
                        "missing disk backing store source");
        return -1;
    }
    return 0;
}

int
vk_disk_chain_parse(xmlNodePtr disk_node, GPtrArray *chain, bool *ends, bool live)
{
    xmlNodePtr n = vk_xml_child(disk_node, "backingStore");

    *ends = false;
    for (; n; n = vk_xml_child(n, "backingStore")) {
        if (!n->children && !n->properties) {
            *ends = true;
            break;
        }
        g_autoptr(VkDiskLayer) layer = g_new0(VkDiskLayer, 1);
        if (parse_layer(n, layer) < 0)
            return -1;
        /* the layer's index is on the <backingStore> itself */
        g_autofree char *index = vk_xml_prop(n, "index");
        layer->index = index && live ? (unsigned int) g_ascii_strtoull(index, NULL, 10) : 0;
        g_ptr_array_add(chain, g_steal_pointer(&layer));
    }
    return 0;
}

VkDiskMirror *
vk_disk_mirror_parse(xmlNodePtr disk_node, bool *failed)
{
    xmlNodePtr n = vk_xml_child(disk_node, "mirror");
    VkDiskMirror *mirror;
    g_autofree char *ready = NULL;

    *failed = false;
    if (!n)
        return NULL;
    mirror = g_new0(VkDiskMirror, 1);
    mirror->job = vk_xml_prop(n, "job");
    ready = vk_xml_prop(n, "ready");
    mirror->ready = g_strcmp0(ready, "yes") == 0;
    if (!mirror->job || parse_layer(n, &mirror->dest) < 0) {
        vk_disk_mirror_free(mirror);
        *failed = true;
        return NULL;
    }
    return mirror;
}

static void
indent(GString *out, int ind)
{
    g_string_append_printf(out, "%*s", ind, "");
}

static void
attr(GString *out, const char *name, const char *value)
{
    g_string_append_printf(out, " %s='", name);
    vk_xml_escape_append(out, value);
    g_string_append_c(out, '\'');
}

/* <format type=/> and <source file=|dev= [index=]/> of LAYER at IND */
static void
format_layer_body(GString *out, int ind, const VkDiskLayer *layer, bool source_index)
{
    if (layer->format) {
        indent(out, ind);
        g_string_append(out, "<format");
        attr(out, "type", layer->format);
        g_string_append(out, "/>\n");
    }
    indent(out, ind);
    g_string_append(out, "<source");
    attr(out, layer->block ? "dev" : "file", layer->path);
    if (source_index && layer->index)
        g_string_append_printf(out, " index='%u'", layer->index);
    g_string_append(out, "/>\n");
}

static void
format_chain_from(GString *out, int ind, const GPtrArray *chain, guint i, bool ends, bool live)
{
    if (!chain || i >= chain->len) {
        if (ends) {
            indent(out, ind);
            g_string_append(out, "<backingStore/>\n");
        }
        return;
    }
    const VkDiskLayer *layer = g_ptr_array_index(chain, i);
    indent(out, ind);
    g_string_append_printf(out, "<backingStore type='%s'", layer->block ? "block" : "file");
    if (live)
        g_string_append_printf(out, " index='%u'", layer->index);
    g_string_append(out, ">\n");
    format_layer_body(out, ind + 2, layer, false);
    format_chain_from(out, ind + 2, chain, i + 1, ends, live);
    indent(out, ind);
    g_string_append(out, "</backingStore>\n");
}

void
vk_disk_chain_format(GString *out, int ind, const GPtrArray *chain, bool ends, bool live)
{
    format_chain_from(out, ind, chain, 0, ends, live);
}

void
vk_disk_mirror_format(GString *out, int ind, const VkDiskMirror *mirror)
{
    bool copy;

    if (!mirror)
        return;
    /* a copy also names its target in the attributes of old */
    copy = g_strcmp0(mirror->job, "copy") == 0;
    indent(out, ind);
    g_string_append_printf(out, "<mirror type='%s'", mirror->dest.block ? "block" : "file");
    if (copy) {
        attr(out, mirror->dest.block ? "dev" : "file", mirror->dest.path);
        if (mirror->dest.format)
            attr(out, "format", mirror->dest.format);
    }
    attr(out, "job", mirror->job);
    if (mirror->ready)
        g_string_append(out, " ready='yes'");
    g_string_append(out, ">\n");
    format_layer_body(out, ind + 2, &mirror->dest, true);
    if (copy) {
        indent(out, ind + 2);
        g_string_append(out, "<backingStore/>\n");
    }
    indent(out, ind);
    g_string_append(out, "</mirror>\n");
}
