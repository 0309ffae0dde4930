// SPDX-License-Identifier: MIT
/*
 * agent_proto.c - parse the guest's memory accounting, move it as JSON.
 */
#include "agent_proto.h"

#include <stdlib.h>
#include <string.h>

int agent_parse_uevent(const char *buf, size_t len, struct agent_event *e)
{
	static const char prefix[] = "/devices/system/memory/memory";
	const char *at = memchr(buf, '@', len);
	const char *p;
	char *end;
	size_t alen;

	memset(e, 0, sizeof(*e));
	e->block = -1;
	if (!at)
		return -1; /* libudev re-broadcasts start with "libudev" */
	alen = (size_t)(at - buf);
	if (alen == 0 || alen >= sizeof(e->action))
		return -1;
	memcpy(e->action, buf, alen);
	p = at + 1;
	if (strncmp(p, prefix, sizeof(prefix) - 1))
		return -1;
	p += sizeof(prefix) - 1;
	e->block = strtol(p, &end, 10);
	if (end == p || *end != '\0')
		return -1;
	return 0;
}

int agent_parse_graph_line(const char *line, struct agent_call *c)
{
	/* the last bar: with funcgraph-abstime a timestamp column comes first
	 */
	const char *bar = strrchr(line, '|'), *us, *p, *end;
	double v;
	size_t n;

	if (line[0] == '#' || !bar)
		return -1;
	/* the duration: the number right before " us" left of the bar */
	us = strstr(line, " us ");
	if (!us || us > bar)
		return -1;
	p = us;
	while (p > line && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
		p--;
	if (p == us)
		return -1;
	v = strtod(p, NULL);
	/*
	 * the function, right of the bar: "name();" (a leaf at max depth),
	 * or a closing brace with the name in a C comment, for a call with
	 * events inside it (options/funcgraph-tail names it)
	 */
	p = bar + 1;
	while (*p == ' ')
		p++;
	if (!strncmp(p, "} /* ", 5)) {
		p += 5;
		end = strstr(p, " */");
	} else {
		end = strstr(p, "();");
	}
	if (!end)
		return -1;
	n = (size_t)(end - p);
	if (!n || n >= sizeof(c->func))
		return -1;
	memcpy(c->func, p, n);
	c->func[n] = '\0';
	c->ns = (int64_t)(v * 1000.0 + 0.5);
	return 0;
}

int agent_parse_memmap_report(const char *text, unsigned int page_size,
			      struct agent_memmap *m)
{
	bool summary = false;

	memset(m, 0, sizeof(*m));
	for (const char *p = text; p && *p;) {
		unsigned long long a, b, x[4];
		int nid;

		if (!strncmp(p, "altmap=yes", 10)) {
			m->altmap = true;
			if (sscanf(p,
				   "altmap=yes base_pfn=%llx reserve=%llu "
				   "free=%llu align=%*u alloc=%llu",
				   &x[0], &x[1], &x[2], &x[3]) == 4) {
				m->altmap_base_pfn = x[0];
				m->altmap_reserve = x[1];
				m->altmap_free = x[2];
				m->altmap_alloc = x[3];
			}
		} else if (sscanf(p, "vmemmap=%llx-%llx node=%d", &a, &b,
				  &nid) == 3) {
			if (b >= a && nid >= 0 && nid < AGENT_MAX_NODES)
				m->node_pages[nid] += (b - a + 1) / page_size;
			m->nr_ranges++;
		} else if (sscanf(p,
				  "pages_on_block=%llu pages_elsewhere=%llu "
				  "mapped_pmd=%llu mapped_pte=%llu",
				  &x[0], &x[1], &x[2], &x[3]) == 4) {
			m->pages_on_block = x[0];
			m->pages_elsewhere = x[1];
			m->mapped_pmd = x[2];
			m->mapped_pte = x[3];
			summary = true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return summary ? 0 : -1;
}

int agent_parse_phase_event(const char *line, struct agent_phase_event *e)
{
	const char *ev = strstr(line, "mm_memory_hotplug_");
	char phase[sizeof(e->phase)];
	unsigned long long pfn;
	double t;

	if (!ev)
		return -1;
	if (!strncmp(ev, "mm_memory_hotplug_begin: ", 25))
		e->begin = true;
	else if (!strncmp(ev, "mm_memory_hotplug_end: ", 23))
		e->begin = false;
	else
		return -1;
	ev = strstr(ev, "phase=");
	if (!ev || sscanf(ev, "phase=%31s pfn=%llx", phase, &pfn) != 2)
		return -1;
	/* funcgraph-abstime: the line starts with seconds.microseconds */
	if (sscanf(line, " %lf", &t) != 1)
		return -1;
	snprintf(e->phase, sizeof(e->phase), "%s", phase);
	e->pfn = pfn;
	e->t_ns = (int64_t)(t * 1e9 + 0.5);
	return 0;
}

/* "Key:   123 kB" anywhere in text -> 123 */
static int meminfo_value(const char *text, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : p) {
		const char *k = p;

		/* node meminfo lines start with "Node N " */
		if (!strncmp(k, "Node ", 5)) {
			k = strchr(k + 5, ' ');
			if (!k)
				return -1;
			k++;
		}
		if (!strncmp(k, key, klen) && k[klen] == ':') {
			*v = strtoull(k + klen + 1, NULL, 10);
			return 0;
		}
	}
	return -1;
}

void agent_parse_meminfo(const char *text, struct agent_snapshot *s)
{
	meminfo_value(text, "MemTotal", &s->mem_total_kb);
	meminfo_value(text, "MemFree", &s->mem_free_kb);
}

void agent_parse_node_meminfo(const char *text, int nid,
			      struct agent_snapshot *s)
{
	struct agent_node *n;

	if (s->nr_nodes >= AGENT_MAX_NODES)
		return;
	n = &s->nodes[s->nr_nodes];
	n->node = nid;
	if (meminfo_value(text, "MemTotal", &n->mem_total_kb) ||
	    meminfo_value(text, "MemFree", &n->mem_free_kb))
		return;
	if (meminfo_value(text, "MemUsed", &n->mem_used_kb))
		n->mem_used_kb = n->mem_total_kb - n->mem_free_kb;
	s->nr_nodes++;
}

void agent_parse_vmstat(const char *text, struct agent_snapshot *s)
{
	s->nr_memmap_pages = -1;
	s->nr_memmap_boot_pages = -1;
	for (const char *p = text; p && *p;) {
		if (!strncmp(p, "nr_memmap_pages ", 16))
			s->nr_memmap_pages = strtoll(p + 16, NULL, 10);
		else if (!strncmp(p, "nr_memmap_boot_pages ", 21))
			s->nr_memmap_boot_pages = strtoll(p + 21, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

/*
 * /proc/zoneinfo: "Node N, zone NAME" opens a zone; its "spanned",
 * "present" and "managed" lines follow (per-node stats come first and
 * have other names).
 */
void agent_parse_zoneinfo(const char *text, struct agent_snapshot *s)
{
	struct agent_zone *z = NULL;

	for (const char *p = text; p && *p;) {
		int node;
		char name[16];
		const char *v = p;

		while (*v == ' ')
			v++;
		if (sscanf(p, "Node %d, zone %15s", &node, name) == 2) {
			z = s->nr_zones < AGENT_MAX_ZONES
				    ? &s->zones[s->nr_zones++]
				    : NULL;
			if (z) {
				memset(z, 0, sizeof(*z));
				z->node = node;
				snprintf(z->name, sizeof(z->name), "%s", name);
			}
		} else if (z && !strncmp(v, "spanned ", 8)) {
			z->spanned = strtoull(v + 8, NULL, 10);
		} else if (z && !strncmp(v, "present ", 8)) {
			z->present = strtoull(v + 8, NULL, 10);
		} else if (z && !strncmp(v, "managed ", 8)) {
			z->managed = strtoull(v + 8, NULL, 10);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

json_t *agent_snapshot_to_json(const struct agent_snapshot *s)
{
	json_t *zones = json_array(), *nodes = json_array(),
	       *blocks = json_array();

	for (unsigned int i = 0; i < s->nr_zones; i++)
		json_array_append_new(
			zones,
			json_pack("{s:i, s:s, s:I, s:I, s:I}", "node",
				  s->zones[i].node, "zone", s->zones[i].name,
				  "present", (json_int_t)s->zones[i].present,
				  "managed", (json_int_t)s->zones[i].managed,
				  "spanned", (json_int_t)s->zones[i].spanned));
	for (unsigned int i = 0; i < s->nr_nodes; i++)
		json_array_append_new(
			nodes, json_pack("{s:i, s:I, s:I, s:I}", "node",
					 s->nodes[i].node, "mem_total_kb",
					 (json_int_t)s->nodes[i].mem_total_kb,
					 "mem_free_kb",
					 (json_int_t)s->nodes[i].mem_free_kb,
					 "mem_used_kb",
					 (json_int_t)s->nodes[i].mem_used_kb));
	for (unsigned int i = 0; i < s->nr_blocks; i++)
		json_array_append_new(blocks,
				      json_pack("{s:I, s:i, s:s}", "id",
						(json_int_t)s->blocks[i].id,
						"node", s->blocks[i].node,
						"state", s->blocks[i].state));
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "t_ns",
			 (json_int_t)s->t_ns, "mem_total_kb",
			 (json_int_t)s->mem_total_kb, "mem_free_kb",
			 (json_int_t)s->mem_free_kb, "nr_memmap_pages",
			 (json_int_t)s->nr_memmap_pages, "nr_memmap_boot_pages",
			 (json_int_t)s->nr_memmap_boot_pages, "zones", zones,
			 "nodes", nodes, "blocks", blocks);
}

int agent_snapshot_from_json(json_t *j, struct agent_snapshot *s)
{
	json_int_t t, total, freek, memmap, boot;
	json_t *zones, *nodes, *blocks, *v;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (json_unpack(j, "{s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "t_ns",
			&t, "mem_total_kb", &total, "mem_free_kb", &freek,
			"nr_memmap_pages", &memmap, "nr_memmap_boot_pages",
			&boot, "zones", &zones, "nodes", &nodes, "blocks",
			&blocks))
		return -1;
	if (!json_is_array(zones) || !json_is_array(nodes) ||
	    !json_is_array(blocks))
		return -1;
	s->t_ns = t;
	s->mem_total_kb = (uint64_t)total;
	s->mem_free_kb = (uint64_t)freek;
	s->nr_memmap_pages = memmap;
	s->nr_memmap_boot_pages = boot;
	json_array_foreach(zones, i, v)
	{
		struct agent_zone *z;
		const char *name;
		json_int_t p, m, sp;
		int node;

		if (s->nr_zones >= AGENT_MAX_ZONES)
			break;
		z = &s->zones[s->nr_zones];
		if (json_unpack(v, "{s:i, s:s, s:I, s:I, s:I}", "node", &node,
				"zone", &name, "present", &p, "managed", &m,
				"spanned", &sp))
			return -1;
		z->node = node;
		snprintf(z->name, sizeof(z->name), "%s", name);
		z->present = (uint64_t)p;
		z->managed = (uint64_t)m;
		z->spanned = (uint64_t)sp;
		s->nr_zones++;
	}
	json_array_foreach(nodes, i, v)
	{
		struct agent_node *n;
		json_int_t tot, fr, used;
		int node;

		if (s->nr_nodes >= AGENT_MAX_NODES)
			break;
		n = &s->nodes[s->nr_nodes];
		if (json_unpack(v, "{s:i, s:I, s:I, s:I}", "node", &node,
				"mem_total_kb", &tot, "mem_free_kb", &fr,
				"mem_used_kb", &used))
			return -1;
		n->node = node;
		n->mem_total_kb = (uint64_t)tot;
		n->mem_free_kb = (uint64_t)fr;
		n->mem_used_kb = (uint64_t)used;
		s->nr_nodes++;
	}
	json_array_foreach(blocks, i, v)
	{
		struct agent_block *b;
		const char *state;
		json_int_t id;

		if (s->nr_blocks >= AGENT_MAX_BLOCKS)
			break;
		b = &s->blocks[s->nr_blocks];
		if (json_unpack(v, "{s:I, s:i, s:s}", "id", &id, "node",
				&b->node, "state", &state))
			return -1;
		b->id = (long)id;
		snprintf(b->state, sizeof(b->state), "%s", state);
		s->nr_blocks++;
	}
	return 0;
}

json_t *agent_event_to_json(const struct agent_event *e)
{
	return json_pack("{s:s, s:I, s:I}", "action", e->action, "block",
			 (json_int_t)e->block, "t_ns", (json_int_t)e->t_ns);
}

int agent_event_from_json(json_t *j, struct agent_event *e)
{
	const char *action;
	json_int_t block, t;

	if (json_unpack(j, "{s:s, s:I, s:I}", "action", &action, "block",
			&block, "t_ns", &t))
		return -1;
	snprintf(e->action, sizeof(e->action), "%s", action);
	e->block = (long)block;
	e->t_ns = t;
	return 0;
}

int agent_send(FILE *out, json_t *msg)
{
	if (json_dumpf(msg, out, JSON_COMPACT) || fputc('\n', out) == EOF)
		return -1;
	return fflush(out);
}

uint64_t agent_present_pages(const struct agent_snapshot *s, int node)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < s->nr_zones; i++)
		if (node < 0 || s->zones[i].node == node)
			sum += s->zones[i].present;
	return sum;
}

uint64_t agent_managed_pages(const struct agent_snapshot *s, int node)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < s->nr_zones; i++)
		if (node < 0 || s->zones[i].node == node)
			sum += s->zones[i].managed;
	return sum;
}

const struct agent_node *agent_node_get(const struct agent_snapshot *s,
					int node)
{
	for (unsigned int i = 0; i < s->nr_nodes; i++)
		if (s->nodes[i].node == node)
			return &s->nodes[i];
	return NULL;
}
