// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * BGP instances in the frr-bgp/frr-cfn YANG tree, and back.  Besides the
 * compute-routing node the tree carries only what frr-bgp makes mandatory
 * to name the nodes we augment: the instance's local-as and each
 * neighbor's remote-as.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_conf.h"

#define V4_AF "afi-safis/afi-safi[afi-safi-name='frr-routing:ipv4-unicast']"
#define METADATA V4_AF "/ipv4-unicast/frr-cfn:compute-metadata"

static int set(struct lyd_node **tree, const struct ly_ctx *ctx,
	       const char *path, const char *value)
{
	return lyd_new_path(*tree, ctx, path, value, 0, *tree ? NULL : tree) ==
			       LY_SUCCESS
		       ? 0
		       : -1;
}

static int neighbor_to_tree(const char *ip, const struct cr_neighbor *nb,
			    const struct ly_ctx *ctx, struct lyd_node **tree)
{
	char np[512], path[1024];
	int rc = 0;

	snprintf(np, sizeof(np), "%s/neighbors/neighbor[remote-address='%s']",
		 ip, nb->addr);
	if (isdigit((unsigned char)nb->remote_as[0])) {
		snprintf(path, sizeof(path),
			 "%s/neighbor-remote-as/remote-as-type", np);
		rc |= set(tree, ctx, path, "as-specified");
		snprintf(path, sizeof(path), "%s/neighbor-remote-as/remote-as",
			 np);
		rc |= set(tree, ctx, path, nb->remote_as);
	} else if (nb->remote_as[0]) {
		snprintf(path, sizeof(path),
			 "%s/neighbor-remote-as/remote-as-type", np);
		rc |= set(tree, ctx, path, nb->remote_as);
	}
	if (nb->metadata) {
		snprintf(path, sizeof(path), "%s/" METADATA, np);
		rc |= set(tree, ctx, path, "true");
	}
	return rc;
}

int cr_bgp_instance_to_tree(const struct cr_instance *ci,
			    const struct ly_ctx *ctx, struct lyd_node **tree)
{
	char ip[256], path[512];
	int rc = 0;

	cr_instance_path(ci, ip, sizeof(ip));
	snprintf(path, sizeof(path), "%s/global/local-as", ip);
	rc |= set(tree, ctx, path, ci->tag);
	for (size_t i = 0; i < ci->nnbr; i++)
		rc |= neighbor_to_tree(ip, &ci->nbr[i], ctx, tree);
	if (ci->enabled) {
		cr_node_path(ci, "", path, sizeof(path));
		rc |= cr_compute_to_tree(ci, ctx, tree, path);
	}
	return rc ? -1 : 0;
}

static int neighbor_from_tree(struct cr_instance *ci, const struct lyd_node *n)
{
	char addr[64];
	const char *type, *v;
	struct cr_neighbor *nb;

	cr_leaf_str(n, "remote-address", addr, sizeof(addr));
	if (!(nb = cr_neighbor_add(ci, addr)))
		return -1;
	type = cr_leaf(n, "neighbor-remote-as/remote-as-type");
	if (type && !strcmp(type, "as-specified"))
		cr_leaf_str(n, "neighbor-remote-as/remote-as", nb->remote_as,
			    sizeof(nb->remote_as));
	else if (type)
		snprintf(nb->remote_as, sizeof(nb->remote_as), "%s", type);
	v = cr_leaf(n, METADATA);
	nb->metadata = v && !strcmp(v, "true");
	return 0;
}

static int bgp_from_tree(struct cr_config *c, const struct lyd_node *proto)
{
	struct lyd_node *bgp = NULL, *cr = NULL, *nbrs = NULL;
	const struct lyd_node *n;
	struct cr_instance *ci;
	char as[16], vrf[64];

	if (lyd_find_path(proto, "frr-bgp:bgp", 0, &bgp) != LY_SUCCESS || !bgp)
		return 0; /* another protocol */
	cr_leaf_str(bgp, "global/local-as", as, sizeof(as));
	cr_leaf_str(proto, "vrf", vrf, sizeof(vrf));
	if (!(ci = cr_instance_add(c, as, vrf)))
		return -1;
	ci->daemon = CR_BGPD;
	if (lyd_find_path(bgp, "neighbors", 0, &nbrs) == LY_SUCCESS && nbrs)
		LY_LIST_FOR (lyd_child(nbrs), n)
			if (!strcmp(n->schema->name, "neighbor") &&
			    neighbor_from_tree(ci, n))
				return -1;
	if (lyd_find_path(bgp, CR, 0, &cr) == LY_SUCCESS && cr)
		return cr_compute_from_tree(ci, cr);
	return 0;
}

/* TOP is /frr-routing:routing. */
int cr_bgp_config_from_tree(struct cr_config *c, const struct lyd_node *top)
{
	struct lyd_node *protos = NULL;
	const struct lyd_node *p;

	if (lyd_find_path(top, "control-plane-protocols", 0, &protos) !=
		    LY_SUCCESS ||
	    !protos)
		return 0;
	LY_LIST_FOR (lyd_child(protos), p)
		if (!strcmp(p->schema->name, "control-plane-protocol") &&
		    bgp_from_tree(c, p))
			return -1;
	return 0;
}
