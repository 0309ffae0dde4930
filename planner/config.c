// SPDX-License-Identifier: MIT
/*
 * device.cfg reader.  inih tokenizes; every value goes through one
 * option table (key, section, type, offset, allowed values, help), the
 * way fio's parse.c does it.  A reader wrapper counts lines so that
 * every error carries file:line, and notices section headers so that
 * duplicate sections are caught even when empty.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "../common/size.h"

enum opt_type {
	OPT_ARCH,
	OPT_PAGE_SIZE,
	OPT_KERNEL,
	OPT_MMU,
	OPT_SIZE,
	OPT_BOOL, /* enum hp_tristate */
	OPT_MODE,
	OPT_PATH,
	OPT_NODE,
	OPT_NODE_LIST,
	OPT_STRUCT_PAGE,
	OPT_DAX_SOURCE,
};

enum opt_scope { SCOPE_PLATFORM, SCOPE_DEVICE };

struct opt {
	const char *name;
	enum opt_scope scope;
	enum opt_type type;
	size_t offset;	   /* into struct hp_platform or struct hp_device */
	size_t set_offset; /* bool "has value" flag, or (size_t)-1 */
	const char *allowed;
	const char *help;
};

#define NO_FLAG ((size_t)-1)
#define P(f) offsetof(struct hp_platform, f)
#define D(f) offsetof(struct hp_device, f)

static const struct opt opts[] = {
	{"arch", SCOPE_PLATFORM, OPT_ARCH, P(arch), NO_FLAG,
	 "x86_64 | arm64 | ppc64le | riscv64 | s390x",
	 "CPU architecture (default x86_64)"},
	{"page_size", SCOPE_PLATFORM, OPT_PAGE_SIZE, P(page_shift), NO_FLAG,
	 "4K | 16K | 64K", "base page size (default 4K)"},
	{"kernel", SCOPE_PLATFORM, OPT_KERNEL, P(kernel), NO_FLAG,
	 "6.1 | 6.12 (a full version such as 6.12.95 selects its series)",
	 "rule set (default 6.12)"},
	{"mmu", SCOPE_PLATFORM, OPT_MMU, P(mmu), NO_FLAG, "radix | hash",
	 "ppc64le only: MMU mode"},
	{"memory_block_size", SCOPE_PLATFORM, OPT_SIZE, P(block_size), NO_FLAG,
	 "a power of two >= the section size, e.g. 128M",
	 "memory block size; derived as the kernel would when absent"},
	{"boot_memory_end", SCOPE_PLATFORM, OPT_SIZE, P(boot_memory_end),
	 NO_FLAG, "a size or address, e.g. 16G or 0x480000000",
	 "end address of boot RAM (x86_64 block size; page-table sharing)"},
	{"hypervisor", SCOPE_PLATFORM, OPT_BOOL, P(hypervisor), NO_FLAG,
	 "yes | no", "running under a hypervisor (x86_64 block size)"},
	{"memmap_on_memory", SCOPE_PLATFORM, OPT_MODE, P(mode), NO_FLAG,
	 "off | on | force (or y/n/1/0)",
	 "memory_hotplug.memmap_on_memory (default off)"},
	{"struct_page_size", SCOPE_PLATFORM, OPT_STRUCT_PAGE,
	 P(struct_page_size), NO_FLAG, "an integer, 16..256, multiple of 8",
	 "sizeof(struct page) (default 64)"},
	{"boot_nodes", SCOPE_PLATFORM, OPT_NODE_LIST, P(boot_nodes),
	 P(boot_nodes_set), "a node list such as 0 or 0,1 or 0-3",
	 "NUMA nodes with boot RAM (default 0)"},
	{"auto_online", SCOPE_PLATFORM, OPT_BOOL, P(auto_online), NO_FLAG,
	 "yes | no", "hot-added blocks are onlined at once (default yes)"},
	{"path", SCOPE_DEVICE, OPT_PATH, D(path), NO_FLAG,
	 "acpi-dimm | virtio-mem | dax-kmem | probe | pmem-devdax | pmem-fsdax "
	 "| pseries-dlpar",
	 "how the memory is hot-added (required)"},
	{"start", SCOPE_DEVICE, OPT_SIZE, D(start), D(has_start),
	 "a physical address such as 0x1080000000",
	 "physical start address (default: right after boot RAM)"},
	{"size", SCOPE_DEVICE, OPT_SIZE, D(size), NO_FLAG,
	 "a size such as 16G (required)", "device size"},
	{"node", SCOPE_DEVICE, OPT_NODE, D(node), NO_FLAG,
	 "a NUMA node number, 0..63", "target NUMA node (default 0)"},
	{"memmap_on_memory", SCOPE_DEVICE, OPT_BOOL, D(memmap_request), NO_FLAG,
	 "yes | no",
	 "per-device request: kmem attribute, pmem map=dev (yes) / map=mem "
	 "(no)"},
	{"dax_source", SCOPE_DEVICE, OPT_DAX_SOURCE, D(dax_source), NO_FLAG,
	 "pmem | hmem | cxl",
	 "dax-kmem: driver that made the dax device (default pmem)"},
	{"align", SCOPE_DEVICE, OPT_SIZE, D(align), NO_FLAG, "4K | 2M | 1G ...",
	 "pmem: namespace alignment (default PMD size)"},
	{"namespace", SCOPE_DEVICE, OPT_BOOL, D(pmem_namespace), NO_FLAG,
	 "yes | no",
	 "dax-kmem over pmem: start and size are the namespace's; kmem gets "
	 "its devdax data area, after the info block and the memmap reserve"},
};

#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

struct section_seen {
	char name[HP_NAME_MAX + 16];
	int line;
};

struct parse_ctx {
	const char *file;
	FILE *f;
	int line; /* of the last line read */
	struct hp_config *cfg;
	char *err;
	size_t err_len;
	int failed;
	struct section_seen seen[HP_MAX_DEVICES + 2];
	unsigned int nr_seen;
	char cur_section[HP_NAME_MAX + 16];
	int cur_section_line;
	/* keys seen in the current section: detect duplicates */
	unsigned long long keys_seen;
	/* per-device: which keys were given, for required-key checks */
	int device_line[HP_MAX_DEVICES];
	bool device_has_size[HP_MAX_DEVICES];
	bool device_has_path[HP_MAX_DEVICES];
	int platform_mmu_line;
};

static void fail(struct parse_ctx *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct parse_ctx *c, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->failed)
		return; /* the first error is the one to fix */
	c->failed = 1;
	n = snprintf(c->err, c->err_len, "%s:%d: ", c->file, line);
	if (n < 0 || (size_t)n >= c->err_len)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->err_len - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Levenshtein distance, for "did you mean" */
static unsigned int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned int row[64];

	if (lb >= 63 || la >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned int prev = row[0];

		row[0] = (unsigned int)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned int cur = row[j];
			unsigned int cost = tolower((unsigned char)a[i - 1]) !=
					    tolower((unsigned char)b[j - 1]);
			unsigned int best = prev + cost;

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static const char *suggest_key(const char *key, enum opt_scope scope)
{
	const char *best = NULL;
	unsigned int best_d = 3;

	for (size_t i = 0; i < NR_OPTS; i++) {
		unsigned int d;

		if (opts[i].scope != scope)
			continue;
		d = edit_distance(key, opts[i].name);
		if (d < best_d) {
			best_d = d;
			best = opts[i].name;
		}
	}
	return best;
}

static void list_keys(enum opt_scope scope, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NR_OPTS && used < len; i++) {
		int n;

		if (opts[i].scope != scope)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			     opts[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static int parse_bool(const char *v, enum hp_tristate *out)
{
	int b = hp_bool_from_name(v);

	if (b < 0)
		return -EINVAL;
	*out = b ? HP_YES : HP_NO;
	return 0;
}

/* Apply one value through its table row. */
static int apply(struct parse_ctx *c, const struct opt *o, void *base,
		 const char *v)
{
	char *field = (char *)base + o->offset;
	int r;
	uint64_t u;

	switch (o->type) {
	case OPT_ARCH:
		r = hp_arch_from_name(v);
		if (r < 0)
			return -EINVAL;
		*(enum hp_arch *)(void *)field = (enum hp_arch)r;
		return 0;
	case OPT_PAGE_SIZE:
		if (parse_size(v, &u) ||
		    (u != 4096 && u != 16384 && u != 65536))
			return -EINVAL;
		*(unsigned int *)(void *)field = ilog2_u64(u);
		return 0;
	case OPT_KERNEL:
		r = hp_kernel_from_name(v);
		if (r < 0) {
			fail(c, c->line,
			     "kernel = %s: no rule set for that version; "
			     "supported: %s",
			     v, hp_kernel_supported_list());
			return -EEXIST; /* message already written */
		}
		*(enum hp_kernel *)(void *)field = (enum hp_kernel)r;
		return 0;
	case OPT_MMU:
		r = hp_mmu_from_name(v);
		if (r <= HP_MMU_NONE)
			return -EINVAL;
		*(enum hp_mmu *)(void *)field = (enum hp_mmu)r;
		c->platform_mmu_line = c->line;
		return 0;
	case OPT_SIZE:
		if (parse_size(v, &u))
			return -EINVAL;
		*(uint64_t *)(void *)field = u;
		break;
	case OPT_BOOL:
		return parse_bool(v, (enum hp_tristate *)(void *)field);
	case OPT_MODE:
		r = hp_mode_from_name(v);
		if (r < 0)
			return -EINVAL;
		*(enum hp_mode *)(void *)field = (enum hp_mode)r;
		return 0;
	case OPT_PATH:
		r = hp_path_from_name(v);
		if (r < 0)
			return -EINVAL;
		*(enum hp_path *)(void *)field = (enum hp_path)r;
		return 0;
	case OPT_NODE: {
		char *end;
		long n;

		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || *end || end == v || n < 0 || n >= HP_MAX_NODES)
			return -EINVAL;
		*(int *)(void *)field = (int)n;
		return 0;
	}
	case OPT_NODE_LIST:
		if (hp_nodes_from_list(v, (uint64_t *)(void *)field))
			return -EINVAL;
		break;
	case OPT_STRUCT_PAGE: {
		char *end;
		long n;

		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || *end || end == v || n < 16 || n > 256 || n % 8)
			return -EINVAL;
		*(unsigned int *)(void *)field = (unsigned int)n;
		return 0;
	}
	case OPT_DAX_SOURCE:
		r = hp_dax_source_from_name(v);
		if (r < 0)
			return -EINVAL;
		*(enum hp_dax_source *)(void *)field = (enum hp_dax_source)r;
		return 0;
	}
	if (o->set_offset != NO_FLAG)
		*(bool *)(void *)((char *)base + o->set_offset) = true;
	return 0;
}

static const char *path_allowed(void)
{
	for (size_t i = 0; i < NR_OPTS; i++)
		if (opts[i].type == OPT_PATH)
			return opts[i].allowed;
	return "";
}

static bool is_platform_section(const char *s)
{
	return !strcasecmp(s, "platform");
}

/* "device NAME" -> NAME, or NULL */
static const char *device_name(const char *s)
{
	if (strncasecmp(s, "device", 6) || !isspace((unsigned char)s[6]))
		return NULL;
	s += 6;
	while (isspace((unsigned char)*s))
		s++;
	return *s ? s : NULL;
}

static int handler(void *user, const char *section, const char *key,
		   const char *value)
{
	struct parse_ctx *c = user;
	struct hp_config *cfg = c->cfg;
	enum opt_scope scope;
	const struct opt *o = NULL;
	void *base;
	size_t idx = 0;
	char keys[512];
	int r;

	if (c->failed)
		return 1;
	if (is_platform_section(section)) {
		scope = SCOPE_PLATFORM;
		base = &cfg->platform;
	} else if (device_name(section)) {
		scope = SCOPE_DEVICE;
		if (!cfg->nr_devices) {
			fail(c, c->line, "internal: device section not opened");
			return 0;
		}
		base = &cfg->devices[cfg->nr_devices - 1];
	} else {
		/* reported when the header was read; keys under it add nothing
		 */
		return 1;
	}
	for (size_t i = 0; i < NR_OPTS; i++) {
		if (opts[i].scope == scope && !strcasecmp(opts[i].name, key)) {
			o = &opts[i];
			idx = i;
			break;
		}
	}
	if (!o) {
		const char *hint = suggest_key(key, scope);

		list_keys(scope, keys, sizeof(keys));
		if (hint)
			fail(c, c->line,
			     "unknown key '%s' in [%s]; did you mean '%s'? "
			     "(expected one of: %s)",
			     key, section, hint, keys);
		else
			fail(c, c->line,
			     "unknown key '%s' in [%s] (expected one of: %s)",
			     key, section, keys);
		return 0;
	}
	if (c->keys_seen & (1ULL << idx)) {
		fail(c, c->line, "duplicate key '%s' in [%s]", key, section);
		return 0;
	}
	c->keys_seen |= 1ULL << idx;
	if (!*value) {
		fail(c, c->line, "%s has no value (expected %s)", key,
		     o->allowed);
		return 0;
	}
	r = apply(c, o, base, value);
	if (r == -EEXIST)
		return 0;
	if (r) {
		fail(c, c->line, "bad value '%s' for %s (expected %s)", value,
		     key, o->allowed);
		return 0;
	}
	if (scope == SCOPE_DEVICE) {
		if (o->type == OPT_SIZE && !strcmp(o->name, "size"))
			c->device_has_size[cfg->nr_devices - 1] = true;
		if (o->type == OPT_PATH)
			c->device_has_path[cfg->nr_devices - 1] = true;
	}
	return 1;
}

/* A new [section] header was read on line c->line. */
static void section_header(struct parse_ctx *c, const char *raw)
{
	char name[HP_NAME_MAX + 16];
	const char *end = strchr(raw, ']');
	const char *dev;
	size_t n;

	if (!end) {
		fail(c, c->line, "section header without ']'");
		return;
	}
	raw++; /* '[' */
	while (isspace((unsigned char)*raw))
		raw++;
	n = (size_t)(end - raw);
	while (n && isspace((unsigned char)raw[n - 1]))
		n--;
	if (n >= sizeof(name)) {
		fail(c, c->line,
		     "section name too long (at most %d characters)",
		     HP_NAME_MAX - 1);
		return;
	}
	memcpy(name, raw, n);
	name[n] = '\0';
	for (unsigned int i = 0; i < c->nr_seen; i++) {
		if (!strcasecmp(c->seen[i].name, name)) {
			fail(c, c->line,
			     "duplicate section [%s] (first at line %d)", name,
			     c->seen[i].line);
			return;
		}
	}
	if (c->nr_seen < sizeof(c->seen) / sizeof(c->seen[0])) {
		snprintf(c->seen[c->nr_seen].name, sizeof(c->seen[0].name),
			 "%s", name);
		c->seen[c->nr_seen].line = c->line;
		c->nr_seen++;
	}
	c->keys_seen = 0;
	if (is_platform_section(name))
		return;
	dev = device_name(name);
	if (!dev) {
		fail(c, c->line,
		     "unknown section [%s] (expected [platform] or [device "
		     "NAME])",
		     name);
		return;
	}
	if (strlen(dev) >= HP_NAME_MAX) {
		fail(c, c->line, "device name too long (at most %d characters)",
		     HP_NAME_MAX - 1);
		return;
	}
	for (const char *s = dev; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr("_-.:", *s)) {
			fail(c, c->line,
			     "device name '%s' has '%c' (expected letters, "
			     "digits, _ - . :)",
			     dev, *s);
			return;
		}
	}
	if (c->cfg->nr_devices >= HP_MAX_DEVICES) {
		fail(c, c->line, "too many devices (at most %d)",
		     HP_MAX_DEVICES);
		return;
	}
	hp_device_init(&c->cfg->devices[c->cfg->nr_devices]);
	snprintf(c->cfg->devices[c->cfg->nr_devices].name, HP_NAME_MAX, "%s",
		 dev);
	c->device_line[c->cfg->nr_devices] = c->line;
	c->cfg->nr_devices++;
}

/* fgets with line counting; inih calls this for every line */
static char *reader(char *str, int num, void *stream)
{
	struct parse_ctx *c = stream;
	char *s = fgets(str, num, c->f);
	const char *p;

	if (!s)
		return NULL;
	c->line++;
	if (!strchr(s, '\n') && !feof(c->f)) {
		fail(c, c->line, "line longer than %d characters", num - 2);
		/* swallow the rest of the line */
		int ch;

		while ((ch = fgetc(c->f)) != EOF && ch != '\n')
			;
		return s;
	}
	p = s;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '[')
		section_header(c, p);
	return s;
}

int hp_config_load_stream(FILE *f, const char *name, struct hp_config *cfg,
			  char *err, size_t err_len)
{
	struct parse_ctx *c = calloc(1, sizeof(*c));
	struct hp_platform *p = &cfg->platform;
	bool seen_platform = false;
	int r, ret = -1;

	if (!c) {
		snprintf(err, err_len, "%s: out of memory", name);
		return -1;
	}
	memset(cfg, 0, sizeof(*cfg));
	hp_platform_init(p);
	c->file = name;
	c->f = f;
	c->cfg = cfg;
	c->err = err;
	c->err_len = err_len;
	r = ini_parse_stream(reader, c, handler, c);
	if (c->failed)
		goto out;
	if (r > 0) {
		fail(c, r,
		     "cannot parse this line (expected [section], key = value, "
		     "or a ; comment)");
		goto out;
	}
	if (r < 0) {
		fail(c, c->line, "read error");
		goto out;
	}
	for (unsigned int i = 0; i < c->nr_seen; i++)
		if (is_platform_section(c->seen[i].name))
			seen_platform = true;
	if (!seen_platform) {
		fail(c, c->line ? c->line : 1,
		     "no [platform] section (expected one, with at least arch "
		     "and kernel)");
		goto out;
	}
	if (p->arch == HP_ARCH_PPC64LE && p->mmu == HP_MMU_NONE)
		p->mmu = HP_MMU_RADIX; /* the default on POWER9 and later */
	if (p->arch != HP_ARCH_PPC64LE && p->mmu != HP_MMU_NONE) {
		fail(c, c->platform_mmu_line,
		     "mmu applies to ppc64le only, not %s",
		     hp_arch_name(p->arch));
		goto out;
	}
	for (unsigned int i = 0; i < cfg->nr_devices; i++) {
		if (!c->device_has_path[i]) {
			fail(c, c->device_line[i],
			     "[device %s] has no path (expected path = %s)",
			     cfg->devices[i].name, path_allowed());
			goto out;
		}
		if (!c->device_has_size[i] || !cfg->devices[i].size) {
			fail(c, c->device_line[i],
			     "[device %s] has no size (expected size = e.g. "
			     "16G)",
			     cfg->devices[i].name);
			goto out;
		}
		if (cfg->devices[i].pmem_namespace == HP_YES &&
		    (cfg->devices[i].path != HP_PATH_DAX_KMEM ||
		     cfg->devices[i].dax_source != HP_DAX_PMEM)) {
			fail(c, c->device_line[i],
			     "[device %s] namespace = yes needs path = "
			     "dax-kmem and dax_source = pmem (a pmem namespace "
			     "made devdax)",
			     cfg->devices[i].name);
			goto out;
		}
	}
	ret = 0;
out:
	free(c);
	return ret;
}

int hp_config_load(const char *path, struct hp_config *cfg, char *err,
		   size_t err_len)
{
	FILE *f;
	int r;

	if (!strcmp(path, "-"))
		return hp_config_load_stream(stdin, "<stdin>", cfg, err,
					     err_len);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = hp_config_load_stream(f, path, cfg, err, err_len);
	fclose(f);
	return r;
}

static void write_size(FILE *out, const char *key, uint64_t v)
{
	char buf[32];

	if (v >= 1ULL << 32) {
		fprintf(out, "%s = 0x%" PRIx64 "\n", key, v);
		return;
	}
	format_size(v, buf, sizeof(buf));
	fprintf(out, "%s = %s\n", key, buf);
}

void hp_config_write(FILE *out, const struct hp_config *cfg)
{
	const struct hp_platform *p = &cfg->platform;
	char buf[32];

	fprintf(out, "[platform]\narch = %s\n", hp_arch_name(p->arch));
	format_size(1ULL << p->page_shift, buf, sizeof(buf));
	fprintf(out, "page_size = %s\nkernel = %s\n", buf,
		hp_kernel_name(p->kernel));
	if (p->mmu != HP_MMU_NONE)
		fprintf(out, "mmu = %s\n", hp_mmu_name(p->mmu));
	if (p->block_size) {
		format_size(p->block_size, buf, sizeof(buf));
		fprintf(out, "memory_block_size = %s\n", buf);
	}
	if (p->boot_memory_end)
		write_size(out, "boot_memory_end", p->boot_memory_end);
	if (p->hypervisor != HP_UNSET)
		fprintf(out, "hypervisor = %s\n",
			p->hypervisor == HP_YES ? "yes" : "no");
	fprintf(out, "memmap_on_memory = %s\n", hp_mode_name(p->mode));
	if (p->struct_page_size != 64)
		fprintf(out, "struct_page_size = %u\n", p->struct_page_size);
	if (p->boot_nodes_set) {
		bool first = true;

		fprintf(out, "boot_nodes = ");
		for (int n = 0; n < HP_MAX_NODES; n++) {
			if (!((p->boot_nodes >> n) & 1))
				continue;
			fprintf(out, "%s%d", first ? "" : ",", n);
			first = false;
		}
		fprintf(out, "\n");
	}
	if (p->auto_online != HP_UNSET)
		fprintf(out, "auto_online = %s\n",
			p->auto_online == HP_YES ? "yes" : "no");
	for (unsigned int i = 0; i < cfg->nr_devices; i++) {
		const struct hp_device *d = &cfg->devices[i];

		fprintf(out, "\n[device %s]\npath = %s\n", d->name,
			hp_path_name(d->path));
		if (d->has_start)
			fprintf(out, "start = 0x%" PRIx64 "\n", d->start);
		format_size(d->size, buf, sizeof(buf));
		fprintf(out, "size = %s\nnode = %d\n", buf, d->node);
		if (d->memmap_request != HP_UNSET)
			fprintf(out, "memmap_on_memory = %s\n",
				d->memmap_request == HP_YES ? "yes" : "no");
		if (d->path == HP_PATH_DAX_KMEM)
			fprintf(out, "dax_source = %s\n",
				hp_dax_source_name(d->dax_source));
		if (d->align) {
			format_size(d->align, buf, sizeof(buf));
			fprintf(out, "align = %s\n", buf);
		}
		if (d->pmem_namespace != HP_UNSET)
			fprintf(out, "namespace = %s\n",
				d->pmem_namespace == HP_YES ? "yes" : "no");
	}
}

void hp_config_print_keys(FILE *out)
{
	fprintf(out, "[platform]\n");
	for (size_t i = 0; i < NR_OPTS; i++)
		if (opts[i].scope == SCOPE_PLATFORM)
			fprintf(out, "  %-18s %s\n  %-18s   values: %s\n",
				opts[i].name, opts[i].help, "",
				opts[i].allowed);
	fprintf(out, "[device NAME]\n");
	for (size_t i = 0; i < NR_OPTS; i++)
		if (opts[i].scope == SCOPE_DEVICE)
			fprintf(out, "  %-18s %s\n  %-18s   values: %s\n",
				opts[i].name, opts[i].help, "",
				opts[i].allowed);
}
