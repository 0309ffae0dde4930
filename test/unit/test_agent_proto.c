// SPDX-License-Identifier: MIT
/*
 * agent_proto: the parsers of the guest's /proc and /sys text, fed the
 * hand-written 6.12 (and 6.1) fixtures in test/fixtures/agent/ (two
 * nodes, a Movable zone, empty zones; the expected numbers are in its
 * README), the uevent parser fed kernel and libudev netlink buffers with
 * their embedded NULs, and the JSON form of a snapshot and an event.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../bench/agent_proto.h"

#define FIXTURES "test/fixtures/agent/"

/* the whole file, NUL-terminated; the caller frees */
static char *slurp(const char *name)
{
	char path[256], *buf;
	size_t len = 0, n;
	FILE *f;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	f = fopen(path, "r");
	if (!f)
		cr_assert_fail("%s: %s (run from the top of the tree)", path,
			       strerror(errno));
	buf = malloc(1 << 16);
	cr_assert_not_null(buf);
	while ((n = fread(buf + len, 1, (1 << 16) - 1 - len, f)) > 0)
		len += n;
	cr_assert(feof(f), "%s is larger than 64K", path);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* agent_snapshot is ~100K: never on the stack */
static struct agent_snapshot *snap_new(void)
{
	struct agent_snapshot *s = calloc(1, sizeof(*s));

	cr_assert_not_null(s);
	return s;
}

static void parse_fixture(struct agent_snapshot *s, const char *name,
			  void (*parse)(const char *, struct agent_snapshot *))
{
	char *text = slurp(name);

	parse(text, s);
	free(text);
}

static void parse_node_fixture(struct agent_snapshot *s, const char *name,
			       int nid)
{
	char *text = slurp(name);

	agent_parse_node_meminfo(text, nid, s);
	free(text);
}

/* the full fixture set: what the agent reads for one snapshot */
static struct agent_snapshot *snap_from_fixtures(void)
{
	struct agent_snapshot *s = snap_new();

	parse_fixture(s, "meminfo-6.12", agent_parse_meminfo);
	parse_fixture(s, "vmstat-6.12", agent_parse_vmstat);
	parse_fixture(s, "zoneinfo-6.12-2node", agent_parse_zoneinfo);
	parse_node_fixture(s, "node0-meminfo-6.12", 0);
	parse_node_fixture(s, "node1-meminfo-6.12", 1);
	return s;
}

static const struct agent_zone expect_zones[] = {
	{0, "DMA", 3998, 3840, 4095},
	{0, "DMA32", 782304, 757720, 1044480},
	{0, "Normal", 262144, 254426, 262144},
	{0, "Movable", 0, 0, 0},
	{0, "Device", 0, 0, 0},
	{1, "DMA", 0, 0, 0},
	{1, "DMA32", 0, 0, 0},
	{1, "Normal", 262144, 255984, 262144},
	{1, "Movable", 65536, 65536, 65536},
	{1, "Device", 0, 0, 0},
};

#define NR_EXPECT_ZONES (sizeof(expect_zones) / sizeof(expect_zones[0]))

Test(agent_proto, zoneinfo_two_nodes)
{
	struct agent_snapshot *s = snap_new();

	parse_fixture(s, "zoneinfo-6.12-2node", agent_parse_zoneinfo);
	cr_assert_eq(s->nr_zones, NR_EXPECT_ZONES);
	for (unsigned int i = 0; i < NR_EXPECT_ZONES; i++) {
		const struct agent_zone *z = &s->zones[i],
					*e = &expect_zones[i];

		cr_assert_eq(z->node, e->node, "zone %u node", i);
		cr_assert_str_eq(z->name, e->name, "zone %u", i);
		/* the per-node stats before the first populated zone's
		 * "pages free" must not leak into any zone */
		cr_assert_eq(z->present, e->present, "node %d %s present",
			     e->node, e->name);
		cr_assert_eq(z->managed, e->managed, "node %d %s managed",
			     e->node, e->name);
		cr_assert_eq(z->spanned, e->spanned, "node %d %s spanned",
			     e->node, e->name);
	}
	free(s);
}

Test(agent_proto, zoneinfo_sums)
{
	struct agent_snapshot *s = snap_new();

	parse_fixture(s, "zoneinfo-6.12-2node", agent_parse_zoneinfo);
	/* 3998 + 782304 + 262144 + 262144 + 65536 */
	cr_assert_eq(agent_present_pages(s, -1), 1376126);
	/* 3840 + 757720 + 254426 + 255984 + 65536 */
	cr_assert_eq(agent_managed_pages(s, -1), 1337506);
	cr_assert_eq(agent_present_pages(s, 0), 3998 + 782304 + 262144);
	cr_assert_eq(agent_managed_pages(s, 0), 3840 + 757720 + 254426);
	cr_assert_eq(agent_present_pages(s, 1), 262144 + 65536);
	cr_assert_eq(agent_managed_pages(s, 1), 255984 + 65536);
	/* a node with no zones */
	cr_assert_eq(agent_present_pages(s, 2), 0);
	cr_assert_eq(agent_managed_pages(s, 2), 0);
	free(s);
}

Test(agent_proto, zoneinfo_header_spacing)
{
	/* "Node %d, zone %8s": short names are right-aligned */
	static const char text[] = "Node 3, zone  Movable\n"
				   "  pages free     0\n"
				   "        spanned  32768\n"
				   "        present  32768\n"
				   "        managed  32256\n"
				   "        protection: (0, 0, 0, 0, 0)\n";
	struct agent_snapshot *s = snap_new();

	agent_parse_zoneinfo(text, s);
	cr_assert_eq(s->nr_zones, 1);
	cr_assert_eq(s->zones[0].node, 3);
	cr_assert_str_eq(s->zones[0].name, "Movable");
	cr_assert_eq(s->zones[0].spanned, 32768);
	cr_assert_eq(s->zones[0].present, 32768);
	cr_assert_eq(s->zones[0].managed, 32256);
	free(s);
}

Test(agent_proto, meminfo)
{
	struct agent_snapshot *s = snap_new();

	parse_fixture(s, "meminfo-6.12", agent_parse_meminfo);
	cr_assert_eq(s->mem_total_kb, 5350024);
	cr_assert_eq(s->mem_free_kb, 4974428);
	free(s);
}

Test(agent_proto, meminfo_matches_managed)
{
	/* the fixtures agree: MemTotal is managed pages of 4K */
	struct agent_snapshot *s = snap_from_fixtures();

	cr_assert_eq(s->mem_total_kb, agent_managed_pages(s, -1) * 4);
	cr_assert_eq(agent_node_get(s, 0)->mem_total_kb,
		     agent_managed_pages(s, 0) * 4);
	cr_assert_eq(agent_node_get(s, 1)->mem_total_kb,
		     agent_managed_pages(s, 1) * 4);
	free(s);
}

Test(agent_proto, node_meminfo)
{
	struct agent_snapshot *s = snap_new();
	const struct agent_node *n;

	parse_node_fixture(s, "node0-meminfo-6.12", 0);
	parse_node_fixture(s, "node1-meminfo-6.12", 1);
	cr_assert_eq(s->nr_nodes, 2);
	n = agent_node_get(s, 0);
	cr_assert_not_null(n);
	cr_assert_eq(n->node, 0);
	cr_assert_eq(n->mem_total_kb, 4063944);
	cr_assert_eq(n->mem_free_kb, 3712340);
	cr_assert_eq(n->mem_used_kb, 351604);
	n = agent_node_get(s, 1);
	cr_assert_not_null(n);
	cr_assert_eq(n->node, 1);
	cr_assert_eq(n->mem_total_kb, 1286080);
	cr_assert_eq(n->mem_free_kb, 1262012);
	cr_assert_eq(n->mem_used_kb, 24068);
	cr_assert_null(agent_node_get(s, 2));
	free(s);
}

Test(agent_proto, node_meminfo_without_memused)
{
	static const char text[] = "Node 1 MemTotal:        1048576 kB\n"
				   "Node 1 MemFree:          786432 kB\n"
				   "Node 1 SwapCached:            0 kB\n";
	struct agent_snapshot *s = snap_new();
	const struct agent_node *n;

	agent_parse_node_meminfo(text, 1, s);
	cr_assert_eq(s->nr_nodes, 1);
	n = agent_node_get(s, 1);
	cr_assert_not_null(n);
	cr_assert_eq(n->mem_total_kb, 1048576);
	cr_assert_eq(n->mem_free_kb, 786432);
	/* MemTotal - MemFree */
	cr_assert_eq(n->mem_used_kb, 262144);
	free(s);
}

Test(agent_proto, node_meminfo_incomplete_is_not_a_node)
{
	static const char text[] = "Node 2 MemTotal:        1048576 kB\n";
	struct agent_snapshot *s = snap_new();

	agent_parse_node_meminfo(text, 2, s);
	cr_assert_eq(s->nr_nodes, 0);
	cr_assert_null(agent_node_get(s, 2));
	free(s);
}

Test(agent_proto, vmstat_612)
{
	struct agent_snapshot *s = snap_new();

	parse_fixture(s, "vmstat-6.12", agent_parse_vmstat);
	cr_assert_eq(s->nr_memmap_pages, 1024);
	cr_assert_eq(s->nr_memmap_boot_pages, 20480);
	free(s);
}

Test(agent_proto, vmstat_61_has_no_memmap_counters)
{
	struct agent_snapshot *s = snap_new();

	/* stale values from an earlier parse must not survive */
	s->nr_memmap_pages = 77;
	s->nr_memmap_boot_pages = 88;
	parse_fixture(s, "vmstat-6.1", agent_parse_vmstat);
	cr_assert_eq(s->nr_memmap_pages, -1);
	cr_assert_eq(s->nr_memmap_boot_pages, -1);
	free(s);
}

/* sizeof - 1: the literal's own terminating NUL is not part of it */
#define UEVENT(lit) lit, sizeof(lit) - 1

Test(agent_proto, uevent_add)
{
	struct agent_event e;

	cr_assert_eq(agent_parse_uevent(
			     UEVENT("add@/devices/system/memory/memory40\0"
				    "ACTION=add\0"
				    "DEVPATH=/devices/system/memory/memory40\0"
				    "SUBSYSTEM=memory\0"
				    "SEQNUM=2417\0"),
			     &e),
		     0);
	cr_assert_str_eq(e.action, "add");
	cr_assert_eq(e.block, 40);
}

Test(agent_proto, uevent_online_offline_remove)
{
	struct agent_event e;

	cr_assert_eq(agent_parse_uevent(
			     UEVENT("online@/devices/system/memory/memory7\0"
				    "ACTION=online\0"
				    "DEVPATH=/devices/system/memory/memory7\0"
				    "SUBSYSTEM=memory\0"
				    "SEQNUM=12\0"),
			     &e),
		     0);
	cr_assert_str_eq(e.action, "online");
	cr_assert_eq(e.block, 7);

	cr_assert_eq(agent_parse_uevent(
			     UEVENT("offline@/devices/system/memory/memory1023"
				    "\0ACTION=offline\0"),
			     &e),
		     0);
	cr_assert_str_eq(e.action, "offline");
	cr_assert_eq(e.block, 1023);

	cr_assert_eq(agent_parse_uevent(
			     UEVENT("remove@/devices/system/memory/memory0\0"
				    "ACTION=remove\0"),
			     &e),
		     0);
	cr_assert_str_eq(e.action, "remove");
	cr_assert_eq(e.block, 0);
}

Test(agent_proto, uevent_without_properties)
{
	/* only the header, terminated by its NUL */
	struct agent_event e;

	cr_assert_eq(agent_parse_uevent(UEVENT("online@/devices/system/memory/"
					       "memory7\0"),
					&e),
		     0);
	cr_assert_str_eq(e.action, "online");
	cr_assert_eq(e.block, 7);
}

Test(agent_proto, uevent_not_a_memory_block)
{
	struct agent_event e;

	cr_assert_eq(
		agent_parse_uevent(UEVENT("add@/devices/system/cpu/cpu1\0"
					  "ACTION=add\0"
					  "DEVPATH=/devices/system/cpu/cpu1\0"
					  "SUBSYSTEM=cpu\0"),
				   &e),
		-1);
	cr_assert_eq(e.block, -1);
	/* the memory directory itself, and a sibling attribute group */
	cr_assert_eq(agent_parse_uevent(
			     UEVENT("change@/devices/system/memory\0"), &e),
		     -1);
	cr_assert_eq(agent_parse_uevent(
			     UEVENT("add@/devices/system/memory/memory\0"), &e),
		     -1);
	cr_assert_eq(agent_parse_uevent(
			     UEVENT("add@/devices/system/node/node1\0"), &e),
		     -1);
}

Test(agent_proto, uevent_trailing_garbage)
{
	struct agent_event e;

	cr_assert_eq(agent_parse_uevent(
			     UEVENT("add@/devices/system/memory/memory12x\0"
				    "ACTION=add\0"),
			     &e),
		     -1);
}

Test(agent_proto, uevent_libudev)
{
	/*
	 * udev's re-broadcast: "libudev\0", magic 0xfeedcafe big-endian,
	 * then host-order header_size, properties_off, properties_len (64 =
	 * '@' in its low byte), filter hashes; then KEY=VAL\0 properties,
	 * no "ACTION@DEVPATH" line.
	 */
	static const char msg[] = "libudev\0"
				  "\xfe\xed\xca\xfe"
				  "\x28\x00\x00\x00"
				  "\x28\x00\x00\x00"
				  "\x40\x00\x00\x00"
				  "\x00\x00\x00\x00"
				  "\x00\x00\x00\x00"
				  "\x00\x00\x00\x00"
				  "\x00\x00\x00\x00"
				  "ACTION=add\0"
				  "DEVPATH=/devices/system/memory/memory40\0"
				  "SUBSYSTEM=memory\0"
				  "SEQNUM=2417\0"
				  "USEC_INITIALIZED=1234\0";
	struct agent_event e;

	cr_assert_eq(agent_parse_uevent(msg, sizeof(msg) - 1, &e), -1);
	cr_assert_eq(e.block, -1);
	/* the magic alone, as a short read */
	cr_assert_eq(agent_parse_uevent(msg, 12, &e), -1);
}

Test(agent_proto, uevent_action_length)
{
	struct agent_event e;

	/* action[16]: 15 characters fit, 16 do not */
	cr_assert_eq(agent_parse_uevent(
			     UEVENT("abcdefghijklmno@/devices/system/memory/"
				    "memory3\0"),
			     &e),
		     0);
	cr_assert_str_eq(e.action, "abcdefghijklmno");
	cr_assert_eq(agent_parse_uevent(
			     UEVENT("abcdefghijklmnop@/devices/system/memory/"
				    "memory3\0"),
			     &e),
		     -1);
	cr_assert_eq(e.block, -1);
	/* empty action */
	cr_assert_eq(agent_parse_uevent(
			     UEVENT("@/devices/system/memory/memory3\0"), &e),
		     -1);
}

Test(agent_proto, uevent_at_beyond_len)
{
	/* an '@' past len is not looked at */
	static const char buf[] = "add@/devices/system/memory/memory3";
	struct agent_event e;

	cr_assert_eq(agent_parse_uevent(buf, 3, &e), -1);
	cr_assert_eq(agent_parse_uevent(buf, 0, &e), -1);
}

/* a snapshot with every kind of member filled */
static struct agent_snapshot *snap_filled(void)
{
	struct agent_snapshot *s = snap_from_fixtures();
	static const char *const states[] = {"online", "offline",
					     "online_movable"};

	s->t_ns = 1234567890123456789LL;
	s->nr_memmap_boot_pages = -1; /* a negative must travel too */
	for (unsigned int i = 0; i < 3; i++) {
		struct agent_block *b = &s->blocks[s->nr_blocks++];

		b->id = 40 + (long)i * 1000;
		b->node = (int)i % 2;
		snprintf(b->state, sizeof(b->state), "%s", states[i]);
	}
	return s;
}

static void assert_snap_eq(const struct agent_snapshot *a,
			   const struct agent_snapshot *b)
{
	cr_assert_eq(a->t_ns, b->t_ns);
	cr_assert_eq(a->mem_total_kb, b->mem_total_kb);
	cr_assert_eq(a->mem_free_kb, b->mem_free_kb);
	cr_assert_eq(a->nr_memmap_pages, b->nr_memmap_pages);
	cr_assert_eq(a->nr_memmap_boot_pages, b->nr_memmap_boot_pages);
	cr_assert_eq(a->nr_zones, b->nr_zones);
	cr_assert_eq(a->nr_nodes, b->nr_nodes);
	cr_assert_eq(a->nr_blocks, b->nr_blocks);
	for (unsigned int i = 0; i < a->nr_zones; i++) {
		cr_assert_eq(a->zones[i].node, b->zones[i].node);
		cr_assert_str_eq(a->zones[i].name, b->zones[i].name);
		cr_assert_eq(a->zones[i].present, b->zones[i].present);
		cr_assert_eq(a->zones[i].managed, b->zones[i].managed);
		cr_assert_eq(a->zones[i].spanned, b->zones[i].spanned);
	}
	for (unsigned int i = 0; i < a->nr_nodes; i++) {
		cr_assert_eq(a->nodes[i].node, b->nodes[i].node);
		cr_assert_eq(a->nodes[i].mem_total_kb,
			     b->nodes[i].mem_total_kb);
		cr_assert_eq(a->nodes[i].mem_free_kb, b->nodes[i].mem_free_kb);
		cr_assert_eq(a->nodes[i].mem_used_kb, b->nodes[i].mem_used_kb);
	}
	for (unsigned int i = 0; i < a->nr_blocks; i++) {
		cr_assert_eq(a->blocks[i].id, b->blocks[i].id);
		cr_assert_eq(a->blocks[i].node, b->blocks[i].node);
		cr_assert_str_eq(a->blocks[i].state, b->blocks[i].state);
	}
}

Test(agent_proto, snapshot_json_round_trip)
{
	struct agent_snapshot *s = snap_filled(), *back = snap_new();
	json_t *j = agent_snapshot_to_json(s);
	char *text;
	json_t *reparsed;
	json_error_t jerr;

	cr_assert_not_null(j);
	cr_assert_eq(s->nr_zones, NR_EXPECT_ZONES);
	cr_assert_eq(s->nr_nodes, 2);
	cr_assert_eq(s->nr_memmap_pages, 1024);
	cr_assert_eq(agent_snapshot_from_json(j, back), 0);
	assert_snap_eq(s, back);

	/* and through text, as it travels */
	text = json_dumps(j, JSON_COMPACT);
	cr_assert_not_null(text);
	reparsed = json_loads(text, 0, &jerr);
	cr_assert_not_null(reparsed, "%s", jerr.text);
	memset(back, 0xa5, sizeof(*back));
	cr_assert_eq(agent_snapshot_from_json(reparsed, back), 0);
	assert_snap_eq(s, back);

	free(text);
	json_decref(reparsed);
	json_decref(j);
	free(back);
	free(s);
}

Test(agent_proto, snapshot_json_empty_arrays)
{
	struct agent_snapshot *s = snap_new(), *back = snap_new();
	json_t *j;

	s->nr_memmap_pages = -1;
	s->nr_memmap_boot_pages = -1;
	j = agent_snapshot_to_json(s);
	cr_assert_not_null(j);
	cr_assert_eq(agent_snapshot_from_json(j, back), 0);
	assert_snap_eq(s, back);
	json_decref(j);
	free(back);
	free(s);
}

/* from_json of the filled snapshot's JSON after @mutate; returns its rc */
static int from_mutated(void (*mutate)(json_t *))
{
	struct agent_snapshot *s = snap_filled(), *back = snap_new();
	json_t *j = agent_snapshot_to_json(s);
	int rc;

	cr_assert_not_null(j);
	mutate(j);
	rc = agent_snapshot_from_json(j, back);
	json_decref(j);
	free(back);
	free(s);
	return rc;
}

static void drop_mem_free(json_t *j)
{
	cr_assert_eq(json_object_del(j, "mem_free_kb"), 0);
}

static void drop_blocks(json_t *j)
{
	cr_assert_eq(json_object_del(j, "blocks"), 0);
}

static void total_as_string(json_t *j)
{
	json_object_set_new(j, "mem_total_kb", json_string("5350024"));
}

static void memmap_as_real(json_t *j)
{
	json_object_set_new(j, "nr_memmap_pages", json_real(1024.0));
}

static void zones_as_object(json_t *j)
{
	json_object_set_new(j, "zones", json_object());
}

static void zone_without_managed(json_t *j)
{
	json_t *z = json_array_get(json_object_get(j, "zones"), 2);

	cr_assert_eq(json_object_del(z, "managed"), 0);
}

static void node_total_null(json_t *j)
{
	json_t *n = json_array_get(json_object_get(j, "nodes"), 1);

	json_object_set_new(n, "mem_total_kb", json_null());
}

static void block_state_number(json_t *j)
{
	json_t *b = json_array_get(json_object_get(j, "blocks"), 0);

	json_object_set_new(b, "state", json_integer(1));
}

static void zone_not_object(json_t *j)
{
	json_array_append_new(json_object_get(j, "zones"), json_integer(3));
}

static void nothing(json_t *j)
{
	(void)j;
}

Test(agent_proto, snapshot_from_json_rejects)
{
	/* the unmutated JSON is accepted: the rejections below are real */
	cr_assert_eq(from_mutated(nothing), 0);
	cr_assert_eq(from_mutated(drop_mem_free), -1);
	cr_assert_eq(from_mutated(drop_blocks), -1);
	cr_assert_eq(from_mutated(total_as_string), -1);
	cr_assert_eq(from_mutated(memmap_as_real), -1);
	cr_assert_eq(from_mutated(zones_as_object), -1);
	cr_assert_eq(from_mutated(zone_without_managed), -1);
	cr_assert_eq(from_mutated(node_total_null), -1);
	cr_assert_eq(from_mutated(block_state_number), -1);
	cr_assert_eq(from_mutated(zone_not_object), -1);
}

Test(agent_proto, snapshot_from_json_not_an_object)
{
	struct agent_snapshot *s = snap_new();
	json_t *j = json_array();

	cr_assert_eq(agent_snapshot_from_json(j, s), -1);
	json_decref(j);
	j = json_loads("{}", 0, NULL);
	cr_assert_eq(agent_snapshot_from_json(j, s), -1);
	json_decref(j);
	free(s);
}

Test(agent_proto, event_json_round_trip)
{
	struct agent_event e = {
		.action = "online", .block = 4095, .t_ns = 987654321012LL};
	struct agent_event back;
	json_t *j = agent_event_to_json(&e);

	cr_assert_not_null(j);
	memset(&back, 0, sizeof(back));
	cr_assert_eq(agent_event_from_json(j, &back), 0);
	cr_assert_str_eq(back.action, "online");
	cr_assert_eq(back.block, 4095);
	cr_assert_eq(back.t_ns, 987654321012LL);
	json_object_del(j, "block");
	cr_assert_eq(agent_event_from_json(j, &back), -1);
	json_decref(j);
}

Test(agent_proto, send_one_line)
{
	struct agent_event e = {.action = "add", .block = 40, .t_ns = 5};
	json_t *j = agent_event_to_json(&e);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(agent_send(f, j), 0);
	/* flushed: visible before fclose */
	cr_assert_gt(len, 0);
	cr_assert_eq(buf[len - 1], '\n');
	cr_assert_null(memchr(buf, '\n', len - 1), "one line: %s", buf);
	cr_assert_null(strchr(buf, ' '), "compact: %s", buf);
	fclose(f);
	free(buf);
	json_decref(j);
}

/* function_graph lines as 6.12 prints them with max_graph_depth 1 */
Test(agent_proto, graph_lines)
{
	struct agent_call c;

	cr_assert_eq(agent_parse_graph_line(
			     " 1) + 17.690 us   |  online_pages();", &c),
		     0);
	cr_assert_str_eq(c.func, "online_pages");
	cr_assert_eq(c.ns, 17690);
	/* ! marks > 100 us, # > 1 ms; the number is still microseconds */
	cr_assert_eq(agent_parse_graph_line(
			     " 0) # 18170.05 us |  add_memory_resource();", &c),
		     0);
	cr_assert_str_eq(c.func, "add_memory_resource");
	cr_assert_eq(c.ns, 18170050);
	cr_assert_eq(agent_parse_graph_line(
			     " 1) $ 2185964 us  |  try_remove_memory();", &c),
		     0);
	cr_assert_eq(c.ns, 2185964000LL);
	/* headers, entries of deeper graphs and noise are not calls */
	cr_assert_eq(
		agent_parse_graph_line("# CPU  DURATION   FUNCTION CALLS", &c),
		-1);
	cr_assert_eq(agent_parse_graph_line(
			     " 1)               |  online_pages() {", &c),
		     -1);
	cr_assert_eq(agent_parse_graph_line(" 1) + 17.690 us   |  }", &c), -1);
	cr_assert_eq(agent_parse_graph_line("", &c), -1);
}

/* memoryX/memmap of kernel-patches/0002, as the lab kernel printed it */
Test(agent_proto, memmap_report)
{
	struct agent_memmap m;

	cr_assert_eq(agent_parse_memmap_report(
			     "altmap=no\n"
			     "vmemmap=0x1e000000-0x1e1fffff node=0\n"
			     "pages_on_block=0 pages_elsewhere=512 "
			     "mapped_pmd=512 mapped_pte=0\n",
			     4096, &m),
		     0);
	cr_assert_not(m.altmap);
	cr_assert_eq(m.node_pages[0], 512); /* 2M of memmap = 512 pages */
	cr_assert_eq(m.pages_elsewhere, 512);
	cr_assert_eq(m.nr_ranges, 1);
	cr_assert_eq(m.altmap_alloc, 0);
	cr_assert_eq(m.mapped_pmd, 512);
	cr_assert_eq(agent_parse_memmap_report(
			     "altmap=yes base_pfn=0x140000 reserve=0 free=512 "
			     "align=0 alloc=512\n"
			     "vmemmap=0x140000000-0x1401fffff node=1\n"
			     "pages_on_block=512 pages_elsewhere=0 "
			     "mapped_pmd=512 mapped_pte=0\n",
			     4096, &m),
		     0);
	cr_assert(m.altmap);
	cr_assert_eq(m.pages_on_block, 512);
	cr_assert_eq(m.node_pages[1], 512);
	cr_assert_eq(m.altmap_base_pfn, 0x140000);
	cr_assert_eq(m.altmap_free, 512);
	cr_assert_eq(m.altmap_alloc, 512);
	cr_assert_eq(m.altmap_reserve, 0);
	/* a stock kernel's answer (no such file) or garbage is not a report */
	cr_assert_eq(agent_parse_memmap_report("", 4096, &m), -1);
	cr_assert_eq(agent_parse_memmap_report("altmap=no\n", 4096, &m), -1);
}

/* with funcgraph-abstime a timestamp column comes first */
Test(agent_proto, graph_line_with_abstime)
{
	struct agent_call c;

	cr_assert_eq(agent_parse_graph_line("    1.782173 |   0) + 17.690 us   "
					    "|  online_pages();",
					    &c),
		     0);
	cr_assert_str_eq(c.func, "online_pages");
	cr_assert_eq(c.ns, 17690);
}

/*
 * With events inside the call (the patched kernel's phases) function_graph
 * prints an opening line without a time and a closing brace with it;
 * funcgraph-tail names the function there
 */
Test(agent_proto, graph_line_closing_brace)
{
	struct agent_call c;

	cr_assert_eq(agent_parse_graph_line("    2.104337 |   1)               "
					    "|  add_memory_resource() {",
					    &c),
		     -1);
	cr_assert_eq(agent_parse_graph_line(
			     "    2.109862 |   1) # 5525.219 us |  } /* "
			     "add_memory_resource */",
			     &c),
		     0);
	cr_assert_str_eq(c.func, "add_memory_resource");
	cr_assert_eq(c.ns, 5525219);
	/* a bare brace (no tail option) names nothing */
	cr_assert_eq(agent_parse_graph_line(
			     "    2.109862 |   1) # 5525.219 us |  }", &c),
		     -1);
}

/* kernel-patches/0003 events as function_graph prints them */
Test(agent_proto, phase_events)
{
	struct agent_phase_event e;

	cr_assert_eq(
		agent_parse_phase_event(
			"    1.775161 |   0)               |  /* "
			"mm_memory_hotplug_begin: phase=arch_add_memory "
			"pfn=0x20000 nr_pages=32768 nid=0 zone= altmap=1 */",
			&e),
		0);
	cr_assert(e.begin);
	cr_assert_str_eq(e.phase, "arch_add_memory");
	cr_assert_eq(e.pfn, 0x20000);
	cr_assert_eq(e.t_ns, 1775161000LL);
	cr_assert_eq(
		agent_parse_phase_event(
			"    1.775319 |   0)               |  /* "
			"mm_memory_hotplug_end: phase=arch_add_memory "
			"pfn=0x20000 nr_pages=32768 nid=0 zone= altmap=1 */",
			&e),
		0);
	cr_assert_not(e.begin);
	cr_assert_eq(e.t_ns, 1775319000LL);
	/* other events and graph lines are not phases */
	cr_assert_eq(agent_parse_phase_event(
			     " 1) + 17.690 us | online_pages();", &e),
		     -1);
	cr_assert_eq(
		agent_parse_phase_event(
			"    1.0 |  /* mm_memory_hotplug_other: phase=x */",
			&e),
		-1);
}
