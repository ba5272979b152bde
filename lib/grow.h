// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one growable-array helper of libcfn: arrays indexed by uint32_t
 * (routers, services, names) double their capacity, starting at min.
 */
#ifndef CFN_GROW_H
#define CFN_GROW_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static inline int cfn_grow_slow(void *p, uint32_t *cap, uint32_t need,
				size_t sz, uint32_t min)
{
	void **pp = p;
	uint64_t ncap = *cap ? *cap : (min ? min : 8);
	void *np;

	while (ncap < need)
		ncap *= 2;
	if (ncap > UINT32_MAX)
		ncap = UINT32_MAX;
	if (ncap < need || ncap * sz > SIZE_MAX / 2)
		return -1;
	np = realloc(*pp, ncap * sz);
	if (!np)
		return -1;
	*pp = np;
	*cap = (uint32_t)ncap;
	return 0;
}

/*
 * Grows *p (a pointer to an array of elements of size sz, passed as the
 * address of the pointer) so it holds at least need; 0, or -1 with *p and
 * *cap unchanged.
 */
static inline int cfn_grow(void *p, uint32_t *cap, uint32_t need, size_t sz,
			   uint32_t min)
{
	return need <= *cap ? 0 : cfn_grow_slow(p, cap, need, sz, min);
}

#endif
