// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prints FRR's IS-IS SPF test topologies (tests/isisd/test_topologies.c in
 * the FRR tree) as plain lines, so test_frr_crosscheck.py can turn them into
 * cfn-spf input.  Compiled at test time against the FRR build tree; nothing
 * of FRR is copied here.
 *
 *   T <number>
 *   N <hostname> <pseudonode-id> <level> <ipv4> <ipv6>
 *   A <hostname> <pseudonode-id> <metric>      (adjacency of the last N)
 */
#include <zebra.h>
#include <stdio.h>

#include "isisd/isisd.h"
#include "tests/isisd/test_common.h"

int main(void)
{
	for (int t = 0; test_topologies[t].number; t++) {
		const struct isis_topology *tp = &test_topologies[t];

		printf("T %u\n", tp->number);
		for (int i = 0; tp->nodes[i].hostname[0]; i++) {
			const struct isis_test_node *n = &tp->nodes[i];

			printf("N %s %u %d %d %d\n", n->hostname,
			       n->pseudonode_id, n->level, n->protocols.ipv4,
			       n->protocols.ipv6);
			for (int j = 0; n->adjacencies[j].hostname[0]; j++)
				printf("A %s %u %u\n",
				       n->adjacencies[j].hostname,
				       n->adjacencies[j].pseudonode_id,
				       n->adjacencies[j].metric);
		}
	}
	return 0;
}
