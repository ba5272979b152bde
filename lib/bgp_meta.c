// SPDX-License-Identifier: GPL-2.0-or-later
/* Edge Metadata Path Attribute codec; layout in doc/bgp-metadata.md. */
#include "bgp_meta.h"

#include <string.h>

#include "errfmt.h"

/* Default code points: the order of the draft's sub-TLV sections (see the
 * deviations in doc/bgp-metadata.md section 5). */
static const uint16_t default_codes[BGP_META_K_COUNT] = {
	[BGP_META_K_SITE_PREF] = 1, [BGP_META_K_SITE_AVAIL] = 2,
	[BGP_META_K_DELAY] = 3,	    [BGP_META_K_CAPABILITY] = 5,
	[BGP_META_K_RESOURCE] = 6,  [BGP_META_K_AS_SCOPE] = 7,
};

static const char *const kind_names[BGP_META_K_COUNT] = {
	[BGP_META_K_SITE_PREF] = "site-preference",
	[BGP_META_K_SITE_AVAIL] = "site-availability",
	[BGP_META_K_DELAY] = "service-delay-prediction",
	[BGP_META_K_CAPABILITY] = "service-capability",
	[BGP_META_K_RESOURCE] = "available-resource",
	[BGP_META_K_AS_SCOPE] = "as-scope",
};

static const char *const fault_names[BGP_META_E_FAULT_COUNT] = {
	[BGP_META_OK] = "ok",
	[BGP_META_E_EMPTY] = "empty attribute",
	[BGP_META_E_SHORT_HDR] = "short sub-TLV header",
	[BGP_META_E_OVERRUN] = "sub-TLV overruns the attribute",
	[BGP_META_E_SUB_LENGTH] = "bad sub-TLV length",
	[BGP_META_E_DUPLICATE] = "duplicate sub-TLV",
	[BGP_META_E_RANGE] = "value out of range",
};

/* Fixed value lengths; 0 = variable (checked in decode_value). */
static const uint16_t fixed_len[BGP_META_K_COUNT] = {
	[BGP_META_K_SITE_PREF] = 4,
	[BGP_META_K_SITE_AVAIL] = 1,
	[BGP_META_K_DELAY] = 4,
	[BGP_META_K_RESOURCE] = 16,
};

#define CAPABILITY_FIXED 8 /* metric(4) price(4), then the site name */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p = put16(p, v >> 16);
	return put16(p, v);
}

static uint8_t *put64(uint8_t *p, uint64_t v)
{
	p = put32(p, v >> 32);
	return put32(p, v);
}

void bgp_meta_codes_default(struct bgp_meta_codes *c)
{
	memcpy(c->code, default_codes, sizeof(c->code));
}

int bgp_meta_codes_validate(const struct bgp_meta_codes *c, char *err,
			    size_t errlen)
{
	for (int i = 0; i < BGP_META_K_COUNT; i++)
		for (int j = i + 1; j < BGP_META_K_COUNT; j++)
			if (c->code[i] == c->code[j])
				return cfn_err(err, errlen,
					       "%s and %s share code %u",
					       kind_names[i], kind_names[j],
					       c->code[i]);
	return 0;
}

static int kind_of(const struct bgp_meta_codes *c, uint16_t type)
{
	for (int k = 0; k < BGP_META_K_COUNT; k++)
		if (c->code[k] == type)
			return k;
	return -1;
}

static bool site_name_ok(const uint8_t *p, size_t n)
{
	if (n > BGP_META_SITE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			return false;
	return true;
}

/* Fills the field of kind k from a value whose length is already known to
 * be acceptable; returns a range fault or OK. */
static enum bgp_meta_fault decode_value(int k, const uint8_t *v, size_t n,
					struct bgp_meta *m)
{
	switch (k) {
	case BGP_META_K_SITE_PREF:
		m->site_pref = get32(v);
		if (m->site_pref > BGP_META_PREF_MAX)
			return BGP_META_E_RANGE;
		break;
	case BGP_META_K_SITE_AVAIL:
		m->site_avail = v[0];
		if (m->site_avail > BGP_META_AVAIL_MAX)
			return BGP_META_E_RANGE;
		break;
	case BGP_META_K_DELAY:
		m->delay_us = get32(v);
		break;
	case BGP_META_K_CAPABILITY:
		if (n < CAPABILITY_FIXED ||
		    n > CAPABILITY_FIXED + BGP_META_SITE_MAX)
			return BGP_META_E_SUB_LENGTH;
		m->metric = get32(v);
		m->price_milli = get32(v + 4);
		if (!site_name_ok(v + CAPABILITY_FIXED, n - CAPABILITY_FIXED))
			return BGP_META_E_RANGE;
		memcpy(m->site, v + CAPABILITY_FIXED, n - CAPABILITY_FIXED);
		m->site[n - CAPABILITY_FIXED] = '\0';
		break;
	case BGP_META_K_RESOURCE:
		m->total = get64(v);
		m->available = get64(v + 8);
		if (m->total == 0 || m->available > m->total)
			return BGP_META_E_RANGE;
		break;
	case BGP_META_K_AS_SCOPE:
		if (n == 0 || n % 4 || n / 4 > BGP_META_SCOPE_MAX)
			return BGP_META_E_SUB_LENGTH;
		m->n_scope = n / 4;
		for (size_t i = 0; i < m->n_scope; i++)
			m->scope[i] = get32(v + 4 * i);
		break;
	}
	return BGP_META_OK;
}

static enum bgp_meta_fault fail(struct bgp_meta_result *res,
				enum bgp_meta_fault f, size_t off,
				uint16_t type)
{
	res->fault = f;
	res->offset = off;
	res->sub_type = type;
	return f;
}

enum bgp_meta_fault bgp_meta_decode(const uint8_t *val, size_t len,
				    const struct bgp_meta_codes *c,
				    struct bgp_meta *out,
				    struct bgp_meta_result *res)
{
	struct bgp_meta_result scratch;
	size_t off = 0;

	if (!res)
		res = &scratch;
	memset(res, 0, sizeof(*res));
	memset(out, 0, sizeof(*out));
	if (len == 0)
		return fail(res, BGP_META_E_EMPTY, 0, 0);

	while (off < len) {
		if (len - off < BGP_META_SUB_HDR)
			return fail(res, BGP_META_E_SHORT_HDR, off, 0);
		uint16_t type = (uint16_t)(val[off] << 8 | val[off + 1]);
		uint16_t n = (uint16_t)(val[off + 2] << 8 | val[off + 3]);
		const uint8_t *v = val + off + BGP_META_SUB_HDR;

		if (n > len - off - BGP_META_SUB_HDR)
			return fail(res, BGP_META_E_OVERRUN, off, type);
		int k = kind_of(c, type);

		if (k < 0) {
			res->n_unknown++;
		} else if (BGP_META_HAS(out, k)) {
			return fail(res, BGP_META_E_DUPLICATE, off, type);
		} else if (fixed_len[k] && n != fixed_len[k]) {
			return fail(res, BGP_META_E_SUB_LENGTH, off, type);
		} else {
			enum bgp_meta_fault f = decode_value(k, v, n, out);

			if (f != BGP_META_OK)
				return fail(res, f, off, type);
			out->present |= 1u << k;
		}
		off += BGP_META_SUB_HDR + n;
	}
	return BGP_META_OK;
}

static int check_ranges(const struct bgp_meta *m, char *err, size_t errlen)
{
	if (BGP_META_HAS(m, BGP_META_K_SITE_PREF) &&
	    m->site_pref > BGP_META_PREF_MAX)
		return cfn_err(err, errlen, "site preference %u above %u",
			       m->site_pref, BGP_META_PREF_MAX);
	if (BGP_META_HAS(m, BGP_META_K_SITE_AVAIL) &&
	    m->site_avail > BGP_META_AVAIL_MAX)
		return cfn_err(err, errlen, "site availability %u above %u",
			       m->site_avail, BGP_META_AVAIL_MAX);
	if (BGP_META_HAS(m, BGP_META_K_CAPABILITY) &&
	    !site_name_ok((const uint8_t *)m->site, strlen(m->site)))
		return cfn_err(err, errlen,
			       "site name must be 0..%d printable characters",
			       BGP_META_SITE_MAX);
	if (BGP_META_HAS(m, BGP_META_K_RESOURCE) &&
	    (m->total == 0 || m->available > m->total))
		return cfn_err(
			err, errlen,
			"available resource needs 0 <= available <= total, total > 0");
	if (BGP_META_HAS(m, BGP_META_K_AS_SCOPE) &&
	    (m->n_scope == 0 || m->n_scope > BGP_META_SCOPE_MAX))
		return cfn_err(err, errlen, "AS scope needs 1..%d ASNs",
			       BGP_META_SCOPE_MAX);
	return 0;
}

static size_t value_len(const struct bgp_meta *m, int k)
{
	if (k == BGP_META_K_CAPABILITY)
		return CAPABILITY_FIXED + strlen(m->site);
	if (k == BGP_META_K_AS_SCOPE)
		return 4u * m->n_scope;
	return fixed_len[k];
}

int bgp_meta_encode(const struct bgp_meta *m, const struct bgp_meta_codes *c,
		    uint8_t *buf, size_t buflen, char *err, size_t errlen)
{
	size_t need = 0;

	if (check_ranges(m, err, errlen) < 0)
		return -1;
	for (int k = 0; k < BGP_META_K_COUNT; k++)
		if (BGP_META_HAS(m, k))
			need += BGP_META_SUB_HDR + value_len(m, k);
	if (need > buflen || need > BGP_META_VALUE_MAX)
		return cfn_err(err, errlen, "attribute needs %zu octets", need);

	uint8_t *p = buf;

	for (int k = 0; k < BGP_META_K_COUNT; k++) {
		if (!BGP_META_HAS(m, k))
			continue;
		p = put16(p, c->code[k]);
		p = put16(p, (uint16_t)value_len(m, k));
		switch (k) {
		case BGP_META_K_SITE_PREF:
			p = put32(p, m->site_pref);
			break;
		case BGP_META_K_SITE_AVAIL:
			*p++ = m->site_avail;
			break;
		case BGP_META_K_DELAY:
			p = put32(p, m->delay_us);
			break;
		case BGP_META_K_CAPABILITY:
			p = put32(p, m->metric);
			p = put32(p, m->price_milli);
			memcpy(p, m->site, strlen(m->site));
			p += strlen(m->site);
			break;
		case BGP_META_K_RESOURCE:
			p = put64(p, m->total);
			p = put64(p, m->available);
			break;
		case BGP_META_K_AS_SCOPE:
			for (int i = 0; i < m->n_scope; i++)
				p = put32(p, m->scope[i]);
			break;
		}
	}
	return (int)(p - buf);
}

int bgp_meta_encode_attr(const struct bgp_meta *m,
			 const struct bgp_meta_codes *c, uint8_t attr_type,
			 uint8_t *buf, size_t buflen, char *err, size_t errlen)
{
	uint8_t val[BGP_META_VALUE_MAX];
	int n = bgp_meta_encode(m, c, val, sizeof(val), err, errlen);

	if (n < 0)
		return -1;
	bool ext = n > 255;
	size_t hdr = ext ? 4 : 3;

	if (hdr + (size_t)n > buflen)
		return cfn_err(err, errlen, "attribute needs %zu octets",
			       hdr + (size_t)n);
	buf[0] = BGP_META_ATTR_FLAGS | (ext ? BGP_META_ATTR_FLAG_EXTLEN : 0);
	buf[1] = attr_type;
	if (ext)
		put16(buf + 2, (uint16_t)n);
	else
		buf[2] = (uint8_t)n;
	memcpy(buf + hdr, val, n);
	return (int)hdr + n;
}

bool bgp_meta_in_scope(const struct bgp_meta *m, uint32_t asn)
{
	if (!BGP_META_HAS(m, BGP_META_K_AS_SCOPE))
		return false;
	for (int i = 0; i < m->n_scope; i++)
		if (m->scope[i] == asn)
			return true;
	return false;
}

bool bgp_meta_equal(const struct bgp_meta *a, const struct bgp_meta *b)
{
	if (a->present != b->present)
		return false;
	for (int k = 0; k < BGP_META_K_COUNT; k++) {
		if (!BGP_META_HAS(a, k))
			continue;
		switch (k) {
		case BGP_META_K_SITE_PREF:
			if (a->site_pref != b->site_pref)
				return false;
			break;
		case BGP_META_K_SITE_AVAIL:
			if (a->site_avail != b->site_avail)
				return false;
			break;
		case BGP_META_K_DELAY:
			if (a->delay_us != b->delay_us)
				return false;
			break;
		case BGP_META_K_CAPABILITY:
			if (a->metric != b->metric ||
			    a->price_milli != b->price_milli ||
			    strcmp(a->site, b->site))
				return false;
			break;
		case BGP_META_K_RESOURCE:
			if (a->total != b->total ||
			    a->available != b->available)
				return false;
			break;
		case BGP_META_K_AS_SCOPE:
			if (a->n_scope != b->n_scope ||
			    memcmp(a->scope, b->scope, 4u * a->n_scope))
				return false;
			break;
		}
	}
	return true;
}

const char *bgp_meta_kind_name(enum bgp_meta_kind k)
{
	return (unsigned int)k < BGP_META_K_COUNT ? kind_names[k] : "unknown";
}

const char *bgp_meta_fault_name(enum bgp_meta_fault f)
{
	return (unsigned int)f < BGP_META_E_FAULT_COUNT ? fault_names[f]
							: "unknown";
}
