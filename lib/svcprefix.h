// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Service prefix (the anycast service id) shared by the GENINFO codec and
 * the load-report protocol.  Named svcprefix, not prefix, because FRR's
 * lib/ already has a prefix.h that the modules also see.
 */
#ifndef CFN_SVCPREFIX_H
#define CFN_SVCPREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Address family identifiers as on the wire (IANA AFI numbers). */
#define CFN_AFI_IPV4 1
#define CFN_AFI_IPV6 2

/* Longest text form: full IPv6 address + "/128" + NUL. */
#define CFN_SVCPREFIX_STRLEN 50

struct cfn_svc_prefix {
	uint8_t afi;	  /* CFN_AFI_IPV4 or CFN_AFI_IPV6 */
	uint8_t plen;	  /* prefix length in bits */
	uint8_t addr[16]; /* network byte order; bits past plen are zero */
};

/* Maximum prefix length for an AFI, or 0 when the AFI is unknown. */
unsigned int cfn_svc_prefix_maxlen(uint8_t afi);

/* Number of address octets that carry the prefix: ceil(plen / 8). */
static inline unsigned int cfn_svc_prefix_bytes(uint8_t plen)
{
	return (plen + 7u) / 8u;
}

/* Clears the host bits past plen, so equal prefixes compare equal. */
void cfn_svc_prefix_mask(struct cfn_svc_prefix *p);

bool cfn_svc_prefix_equal(const struct cfn_svc_prefix *a,
			  const struct cfn_svc_prefix *b);

/*
 * Parses "ADDR/LEN" (IPv4 or IPv6, length mandatory).  Host bits are
 * refused rather than silently dropped, because a typo in a service id
 * must not quietly steer another prefix.  On failure returns false and
 * writes the reason into err.
 */
bool cfn_svc_prefix_parse(const char *s, struct cfn_svc_prefix *p, char *err,
			  size_t errlen);

/* Writes "ADDR/LEN" into buf (CFN_SVCPREFIX_STRLEN is always enough). */
const char *cfn_svc_prefix_str(const struct cfn_svc_prefix *p, char *buf,
			       size_t buflen);

#endif
