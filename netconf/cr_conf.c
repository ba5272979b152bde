// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_conf.h"

#define CR "frr-cfn:compute-routing"

static void instance_defaults(struct cr_instance *ci)
{
	ci->app_id = CR_DEFAULT_APP_ID;
	/* lib/metric.c and lib/damping.c defaults, also the YANG defaults */
	ci->metric = (struct cr_metric){10, 100, 1000000, 95, 1};
	ci->damping = (struct cr_damping){10, 0, 1000, 30000, 10000, 3, 10000};
}

static const struct cr_metric metric_default = {10, 100, 1000000, 95, 1};
static const struct cr_damping damping_default = {10,	 0, 1000, 30000,
						  10000, 3, 10000};

void cr_config_free(struct cr_config *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->inst[i].svc);
	free(c->inst);
	c->inst = NULL;
	c->n = 0;
}

static struct cr_instance *add_instance(struct cr_config *c, const char *tag,
					const char *vrf)
{
	struct cr_instance *v = realloc(c->inst, (c->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	c->inst = v;
	v = &c->inst[c->n++];
	memset(v, 0, sizeof(*v));
	snprintf(v->tag, sizeof(v->tag), "%s", tag);
	snprintf(v->vrf, sizeof(v->vrf), "%s", vrf);
	instance_defaults(v);
	return v;
}

static struct cr_service *add_service(struct cr_instance *ci)
{
	struct cr_service *v = realloc(ci->svc, (ci->nsvc + 1) * sizeof(*v));

	if (!v)
		return NULL;
	ci->svc = v;
	v = &ci->svc[ci->nsvc++];
	memset(v, 0, sizeof(*v));
	return v;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* -- decimals: price is tokens with up to three decimals -------------- */

static int parse_milli(const char *s, uint32_t *out)
{
	uint64_t v = 0, frac = 0;
	int digits = 0;

	if (!*s)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((v = v * 10 + (*s - '0')) > UINT32_MAX)
			return -1;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (++digits <= 3)
				frac = frac * 10 + (*s - '0');
			else if (*s != '0')
				return -1;
		}
	}
	if (*s)
		return -1;
	for (; digits < 3; digits++)
		frac *= 10;
	v = v * 1000 + frac;
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static void print_milli(char *buf, size_t len, uint32_t milli)
{
	if (milli % 1000 == 0) {
		snprintf(buf, len, "%u", milli / 1000);
		return;
	}
	snprintf(buf, len, "%u.%03u", milli / 1000, milli % 1000);
	/* "2.500" -> "2.5": the form the CLI and YANG canonically use */
	for (size_t n = strlen(buf); buf[n - 1] == '0'; n--)
		buf[n - 1] = '\0';
}

/* -- running configuration -------------------------------------------- */

#define MAXTOK 24

static int tokenize(char *line, char **tok)
{
	int n = 0;

	for (char *t = strtok(line, " \t"); t && n < MAXTOK;
	     t = strtok(NULL, " \t"))
		tok[n++] = t;
	return n;
}

static const char *kv(char **tok, int n, int from, const char *key)
{
	for (int i = from; i + 1 < n; i += 2)
		if (strcmp(tok[i], key) == 0)
			return tok[i + 1];
	return NULL;
}

static uint32_t kv_u32(char **tok, int n, int from, const char *key,
		       uint32_t dflt)
{
	const char *v = kv(tok, n, from, key);

	return v ? (uint32_t)strtoul(v, NULL, 10) : dflt;
}

static int parse_compute_line(struct cr_instance *ci, char *line, char *err,
			      size_t errlen)
{
	char *tok[MAXTOK];
	int n = tokenize(line, tok);
	const char *v;

	if (n == 0)
		return 0;
	if (!strcmp(tok[0], "application-id") && n == 2) {
		ci->app_id = strtoul(tok[1], NULL, 10);
	} else if (!strcmp(tok[0], "report-socket") && n == 2) {
		snprintf(ci->report_socket, sizeof(ci->report_socket), "%s",
			 tok[1]);
	} else if (!strcmp(tok[0], "hysteresis")) {
		ci->hyst_pct = kv_u32(tok, n, 1, "percent", 0);
		ci->hyst_abs = kv_u32(tok, n, 1, "absolute", 0);
	} else if (!strcmp(tok[0], "metric-function")) {
		struct cr_metric *m = &ci->metric;

		m->base = kv_u32(tok, n, 1, "base", m->base);
		m->scale = kv_u32(tok, n, 1, "scale", m->scale);
		m->max = kv_u32(tok, n, 1, "max", m->max);
		m->max_util = kv_u32(tok, n, 1, "max-utilization", m->max_util);
		m->min_avail = kv_u32(tok, n, 1, "min-available", m->min_avail);
	} else if (!strcmp(tok[0], "damping")) {
		struct cr_damping *d = &ci->damping;

		d->pct = kv_u32(tok, n, 1, "threshold-percent", d->pct);
		d->abs = kv_u32(tok, n, 1, "threshold-absolute", d->abs);
		d->min_int = kv_u32(tok, n, 1, "min-interval", d->min_int);
		d->max_int = kv_u32(tok, n, 1, "max-interval", d->max_int);
		d->window = kv_u32(tok, n, 1, "flap-window", d->window);
		d->flaps = kv_u32(tok, n, 1, "flap-threshold", d->flaps);
		d->decay = kv_u32(tok, n, 1, "decay", d->decay);
	} else if (!strcmp(tok[0], "export")) {
		ci->export = true;
		snprintf(ci->ex_socket, sizeof(ci->ex_socket), "%s",
			 (v = kv(tok, n, 1, "socket")) ? v : "");
		snprintf(ci->ex_key, sizeof(ci->ex_key), "%s",
			 (v = kv(tok, n, 1, "key")) ? v : "");
		snprintf(ci->ex_spool, sizeof(ci->ex_spool), "%s",
			 (v = kv(tok, n, 1, "spool")) ? v : "");
	} else if (!strcmp(tok[0], "service") && n >= 6) {
		struct cr_service *s = add_service(ci);

		if (!s) {
			set_err(err, errlen, "out of memory");
			return -1;
		}
		snprintf(s->prefix, sizeof(s->prefix), "%s", tok[1]);
		s->capacity = kv_u32(tok, n, 2, "capacity", 0);
		s->available = kv_u32(tok, n, 2, "available", 0);
		if ((v = kv(tok, n, 2, "price")) &&
		    parse_milli(v, &s->price_milli)) {
			set_err(err, errlen,
				"unreadable price '%s' in the running configuration",
				v);
			return -1;
		}
		snprintf(s->site, sizeof(s->site), "%s",
			 (v = kv(tok, n, 2, "site")) ? v : "");
	}
	/* anything else is a knob this server does not know: left alone */
	return 0;
}

int cr_config_from_running(struct cr_config *c, const char *text, char *err,
			   size_t errlen)
{
	char *copy = strdup(text), *save = NULL;
	struct cr_instance *ci = NULL;
	bool in_compute = false;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (!copy) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	for (char *line = strtok_r(copy, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save)) {
		char tag[64], vrf[64];
		int n;

		if (line[0] != ' ') {
			/* a top-level line ends any router isis block */
			ci = NULL;
			in_compute = false;
			n = sscanf(line, "router isis %63s vrf %63s", tag, vrf);
			if (n >= 1) {
				ci = add_instance(c, tag,
						  n == 2 ? vrf : "default");
				if (!ci) {
					set_err(err, errlen, "out of memory");
					rc = -1;
				}
			}
			continue;
		}
		if (!ci)
			continue;
		if (!strcmp(line, " compute-routing")) {
			ci->enabled = in_compute = true;
			continue;
		}
		if (line[1] != ' ') {
			in_compute = false;
			continue;
		}
		if (in_compute)
			rc = parse_compute_line(ci, line + 2, err, errlen);
	}
	free(copy);
	if (rc)
		cr_config_free(c);
	return rc;
}

/* -- YANG tree ---------------------------------------------------------- */

void cr_instance_path(const struct cr_instance *ci, char *buf, size_t len)
{
	snprintf(buf, len, "/frr-isisd:isis/instance[area-tag='%s'][vrf='%s']",
		 ci->tag, ci->vrf);
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

static int instance_to_tree(const struct cr_instance *ci,
			    const struct ly_ctx *ctx, struct lyd_node **tree)
{
	char ip[256], base[512], rel[256], price[32];
	int rc = 0;

	cr_instance_path(ci, ip, sizeof(ip));
	if (!ci->enabled) {
		/* the keys alone: the instance exists, without compute */
		return lyd_new_path(*tree, ctx, ip, NULL, 0,
				    *tree ? NULL : tree) == LY_SUCCESS
			       ? 0
			       : -1;
	}
	snprintf(base, sizeof(base), "%s/" CR, ip);
	rc |= lyd_new_path(*tree, ctx, base, NULL, 0, *tree ? NULL : tree) !=
	      LY_SUCCESS;
	if (ci->app_id != CR_DEFAULT_APP_ID)
		rc |= put_u32(tree, ctx, base, "application-id", ci->app_id);
	if (ci->report_socket[0])
		rc |= put(tree, ctx, base, "report-socket", ci->report_socket);
	if (memcmp(&ci->metric, &metric_default, sizeof(metric_default))) {
		const struct cr_metric *m = &ci->metric;

		rc |= put_u32(tree, ctx, base, "metric-function/base", m->base);
		rc |= put_u32(tree, ctx, base, "metric-function/scale",
			      m->scale);
		rc |= put_u32(tree, ctx, base, "metric-function/max", m->max);
		rc |= put_u32(tree, ctx, base,
			      "metric-function/max-utilization", m->max_util);
		rc |= put_u32(tree, ctx, base, "metric-function/min-available",
			      m->min_avail);
	}
	if (memcmp(&ci->damping, &damping_default, sizeof(damping_default))) {
		const struct cr_damping *d = &ci->damping;

		rc |= put_u32(tree, ctx, base, "damping/threshold-percent",
			      d->pct);
		rc |= put_u32(tree, ctx, base, "damping/threshold-absolute",
			      d->abs);
		rc |= put_u32(tree, ctx, base, "damping/min-interval",
			      d->min_int);
		rc |= put_u32(tree, ctx, base, "damping/max-interval",
			      d->max_int);
		rc |= put_u32(tree, ctx, base, "damping/flap-window",
			      d->window);
		rc |= put_u32(tree, ctx, base, "damping/flap-threshold",
			      d->flaps);
		rc |= put_u32(tree, ctx, base, "damping/decay", d->decay);
	}
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
			print_milli(price, sizeof(price), s->price_milli);
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

int cr_config_to_tree(const struct cr_config *c, const struct ly_ctx *ctx,
		      struct lyd_node **tree, char *err, size_t errlen)
{
	*tree = NULL;
	for (size_t i = 0; i < c->n; i++)
		if (instance_to_tree(&c->inst[i], ctx, tree)) {
			const struct ly_err_item *e = ly_err_last(ctx);

			set_err(err, errlen,
				"the running configuration of isis instance %s does not fit the model: %s",
				c->inst[i].tag, e ? e->msg : "?");
			lyd_free_all(*tree);
			*tree = NULL;
			return -1;
		}
	return 0;
}

static const char *leaf(const struct lyd_node *parent, const char *path)
{
	struct lyd_node *n = NULL;

	if (lyd_find_path(parent, path, 0, &n) != LY_SUCCESS || !n)
		return NULL;
	return lyd_get_value(n);
}

static uint32_t leaf_u32(const struct lyd_node *parent, const char *path,
			 uint32_t dflt)
{
	const char *v = leaf(parent, path);

	return v ? (uint32_t)strtoul(v, NULL, 10) : dflt;
}

static void leaf_str(const struct lyd_node *parent, const char *path, char *buf,
		     size_t len)
{
	const char *v = leaf(parent, path);

	snprintf(buf, len, "%s", v ? v : "");
}

static int compute_from_tree(struct cr_instance *ci, const struct lyd_node *cr)
{
	const struct lyd_node *n;
	struct lyd_node *ex = NULL;
	struct cr_metric *m = &ci->metric;
	struct cr_damping *d = &ci->damping;

	ci->enabled = true;
	ci->app_id = leaf_u32(cr, "application-id", CR_DEFAULT_APP_ID);
	leaf_str(cr, "report-socket", ci->report_socket,
		 sizeof(ci->report_socket));
	m->base = leaf_u32(cr, "metric-function/base", m->base);
	m->scale = leaf_u32(cr, "metric-function/scale", m->scale);
	m->max = leaf_u32(cr, "metric-function/max", m->max);
	m->max_util =
		leaf_u32(cr, "metric-function/max-utilization", m->max_util);
	m->min_avail =
		leaf_u32(cr, "metric-function/min-available", m->min_avail);
	d->pct = leaf_u32(cr, "damping/threshold-percent", d->pct);
	d->abs = leaf_u32(cr, "damping/threshold-absolute", d->abs);
	d->min_int = leaf_u32(cr, "damping/min-interval", d->min_int);
	d->max_int = leaf_u32(cr, "damping/max-interval", d->max_int);
	d->window = leaf_u32(cr, "damping/flap-window", d->window);
	d->flaps = leaf_u32(cr, "damping/flap-threshold", d->flaps);
	d->decay = leaf_u32(cr, "damping/decay", d->decay);
	ci->hyst_pct = leaf_u32(cr, "hysteresis/percent", 0);
	ci->hyst_abs = leaf_u32(cr, "hysteresis/absolute", 0);
	if (lyd_find_path(cr, "export", 0, &ex) == LY_SUCCESS && ex) {
		ci->export = true;
		leaf_str(ex, "socket", ci->ex_socket, sizeof(ci->ex_socket));
		leaf_str(ex, "key", ci->ex_key, sizeof(ci->ex_key));
		leaf_str(ex, "spool", ci->ex_spool, sizeof(ci->ex_spool));
	}
	LY_LIST_FOR (lyd_child(cr), n) {
		struct cr_service *s;
		const char *price;

		if (strcmp(n->schema->name, "service"))
			continue;
		if (!(s = add_service(ci)))
			return -1;
		leaf_str(n, "prefix", s->prefix, sizeof(s->prefix));
		s->capacity = leaf_u32(n, "capacity", 0);
		s->available = leaf_u32(n, "available", 0);
		price = leaf(n, "price");
		if (price && parse_milli(price, &s->price_milli))
			return -1;
		leaf_str(n, "site", s->site, sizeof(s->site));
	}
	return 0;
}

int cr_config_from_tree(struct cr_config *c, const struct lyd_node *tree,
			char *err, size_t errlen)
{
	const struct lyd_node *top, *inst;

	memset(c, 0, sizeof(*c));
	LY_LIST_FOR (tree, top) {
		if (strcmp(top->schema->name, "isis") ||
		    strcmp(top->schema->module->name, "frr-isisd"))
			continue;
		LY_LIST_FOR (lyd_child(top), inst) {
			struct lyd_node *cr = NULL;
			struct cr_instance *ci;
			char tag[64], vrf[64];

			if (strcmp(inst->schema->name, "instance"))
				continue;
			leaf_str(inst, "area-tag", tag, sizeof(tag));
			leaf_str(inst, "vrf", vrf, sizeof(vrf));
			if (!(ci = add_instance(c, tag, vrf)))
				goto oom;
			if (lyd_find_path(inst, CR, 0, &cr) == LY_SUCCESS &&
			    cr && compute_from_tree(ci, cr))
				goto oom;
		}
	}
	return 0;
oom:
	set_err(err, errlen, "out of memory");
	cr_config_free(c);
	return -1;
}

/* -- commands ----------------------------------------------------------- */

static int emit(struct cr_cmds *out, const struct cr_instance *ci,
		const char *rel, const char *fmt, ...)
{
	struct cr_cmd *v = realloc(out->v, (out->n + 1) * sizeof(*v));
	char ip[256];
	va_list ap;

	if (!v)
		return -1;
	out->v = v;
	v = &out->v[out->n++];
	v->inst = ci;
	va_start(ap, fmt);
	vsnprintf(v->line, sizeof(v->line), fmt, ap);
	va_end(ap);
	cr_instance_path(ci, ip, sizeof(ip));
	snprintf(v->path, sizeof(v->path), "%s/" CR "%s%s", ip, *rel ? "/" : "",
		 rel);
	return 0;
}

void cr_cmds_free(struct cr_cmds *cmds)
{
	free(cmds->v);
	cmds->v = NULL;
	cmds->n = 0;
}

static const struct cr_service *find_service(const struct cr_instance *ci,
					     const char *prefix)
{
	for (size_t i = 0; i < ci->nsvc; i++)
		if (!strcmp(ci->svc[i].prefix, prefix))
			return &ci->svc[i];
	return NULL;
}

static const struct cr_instance *find_instance(const struct cr_config *c,
					       const struct cr_instance *like)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->inst[i].tag, like->tag) &&
		    !strcmp(c->inst[i].vrf, like->vrf))
			return &c->inst[i];
	return NULL;
}

static int diff_instance(const struct cr_instance *a,
			 const struct cr_instance *b, struct cr_cmds *out)
{
	int rc = 0;
	char rel[128], price[32];

	if (!b->enabled) {
		if (a->enabled)
			rc |= emit(out, b, "", "no compute-routing");
		return rc;
	}
	/* Always first: it moves the session into the node (and turns
	 * compute routing on if it was off). */
	rc |= emit(out, b, "", "compute-routing");
	for (size_t i = 0; a->enabled && i < a->nsvc; i++)
		if (!find_service(b, a->svc[i].prefix)) {
			snprintf(rel, sizeof(rel), "service[prefix='%s']",
				 a->svc[i].prefix);
			rc |= emit(out, b, rel, "no service %s",
				   a->svc[i].prefix);
		}
	if (a->app_id != b->app_id)
		rc |= b->app_id == CR_DEFAULT_APP_ID
			      ? emit(out, b, "application-id",
				     "no application-id")
			      : emit(out, b, "application-id",
				     "application-id %u", b->app_id);
	if (strcmp(a->report_socket, b->report_socket))
		rc |= b->report_socket[0]
			      ? emit(out, b, "report-socket",
				     "report-socket %s", b->report_socket)
			      : emit(out, b, "report-socket",
				     "no report-socket");
	if (memcmp(&a->metric, &b->metric, sizeof(a->metric)))
		rc |= !memcmp(&b->metric, &metric_default, sizeof(b->metric))
			      ? emit(out, b, "metric-function",
				     "no metric-function")
			      : emit(out, b, "metric-function",
				     "metric-function base %u scale %u max %u max-utilization %u min-available %u",
				     b->metric.base, b->metric.scale,
				     b->metric.max, b->metric.max_util,
				     b->metric.min_avail);
	if (memcmp(&a->damping, &b->damping, sizeof(a->damping)))
		rc |= !memcmp(&b->damping, &damping_default, sizeof(b->damping))
			      ? emit(out, b, "damping", "no damping")
			      : emit(out, b, "damping",
				     "damping threshold-percent %u threshold-absolute %u min-interval %u max-interval %u flap-window %u flap-threshold %u decay %u",
				     b->damping.pct, b->damping.abs,
				     b->damping.min_int, b->damping.max_int,
				     b->damping.window, b->damping.flaps,
				     b->damping.decay);
	if (a->hyst_pct != b->hyst_pct || a->hyst_abs != b->hyst_abs)
		rc |= b->hyst_pct || b->hyst_abs
			      ? emit(out, b, "hysteresis",
				     "hysteresis percent %u absolute %u",
				     b->hyst_pct, b->hyst_abs)
			      : emit(out, b, "hysteresis", "no hysteresis");
	for (size_t i = 0; i < b->nsvc; i++) {
		const struct cr_service *s = &b->svc[i];
		const struct cr_service *o =
			a->enabled ? find_service(a, s->prefix) : NULL;
		char tail[128] = "";

		if (o && !memcmp(o, s, sizeof(*s)))
			continue;
		if (s->price_milli) {
			print_milli(price, sizeof(price), s->price_milli);
			snprintf(tail, sizeof(tail), " price %s", price);
		}
		if (s->site[0])
			snprintf(tail + strlen(tail),
				 sizeof(tail) - strlen(tail), " site %s",
				 s->site);
		snprintf(rel, sizeof(rel), "service[prefix='%s']", s->prefix);
		rc |= emit(out, b, rel, "service %s capacity %u available %u%s",
			   s->prefix, s->capacity, s->available, tail);
	}
	/* Last: the export client reads key files and may refuse them. */
	if (a->export != b->export || strcmp(a->ex_socket, b->ex_socket) ||
	    strcmp(a->ex_key, b->ex_key) || strcmp(a->ex_spool, b->ex_spool)) {
		if (!b->export)
			rc |= emit(out, b, "export", "no export");
		else if (b->ex_spool[0])
			rc |= emit(out, b, "export",
				   "export socket %s key %s spool %s",
				   b->ex_socket, b->ex_key, b->ex_spool);
		else
			rc |= emit(out, b, "export", "export socket %s key %s",
				   b->ex_socket, b->ex_key);
	}
	/* Nothing changed inside: the lone "compute-routing" is not needed. */
	if (a->enabled && out->n && out->v[out->n - 1].inst == b &&
	    !strcmp(out->v[out->n - 1].line, "compute-routing"))
		out->n--;
	return rc;
}

int cr_config_diff(const struct cr_config *from, const struct cr_config *to,
		   struct cr_cmds *out, char *err, size_t errlen,
		   char *err_path, size_t pathlen)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < to->n; i++)
		if (!find_instance(from, &to->inst[i])) {
			cr_instance_path(&to->inst[i], err_path, pathlen);
			set_err(err, errlen,
				"IS-IS instance '%s' (vrf %s) is not configured on this router; NETCONF manages compute-routing inside existing instances (create it with vtysh: router isis %s)",
				to->inst[i].tag, to->inst[i].vrf,
				to->inst[i].tag);
			return -1;
		}
	for (size_t i = 0; i < from->n; i++) {
		const struct cr_instance *b = find_instance(to, &from->inst[i]);

		if (!b) {
			cr_instance_path(&from->inst[i], err_path, pathlen);
			set_err(err, errlen,
				"IS-IS instance '%s' cannot be deleted over NETCONF; delete its compute-routing instead",
				from->inst[i].tag);
			return -1;
		}
		if (diff_instance(&from->inst[i], b, out)) {
			set_err(err, errlen, "out of memory");
			cr_cmds_free(out);
			return -1;
		}
	}
	return 0;
}
