// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Codec for the Edge Metadata Path Attribute of
 * draft-ietf-idr-5g-edge-service-metadata-32 (BGP path attribute type 42,
 * IANA early allocation, optional non-transitive).  Pure byte handling: the
 * bgpd module hands the attribute's value (after the flags/type/length
 * header) to the decoder, and writes the header itself around what the
 * encoder produces.  Layout, code points, deviations and hex examples:
 * doc/bgp-metadata.md.
 */
#ifndef CFN_BGP_META_H
#define CFN_BGP_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* IANA "BGP Path Attributes" early allocation; configurable in bgpd. */
#define BGP_META_ATTR_TYPE_DEFAULT 42
/* Optional (0x80), non-transitive: never forwarded by a speaker that does
 * not understand it. */
#define BGP_META_ATTR_FLAGS 0x80
#define BGP_META_ATTR_FLAG_EXTLEN 0x10

/* Every sub-TLV: type (2 octets), length (2 octets), value. */
#define BGP_META_SUB_HDR 4
/* Longest value the encoder produces (fits one extended-length attribute). */
#define BGP_META_VALUE_MAX 512

/* Sub-TLV kinds the codec understands; their code points are a table. */
enum bgp_meta_kind {
	BGP_META_K_SITE_PREF = 0, /* u32 preference index, higher preferred */
	BGP_META_K_SITE_AVAIL,	  /* u8 percent 0..100, 0 = out of service */
	BGP_META_K_DELAY,      /* u32 predicted service delay, microseconds */
	BGP_META_K_CAPABILITY, /* u32 metric, u32 price, site name */
	BGP_META_K_RESOURCE,   /* u64 total units, u64 available units */
	BGP_META_K_AS_SCOPE,   /* 1..16 u32 ASNs */
	BGP_META_K_COUNT,
};

/* Code point of each kind; defaults in doc/bgp-metadata.md section 3. */
struct bgp_meta_codes {
	uint16_t code[BGP_META_K_COUNT];
};

#define BGP_META_SITE_MAX 64
#define BGP_META_SCOPE_MAX 16
#define BGP_META_PREF_MAX 100
#define BGP_META_AVAIL_MAX 100

struct bgp_meta {
	uint32_t present; /* bit (1u << kind) for each sub-TLV carried */
	uint32_t site_pref;
	uint8_t site_avail;
	uint32_t delay_us;
	uint32_t metric; /* lib/metric value, CFN_METRIC_INELIGIBLE = none */
	uint32_t price_milli;
	char site[BGP_META_SITE_MAX + 1];
	uint64_t total;
	uint64_t available;
	uint8_t n_scope;
	uint32_t scope[BGP_META_SCOPE_MAX];
};

#define BGP_META_HAS(m, k) (((m)->present & (1u << (k))) != 0)

/* Faults that make the whole attribute malformed (RFC 7606). */
enum bgp_meta_fault {
	BGP_META_OK = 0,
	BGP_META_E_EMPTY,      /* attribute value of length 0 */
	BGP_META_E_SHORT_HDR,  /* fewer than 4 octets left for a header */
	BGP_META_E_OVERRUN,    /* sub-TLV length runs past the attribute */
	BGP_META_E_SUB_LENGTH, /* known sub-TLV with a wrong length */
	BGP_META_E_DUPLICATE,  /* known sub-TLV present twice */
	BGP_META_E_RANGE,      /* value outside its documented range */
	BGP_META_E_FAULT_COUNT,
};

struct bgp_meta_result {
	enum bgp_meta_fault fault;
	size_t offset;		/* octet offset of the faulty sub-TLV */
	uint16_t sub_type;	/* its code point */
	unsigned int n_unknown; /* unknown sub-TLVs skipped */
};

void bgp_meta_codes_default(struct bgp_meta_codes *c);
/* -1 with a reason when two kinds share a code point. */
int bgp_meta_codes_validate(const struct bgp_meta_codes *c, char *err,
			    size_t errlen);

/*
 * Decodes one attribute value.  Unknown sub-TLVs are skipped and counted;
 * any fault stops decoding and returns it (out is then unspecified).
 * Never reads outside val[0..len).
 */
enum bgp_meta_fault bgp_meta_decode(const uint8_t *val, size_t len,
				    const struct bgp_meta_codes *c,
				    struct bgp_meta *out,
				    struct bgp_meta_result *res);

/*
 * Encodes the sub-TLVs present in m, in kind order, into buf.  Returns the
 * value length, or -1 with a reason when a value is out of range or buf is
 * too small.
 */
int bgp_meta_encode(const struct bgp_meta *m, const struct bgp_meta_codes *c,
		    uint8_t *buf, size_t buflen, char *err, size_t errlen);

/*
 * The whole attribute: flags, type, length (extended when the value is over
 * 255 octets), value.  Returns its length or -1.
 */
int bgp_meta_encode_attr(const struct bgp_meta *m,
			 const struct bgp_meta_codes *c, uint8_t attr_type,
			 uint8_t *buf, size_t buflen, char *err, size_t errlen);

/* True when asn is in the AS scope (an attribute without scope: false). */
bool bgp_meta_in_scope(const struct bgp_meta *m, uint32_t asn);

bool bgp_meta_equal(const struct bgp_meta *a, const struct bgp_meta *b);

/* "site-preference", ...; "unknown" for a bad kind. */
const char *bgp_meta_kind_name(enum bgp_meta_kind k);
/* "short header", ...: one phrase for logs. */
const char *bgp_meta_fault_name(enum bgp_meta_fault f);

#endif /* CFN_BGP_META_H */
