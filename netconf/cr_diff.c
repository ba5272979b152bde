// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_conf.h"
#include "price.h"


/* The vty commands between two configurations. */

static int emit(struct cr_cmds *out, const struct cr_instance *ci,
		const char *rel, const char *fmt, ...)
{
	struct cr_cmd *v = realloc(out->v, (out->n + 1) * sizeof(*v));
	va_list ap;

	if (!v)
		return -1;
	out->v = v;
	v = &out->v[out->n++];
	v->inst = ci;
	v->af = false;
	va_start(ap, fmt);
	vsnprintf(v->line, sizeof(v->line), fmt, ap);
	va_end(ap);
	if (!ci) {
		snprintf(v->path, sizeof(v->path),
			 "/frr-isisd:isis/frr-cfn:compute-debug/%s", rel);
		return 0;
	}
	cr_node_path(ci, rel, v->path, sizeof(v->path));
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
		if (c->inst[i].daemon == like->daemon &&
		    !strcmp(c->inst[i].tag, like->tag) &&
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
		rc |= !memcmp(&b->metric, &cr_metric_default, sizeof(b->metric))
			      ? emit(out, b, "metric-function",
				     "no metric-function")
			      : emit(out, b, "metric-function",
				     "metric-function base %u scale %u max %u max-utilization %u min-available %u",
				     b->metric.base, b->metric.scale,
				     b->metric.max, b->metric.max_util,
				     b->metric.min_avail);
	if (memcmp(&a->damping, &b->damping, sizeof(a->damping)))
		rc |= !memcmp(&b->damping, &cr_damping_default,
			      sizeof(b->damping))
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
	if (a->nscope != b->nscope ||
	    memcmp(a->scope, b->scope, b->nscope * sizeof(b->scope[0]))) {
		char list[CR_SCOPE_MAX * 11 + 1] = "";

		for (size_t i = 0; i < b->nscope; i++)
			snprintf(list + strlen(list),
				 sizeof(list) - strlen(list), " %u",
				 b->scope[i]);
		rc |= b->nscope ? emit(out, b, "as-scope", "as-scope%s", list)
				: emit(out, b, "as-scope", "no as-scope");
	}
	for (size_t i = 0; i < b->nsvc; i++) {
		const struct cr_service *s = &b->svc[i];
		const struct cr_service *o =
			a->enabled ? find_service(a, s->prefix) : NULL;
		char tail[128] = "";

		if (o && !memcmp(o, s, sizeof(*s)))
			continue;
		if (s->price_milli) {
			cfn_price_str(s->price_milli, price, sizeof(price));
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
	if (a->export != b->export ||
	    (b->export && (strcmp(a->ex_socket, b->ex_socket) ||
			   strcmp(a->ex_key, b->ex_key) ||
			   strcmp(a->ex_spool, b->ex_spool)))) {
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

static const char *daemon_name(const struct cr_instance *ci)
{
	return ci->daemon == CR_BGPD ? "BGP" : "IS-IS";
}

static void neighbor_path(const struct cr_instance *ci, const char *addr,
			  char *buf, size_t len)
{
	char ip[256];

	cr_instance_path(ci, ip, sizeof(ip));
	snprintf(
		buf, len,
		"%s/neighbors/neighbor[remote-address='%s']/afi-safis/afi-safi[afi-safi-name='frr-routing:ipv4-unicast']/ipv4-unicast/frr-cfn:compute-metadata",
		ip, addr);
}

/*
 * "neighbor X compute-metadata" between A and B.  The neighbors themselves
 * are bgpd's: one NETCONF adds or removes is refused (-1, err and err_path).
 */
static int diff_neighbors(const struct cr_instance *a,
			  const struct cr_instance *b, struct cr_cmds *out,
			  char *err, size_t errlen, char *err_path,
			  size_t pathlen)
{
	for (size_t i = 0; i < a->nnbr; i++)
		if (!cr_neighbor_find(b, a->nbr[i].addr)) {
			neighbor_path(a, a->nbr[i].addr, err_path, pathlen);
			cr_set_err(
				err, errlen,
				"BGP neighbor %s cannot be deleted over NETCONF; delete its compute-metadata instead",
				a->nbr[i].addr);
			return -1;
		}
	for (size_t i = 0; i < b->nnbr; i++) {
		const struct cr_neighbor *nb = &b->nbr[i];
		const struct cr_neighbor *o = cr_neighbor_find(a, nb->addr);

		if (!o || strcmp(o->remote_as, nb->remote_as)) {
			neighbor_path(b, nb->addr, err_path, pathlen);
			cr_set_err(
				err, errlen,
				"BGP neighbor %s is not configured so in AS %s; NETCONF manages its compute-metadata only (configure it with vtysh: neighbor %s remote-as ...)",
				nb->addr, b->tag, nb->addr);
			return -1;
		}
		if (o->metadata == nb->metadata)
			continue;
		if (emit(out, b, "", "%sneighbor %s compute-metadata",
			 nb->metadata ? "" : "no ", nb->addr)) {
			cr_set_err(err, errlen, "out of memory");
			return -1;
		}
		out->v[out->n - 1].af = true;
		neighbor_path(b, nb->addr, out->v[out->n - 1].path,
			      sizeof(out->v[out->n - 1].path));
	}
	return 0;
}

int cr_config_diff(const struct cr_config *from, const struct cr_config *to,
		   struct cr_cmds *out, char *err, size_t errlen,
		   char *err_path, size_t pathlen)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < to->n; i++)
		if (!find_instance(from, &to->inst[i])) {
			cr_instance_path(&to->inst[i], err_path, pathlen);
			cr_set_err(
				err, errlen,
				"%s instance '%s' (vrf %s) is not configured on this router; NETCONF manages compute-routing inside existing instances (create it with vtysh: router %s %s)",
				daemon_name(&to->inst[i]), to->inst[i].tag,
				to->inst[i].vrf,
				to->inst[i].daemon == CR_BGPD ? "bgp" : "isis",
				to->inst[i].tag);
			return -1;
		}
	for (size_t d = 0; d < CR_NDEBUGS; d++)
		if (from->debug[d] != to->debug[d] &&
		    emit(out, NULL, cr_debug_keywords[d],
			 "%sdebug isis compute %s", to->debug[d] ? "" : "no ",
			 cr_debug_keywords[d])) {
			cr_set_err(err, errlen, "out of memory");
			cr_cmds_free(out);
			return -1;
		}
	for (size_t i = 0; i < from->n; i++) {
		const struct cr_instance *b = find_instance(to, &from->inst[i]);

		if (!b) {
			cr_instance_path(&from->inst[i], err_path, pathlen);
			cr_set_err(
				err, errlen,
				"%s instance '%s' cannot be deleted over NETCONF; delete its compute-routing instead",
				daemon_name(&from->inst[i]), from->inst[i].tag);
			cr_cmds_free(out);
			return -1;
		}
		if (diff_instance(&from->inst[i], b, out)) {
			cr_set_err(err, errlen, "out of memory");
			cr_cmds_free(out);
			return -1;
		}
		if (diff_neighbors(&from->inst[i], b, out, err, errlen,
				   err_path, pathlen)) {
			cr_cmds_free(out);
			return -1;
		}
	}
	return 0;
}
