// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The model at the centre of both CFN modules (cfnd_isis in isisd, cfnd_bgp
 * in bgpd): compute-routing instances keyed by (VRF, tag), the services
 * this router hosts in each, and the two events every other part reacts
 * to.  The CLI, the exec command and the report socket change services
 * only through the functions below; the model computes the metric (lib/
 * metric), applies damping (lib/damping) and raises
 *
 *   "service changed"   the entry to advertise moved: the daemon part
 *                       re-originates (ops->readvertise);
 *   "database changed"  the daemon part received new entries of other
 *                       routers (cfnd_instance_db_changed()): the hook
 *                       cfnd_db_changed runs, steering subscribes to it.
 *
 * What a daemon implements is struct cfnd_daemon_ops (see
 * doc/architecture.md for the contract).
 */
#ifndef CFND_MODEL_H
#define CFND_MODEL_H

#include "hook.h"
#include "memory.h"
#include "typesafe.h"
#include "vrf.h"

#include "damping.h"
#include "metric.h"
#include "report_proto.h"
#include "tlv.h"

DECLARE_MGROUP(CFND);

PREDECL_DLIST(cfnd_services);
PREDECL_DLIST(cfnd_instances);

struct cfnd_instance;
struct thread;

/*
 * A service this router hosts.  'now' is the library's entry with what is
 * known at present (capacity, available, utilisation, price, site; the
 * metric field unused); 'adv' is the entry as advertised, metric included.
 */
struct cfnd_service {
	struct cfnd_services_item item;
	struct cfn_svc_entry now;
	struct cfn_svc_entry adv;
	bool advertised;
	/* what the configuration says; run-time reports do not change it */
	uint32_t config_available;
	uint32_t config_price_milli; /* 0 = not configured */
	/* CFN_SE_* fields a load report set (they outrank the config) */
	uint32_t reported;
	/* when a new metric may go out (lib/damping), and its timer */
	struct cfn_damping damp;
	struct thread *t_damp;
	struct cfnd_instance *inst;
};
DECLARE_DLIST(cfnd_services, struct cfnd_service, item);

/* compute-routing in one routing instance (an IS-IS area, a BGP view) */
struct cfnd_instance {
	struct cfnd_instances_item item;
	vrf_id_t vrf_id;
	char tag[64];
	bool enabled; /* "compute-routing" present */
	uint16_t app_id;
	struct cfn_metric_params metric;
	struct cfn_damping_params damping;
	uint32_t hysteresis_pct;
	uint64_t hysteresis_abs;
	struct cfnd_services_head services;
	uint64_t db_generation; /* bumped by every database change */
	/* application ids seen in received entries that are not ours, for
	 * show: a mismatch silently drops a router's services otherwise */
	uint32_t foreign_app_lsps;
	uint16_t foreign_app_id;
	void *daemon; /* the daemon part's per-instance state */
};
DECLARE_DLIST(cfnd_instances, struct cfnd_instance, item);

/* What a daemon part implements; every callback is mandatory. */
struct cfnd_daemon_ops {
	const char *name; /* "cfnd_isis", for logs */
	uint16_t default_app_id;
	/* the entries to advertise changed: re-originate (rate-limited by
	 * the daemon's own timers) */
	void (*readvertise)(struct cfnd_instance *inst);
	/* per-instance state of the daemon part: created with the instance,
	 * started/stopped with "compute-routing" / "no compute-routing",
	 * freed with the instance */
	void *(*instance_new)(struct cfnd_instance *inst);
	void (*instance_enable)(struct cfnd_instance *inst, bool on);
	void (*instance_free)(struct cfnd_instance *inst);
	/* hysteresis changed: applies from the next decision on */
	void (*hysteresis_changed)(struct cfnd_instance *inst);
	/* whether the instance can advertise these entries (all its
	 * services, a new or changed one included); -1 with err refuses
	 * that one service */
	int (*services_fit)(struct cfnd_instance *inst,
			    const struct cfn_svc_entry *entries, size_t n,
			    char *err, size_t errlen);
};

/* Raised by cfnd_instance_db_changed(); steering subscribes. */
DECLARE_HOOK(cfnd_db_changed, (struct cfnd_instance * inst), (inst));

extern struct cfnd_instances_head cfnd_instances;
extern const struct cfnd_daemon_ops *cfnd_ops;

void cfnd_model_init(const struct cfnd_daemon_ops *ops);
/* Frees every instance (the daemon part's state through its ops). */
void cfnd_model_fini(void);

struct cfnd_instance *cfnd_instance_find(vrf_id_t vrf_id, const char *tag);
struct cfnd_instance *cfnd_instance_get(vrf_id_t vrf_id, const char *tag);
/* "compute-routing" / "no compute-routing" (the latter resets and frees
 * everything configured in the instance). */
void cfnd_instance_enable(struct cfnd_instance *inst);
void cfnd_instance_disable(struct cfnd_instance *inst);
/* The daemon part's database of received entries changed. */
void cfnd_instance_db_changed(struct cfnd_instance *inst);

void cfnd_instance_set_app_id(struct cfnd_instance *inst, uint16_t app_id);
void cfnd_instance_set_metric(struct cfnd_instance *inst,
			      const struct cfn_metric_params *p);
void cfnd_instance_set_damping(struct cfnd_instance *inst,
			       const struct cfn_damping_params *p);
void cfnd_instance_set_hysteresis(struct cfnd_instance *inst, uint32_t pct,
				  uint64_t abs);

struct cfnd_service *cfnd_service_find(struct cfnd_instance *inst,
				       const struct cfn_svc_prefix *p);

/* A service as the configuration states it. */
struct cfnd_service_conf {
	struct cfn_svc_prefix prefix;
	uint32_t capacity, available;
	uint32_t price_milli; /* 0: none */
	const char *site;     /* NULL or "": none */
};

/*
 * Validates a configured prefix: no host bits, not a default, multicast,
 * link-local or loopback prefix (one typo there would take over such
 * routes on every router).  0, or -1 with err.
 */
int cfnd_service_prefix_check(const struct cfn_svc_prefix *p, char *err,
			      size_t errlen);
/* Adds or changes a hosted service; -1 with err on refusal. */
int cfnd_service_configure(struct cfnd_instance *inst,
			   const struct cfnd_service_conf *conf, char *err,
			   size_t errlen);
/* Removes a hosted service; -1 with err when it is not configured. */
int cfnd_service_unconfigure(struct cfnd_instance *inst,
			     const struct cfn_svc_prefix *p, char *err,
			     size_t errlen);
/*
 * Run-time load of a service from the exec command: in every enabled
 * instance hosting it (or only in the one named tag); the number of
 * instances changed, or -1 with err.
 */
int cfnd_service_set_available(const char *tag, const struct cfn_svc_prefix *p,
			       uint32_t available, char *err, size_t errlen);
/* A load report from the site's agent (cfnd_report.c); 0 or -1 with err. */
int cfnd_apply_report(const struct cfn_report *r, char *err, size_t errlen);

/* The metric of a service's current load (ineligible when it fails). */
uint32_t cfnd_service_metric(const struct cfnd_service *s);

#endif
