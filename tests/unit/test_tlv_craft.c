// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tlv_craft.h"

struct seen {
	int n;
	struct cfn_gi_report r[4];
};

static void collect(void *arg, const struct cfn_gi_report *r)
{
	struct seen *s = arg;

	if (s->n < 4)
		s->r[s->n] = *r;
	s->n++;
}

static void good_entries(struct cfn_svc_entry *e, int n)
{
	char err[100], pfx[40];

	memset(e, 0, sizeof(*e) * (size_t)n);
	for (int i = 0; i < n; i++) {
		snprintf(pfx, sizeof(pfx), "203.0.113.%d/32", i + 1);
		assert_true(cfn_svc_prefix_parse(pfx, &e[i].prefix, err,
						 sizeof(err)));
		e[i].metric = (uint32_t)(100 + i);
		e[i].present = CFN_SE_CAP_AVAIL;
		e[i].cap_avail = (uint32_t)i;
	}
}

/* Every kind: the decoder reports exactly the advertised problem, once,
 * and every good entry around it survives. */
static void every_kind_decodes_as_documented(void **state)
{
	struct cfn_geninfo_hdr hdr = {.app_id = CFN_GENINFO_APP_ID_DEFAULT,
				      .has_v4 = true};
	struct cfn_svc_entry good[4];
	int kinds = 0;

	good_entries(good, 4);
	for (const struct cfn_craft_kind *k = cfn_craft_kinds; k->name; k++) {
		struct cfn_tlv_value tv;
		struct cfn_geninfo_decoded dec;
		struct seen s = {0};
		char err[160];
		size_t kept = 4 + (k->dropped ? 0 : 1);
		size_t g = 0;

		if (!k->dropped && k->code == CFN_GI_I_UNKNOWN_SUBTLV)
			kept = 4; /* an unknown sub-TLV is not an entry */
		assert_true(cfn_craft_geninfo(k->name, &hdr, good, 4, &tv, err,
					      sizeof(err)));
		assert_int_equal(cfn_geninfo_decode(tv.val, tv.len, hdr.app_id,
						    &dec, collect, &s),
				 CFN_GI_OK);
		assert_int_equal(s.n, 1);
		assert_int_equal(s.r[0].code, k->code);
		assert_int_equal(s.r[0].dropped, k->dropped);
		assert_string_equal(s.r[0].reason, k->reason);
		assert_int_equal(dec.n_entries, kept);
		for (size_t i = 0; i < dec.n_entries; i++) {
			if (dec.entries[i].metric == 99)
				continue; /* the crafted, kept entry */
			assert_true(
				cfn_svc_entry_equal(&dec.entries[i], &good[g]));
			g++;
		}
		assert_int_equal(g, 4);
		kinds++;
	}
	assert_int_equal(kinds, 10);
}

static void refusals(void **state)
{
	struct cfn_geninfo_hdr hdr = {.app_id = CFN_GENINFO_APP_ID_DEFAULT};
	struct cfn_svc_entry good[16];
	struct cfn_tlv_value tv;
	char err[160];

	good_entries(good, 16);
	assert_false(cfn_craft_geninfo("nonsense", &hdr, good, 1, &tv, err,
				       sizeof(err)));
	assert_string_equal(err, "unknown malformation 'nonsense'");
	assert_null(cfn_craft_lookup("nonsense"));
	/* 16 x 22 octets cannot share one value with anything */
	assert_false(cfn_craft_geninfo("bad-afi", &hdr, good, 16, &tv, err,
				       sizeof(err)));
	assert_non_null(strstr(err, "does not fit"));
}

static void append_primitives(void **state)
{
	struct cfn_geninfo_hdr hdr = {.app_id = CFN_GENINFO_APP_ID_DEFAULT};
	struct cfn_svc_entry good[16];
	struct cfn_tlv_value tv, ref[2];
	char err[160];
	int n = 0;

	good_entries(good, 16);
	cfn_geninfo_start(&tv, &hdr);
	assert_int_equal(tv.len, 3);
	while (cfn_geninfo_append(&tv, &good[n], err, sizeof(err)))
		n++;
	/* 22-octet entries: (255 - 3) / 22 = 11 */
	assert_int_equal(n, 11);
	assert_string_equal(err,
			    "entry of 22 octets does not fit in the 10 left");
	assert_int_equal(
		cfn_geninfo_encode(&hdr, good, 16, ref, 2, err, sizeof(err)),
		2);
	assert_int_equal(ref[0].len, tv.len);
	assert_memory_equal(ref[0].val, tv.val, tv.len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_kind_decodes_as_documented),
		cmocka_unit_test(refusals),
		cmocka_unit_test(append_primitives),
	};

	return cmocka_run_group_tests_name("tlv_craft", tests, NULL, NULL);
}
