// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decisions -> zebra: the steered routes go to zebra through a zebra
 * client of our own (isis, instance 42, distance 50), so they win over
 * IS-IS's own route for the prefix (115) and over the static route to a
 * local server (60, see doc/steering.md), and vanish with the module.
 */
#include <zebra.h>

#include "zclient.h"

#include "isisd/isisd.h"

#include "cfnd_isis.h"
#include "cfnd_isis_steer.h"

extern struct thread_master *master;

static struct zclient *cfnd_zclient;

static void route_send(const struct cfnd_route *r, bool add)
{
	struct zapi_route api = {};

	if (!cfnd_zclient || cfnd_zclient->sock < 0)
		return;
	api.vrf_id = VRF_DEFAULT;
	api.type = ZEBRA_ROUTE_ISIS;
	api.instance = CFND_ZEBRA_INSTANCE;
	api.safi = SAFI_UNICAST;
	api.prefix.family = r->prefix.afi == CFN_AFI_IPV4 ? AF_INET : AF_INET6;
	api.prefix.prefixlen = r->prefix.plen;
	memcpy(&api.prefix.u.prefix, r->prefix.addr,
	       r->prefix.afi == CFN_AFI_IPV4 ? 4 : 16);
	if (add) {
		SET_FLAG(api.message, ZAPI_MESSAGE_NEXTHOP);
		SET_FLAG(api.message, ZAPI_MESSAGE_DISTANCE);
		SET_FLAG(api.message, ZAPI_MESSAGE_METRIC);
		api.distance = CFND_ROUTE_DISTANCE;
		api.metric = r->cost > UINT32_MAX ? UINT32_MAX : r->cost;
		for (int i = 0; i < r->nnexthops && i < MULTIPATH_NUM; i++) {
			struct zapi_nexthop *nh = &api.nexthops[i];

			nh->vrf_id = VRF_DEFAULT;
			nh->ifindex = r->nexthops[i].ifindex;
			nh->gate = r->nexthops[i].gate;
			nh->type = r->nexthops[i].family == AF_INET
					   ? NEXTHOP_TYPE_IPV4_IFINDEX
					   : NEXTHOP_TYPE_IPV6_IFINDEX;
			api.nexthop_num++;
		}
	}
	zclient_route_send(add ? ZEBRA_ROUTE_ADD : ZEBRA_ROUTE_DELETE,
			   cfnd_zclient, &api);
}

void cfnd_route_uninstall(struct cfnd_route *r)
{
	if (r->installed)
		route_send(r, false);
	r->installed = false;
}

void cfnd_route_install(struct cfnd_route *r)
{
	if (r->local || r->nnexthops == 0) {
		cfnd_route_uninstall(r);
		return;
	}
	route_send(r, true);
	r->installed = true;
}

static void cfnd_zebra_connected(struct zclient *zc)
{
	struct cfnd_instance *inst;
	struct cfnd_route *r;

	/* zebra forgot our routes with our previous session */
	frr_each (cfnd_instances, &cfnd_instances, inst)
		if (inst->enabled)
			frr_each (cfnd_routes,
				  &cfnd_isis_of(inst)->steer.routes, r)
				if (r->installed)
					route_send(r, true);
}

void cfnd_isis_zebra_init(void)
{
	cfnd_zclient = zclient_new(master, &zclient_options_default, NULL, 0);
	cfnd_zclient->zebra_connected = cfnd_zebra_connected;
	zclient_init(cfnd_zclient, ZEBRA_ROUTE_ISIS, CFND_ZEBRA_INSTANCE,
		     &isisd_privs);
}

void cfnd_isis_zebra_fini(void)
{
	if (cfnd_zclient) {
		zclient_stop(cfnd_zclient);
		zclient_free(cfnd_zclient);
		cfnd_zclient = NULL;
	}
}
