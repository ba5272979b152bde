// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Origination: the services this router hosts become GENINFO TLVs in our
 * own LSP (FRR patch 0004's build hook), their metric computed here, by the
 * hosting router, so every router runs the same SPF on the same numbers.
 */
#include <zebra.h>

#include "hook.h"
#include "log.h"
#include "prefix.h"

#include "isisd/isisd.h"
#include "isisd/isis_lsp.h"
#include "isisd/isis_tlvs.h"

#include "cfnd_common/cfnd_debug.h"
#include "cfnd_isis.h"
#include "tlv.h"

/* At most this many GENINFO TLVs per LSP build (about 21 entries each). */
#define CFND_MAX_TLVS 64

int cfnd_isis_services_fit(struct cfnd_instance *inst,
			   const struct cfn_svc_entry *entries, size_t n,
			   char *err, size_t errlen)
{
	struct cfn_geninfo_hdr hdr = {.app_id = inst->app_id};
	char why[160];
	int count;

	/* counting only: the values the LSP build would need */
	count = cfn_geninfo_encode(&hdr, entries, n, NULL, 0, why, sizeof(why));
	if (count < 0) {
		snprintf(err, errlen, "service refused: %s", why);
		return -1;
	}
	if (count > CFND_MAX_TLVS) {
		snprintf(
			err, errlen,
			"service refused: %zu services need %d GENINFO TLVs, at most %d fit in our LSP",
			n, count, CFND_MAX_TLVS);
		return -1;
	}
	return 0;
}

/*
 * Packs the advertised entries value by value: an entry that cannot go
 * out (invalid, or no room left) is left out with a warning, never the
 * whole area.
 */
static int cfnd_lsp_build(struct isis_area *area, int level,
			  struct isis_tlvs *tlvs)
{
	static struct cfn_tlv_value values[CFND_MAX_TLVS];
	struct cfnd_instance *inst = cfnd_isis_instance(area);
	struct cfn_geninfo_hdr hdr = {};
	struct cfnd_service *s;
	size_t n = 0;
	int count = 0;

	if (!inst || !cfnd_services_count(&inst->services))
		return 0;
	hdr.app_id = inst->app_id;
	frr_each (cfnd_services, &inst->services, s) {
		char err[160], pfx[CFN_SVCPREFIX_STRLEN];

		if (!s->advertised)
			continue;
		if (count && cfn_geninfo_append(&values[count - 1], &s->adv,
						err, sizeof(err))) {
			n++;
			continue;
		}
		if (count < CFND_MAX_TLVS) {
			cfn_geninfo_start(&values[count], &hdr);
			if (cfn_geninfo_append(&values[count], &s->adv, err,
					       sizeof(err))) {
				count++;
				n++;
				continue;
			}
		} else {
			snprintf(err, sizeof(err), "no room left in %d TLVs",
				 CFND_MAX_TLVS);
		}
		zlog_warn("%s: area %s: not advertising %s: %s", CFND_ISIS_NAME,
			  area->area_tag,
			  cfn_svc_prefix_str(&s->adv.prefix, pfx, sizeof(pfx)),
			  err);
	}
	for (int i = 0; i < count; i++)
		isis_tlvs_add_raw(tlvs, CFND_GENINFO_TLV, values[i].len,
				  values[i].val);
	if (IS_DEBUG_CFN_ADV)
		zlog_debug("%s: area %s L%d: %zu services in %d GENINFO TLVs",
			   CFND_ISIS_NAME, area->area_tag, level, n, count);
	return 0;
}

void cfnd_isis_adv_init(void)
{
	hook_register(isis_lsp_build_hook, cfnd_lsp_build);
}

void cfnd_isis_adv_fini(void)
{
	hook_unregister(isis_lsp_build_hook, cfnd_lsp_build);
}
