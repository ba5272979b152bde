// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfnd_isis: state the module keeps per IS-IS instance.  The logic (metric
 * model, wire codec, damping) lives in lib/; this is the glue to isisd.
 */
#ifndef CFND_ISIS_H
#define CFND_ISIS_H

#include "prefix.h"
#include "typesafe.h"

#include "cfnd_isis_db.h"
#include "cfnd_isis_steer.h"
#include "damping.h"
#include "metric.h"
#include "report_proto.h"

#define CFND_ISIS_NAME "cfnd_isis"

/* RFC 6823 GENINFO; our application id has no IANA allocation yet. */
#define CFND_GENINFO_TLV 251
#define CFND_DEFAULT_APP_ID 0x4346

PREDECL_DLIST(cfnd_services);
PREDECL_DLIST(cfnd_areas);

/* A service this router hosts, as configured (or updated at run time). */
struct cfnd_service {
	struct cfnd_services_item item;
	struct prefix prefix;
	uint32_t capacity;  /* compute units in total */
	uint32_t available; /* compute units free */
	uint32_t price;	    /* tokens per unit; 0 = not advertised */
	char site[65];	    /* site id; "" = not advertised */
	/* what the config says; run-time reports do not change it */
	uint32_t config_available;
	/* reported by the site's agent (cfn-report), CFN_SE_* bits */
	uint32_t reported;
	uint8_t cpu_pct, mem_pct, gpu_pct, score;
	uint32_t reported_price_milli;
	/* what our LSP says: the entry with the metric computed (by the
	 * metric model) from the load at the time */
	bool advertised;
	struct cfn_svc_entry adv;
	/* when a new metric may go out (lib/damping), and its timer */
	struct cfn_damping damp;
	struct thread *t_damp;
	struct cfnd_area *area;
};
DECLARE_DLIST(cfnd_services, struct cfnd_service, item);

/* compute-routing configuration and state of one IS-IS instance */
struct cfnd_area {
	struct cfnd_areas_item item;
	char tag[64];
	bool enabled;		 /* "compute-routing" present */
	char report_socket[108]; /* "" = default path */
	uint16_t app_id;
	struct cfn_metric_params metric;
	struct cfn_damping_params damping;
	struct cfnd_services_head services;
	/* received entries of every router (ours included), per LSP fragment */
	struct cfnd_frags_head db;
	uint64_t db_generation; /* bumped on every change of db */
	struct cfnd_steer steer;
};
DECLARE_DLIST(cfnd_areas, struct cfnd_area, item);

extern struct cfnd_areas_head cfnd_areas;

struct cfnd_area *cfnd_area_find(const char *tag);
struct cfnd_area *cfnd_area_get(const char *tag);
struct cfnd_service *cfnd_service_find(struct cfnd_area *ca,
				       const struct prefix *p);
/* Local advertisement changed: rebuild our LSP (subject to isisd timers). */
void cfnd_area_readvertise(struct cfnd_area *ca);
/* The compute database changed: later passes (steering) react to this. */
void cfnd_area_db_changed(struct cfnd_area *ca);
/*
 * A hosted service's load changed (config, exec command or load report):
 * recompute its metric and re-advertise when it moved.
 */
void cfnd_service_load_changed(struct cfnd_area *ca, struct cfnd_service *s);

void cfnd_area_reload(struct cfnd_area *ca);
/* Starts/stops the damping state of a service added/removed in config. */
void cfnd_service_load_init(struct cfnd_area *ca, struct cfnd_service *s);
void cfnd_service_load_fini(struct cfnd_service *s);
/* Advertises the current load at once (price/site changed, or forced). */
void cfnd_service_advertise_now(struct cfnd_service *s);
/* Sets a service's available units at run time; -1 with err on refusal. */
int cfnd_set_available(struct cfnd_area *ca, const struct prefix *p,
		       uint32_t available, char *err, size_t errlen);
void cfnd_isis_load_vty_init(void);
/* Applies a load report; -1 with a reason when refused. */
int cfnd_apply_report(const struct cfn_report *r, char *err, size_t errlen);
/* Listens for load reports on path (NULL: the default); -1 with err. */
int cfnd_report_listen(const char *path, char *err, size_t errlen);
const char *cfnd_report_default_path(void);
const char *cfnd_report_path(void); /* NULL when not listening */
void cfnd_isis_report_fini(void);

void cfnd_isis_adv_init(void);
void cfnd_isis_adv_fini(void);

/* A steering decision changed: hand it to the ledger export. */
void cfnd_export_decision(struct cfnd_area *ca, struct cfnd_route *r);
void cfnd_export_config_write(struct vty *vty);
void cfnd_isis_export_init(void);
void cfnd_isis_export_fini(void);
/* The prefix of a service entry as FRR's struct prefix. */
void cfnd_prefix_from_svc(const struct cfn_svc_prefix *sp, struct prefix *p);

void cfnd_isis_vty_init(void);
void cfnd_isis_config_init(void);
void cfnd_isis_config_fini(void);

#endif
