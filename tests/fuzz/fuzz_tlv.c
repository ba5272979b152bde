// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GENINFO decoder fuzz target: decoding arbitrary bytes must not crash or
 * read out of bounds, and the entries it accepts must survive
 * encode -> decode unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_report(void *arg, const struct cfn_gi_report *r)
{
	size_t *n = arg;

	/* reasons are logged as-is: they must be terminated, non-empty */
	if (strnlen(r->reason, sizeof(r->reason)) == sizeof(r->reason) ||
	    r->reason[0] == '\0')
		abort();
	(*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cfn_geninfo_decoded dec, again;
	struct cfn_tlv_value tv[4];
	char err[160];
	size_t reports = 0, k = 0;
	uint16_t app;
	int n;

	if (size > CFN_GENINFO_VALUE_MAX)
		size = CFN_GENINFO_VALUE_MAX;
	/* decode under our default id and under the input's own id */
	cfn_geninfo_decode(data, size, CFN_GENINFO_APP_ID_DEFAULT, &dec,
			   check_report, &reports);
	app = size >= 3 ? (uint16_t)(data[1] << 8 | data[2]) : 0;
	if (cfn_geninfo_decode(data, size, app, &dec, check_report, &reports) !=
	    CFN_GI_OK)
		return 0;
	if (dec.n_entries > CFN_GENINFO_MAX_ENTRIES)
		abort();

	n = cfn_geninfo_encode(&dec.hdr, dec.entries, dec.n_entries, tv, 4, err,
			       sizeof(err));
	if (n < 0)
		abort(); /* the decoder accepted something the encoder refuses
			  */
	for (int t = 0; t < n; t++) {
		if (cfn_geninfo_decode(tv[t].val, tv[t].len, app, &again, NULL,
				       NULL) != CFN_GI_OK ||
		    again.n_dropped || again.n_unknown_fields ||
		    again.n_unknown_subtlvs)
			abort();
		for (size_t i = 0; i < again.n_entries; i++, k++)
			if (k >= dec.n_entries ||
			    !cfn_svc_entry_equal(&again.entries[i],
						 &dec.entries[k]))
				abort();
	}
	if (k != dec.n_entries)
		abort();
	return 0;
}
