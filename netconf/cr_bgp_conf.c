// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bgpd's running configuration in the plain form: the compute-routing node
 * of "router bgp ASN" (the same lines as isisd's, plus as-scope), the
 * neighbors' remote-as (frr-bgp needs it to name a neighbor) and
 * "neighbor X compute-metadata" in "address-family ipv4 unicast".
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_conf.h"

enum bgp_block { IN_ROUTER, IN_COMPUTE, IN_AF_V4, IN_OTHER };

/* frr-bgp's neighbor list is keyed by address: a peer-group's name or an
 * interface (unnumbered) is not one of its entries. */
static bool is_address(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 ||
	       inet_pton(AF_INET6, s, buf) == 1;
}

/* " neighbor X remote-as V" at the router level. */
static int router_line(struct cr_instance *ci, const char *line)
{
	char addr[64], as[16];
	struct cr_neighbor *nb;

	if (sscanf(line, " neighbor %63s remote-as %15s", addr, as) != 2 ||
	    !is_address(addr))
		return 0;
	if (!(nb = cr_neighbor_add(ci, addr)))
		return -1;
	snprintf(nb->remote_as, sizeof(nb->remote_as), "%s", as);
	return 0;
}

/* "  neighbor X compute-metadata" in address-family ipv4 unicast. */
static int af_line(struct cr_instance *ci, const char *line)
{
	char addr[64], word[32];
	struct cr_neighbor *nb;

	if (sscanf(line, "  neighbor %63s %31s", addr, word) != 2 ||
	    strcmp(word, "compute-metadata") || !is_address(addr))
		return 0;
	if (!(nb = cr_neighbor_add(ci, addr)))
		return -1;
	nb->metadata = true;
	return 0;
}

int cr_config_add_bgp_running(struct cr_config *c, const char *text, char *err,
			      size_t errlen)
{
	char *copy = strdup(text), *save = NULL;
	struct cr_instance *ci = NULL;
	enum bgp_block in = IN_OTHER;
	int rc = 0;

	if (!copy) {
		cr_set_err(err, errlen, "out of memory");
		return -1;
	}
	for (char *line = strtok_r(copy, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save)) {
		char as[16], vrf[64], word[16];
		int n;

		if (line[0] != ' ') {
			/* a top-level line ends any router bgp block */
			ci = NULL;
			n = sscanf(line, "router bgp %15s %15s %63s", as, word,
				   vrf);
			if (n == 1 || (n == 3 && !strcmp(word, "vrf"))) {
				ci = cr_instance_add(c, as,
						     n == 3 ? vrf : "default");
				if (!ci) {
					cr_set_err(err, errlen,
						   "out of memory");
					rc = -1;
				} else {
					ci->daemon = CR_BGPD;
				}
			}
			in = IN_ROUTER;
			continue;
		}
		if (!ci)
			continue;
		if (line[1] != ' ') {
			in = IN_ROUTER;
			if (!strcmp(line, " compute-routing")) {
				ci->enabled = true;
				in = IN_COMPUTE;
			} else if (!strcmp(line,
					   " address-family ipv4 unicast")) {
				in = IN_AF_V4;
			} else if (router_line(ci, line)) {
				cr_set_err(err, errlen, "out of memory");
				rc = -1;
			}
			continue;
		}
		if (in == IN_COMPUTE)
			rc = cr_parse_compute_line(ci, line + 2, err, errlen);
		else if (in == IN_AF_V4 && af_line(ci, line)) {
			cr_set_err(err, errlen, "out of memory");
			rc = -1;
		}
	}
	free(copy);
	return rc;
}
