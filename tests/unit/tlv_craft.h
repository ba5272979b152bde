// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deliberately malformed GENINFO values, for tests only: a lab test (through
 * a test-build-only isisd command) originates them to check that receivers
 * log and skip the bad entry and keep the good ones.  Each kind comes with
 * the exact reason the decoder reports, so the lab can grep logs for it.
 */
#ifndef CFN_TLV_CRAFT_H
#define CFN_TLV_CRAFT_H

#include <stdbool.h>
#include <stddef.h>

#include "tlv.h"

struct cfn_craft_kind {
	const char *name;	  /* "bad-afi", "plen-v4", ... */
	enum cfn_gi_problem code; /* what the decoder reports */
	bool dropped;		  /* the crafted entry is lost (else kept) */
	const char *reason;	  /* exact decoder reason */
};

/* All kinds, terminated by an entry with name == NULL. */
extern const struct cfn_craft_kind cfn_craft_kinds[];

const struct cfn_craft_kind *cfn_craft_lookup(const char *name);

/*
 * One GENINFO value: hdr, the first half of good[], the malformed bytes,
 * the rest of good[] (the sub-TLV overflow kind goes last, since nothing
 * after it can be delimited).  The bad entry, when it has a prefix, is
 * 192.0.2.99/32 (IPv6 kinds: none decodable).  Returns false with err when
 * the kind is unknown, a good entry is invalid, or it does not fit.
 */
bool cfn_craft_geninfo(const char *kind, const struct cfn_geninfo_hdr *hdr,
		       const struct cfn_svc_entry *good, size_t ngood,
		       struct cfn_tlv_value *out, char *err, size_t errlen);

#endif
