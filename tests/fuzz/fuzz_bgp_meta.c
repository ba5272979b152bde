// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Edge Metadata attribute decoder fuzz target: decoding arbitrary bytes
 * must not crash or read out of bounds; a value it accepts must re-encode
 * and decode to the same fields, and a fault must name a valid offset.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_meta.h"
#include "bgp_select.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_meta_codes c;
	struct bgp_meta m, again;
	struct bgp_meta_result res;
	uint8_t buf[BGP_META_VALUE_MAX];
	char err[128];

	bgp_meta_codes_default(&c);
	if (size > 65535)
		size = 65535; /* the largest extended-length attribute */
	enum bgp_meta_fault f = bgp_meta_decode(data, size, &c, &m, &res);

	if (f != BGP_META_OK) {
		if (res.fault != f || (size && res.offset >= size) ||
		    !bgp_meta_fault_name(f)[0])
			abort();
		return 0;
	}
	/* Accepted: the selection cost must be computable too. */
	struct bgp_sel_params p;
	struct bgp_sel_cand cand = {.meta = &m};

	bgp_sel_params_default(&p);
	bgp_select(&p, &cand, 1);

	int n = bgp_meta_encode(&m, &c, buf, sizeof(buf), err, sizeof(err));

	if (n < 0)
		abort(); /* everything decoded is encodable */
	if (m.present == 0) {
		/* only unknown sub-TLVs: nothing of ours to carry on */
		if (n != 0)
			abort();
		return 0;
	}
	if (bgp_meta_decode(buf, n, &c, &again, NULL) != BGP_META_OK ||
	    !bgp_meta_equal(&m, &again))
		abort();
	return 0;
}
