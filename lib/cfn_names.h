// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interned keys -> dense indexes 0..n-1 (open addressing).  Used by the
 * SPF engine for router ids and service keys.  Keys are byte strings with
 * a length (binary ids and prefixes from the modules, text from topology
 * files); each is stored NUL-terminated, so a text key reads back as a C
 * string.
 */
#ifndef CFN_NAMES_H
#define CFN_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct cfn_names {
	char *pool; /* keys, each followed by a NUL, back to back */
	size_t pool_len, pool_cap;
	uint32_t *off; /* key i starts at pool + off[i] */
	uint32_t n, off_cap;
	uint32_t *slots; /* index + 1, 0 = empty */
	uint32_t nslots; /* power of two */
};

void cfn_names_init(struct cfn_names *t);
void cfn_names_fini(struct cfn_names *t);
/* Returns the index of key (len bytes), or -1 if absent. */
int64_t cfn_names_findn(const struct cfn_names *t, const void *key, size_t len);
/* Adds key; returns its index, -1 on ENOMEM, -2 if already present. */
int64_t cfn_names_addn(struct cfn_names *t, const void *key, size_t len);
/* Key i and its length (without the NUL that follows it). */
static inline const char *cfn_names_getn(const struct cfn_names *t, uint32_t i,
					 size_t *len)
{
	uint32_t end = i + 1 < t->n ? t->off[i + 1] : (uint32_t)t->pool_len;

	*len = end - t->off[i] - 1;
	return t->pool + t->off[i];
}
/* Key i as text: itself when printable, else its bytes in hex. */
const char *cfn_names_print(const struct cfn_names *t, uint32_t i, char *buf,
			    size_t buflen);
size_t cfn_names_memory(const struct cfn_names *t);

/* The same for NUL-terminated text keys. */
int64_t cfn_names_find(const struct cfn_names *t, const char *key);
int64_t cfn_names_add(struct cfn_names *t, const char *key);
static inline const char *cfn_names_get(const struct cfn_names *t, uint32_t i)
{
	return t->pool + t->off[i];
}

#endif /* CFN_NAMES_H */
