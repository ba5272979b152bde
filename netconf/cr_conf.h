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

struct cr_instance {
	char tag[64];
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
/* To the frr-isisd/frr-cfn YANG tree (explicitly set nodes only). */
int cr_config_to_tree(const struct cr_config *c, const struct ly_ctx *ctx,
		      struct lyd_node **tree, char *err, size_t errlen);
/* From a validated YANG tree. */
int cr_config_from_tree(struct cr_config *c, const struct lyd_node *tree,
			char *err, size_t errlen);

/* The instance's path in the YANG tree, for error-path. */
void cr_instance_path(const struct cr_instance *ci, char *buf, size_t len);

/* One vty command and the YANG node it configures. */
struct cr_cmd {
	/* the router isis block it goes in; NULL: configure mode itself */
	const struct cr_instance *inst;
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
void cr_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* CFN_CR_CONF_H */
