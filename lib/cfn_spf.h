// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compute-weighted SPF (DESIGN.md section 5, doc/cspf.md).
 *
 * One object holds the link-state graph (routers, directed links, services
 * hosted by routers with a compute metric) and the results of the last run
 * from a root: per-router distance and ECMP first hops, and per-service
 * decisions.  No FRR dependency; every failure is returned as a code plus a
 * message in struct cfn_spf_error, nothing aborts.  An object is not
 * thread-safe: one object per thread (or a lock around it).  Results stay
 * those of the last run until the next cfn_spf_run().
 */
#ifndef CFN_SPF_H
#define CFN_SPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cfn_spf_rc {
	CFN_SPF_OK = 0,
	CFN_SPF_ENOMEM = -1, /* allocation failed */
	CFN_SPF_EINVAL = -2, /* bad argument (index out of range, empty id) */
	CFN_SPF_EEXIST = -3, /* duplicate router / service / site */
	CFN_SPF_ENOENT = -4, /* no such router / service / site */
	CFN_SPF_ESTATE = -5, /* call order: e.g. query before any run */
	CFN_SPF_ERANGE = -6, /* value out of range (e.g. too many routers) */
};

struct cfn_spf_error {
	int code;
	char msg[192];
};

/* Infinite distance: unreachable router. */
#define CFN_SPF_DIST_INF UINT64_MAX
/* Advertised compute metric meaning "not eligible". */
#define CFN_SPF_METRIC_INELIGIBLE UINT32_MAX
/* No limit on ECMP first hops. */
#define CFN_SPF_ECMP_UNLIMITED 0

/* Router flags. */
#define CFN_SPF_ROUTER_OVERLOAD 0x01 /* IS-IS overload bit: no transit */
#define CFN_SPF_ROUTER_PSEUDO 0x02   /* IS-IS LAN pseudonode: transparent */

struct cfn_spf;

/* The decision for one service from the root of the last run. */
struct cfn_spf_decision {
	uint32_t nsites;	  /* 0: no eligible reachable site */
	const uint32_t *sites;	  /* router indexes, ascending */
	uint64_t cost;		  /* dist(root, site) + metric(site) */
	uint64_t distance;	  /* network part, of sites[0] */
	uint32_t metric;	  /* compute part, of sites[0] */
	uint32_t nnexthops;	  /* 0 when a site is the root itself */
	const uint32_t *nexthops; /* first-hop router indexes, ascending */
	bool held;    /* hysteresis kept the previous site over a better one */
	bool changed; /* sites or nexthops differ from the previous decision,
		       * as of the last time this service was recomputed */
};

/* A directed link on a shortest path (see cfn_spf_service_path_edges). */
struct cfn_spf_edge {
	uint32_t from, to, metric;
};

struct cfn_spf *cfn_spf_new(void);
void cfn_spf_free(struct cfn_spf *c);

/*
 * Graph building.  Routers and services are named by opaque keys: binary
 * (the modules pass system ids and struct cfn_svc_prefix bytes, the _bin
 * functions) or NUL-terminated text (topology files); at most
 * CFN_SPF_KEY_MAX bytes.  The return value is the index (>= 0) or a
 * negative enum cfn_spf_rc with err filled in.  err may be NULL.
 */
#define CFN_SPF_KEY_MAX 255
int cfn_spf_add_router_bin(struct cfn_spf *c, const void *id, size_t len,
			   unsigned int flags, struct cfn_spf_error *err);
int cfn_spf_find_router_bin(const struct cfn_spf *c, const void *id,
			    size_t len);
const void *cfn_spf_router_id_bin(const struct cfn_spf *c, uint32_t router,
				  size_t *len);
int cfn_spf_add_service_bin(struct cfn_spf *c, const void *key, size_t len,
			    struct cfn_spf_error *err);
int cfn_spf_find_service_bin(const struct cfn_spf *c, const void *key,
			     size_t len);
const void *cfn_spf_service_key_bin(const struct cfn_spf *c, uint32_t svc,
				    size_t *len);
int cfn_spf_add_router(struct cfn_spf *c, const char *id, unsigned int flags,
		       struct cfn_spf_error *err);
int cfn_spf_find_router(const struct cfn_spf *c, const char *id);
const char *cfn_spf_router_id(const struct cfn_spf *c, uint32_t router);
uint32_t cfn_spf_router_count(const struct cfn_spf *c);
unsigned int cfn_spf_router_flags(const struct cfn_spf *c, uint32_t router);
bool cfn_spf_is_pseudonode(const struct cfn_spf *c, uint32_t router);
int cfn_spf_set_router_flags(struct cfn_spf *c, uint32_t router,
			     unsigned int flags, struct cfn_spf_error *err);
/* One directed link; parallel links are allowed (the best one counts). */
int cfn_spf_add_link(struct cfn_spf *c, uint32_t from, uint32_t to,
		     uint32_t metric, struct cfn_spf_error *err);
uint32_t cfn_spf_link_count(const struct cfn_spf *c);

int cfn_spf_add_service(struct cfn_spf *c, const char *key,
			struct cfn_spf_error *err);
int cfn_spf_find_service(const struct cfn_spf *c, const char *key);
const char *cfn_spf_service_key(const struct cfn_spf *c, uint32_t svc);
uint32_t cfn_spf_service_count(const struct cfn_spf *c);
/* Router hosts service with a compute metric (CFN_SPF_METRIC_INELIGIBLE ok). */
int cfn_spf_add_site(struct cfn_spf *c, uint32_t svc, uint32_t router,
		     uint32_t metric, struct cfn_spf_error *err);

/* Configuration. */
void cfn_spf_set_ecmp_limit(struct cfn_spf *c, uint32_t limit);
/*
 * Hysteresis: a service keeps its current site unless the new best cost is
 * lower by more than abs_margin AND by more than pct_margin percent of the
 * current cost.  Zero margins (the default) disable hysteresis.
 */
int cfn_spf_set_hysteresis(struct cfn_spf *c, uint32_t pct_margin,
			   uint64_t abs_margin, struct cfn_spf_error *err);
/* Drop the remembered decisions (hysteresis starts from scratch). */
void cfn_spf_forget_decisions(struct cfn_spf *c);
/*
 * Carry decisions (for hysteresis and the changed flag) from an older
 * object, matching services and routers by key: used when a topology change
 * is handled by building a fresh graph.
 */
int cfn_spf_adopt_decisions(struct cfn_spf *dst, const struct cfn_spf *src,
			    struct cfn_spf_error *err);

/* Full run: SPF from root, then every service. */
int cfn_spf_run(struct cfn_spf *c, uint32_t root, struct cfn_spf_error *err);

/*
 * Capacity-only update: change a site's compute metric, then
 * cfn_spf_update_services() recomputes only the services touched since the
 * last run, reusing the SPF result.  After a topology change (or with no run
 * yet) cfn_spf_update_services() returns CFN_SPF_ESTATE: do a full run instead.
 */
int cfn_spf_set_service_metric(struct cfn_spf *c, uint32_t svc, uint32_t router,
			       uint32_t metric, struct cfn_spf_error *err);
int cfn_spf_update_services(struct cfn_spf *c, struct cfn_spf_error *err);
/*
 * The same without the search: a site is slot i of its service, in the
 * order of cfn_spf_add_site(); cfn_spf_find_site() gives it (or a negative
 * code). For callers that apply many updates per site, e.g. a whole LSP.
 */
int cfn_spf_find_site(const struct cfn_spf *c, uint32_t svc, uint32_t router);
int cfn_spf_set_site_metric(struct cfn_spf *c, uint32_t svc, uint32_t slot,
			    uint32_t metric, struct cfn_spf_error *err);

/* Results of the last run. */
bool cfn_spf_have_result(const struct cfn_spf *c);
uint32_t cfn_spf_root(const struct cfn_spf *c);
uint64_t cfn_spf_distance(const struct cfn_spf *c, uint32_t router);
/* Copies at most max first hops; returns how many there are in total. */
uint32_t cfn_spf_nexthops(const struct cfn_spf *c, uint32_t router,
			  uint32_t *out, uint32_t max);
const struct cfn_spf_decision *cfn_spf_decision(const struct cfn_spf *c,
						uint32_t svc);
/*
 * Services whose decision (sites or nexthops) changed in the last
 * cfn_spf_run() or cfn_spf_update_services(): what the module exports.
 */
const uint32_t *cfn_spf_changed_services(const struct cfn_spf *c, uint32_t *n);
/*
 * The links of all shortest paths from the root to the service's chosen
 * sites (the "chosen edges" exported to the ledger).  Copies at most max,
 * returns the total count, or a negative enum cfn_spf_rc.
 */
int cfn_spf_service_path_edges(const struct cfn_spf *c, uint32_t svc,
			       struct cfn_spf_edge *out, uint32_t max,
			       struct cfn_spf_error *err);

/* Bytes allocated by the object (graph + results), for the benchmarks. */
size_t cfn_spf_memory_usage(const struct cfn_spf *c);
/* The part of it used by services, sites and decisions. */
size_t cfn_spf_memory_services(const struct cfn_spf *c);

const char *cfn_spf_strerror(int rc);
/* Fills err (if any) with code and a formatted reason; returns code. */
int cfn_spf_set_error(struct cfn_spf_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif /* CFN_SPF_H */
