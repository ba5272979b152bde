// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "tlv_craft.h"

/* Entry header + prefix field for 192.0.2.99/32 (10 octets). */
#define PFX99 1, 6, 1, 32, 192, 0, 2, 99
#define METRIC99 2, 4, 0, 0, 0, 99

struct craft_bytes {
	uint8_t len;
	uint8_t b[24];
};

const struct cfn_craft_kind cfn_craft_kinds[] = {
	{"truncated", CFN_GI_E_TRUNCATED, true,
	 "truncated prefix: /24 needs 3 octet(s), field has 2"},
	{"field-overflow", CFN_GI_E_OVERFLOW, true,
	 "length overflow: compute-metric field length 9 exceeds the 4 octet(s) left in the entry"},
	{"tlv-overflow", CFN_GI_E_OVERFLOW, true,
	 "length overflow: sub-TLV length 200 exceeds the 2 octet(s) left"},
	{"bad-afi", CFN_GI_E_BAD_AFI, true,
	 "bad AFI 3 (expected 1=IPv4 or 2=IPv6)"},
	{"plen-v4", CFN_GI_E_BAD_PLEN, true, "prefix length 33 > 32 for IPv4"},
	{"plen-v6", CFN_GI_E_BAD_PLEN, true,
	 "prefix length 129 > 128 for IPv6"},
	{"duplicate-field", CFN_GI_E_DUPLICATE, true,
	 "duplicate compute-metric field"},
	{"missing-metric", CFN_GI_E_MISSING, true,
	 "missing mandatory compute-metric field"},
	{"unknown-field", CFN_GI_I_UNKNOWN_FIELD, false,
	 "unknown field type 77 (length 3) skipped"},
	{"unknown-subtlv", CFN_GI_I_UNKNOWN_SUBTLV, false,
	 "unknown sub-TLV type 200 (length 3) skipped"},
	{NULL, 0, false, NULL},
};

/* Same order as cfn_craft_kinds. */
static const struct craft_bytes craft_bytes[] = {
	{14, {1, 12, 1, 4, 1, 24, 192, 0, METRIC99}},
	{16, {1, 14, PFX99, 2, 9, 0, 0, 0, 99}},
	{4, {1, 200, 1, 6}},
	{16, {1, 14, 1, 6, 3, 32, 192, 0, 2, 99, METRIC99}},
	{17, {1, 15, 1, 7, 1, 33, 192, 0, 2, 99, 0, METRIC99}},
	{12, {1, 10, 1, 2, 2, 129, METRIC99}},
	{22, {1, 20, PFX99, METRIC99, 2, 4, 0, 0, 0, 98}},
	{10, {1, 8, PFX99}},
	{21, {1, 19, PFX99, 77, 3, 1, 2, 3, METRIC99}},
	{5, {200, 3, 1, 2, 3}},
};

const struct cfn_craft_kind *cfn_craft_lookup(const char *name)
{
	for (const struct cfn_craft_kind *k = cfn_craft_kinds; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

bool cfn_craft_geninfo(const char *kind, const struct cfn_geninfo_hdr *hdr,
		       const struct cfn_svc_entry *good, size_t ngood,
		       struct cfn_tlv_value *out, char *err, size_t errlen)
{
	const struct cfn_craft_kind *k = cfn_craft_lookup(kind);
	const struct craft_bytes *bad;
	size_t half = ngood / 2;

	if (!k) {
		snprintf(err, errlen, "unknown malformation '%s'", kind);
		return false;
	}
	bad = &craft_bytes[k - cfn_craft_kinds];
	/* nothing after an overflowing sub-TLV can be delimited */
	if (strcmp(k->name, "tlv-overflow") == 0)
		half = ngood;
	cfn_geninfo_start(out, hdr);
	for (size_t i = 0; i < ngood; i++) {
		if (i == half) {
			if (out->len + bad->len > CFN_GENINFO_VALUE_MAX)
				goto too_big;
			memcpy(out->val + out->len, bad->b, bad->len);
			out->len = (uint8_t)(out->len + bad->len);
		}
		if (!cfn_geninfo_append(out, &good[i], err, errlen))
			return false;
	}
	if (half == ngood) {
		if (out->len + bad->len > CFN_GENINFO_VALUE_MAX)
			goto too_big;
		memcpy(out->val + out->len, bad->b, bad->len);
		out->len = (uint8_t)(out->len + bad->len);
	}
	return true;
too_big:
	snprintf(err, errlen,
		 "the malformed entry does not fit after %zu good one(s)",
		 half);
	return false;
}
