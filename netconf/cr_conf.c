// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_conf.h"
#include "price.h"

const char *const cr_debug_keywords[CR_NDEBUGS] = {
	"database", "advertise", "report", "routes", "export",
};

/* lib/metric.c and lib/damping.c defaults, also the YANG defaults */
const struct cr_metric cr_metric_default = {10, 100, 1000000, 95, 1};
const struct cr_damping cr_damping_default = {10,    0, 1000, 30000,
					      10000, 3, 10000};

static void instance_defaults(struct cr_instance *ci)
{
	ci->app_id = CR_DEFAULT_APP_ID;
	ci->metric = cr_metric_default;
	ci->damping = cr_damping_default;
}

void cr_instance_path(const struct cr_instance *ci, char *buf, size_t len)
{
	if (ci->daemon == CR_BGPD)
		snprintf(
			buf, len,
			"/frr-routing:routing/control-plane-protocols/control-plane-protocol[type='frr-bgp:bgp'][name='main'][vrf='%s']/frr-bgp:bgp",
			ci->vrf);
	else
		snprintf(buf, len,
			 "/frr-isisd:isis/instance[area-tag='%s'][vrf='%s']",
			 ci->tag, ci->vrf);
}

void cr_node_path(const struct cr_instance *ci, const char *rel, char *buf,
		  size_t len)
{
	char ip[256];

	cr_instance_path(ci, ip, sizeof(ip));
	snprintf(buf, len, "%s/" CR "%s%s", ip, *rel ? "/" : "", rel);
}

void cr_config_free(struct cr_config *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->inst[i].svc);
		free(c->inst[i].nbr);
	}
	free(c->inst);
	c->inst = NULL;
	c->n = 0;
}

struct cr_instance *cr_instance_add(struct cr_config *c, const char *tag,
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

struct cr_service *cr_service_add(struct cr_instance *ci)
{
	struct cr_service *v = realloc(ci->svc, (ci->nsvc + 1) * sizeof(*v));

	if (!v)
		return NULL;
	ci->svc = v;
	v = &ci->svc[ci->nsvc++];
	memset(v, 0, sizeof(*v));
	return v;
}

struct cr_neighbor *cr_neighbor_find(const struct cr_instance *ci,
				     const char *addr)
{
	for (size_t i = 0; i < ci->nnbr; i++)
		if (!strcmp(ci->nbr[i].addr, addr))
			return &ci->nbr[i];
	return NULL;
}

/* The neighbor ADDR of CI, added if it is new. */
struct cr_neighbor *cr_neighbor_add(struct cr_instance *ci, const char *addr)
{
	struct cr_neighbor *v = cr_neighbor_find(ci, addr);

	if (v)
		return v;
	v = realloc(ci->nbr, (ci->nnbr + 1) * sizeof(*v));
	if (!v)
		return NULL;
	ci->nbr = v;
	v = &ci->nbr[ci->nnbr++];
	memset(v, 0, sizeof(*v));
	snprintf(v->addr, sizeof(v->addr), "%s", addr);
	return v;
}

void cr_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
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

int cr_parse_compute_line(struct cr_instance *ci, char *line, char *err,
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
	} else if (!strcmp(tok[0], "as-scope")) {
		/* bgpd only; the tokenizer's limit is above CR_SCOPE_MAX + 1 */
		for (int i = 1; i < n && ci->nscope < CR_SCOPE_MAX; i++)
			ci->scope[ci->nscope++] = strtoul(tok[i], NULL, 10);
	} else if (!strcmp(tok[0], "service") && n >= 6) {
		struct cr_service *s = cr_service_add(ci);

		if (!s) {
			cr_set_err(err, errlen, "out of memory");
			return -1;
		}
		snprintf(s->prefix, sizeof(s->prefix), "%s", tok[1]);
		s->capacity = kv_u32(tok, n, 2, "capacity", 0);
		s->available = kv_u32(tok, n, 2, "available", 0);
		if ((v = kv(tok, n, 2, "price")) &&
		    !cfn_price_parse(v, &s->price_milli)) {
			cr_set_err(
				err, errlen,
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
		cr_set_err(err, errlen, "out of memory");
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
			for (size_t d = 0; d < CR_NDEBUGS; d++) {
				char want[64];

				snprintf(want, sizeof(want),
					 "debug isis compute %s",
					 cr_debug_keywords[d]);
				if (!strcmp(line, want))
					c->debug[d] = true;
			}
			n = sscanf(line, "router isis %63s vrf %63s", tag, vrf);
			if (n >= 1) {
				ci = cr_instance_add(c, tag,
						     n == 2 ? vrf : "default");
				if (!ci) {
					cr_set_err(err, errlen,
						   "out of memory");
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
			rc = cr_parse_compute_line(ci, line + 2, err, errlen);
	}
	free(copy);
	if (rc)
		cr_config_free(c);
	return rc;
}
