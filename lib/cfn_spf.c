// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compute-weighted SPF: graph, Dijkstra with ECMP first hops, service
 * post-pass with hysteresis.  See doc/cspf.md for the semantics.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_spf.h"
#include "cfn_spf_dial.h"
#include "cfn_spf_radix.h"
#include "grow.h"
#include "cfn_names.h"

/*
 * First-hop sets are u32 handles: a value below FH_POOL is the one
 * neighbor itself (the common case costs nothing), otherwise the low bits
 * are an offset into fh_pool where [count, hop...] is stored, sorted.
 * Sets are immutable, so a vertex reached by a strictly better path simply
 * shares its parent's handle.
 */
#define FH_POOL 0x80000000u
#define FH_NONE UINT32_MAX
#define MAX_ROUTERS (FH_POOL - 1)
/*
 * Up to this largest link metric the SPF uses Dial's buckets (O(1) queue
 * operations, 4096 buckets at most), above it the radix heap.  IS-IS
 * metrics are usually well below.
 */
#define CFN_SPF_DIAL_MAX_W 4095

struct site {
	uint32_t router, metric;
};

struct lnk {
	uint32_t from, to, w;
};

/* One CSR entry: neighbor and metric side by side, one cache stream. */
struct arc {
	uint32_t v, w;
};

/* Per-router SPF state, together so a relaxation touches one line. */
struct vtx {
	uint64_t dist;
	uint32_t fh;
	uint8_t done; /* taken from the queue */
	uint8_t flags;
};

struct svc {
	/* What a capacity update reads first, in one cache line. */
	struct site *site;
	uint32_t *dsites;
	uint32_t nsite, ndsites;
	uint64_t cost; /* of the current decision */
	bool dirty, have_dec, held;

	uint32_t site_cap, dsites_cap; /* dsites: decision's sites */
	uint32_t *nh, nnh, nh_cap;     /* decision: nexthops */
	struct cfn_spf_decision dec;
};

struct cfn_spf {
	struct cfn_names rnames, snames;
	uint8_t *rflags;
	uint32_t rflags_cap;

	/*
	 * Links live in the CSR arrays; links added since the last build wait
	 * in pend and are merged in on the next run, so no link is stored
	 * twice once built.
	 */
	struct lnk *pend;
	uint32_t npend, pend_cap;
	uint32_t ne; /* all links, built and pending */

	/* CSR adjacency, rebuilt on the first run after a topology change. */
	bool topo_dirty;
	uint32_t csr_n, csr_m;
	uint32_t max_w; /* largest link metric */
	uint32_t *out_off, *in_off;
	struct arc *out, *in;
	/*
	 * The CSR and the SPF state use internal numbers in breadth-first
	 * order, so that routers popped one after the other sit close in
	 * memory; perm maps internal -> router index, inv the reverse.
	 * First-hop sets hold router indexes, so results need no mapping.
	 */
	uint32_t *perm, *inv;

	struct svc *svc;
	uint32_t svc_cap;
	uint32_t *dirty, ndirty, dirty_cap;
	uint32_t *chg, nchg, chg_cap; /* changed in the last run/update */

	/* Results. */
	bool have_result;
	uint32_t root;
	struct vtx *vx;
	uint32_t *fh_pool, fh_len, fh_cap;
	struct cfn_spf_radix heap; /* queue for large metrics */
	struct cfn_spf_dial dial;  /* queue for metrics <= CFN_SPF_DIAL_MAX_W */
	uint32_t res_n;		   /* routers the result arrays are sized for */

	uint32_t *scratch, scratch_cap; /* merges, decisions */
	uint32_t *scratch2, scratch2_cap;

	uint32_t ecmp_limit;
	uint32_t hyst_pct;
	uint64_t hyst_abs;
};

const char *cfn_spf_strerror(int rc)
{
	switch (rc) {
	case CFN_SPF_OK:
		return "success";
	case CFN_SPF_ENOMEM:
		return "out of memory";
	case CFN_SPF_EINVAL:
		return "invalid argument";
	case CFN_SPF_EEXIST:
		return "already exists";
	case CFN_SPF_ENOENT:
		return "not found";
	case CFN_SPF_ESTATE:
		return "invalid state";
	case CFN_SPF_ERANGE:
		return "out of range";
	}
	return "unknown error";
}

int cfn_spf_set_error(struct cfn_spf_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

static int ok(struct cfn_spf_error *err)
{
	if (err) {
		err->code = CFN_SPF_OK;
		err->msg[0] = '\0';
	}
	return CFN_SPF_OK;
}

/* Grows *p (elements of size sz) to hold at least need; 0 or -1. */
static inline int grow(void *p, uint32_t *cap, uint32_t need, size_t sz)
{
	return cfn_grow(p, cap, need, sz, 8);
}

struct cfn_spf *cfn_spf_new(void)
{
	struct cfn_spf *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	cfn_names_init(&c->rnames);
	cfn_names_init(&c->snames);
	c->topo_dirty = true;
	return c;
}

static void free_results(struct cfn_spf *c)
{
	free(c->vx);
	cfn_spf_radix_fini(&c->heap);
	cfn_spf_dial_fini(&c->dial);
	c->vx = NULL;
	c->res_n = 0;
}

static void free_csr(struct cfn_spf *c)
{
	free(c->out_off);
	free(c->out);
	free(c->in_off);
	free(c->in);
	free(c->perm);
	free(c->inv);
	c->out_off = c->in_off = NULL;
	c->out = c->in = NULL;
	c->perm = c->inv = NULL;
	c->csr_n = c->csr_m = 0;
}

void cfn_spf_free(struct cfn_spf *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < c->snames.n; i++) {
		free(c->svc[i].site);
		free(c->svc[i].dsites);
		free(c->svc[i].nh);
	}
	free(c->svc);
	free(c->dirty);
	free(c->chg);
	cfn_names_fini(&c->rnames);
	cfn_names_fini(&c->snames);
	free(c->rflags);
	free(c->pend);
	free_csr(c);
	free_results(c);
	free(c->fh_pool);
	free(c->scratch);
	free(c->scratch2);
	free(c);
}

static void topo_changed(struct cfn_spf *c)
{
	c->topo_dirty = true;
}

/* Keys for messages: text keys as they are, binary ones in hex. */
static const char *router_str(const struct cfn_spf *c, uint32_t r, char *buf,
			      size_t len)
{
	return cfn_names_print(&c->rnames, r, buf, len);
}

static const char *service_str(const struct cfn_spf *c, uint32_t s, char *buf,
			       size_t len)
{
	return cfn_names_print(&c->snames, s, buf, len);
}

int cfn_spf_add_router_bin(struct cfn_spf *c, const void *id, size_t len,
			   unsigned int flags, struct cfn_spf_error *err)
{
	char buf[2 * CFN_SPF_KEY_MAX + 1];
	int64_t r;

	if (!id || !len)
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "router id is empty");
	if (len > CFN_SPF_KEY_MAX)
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "router id longer than %d bytes",
					 CFN_SPF_KEY_MAX);
	if (flags & ~(CFN_SPF_ROUTER_OVERLOAD | CFN_SPF_ROUTER_PSEUDO))
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "router %u: unknown flags 0x%x",
					 c->rnames.n, flags);
	if (c->rnames.n >= MAX_ROUTERS)
		return cfn_spf_set_error(err, CFN_SPF_ERANGE,
					 "too many routers");
	if (grow(&c->rflags, &c->rflags_cap, c->rnames.n + 1, 1))
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	r = cfn_names_addn(&c->rnames, id, len);
	if (r == -2)
		return cfn_spf_set_error(
			err, CFN_SPF_EEXIST, "duplicate router \"%s\"",
			cfn_names_print(
				&c->rnames,
				(uint32_t)cfn_names_findn(&c->rnames, id, len),
				buf, sizeof(buf)));
	if (r < 0)
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	c->rflags[r] = (uint8_t)flags;
	topo_changed(c);
	ok(err);
	return (int)r;
}

int cfn_spf_add_router(struct cfn_spf *c, const char *id, unsigned int flags,
		       struct cfn_spf_error *err)
{
	if (id && *id &&
	    (flags & ~(CFN_SPF_ROUTER_OVERLOAD | CFN_SPF_ROUTER_PSEUDO)))
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "router %s: unknown flags 0x%x", id,
					 flags);
	return cfn_spf_add_router_bin(c, id, id ? strlen(id) : 0, flags, err);
}

int cfn_spf_find_router(const struct cfn_spf *c, const char *id)
{
	return (int)cfn_names_find(&c->rnames, id);
}

int cfn_spf_find_router_bin(const struct cfn_spf *c, const void *id, size_t len)
{
	return (int)cfn_names_findn(&c->rnames, id, len);
}

const char *cfn_spf_router_id(const struct cfn_spf *c, uint32_t router)
{
	return router < c->rnames.n ? cfn_names_get(&c->rnames, router) : NULL;
}

const void *cfn_spf_router_id_bin(const struct cfn_spf *c, uint32_t router,
				  size_t *len)
{
	return router < c->rnames.n ? cfn_names_getn(&c->rnames, router, len)
				    : NULL;
}

uint32_t cfn_spf_router_count(const struct cfn_spf *c)
{
	return c->rnames.n;
}

unsigned int cfn_spf_router_flags(const struct cfn_spf *c, uint32_t router)
{
	return router < c->rnames.n ? c->rflags[router] : 0;
}

bool cfn_spf_is_pseudonode(const struct cfn_spf *c, uint32_t router)
{
	return cfn_spf_router_flags(c, router) & CFN_SPF_ROUTER_PSEUDO;
}

int cfn_spf_set_router_flags(struct cfn_spf *c, uint32_t router,
			     unsigned int flags, struct cfn_spf_error *err)
{
	if (router >= c->rnames.n)
		return cfn_spf_set_error(err, CFN_SPF_ENOENT,
					 "no router index %u", router);
	if (flags & ~(CFN_SPF_ROUTER_OVERLOAD | CFN_SPF_ROUTER_PSEUDO))
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "unknown flags 0x%x", flags);
	if (c->rflags[router] != flags) {
		c->rflags[router] = (uint8_t)flags;
		topo_changed(c);
	}
	return ok(err);
}

int cfn_spf_add_link(struct cfn_spf *c, uint32_t from, uint32_t to,
		     uint32_t metric, struct cfn_spf_error *err)
{
	char b1[2 * CFN_SPF_KEY_MAX + 1];

	if (from >= c->rnames.n || to >= c->rnames.n)
		return cfn_spf_set_error(err, CFN_SPF_ENOENT,
					 "link %u->%u: no such router", from,
					 to);
	if (from == to)
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "link %s->%s: loop",
					 router_str(c, from, b1, sizeof(b1)),
					 router_str(c, to, b1, sizeof(b1)));
	if (c->ne == UINT32_MAX - 1)
		return cfn_spf_set_error(err, CFN_SPF_ERANGE, "too many links");
	if (grow(&c->pend, &c->pend_cap, c->npend + 1, sizeof(*c->pend)))
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	c->pend[c->npend].from = from;
	c->pend[c->npend].to = to;
	c->pend[c->npend].w = metric;
	c->npend++;
	c->ne++;
	topo_changed(c);
	return ok(err);
}

uint32_t cfn_spf_link_count(const struct cfn_spf *c)
{
	return c->ne;
}

static void mark_dirty(struct cfn_spf *c, uint32_t s)
{
	if (c->svc[s].dirty)
		return;
	/* The dirty list was sized for every service in cfn_spf_add_service. */
	c->svc[s].dirty = true;
	c->dirty[c->ndirty++] = s;
}

int cfn_spf_add_service_bin(struct cfn_spf *c, const void *key, size_t len,
			    struct cfn_spf_error *err)
{
	char buf[2 * CFN_SPF_KEY_MAX + 1];
	int64_t s;

	if (!key || !len)
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "service key is empty");
	if (len > CFN_SPF_KEY_MAX)
		return cfn_spf_set_error(err, CFN_SPF_EINVAL,
					 "service key longer than %d bytes",
					 CFN_SPF_KEY_MAX);
	if (grow(&c->svc, &c->svc_cap, c->snames.n + 1, sizeof(*c->svc)) ||
	    grow(&c->dirty, &c->dirty_cap, c->snames.n + 1, sizeof(uint32_t)) ||
	    grow(&c->chg, &c->chg_cap, c->snames.n + 1, sizeof(uint32_t)))
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	s = cfn_names_addn(&c->snames, key, len);
	if (s == -2)
		return cfn_spf_set_error(
			err, CFN_SPF_EEXIST, "duplicate service \"%s\"",
			cfn_names_print(
				&c->snames,
				(uint32_t)cfn_names_findn(&c->snames, key, len),
				buf, sizeof(buf)));
	if (s < 0)
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	memset(&c->svc[s], 0, sizeof(c->svc[s]));
	mark_dirty(c, (uint32_t)s);
	ok(err);
	return (int)s;
}

int cfn_spf_add_service(struct cfn_spf *c, const char *key,
			struct cfn_spf_error *err)
{
	return cfn_spf_add_service_bin(c, key, key ? strlen(key) : 0, err);
}

int cfn_spf_find_service(const struct cfn_spf *c, const char *key)
{
	return (int)cfn_names_find(&c->snames, key);
}

int cfn_spf_find_service_bin(const struct cfn_spf *c, const void *key,
			     size_t len)
{
	return (int)cfn_names_findn(&c->snames, key, len);
}

const char *cfn_spf_service_key(const struct cfn_spf *c, uint32_t svc)
{
	return svc < c->snames.n ? cfn_names_get(&c->snames, svc) : NULL;
}

const void *cfn_spf_service_key_bin(const struct cfn_spf *c, uint32_t svc,
				    size_t *len)
{
	return svc < c->snames.n ? cfn_names_getn(&c->snames, svc, len) : NULL;
}

uint32_t cfn_spf_service_count(const struct cfn_spf *c)
{
	return c->snames.n;
}

static struct site *find_site(struct svc *sv, uint32_t router)
{
	for (uint32_t i = 0; i < sv->nsite; i++)
		if (sv->site[i].router == router)
			return &sv->site[i];
	return NULL;
}

int cfn_spf_add_site(struct cfn_spf *c, uint32_t svc, uint32_t router,
		     uint32_t metric, struct cfn_spf_error *err)
{
	char b1[2 * CFN_SPF_KEY_MAX + 1], b2[2 * CFN_SPF_KEY_MAX + 1];
	struct svc *sv;

	if (svc >= c->snames.n)
		return cfn_spf_set_error(err, CFN_SPF_ENOENT,
					 "no service index %u", svc);
	if (router >= c->rnames.n)
		return cfn_spf_set_error(err, CFN_SPF_ENOENT,
					 "no router index %u", router);
	sv = &c->svc[svc];
	if (find_site(sv, router))
		return cfn_spf_set_error(
			err, CFN_SPF_EEXIST,
			"service %s: router %s already hosts it",
			service_str(c, svc, b1, sizeof(b1)),
			router_str(c, router, b2, sizeof(b2)));
	if (grow(&sv->site, &sv->site_cap, sv->nsite + 1, sizeof(*sv->site)))
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	sv->site[sv->nsite].router = router;
	sv->site[sv->nsite].metric = metric;
	sv->nsite++;
	mark_dirty(c, svc);
	return ok(err);
}

static uint64_t site_cost(const struct cfn_spf *c, const struct site *st);

/*
 * A site that is not chosen and, with its new metric, still costs more than
 * the chosen ones cannot change a current decision (without hysteresis
 * holding it): most capacity changes end here in O(sites).
 */
static bool unchanged_by(const struct cfn_spf *c, const struct svc *sv,
			 const struct site *st)
{
	if (sv->dirty || !sv->have_dec || !c->have_result || c->topo_dirty ||
	    sv->held || !sv->ndsites)
		return false;
	for (uint32_t i = 0; i < sv->ndsites; i++)
		if (sv->dsites[i] == st->router)
			return false;
	return site_cost(c, st) > sv->cost;
}

int cfn_spf_find_site(const struct cfn_spf *c, uint32_t svc, uint32_t router)
{
	const struct svc *sv;

	if (svc >= c->snames.n)
		return CFN_SPF_ENOENT;
	sv = &c->svc[svc];
	for (uint32_t i = 0; i < sv->nsite; i++)
		if (sv->site[i].router == router)
			return (int)i;
	return CFN_SPF_ENOENT;
}

int cfn_spf_set_service_metric(struct cfn_spf *c, uint32_t svc, uint32_t router,
			       uint32_t metric, struct cfn_spf_error *err)
{
	char b1[2 * CFN_SPF_KEY_MAX + 1];
	int slot;

	if (svc >= c->snames.n)
		return cfn_spf_set_error(err, CFN_SPF_ENOENT,
					 "no service index %u", svc);
	slot = cfn_spf_find_site(c, svc, router);
	if (slot < 0)
		return cfn_spf_set_error(err, CFN_SPF_ENOENT,
					 "service %s: router %u is not a site",
					 service_str(c, svc, b1, sizeof(b1)),
					 router);
	return cfn_spf_set_site_metric(c, svc, (uint32_t)slot, metric, err);
}

int cfn_spf_set_site_metric(struct cfn_spf *c, uint32_t svc, uint32_t slot,
			    uint32_t metric, struct cfn_spf_error *err)
{
	struct site *st;

	if (svc >= c->snames.n || slot >= c->svc[svc].nsite)
		return cfn_spf_set_error(err, CFN_SPF_ENOENT,
					 "no site %u of service %u", slot, svc);
	st = &c->svc[svc].site[slot];
	if (st->metric == metric)
		return ok(err);
	st->metric = metric;
	if (unchanged_by(c, &c->svc[svc], st)) {
		/* Known at once: nothing to recompute, nothing changed. */
		c->svc[svc].dec.changed = false;
		return ok(err);
	}
	mark_dirty(c, svc);
	return ok(err);
}

void cfn_spf_set_ecmp_limit(struct cfn_spf *c, uint32_t limit)
{
	if (c->ecmp_limit != limit) {
		c->ecmp_limit = limit;
		/* First-hop sets depend on it: the next run must be full. */
		topo_changed(c);
	}
}

int cfn_spf_set_hysteresis(struct cfn_spf *c, uint32_t pct_margin,
			   uint64_t abs_margin, struct cfn_spf_error *err)
{
	if (pct_margin > 100)
		return cfn_spf_set_error(
			err, CFN_SPF_ERANGE,
			"hysteresis percent must be 0..100, not %u",
			pct_margin);
	c->hyst_pct = pct_margin;
	c->hyst_abs = abs_margin;
	return ok(err);
}

void cfn_spf_forget_decisions(struct cfn_spf *c)
{
	for (uint32_t i = 0; i < c->snames.n; i++)
		c->svc[i].have_dec = false;
}

/* ---- CSR ---------------------------------------------------------- */

/* CSR in router indexes: the built CSR (mapped back) plus pending links. */
static int merge_links(struct cfn_spf *c, uint32_t **out_offp,
		       struct arc **outp, struct cfn_spf_error *err)
{
	uint32_t n = c->rnames.n, m = c->ne;
	uint32_t *out_off = calloc((size_t)n + 2, sizeof(uint32_t));
	struct arc *out = malloc(((size_t)m + 1) * sizeof(*out));

	if (!out_off || !out) {
		free(out_off);
		free(out);
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	}
	/* Degrees at index u + 2, so the fill below can use u + 1. */
	for (uint32_t u = 0; u < c->csr_n; u++)
		out_off[c->perm[u] + 2] += c->out_off[u + 1] - c->out_off[u];
	for (uint32_t i = 0; i < c->npend; i++)
		out_off[c->pend[i].from + 2]++;
	for (uint32_t v = 2; v <= n; v++)
		out_off[v] += out_off[v - 1];
	for (uint32_t u = 0; u < c->csr_n; u++)
		for (uint32_t e = c->out_off[u]; e < c->out_off[u + 1]; e++)
			out[out_off[c->perm[u] + 1]++] =
				(struct arc){c->perm[c->out[e].v], c->out[e].w};
	for (uint32_t i = 0; i < c->npend; i++) {
		struct lnk *l = &c->pend[i];

		out[out_off[l->from + 1]++] = (struct arc){l->to, l->w};
	}
	*out_offp = out_off;
	*outp = out;
	return CFN_SPF_OK;
}

/* Breadth-first numbering over the links, every component in turn. */
static void bfs_order(uint32_t n, const uint32_t *off, const struct arc *out,
		      uint32_t *perm, uint32_t *inv)
{
	uint32_t head = 0, tail = 0;

	memset(inv, 0xff, (size_t)n * sizeof(*inv));
	for (uint32_t s = 0; s < n; s++) {
		if (inv[s] != UINT32_MAX)
			continue;
		inv[s] = tail;
		perm[tail++] = s;
		while (head < tail) {
			uint32_t u = perm[head++];

			for (uint32_t e = off[u]; e < off[u + 1]; e++) {
				uint32_t v = out[e].v;

				if (inv[v] == UINT32_MAX) {
					inv[v] = tail;
					perm[tail++] = v;
				}
			}
		}
	}
}

/* Rebuilds the CSR (out and in arcs, internal numbers) with all links. */
static int build_csr(struct cfn_spf *c, struct cfn_spf_error *err)
{
	uint32_t n = c->rnames.n, m = c->ne;
	uint32_t *xoff = NULL, *out_off, *in_off, *perm, *inv;
	struct arc *xout = NULL, *out, *in;
	int rc;

	rc = merge_links(c, &xoff, &xout, err);
	if (rc)
		return rc;
	out_off = calloc((size_t)n + 2, sizeof(uint32_t));
	in_off = calloc((size_t)n + 2, sizeof(uint32_t));
	out = malloc(((size_t)m + 1) * sizeof(*out));
	in = malloc(((size_t)m + 1) * sizeof(*in));
	perm = malloc(((size_t)n + 1) * sizeof(*perm));
	inv = malloc(((size_t)n + 1) * sizeof(*inv));
	if (!out_off || !in_off || !out || !in || !perm || !inv) {
		free(out_off);
		free(in_off);
		free(out);
		free(in);
		free(perm);
		free(inv);
		free(xoff);
		free(xout);
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	}
	bfs_order(n, xoff, xout, perm, inv);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = perm[i];

		out_off[i + 2] = xoff[r + 1] - xoff[r];
		for (uint32_t e = xoff[r]; e < xoff[r + 1]; e++)
			in_off[inv[xout[e].v] + 2]++;
	}
	for (uint32_t v = 2; v <= n; v++) {
		out_off[v] += out_off[v - 1];
		in_off[v] += in_off[v - 1];
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = perm[i];

		for (uint32_t e = xoff[r]; e < xoff[r + 1]; e++) {
			uint32_t j = inv[xout[e].v], w = xout[e].w;

			out[out_off[i + 1]++] = (struct arc){j, w};
			in[in_off[j + 1]++] = (struct arc){i, w};
		}
	}
	free(xoff);
	free(xout);
	free_csr(c);
	free(c->pend);
	c->pend = NULL;
	c->npend = c->pend_cap = 0;
	c->out_off = out_off;
	c->in_off = in_off;
	c->out = out;
	c->in = in;
	c->perm = perm;
	c->inv = inv;
	c->csr_n = n;
	c->csr_m = m;
	c->max_w = 0;
	for (uint32_t e = 0; e < m; e++)
		if (out[e].w > c->max_w)
			c->max_w = out[e].w;
	return CFN_SPF_OK;
}

static int alloc_results(struct cfn_spf *c, struct cfn_spf_error *err)
{
	uint32_t n = c->rnames.n;

	if (c->res_n == n && c->vx)
		return CFN_SPF_OK;
	free_results(c);
	c->vx = malloc(((size_t)n + 1) * sizeof(*c->vx));
	if (!c->vx) {
		free_results(c);
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	}
	c->res_n = n;
	return CFN_SPF_OK;
}

/* ---- first-hop sets ---------------------------------------------- */

static const uint32_t *fh_view(const struct cfn_spf *c, const uint32_t *h,
			       uint32_t *n)
{
	if (*h == FH_NONE) {
		*n = 0;
		return h;
	}
	if (*h < FH_POOL) {
		*n = 1;
		return h;
	}
	*n = c->fh_pool[*h - FH_POOL];
	return &c->fh_pool[*h - FH_POOL + 1];
}

/* Sorted union of two sorted sets into out, capped; returns the count. */
static uint32_t merge_sorted(const uint32_t *a, uint32_t na, const uint32_t *b,
			     uint32_t nb, uint32_t *out, uint32_t cap)
{
	uint32_t i = 0, j = 0, k = 0;

	while ((i < na || j < nb) && k < cap) {
		if (j >= nb || (i < na && a[i] < b[j]))
			out[k++] = a[i++];
		else if (i >= na || b[j] < a[i])
			out[k++] = b[j++];
		else {
			out[k++] = a[i++];
			j++;
		}
	}
	return k;
}

static int fh_merge(struct cfn_spf *c, uint32_t a, uint32_t b, uint32_t *res)
{
	uint32_t na, nb, k, cap;
	const uint32_t *va = fh_view(c, &a, &na), *vb = fh_view(c, &b, &nb);
	uint32_t off;

	if (grow(&c->scratch, &c->scratch_cap, na + nb, sizeof(uint32_t)))
		return -1;
	/* fh_view may point into the pool: re-view after any realloc. */
	va = fh_view(c, &a, &na);
	vb = fh_view(c, &b, &nb);
	cap = c->ecmp_limit ? c->ecmp_limit : UINT32_MAX;
	k = merge_sorted(va, na, vb, nb, c->scratch, cap);
	if (k == na && !memcmp(c->scratch, va, k * sizeof(uint32_t))) {
		*res = a;
		return 0;
	}
	if (k == nb && !memcmp(c->scratch, vb, k * sizeof(uint32_t))) {
		*res = b;
		return 0;
	}
	if (c->fh_len > FH_POOL - 2 - k)
		return -1;
	if (grow(&c->fh_pool, &c->fh_cap, c->fh_len + k + 1, sizeof(uint32_t)))
		return -1;
	off = c->fh_len;
	c->fh_pool[off] = k;
	memcpy(&c->fh_pool[off + 1], c->scratch, k * sizeof(uint32_t));
	c->fh_len += k + 1;
	*res = FH_POOL + off;
	return 0;
}

/* ---- SPF -------------------------------------------------------------- */

static bool transit_ok(const struct cfn_spf *c, uint32_t u)
{
	/* RFC 3787 section 4: the overload bit of a pseudonode is ignored. */
	return u == c->root || !(c->rflags[u] & CFN_SPF_ROUTER_OVERLOAD) ||
	       (c->rflags[u] & CFN_SPF_ROUTER_PSEUDO);
}

static int spf(struct cfn_spf *c, struct cfn_spf_error *err)
{
	uint32_t n = c->rnames.n, root = c->inv[c->root];
	bool dial = c->max_w <= CFN_SPF_DIAL_MAX_W;
	struct cfn_spf_radix *h = &c->heap;
	struct cfn_spf_dial *q = &c->dial;
	struct vtx *vx = c->vx;
	const uint32_t *off = c->out_off, *perm = c->perm;
	const struct arc *out = c->out;

	for (uint32_t i = 0; i < n; i++)
		vx[i] = (struct vtx){CFN_SPF_DIST_INF, FH_NONE, 0,
				     c->rflags[perm[i]]};
	c->fh_len = 0;
	vx[root].dist = 0;
	if (dial) {
		if (cfn_spf_dial_init(q, n, c->max_w))
			goto nomem;
		cfn_spf_dial_link(q, root, 0);
	} else {
		cfn_spf_radix_reset(h);
		if (cfn_spf_radix_push(h, 0, root))
			goto nomem;
	}

	while (dial ? q->size : h->size) {
		uint32_t u, ufh;
		uint64_t du;
		bool fresh;

		if (dial) {
			u = cfn_spf_dial_pop(q, &du);
		} else {
			if (cfn_spf_radix_pop(h, &u, &du))
				goto nomem;
			if (du != vx[u].dist || vx[u].done)
				continue; /* stale entry */
		}
		vx[u].done = 1;
		if (u != root && (vx[u].flags & (CFN_SPF_ROUTER_OVERLOAD |
						 CFN_SPF_ROUTER_PSEUDO)) ==
					 CFN_SPF_ROUTER_OVERLOAD)
			continue; /* overload: no transit (RFC 3787 s4 aside) */
		/*
		 * Next hops start at the root's neighbors; behind a LAN
		 * pseudonode attached to the root they are the routers on
		 * the LAN, as in IS-IS (the pseudonode is not a next hop).
		 */
		ufh = vx[u].fh;
		fresh = u == root || ((vx[u].flags & CFN_SPF_ROUTER_PSEUDO) &&
				      ufh == perm[u]);
		for (uint32_t e = off[u], end = off[u + 1]; e < end; e++) {
			uint32_t v = out[e].v;
			uint64_t nd = du + out[e].w;
			uint32_t cand = fresh ? perm[v] : ufh;

			if (nd < vx[v].dist) {
				if (dial) {
					/* Finite and not done: queued. */
					if (vx[v].dist != CFN_SPF_DIST_INF)
						cfn_spf_dial_unlink(q, v,
								    vx[v].dist);
					cfn_spf_dial_link(q, v, nd);
				} else if (cfn_spf_radix_push(h, nd, v)) {
					goto nomem;
				}
				vx[v].dist = nd;
				vx[v].fh = cand;
			} else if (nd == vx[v].dist && vx[v].fh != cand &&
				   v != root) {
				uint32_t m;

				if (fh_merge(c, vx[v].fh, cand, &m))
					goto nomem;
				if (m == vx[v].fh)
					continue;
				vx[v].fh = m;
				/*
				 * Only a zero-metric link can tie with a
				 * vertex already done: queue it again so
				 * its new first hops reach what lies behind.
				 */
				if (vx[v].done) {
					vx[v].done = 0;
					if (dial)
						cfn_spf_dial_link(q, v, nd);
					else if (cfn_spf_radix_push(h, nd, v))
						goto nomem;
				}
			}
		}
	}
	return CFN_SPF_OK;
nomem:
	return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
}

/* ---- services ---------------------------------------------------------- */

static uint64_t site_cost(const struct cfn_spf *c, const struct site *st)
{
	if (st->metric == CFN_SPF_METRIC_INELIGIBLE ||
	    c->vx[c->inv[st->router]].dist == CFN_SPF_DIST_INF)
		return CFN_SPF_DIST_INF;
	return c->vx[c->inv[st->router]].dist + st->metric;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Keep the current sites unless the best is better by both margins. */
static bool keep_current(const struct cfn_spf *c, uint64_t cur, uint64_t best)
{
	uint64_t gain = cur - best;

	if (!c->hyst_pct && !c->hyst_abs)
		return false;
	if (gain <= c->hyst_abs)
		return true;
	return (unsigned __int128)gain * 100 <=
	       (unsigned __int128)cur * c->hyst_pct;
}

/* Best sites of a service (ties kept) into out; returns their cost. */
static uint64_t best_sites(const struct cfn_spf *c, const struct svc *sv,
			   uint32_t *out, uint32_t *nout, uint32_t *metric)
{
	uint64_t best = CFN_SPF_DIST_INF;
	uint32_t n = 0;

	*metric = CFN_SPF_METRIC_INELIGIBLE;
	for (uint32_t i = 0; i < sv->nsite; i++) {
		uint64_t cost = site_cost(c, &sv->site[i]);

		if (cost == CFN_SPF_DIST_INF || cost > best)
			continue;
		if (cost < best) {
			best = cost;
			n = 0;
			*metric = sv->site[i].metric;
		}
		out[n++] = sv->site[i].router;
	}
	*nout = n;
	return best;
}

/* The current sites that are still eligible and reachable, at their best. */
static uint64_t current_sites(const struct cfn_spf *c, struct svc *sv,
			      uint32_t *out, uint32_t *nout)
{
	uint64_t cur = CFN_SPF_DIST_INF;
	uint32_t n = 0;

	for (uint32_t i = 0; i < sv->ndsites; i++) {
		struct site *st = find_site(sv, sv->dsites[i]);
		uint64_t cost = st ? site_cost(c, st) : CFN_SPF_DIST_INF;

		if (cost == CFN_SPF_DIST_INF || cost > cur)
			continue;
		if (cost < cur) {
			cur = cost;
			n = 0;
		}
		out[n++] = sv->dsites[i];
	}
	*nout = n;
	return cur;
}

static int svc_finish(struct cfn_spf *c, uint32_t s, uint64_t best,
		      uint32_t metric, bool held, bool changed);

static int svc_compute(struct cfn_spf *c, uint32_t s)
{
	struct svc *sv = &c->svc[s];
	uint64_t best;
	uint32_t nbest = 0, nnh = 0, need = 1, cap, best_metric;
	uint32_t *sites, *nh, *tmp;
	bool held = false, changed;

	if (grow(&c->scratch2, &c->scratch2_cap, sv->nsite + sv->ndsites + 2,
		 sizeof(uint32_t)))
		return -1;
	sites = c->scratch2;
	best = best_sites(c, sv, sites, &nbest, &best_metric);

	if (nbest && sv->have_dec && sv->ndsites &&
	    (c->hyst_pct || c->hyst_abs)) {
		uint32_t ncur, *cursites = c->scratch2 + sv->nsite + 1;
		uint64_t cur = current_sites(c, sv, cursites, &ncur);

		if (ncur && cur > best && keep_current(c, cur, best)) {
			memmove(sites, cursites, ncur * sizeof(uint32_t));
			best = cur;
			nbest = ncur;
			held = true;
		}
	}
	if (nbest == 1 && !held) {
		/* The common case, without the scratch merging below. */
		uint32_t k, r = sites[0];
		const uint32_t *v = fh_view(c, &c->vx[c->inv[r]].fh, &k);

		changed = !sv->have_dec || sv->ndsites != 1 ||
			  sv->dsites[0] != r || sv->nnh != k ||
			  memcmp(sv->nh, v, k * sizeof(uint32_t));
		if (changed) {
			if (grow(&sv->dsites, &sv->dsites_cap, 1,
				 sizeof(uint32_t)) ||
			    grow(&sv->nh, &sv->nh_cap, k + 1, sizeof(uint32_t)))
				return -1;
			/* v may point into the pool, never into sv->nh. */
			sv->dsites[0] = r;
			memcpy(sv->nh, v, k * sizeof(uint32_t));
			sv->ndsites = 1;
			sv->nnh = k;
		}
		return svc_finish(c, s, best, best_metric, false, changed);
	}
	/* Few tied sites: insertion sort beats qsort's call overhead. */
	for (uint32_t i = 1; i < nbest; i++) {
		uint32_t x = sites[i], j = i;

		for (; j > 0 && sites[j - 1] > x; j--)
			sites[j] = sites[j - 1];
		sites[j] = x;
	}

	/* Nexthops: union of the first hops of the chosen sites. */
	for (uint32_t i = 0; i < nbest; i++) {
		uint32_t k;

		fh_view(c, &c->vx[c->inv[sites[i]]].fh, &k);
		need += k;
	}
	if (grow(&c->scratch, &c->scratch_cap, 2 * need, sizeof(uint32_t)))
		return -1;
	nh = c->scratch;
	tmp = c->scratch + need;
	cap = c->ecmp_limit ? c->ecmp_limit : UINT32_MAX;
	if (nbest == 1) {
		/* One site: its first-hop set as is (already capped). */
		const uint32_t *v =
			fh_view(c, &c->vx[c->inv[sites[0]]].fh, &nnh);

		memcpy(nh, v, nnh * sizeof(uint32_t));
	} else {
		for (uint32_t i = 0; i < nbest; i++) {
			uint32_t k, *swap;
			const uint32_t *v =
				fh_view(c, &c->vx[c->inv[sites[i]]].fh, &k);

			nnh = merge_sorted(nh, nnh, v, k, tmp, cap);
			swap = nh;
			nh = tmp;
			tmp = swap;
		}
	}

	changed = !sv->have_dec || sv->ndsites != nbest || sv->nnh != nnh ||
		  memcmp(sv->dsites, sites, nbest * sizeof(uint32_t)) ||
		  memcmp(sv->nh, nh, nnh * sizeof(uint32_t));
	if (grow(&sv->dsites, &sv->dsites_cap, nbest + 1, sizeof(uint32_t)) ||
	    grow(&sv->nh, &sv->nh_cap, nnh + 1, sizeof(uint32_t)))
		return -1;
	memcpy(sv->dsites, sites, nbest * sizeof(uint32_t));
	memcpy(sv->nh, nh, nnh * sizeof(uint32_t));
	sv->ndsites = nbest;
	sv->nnh = nnh;
	return svc_finish(c, s, best,
			  nbest ? find_site(sv, sites[0])->metric
				: CFN_SPF_METRIC_INELIGIBLE,
			  held, changed);
}

/* Publishes the decision of a service whose arrays are up to date. */
static int svc_finish(struct cfn_spf *c, uint32_t s, uint64_t best,
		      uint32_t metric, bool held, bool changed)
{
	struct svc *sv = &c->svc[s];
	uint32_t nbest = sv->ndsites;

	sv->have_dec = true;
	sv->dec.nsites = nbest;
	sv->dec.sites = sv->dsites;
	sv->dec.nnexthops = sv->nnh;
	sv->dec.nexthops = sv->nh;
	sv->dec.cost = nbest ? best : CFN_SPF_DIST_INF;
	sv->dec.distance =
		nbest ? c->vx[c->inv[sv->dsites[0]]].dist : CFN_SPF_DIST_INF;
	sv->dec.metric = metric;
	sv->dec.held = held;
	sv->dec.changed = changed;
	sv->held = held;
	sv->cost = sv->dec.cost;
	sv->dirty = false;
	if (changed)
		c->chg[c->nchg++] = s;
	return 0;
}

int cfn_spf_run(struct cfn_spf *c, uint32_t root, struct cfn_spf_error *err)
{
	int rc;

	if (root >= c->rnames.n)
		return cfn_spf_set_error(err, CFN_SPF_ENOENT,
					 "no router index %u", root);
	if (c->topo_dirty || c->csr_n != c->rnames.n) {
		rc = build_csr(c, err);
		if (rc)
			return rc;
		c->topo_dirty = false;
	}
	rc = alloc_results(c, err);
	if (rc)
		return rc;
	c->have_result = false;
	c->root = root;
	c->nchg = 0;
	rc = spf(c, err);
	if (rc)
		return rc;
	for (uint32_t s = 0; s < c->snames.n; s++)
		if (svc_compute(c, s))
			return cfn_spf_set_error(err, CFN_SPF_ENOMEM,
						 "out of memory");
	c->ndirty = 0;
	c->have_result = true;
	return ok(err);
}

int cfn_spf_update_services(struct cfn_spf *c, struct cfn_spf_error *err)
{
	if (!c->have_result)
		return cfn_spf_set_error(err, CFN_SPF_ESTATE,
					 "no SPF result yet: run first");
	if (c->topo_dirty || c->res_n != c->rnames.n)
		return cfn_spf_set_error(
			err, CFN_SPF_ESTATE,
			"topology changed since the last run: run again");
	c->nchg = 0;
	for (uint32_t i = 0; i < c->ndirty; i++)
		if (svc_compute(c, c->dirty[i]))
			return cfn_spf_set_error(err, CFN_SPF_ENOMEM,
						 "out of memory");
	c->ndirty = 0;
	return ok(err);
}

bool cfn_spf_have_result(const struct cfn_spf *c)
{
	return c->have_result;
}

uint32_t cfn_spf_root(const struct cfn_spf *c)
{
	return c->root;
}

uint64_t cfn_spf_distance(const struct cfn_spf *c, uint32_t router)
{
	if (!c->have_result || router >= c->res_n)
		return CFN_SPF_DIST_INF;
	return c->vx[c->inv[router]].dist;
}

uint32_t cfn_spf_nexthops(const struct cfn_spf *c, uint32_t router,
			  uint32_t *out, uint32_t max)
{
	const uint32_t *v;
	uint32_t n;

	if (!c->have_result || router >= c->res_n)
		return 0;
	v = fh_view(c, &c->vx[c->inv[router]].fh, &n);
	if (out)
		memcpy(out, v, (n < max ? n : max) * sizeof(uint32_t));
	return n;
}

const struct cfn_spf_decision *cfn_spf_decision(const struct cfn_spf *c,
						uint32_t svc)
{
	if (!c->have_result || svc >= c->snames.n || !c->svc[svc].have_dec ||
	    c->svc[svc].dirty)
		return NULL;
	return &c->svc[svc].dec;
}

int cfn_spf_service_path_edges(const struct cfn_spf *c, uint32_t svc,
			       struct cfn_spf_edge *out, uint32_t max,
			       struct cfn_spf_error *err)
{
	const struct cfn_spf_decision *d = cfn_spf_decision(c, svc);
	uint32_t *stack, nstack = 0, count = 0;
	uint8_t *seen;

	if (!d)
		return cfn_spf_set_error(err, CFN_SPF_ESTATE,
					 "no decision for service %u", svc);
	if (c->topo_dirty)
		return cfn_spf_set_error(err, CFN_SPF_ESTATE,
					 "topology changed: run again");
	seen = calloc(c->res_n, 1);
	stack = malloc(((size_t)c->res_n + 1) * sizeof(*stack));
	if (!seen || !stack) {
		free(seen);
		free(stack);
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	}
	for (uint32_t i = 0; i < d->nsites; i++) {
		uint32_t v = c->inv[d->sites[i]];

		seen[v] = 1;
		stack[nstack++] = v;
	}
	/* Walk the shortest-path DAG backwards from the chosen sites. */
	while (nstack) {
		uint32_t v = stack[--nstack];

		if (c->perm[v] == c->root)
			continue;
		for (uint32_t e = c->in_off[v]; e < c->in_off[v + 1]; e++) {
			uint32_t u = c->in[e].v;

			if (c->vx[u].dist == CFN_SPF_DIST_INF ||
			    !transit_ok(c, c->perm[u]) ||
			    c->vx[u].dist + c->in[e].w != c->vx[v].dist)
				continue;
			if (count < max) {
				out[count].from = c->perm[u];
				out[count].to = c->perm[v];
				out[count].metric = c->in[e].w;
			}
			count++;
			if (!seen[u]) {
				seen[u] = 1;
				stack[nstack++] = u;
			}
		}
	}
	free(seen);
	free(stack);
	ok(err);
	return count > INT32_MAX ? INT32_MAX : (int)count;
}

int cfn_spf_adopt_decisions(struct cfn_spf *dst, const struct cfn_spf *src,
			    struct cfn_spf_error *err)
{
	for (uint32_t s = 0; s < src->snames.n; s++) {
		const struct svc *from = &src->svc[s];
		size_t len;
		const char *key = cfn_names_getn(&src->snames, s, &len);
		int64_t t = cfn_names_findn(&dst->snames, key, len);
		struct svc *to;
		uint32_t k = 0;

		if (t < 0 || !from->have_dec)
			continue;
		to = &dst->svc[t];
		if (grow(&to->dsites, &to->dsites_cap, from->ndsites + 1,
			 sizeof(uint32_t)) ||
		    grow(&to->nh, &to->nh_cap, from->nnh + 1, sizeof(uint32_t)))
			return cfn_spf_set_error(err, CFN_SPF_ENOMEM,
						 "out of memory");
		for (uint32_t i = 0; i < from->ndsites; i++) {
			const char *id = cfn_names_getn(&src->rnames,
							from->dsites[i], &len);
			int64_t r = cfn_names_findn(&dst->rnames, id, len);

			if (r >= 0)
				to->dsites[k++] = (uint32_t)r;
		}
		qsort(to->dsites, k, sizeof(uint32_t), cmp_u32);
		to->ndsites = k;
		to->nnh = 0;
		for (uint32_t i = 0; i < from->nnh; i++) {
			const char *id =
				cfn_names_getn(&src->rnames, from->nh[i], &len);
			int64_t r = cfn_names_findn(&dst->rnames, id, len);

			if (r >= 0)
				to->nh[to->nnh++] = (uint32_t)r;
		}
		qsort(to->nh, to->nnh, sizeof(uint32_t), cmp_u32);
		to->have_dec = true;
		mark_dirty(dst, (uint32_t)t);
	}
	return ok(err);
}

const uint32_t *cfn_spf_changed_services(const struct cfn_spf *c, uint32_t *n)
{
	*n = c->have_result ? c->nchg : 0;
	return c->chg;
}

size_t cfn_spf_memory_services(const struct cfn_spf *c)
{
	size_t b = cfn_names_memory(&c->snames);

	b += (size_t)c->svc_cap * sizeof(*c->svc) +
	     ((size_t)c->dirty_cap + c->chg_cap) * sizeof(uint32_t);
	for (uint32_t s = 0; s < c->snames.n; s++)
		b += (size_t)c->svc[s].site_cap * sizeof(struct site) +
		     ((size_t)c->svc[s].dsites_cap + c->svc[s].nh_cap) *
			     sizeof(uint32_t);
	return b;
}

size_t cfn_spf_memory_usage(const struct cfn_spf *c)
{
	size_t b = sizeof(*c);
	size_t n = c->csr_n, rn = c->res_n;

	b += cfn_names_memory(&c->rnames) + cfn_spf_memory_services(c);
	b += c->rflags_cap;
	b += (size_t)c->pend_cap * sizeof(*c->pend);
	if (c->out_off)
		b += 4 * (n + 2) * sizeof(uint32_t) +
		     2 * ((size_t)c->csr_m + 1) * sizeof(struct arc);
	if (c->vx)
		b += (rn + 1) * sizeof(*c->vx);
	for (int i = 0; i < 65; i++)
		b += (size_t)c->heap.b[i].cap * sizeof(struct cfn_spf_rent);
	b += (size_t)c->dial.nbuckets * (sizeof(uint32_t) + 1.0 / 8) +
	     (size_t)c->dial.nverts * 2 * sizeof(uint32_t);
	b += (size_t)c->fh_cap * sizeof(uint32_t);
	b += ((size_t)c->scratch_cap + c->scratch2_cap) * sizeof(uint32_t);
	return b;
}
