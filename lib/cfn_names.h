// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interned string keys -> dense indexes 0..n-1 (open addressing).  Used by
 * the CSPF graph for router ids and service keys.
 */
#ifndef CFN_NAMES_H
#define CFN_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct cfn_names {
	char *pool; /* NUL-terminated keys, back to back */
	size_t pool_len, pool_cap;
	uint32_t *off; /* key i starts at pool + off[i] */
	uint32_t n, off_cap;
	uint32_t *slots; /* index + 1, 0 = empty */
	uint32_t nslots; /* power of two */
};

void cfn_names_init(struct cfn_names *t);
void cfn_names_fini(struct cfn_names *t);
/* Returns the index of key, or -1 if absent. */
int64_t cfn_names_find(const struct cfn_names *t, const char *key);
/* Adds key; returns its index, -1 on ENOMEM, -2 if already present. */
int64_t cfn_names_add(struct cfn_names *t, const char *key);
static inline const char *cfn_names_get(const struct cfn_names *t, uint32_t i)
{
	return t->pool + t->off[i];
}
size_t cfn_names_memory(const struct cfn_names *t);

#endif /* CFN_NAMES_H */
