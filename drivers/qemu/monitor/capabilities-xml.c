/* Host and domain capabilities XML, shaped as libvirt 9.0 prints them. */
#include "drivers/qemu/monitor/capabilities-xml.h"
#include "drivers/qemu/monitor/cpu-map.h"
#include "drivers/qemu/monitor/firmware-descriptors.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#if defined(__x86_64__) || defined(__i386__)
# include <cpuid.h>
# define HAVE_CPUID 1
#endif
#if defined(__linux__)
# include <linux/kvm.h>
#endif

#include "common/util/error.h"
#include "common/util/json.h"

#define DEFAULT_FIRMWARE_DIR "/usr/share/qemu/firmware"

/* ------------------------------------------------------------------ */
/* small helpers                                                        */

static char *
read_trimmed(const char *sysroot, const char *path)
{
    g_autofree char *full = g_build_filename(sysroot, path, NULL);
    char *text = NULL;
    if (!g_file_get_contents(full, &text, NULL, NULL))
        return NULL;
    return g_strstrip(text);
}

static gboolean
read_uint(const char *sysroot, const char *path, guint64 *out)
{
    g_autofree char *text = read_trimmed(sysroot, path);
    if (!text || !*text)
        return FALSE;
    *out = g_ascii_strtoull(text, NULL, 10);
    return TRUE;
}

/* "0-3,8" into a sorted list of numbers. */
static GArray *
parse_cpu_list(const char *text)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(guint));
    g_auto(GStrv) parts = g_strsplit(text ? text : "", ",", -1);
    for (char **p = parts; *p; p++) {
        char *dash;
        if (!**p)
            continue;
        guint a = g_ascii_strtoull(*p, &dash, 10), b = a;
        if (*dash == '-')
            b = g_ascii_strtoull(dash + 1, NULL, 10);
        for (guint i = a; i <= b && i - a < 65536; i++)
            g_array_append_val(out, i);
    }
    return out;
}

static void
cell_free(gpointer p)
{
    VkHostCell *c = p;
    g_array_unref(c->page_counts);
    g_array_unref(c->distances);
    g_ptr_array_unref(c->cpus);
    g_free(c);
}

static void
host_cpu_free(gpointer p)
{
    VkHostCpu *c = p;
    g_free(c->siblings);
    g_free(c);
}

static void
bank_free(gpointer p)
{
    VkHostCacheBank *b = p;
    g_free(b->cpus);
    g_free(b);
}

void
vk_host_caps_free(VkHostCaps *host)
{
    if (!host)
        return;
    g_free(host->uuid);
    g_free(host->arch);
    g_free(host->cpu_model);
    g_free(host->cpu_vendor);
    g_ptr_array_unref(host->features);
    g_ptr_array_unref(host->host_features);
    g_array_unref(host->page_sizes_kib);
    g_ptr_array_unref(host->cells);
    g_ptr_array_unref(host->cache_banks);
    g_free(host->dac_label);
    g_free(host);
}

/* ------------------------------------------------------------------ */
/* the host CPU                                                         */

#ifdef HAVE_CPUID
static void
cpuid(guint32 leaf, guint32 subleaf, guint32 regs[4])
{
    regs[0] = regs[1] = regs[2] = regs[3] = 0;
    guint32 max = __get_cpuid_max(leaf & 0x80000000, NULL);
    if (leaf > max)
        return;
    __cpuid_count(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
}
#endif

static void
host_read_cpuid(VkHostCaps *host, VkCpuMap *map)
{
#ifdef HAVE_CPUID
    guint32 r[4];
    cpuid(0, 0, r);
    char vendor[13];
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = '\0';
    if (g_str_equal(vendor, "GenuineIntel"))
        host->cpu_vendor = g_strdup("Intel");
    else if (g_str_equal(vendor, "AuthenticAMD"))
        host->cpu_vendor = g_strdup("AMD");
    else if (g_str_equal(vendor, "HygonGenuine"))
        host->cpu_vendor = g_strdup("Hygon");

    cpuid(1, 0, r);
    guint base_family = (r[0] >> 8) & 0xf, base_model = (r[0] >> 4) & 0xf;
    host->family = base_family == 0xf ? base_family + ((r[0] >> 20) & 0xff) : base_family;
    host->model = base_family == 0xf || base_family == 0x6
                  ? (((r[0] >> 16) & 0xf) << 4) + base_model : base_model;
    host->stepping = r[0] & 0xf;

    cpuid(0x80000008, 0, r);
    host->phys_bits = r[0] & 0xff;

    for (guint i = 0; map && i < map->features->len; i++) {
        VkCpuMapFeature *f = map->features->pdata[i];
        cpuid(f->leaf, f->subleaf, r);
        gboolean has = f->regs[0] || f->regs[1] || f->regs[2] || f->regs[3];
        for (int k = 0; k < 4; k++)
            if ((r[k] & f->regs[k]) != f->regs[k])
                has = FALSE;
        if (has)
            g_ptr_array_add(host->host_features, g_strdup(f->name));
    }
#endif
}

static gboolean
model_has_signature(const VkCpuMapModel *m, guint family, guint model)
{
    for (guint i = 0; i + 1 < m->signatures->len; i += 2)
        if (g_array_index(m->signatures, guint, i) == family &&
            g_array_index(m->signatures, guint, i + 1) == model)
            return TRUE;
    return FALSE;
}

/* Name the host CPU the way libvirt does: of the models whose every feature
 * the CPU has (and whose vendor, if any, is the CPU's), prefer one with the
 * CPU's signature, then the one that leaves the fewest features to list. */
static void
host_decode_model(VkHostCaps *host, VkCpuMap *map)
{
    GHashTable *have = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < host->host_features->len; i++)
        g_hash_table_add(have, host->host_features->pdata[i]);

    VkCpuMapModel *best = NULL;
    guint best_extra = G_MAXUINT;
    gboolean best_sig = FALSE;
    for (guint i = 0; map && i < map->models->len; i++) {
        VkCpuMapModel *m = map->models->pdata[i];
        if (!m->decode_host)
            continue;
        if (m->vendor && g_strcmp0(m->vendor, host->cpu_vendor) != 0)
            continue;
        GHashTableIter it;
        gpointer key;
        gboolean subset = TRUE;
        g_hash_table_iter_init(&it, m->features);
        while (subset && g_hash_table_iter_next(&it, &key, NULL))
            subset = g_hash_table_contains(have, key);
        if (!subset)
            continue;
        guint extra = 0;
        for (guint k = 0; k < host->host_features->len; k++)
            if (!g_hash_table_contains(m->features, host->host_features->pdata[k]))
                extra++;
        gboolean sig = model_has_signature(m, host->family, host->model);
        if (!best || (sig && !best_sig) || (sig == best_sig && extra < best_extra)) {
            best = m;
            best_extra = extra;
            best_sig = sig;
        }
    }
    if (best) {
        host->cpu_model = g_strdup(best->name);
        for (guint k = 0; k < host->host_features->len; k++)
            if (!g_hash_table_contains(best->features, host->host_features->pdata[k]))
                g_ptr_array_add(host->features, g_strdup(host->host_features->pdata[k]));
    } else {
        for (guint k = 0; k < host->host_features->len; k++)
            g_ptr_array_add(host->features, g_strdup(host->host_features->pdata[k]));
    }
    g_hash_table_unref(have);
}

/* TSC frequency as KVM sees it, from a throw-away VM with one vCPU. */
static void
host_read_tsc(VkHostCaps *host, const char *sysroot)
{
#if defined(__linux__) && defined(KVM_GET_TSC_KHZ)
    if (!g_str_equal(sysroot, "/"))
        return;
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        return;
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm >= 0) {
        int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
        if (vcpu >= 0) {
            int khz = ioctl(vcpu, KVM_GET_TSC_KHZ, 0);
            if (khz > 0)
                host->tsc_hz = (guint64)khz * 1000;
            close(vcpu);
        }
        close(vm);
    }
    host->tsc_scaling = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_TSC_CONTROL) > 0;
    close(kvm);
#endif
}

static void
host_read_cpuinfo(VkHostCaps *host, const char *sysroot)
{
    g_autofree char *text = read_trimmed(sysroot, "proc/cpuinfo");
    if (!text)
        return;
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l && **l; l++) {
        char *colon = strchr(*l, ':');
        if (colon && g_str_has_prefix(*l, "microcode")) {
            host->microcode = g_ascii_strtoull(colon + 1, NULL, 0);
            break;
        }
    }
}

/* ------------------------------------------------------------------ */
/* topology, memory, pages, caches                                      */

static void
host_read_pages(VkHostCaps *host, const char *sysroot)
{
    guint base = sysconf(_SC_PAGESIZE) / 1024;
    g_array_append_val(host->page_sizes_kib, base);
    g_autofree char *dir = g_build_filename(sysroot, "sys/kernel/mm/hugepages", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;
    GArray *huge = g_array_new(FALSE, FALSE, sizeof(guint));
    while (d && (name = g_dir_read_name(d))) {
        if (g_str_has_prefix(name, "hugepages-")) {
            guint kib = g_ascii_strtoull(name + strlen("hugepages-"), NULL, 10);
            if (kib)
                g_array_append_val(huge, kib);
        }
    }
    for (guint i = 0; i < huge->len; i++)
        for (guint j = i + 1; j < huge->len; j++)
            if (g_array_index(huge, guint, j) < g_array_index(huge, guint, i)) {
                guint t = g_array_index(huge, guint, i);
                g_array_index(huge, guint, i) = g_array_index(huge, guint, j);
                g_array_index(huge, guint, j) = t;
            }
    g_array_append_vals(host->page_sizes_kib, huge->data, huge->len);
    g_array_unref(huge);
}

static VkHostCpu *
host_read_one_cpu(const char *sysroot, guint id)
{
    VkHostCpu *c = g_new0(VkHostCpu, 1);
    guint64 v;
    g_autofree char *base = g_strdup_printf("sys/devices/system/cpu/cpu%u/topology", id);
    g_autofree char *pkg = g_build_filename(base, "physical_package_id", NULL);
    g_autofree char *die = g_build_filename(base, "die_id", NULL);
    g_autofree char *core = g_build_filename(base, "core_id", NULL);
    g_autofree char *sib = g_build_filename(base, "thread_siblings_list", NULL);
    c->id = id;
    c->socket_id = read_uint(sysroot, pkg, &v) ? v : 0;
    c->die_id = read_uint(sysroot, die, &v) ? v : 0;
    c->core_id = read_uint(sysroot, core, &v) ? v : id;
    c->siblings = read_trimmed(sysroot, sib);
    if (!c->siblings)
        c->siblings = g_strdup_printf("%u", id);
    return c;
}

/* MemTotal of a meminfo text, in KiB. */
static guint64
meminfo_total(const char *text)
{
    const char *p = text ? strstr(text, "MemTotal:") : NULL;
    return p ? g_ascii_strtoull(p + strlen("MemTotal:"), NULL, 10) : 0;
}

static void
host_read_cells(VkHostCaps *host, const char *sysroot)
{
    g_autofree char *online = read_trimmed(sysroot, "sys/devices/system/node/online");
    g_autoptr(GArray) nodes = parse_cpu_list(online);
    gboolean numa = nodes->len > 0;
    if (!numa) {
        guint zero = 0;
        g_array_append_val(nodes, zero);
    }
    for (guint i = 0; i < nodes->len; i++) {
        guint id = g_array_index(nodes, guint, i);
        VkHostCell *cell = g_new0(VkHostCell, 1);
        cell->id = id;
        cell->page_counts = g_array_new(FALSE, TRUE, sizeof(guint64));
        cell->distances = g_array_new(FALSE, FALSE, sizeof(guint));
        cell->cpus = g_ptr_array_new_with_free_func(host_cpu_free);

        g_autofree char *ndir = g_strdup_printf("sys/devices/system/node/node%u", id);
        g_autofree char *mpath = g_build_filename(ndir, "meminfo", NULL);
        g_autofree char *meminfo = read_trimmed(sysroot, numa ? mpath : "proc/meminfo");
        /* node meminfo says "Node 0 MemTotal:  5073100 kB" */
        cell->memory_kib = meminfo_total(meminfo);

        guint64 huge_kib = 0;
        g_array_set_size(cell->page_counts, host->page_sizes_kib->len);
        for (guint p = 1; p < host->page_sizes_kib->len; p++) {
            guint size = g_array_index(host->page_sizes_kib, guint, p);
            g_autofree char *hp = numa
                ? g_strdup_printf("%s/hugepages/hugepages-%ukB/nr_hugepages", ndir, size)
                : g_strdup_printf("sys/kernel/mm/hugepages/hugepages-%ukB/nr_hugepages", size);
            guint64 n = 0;
            read_uint(sysroot, hp, &n);
            g_array_index(cell->page_counts, guint64, p) = n;
            huge_kib += n * size;
        }
        guint base = g_array_index(host->page_sizes_kib, guint, 0);
        if (host->page_sizes_kib->len > 0 && base)
            g_array_index(cell->page_counts, guint64, 0) =
                cell->memory_kib > huge_kib ? (cell->memory_kib - huge_kib) / base : 0;

        g_autofree char *dpath = g_build_filename(ndir, "distance", NULL);
        g_autofree char *dist = numa ? read_trimmed(sysroot, dpath) : NULL;
        g_auto(GStrv) dv = g_strsplit_set(dist ? dist : "10", " \t", -1);
        guint k = 0;
        for (char **d = dv; *d; d++) {
            if (!**d)
                continue;
            guint node = k < nodes->len ? g_array_index(nodes, guint, k) : k;
            guint val = g_ascii_strtoull(*d, NULL, 10);
            g_array_append_val(cell->distances, node);
            g_array_append_val(cell->distances, val);
            k++;
        }

        g_autofree char *cpath = g_build_filename(ndir, "cpulist", NULL);
        g_autofree char *clist = read_trimmed(sysroot, numa ? cpath : "sys/devices/system/cpu/online");
        g_autoptr(GArray) cpus = parse_cpu_list(clist);
        for (guint c = 0; c < cpus->len; c++)
            g_ptr_array_add(cell->cpus, host_read_one_cpu(sysroot, g_array_index(cpus, guint, c)));
        g_ptr_array_add(host->cells, cell);
    }

    /* Topology of the first socket, as nodeinfo reports it. */
    GHashTable *sockets = g_hash_table_new(NULL, NULL);
    GHashTable *dies = g_hash_table_new(NULL, NULL);
    GHashTable *cores = g_hash_table_new(NULL, NULL);
    guint threads = 1;
    for (guint i = 0; i < host->cells->len; i++) {
        VkHostCell *cell = host->cells->pdata[i];
        for (guint c = 0; c < cell->cpus->len; c++) {
            VkHostCpu *cpu = cell->cpus->pdata[c];
            g_hash_table_add(sockets, GUINT_TO_POINTER(cpu->socket_id + 1));
            if (cpu->socket_id != ((VkHostCpu *)((VkHostCell *)host->cells->pdata[0])->cpus->pdata[0])->socket_id)
                continue;
            g_hash_table_add(dies, GUINT_TO_POINTER(cpu->die_id + 1));
            g_hash_table_add(cores, GUINT_TO_POINTER(cpu->core_id + 1));
            g_autoptr(GArray) sib = parse_cpu_list(cpu->siblings);
            threads = MAX(threads, sib->len);
        }
    }
    host->sockets = MAX(1, g_hash_table_size(sockets) / MAX(1, host->cells->len));
    host->dies = MAX(1, g_hash_table_size(dies));
    host->cores = MAX(1, g_hash_table_size(cores) / host->dies);
    host->threads = threads;
    g_hash_table_unref(sockets);
    g_hash_table_unref(dies);
    g_hash_table_unref(cores);
}

static void
host_read_cache(VkHostCaps *host, const char *sysroot)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < host->cells->len; i++) {
        VkHostCell *cell = host->cells->pdata[i];
        for (guint c = 0; c < cell->cpus->len; c++) {
            VkHostCpu *cpu = cell->cpus->pdata[c];
            for (guint idx = 0; idx < 16; idx++) {
                g_autofree char *dir = g_strdup_printf("sys/devices/system/cpu/cpu%u/cache/index%u", cpu->id, idx);
                g_autofree char *lpath = g_build_filename(dir, "level", NULL);
                guint64 level = 0, id = 0;
                if (!read_uint(sysroot, lpath, &level))
                    break;
                if (level < 3)
                    continue;
                g_autofree char *ipath = g_build_filename(dir, "id", NULL);
                g_autofree char *tpath = g_build_filename(dir, "type", NULL);
                g_autofree char *spath = g_build_filename(dir, "size", NULL);
                g_autofree char *cpath = g_build_filename(dir, "shared_cpu_list", NULL);
                read_uint(sysroot, ipath, &id);
                g_autofree char *type = read_trimmed(sysroot, tpath);
                g_autofree char *size = read_trimmed(sysroot, spath);
                g_autofree char *key = g_strdup_printf("%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "/%s",
                                                       level, id, type ? type : "");
                if (g_hash_table_contains(seen, key))
                    continue;
                g_hash_table_add(seen, g_steal_pointer(&key));
                VkHostCacheBank *b = g_new0(VkHostCacheBank, 1);
                b->id = id;
                b->level = level;
                b->type = g_strcmp0(type, "Data") == 0 ? "data"
                        : g_strcmp0(type, "Instruction") == 0 ? "code" : "both";
                char *unit = NULL;
                b->size_bytes = size ? g_ascii_strtoull(size, &unit, 10) : 0;
                if (unit && (*unit == 'K' || *unit == 'k'))
                    b->size_bytes *= 1024;
                else if (unit && *unit == 'M')
                    b->size_bytes *= 1024 * 1024;
                b->cpus = read_trimmed(sysroot, cpath);
                g_ptr_array_add(host->cache_banks, b);
            }
        }
    }
    g_hash_table_unref(seen);
}

static char *
host_read_uuid(const char *sysroot, const char *configured)
{
    unsigned char raw[16];
    static const char *const sources[] = {
        "sys/devices/virtual/dmi/id/product_uuid", "sys/class/dmi/id/product_uuid", "etc/machine-id",
    };
    if (configured)
        return g_strdup(configured);
    for (guint i = 0; i < G_N_ELEMENTS(sources); i++) {
        g_autofree char *text = read_trimmed(sysroot, sources[i]);
        if (!text)
            continue;
        /* 32 hex digits, with or without dashes. */
        GString *digits = g_string_new(NULL);
        for (const char *p = text; *p; p++)
            if (g_ascii_isxdigit(*p))
                g_string_append_c(digits, g_ascii_tolower(*p));
        if (digits->len == 32 && strspn(digits->str, "0") != 32 && strspn(digits->str, "f") != 32) {
            for (int k = 0; k < 16; k++)
                raw[k] = g_ascii_xdigit_value(digits->str[2 * k]) * 16 +
                         g_ascii_xdigit_value(digits->str[2 * k + 1]);
            g_string_free(digits, TRUE);
            return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                                   raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
                                   raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]);
        }
        g_string_free(digits, TRUE);
    }
    return g_uuid_string_random();
}

static gboolean
dir_has_entries(const char *sysroot, const char *path)
{
    g_autofree char *full = g_build_filename(sysroot, path, NULL);
    g_autoptr(GDir) d = g_dir_open(full, 0, NULL);
    return d && g_dir_read_name(d) != NULL;
}

VkHostCaps *
vk_host_caps_read(const char *sysroot, const char *cpu_map_dir, const char *host_uuid)
{
    VkHostCaps *host = g_new0(VkHostCaps, 1);
    struct utsname un;

    if (!sysroot)
        sysroot = "/";
    host->uuid = host_read_uuid(sysroot, host_uuid);
    host->arch = g_strdup(uname(&un) == 0 ? un.machine : "x86_64");
    host->features = g_ptr_array_new_with_free_func(g_free);
    host->host_features = g_ptr_array_new_with_free_func(g_free);
    host->page_sizes_kib = g_array_new(FALSE, FALSE, sizeof(guint));
    host->cells = g_ptr_array_new_with_free_func(cell_free);
    host->cache_banks = g_ptr_array_new_with_free_func(bank_free);
    host->dac_label = g_strdup("+0:+0");

    g_autoptr(VkCpuMap) map = vk_cpu_map_load(cpu_map_dir ? cpu_map_dir : VK_CPU_MAP_DIR);
    if (!map)
        g_info("no CPU map: the host CPU is shown without a model name");
    host_read_cpuid(host, map);
    host_decode_model(host, map);
    host_read_cpuinfo(host, sysroot);
    host_read_tsc(host, sysroot);
    host_read_pages(host, sysroot);
    host_read_cells(host, sysroot);
    host_read_cache(host, sysroot);
    host->iommu = dir_has_entries(sysroot, "sys/kernel/iommu_groups");
    g_autofree char *vfio = g_build_filename(sysroot, "dev/vfio/vfio", NULL);
    host->vfio = host->iommu && g_file_test(vfio, G_FILE_TEST_EXISTS);
    return host;
}

/* ------------------------------------------------------------------ */
/* formatting                                                           */

static void G_GNUC_PRINTF(3, 4)
emit(GString *s, int indent, const char *fmt, ...)
{
    va_list ap;
    g_string_append_printf(s, "%*s", indent * 2, "");
    va_start(ap, fmt);
    char *text = g_markup_vprintf_escaped(fmt, ap);
    va_end(ap);
    g_string_append(s, text);
    g_string_append_c(s, '\n');
    g_free(text);
}

/* libvirt names the 32-bit x86 architecture i686; QEMU says i386. */
static const char *
guest_arch_name(const char *qemu_arch)
{
    return g_strcmp0(qemu_arch, "i386") == 0 ? "i686" : qemu_arch;
}

static int
guest_wordsize(const char *arch)
{
    static const char *const bits32[] = { "i686", "arm", "armv7l", "ppc", "mips", "mipsel",
                                           "riscv32", "sparc", "m68k", "microblaze", "or1k" };
    for (guint i = 0; i < G_N_ELEMENTS(bits32); i++)
        if (g_str_equal(arch, bits32[i]))
            return 32;
    return 64;
}

static void
format_host_cpu(GString *s, const VkHostCaps *host)
{
    emit(s, 2, "<cpu>");
    emit(s, 3, "<arch>%s</arch>", host->arch);
    if (host->cpu_model)
        emit(s, 3, "<model>%s</model>", host->cpu_model);
    if (host->cpu_vendor)
        emit(s, 3, "<vendor>%s</vendor>", host->cpu_vendor);
    if (host->microcode)
        emit(s, 3, "<microcode version='%" G_GUINT64_FORMAT "'/>", host->microcode);
    if (host->family)
        emit(s, 3, "<signature family='%u' model='%u' stepping='%u'/>",
             host->family, host->model, host->stepping);
    if (host->tsc_hz)
        emit(s, 3, "<counter name='tsc' frequency='%" G_GUINT64_FORMAT "' scaling='%s'/>",
             host->tsc_hz, host->tsc_scaling ? "yes" : "no");
    emit(s, 3, "<topology sockets='%u' dies='%u' cores='%u' threads='%u'/>",
         host->sockets, host->dies, host->cores, host->threads);
    if (host->phys_bits)
        emit(s, 3, "<maxphysaddr mode='emulate' bits='%u'/>", host->phys_bits);
    for (guint i = 0; i < host->features->len; i++)
        emit(s, 3, "<feature name='%s'/>", (const char *)host->features->pdata[i]);
    for (guint i = 0; i < host->page_sizes_kib->len; i++)
        emit(s, 3, "<pages unit='KiB' size='%u'/>", g_array_index(host->page_sizes_kib, guint, i));
    emit(s, 2, "</cpu>");
}

/* Size with the largest unit that divides it, as libvirt prints banks. */
static void
cache_size_unit(guint64 bytes, guint64 *value, const char **unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB" };
    guint u = 0;
    while (u + 1 < G_N_ELEMENTS(units) && bytes && bytes % 1024 == 0) {
        bytes /= 1024;
        u++;
    }
    *value = bytes;
    *unit = units[u];
}

static void
format_host_topology(GString *s, const VkHostCaps *host)
{
    emit(s, 2, "<topology>");
    emit(s, 3, "<cells num='%u'>", host->cells->len);
    for (guint i = 0; i < host->cells->len; i++) {
        const VkHostCell *cell = host->cells->pdata[i];
        emit(s, 4, "<cell id='%u'>", cell->id);
        emit(s, 5, "<memory unit='KiB'>%" G_GUINT64_FORMAT "</memory>", cell->memory_kib);
        for (guint p = 0; p < host->page_sizes_kib->len; p++)
            emit(s, 5, "<pages unit='KiB' size='%u'>%" G_GUINT64_FORMAT "</pages>",
                 g_array_index(host->page_sizes_kib, guint, p),
                 g_array_index(cell->page_counts, guint64, p));
        emit(s, 5, "<distances>");
        for (guint d = 0; d + 1 < cell->distances->len; d += 2)
            emit(s, 6, "<sibling id='%u' value='%u'/>", g_array_index(cell->distances, guint, d),
                 g_array_index(cell->distances, guint, d + 1));
        emit(s, 5, "</distances>");
        emit(s, 5, "<cpus num='%u'>", cell->cpus->len);
        for (guint c = 0; c < cell->cpus->len; c++) {
            const VkHostCpu *cpu = cell->cpus->pdata[c];
            emit(s, 6, "<cpu id='%u' socket_id='%u' die_id='%u' core_id='%u' siblings='%s'/>",
                 cpu->id, cpu->socket_id, cpu->die_id, cpu->core_id, cpu->siblings);
        }
        emit(s, 5, "</cpus>");
        emit(s, 4, "</cell>");
    }
    emit(s, 3, "</cells>");
    emit(s, 2, "</topology>");
    if (host->cache_banks->len) {
        emit(s, 2, "<cache>");
        for (guint i = 0; i < host->cache_banks->len; i++) {
            const VkHostCacheBank *b = host->cache_banks->pdata[i];
            guint64 v;
            const char *unit;
            cache_size_unit(b->size_bytes, &v, &unit);
            emit(s, 3, "<bank id='%u' level='%u' type='%s' size='%" G_GUINT64_FORMAT "' unit='%s' cpus='%s'/>",
                 b->id, b->level, b->type, v, unit, b->cpus ? b->cpus : "");
        }
        emit(s, 2, "</cache>");
    }
}

/* Machines as libvirt lists them: the default first, each alias right
 * after the machine it stands for. */
static void
format_guest_machines(GString *s, const VkQemuCaps *caps)
{
    g_autoptr(GPtrArray) order = g_ptr_array_new();
    for (guint i = 0; i < caps->machines->len; i++) {
        VkQemuMachine *m = caps->machines->pdata[i];
        if (g_str_equal(m->name, "none"))   /* libvirt leaves it out */
            continue;
        if (m->is_default)
            g_ptr_array_insert(order, 0, m);
        else
            g_ptr_array_add(order, m);
    }
    for (guint i = 0; i < order->len; i++) {
        const VkQemuMachine *m = order->pdata[i];
        const char *dep = m->deprecated ? " deprecated='yes'" : "";
        g_string_append_printf(s, "      <machine maxCpus='%d'%s>", m->max_cpus, dep);
        g_autofree char *name = g_markup_escape_text(m->name, -1);
        g_string_append_printf(s, "%s</machine>\n", name);
        if (m->alias) {
            g_autofree char *alias = g_markup_escape_text(m->alias, -1);
            g_string_append_printf(s, "      <machine canonical='%s' maxCpus='%d'%s>%s</machine>\n",
                                   name, m->max_cpus, dep, alias);
        }
    }
}

static void
format_guest(GString *s, const VkQemuCaps *caps)
{
    const char *arch = guest_arch_name(caps->arch);
    gboolean x86 = g_str_equal(arch, "x86_64") || g_str_equal(arch, "i686");

    emit(s, 1, "<guest>");
    emit(s, 2, "<os_type>hvm</os_type>");
    emit(s, 2, "<arch name='%s'>", arch);
    emit(s, 3, "<wordsize>%d</wordsize>", guest_wordsize(arch));
    emit(s, 3, "<emulator>%s</emulator>", caps->binary);
    format_guest_machines(s, caps);
    emit(s, 3, "<domain type='qemu'/>");
    if (caps->kvm_enabled)
        emit(s, 3, "<domain type='kvm'/>");
    emit(s, 2, "</arch>");
    emit(s, 2, "<features>");
    if (g_str_equal(arch, "i686")) {
        emit(s, 3, "<pae/>");
        emit(s, 3, "<nonpae/>");
    }
    if (x86) {
        emit(s, 3, "<acpi default='on' toggle='yes'/>");
        emit(s, 3, "<apic default='on' toggle='no'/>");
    }
    emit(s, 3, "<cpuselection/>");
    emit(s, 3, "<deviceboot/>");
    emit(s, 3, "<disksnapshot default='on' toggle='no'/>");
    emit(s, 2, "</features>");
    emit(s, 1, "</guest>");
}

char *
vk_qemu_caps_format_capabilities(const VkHostCaps *host, VkQemuCaps *const *guests,
                                 guint n_guests)
{
    GString *s = g_string_new("<capabilities>\n\n");

    emit(s, 1, "<host>");
    emit(s, 2, "<uuid>%s</uuid>", host->uuid);
    format_host_cpu(s, host);
    emit(s, 2, "<power_management/>");
    emit(s, 2, "<iommu support='%s'/>", host->iommu ? "yes" : "no");
    emit(s, 2, "<migration_features>");
    emit(s, 3, "<live/>");
    emit(s, 3, "<uri_transports>");
    emit(s, 4, "<uri_transport>tcp</uri_transport>");
    emit(s, 4, "<uri_transport>rdma</uri_transport>");
    emit(s, 3, "</uri_transports>");
    emit(s, 2, "</migration_features>");
    format_host_topology(s, host);
    emit(s, 2, "<secmodel>");
    emit(s, 3, "<model>none</model>");
    emit(s, 3, "<doi>0</doi>");
    emit(s, 2, "</secmodel>");
    emit(s, 2, "<secmodel>");
    emit(s, 3, "<model>dac</model>");
    emit(s, 3, "<doi>0</doi>");
    emit(s, 3, "<baselabel type='kvm'>%s</baselabel>", host->dac_label);
    emit(s, 3, "<baselabel type='qemu'>%s</baselabel>", host->dac_label);
    emit(s, 2, "</secmodel>");
    emit(s, 1, "</host>");
    g_string_append_c(s, '\n');

    for (guint i = 0; i < n_guests; i++) {
        format_guest(s, guests[i]);
        g_string_append_c(s, '\n');
    }
    g_string_append(s, "</capabilities>\n");
    return g_string_free(s, FALSE);
}

/* ---- domain capabilities ---- */

typedef struct {
    GPtrArray *loaders;       /* executable paths, sorted, unique */
    gboolean secure_yes, secure_no;
} Firmware;

/* UEFI flash images that QEMU's firmware descriptors offer for ARCH/MACHINE. */
static void
firmware_scan(Firmware *fw, const char *dir, const char *arch, const char *machine)
{
    const char *dirs[] = { dir, NULL };
    g_autoptr(GPtrArray) all = vk_qemu_firmware_load(dirs);

    fw->loaders = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < all->len; i++) {
        const VkQemuFirmware *desc = g_ptr_array_index(all, i);
        if (!(desc->interfaces & VK_QEMU_FW_IFACE_UEFI) ||
            desc->device != VK_QEMU_FW_DEVICE_FLASH ||
            !vk_qemu_firmware_has_target(desc, arch, machine))
            continue;
        gboolean dup = FALSE;
        for (guint k = 0; k < fw->loaders->len; k++)
            dup |= g_str_equal(fw->loaders->pdata[k], desc->executable);
        if (!dup)
            g_ptr_array_add(fw->loaders, g_strdup(desc->executable));
        if (desc->features & VK_QEMU_FW_FEATURE_SECURE_BOOT)
            fw->secure_yes = TRUE;
        else
            fw->secure_no = TRUE;
    }
}

static void
emit_enum(GString *s, int indent, const char *name, const char *const *values)
{
    if (!values || !values[0]) {
        emit(s, indent, "<enum name='%s'/>", name);
        return;
    }
    emit(s, indent, "<enum name='%s'>", name);
    for (const char *const *v = values; *v; v++)
        emit(s, indent + 1, "<value>%s</value>", *v);
    emit(s, indent, "</enum>");
}

/* Append VALUE to the NULL-terminated list in ARR when COND holds. */
static void
add_if(GPtrArray *arr, gboolean cond, const char *value)
{
    if (cond)
        g_ptr_array_add(arr, (gpointer)value);
}

static const char *const *
list_end(GPtrArray *arr)
{
    g_ptr_array_add(arr, NULL);
    return (const char *const *)arr->pdata;
}

/* libvirt lists only the models of its CPU map, and the vendor it knows. */
static void
format_custom_models(GString *s, const VkQemuCaps *caps, VkCpuMap *map)
{
    emit(s, 2, "<mode name='custom' supported='yes'>");
    for (guint i = 0; i < caps->cpu_models->len; i++) {
        const VkQemuCpuModel *c = caps->cpu_models->pdata[i];
        if (g_str_equal(c->name, "max") || g_str_equal(c->name, "host") ||
            g_str_equal(c->name, "base"))
            continue;
        VkCpuMapModel *def = map ? vk_cpu_map_find_model(map, c->name) : NULL;
        if (map && !def)
            continue;
        if (!map && g_regex_match_simple("-v[0-9]+$", c->name, 0, 0))
            continue;
        emit(s, 3, "<model usable='%s' vendor='%s'>%s</model>", c->usable ? "yes" : "no",
             def && def->vendor ? def->vendor : "unknown", c->name);
    }
    emit(s, 2, "</mode>");
}

/* host-model: the host CPU's model with what KVM lets QEMU give a guest:
 * features beyond the model required, the model's missing ones disabled.
 * Without KVM data (MAP NULL or nothing probed), the host CPU as it is. */
static void
format_host_model(GString *s, const VkHostCaps *host, const VkQemuCaps *caps, VkCpuMap *map)
{
    VkCpuMapModel *model = map ? vk_cpu_map_find_model(map, host->cpu_model) : NULL;
    GHashTable *kvm = caps->host_cpu_features;

    emit(s, 2, "<mode name='host-model' supported='yes'>");
    emit(s, 3, "<model fallback='forbid'>%s</model>", host->cpu_model);
    if (host->cpu_vendor)
        emit(s, 3, "<vendor>%s</vendor>", host->cpu_vendor);
    if (!model || g_hash_table_size(kvm) == 0) {
        for (guint i = 0; i < host->features->len; i++)
            emit(s, 3, "<feature policy='require' name='%s'/>", (const char *)host->features->pdata[i]);
    } else {
        g_autoptr(GPtrArray) disabled = g_ptr_array_new();
        for (guint i = 0; i < map->features->len; i++) {
            const char *name = ((VkCpuMapFeature *)map->features->pdata[i])->name;
            gboolean in_model = g_hash_table_contains(model->features, name);
            gboolean have = vk_cpu_map_qemu_has(kvm, name);
            if (have && !in_model)
                emit(s, 3, "<feature policy='require' name='%s'/>", name);
            else if (!have && in_model)
                g_ptr_array_add(disabled, (gpointer)name);
        }
        for (guint i = 0; i < disabled->len; i++)
            emit(s, 3, "<feature policy='disable' name='%s'/>", (const char *)disabled->pdata[i]);
    }
    emit(s, 2, "</mode>");
}

char *
vk_qemu_caps_format_domain_caps(const VkHostCaps *host, const VkQemuCaps *caps,
                                const char *machine, const char *virttype,
                                const char *firmware_dir)
{
    const char *arch = guest_arch_name(caps->arch);
    gboolean kvm;

    if (!virttype) {
        kvm = caps->kvm_enabled;
    } else if (g_str_equal(virttype, "kvm")) {
        if (!caps->kvm_enabled) {
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_CONFIG_UNSUPPORTED,
                            "KVM is not supported by '%s' on this host", caps->binary);
            return NULL;
        }
        kvm = TRUE;
    } else if (g_str_equal(virttype, "qemu")) {
        kvm = FALSE;
    } else {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG, "unknown virttype: %s", virttype);
        return NULL;
    }

    const VkQemuMachine *m = machine ? vk_qemu_caps_find_machine(caps, machine)
                                     : vk_qemu_caps_find_machine(caps, vk_qemu_caps_default_machine(caps));
    if (!m) {
        if (machine)
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INVALID_ARG,
                            "the machine '%s' is not supported by emulator '%s'",
                            machine, caps->binary);
        else
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                            "emulator '%s' has no default machine type", caps->binary);
        return NULL;
    }
    gboolean q35 = g_str_has_prefix(m->name, "pc-q35");
    gboolean i440fx = g_str_has_prefix(m->name, "pc-i440fx") || g_str_equal(m->name, "isapc");
    gboolean x86 = g_str_equal(arch, "x86_64") || g_str_equal(arch, "i686");
    const GHashTable *dev = caps->devices;
#define HAS(name) g_hash_table_contains((GHashTable *)dev, (name))

    GString *s = g_string_new("<domainCapabilities>\n");
    emit(s, 1, "<path>%s</path>", caps->binary);
    emit(s, 1, "<domain>%s</domain>", kvm ? "kvm" : "qemu");
    emit(s, 1, "<machine>%s</machine>", m->name);
    emit(s, 1, "<arch>%s</arch>", arch);
    emit(s, 1, "<vcpu max='%d'/>", m->max_cpus);
    emit(s, 1, "<iothreads supported='yes'/>");

    Firmware fw = { 0 };
    firmware_scan(&fw, firmware_dir ? firmware_dir : DEFAULT_FIRMWARE_DIR, caps->arch, m->name);
    emit(s, 1, "<os supported='yes'>");
    {
        g_autoptr(GPtrArray) v = g_ptr_array_new();
        add_if(v, fw.loaders->len > 0, "efi");
        emit_enum(s, 2, "firmware", list_end(v));
    }
    emit(s, 2, "<loader supported='yes'>");
    for (guint i = 0; i < fw.loaders->len; i++)
        emit(s, 3, "<value>%s</value>", (const char *)fw.loaders->pdata[i]);
    emit_enum(s, 3, "type", (const char *const[]){ "rom", "pflash", NULL });
    emit_enum(s, 3, "readonly", (const char *const[]){ "yes", "no", NULL });
    {
        g_autoptr(GPtrArray) v = g_ptr_array_new();
        add_if(v, fw.secure_yes && q35, "yes");
        add_if(v, TRUE, "no");
        emit_enum(s, 3, "secure", list_end(v));
    }
    emit(s, 2, "</loader>");
    emit(s, 1, "</os>");
    g_ptr_array_unref(fw.loaders);

    emit(s, 1, "<cpu>");
    if (kvm) {
        emit(s, 2, "<mode name='host-passthrough' supported='yes'>");
        emit_enum(s, 3, "hostPassthroughMigratable", (const char *const[]){ "on", "off", NULL });
        emit(s, 2, "</mode>");
    } else {
        emit(s, 2, "<mode name='host-passthrough' supported='no'/>");
    }
    emit(s, 2, "<mode name='maximum' supported='yes'>");
    emit_enum(s, 3, "maximumMigratable", (const char *const[]){ "on", "off", NULL });
    emit(s, 2, "</mode>");
    {
        g_autoptr(VkCpuMap) map = x86 ? vk_cpu_map_load(VK_CPU_MAP_DIR) : NULL;
        if (host->cpu_model && x86)
            format_host_model(s, host, caps, kvm ? map : NULL);
        else
            emit(s, 2, "<mode name='host-model' supported='no'/>");
        format_custom_models(s, caps, map);
    }
    emit(s, 1, "</cpu>");

    emit(s, 1, "<memoryBacking supported='yes'>");
    emit_enum(s, 2, "sourceType", (const char *const[]){ "file", "anonymous", "memfd", NULL });
    emit(s, 1, "</memoryBacking>");

    emit(s, 1, "<devices>");
    emit(s, 2, "<disk supported='yes'>");
    emit_enum(s, 3, "diskDevice", (const char *const[]){ "disk", "cdrom", "floppy", "lun", NULL });
    {
        g_autoptr(GPtrArray) v = g_ptr_array_new();
        add_if(v, i440fx && HAS("ide-hd"), "ide");
        add_if(v, HAS("isa-fdc") || HAS("floppy"), "fdc");
        add_if(v, TRUE, "scsi");
        add_if(v, TRUE, "virtio");
        add_if(v, HAS("usb-storage"), "usb");
        add_if(v, HAS("ich9-ahci") || HAS("ahci"), "sata");
        emit_enum(s, 3, "bus", list_end(v));
    }
    emit_enum(s, 3, "model", (const char *const[]){ "virtio", "virtio-transitional",
                                                   "virtio-non-transitional", NULL });
    emit(s, 2, "</disk>");
    emit(s, 2, "<graphics supported='yes'>");
    {
        g_autoptr(GPtrArray) v = g_ptr_array_new();
        add_if(v, TRUE, "sdl");
        add_if(v, TRUE, "vnc");
        add_if(v, HAS("qxl-vga") || HAS("qxl"), "spice");
        add_if(v, TRUE, "egl-headless");
        add_if(v, TRUE, "dbus");
        emit_enum(s, 3, "type", list_end(v));
    }
    emit(s, 2, "</graphics>");
    emit(s, 2, "<video supported='yes'>");
    {
        g_autoptr(GPtrArray) v = g_ptr_array_new();
        add_if(v, HAS("VGA"), "vga");
        add_if(v, HAS("cirrus-vga"), "cirrus");
        add_if(v, HAS("vmware-svga"), "vmvga");
        add_if(v, HAS("qxl-vga"), "qxl");
        add_if(v, HAS("virtio-vga") || HAS("virtio-gpu-pci"), "virtio");
        add_if(v, TRUE, "none");
        add_if(v, HAS("bochs-display"), "bochs");
        add_if(v, HAS("ramfb"), "ramfb");
        emit_enum(s, 3, "modelType", list_end(v));
    }
    emit(s, 2, "</video>");
    emit(s, 2, "<hostdev supported='yes'>");
    emit_enum(s, 3, "mode", (const char *const[]){ "subsystem", NULL });
    emit_enum(s, 3, "startupPolicy", (const char *const[]){ "default", "mandatory", "requisite",
                                                           "optional", NULL });
    emit_enum(s, 3, "subsysType", (const char *const[]){ "usb", "pci", "scsi", NULL });
    emit_enum(s, 3, "capsType", NULL);
    {
        g_autoptr(GPtrArray) v = g_ptr_array_new();
        add_if(v, host->vfio && HAS("vfio-pci"), "vfio");
        emit_enum(s, 3, "pciBackend", list_end(v));
    }
    emit(s, 2, "</hostdev>");
    emit(s, 2, "<rng supported='yes'>");
    emit_enum(s, 3, "model", (const char *const[]){ "virtio", "virtio-transitional",
                                                   "virtio-non-transitional", NULL });
    emit_enum(s, 3, "backendModel", (const char *const[]){ "random", "egd", "builtin", NULL });
    emit(s, 2, "</rng>");
    emit(s, 2, "<filesystem supported='yes'>");
    emit_enum(s, 3, "driverType", (const char *const[]){ "path", "handle", "virtiofs", NULL });
    emit(s, 2, "</filesystem>");
    emit(s, 2, "<tpm supported='yes'>");
    {
        g_autoptr(GPtrArray) v = g_ptr_array_new();
        add_if(v, HAS("tpm-tis"), "tpm-tis");
        add_if(v, HAS("tpm-crb"), "tpm-crb");
        add_if(v, HAS("tpm-spapr"), "tpm-spapr");
        emit_enum(s, 3, "model", list_end(v));
    }
    emit_enum(s, 3, "backendModel", (const char *const[]){ "passthrough", "emulator", "external", NULL });
    emit_enum(s, 3, "backendVersion", (const char *const[]){ "1.2", "2.0", NULL });
    emit(s, 2, "</tpm>");
    emit(s, 2, "<redirdev supported='%s'>", HAS("usb-redir") ? "yes" : "no");
    emit_enum(s, 3, "bus", (const char *const[]){ "usb", NULL });
    emit(s, 2, "</redirdev>");
    emit(s, 2, "<channel supported='yes'>");
    emit_enum(s, 3, "type", (const char *const[]){ "pty", "unix", "spicevmc", NULL });
    emit(s, 2, "</channel>");
    emit(s, 1, "</devices>");

    emit(s, 1, "<features>");
    emit(s, 2, "<gic supported='no'/>");
    emit(s, 2, "<vmcoreinfo supported='%s'/>", HAS("vmcoreinfo") ? "yes" : "no");
    emit(s, 2, "<genid supported='%s'/>", HAS("vmgenid") ? "yes" : "no");
    emit(s, 2, "<backingStoreInput supported='yes'/>");
    emit(s, 2, "<backup supported='yes'/>");
    emit(s, 2, "<sev supported='no'/>");
    emit(s, 2, "<sgx supported='no'/>");
    if (x86) {
        emit(s, 2, "<hyperv supported='yes'>");
        emit_enum(s, 3, "features", (const char *const[]){ "spinlocks", "vendor_id", NULL });
        emit(s, 2, "</hyperv>");
    }
    emit(s, 1, "</features>");
    g_string_append(s, "</domainCapabilities>\n");
#undef HAS
    return g_string_free(s, FALSE);
}
