// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The compute-routing configuration of every IS-IS instance, in one plain
 * form that three things convert to and from: the daemon's running
 * configuration (the source of truth), the frr-cfn YANG tree, and the vty
 * commands that turn one configuration into another.
 */
#ifndef CFN_CR_CONF_H
#define CFN_CR_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libyang/libyang.h>

#define CR_DEFAULT_APP_ID 17222
/* the augment's node, in paths */
#define CR "frr-cfn:compute-routing"

struct cr_service {
	char prefix[64];
	uint32_t capacity;
	uint32_t available;
	uint32_t price_milli;
	char site[65];
};

struct cr_metric {
	uint32_t base, scale, max, max_util, min_avail;
};

struct cr_damping {
	uint32_t pct, abs, min_int, max_int, window, flaps, decay;
};

/* The daemon an instance lives in: "router isis TAG" or "router bgp ASN". */
enum cr_daemon { CR_ISISD, CR_BGPD };

/* "neighbor X compute-metadata" (address-family ipv4 unicast) and what
 * frr-bgp needs to name the neighbor (its remote-as is mandatory there). */
struct cr_neighbor {
	char addr[64];
	char remote_as[16]; /* a number, "internal" or "external"; "": none */
	bool metadata;
};

/* lib/bgp_meta.h BGP_META_SCOPE_MAX, the YANG max-elements */
#define CR_SCOPE_MAX 16

struct cr_instance {
	enum cr_daemon daemon;
	char tag[64]; /* the area tag, or the BGP instance's AS number */
	char vrf[64];
	bool enabled;
	uint32_t app_id;
	char report_socket[128];
	struct cr_metric metric;
	struct cr_damping damping;
	uint32_t hyst_pct, hyst_abs;
	bool export;
	char ex_socket[128], ex_key[512], ex_spool[512];
	struct cr_service *svc;
	size_t nsvc;
	/* BGP only */
	uint32_t scope[CR_SCOPE_MAX];
	size_t nscope;
	struct cr_neighbor *nbr;
	size_t nnbr;
};

/* "debug isis compute KEYWORD", in this order (cfnd_debug_keywords) */
#define CR_NDEBUGS 5
extern const char *const cr_debug_keywords[CR_NDEBUGS];

struct cr_config {
	struct cr_instance *inst;
	size_t n;
	bool debug[CR_NDEBUGS]; /* router-wide */
};

void cr_config_free(struct cr_config *c);

/* From "show running-config" of isisd. */
int cr_config_from_running(struct cr_config *c, const char *text, char *err,
			   size_t errlen);
/* Adds the "router bgp" blocks of bgpd's "show running-config" to C. */
int cr_config_add_bgp_running(struct cr_config *c, const char *text, char *err,
			      size_t errlen);
/* To the frr-isisd/frr-cfn YANG tree (explicitly set nodes only). */
int cr_config_to_tree(const struct cr_config *c, const struct ly_ctx *ctx,
		      struct lyd_node **tree, char *err, size_t errlen);
/* From a validated YANG tree. */
int cr_config_from_tree(struct cr_config *c, const struct lyd_node *tree,
			char *err, size_t errlen);

/* The instance's path in the YANG tree, for error-path. */
void cr_instance_path(const struct cr_instance *ci, char *buf, size_t len);
/* Its compute-routing node ("" for the instance itself) or REL below it. */
void cr_node_path(const struct cr_instance *ci, const char *rel, char *buf,
		  size_t len);

/* One vty command and the YANG node it configures. */
struct cr_cmd {
	/* the router isis block it goes in; NULL: configure mode itself */
	const struct cr_instance *inst;
	/* given in the instance's "address-family ipv4 unicast" (BGP) */
	bool af;
	char line[1400];
	char path[512];
};

struct cr_cmds {
	struct cr_cmd *v;
	size_t n;
};

/*
 * The commands that turn configuration FROM into TO, grouped by instance.
 * Both must have the same instances (the daemons' IS-IS instances are not
 * NETCONF's to create): otherwise -1 with the path of the odd one in
 * err_path.
 */
int cr_config_diff(const struct cr_config *from, const struct cr_config *to,
		   struct cr_cmds *out, char *err, size_t errlen,
		   char *err_path, size_t pathlen);
void cr_cmds_free(struct cr_cmds *cmds);

/* -- shared by cr_conf.c, cr_tree.c and cr_diff.c ------------------- */
extern const struct cr_metric cr_metric_default;
extern const struct cr_damping cr_damping_default;
struct cr_instance *cr_instance_add(struct cr_config *c, const char *tag,
				    const char *vrf);
struct cr_service *cr_service_add(struct cr_instance *ci);
struct cr_neighbor *cr_neighbor_add(struct cr_instance *ci, const char *addr);
struct cr_neighbor *cr_neighbor_find(const struct cr_instance *ci,
				     const char *addr);
int cr_parse_compute_line(struct cr_instance *ci, char *line, char *err,
			  size_t errlen);
/* BGP instances in the YANG tree (cr_bgp_tree.c) */
int cr_bgp_instance_to_tree(const struct cr_instance *ci,
			    const struct ly_ctx *ctx, struct lyd_node **tree);
int cr_bgp_config_from_tree(struct cr_config *c, const struct lyd_node *top);
int cr_compute_to_tree(const struct cr_instance *ci, const struct ly_ctx *ctx,
		       struct lyd_node **tree, const char *base);
int cr_compute_from_tree(struct cr_instance *ci, const struct lyd_node *cr);
const char *cr_leaf(const struct lyd_node *parent, const char *path);
uint32_t cr_leaf_u32(const struct lyd_node *parent, const char *path,
		     uint32_t dflt);
void cr_leaf_str(const struct lyd_node *parent, const char *path, char *buf,
		 size_t len);
void cr_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* CFN_CR_CONF_H */
