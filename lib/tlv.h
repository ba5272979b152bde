// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Codec for the compute service entries that CFN carries in the IS-IS
 * GENINFO TLV (type 251, RFC 6823).  Pure byte handling: the caller (the
 * isisd module) wraps each encoded value in a TLV header and hands received
 * values back here.  Layout and hex example: doc/isis-geninfo.md.
 */
#ifndef CFN_TLV_H
#define CFN_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metric.h"
#include "svcprefix.h"

#define CFN_GENINFO_TLV_TYPE 251
/* Provisional: no IANA allocation; "CF" in ASCII.  Configurable. */
#define CFN_GENINFO_APP_ID_DEFAULT 0x4346

/* RFC 6823 section 3 flags (bit 7 of the octet is the least significant). */
#define CFN_GENINFO_FLAG_S 0x01 /* flood across the whole domain */
#define CFN_GENINFO_FLAG_D 0x02 /* leaked from L2 to L1 */
#define CFN_GENINFO_FLAG_I 0x04 /* IPv4 address follows the app id */
#define CFN_GENINFO_FLAG_V 0x08 /* IPv6 address follows */

#define CFN_GENINFO_VALUE_MAX 255
/* flags(1) + application id(2) */
#define CFN_GENINFO_HDR_LEN 3

/* Application sub-TLV types inside the GENINFO value. */
#define CFN_GI_SUB_SERVICE 1

/* Field (sub-sub-TLV) types inside a service entry. */
enum cfn_gi_field {
	CFN_GI_F_PREFIX = 1,	/* AFI(1) plen(1) prefix octets  mandatory */
	CFN_GI_F_METRIC = 2,	/* u32, 0xFFFFFFFF = not eligible mandatory */
	CFN_GI_F_CAP_TOTAL = 3, /* u32 units */
	CFN_GI_F_CAP_AVAIL = 4, /* u32 units */
	CFN_GI_F_CPU_UTIL = 5,	/* u8 percent 0..100 */
	CFN_GI_F_MEM_UTIL = 6,	/* u8 percent 0..100 */
	CFN_GI_F_GPU_UTIL = 7,	/* u8 percent 0..100 */
	CFN_GI_F_SCORE = 8,	/* u8 0..10 */
	CFN_GI_F_PRICE = 9,	/* u32 milli-tokens per unit */
	CFN_GI_F_SITE_ID = 10,	/* 1..64 printable ASCII octets */
};

/* CFN_METRIC_INELIGIBLE (all-ones: not eligible) comes from metric.h */
#define CFN_SITE_ID_MAX 64
#define CFN_UTIL_MAX 100
#define CFN_SCORE_MAX 10

/* Bits of cfn_svc_entry.present for the optional fields. */
#define CFN_SE_CAP_TOTAL (1u << 0)
#define CFN_SE_CAP_AVAIL (1u << 1)
#define CFN_SE_CPU (1u << 2)
#define CFN_SE_MEM (1u << 3)
#define CFN_SE_GPU (1u << 4)
#define CFN_SE_SCORE (1u << 5)
#define CFN_SE_PRICE (1u << 6)
#define CFN_SE_SITE (1u << 7)

struct cfn_svc_entry {
	struct cfn_svc_prefix prefix;
	uint32_t metric;
	uint32_t present; /* CFN_SE_* */
	uint32_t cap_total;
	uint32_t cap_avail;
	uint8_t cpu_pct, mem_pct, gpu_pct;
	uint8_t score;
	uint32_t price_milli; /* tokens * 1000 */
	char site_id[CFN_SITE_ID_MAX + 1];
};

/* What precedes the service entries in each GENINFO value. */
struct cfn_geninfo_hdr {
	uint8_t flags; /* S and D; I and V follow has_v4/has_v6 */
	uint16_t app_id;
	bool has_v4, has_v6;
	uint8_t v4[4];
	uint8_t v6[16];
};

/* One encoded TLV value (without the type/length octets). */
struct cfn_tlv_value {
	uint8_t len;
	uint8_t val[CFN_GENINFO_VALUE_MAX];
};

/* A valid entry is at least 12 octets, so one value holds at most 21. */
#define CFN_GENINFO_MAX_ENTRIES 21

/* Encoded size of one entry including its own type/length octets. */
size_t cfn_svc_entry_wire_len(const struct cfn_svc_entry *e);

/*
 * Checks an entry before encoding (AFI, prefix length, ranges, site id).
 * Returns 0, or -1 with the reason in err.
 */
int cfn_svc_entry_validate(const struct cfn_svc_entry *e, char *err,
			   size_t errlen);

/*
 * Packs entries, in order, into as few GENINFO values as first-fit allows
 * (RFC 9885 style: every value is self-contained, an entry is never split).
 * Each value starts with hdr.  With out == NULL only counts.  Returns the
 * number of values needed, or -1 with err set when an entry is invalid, a
 * prefix appears twice, or more than max_out values would be needed.  Zero
 * entries give zero values.
 */
int cfn_geninfo_encode(const struct cfn_geninfo_hdr *hdr,
		       const struct cfn_svc_entry *entries, size_t n,
		       struct cfn_tlv_value *out, size_t max_out, char *err,
		       size_t errlen);

/*
 * Building blocks of cfn_geninfo_encode(), for callers that pack values
 * themselves: start a value with the GENINFO header, then append entries.
 * cfn_geninfo_append() refuses (false, err) an invalid entry or one that
 * does not fit in what is left of the 255 octets; tv is then unchanged.
 */
void cfn_geninfo_start(struct cfn_tlv_value *tv,
		       const struct cfn_geninfo_hdr *hdr);
bool cfn_geninfo_append(struct cfn_tlv_value *tv, const struct cfn_svc_entry *e,
			char *err, size_t errlen);

/* Problems met while decoding; all but the INFO ones drop data. */
enum cfn_gi_problem {
	CFN_GI_E_HEADER = 1,	 /* GENINFO header malformed: value dropped */
	CFN_GI_E_TRUNCATED,	 /* field shorter than its content needs */
	CFN_GI_E_OVERFLOW,	 /* a length runs past its container */
	CFN_GI_E_BAD_AFI,	 /* AFI not 1 or 2 */
	CFN_GI_E_BAD_PLEN,	 /* prefix length > 32 / 128 */
	CFN_GI_E_BAD_LENGTH,	 /* fixed-size field with the wrong length */
	CFN_GI_E_RANGE,		 /* value outside its documented range */
	CFN_GI_E_DUPLICATE,	 /* a field appears twice in one entry */
	CFN_GI_E_MISSING,	 /* prefix or metric absent */
	CFN_GI_E_DUP_ENTRY,	 /* same prefix twice in one value */
	CFN_GI_I_UNKNOWN_FIELD,	 /* unknown field skipped, entry kept */
	CFN_GI_I_UNKNOWN_SUBTLV, /* unknown sub-TLV skipped */
};

struct cfn_gi_report {
	enum cfn_gi_problem code;
	bool dropped; /* the entry (or the value) was discarded */
	int entry;    /* 0-based index of the sub-TLV in the value, -1 header */
	size_t offset; /* octet offset in the value where the problem is */
	char reason[128];
};

typedef void (*cfn_gi_report_fn)(void *arg, const struct cfn_gi_report *r);

struct cfn_geninfo_decoded {
	struct cfn_geninfo_hdr hdr;
	size_t n_entries;
	struct cfn_svc_entry entries[CFN_GENINFO_MAX_ENTRIES];
	unsigned int n_dropped;		/* malformed entries skipped */
	unsigned int n_unknown_fields;	/* unknown fields skipped in entries */
	unsigned int n_unknown_subtlvs; /* unknown sub-TLVs skipped */
};

enum cfn_gi_result {
	CFN_GI_OK = 0,		/* entries (possibly none) decoded */
	CFN_GI_OTHER_APP = 1,	/* another application's GENINFO: ignore */
	CFN_GI_BAD_HEADER = -1, /* reported through the callback */
};

/*
 * Decodes one GENINFO value.  Malformed entries are skipped, each reported
 * once through report (may be NULL) with a reason; valid entries in the
 * same value are kept.  Never reads outside val[0..len).
 */
enum cfn_gi_result cfn_geninfo_decode(const uint8_t *val, size_t len,
				      uint16_t app_id,
				      struct cfn_geninfo_decoded *out,
				      cfn_gi_report_fn report, void *arg);

/* True when every field of a and b is equal. */
bool cfn_svc_entry_equal(const struct cfn_svc_entry *a,
			 const struct cfn_svc_entry *b);

/* Name of a field type for logs ("compute-metric"), "unknown" otherwise. */
const char *cfn_gi_field_name(uint8_t type);

#endif
