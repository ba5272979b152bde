// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test-only isisd module, built by 'make check' (or 'make
 * tests/modules/cfnd_isis_synth.la') and never installed: originates a
 * synthetic level-2 topology of N routers as real LSPs, flooded to the
 * neighbors like any LSP, so a neighbor's isisd and cfnd_isis compute on a
 * large LSDB (bench/bench-steering-cpu).
 *
 *   test isis synth-lsdb routers N degree D services S sites K seed X
 *       N routers s0..s(N-1) (system ids 0200.00xx.xxxx): a ring plus
 *       random chords up to an average degree D, link metrics 1-100 (the
 *       same both ways); s0 is linked to this router (our own LSP lists it
 *       through the LSP build hook, s0 lists us back).  Each router
 *       advertises one IPv4 and one IPv6 prefix; K routers are sites, each
 *       hosting all S services 203.0.113.16/32.. with a random compute
 *       metric (GENINFO TLVs, lib/tlv).
 *   test isis synth-lsdb bump link|site
 *       new random metric on one random link (topology change), or new
 *       compute metrics at one random site (capacity change).
 *   show test isis synth-lsdb
 *   test isis synth-lsdb profile
 *       on any router (no synthetic LSDB needed): times the steps of
 *       cfnd_isis's graph build on this router's level-2 LSDB with the
 *       module's own code (the LSDB iterator of cfnd_isis_lsdb.h and
 *       lib/lsdb_graph): the walk alone, the graph build, and a
 *       lib/cfn_spf run from this router, so a benchmark can split the
 *       module's post-pass from outside.
 *
 * Only documentation prefixes: IPv6 2001:db8:fe::/48, IPv4 taken from the
 * upper halves of the three IPv4 documentation /24s, reused cyclically.
 * vtysh does not know these commands; send them to isisd's vty socket.
 */
#include <zebra.h>

#include "command.h"
#include "hook.h"
#include "libfrr.h"
#include "memory.h"
#include "module.h"
#include "monotime.h"
#include "prefix.h"

#include "isisd/isisd.h"
#include "isisd/isis_dynhn.h"
#include "isisd/isis_lsp.h"
#include "isisd/isis_mt.h"
#include "isisd/isis_tlvs.h"

#include "cfn_spf.h"
#include "cfnd_isis/cfnd_isis_lsdb.h"
#include "lsdb_graph.h"
#include "tlv.h"

DEFINE_MTYPE_STATIC(ISISD, SYNTH, "Synthetic LSDB (test)");

#define SYNTH_LEVEL IS_LEVEL_2
#define SYNTH_LIFETIME 1200
#define SYNTH_SELF_METRIC 10
#define SYNTH_MAX_SERVICES 100
#define SYNTH_GI_MAX 16

struct synth_edge {
	uint32_t a, b; /* b == n: this router */
	uint32_t metric;
};

struct synth_router {
	uint8_t id[7];
	struct isis_lsp *lsp;
	uint32_t *edges; /* indices into synth.edges */
	uint32_t nedges, capedges;
	int site; /* index into synth.sites, -1 */
};

static struct {
	struct isis_area *area;
	uint32_t n, nservices, nsites;
	struct synth_router *r;
	struct synth_edge *edges;
	uint32_t nedges, capedges;
	uint32_t *sites;       /* router index per site */
	uint32_t *site_metric; /* nsites x nservices */
	uint64_t rng;
	uint64_t bumps;
} synth;

static uint32_t rnd(uint32_t bound)
{
	/* xorshift64*: reproducible from the seed, no libc state */
	synth.rng ^= synth.rng >> 12;
	synth.rng ^= synth.rng << 25;
	synth.rng ^= synth.rng >> 27;
	return ((synth.rng * 2685821657736338717ULL) >> 32) % bound;
}

static void sysid_of(uint32_t i, uint8_t id[7])
{
	id[0] = 0x02;
	id[1] = 0x00;
	id[2] = 0x00;
	id[3] = (i >> 16) & 0xff;
	id[4] = (i >> 8) & 0xff;
	id[5] = i & 0xff;
	id[6] = 0;
}

/* i-th IPv4 prefix in 192.0.2.128/25, 198.51.100.128/25, 203.0.113.128/25:
 * every length 25-32, 255 prefixes per /25. */
static void ipv4_prefix_of(uint32_t i, struct prefix_ipv4 *p)
{
	static const uint32_t bases[] = {0xc0000280, 0xc6336480, 0xcb007180};
	uint32_t k = i % (3 * 255), base = bases[k / 255], j = k % 255;
	uint32_t len = 25, count = 1;

	while (j >= count) {
		j -= count;
		len++;
		count *= 2;
	}
	memset(p, 0, sizeof(*p));
	p->family = AF_INET;
	p->prefixlen = len;
	p->prefix.s_addr = htonl(base + (j << (32 - len)));
}

static void ipv6_prefix_of(uint32_t i, struct prefix_ipv6 *p)
{
	memset(p, 0, sizeof(*p));
	p->family = AF_INET6;
	p->prefixlen = 128;
	p->prefix.s6_addr[0] = 0x20;
	p->prefix.s6_addr[1] = 0x01;
	p->prefix.s6_addr[2] = 0x0d;
	p->prefix.s6_addr[3] = 0xb8;
	p->prefix.s6_addr[5] = 0xfe;
	p->prefix.s6_addr[12] = (i >> 24) & 0xff;
	p->prefix.s6_addr[13] = (i >> 16) & 0xff;
	p->prefix.s6_addr[14] = (i >> 8) & 0xff;
	p->prefix.s6_addr[15] = (i & 0xff);
}

static void service_entry(uint32_t svc, uint32_t metric,
			  struct cfn_svc_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->prefix.afi = CFN_AFI_IPV4;
	e->prefix.plen = 32;
	e->prefix.addr[0] = 203;
	e->prefix.addr[1] = 0;
	e->prefix.addr[2] = 113;
	e->prefix.addr[3] = 16 + svc;
	e->metric = metric;
	e->present = CFN_SE_CAP_TOTAL | CFN_SE_CAP_AVAIL;
	e->cap_total = 100;
	e->cap_avail = 50;
}

static void edge_add(uint32_t a, uint32_t b, uint32_t metric)
{
	uint32_t ends[2] = {a, b};

	if (synth.nedges == synth.capedges) {
		synth.capedges = synth.capedges ? 2 * synth.capedges : 1024;
		synth.edges = XREALLOC(MTYPE_SYNTH, synth.edges,
				       synth.capedges * sizeof(*synth.edges));
	}
	synth.edges[synth.nedges] =
		(struct synth_edge){.a = a, .b = b, .metric = metric};
	for (int k = 0; k < 2; k++) {
		struct synth_router *r;

		if (ends[k] == synth.n)
			continue;
		r = &synth.r[ends[k]];
		if (r->nedges == r->capedges) {
			r->capedges = r->capedges ? 2 * r->capedges : 4;
			r->edges = XREALLOC(MTYPE_SYNTH, r->edges,
					    r->capedges * sizeof(*r->edges));
		}
		r->edges[r->nedges++] = synth.nedges;
	}
	synth.nedges++;
}

static bool edge_exists(uint32_t a, uint32_t b)
{
	const struct synth_router *r = &synth.r[a];

	for (uint32_t k = 0; k < r->nedges; k++) {
		const struct synth_edge *e = &synth.edges[r->edges[k]];

		if ((e->a == a && e->b == b) || (e->a == b && e->b == a))
			return true;
	}
	return false;
}

static struct isis_tlvs *router_tlvs(uint32_t i, char *err, size_t errlen)
{
	struct synth_router *r = &synth.r[i];
	struct isis_tlvs *tlvs = isis_alloc_tlvs();
	struct nlpids nlpids = {.count = 2, .nlpids = {NLPID_IP, NLPID_IPV6}};
	struct prefix_ipv4 p4;
	struct prefix_ipv6 p6;
	char name[32];

	isis_tlvs_add_area_addresses(tlvs, synth.area->area_addrs);
	isis_tlvs_set_protocols_supported(tlvs, &nlpids);
	snprintf(name, sizeof(name), "s%u", i);
	isis_tlvs_set_dynamic_hostname(tlvs, name);
	for (uint32_t k = 0; k < r->nedges; k++) {
		const struct synth_edge *e = &synth.edges[r->edges[k]];
		uint32_t other = e->a == i ? e->b : e->a;
		uint8_t nid[7];

		if (other == synth.n) {
			memcpy(nid, synth.area->isis->sysid, 6);
			nid[6] = 0;
		} else
			sysid_of(other, nid);
		isis_tlvs_add_extended_reach(tlvs, ISIS_MT_IPV4_UNICAST, nid,
					     e->metric, NULL);
	}
	ipv4_prefix_of(i, &p4);
	isis_tlvs_add_extended_ip_reach(tlvs, &p4, 10, false, NULL);
	ipv6_prefix_of(i, &p6);
	isis_tlvs_add_ipv6_reach(tlvs, ISIS_MT_IPV4_UNICAST, &p6, 10, false,
				 NULL);
	if (r->site >= 0 && synth.nservices) {
		static struct cfn_tlv_value values[SYNTH_GI_MAX];
		struct cfn_svc_entry e[SYNTH_MAX_SERVICES];
		struct cfn_geninfo_hdr hdr = {
			.app_id = CFN_GENINFO_APP_ID_DEFAULT};
		int count;

		for (uint32_t s = 0; s < synth.nservices; s++)
			service_entry(
				s,
				synth.site_metric[r->site * synth.nservices +
						  s],
				&e[s]);
		count = cfn_geninfo_encode(&hdr, e, synth.nservices, values,
					   SYNTH_GI_MAX, err, errlen);
		if (count < 0) {
			isis_free_tlvs(tlvs);
			return NULL;
		}
		for (int k = 0; k < count; k++)
			isis_tlvs_add_raw(tlvs, CFN_GENINFO_TLV_TYPE,
					  values[k].len, values[k].val);
	}
	return tlvs;
}

/* (Re)originates router i's LSP with a new sequence number and floods it. */
static bool originate(uint32_t i, char *err, size_t errlen)
{
	struct synth_router *r = &synth.r[i];
	struct isis_tlvs *tlvs = router_tlvs(i, err, errlen);

	if (!tlvs)
		return false;
	if (!r->lsp) {
		uint8_t lspid[ISIS_SYS_ID_LEN + 2];

		memcpy(lspid, r->id, 7);
		LSP_FRAGMENT(lspid) = 0;
		r->lsp = lsp_new(synth.area, lspid, SYNTH_LIFETIME, 0,
				 IS_LEVEL_1_AND_2, 0, NULL, SYNTH_LEVEL);
		r->lsp->tlvs = tlvs;
		/* sequence number 0: in the database, no event yet */
		lsp_insert(&synth.area->lspdb[SYNTH_LEVEL - 1], r->lsp);
	} else {
		isis_free_tlvs(r->lsp->tlvs);
		r->lsp->tlvs = tlvs;
	}
	r->lsp->hdr.rem_lifetime = SYNTH_LIFETIME;
	/* packs the PDU, schedules SPF, calls the LSP event hooks */
	lsp_inc_seqno(r->lsp, 0);
	lsp_flood(r->lsp, NULL);
	return true;
}

/* Our own LSP lists s0, so the synthetic routers are reachable. */
static int synth_build(struct isis_area *area, int level,
		       struct isis_tlvs *tlvs)
{
	uint8_t nid[7];

	if (area != synth.area || level != SYNTH_LEVEL || !synth.n)
		return 0;
	sysid_of(0, nid);
	isis_tlvs_add_extended_reach(tlvs, ISIS_MT_IPV4_UNICAST, nid,
				     SYNTH_SELF_METRIC, NULL);
	return 0;
}

static struct isis_area *first_area(void)
{
	struct isis *isis = isis_lookup_by_vrfid(VRF_DEFAULT);

	if (!isis || !listcount(isis->area_list))
		return NULL;
	return listgetdata(listhead(isis->area_list));
}

DEFUN(test_isis_synth_lsdb, test_isis_synth_lsdb_cmd,
      "test isis synth-lsdb routers (2-65535) degree (2-64) services (0-100) sites (0-1000) seed (0-4294967295)",
      "Test commands\n"
      "IS-IS\n"
      "Synthetic LSDB\n"
      "Routers\n"
      "How many\n"
      "Average degree\n"
      "Degree (ring plus random chords)\n"
      "Services\n"
      "How many (203.0.113.16/32 on)\n"
      "Sites\n"
      "How many (each hosts every service)\n"
      "Random seed\n"
      "Seed\n")
{
	uint32_t n = strtoul(argv[4]->arg, NULL, 10);
	uint32_t degree = strtoul(argv[6]->arg, NULL, 10);
	uint32_t nsvc = strtoul(argv[8]->arg, NULL, 10);
	uint32_t nsites = strtoul(argv[10]->arg, NULL, 10);
	uint64_t chords;
	uint32_t *perm;
	char err[128];

	if (synth.n) {
		vty_out(vty, "%% a synthetic LSDB exists already\n");
		return CMD_WARNING;
	}
	synth.area = first_area();
	if (!synth.area || !(synth.area->is_type & SYNTH_LEVEL)) {
		vty_out(vty, "%% no IS-IS area with level 2\n");
		return CMD_WARNING;
	}
	if (nsites > n ||
	    (uint64_t)degree * n / 2 > (uint64_t)n * (n - 1) / 2) {
		vty_out(vty, "%% more sites or links than the routers allow\n");
		return CMD_WARNING;
	}
	synth.rng = 0x9E3779B97F4A7C15ULL ^ strtoull(argv[12]->arg, NULL, 10);
	synth.n = n;
	synth.nservices = nsvc;
	synth.nsites = nsites;
	synth.r = XCALLOC(MTYPE_SYNTH, n * sizeof(*synth.r));
	for (uint32_t i = 0; i < n; i++) {
		char name[32];

		sysid_of(i, synth.r[i].id);
		synth.r[i].site = -1;
		snprintf(name, sizeof(name), "s%u", i);
		isis_dynhn_insert(synth.area->isis, synth.r[i].id, name,
				  SYNTH_LEVEL);
	}
	for (uint32_t i = 0; n > 2 && i < n; i++)
		edge_add(i, (i + 1) % n, 1 + rnd(100));
	if (n == 2)
		edge_add(0, 1, 1 + rnd(100));
	chords =
		(uint64_t)degree * n / 2 > n ? (uint64_t)degree * n / 2 - n : 0;
	for (uint64_t c = 0; c < chords;) {
		uint32_t a = rnd(n), b = rnd(n);

		if (a == b || edge_exists(a, b))
			continue;
		edge_add(a, b, 1 + rnd(100));
		c++;
	}
	edge_add(0, n, SYNTH_SELF_METRIC);

	/* sites: a random subset, each with a random metric per service */
	perm = XCALLOC(MTYPE_SYNTH, n * sizeof(*perm));
	for (uint32_t i = 0; i < n; i++)
		perm[i] = i;
	synth.sites = XCALLOC(MTYPE_SYNTH, (nsites + 1) * sizeof(uint32_t));
	synth.site_metric = XCALLOC(MTYPE_SYNTH, ((size_t)nsites * nsvc + 1) *
							 sizeof(uint32_t));
	for (uint32_t k = 0; k < nsites; k++) {
		uint32_t j = k + rnd(n - k), t = perm[k];

		perm[k] = perm[j];
		perm[j] = t;
		synth.sites[k] = perm[k];
		synth.r[perm[k]].site = k;
		for (uint32_t s = 0; s < nsvc; s++)
			synth.site_metric[k * nsvc + s] = 20 + rnd(500);
	}
	XFREE(MTYPE_SYNTH, perm);

	for (uint32_t i = 0; i < n; i++)
		if (!originate(i, err, sizeof(err))) {
			vty_out(vty, "%% router s%u: %s\n", i, err);
			return CMD_WARNING;
		}
	lsp_regenerate_schedule(synth.area, SYNTH_LEVEL, 0);
	vty_out(vty, "%u routers, %u links, %u sites x %u services\n", n,
		synth.nedges, nsites, nsvc);
	return CMD_SUCCESS;
}

DEFUN(test_isis_synth_bump, test_isis_synth_bump_cmd,
      "test isis synth-lsdb bump <link|site>",
      "Test commands\n"
      "IS-IS\n"
      "Synthetic LSDB\n"
      "Change something\n"
      "New metric on a random link between synthetic routers\n"
      "New compute metrics at a random site\n")
{
	char err[128];

	if (!synth.n) {
		vty_out(vty, "%% no synthetic LSDB\n");
		return CMD_WARNING;
	}
	synth.bumps++;
	if (argv[4]->arg[0] == 'l') {
		/* the last edge links s0 to us: leave it */
		struct synth_edge *e = &synth.edges[rnd(synth.nedges - 1)];
		uint32_t old = e->metric;

		while (e->metric == old)
			e->metric = 1 + rnd(100);
		if (!originate(e->a, err, sizeof(err)) ||
		    !originate(e->b, err, sizeof(err))) {
			vty_out(vty, "%% %s\n", err);
			return CMD_WARNING;
		}
		vty_out(vty, "link s%u-s%u metric %u -> %u\n", e->a, e->b, old,
			e->metric);
		return CMD_SUCCESS;
	}
	if (!synth.nsites || !synth.nservices) {
		vty_out(vty, "%% no sites\n");
		return CMD_WARNING;
	}
	uint32_t k = rnd(synth.nsites);

	for (uint32_t s = 0; s < synth.nservices; s++)
		synth.site_metric[k * synth.nservices + s] = 20 + rnd(500);
	if (!originate(synth.sites[k], err, sizeof(err))) {
		vty_out(vty, "%% %s\n", err);
		return CMD_WARNING;
	}
	vty_out(vty, "site s%u: new metrics for %u services\n", synth.sites[k],
		synth.nservices);
	return CMD_SUCCESS;
}

DEFUN(show_test_isis_synth, show_test_isis_synth_cmd,
      "show test isis synth-lsdb",
      SHOW_STR
      "Test commands\n"
      "IS-IS\n"
      "Synthetic LSDB\n")
{
	vty_out(vty,
		"%u routers, %u links, %u sites x %u services, %" PRIu64
		" bumps\n",
		synth.n, synth.nedges, synth.nsites, synth.nservices,
		synth.bumps);
	return CMD_SUCCESS;
}

static uint64_t prof_now_us(void)
{
	struct timeval tv;

	monotime(&tv);
	return (uint64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

DEFUN(test_isis_synth_profile, test_isis_synth_profile_cmd,
      "test isis synth-lsdb profile",
      "Test commands\n"
      "IS-IS\n"
      "Synthetic LSDB\n"
      "Time the steps of the compute graph build on this LSDB\n")
{
	struct isis_area *area = first_area();
	struct cfnd_lsdb_walk w;
	struct cfn_lsdb_node node;
	struct cfn_lsdb_stats st;
	struct cfn_spf_error err;
	struct cfn_spf *c;
	uint64_t t0, t1, t2, t3, arcs = 0;
	uint32_t nodes = 0;
	int root;

	if (!area) {
		vty_out(vty, "%% no IS-IS area\n");
		return CMD_WARNING;
	}
	/* the walk alone, then the module's very build (lib/lsdb_graph over
	 * the same iterator, cfnd_isis/cfnd_isis_lsdb.h), then a run */
	t0 = prof_now_us();
	cfnd_lsdb_walk_init(&w, &area->lspdb[SYNTH_LEVEL - 1]);
	while (cfnd_lsdb_next(&w, &node)) {
		nodes++;
		arcs += node.narcs;
	}
	cfnd_lsdb_walk_fini(&w);
	t1 = prof_now_us();
	cfnd_lsdb_walk_init(&w, &area->lspdb[SYNTH_LEVEL - 1]);
	c = cfn_lsdb_graph(cfnd_lsdb_next, &w, &st, &err);
	cfnd_lsdb_walk_fini(&w);
	t2 = prof_now_us();
	if (!c) {
		vty_out(vty, "%% graph build failed: %s\n", err.msg);
		return CMD_WARNING;
	}
	root = cfn_lsdb_router(c, area->isis->sysid);
	if (root < 0 || cfn_spf_run(c, root, &err)) {
		vty_out(vty, "%% cfn_spf run failed\n");
		root = -1;
	}
	t3 = prof_now_us();
	cfn_spf_free(c);
	vty_out(vty,
		"{\"routers\":%u,\"arcs\":%" PRIu64 ",\"links\":%" PRIu64
		",\"walkUs\":%" PRIu64 ",\"graphUs\":%" PRIu64
		",\"cfnSpfRunUs\":%" PRIu64 "}\n",
		nodes, arcs, st.links, t1 - t0, t2 - t1, t3 - t2);
	return root < 0 ? CMD_WARNING : CMD_SUCCESS;
}

static int synth_late_init(struct thread_master *master)
{
	install_element(ENABLE_NODE, &test_isis_synth_lsdb_cmd);
	install_element(ENABLE_NODE, &test_isis_synth_bump_cmd);
	install_element(ENABLE_NODE, &test_isis_synth_profile_cmd);
	install_element(VIEW_NODE, &show_test_isis_synth_cmd);
	return 0;
}

static int synth_init(void)
{
	hook_register(frr_late_init, synth_late_init);
	hook_register(isis_lsp_build_hook, synth_build);
	return 0;
}

FRR_MODULE_SETUP(.name = "cfnd_isis_synth", .version = "test",
		 .description = "test only: synthetic LSDB of N routers",
		 .init = synth_init);
