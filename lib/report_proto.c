// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "report_proto.h"
#include "price.h"

#define REPORT_FIELDS                                                          \
	(CFN_SE_CAP_TOTAL | CFN_SE_CPU | CFN_SE_MEM | CFN_SE_GPU |             \
	 CFN_SE_SCORE | CFN_SE_PRICE)

/* Keywords after the prefix; bit 31 marks the mandatory "available". */
#define KW_AVAILABLE (1u << 31)

static const struct keyword {
	const char *name;
	uint32_t bit;
	unsigned int max; /* for one-octet fields, else 0 */
} keywords[] = {
	{"available", KW_AVAILABLE, 0},
	{"total", CFN_SE_CAP_TOTAL, 0},
	{"cpu", CFN_SE_CPU, CFN_UTIL_MAX},
	{"mem", CFN_SE_MEM, CFN_UTIL_MAX},
	{"gpu", CFN_SE_GPU, CFN_UTIL_MAX},
	{"score", CFN_SE_SCORE, CFN_SCORE_MAX},
	{"price", CFN_SE_PRICE, 0},
};

#define NKEYWORDS (sizeof(keywords) / sizeof(keywords[0]))

static bool set_field(struct cfn_report *r, const struct keyword *kw,
		      const char *val, char *err, size_t errlen)
{
	uint32_t v;

	if (kw->bit == CFN_SE_PRICE) {
		if (!cfn_price_parse(val, &r->price_milli)) {
			snprintf(err, errlen,
				 "bad price '%s' (" CFN_PRICE_RANGE ")", val);
			return false;
		}
		return true;
	}
	if (!cfn_parse_u32(val, &v)) {
		snprintf(err, errlen,
			 "bad number '%s' for %s (expected 0-4294967295)", val,
			 kw->name);
		return false;
	}
	if (kw->max && v > kw->max) {
		snprintf(err, errlen, "%s %u out of range 0-%u", kw->name, v,
			 kw->max);
		return false;
	}
	switch (kw->bit) {
	case KW_AVAILABLE:
		r->available = v;
		break;
	case CFN_SE_CAP_TOTAL:
		r->total = v;
		break;
	case CFN_SE_CPU:
		r->cpu_pct = (uint8_t)v;
		break;
	case CFN_SE_MEM:
		r->mem_pct = (uint8_t)v;
		break;
	case CFN_SE_GPU:
		r->gpu_pct = (uint8_t)v;
		break;
	case CFN_SE_SCORE:
		r->score = (uint8_t)v;
		break;
	}
	return true;
}

/* Copies line into buf without its newline, refusing anything unprintable. */
static bool clean_line(const char *line, size_t len, char *buf, char *err,
		       size_t errlen)
{
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	if (len > CFN_REPORT_LINE_MAX) {
		snprintf(err, errlen, "message longer than %d octets",
			 CFN_REPORT_LINE_MAX);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c > 0x7e) {
			snprintf(err, errlen,
				 "invalid octet 0x%02x at position %zu", c, i);
			return false;
		}
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	return true;
}

bool cfn_report_parse(const char *line, size_t len, struct cfn_report *r,
		      char *err, size_t errlen)
{
	char buf[CFN_REPORT_LINE_MAX + 1], why[160];
	char *save = NULL, *tok;
	uint32_t seen = 0;

	memset(r, 0, sizeof(*r));
	if (!clean_line(line, len, buf, err, errlen))
		return false;
	tok = strtok_r(buf, " \t", &save);
	if (!tok) {
		snprintf(err, errlen, "empty message");
		return false;
	}
	if (strcmp(tok, "service") != 0) {
		snprintf(err, errlen,
			 "unknown command '%.40s' (expected 'service')", tok);
		return false;
	}
	tok = strtok_r(NULL, " \t", &save);
	if (!tok) {
		snprintf(err, errlen, "missing service prefix");
		return false;
	}
	if (!cfn_svc_prefix_parse(tok, &r->prefix, why, sizeof(why))) {
		snprintf(err, errlen, "%s", why);
		return false;
	}
	while ((tok = strtok_r(NULL, " \t", &save))) {
		const struct keyword *kw = NULL;
		char *val;

		for (size_t i = 0; i < NKEYWORDS; i++)
			if (strcmp(tok, keywords[i].name) == 0)
				kw = &keywords[i];
		if (!kw) {
			snprintf(err, errlen, "unknown keyword '%.40s'", tok);
			return false;
		}
		if (seen & kw->bit) {
			snprintf(err, errlen, "duplicate keyword '%s'",
				 kw->name);
			return false;
		}
		val = strtok_r(NULL, " \t", &save);
		if (!val) {
			snprintf(err, errlen, "keyword '%s' needs a value",
				 kw->name);
			return false;
		}
		if (!set_field(r, kw, val, err, errlen))
			return false;
		seen |= kw->bit;
	}
	if (!(seen & KW_AVAILABLE)) {
		snprintf(err, errlen, "missing mandatory 'available N'");
		return false;
	}
	r->present = seen & REPORT_FIELDS;
	if ((r->present & CFN_SE_CAP_TOTAL) && r->available > r->total) {
		snprintf(err, errlen, "available %u exceeds total %u",
			 r->available, r->total);
		return false;
	}
	return true;
}

int cfn_report_format(const struct cfn_report *r, char *buf, size_t buflen)
{
	char pfx[CFN_SVCPREFIX_STRLEN];
	size_t n;
	int k;

#define APPEND(...)                                                            \
	do {                                                                   \
		k = snprintf(buf + n, buflen - n, __VA_ARGS__);                \
		if (k < 0 || (size_t)k >= buflen - n)                          \
			return -1;                                             \
		n += (size_t)k;                                                \
	} while (0)

	if (!buflen)
		return -1;
	n = 0;
	APPEND("service %s available %u",
	       cfn_svc_prefix_str(&r->prefix, pfx, sizeof(pfx)), r->available);
	if (r->present & CFN_SE_CAP_TOTAL)
		APPEND(" total %u", r->total);
	if (r->present & CFN_SE_CPU)
		APPEND(" cpu %u", r->cpu_pct);
	if (r->present & CFN_SE_MEM)
		APPEND(" mem %u", r->mem_pct);
	if (r->present & CFN_SE_GPU)
		APPEND(" gpu %u", r->gpu_pct);
	if (r->present & CFN_SE_SCORE)
		APPEND(" score %u", r->score);
	if (r->present & CFN_SE_PRICE) {
		char price[CFN_PRICE_STRLEN];

		APPEND(" price %s",
		       cfn_price_str(r->price_milli, price, sizeof(price)));
	}
#undef APPEND
	return (int)n;
}

void cfn_report_reply(bool ok, const char *reason, char *buf, size_t buflen)
{
	if (ok)
		snprintf(buf, buflen, "ok\n");
	else
		snprintf(buf, buflen, "error: %s\n", reason);
}

bool cfn_report_handle(const char *line, size_t len, struct cfn_report *r,
		       char *reply, size_t replylen)
{
	char err[CFN_REPORT_LINE_MAX];
	bool ok = cfn_report_parse(line, len, r, err, sizeof(err));

	cfn_report_reply(ok, err, reply, replylen);
	return ok;
}

bool cfn_report_parse_reply(const char *line, size_t len, char *reason,
			    size_t reasonlen)
{
	char buf[CFN_REPORT_LINE_MAX + 1], err[160];

	reason[0] = '\0';
	if (!clean_line(line, len, buf, err, sizeof(err))) {
		snprintf(reason, reasonlen, "malformed reply: %s", err);
		return false;
	}
	if (strcmp(buf, "ok") == 0)
		return true;
	if (strncmp(buf, "error: ", 7) == 0)
		snprintf(reason, reasonlen, "%s", buf + 7);
	else
		snprintf(reason, reasonlen, "unexpected reply '%.100s'", buf);
	return false;
}

void cfn_report_apply(const struct cfn_report *r, struct cfn_svc_entry *e)
{
	e->cap_avail = r->available;
	e->present |= CFN_SE_CAP_AVAIL;
	if (r->present & CFN_SE_CAP_TOTAL)
		e->cap_total = r->total;
	if (r->present & CFN_SE_CPU)
		e->cpu_pct = r->cpu_pct;
	if (r->present & CFN_SE_MEM)
		e->mem_pct = r->mem_pct;
	if (r->present & CFN_SE_GPU)
		e->gpu_pct = r->gpu_pct;
	if (r->present & CFN_SE_SCORE)
		e->score = r->score;
	if (r->present & CFN_SE_PRICE)
		e->price_milli = r->price_milli;
	e->present |= r->present;
}
