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

static int cfnd_lsp_build(struct isis_area *area, int level,
			  struct isis_tlvs *tlvs)
{
	static struct cfn_tlv_value values[CFND_MAX_TLVS];
	struct cfnd_instance *inst = cfnd_isis_instance(area);
	struct cfn_geninfo_hdr hdr = {};
	struct cfn_svc_entry *entries;
	struct cfnd_service *s;
	size_t n = 0;
	char err[128];
	int count;

	if (!inst || !cfnd_services_count(&inst->services))
		return 0;

	entries = XCALLOC(MTYPE_TMP, cfnd_services_count(&inst->services) *
					     sizeof(*entries));
	frr_each (cfnd_services, &inst->services, s)
		if (s->advertised)
			entries[n++] = s->adv;

	hdr.app_id = inst->app_id;
	count = cfn_geninfo_encode(&hdr, entries, n, values, CFND_MAX_TLVS, err,
				   sizeof(err));
	XFREE(MTYPE_TMP, entries);
	if (count < 0) {
		zlog_warn("%s: area %s: not advertising compute entries: %s",
			  CFND_ISIS_NAME, area->area_tag, err);
		return 0;
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
