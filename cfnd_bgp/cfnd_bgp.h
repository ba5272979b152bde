// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfnd_bgp: the Edge Metadata Path Attribute in bgpd.  What the module's
 * files share: the daemon-wide settings, per-neighbor state, and how a
 * path's decoded attribute is found.  Map of the files:
 * doc/bgp-metadata.md section 7.
 */
#ifndef CFND_BGP_H
#define CFND_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory.h"
#include "prefix.h"

#include "bgp_meta.h"
#include "bgp_select.h"
#include "cfnd_common/cfnd_model.h"

#define CFND_BGP_NAME "cfnd_bgp"
/* bgp_path_info.instance of the routes the module originates */
#define CFND_BGP_INSTANCE 0xCF
/* The model's instance key of bgpd's compute-routing (default VRF). */
#define CFND_BGP_TAG "bgp"

struct bgp;
struct peer;
struct attr;
struct bgp_path_info;
struct vty;

/* Daemon-wide settings (router bgp level, one bgpd). */
struct cfnd_bgp_cfg {
	uint8_t attr_type;	     /* path attribute type code, default 42 */
	struct bgp_meta_codes codes; /* sub-TLV code points */
	struct bgp_sel_params sel;   /* selection cost parameters */
};
extern struct cfnd_bgp_cfg cfnd_bgp_cfg;

/* Per-neighbor state (cfnd_bgp_peer.c), kept by address so it outlives a
 * peer that is deleted and configured again. */
struct cfnd_bgp_nbr {
	bool enabled;		/* neighbor X compute-metadata */
	uint32_t faults_logged; /* bit per bgp_meta_fault already logged */
	bool unknown_logged;	/* "unknown sub-TLV skipped" logged */
	uint64_t accepted;	/* attributes decoded and kept */
	uint64_t malformed;	/* treat-as-withdraw */
	uint64_t discarded;	/* from a non-enabled neighbor / out of scope */
	uint64_t sent;		/* UPDATEs that carried the attribute */
};

/* The state of peer's address in its bgp; create: allocate when missing. */
struct cfnd_bgp_nbr *cfnd_bgp_nbr_get(const struct peer *peer, bool create);
bool cfnd_bgp_nbr_enabled(const struct peer *peer);
/* Calls fn for each neighbor of bgp that has state. */
void cfnd_bgp_nbr_walk(const struct bgp *bgp,
		       void (*fn)(void *arg, const char *addr,
				  struct cfnd_bgp_nbr *n),
		       void *arg);
/* Enables or disables by address; refreshes routes both ways. */
int cfnd_bgp_nbr_set(struct bgp *bgp, const char *addr, bool enable, char *err,
		     size_t errlen);
void cfnd_bgp_nbr_fini(void);

/* Raw whole attribute (flags, type, length, value) of ours in attr, if
 * any; *len gets its length. */
const uint8_t *cfnd_bgp_attr_raw(const struct attr *attr, size_t *len,
				 const uint8_t **value, size_t *vlen);
/* Decoded attribute of a path, only if it may be used: learned from an
 * enabled neighbor (or originated here) and decodable. */
bool cfnd_bgp_path_meta(const struct bgp_path_info *pi, struct bgp_meta *m);
/* A selection candidate for pi (network inputs filled, meta set). */
void cfnd_bgp_cand_fill(const struct bgp_path_info *pi,
			const struct bgp_meta *m, struct bgp_sel_cand *c);

/* Seam between the service model and bgpd (cfnd_bgp_origin.c). */
int cfnd_bgp_originate(struct bgp *bgp, const struct prefix *p,
		       const struct bgp_meta *m, char *err, size_t errlen);
void cfnd_bgp_withdraw(struct bgp *bgp, const struct prefix *p);

/* Decisions (cfnd_bgp_decision.c): the provider AS and site chosen per
 * service prefix; the sink is the decision export. */
#define CFND_BGP_DECISION_SITES 8
struct cfnd_bgp_decision {
	struct prefix prefix;
	uint32_t nsites; /* 0: plain BGP */
	uint32_t provider_as[CFND_BGP_DECISION_SITES];
	char site[CFND_BGP_DECISION_SITES][BGP_META_SITE_MAX + 1];
	uint64_t cost, network;
	uint32_t metric;
	uint32_t as_path_len;
};
typedef void (*cfnd_bgp_decision_sink_fn)(const struct cfnd_bgp_decision *d);
void cfnd_bgp_decision_set_sink(cfnd_bgp_decision_sink_fn fn);
void cfnd_bgp_decision_show(struct vty *vty, struct json_object *json);
uint64_t cfnd_bgp_decision_count(void);
void cfnd_bgp_decision_init(void);
void cfnd_bgp_decision_fini(void);

/* The daemon part of the shared model (cfnd_bgp_model.c) and its CLI
 * (cfnd_bgp_config.c). */
void cfnd_bgp_model_init(void);
void cfnd_bgp_model_fini(void);
void cfnd_bgp_scope_set(const uint32_t *asns, int n);
int cfnd_bgp_scope_get(const uint32_t **asns);
/* Re-originates (the default scope follows the neighbors). */
void cfnd_bgp_svc_refresh(void);
void cfnd_bgp_config_init(void);
void cfnd_bgp_config_write(struct vty *vty);

void cfnd_bgp_rx_init(void);
void cfnd_bgp_tx_init(void);
void cfnd_bgp_select_init(void);
void cfnd_bgp_show_init(void);
void cfnd_bgp_debug_init(void);
void cfnd_bgp_vty_init(void);

/* One line / one JSON object describing a decoded attribute. */
void cfnd_bgp_meta_text(const struct bgp_meta *m, char *buf, size_t len);
struct json_object *cfnd_bgp_meta_json(const struct bgp_meta *m);

#endif
