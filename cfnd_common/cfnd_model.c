// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The model: instances and hosted services, and every way they change
 * (configuration, exec command, load report).  See cfnd_model.h.
 */
#include <zebra.h>

#include "log.h"
#include "memory.h"

#include "cfnd_load.h"
#include "cfnd_model.h"

DEFINE_MGROUP(CFND, "CFN compute routing");
DEFINE_MTYPE_STATIC(CFND, CFND_INSTANCE, "CFN compute instance");
DEFINE_MTYPE_STATIC(CFND, CFND_SERVICE, "CFN hosted service");

DEFINE_HOOK(cfnd_db_changed, (struct cfnd_instance * inst), (inst));

struct cfnd_instances_head cfnd_instances;
const struct cfnd_daemon_ops *cfnd_ops;

void cfnd_model_init(const struct cfnd_daemon_ops *ops)
{
	cfnd_ops = ops;
	cfnd_instances_init(&cfnd_instances);
}

static void service_free(struct cfnd_service *s)
{
	cfnd_load_fini(s);
	XFREE(MTYPE_CFND_SERVICE, s);
}

static void instance_reset(struct cfnd_instance *inst)
{
	struct cfnd_service *s;

	while ((s = cfnd_services_pop(&inst->services)))
		service_free(s);
	inst->app_id = cfnd_ops->default_app_id;
	cfn_metric_params_default(&inst->metric);
	cfn_damping_params_default(&inst->damping);
	inst->hysteresis_pct = 0;
	inst->hysteresis_abs = 0;
	inst->foreign_app_lsps = 0;
}

void cfnd_model_fini(void)
{
	struct cfnd_instance *inst;

	while ((inst = cfnd_instances_pop(&cfnd_instances))) {
		instance_reset(inst);
		cfnd_ops->instance_free(inst);
		XFREE(MTYPE_CFND_INSTANCE, inst);
	}
}

struct cfnd_instance *cfnd_instance_find(vrf_id_t vrf_id, const char *tag)
{
	struct cfnd_instance *inst;

	frr_each (cfnd_instances, &cfnd_instances, inst)
		if (inst->vrf_id == vrf_id && strcmp(inst->tag, tag) == 0)
			return inst;
	return NULL;
}

struct cfnd_instance *cfnd_instance_get(vrf_id_t vrf_id, const char *tag)
{
	struct cfnd_instance *inst = cfnd_instance_find(vrf_id, tag);

	if (inst)
		return inst;
	inst = XCALLOC(MTYPE_CFND_INSTANCE, sizeof(*inst));
	inst->vrf_id = vrf_id;
	strlcpy(inst->tag, tag, sizeof(inst->tag));
	cfnd_services_init(&inst->services);
	instance_reset(inst);
	inst->daemon = cfnd_ops->instance_new(inst);
	cfnd_instances_add_tail(&cfnd_instances, inst);
	return inst;
}

void cfnd_instance_enable(struct cfnd_instance *inst)
{
	if (inst->enabled)
		return;
	inst->enabled = true;
	cfnd_ops->instance_enable(inst, true);
	cfnd_ops->readvertise(inst);
}

/* Everything configured goes; the instance is freed, not kept empty. */
void cfnd_instance_disable(struct cfnd_instance *inst)
{
	bool was = inst->enabled;

	inst->enabled = false;
	instance_reset(inst);
	cfnd_ops->instance_enable(inst, false);
	inst->db_generation++;
	if (was)
		cfnd_ops->readvertise(inst);
	cfnd_instances_del(&cfnd_instances, inst);
	cfnd_ops->instance_free(inst);
	XFREE(MTYPE_CFND_INSTANCE, inst);
}

void cfnd_instance_db_changed(struct cfnd_instance *inst)
{
	inst->db_generation++;
	hook_call(cfnd_db_changed, inst);
}

void cfnd_instance_set_app_id(struct cfnd_instance *inst, uint16_t app_id)
{
	inst->app_id = app_id;
	inst->foreign_app_lsps = 0;
	/* received entries are re-read under the new id by the daemon part */
	cfnd_ops->instance_enable(inst, inst->enabled);
	cfnd_ops->readvertise(inst);
}

/* Re-evaluates every service after the metric or damping config changed. */
static void instance_reload(struct cfnd_instance *inst)
{
	struct cfnd_service *s;

	frr_each (cfnd_services, &inst->services, s) {
		cfn_damping_set_params(&s->damp, &inst->damping);
		cfnd_load_advertise_now(s);
	}
}

void cfnd_instance_set_metric(struct cfnd_instance *inst,
			      const struct cfn_metric_params *p)
{
	inst->metric = *p;
	instance_reload(inst);
}

void cfnd_instance_set_damping(struct cfnd_instance *inst,
			       const struct cfn_damping_params *p)
{
	inst->damping = *p;
	instance_reload(inst);
}

void cfnd_instance_set_hysteresis(struct cfnd_instance *inst, uint32_t pct,
				  uint64_t abs)
{
	inst->hysteresis_pct = pct;
	inst->hysteresis_abs = abs;
	cfnd_ops->hysteresis_changed(inst);
}

struct cfnd_service *cfnd_service_find(struct cfnd_instance *inst,
				       const struct cfn_svc_prefix *p)
{
	struct cfnd_service *s;

	frr_each (cfnd_services, &inst->services, s)
		if (cfn_svc_prefix_equal(&s->now.prefix, p))
			return s;
	return NULL;
}

int cfnd_service_prefix_check(const struct cfn_svc_prefix *p, char *err,
			      size_t errlen)
{
	struct cfn_svc_prefix m = *p;
	char buf[CFN_SVCPREFIX_STRLEN], mbuf[CFN_SVCPREFIX_STRLEN];
	const uint8_t *a = p->addr;
	const char *why = NULL;

	cfn_svc_prefix_mask(&m);
	if (!cfn_svc_prefix_equal(&m, p)) {
		snprintf(err, errlen, "%s has host bits set; did you mean %s?",
			 cfn_svc_prefix_str(p, buf, sizeof(buf)),
			 cfn_svc_prefix_str(&m, mbuf, sizeof(mbuf)));
		return -1;
	}
	if (p->plen == 0)
		why = "a default route";
	else if (p->afi == CFN_AFI_IPV4) {
		if (a[0] >= 224 && a[0] <= 239)
			why = "a multicast";
		else if (a[0] == 169 && a[1] == 254)
			why = "a link-local";
		else if (a[0] == 127)
			why = "a loopback";
		else if (p->plen < 4 && (a[0] & 0xf0) == 0xe0)
			why = "a multicast";
	} else {
		static const uint8_t lo[16] = {[15] = 1};

		if (a[0] == 0xff)
			why = "a multicast";
		else if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
			why = "a link-local";
		else if (p->plen == 128 && !memcmp(a, lo, 16))
			why = "a loopback";
	}
	if (why) {
		snprintf(err, errlen,
			 "%s is %s prefix, not a service's anycast prefix",
			 cfn_svc_prefix_str(p, buf, sizeof(buf)), why);
		return -1;
	}
	return 0;
}

/*
 * The entry conf would advertise is valid (site id, price) and, with all
 * the other services, fits what the daemon can advertise: otherwise only
 * this service is refused, the others stay as they are.
 */
static int service_check(struct cfnd_instance *inst,
			 const struct cfnd_service_conf *conf, char *err,
			 size_t errlen)
{
	size_t n = cfnd_services_count(&inst->services) + 1, k = 0;
	struct cfn_svc_entry *all = XCALLOC(MTYPE_TMP, n * sizeof(*all));
	struct cfn_svc_entry *e = &all[k++];
	struct cfnd_service *s;
	char why[160];
	int rc = 0;

	e->prefix = conf->prefix;
	e->present = CFN_SE_CAP_TOTAL | CFN_SE_CAP_AVAIL;
	e->cap_total = conf->capacity;
	e->cap_avail = conf->available;
	if (conf->price_milli) {
		e->present |= CFN_SE_PRICE;
		e->price_milli = conf->price_milli;
	}
	if (conf->site && conf->site[0]) {
		e->present |= CFN_SE_SITE;
		strlcpy(e->site_id, conf->site, sizeof(e->site_id));
	}
	if (cfn_svc_entry_validate(e, why, sizeof(why))) {
		snprintf(err, errlen, "service refused: %s", why);
		rc = -1;
		goto out;
	}
	frr_each (cfnd_services, &inst->services, s)
		if (!cfn_svc_prefix_equal(&s->now.prefix, &conf->prefix))
			cfnd_load_entry(s, s->adv.metric, &all[k++]);
	rc = cfnd_ops->services_fit(inst, all, k, err, errlen);
out:
	XFREE(MTYPE_TMP, all);
	return rc;
}

int cfnd_service_configure(struct cfnd_instance *inst,
			   const struct cfnd_service_conf *conf, char *err,
			   size_t errlen)
{
	char buf[CFN_SVCPREFIX_STRLEN];
	const char *site = conf->site ? conf->site : "";
	struct cfnd_service *s;
	bool described;

	cfn_svc_prefix_str(&conf->prefix, buf, sizeof(buf));
	if (conf->available > conf->capacity) {
		snprintf(err, errlen, "available %u exceeds capacity %u for %s",
			 conf->available, conf->capacity, buf);
		return -1;
	}
	if (strlen(site) > CFN_SITE_ID_MAX) {
		snprintf(err, errlen, "site id longer than %d characters",
			 CFN_SITE_ID_MAX);
		return -1;
	}
	if (cfnd_service_prefix_check(&conf->prefix, err, errlen))
		return -1;
	if (service_check(inst, conf, err, errlen))
		return -1;
	s = cfnd_service_find(inst, &conf->prefix);
	if (!s) {
		s = XCALLOC(MTYPE_CFND_SERVICE, sizeof(*s));
		s->now.prefix = conf->prefix;
		s->inst = inst;
		cfnd_load_init(s);
		cfnd_services_add_tail(&inst->services, s);
	}
	described = conf->price_milli != s->config_price_milli ||
		    strcmp(site, s->now.site_id) ||
		    conf->capacity != s->now.cap_total;
	s->now.cap_total = conf->capacity;
	s->now.cap_avail = s->config_available = conf->available;
	s->config_price_milli = conf->price_milli;
	strlcpy(s->now.site_id, site, sizeof(s->now.site_id));
	/* A new price, site or capacity is news in itself; a new available
	 * value is a load change like any other, subject to damping. */
	if (described || !s->advertised)
		cfnd_load_advertise_now(s);
	else
		cfnd_load_changed(s);
	return 0;
}

int cfnd_service_unconfigure(struct cfnd_instance *inst,
			     const struct cfn_svc_prefix *p, char *err,
			     size_t errlen)
{
	struct cfnd_service *s = cfnd_service_find(inst, p);
	char buf[CFN_SVCPREFIX_STRLEN];

	if (!s) {
		snprintf(err, errlen, "No service %s configured",
			 cfn_svc_prefix_str(p, buf, sizeof(buf)));
		return -1;
	}
	cfnd_services_del(&inst->services, s);
	service_free(s);
	cfnd_ops->readvertise(inst);
	return 0;
}

int cfnd_service_set_available(const char *tag, const struct cfn_svc_prefix *p,
			       uint32_t available, char *err, size_t errlen)
{
	char buf[CFN_SVCPREFIX_STRLEN];
	struct cfnd_instance *inst;
	int done = 0;

	cfn_svc_prefix_str(p, buf, sizeof(buf));
	frr_each (cfnd_instances, &cfnd_instances, inst) {
		struct cfnd_service *s;

		if (tag && strcmp(tag, inst->tag))
			continue;
		s = cfnd_service_find(inst, p);
		if (!s)
			continue;
		if (available > s->now.cap_total) {
			snprintf(err, errlen,
				 "available %u exceeds capacity %u of %s",
				 available, s->now.cap_total, buf);
			return -1;
		}
		s->now.cap_avail = available;
		cfnd_load_changed(s);
		done++;
	}
	if (!done) {
		snprintf(err, errlen, "service %s is not hosted here", buf);
		return -1;
	}
	return done;
}

int cfnd_apply_report(const struct cfn_report *r, char *err, size_t errlen)
{
	char buf[CFN_SVCPREFIX_STRLEN];
	struct cfnd_instance *inst;
	int found = 0;

	cfn_svc_prefix_str(&r->prefix, buf, sizeof(buf));
	frr_each (cfnd_instances, &cfnd_instances, inst) {
		struct cfnd_service *s;
		uint32_t total;
		bool news;

		if (!inst->enabled ||
		    !(s = cfnd_service_find(inst, &r->prefix)))
			continue;
		total = (r->present & CFN_SE_CAP_TOTAL) ? r->total
							: s->now.cap_total;
		if (total == 0 || r->available > total) {
			snprintf(err, errlen,
				 "available %u exceeds capacity %u of %s",
				 r->available, total, buf);
			return -1;
		}
		news = total != s->now.cap_total ||
		       ((r->present & CFN_SE_PRICE) &&
			r->price_milli != s->now.price_milli);
		s->now.cap_total = total;
		s->now.cap_avail = r->available;
		s->reported |=
			r->present & (CFN_SE_CPU | CFN_SE_MEM | CFN_SE_GPU |
				      CFN_SE_SCORE | CFN_SE_PRICE);
		if (r->present & CFN_SE_CPU)
			s->now.cpu_pct = r->cpu_pct;
		if (r->present & CFN_SE_MEM)
			s->now.mem_pct = r->mem_pct;
		if (r->present & CFN_SE_GPU)
			s->now.gpu_pct = r->gpu_pct;
		if (r->present & CFN_SE_SCORE)
			s->now.score = r->score;
		if (r->present & CFN_SE_PRICE)
			s->now.price_milli = r->price_milli;
		/* a new capacity or price is news, but damping still
		 * decides when it goes out */
		if (news)
			cfnd_load_news(s);
		else
			cfnd_load_changed(s);
		found++;
	}
	if (!found) {
		snprintf(err, errlen, "service %s is not hosted here", buf);
		return -1;
	}
	return 0;
}
