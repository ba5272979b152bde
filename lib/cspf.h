// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compute-weighted SPF (DESIGN.md section 5, doc/cspf.md).
 *
 * One object holds the link-state graph (routers, directed links, services
 * hosted by routers with a compute metric) and the results of the last run
 * from a root: per-router distance and ECMP first hops, and per-service
 * decisions.  No FRR dependency; every failure is returned as a code plus a
 * message in struct cspf_error, nothing aborts.  An object is not
 * thread-safe: one object per thread (or a lock around it).  Results stay
 * those of the last run until the next cspf_run().
 */
#ifndef CFN_CSPF_H
#define CFN_CSPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cspf_rc {
	CSPF_OK = 0,
	CSPF_ENOMEM = -1, /* allocation failed */
	CSPF_EINVAL = -2, /* bad argument (index out of range, empty id) */
	CSPF_EEXIST = -3, /* duplicate router / service / site */
	CSPF_ENOENT = -4, /* no such router / service / site */
	CSPF_ESTATE = -5, /* call order: e.g. query before any run */
	CSPF_ERANGE = -6, /* value out of range (e.g. too many routers) */
};

struct cspf_error {
	int code;
	char msg[192];
};

/* Infinite distance: unreachable router. */
#define CSPF_DIST_INF UINT64_MAX
/* Advertised compute metric meaning "not eligible". */
#define CSPF_METRIC_INELIGIBLE UINT32_MAX
/* No limit on ECMP first hops. */
#define CSPF_ECMP_UNLIMITED 0

/* Router flags. */
#define CSPF_ROUTER_OVERLOAD 0x01 /* IS-IS overload bit: no transit */
#define CSPF_ROUTER_PSEUDO 0x02	  /* IS-IS LAN pseudonode: transparent */

struct cspf;

/* The decision for one service from the root of the last run. */
struct cspf_decision {
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

/* A directed link on a shortest path (see cspf_service_path_edges). */
struct cspf_edge {
	uint32_t from, to, metric;
};

struct cspf *cspf_new(void);
void cspf_free(struct cspf *c);

/*
 * Graph building.  Routers and services are named by opaque NUL-terminated
 * keys (the CLI uses ids and prefixes); the return value is the index
 * (>= 0) or a negative enum cspf_rc with err filled in.  err may be NULL.
 */
int cspf_add_router(struct cspf *c, const char *id, unsigned int flags,
		    struct cspf_error *err);
int cspf_find_router(const struct cspf *c, const char *id);
const char *cspf_router_id(const struct cspf *c, uint32_t router);
uint32_t cspf_router_count(const struct cspf *c);
unsigned int cspf_router_flags(const struct cspf *c, uint32_t router);
bool cspf_is_pseudonode(const struct cspf *c, uint32_t router);
int cspf_set_router_flags(struct cspf *c, uint32_t router, unsigned int flags,
			  struct cspf_error *err);
/* One directed link; parallel links are allowed (the best one counts). */
int cspf_add_link(struct cspf *c, uint32_t from, uint32_t to, uint32_t metric,
		  struct cspf_error *err);
uint32_t cspf_link_count(const struct cspf *c);

int cspf_add_service(struct cspf *c, const char *key, struct cspf_error *err);
int cspf_find_service(const struct cspf *c, const char *key);
const char *cspf_service_key(const struct cspf *c, uint32_t svc);
uint32_t cspf_service_count(const struct cspf *c);
/* Router hosts service with a compute metric (CSPF_METRIC_INELIGIBLE ok). */
int cspf_add_site(struct cspf *c, uint32_t svc, uint32_t router,
		  uint32_t metric, struct cspf_error *err);

/* Configuration. */
void cspf_set_ecmp_limit(struct cspf *c, uint32_t limit);
/*
 * Hysteresis: a service keeps its current site unless the new best cost is
 * lower by more than abs_margin AND by more than pct_margin percent of the
 * current cost.  Zero margins (the default) disable hysteresis.
 */
int cspf_set_hysteresis(struct cspf *c, uint32_t pct_margin,
			uint64_t abs_margin, struct cspf_error *err);
/* Drop the remembered decisions (hysteresis starts from scratch). */
void cspf_forget_decisions(struct cspf *c);
/*
 * Carry decisions (for hysteresis and the changed flag) from an older
 * object, matching services and routers by key: used when a topology change
 * is handled by building a fresh graph.
 */
int cspf_adopt_decisions(struct cspf *dst, const struct cspf *src,
			 struct cspf_error *err);

/* Full run: SPF from root, then every service. */
int cspf_run(struct cspf *c, uint32_t root, struct cspf_error *err);

/*
 * Capacity-only update: change a site's compute metric, then
 * cspf_update_services() recomputes only the services touched since the
 * last run, reusing the SPF result.  After a topology change (or with no run
 * yet) cspf_update_services() returns CSPF_ESTATE: do a full run instead.
 */
int cspf_set_service_metric(struct cspf *c, uint32_t svc, uint32_t router,
			    uint32_t metric, struct cspf_error *err);
int cspf_update_services(struct cspf *c, struct cspf_error *err);
/*
 * The same without the search: a site is slot i of its service, in the
 * order of cspf_add_site(); cspf_find_site() gives it (or a negative code).
 * For callers that apply many updates per site, e.g. a whole LSP.
 */
int cspf_find_site(const struct cspf *c, uint32_t svc, uint32_t router);
int cspf_set_site_metric(struct cspf *c, uint32_t svc, uint32_t slot,
			 uint32_t metric, struct cspf_error *err);

/* Results of the last run. */
bool cspf_have_result(const struct cspf *c);
uint32_t cspf_root(const struct cspf *c);
uint64_t cspf_distance(const struct cspf *c, uint32_t router);
/* Copies at most max first hops; returns how many there are in total. */
uint32_t cspf_nexthops(const struct cspf *c, uint32_t router, uint32_t *out,
		       uint32_t max);
const struct cspf_decision *cspf_decision(const struct cspf *c, uint32_t svc);
/*
 * Services whose decision (sites or nexthops) changed in the last
 * cspf_run() or cspf_update_services(): what the module exports.
 */
const uint32_t *cspf_changed_services(const struct cspf *c, uint32_t *n);
/*
 * The links of all shortest paths from the root to the service's chosen
 * sites (the "chosen edges" exported to the ledger).  Copies at most max,
 * returns the total count, or a negative enum cspf_rc.
 */
int cspf_service_path_edges(const struct cspf *c, uint32_t svc,
			    struct cspf_edge *out, uint32_t max,
			    struct cspf_error *err);

/* Bytes allocated by the object (graph + results), for the benchmarks. */
size_t cspf_memory_usage(const struct cspf *c);
/* The part of it used by services, sites and decisions. */
size_t cspf_memory_services(const struct cspf *c);

const char *cspf_strerror(int rc);
/* Fills err (if any) with code and a formatted reason; returns code. */
int cspf_set_error(struct cspf_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif /* CFN_CSPF_H */
