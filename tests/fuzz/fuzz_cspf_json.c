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

#include "cspf.h"
#include "cspf_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cspf *c = cspf_new();
	struct cspf_error err;
	uint32_t n, ns, buf[64];
	struct cspf_edge edges[64];

	if (!c)
		return 0;
	if (cspf_load_json(c, (const char *)data, size, &err)) {
		/* Refused: there must be a message. */
		if (!err.msg[0])
			abort();
		cspf_free(c);
		return 0;
	}
	n = cspf_router_count(c);
	ns = cspf_service_count(c);
	cspf_set_ecmp_limit(c, size % 3);
	for (uint32_t r = 0; r < n && r < 8; r++) {
		if (cspf_run(c, r, &err))
			abort();
		for (uint32_t v = 0; v < n; v++)
			cspf_nexthops(c, v, buf, 64);
		for (uint32_t s = 0; s < ns; s++) {
			const struct cspf_decision *d = cspf_decision(c, s);

			if (!d)
				abort();
			if (d->nsites &&
			    cspf_service_path_edges(c, s, edges, 64, &err) < 0)
				abort();
			/* Make the first site cheaper, update, check again. */
			if (d->nsites) {
				cspf_set_service_metric(c, s, d->sites[0], 0,
							NULL);
				if (cspf_update_services(c, &err) ||
				    !cspf_decision(c, s))
					abort();
			}
		}
	}
	cspf_free(c);
	return 0;
}
