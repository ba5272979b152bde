// SPDX-License-Identifier: GPL-2.0-or-later
/* Prices and plain decimals; see price.h. */
#include "price.h"

#include <stdio.h>
#include <string.h>

/* Plain decimal u32: digits only, no sign, no leading blanks. */
bool cfn_parse_u32(const char *s, uint32_t *v)
{
	uint64_t acc = 0;

	if (!*s || strlen(s) > 10)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		acc = acc * 10 + (uint64_t)(*s - '0');
	}
	if (acc > UINT32_MAX)
		return false;
	*v = (uint32_t)acc;
	return true;
}

/* "2", "2.5", "0.125": tokens with up to three decimals, as milli-tokens. */
bool cfn_price_parse(const char *s, uint32_t *milli)
{
	char whole[12];
	const char *dot = strchr(s, '.');
	size_t wl = dot ? (size_t)(dot - s) : strlen(s);
	uint32_t w, frac = 0;
	uint64_t total;

	if (wl == 0 || wl >= sizeof(whole))
		return false;
	memcpy(whole, s, wl);
	whole[wl] = '\0';
	if (!cfn_parse_u32(whole, &w))
		return false;
	if (dot) {
		size_t fl = strlen(dot + 1);

		if (fl < 1 || fl > 3 || !cfn_parse_u32(dot + 1, &frac))
			return false;
		for (; fl < 3; fl++)
			frac *= 10;
	}
	total = (uint64_t)w * 1000 + frac;
	if (total > UINT32_MAX)
		return false;
	*milli = (uint32_t)total;
	return true;
}

const char *cfn_price_str(uint32_t milli, char *buf, size_t len)
{
	if (milli % 1000)
		snprintf(buf, len, "%u.%03u", milli / 1000, milli % 1000);
	else
		snprintf(buf, len, "%u", milli / 1000);
	return buf;
}
