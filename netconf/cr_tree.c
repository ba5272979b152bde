// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_conf.h"
#include "price.h"


/* The frr-cfn YANG tree of the plain form, and back. */

/* The numeric leaves of metric-function and damping, and where each lives
 * in the plain form: both directions walk the same table. */
struct u32_leaf {
	const char *path;
	size_t off;
};

static const struct u32_leaf u32_leaves[] = {
	{"metric-function/base", offsetof(struct cr_instance, metric.base)},
	{"metric-function/scale", offsetof(struct cr_instance, metric.scale)},
	{"metric-function/max", offsetof(struct cr_instance, metric.max)},
	{"metric-function/max-utilization",
	 offsetof(struct cr_instance, metric.max_util)},
	{"metric-function/min-available",
	 offsetof(struct cr_instance, metric.min_avail)},
	{"damping/threshold-percent",
	 offsetof(struct cr_instance, damping.pct)},
	{"damping/threshold-absolute",
	 offsetof(struct cr_instance, damping.abs)},
	{"damping/min-interval", offsetof(struct cr_instance, damping.min_int)},
	{"damping/max-interval", offsetof(struct cr_instance, damping.max_int)},
	{"damping/flap-window", offsetof(struct cr_instance, damping.window)},
	{"damping/flap-threshold", offsetof(struct cr_instance, damping.flaps)},
	{"damping/decay", offsetof(struct cr_instance, damping.decay)},
};
#define NLEAVES(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t *leaf_field(struct cr_instance *ci, const struct u32_leaf *l)
{
	return (uint32_t *)((char *)ci + l->off);
}

static int put(struct lyd_node **tree, const struct ly_ctx *ctx,
	       const char *base, const char *rel, const char *value)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	return lyd_new_path(*tree, ctx, path, value, 0, *tree ? NULL : tree) ==
			       LY_SUCCESS
		       ? 0
		       : -1;
}

static int put_u32(struct lyd_node **tree, const struct ly_ctx *ctx,
		   const char *base, const char *rel, uint32_t v)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", v);
	return put(tree, ctx, base, rel, s);
}

/* The numeric leaves whose path starts with GROUP. */
static int put_group(struct lyd_node **tree, const struct ly_ctx *ctx,
		     const char *base, const struct cr_instance *ci,
		     const char *group)
{
	int rc = 0;

	for (size_t i = 0; i < NLEAVES(u32_leaves); i++)
		if (!strncmp(u32_leaves[i].path, group, strlen(group)))
			rc |= put_u32(tree, ctx, base, u32_leaves[i].path,
				      *leaf_field((struct cr_instance *)ci,
						  &u32_leaves[i]));
	return rc;
}

/* The compute-routing node of CI at BASE (its path), explicitly set
 * leaves only; shared by both daemons. */
int cr_compute_to_tree(const struct cr_instance *ci, const struct ly_ctx *ctx,
		       struct lyd_node **tree, const char *base)
{
	char rel[256], price[32];
	int rc = 0;

	rc |= lyd_new_path(*tree, ctx, base, NULL, 0, *tree ? NULL : tree) !=
	      LY_SUCCESS;
	if (ci->app_id != CR_DEFAULT_APP_ID)
		rc |= put_u32(tree, ctx, base, "application-id", ci->app_id);
	if (ci->report_socket[0])
		rc |= put(tree, ctx, base, "report-socket", ci->report_socket);
	/* written as a whole when any differs, as the CLI writes them */
	if (memcmp(&ci->metric, &cr_metric_default, sizeof(cr_metric_default)))
		rc |= put_group(tree, ctx, base, ci, "metric-function/");
	if (memcmp(&ci->damping, &cr_damping_default,
		   sizeof(cr_damping_default)))
		rc |= put_group(tree, ctx, base, ci, "damping/");
	if (ci->hyst_pct || ci->hyst_abs) {
		rc |= put_u32(tree, ctx, base, "hysteresis/percent",
			      ci->hyst_pct);
		rc |= put_u32(tree, ctx, base, "hysteresis/absolute",
			      ci->hyst_abs);
	}
	if (ci->export) {
		rc |= put(tree, ctx, base, "export/socket", ci->ex_socket);
		rc |= put(tree, ctx, base, "export/key", ci->ex_key);
		if (ci->ex_spool[0])
			rc |= put(tree, ctx, base, "export/spool",
				  ci->ex_spool);
	}
	for (size_t i = 0; i < ci->nscope; i++) {
		snprintf(rel, sizeof(rel), "as-scope[.='%u']", ci->scope[i]);
		rc |= put(tree, ctx, base, rel, NULL);
	}
	for (size_t i = 0; i < ci->nsvc; i++) {
		const struct cr_service *s = &ci->svc[i];

		snprintf(rel, sizeof(rel), "service[prefix='%s']/capacity",
			 s->prefix);
		rc |= put_u32(tree, ctx, base, rel, s->capacity);
		snprintf(rel, sizeof(rel), "service[prefix='%s']/available",
			 s->prefix);
		rc |= put_u32(tree, ctx, base, rel, s->available);
		if (s->price_milli) {
			snprintf(rel, sizeof(rel), "service[prefix='%s']/price",
				 s->prefix);
			cfn_price_str(s->price_milli, price, sizeof(price));
			rc |= put(tree, ctx, base, rel, price);
		}
		if (s->site[0]) {
			snprintf(rel, sizeof(rel), "service[prefix='%s']/site",
				 s->prefix);
			rc |= put(tree, ctx, base, rel, s->site);
		}
	}
	return rc ? -1 : 0;
}

static int instance_to_tree(const struct cr_instance *ci,
			    const struct ly_ctx *ctx, struct lyd_node **tree)
{
	char ip[256], base[512];

	if (ci->daemon == CR_BGPD)
		return cr_bgp_instance_to_tree(ci, ctx, tree);
	cr_instance_path(ci, ip, sizeof(ip));
	if (!ci->enabled) {
		/* the keys alone: the instance exists, without compute */
		return lyd_new_path(*tree, ctx, ip, NULL, 0,
				    *tree ? NULL : tree) == LY_SUCCESS
			       ? 0
			       : -1;
	}
	cr_node_path(ci, "", base, sizeof(base));
	return cr_compute_to_tree(ci, ctx, tree, base);
}

#define DEBUG_PATH "/frr-isisd:isis/frr-cfn:compute-debug"

int cr_config_to_tree(const struct cr_config *c, const struct ly_ctx *ctx,
		      struct lyd_node **tree, char *err, size_t errlen)
{
	*tree = NULL;
	for (size_t d = 0; d < CR_NDEBUGS; d++)
		if (c->debug[d] &&
		    put(tree, ctx, DEBUG_PATH, cr_debug_keywords[d], "true")) {
			cr_set_err(err, errlen, "cannot set %s",
				   cr_debug_keywords[d]);
			return -1;
		}
	for (size_t i = 0; i < c->n; i++)
		if (instance_to_tree(&c->inst[i], ctx, tree)) {
			const struct ly_err_item *e = ly_err_last(ctx);

			cr_set_err(
				err, errlen,
				"the running configuration of %s instance %s does not fit the model: %s",
				c->inst[i].daemon == CR_BGPD ? "bgp" : "isis",
				c->inst[i].tag, e ? e->msg : "?");
			lyd_free_all(*tree);
			*tree = NULL;
			return -1;
		}
	return 0;
}

const char *cr_leaf(const struct lyd_node *parent, const char *path)
{
	struct lyd_node *n = NULL;

	if (lyd_find_path(parent, path, 0, &n) != LY_SUCCESS || !n)
		return NULL;
	return lyd_get_value(n);
}

uint32_t cr_leaf_u32(const struct lyd_node *parent, const char *path,
		     uint32_t dflt)
{
	const char *v = cr_leaf(parent, path);

	return v ? (uint32_t)strtoul(v, NULL, 10) : dflt;
}

void cr_leaf_str(const struct lyd_node *parent, const char *path, char *buf,
		 size_t len)
{
	const char *v = cr_leaf(parent, path);

	snprintf(buf, len, "%s", v ? v : "");
}

int cr_compute_from_tree(struct cr_instance *ci, const struct lyd_node *cr)
{
	const struct lyd_node *n;
	struct lyd_node *ex = NULL;

	ci->enabled = true;
	ci->app_id = cr_leaf_u32(cr, "application-id", CR_DEFAULT_APP_ID);
	cr_leaf_str(cr, "report-socket", ci->report_socket,
		    sizeof(ci->report_socket));
	for (size_t i = 0; i < NLEAVES(u32_leaves); i++) {
		uint32_t *f = leaf_field(ci, &u32_leaves[i]);

		*f = cr_leaf_u32(cr, u32_leaves[i].path, *f);
	}
	ci->hyst_pct = cr_leaf_u32(cr, "hysteresis/percent", 0);
	ci->hyst_abs = cr_leaf_u32(cr, "hysteresis/absolute", 0);
	if (lyd_find_path(cr, "export", 0, &ex) == LY_SUCCESS && ex) {
		ci->export = true;
		cr_leaf_str(ex, "socket", ci->ex_socket, sizeof(ci->ex_socket));
		cr_leaf_str(ex, "key", ci->ex_key, sizeof(ci->ex_key));
		cr_leaf_str(ex, "spool", ci->ex_spool, sizeof(ci->ex_spool));
	}
	LY_LIST_FOR (lyd_child(cr), n) {
		struct cr_service *s;
		const char *price;

		if (!strcmp(n->schema->name, "as-scope") &&
		    ci->nscope < CR_SCOPE_MAX)
			ci->scope[ci->nscope++] =
				strtoul(lyd_get_value(n), NULL, 10);
		if (strcmp(n->schema->name, "service"))
			continue;
		if (!(s = cr_service_add(ci)))
			return -1;
		cr_leaf_str(n, "prefix", s->prefix, sizeof(s->prefix));
		s->capacity = cr_leaf_u32(n, "capacity", 0);
		s->available = cr_leaf_u32(n, "available", 0);
		price = cr_leaf(n, "price");
		if (price && !cfn_price_parse(price, &s->price_milli))
			return -1;
		cr_leaf_str(n, "site", s->site, sizeof(s->site));
	}
	return 0;
}

int cr_config_from_tree(struct cr_config *c, const struct lyd_node *tree,
			char *err, size_t errlen)
{
	const struct lyd_node *top, *inst;

	memset(c, 0, sizeof(*c));
	LY_LIST_FOR (tree, top) {
		if (!strcmp(top->schema->name, "routing") &&
		    !strcmp(top->schema->module->name, "frr-routing")) {
			if (cr_bgp_config_from_tree(c, top))
				goto oom;
			continue;
		}
		if (strcmp(top->schema->name, "isis") ||
		    strcmp(top->schema->module->name, "frr-isisd"))
			continue;
		for (size_t d = 0; d < CR_NDEBUGS; d++) {
			char rel[64];
			const char *v;

			snprintf(rel, sizeof(rel), "frr-cfn:compute-debug/%s",
				 cr_debug_keywords[d]);
			v = cr_leaf(top, rel);
			c->debug[d] = v && !strcmp(v, "true");
		}
		LY_LIST_FOR (lyd_child(top), inst) {
			struct lyd_node *cr = NULL;
			struct cr_instance *ci;
			char tag[64], vrf[64];

			if (strcmp(inst->schema->name, "instance"))
				continue;
			cr_leaf_str(inst, "area-tag", tag, sizeof(tag));
			cr_leaf_str(inst, "vrf", vrf, sizeof(vrf));
			if (!(ci = cr_instance_add(c, tag, vrf)))
				goto oom;
			if (lyd_find_path(inst, CR, 0, &cr) == LY_SUCCESS &&
			    cr && cr_compute_from_tree(ci, cr))
				goto oom;
		}
	}
	return 0;
oom:
	cr_set_err(err, errlen, "out of memory");
	cr_config_free(c);
	return -1;
}
