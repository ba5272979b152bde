// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tlv.h"
#include "bytes.h"

static const char *const field_names[] = {
	[CFN_GI_F_PREFIX] = "prefix",
	[CFN_GI_F_METRIC] = "compute-metric",
	[CFN_GI_F_CAP_TOTAL] = "capacity-total",
	[CFN_GI_F_CAP_AVAIL] = "capacity-available",
	[CFN_GI_F_CPU_UTIL] = "cpu-utilization",
	[CFN_GI_F_MEM_UTIL] = "memory-utilization",
	[CFN_GI_F_GPU_UTIL] = "gpu-utilization",
	[CFN_GI_F_SCORE] = "score",
	[CFN_GI_F_PRICE] = "price",
	[CFN_GI_F_SITE_ID] = "site-id",
};

#define FIELD_MAX CFN_GI_F_SITE_ID

const char *cfn_gi_field_name(uint8_t type)
{
	if (type == 0 || type > FIELD_MAX)
		return "unknown";
	return field_names[type];
}


static bool site_id_ok(const uint8_t *s, size_t len, char *err, size_t errlen)
{
	if (len < 1 || len > CFN_SITE_ID_MAX) {
		snprintf(err, errlen, "site-id length %zu out of range 1-%d",
			 len, CFN_SITE_ID_MAX);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		/* printable ASCII only: it ends up in logs and show output */
		if (s[i] < 0x20 || s[i] > 0x7e) {
			snprintf(err, errlen,
				 "site-id has a non-printable octet 0x%02x",
				 s[i]);
			return false;
		}
	}
	return true;
}

bool cfn_svc_entry_validate(const struct cfn_svc_entry *e, char *err,
			    size_t errlen)
{
	unsigned int max = cfn_svc_prefix_maxlen(e->prefix.afi);

	if (!max) {
		snprintf(err, errlen, "bad AFI %u (expected 1=IPv4 or 2=IPv6)",
			 e->prefix.afi);
		return false;
	}
	if (e->prefix.plen > max) {
		snprintf(err, errlen, "prefix length %u > %u for %s",
			 e->prefix.plen, max, max == 32 ? "IPv4" : "IPv6");
		return false;
	}
	if ((e->present & CFN_SE_CPU) && e->cpu_pct > CFN_UTIL_MAX) {
		snprintf(err, errlen, "cpu-utilization %u out of range 0-%d",
			 e->cpu_pct, CFN_UTIL_MAX);
		return false;
	}
	if ((e->present & CFN_SE_MEM) && e->mem_pct > CFN_UTIL_MAX) {
		snprintf(err, errlen, "memory-utilization %u out of range 0-%d",
			 e->mem_pct, CFN_UTIL_MAX);
		return false;
	}
	if ((e->present & CFN_SE_GPU) && e->gpu_pct > CFN_UTIL_MAX) {
		snprintf(err, errlen, "gpu-utilization %u out of range 0-%d",
			 e->gpu_pct, CFN_UTIL_MAX);
		return false;
	}
	if ((e->present & CFN_SE_SCORE) && e->score > CFN_SCORE_MAX) {
		snprintf(err, errlen, "score %u out of range 0-%d", e->score,
			 CFN_SCORE_MAX);
		return false;
	}
	if (e->present & CFN_SE_SITE) {
		size_t n = strnlen(e->site_id, sizeof(e->site_id));

		if (n == sizeof(e->site_id)) {
			snprintf(err, errlen, "site-id longer than %d octets",
				 CFN_SITE_ID_MAX);
			return false;
		}
		if (!site_id_ok((const uint8_t *)e->site_id, n, err, errlen))
			return false;
	}
	return true;
}

size_t cfn_svc_entry_wire_len(const struct cfn_svc_entry *e)
{
	size_t n = 2 + (2 + 2 + cfn_svc_prefix_bytes(e->prefix.plen)) + 6;

	n += (e->present & CFN_SE_CAP_TOTAL) ? 6 : 0;
	n += (e->present & CFN_SE_CAP_AVAIL) ? 6 : 0;
	n += (e->present & CFN_SE_CPU) ? 3 : 0;
	n += (e->present & CFN_SE_MEM) ? 3 : 0;
	n += (e->present & CFN_SE_GPU) ? 3 : 0;
	n += (e->present & CFN_SE_SCORE) ? 3 : 0;
	n += (e->present & CFN_SE_PRICE) ? 6 : 0;
	if (e->present & CFN_SE_SITE)
		n += 2 + strnlen(e->site_id, CFN_SITE_ID_MAX);
	return n;
}

static uint8_t *put_u32_field(uint8_t *p, uint8_t type, uint32_t v)
{
	p[0] = type;
	p[1] = 4;
	put_be32(p + 2, v);
	return p + 6;
}

static uint8_t *put_u8_field(uint8_t *p, uint8_t type, uint8_t v)
{
	p[0] = type;
	p[1] = 1;
	p[2] = v;
	return p + 3;
}

/* Writes a validated entry; the caller made sure it fits. */
static size_t put_entry(uint8_t *start, const struct cfn_svc_entry *e)
{
	struct cfn_svc_prefix pfx = e->prefix;
	unsigned int nb = cfn_svc_prefix_bytes(pfx.plen);
	uint8_t *p = start + 2;

	cfn_svc_prefix_mask(&pfx);
	*p++ = CFN_GI_F_PREFIX;
	*p++ = (uint8_t)(2 + nb);
	*p++ = pfx.afi;
	*p++ = pfx.plen;
	memcpy(p, pfx.addr, nb);
	p += nb;
	p = put_u32_field(p, CFN_GI_F_METRIC, e->metric);
	if (e->present & CFN_SE_CAP_TOTAL)
		p = put_u32_field(p, CFN_GI_F_CAP_TOTAL, e->cap_total);
	if (e->present & CFN_SE_CAP_AVAIL)
		p = put_u32_field(p, CFN_GI_F_CAP_AVAIL, e->cap_avail);
	if (e->present & CFN_SE_CPU)
		p = put_u8_field(p, CFN_GI_F_CPU_UTIL, e->cpu_pct);
	if (e->present & CFN_SE_MEM)
		p = put_u8_field(p, CFN_GI_F_MEM_UTIL, e->mem_pct);
	if (e->present & CFN_SE_GPU)
		p = put_u8_field(p, CFN_GI_F_GPU_UTIL, e->gpu_pct);
	if (e->present & CFN_SE_SCORE)
		p = put_u8_field(p, CFN_GI_F_SCORE, e->score);
	if (e->present & CFN_SE_PRICE)
		p = put_u32_field(p, CFN_GI_F_PRICE, e->price_milli);
	if (e->present & CFN_SE_SITE) {
		size_t n = strnlen(e->site_id, CFN_SITE_ID_MAX);

		*p++ = CFN_GI_F_SITE_ID;
		*p++ = (uint8_t)n;
		memcpy(p, e->site_id, n);
		p += n;
	}
	start[0] = CFN_GI_SUB_SERVICE;
	start[1] = (uint8_t)(p - start - 2);
	return (size_t)(p - start);
}

static size_t hdr_len(const struct cfn_geninfo_hdr *hdr)
{
	return CFN_GENINFO_HDR_LEN + (hdr->has_v4 ? 4 : 0) +
	       (hdr->has_v6 ? 16 : 0);
}

void cfn_geninfo_start(struct cfn_tlv_value *tv,
		       const struct cfn_geninfo_hdr *h)
{
	uint8_t flags = h->flags & (CFN_GENINFO_FLAG_S | CFN_GENINFO_FLAG_D);
	uint8_t *p = tv->val;

	if (h->has_v4)
		flags |= CFN_GENINFO_FLAG_I;
	if (h->has_v6)
		flags |= CFN_GENINFO_FLAG_V;
	*p++ = flags;
	*p++ = (uint8_t)(h->app_id >> 8);
	*p++ = (uint8_t)h->app_id;
	/* RFC 6823: the IPv4 address comes first when both are present */
	if (h->has_v4) {
		memcpy(p, h->v4, 4);
		p += 4;
	}
	if (h->has_v6) {
		memcpy(p, h->v6, 16);
		p += 16;
	}
	tv->len = (uint8_t)(p - tv->val);
}

bool cfn_geninfo_append(struct cfn_tlv_value *tv, const struct cfn_svc_entry *e,
			char *err, size_t errlen)
{
	size_t el;

	if (!cfn_svc_entry_validate(e, err, errlen))
		return false;
	el = cfn_svc_entry_wire_len(e);
	if (tv->len + el > CFN_GENINFO_VALUE_MAX) {
		snprintf(err, errlen,
			 "entry of %zu octets does not fit in the %d left", el,
			 CFN_GENINFO_VALUE_MAX - tv->len);
		return false;
	}
	tv->len = (uint8_t)(tv->len + put_entry(tv->val + tv->len, e));
	return true;
}

int cfn_geninfo_encode(const struct cfn_geninfo_hdr *hdr,
		       const struct cfn_svc_entry *entries, size_t n,
		       struct cfn_tlv_value *out, size_t max_out, char *err,
		       size_t errlen)
{
	size_t hl = hdr_len(hdr), used = 0;
	int count = 0;
	char why[128];

	for (size_t i = 0; i < n; i++) {
		char pbuf[CFN_SVCPREFIX_STRLEN];
		size_t el;

		if (!cfn_svc_entry_validate(&entries[i], why, sizeof(why))) {
			snprintf(err, errlen, "entry %zu: %s", i, why);
			return -1;
		}
		for (size_t j = 0; j < i; j++) {
			/* receivers would drop the second one */
			if (cfn_svc_prefix_equal(&entries[j].prefix,
						 &entries[i].prefix)) {
				snprintf(
					err, errlen,
					"entry %zu: duplicate service entry for %s",
					i,
					cfn_svc_prefix_str(&entries[i].prefix,
							   pbuf, sizeof(pbuf)));
				return -1;
			}
		}
		el = cfn_svc_entry_wire_len(&entries[i]);
		if (hl + el > CFN_GENINFO_VALUE_MAX) {
			/* unreachable with today's field sizes; keep it loud */
			snprintf(
				err, errlen,
				"entry %zu (%s) needs %zu octets, more than one TLV",
				i,
				cfn_svc_prefix_str(&entries[i].prefix, pbuf,
						   sizeof(pbuf)),
				el);
			return -1;
		}
		if (count == 0 || used + el > CFN_GENINFO_VALUE_MAX) {
			if (out && (size_t)count >= max_out) {
				snprintf(
					err, errlen,
					"entries need more than %zu GENINFO TLV(s)",
					max_out);
				return -1;
			}
			if (out)
				cfn_geninfo_start(&out[count], hdr);
			count++;
			used = hl;
		}
		if (out) {
			struct cfn_tlv_value *tv = &out[count - 1];

			tv->len =
				(uint8_t)(tv->len + put_entry(tv->val + tv->len,
							      &entries[i]));
		}
		used += el;
	}
	return count;
}

bool cfn_svc_entry_equal(const struct cfn_svc_entry *a,
			 const struct cfn_svc_entry *b)
{
	if (!cfn_svc_prefix_equal(&a->prefix, &b->prefix) ||
	    a->metric != b->metric || a->present != b->present)
		return false;
	if ((a->present & CFN_SE_CAP_TOTAL) && a->cap_total != b->cap_total)
		return false;
	if ((a->present & CFN_SE_CAP_AVAIL) && a->cap_avail != b->cap_avail)
		return false;
	if ((a->present & CFN_SE_CPU) && a->cpu_pct != b->cpu_pct)
		return false;
	if ((a->present & CFN_SE_MEM) && a->mem_pct != b->mem_pct)
		return false;
	if ((a->present & CFN_SE_GPU) && a->gpu_pct != b->gpu_pct)
		return false;
	if ((a->present & CFN_SE_SCORE) && a->score != b->score)
		return false;
	if ((a->present & CFN_SE_PRICE) && a->price_milli != b->price_milli)
		return false;
	if ((a->present & CFN_SE_SITE) &&
	    strncmp(a->site_id, b->site_id, sizeof(a->site_id)) != 0)
		return false;
	return true;
}

/* Decoder ---------------------------------------------------------------- */

struct dec {
	const uint8_t *val;
	cfn_gi_report_fn report;
	void *arg;
	struct cfn_geninfo_decoded *out;
	int entry;
};


__attribute__((format(printf, 5, 6))) static void say(struct dec *d,
						      enum cfn_gi_problem code,
						      bool dropped, size_t off,
						      const char *fmt, ...)
{
	struct cfn_gi_report r = {
		.code = code,
		.dropped = dropped,
		.entry = d->entry,
		.offset = off,
	};
	va_list ap;

	if (!d->report)
		return;
	va_start(ap, fmt);
	vsnprintf(r.reason, sizeof(r.reason), fmt, ap);
	va_end(ap);
	d->report(d->arg, &r);
}

static const uint32_t field_bit[] = {
	[CFN_GI_F_PREFIX] = 1u << 16,
	[CFN_GI_F_METRIC] = 1u << 17,
	[CFN_GI_F_CAP_TOTAL] = CFN_SE_CAP_TOTAL,
	[CFN_GI_F_CAP_AVAIL] = CFN_SE_CAP_AVAIL,
	[CFN_GI_F_CPU_UTIL] = CFN_SE_CPU,
	[CFN_GI_F_MEM_UTIL] = CFN_SE_MEM,
	[CFN_GI_F_GPU_UTIL] = CFN_SE_GPU,
	[CFN_GI_F_SCORE] = CFN_SE_SCORE,
	[CFN_GI_F_PRICE] = CFN_SE_PRICE,
	[CFN_GI_F_SITE_ID] = CFN_SE_SITE,
};

static const uint8_t fixed_len[] = {
	[CFN_GI_F_METRIC] = 4,	  [CFN_GI_F_CAP_TOTAL] = 4,
	[CFN_GI_F_CAP_AVAIL] = 4, [CFN_GI_F_CPU_UTIL] = 1,
	[CFN_GI_F_MEM_UTIL] = 1,  [CFN_GI_F_GPU_UTIL] = 1,
	[CFN_GI_F_SCORE] = 1,	  [CFN_GI_F_PRICE] = 4,
};

/* Prefix field value: AFI(1) plen(1) ceil(plen/8) octets. */
static bool dec_prefix(struct dec *d, const uint8_t *p, uint8_t fl, size_t off,
		       struct cfn_svc_entry *e)
{
	unsigned int max, nb;

	if (fl < 2) {
		say(d, CFN_GI_E_TRUNCATED, true, off,
		    "truncated prefix field: length %u, needs at least 2", fl);
		return false;
	}
	max = cfn_svc_prefix_maxlen(p[0]);
	if (!max) {
		say(d, CFN_GI_E_BAD_AFI, true, off,
		    "bad AFI %u (expected 1=IPv4 or 2=IPv6)", p[0]);
		return false;
	}
	if (p[1] > max) {
		say(d, CFN_GI_E_BAD_PLEN, true, off + 1,
		    "prefix length %u > %u for %s", p[1], max,
		    max == 32 ? "IPv4" : "IPv6");
		return false;
	}
	nb = cfn_svc_prefix_bytes(p[1]);
	if (fl - 2u < nb) {
		say(d, CFN_GI_E_TRUNCATED, true, off,
		    "truncated prefix: /%u needs %u octet(s), field has %u",
		    p[1], nb, fl - 2u);
		return false;
	}
	if (fl - 2u > nb) {
		say(d, CFN_GI_E_BAD_LENGTH, true, off,
		    "bad length %u for prefix field /%u (expected %u)", fl,
		    p[1], 2 + nb);
		return false;
	}
	memset(&e->prefix, 0, sizeof(e->prefix));
	e->prefix.afi = p[0];
	e->prefix.plen = p[1];
	memcpy(e->prefix.addr, p + 2, nb);
	/* bits past the length are ignored, as for IS-IS reachability */
	cfn_svc_prefix_mask(&e->prefix);
	return true;
}

static bool dec_range(struct dec *d, uint8_t ft, uint8_t v, uint8_t max,
		      size_t off, uint8_t *dst)
{
	if (v > max) {
		say(d, CFN_GI_E_RANGE, true, off, "%s %u out of range 0-%u",
		    cfn_gi_field_name(ft), v, max);
		return false;
	}
	*dst = v;
	return true;
}

static bool dec_field(struct dec *d, uint8_t ft, const uint8_t *p, uint8_t fl,
		      size_t off, struct cfn_svc_entry *e)
{
	char why[128];

	if (ft != CFN_GI_F_PREFIX && ft != CFN_GI_F_SITE_ID &&
	    fl != fixed_len[ft]) {
		say(d, CFN_GI_E_BAD_LENGTH, true, off,
		    "bad length %u for %s field (expected %u)", fl,
		    cfn_gi_field_name(ft), fixed_len[ft]);
		return false;
	}
	switch (ft) {
	case CFN_GI_F_PREFIX:
		return dec_prefix(d, p, fl, off, e);
	case CFN_GI_F_METRIC:
		e->metric = get_be32(p);
		return true;
	case CFN_GI_F_CAP_TOTAL:
		e->cap_total = get_be32(p);
		return true;
	case CFN_GI_F_CAP_AVAIL:
		e->cap_avail = get_be32(p);
		return true;
	case CFN_GI_F_CPU_UTIL:
		return dec_range(d, ft, p[0], CFN_UTIL_MAX, off, &e->cpu_pct);
	case CFN_GI_F_MEM_UTIL:
		return dec_range(d, ft, p[0], CFN_UTIL_MAX, off, &e->mem_pct);
	case CFN_GI_F_GPU_UTIL:
		return dec_range(d, ft, p[0], CFN_UTIL_MAX, off, &e->gpu_pct);
	case CFN_GI_F_SCORE:
		return dec_range(d, ft, p[0], CFN_SCORE_MAX, off, &e->score);
	case CFN_GI_F_PRICE:
		e->price_milli = get_be32(p);
		return true;
	case CFN_GI_F_SITE_ID:
		if (!site_id_ok(p, fl, why, sizeof(why))) {
			say(d, CFN_GI_E_RANGE, true, off, "%s", why);
			return false;
		}
		memcpy(e->site_id, p, fl);
		e->site_id[fl] = '\0';
		return true;
	}
	return false;
}

/* p/len: the entry's value; base: its offset in the GENINFO value. */
static bool dec_entry(struct dec *d, const uint8_t *p, size_t len, size_t base,
		      struct cfn_svc_entry *e)
{
	uint32_t seen = 0;
	size_t q = 0;

	memset(e, 0, sizeof(*e));
	while (q < len) {
		uint8_t ft, fl;

		if (len - q < 2) {
			say(d, CFN_GI_E_TRUNCATED, true, base + q,
			    "truncated: %zu octet(s) left in entry, a field header needs 2",
			    len - q);
			return false;
		}
		ft = p[q];
		fl = p[q + 1];
		if (fl > len - q - 2) {
			say(d, CFN_GI_E_OVERFLOW, true, base + q + 1,
			    "length overflow: %s field length %u exceeds the %zu octet(s) left in the entry",
			    cfn_gi_field_name(ft), fl, len - q - 2);
			return false;
		}
		if (ft == 0 || ft > FIELD_MAX) {
			/* unknown fields are skipped, as IS-IS does with TLVs
			 */
			d->out->n_unknown_fields++;
			say(d, CFN_GI_I_UNKNOWN_FIELD, false, base + q,
			    "unknown field type %u (length %u) skipped", ft,
			    fl);
			q += 2u + fl;
			continue;
		}
		if (seen & field_bit[ft]) {
			say(d, CFN_GI_E_DUPLICATE, true, base + q,
			    "duplicate %s field", cfn_gi_field_name(ft));
			return false;
		}
		seen |= field_bit[ft];
		if (!dec_field(d, ft, p + q + 2, fl, base + q, e))
			return false;
		q += 2u + fl;
	}
	if (!(seen & field_bit[CFN_GI_F_PREFIX]) ||
	    !(seen & field_bit[CFN_GI_F_METRIC])) {
		say(d, CFN_GI_E_MISSING, true, base,
		    "missing mandatory %s field",
		    cfn_gi_field_name((seen & field_bit[CFN_GI_F_PREFIX])
					      ? CFN_GI_F_METRIC
					      : CFN_GI_F_PREFIX));
		return false;
	}
	e->present = seen & 0xffffu;
	return true;
}

static bool dup_entry(const struct cfn_geninfo_decoded *out,
		      const struct cfn_svc_prefix *p)
{
	for (size_t i = 0; i < out->n_entries; i++)
		if (cfn_svc_prefix_equal(&out->entries[i].prefix, p))
			return true;
	return false;
}

static bool dec_hdr(struct dec *d, size_t len, size_t *pos)
{
	struct cfn_geninfo_hdr *h = &d->out->hdr;
	const uint8_t *val = d->val;

	if (len < CFN_GENINFO_HDR_LEN) {
		say(d, CFN_GI_E_HEADER, true, 0,
		    "GENINFO value too short: %zu octet(s), need %d", len,
		    CFN_GENINFO_HDR_LEN);
		return false;
	}
	h->flags = val[0];
	h->app_id = (uint16_t)(val[1] << 8 | val[2]);
	*pos = CFN_GENINFO_HDR_LEN;
	if (h->flags & CFN_GENINFO_FLAG_I) {
		if (len - *pos < 4) {
			say(d, CFN_GI_E_HEADER, true, *pos,
			    "GENINFO I flag set but only %zu octet(s) left for the IPv4 address",
			    len - *pos);
			return false;
		}
		h->has_v4 = true;
		memcpy(h->v4, val + *pos, 4);
		*pos += 4;
	}
	if (h->flags & CFN_GENINFO_FLAG_V) {
		if (len - *pos < 16) {
			say(d, CFN_GI_E_HEADER, true, *pos,
			    "GENINFO V flag set but only %zu octet(s) left for the IPv6 address",
			    len - *pos);
			return false;
		}
		h->has_v6 = true;
		memcpy(h->v6, val + *pos, 16);
		*pos += 16;
	}
	return true;
}

enum cfn_gi_result cfn_geninfo_decode(const uint8_t *val, size_t len,
				      uint16_t app_id,
				      struct cfn_geninfo_decoded *out,
				      cfn_gi_report_fn report, void *arg)
{
	struct dec d = {.val = val,
			.report = report,
			.arg = arg,
			.out = out,
			.entry = -1};
	size_t pos;

	memset(out, 0, sizeof(*out));
	if (len > CFN_GENINFO_VALUE_MAX) {
		/* not from a TLV: the entry array is sized for 255 octets */
		say(&d, CFN_GI_E_HEADER, true, 0,
		    "GENINFO value longer than %d octets: %zu",
		    CFN_GENINFO_VALUE_MAX, len);
		return CFN_GI_BAD_HEADER;
	}
	if (len < CFN_GENINFO_HDR_LEN) {
		dec_hdr(&d, len, &pos);
		return CFN_GI_BAD_HEADER;
	}
	/* another application's data is none of our business, even if bad */
	if ((uint16_t)(val[1] << 8 | val[2]) != app_id) {
		out->hdr.flags = val[0];
		out->hdr.app_id = (uint16_t)(val[1] << 8 | val[2]);
		return CFN_GI_OTHER_APP;
	}
	if (!dec_hdr(&d, len, &pos))
		return CFN_GI_BAD_HEADER;

	for (d.entry = 0; pos < len; d.entry++) {
		struct cfn_svc_entry e;
		char pbuf[CFN_SVCPREFIX_STRLEN];
		uint8_t type, l;

		if (len - pos < 2) {
			say(&d, CFN_GI_E_TRUNCATED, true, pos,
			    "truncated: %zu octet(s) left, a sub-TLV header needs 2",
			    len - pos);
			out->n_dropped++;
			break;
		}
		type = val[pos];
		l = val[pos + 1];
		if (l > len - pos - 2) {
			/* nothing after this point can be delimited */
			say(&d, CFN_GI_E_OVERFLOW, true, pos + 1,
			    "length overflow: sub-TLV length %u exceeds the %zu octet(s) left",
			    l, len - pos - 2);
			out->n_dropped++;
			break;
		}
		if (type != CFN_GI_SUB_SERVICE) {
			out->n_unknown_subtlvs++;
			say(&d, CFN_GI_I_UNKNOWN_SUBTLV, false, pos,
			    "unknown sub-TLV type %u (length %u) skipped", type,
			    l);
		} else if (!dec_entry(&d, val + pos + 2, l, pos + 2, &e)) {
			out->n_dropped++;
		} else if (dup_entry(out, &e.prefix)) {
			say(&d, CFN_GI_E_DUP_ENTRY, true, pos,
			    "duplicate service entry for %s",
			    cfn_svc_prefix_str(&e.prefix, pbuf, sizeof(pbuf)));
			out->n_dropped++;
		} else if (out->n_entries < CFN_GENINFO_MAX_ENTRIES) {
			out->entries[out->n_entries++] = e;
		}
		pos += 2u + l;
	}
	return CFN_GI_OK;
}
