// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the cfn-spf topology loader and the engine behind it: any input is
 * either refused with a message or loaded, run from every router (up to a
 * bound), and queried, including capacity updates and path edges.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_spf.h"
#include "cfn_spf_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfn_spf *c = cfn_spf_new();
	struct cfn_spf_error err;
	uint32_t n, ns, buf[64];
	struct cfn_spf_edge edges[64];

	if (!c)
		return 0;
	if (cfn_spf_load_json(c, (const char *)data, size, &err)) {
		/* Refused: there must be a message. */
		if (!err.msg[0])
			abort();
		cfn_spf_free(c);
		return 0;
	}
	n = cfn_spf_router_count(c);
	ns = cfn_spf_service_count(c);
	cfn_spf_set_ecmp_limit(c, size % 3);
	for (uint32_t r = 0; r < n && r < 8; r++) {
		if (cfn_spf_run(c, r, &err))
			abort();
		for (uint32_t v = 0; v < n; v++)
			cfn_spf_nexthops(c, v, buf, 64);
		for (uint32_t s = 0; s < ns; s++) {
			const struct cfn_spf_decision *d = cfn_spf_decision(c, s);

			if (!d)
				abort();
			if (d->nsites &&
			    cfn_spf_service_path_edges(c, s, edges, 64, &err) < 0)
				abort();
			/* Make the first site cheaper, update, check again. */
			if (d->nsites) {
				cfn_spf_set_service_metric(c, s, d->sites[0], 0,
							NULL);
				if (cfn_spf_update_services(c, &err) ||
				    !cfn_spf_decision(c, s))
					abort();
			}
		}
	}
	cfn_spf_free(c);
	return 0;
}
