// SPDX-License-Identifier: GPL-2.0-or-later
#include <json-c/json.h>
#include <stdio.h>

#include "svc_show.h"

const char *cfn_svc_entry_str(const struct cfn_svc_entry *e, char *buf,
			      size_t buflen)
{
	char pfx[CFN_SVCPREFIX_STRLEN];
	size_t n = 0;

/* Appends while there is room; a short buffer just truncates the line. */
#define ADD(...)                                                               \
	do {                                                                   \
		if (n < buflen) {                                              \
			int k = snprintf(buf + n, buflen - n, __VA_ARGS__);    \
			n += k > 0 ? (size_t)k : 0;                            \
		}                                                              \
	} while (0)

	if (!buflen)
		return buf;
	buf[0] = '\0';
	ADD("%s", cfn_svc_prefix_str(&e->prefix, pfx, sizeof(pfx)));
	if (e->metric == CFN_METRIC_INELIGIBLE)
		ADD(" metric not-eligible");
	else
		ADD(" metric %u", e->metric);
	if (e->present & CFN_SE_CAP_TOTAL)
		ADD(" total %u", e->cap_total);
	if (e->present & CFN_SE_CAP_AVAIL)
		ADD(" available %u", e->cap_avail);
	if (e->present & CFN_SE_CPU)
		ADD(" cpu %u%%", e->cpu_pct);
	if (e->present & CFN_SE_MEM)
		ADD(" mem %u%%", e->mem_pct);
	if (e->present & CFN_SE_GPU)
		ADD(" gpu %u%%", e->gpu_pct);
	if (e->present & CFN_SE_SCORE)
		ADD(" score %u", e->score);
	if (e->present & CFN_SE_PRICE)
		ADD(" price %u.%03u", e->price_milli / 1000,
		    e->price_milli % 1000);
	if (e->present & CFN_SE_SITE)
		ADD(" site %s", e->site_id);
#undef ADD
	return buf;
}

static void add_u(struct json_object *o, const char *k, uint32_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

struct json_object *cfn_svc_entry_json(const struct cfn_svc_entry *e)
{
	char pfx[CFN_SVCPREFIX_STRLEN];
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "prefix",
			       json_object_new_string(cfn_svc_prefix_str(
				       &e->prefix, pfx, sizeof(pfx))));
	add_u(o, "metric", e->metric);
	json_object_object_add(
		o, "eligible",
		json_object_new_boolean(e->metric != CFN_METRIC_INELIGIBLE));
	if (e->present & CFN_SE_CAP_TOTAL)
		add_u(o, "capacityTotal", e->cap_total);
	if (e->present & CFN_SE_CAP_AVAIL)
		add_u(o, "capacityAvailable", e->cap_avail);
	if (e->present & CFN_SE_CPU)
		add_u(o, "cpuUtilization", e->cpu_pct);
	if (e->present & CFN_SE_MEM)
		add_u(o, "memUtilization", e->mem_pct);
	if (e->present & CFN_SE_GPU)
		add_u(o, "gpuUtilization", e->gpu_pct);
	if (e->present & CFN_SE_SCORE)
		add_u(o, "score", e->score);
	if (e->present & CFN_SE_PRICE)
		add_u(o, "priceMilliTokens", e->price_milli);
	if (e->present & CFN_SE_SITE)
		json_object_object_add(o, "siteId",
				       json_object_new_string(e->site_id));
	return o;
}
