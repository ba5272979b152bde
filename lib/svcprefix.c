// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svcprefix.h"

unsigned int cfn_svc_prefix_maxlen(uint8_t afi)
{
	switch (afi) {
	case CFN_AFI_IPV4:
		return 32;
	case CFN_AFI_IPV6:
		return 128;
	}
	return 0;
}

void cfn_svc_prefix_mask(struct cfn_svc_prefix *p)
{
	unsigned int full = p->plen / 8, rem = p->plen % 8;

	if (p->plen >= 128)
		return;
	if (rem) {
		p->addr[full] &= (uint8_t)(0xff00u >> rem);
		full++;
	}
	memset(p->addr + full, 0, sizeof(p->addr) - full);
}

bool cfn_svc_prefix_equal(const struct cfn_svc_prefix *a,
			  const struct cfn_svc_prefix *b)
{
	return a->afi == b->afi && a->plen == b->plen &&
	       memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

bool cfn_svc_prefix_parse(const char *s, struct cfn_svc_prefix *p, char *err,
			  size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	const char *lenstr;
	struct cfn_svc_prefix masked;
	unsigned long len;
	char *end;
	size_t alen;

	memset(p, 0, sizeof(*p));
	if (!slash) {
		snprintf(err, errlen, "prefix '%s' has no /length", s);
		return false;
	}
	alen = (size_t)(slash - s);
	if (alen == 0 || alen >= sizeof(addr)) {
		snprintf(err, errlen, "bad prefix address in '%s'", s);
		return false;
	}
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, p->addr) == 1)
		p->afi = CFN_AFI_IPV4;
	else if (inet_pton(AF_INET6, addr, p->addr) == 1)
		p->afi = CFN_AFI_IPV6;
	else {
		snprintf(err, errlen, "bad prefix address '%s'", addr);
		return false;
	}
	lenstr = slash + 1;
	errno = 0;
	if (*lenstr < '0' || *lenstr > '9' || strlen(lenstr) > 3) {
		snprintf(err, errlen, "bad prefix length '%s'", lenstr);
		return false;
	}
	len = strtoul(lenstr, &end, 10);
	if (*end != '\0') {
		snprintf(err, errlen, "bad prefix length '%s'", lenstr);
		return false;
	}
	if (len > cfn_svc_prefix_maxlen(p->afi)) {
		snprintf(err, errlen, "prefix length %lu > %u for %s", len,
			 cfn_svc_prefix_maxlen(p->afi),
			 p->afi == CFN_AFI_IPV4 ? "IPv4" : "IPv6");
		return false;
	}
	p->plen = (uint8_t)len;
	masked = *p;
	cfn_svc_prefix_mask(&masked);
	if (!cfn_svc_prefix_equal(&masked, p)) {
		snprintf(err, errlen, "prefix '%s' has host bits set", s);
		return false;
	}
	return true;
}

const char *cfn_svc_prefix_str(const struct cfn_svc_prefix *p, char *buf,
			       size_t buflen)
{
	char addr[INET6_ADDRSTRLEN];
	int af = p->afi == CFN_AFI_IPV6 ? AF_INET6 : AF_INET;

	if (!inet_ntop(af, p->addr, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "?");
	snprintf(buf, buflen, "%s/%u", addr, p->plen);
	return buf;
}
