// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_names.h"
#include "grow.h"

void cfn_names_init(struct cfn_names *t)
{
	memset(t, 0, sizeof(*t));
}

void cfn_names_fini(struct cfn_names *t)
{
	free(t->pool);
	free(t->off);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* FNV-1a: keys are short ids and prefixes. */
static uint32_t hash_key(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint32_t h = 2166136261u;

	while (len--) {
		h ^= *p++;
		h *= 16777619u;
	}
	return h;
}

static bool key_is(const struct cfn_names *t, uint32_t i, const void *key,
		   size_t len)
{
	size_t klen;
	const char *k = cfn_names_getn(t, i, &klen);

	return klen == len && !memcmp(k, key, len);
}

int64_t cfn_names_findn(const struct cfn_names *t, const void *key, size_t len)
{
	uint32_t mask, i;

	if (!t->nslots)
		return -1;
	mask = t->nslots - 1;
	for (i = hash_key(key, len) & mask;; i = (i + 1) & mask) {
		uint32_t s = t->slots[i];

		if (!s)
			return -1;
		if (key_is(t, s - 1, key, len))
			return s - 1;
	}
}

static int rehash(struct cfn_names *t, uint32_t nslots)
{
	uint32_t *slots = calloc(nslots, sizeof(*slots));
	uint32_t mask = nslots - 1;

	if (!slots)
		return -1;
	for (uint32_t k = 0; k < t->n; k++) {
		size_t len;
		const char *key = cfn_names_getn(t, k, &len);
		uint32_t i = hash_key(key, len) & mask;

		while (slots[i])
			i = (i + 1) & mask;
		slots[i] = k + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	return 0;
}

int64_t cfn_names_addn(struct cfn_names *t, const void *key, size_t klen)
{
	size_t len = klen + 1;
	uint32_t mask, i;

	if (cfn_names_findn(t, key, klen) >= 0)
		return -2;
	if (t->n >= UINT32_MAX / 4 || t->pool_len + len > UINT32_MAX)
		return -1;
	if ((uint64_t)(t->n + 1) * 2 > t->nslots &&
	    rehash(t, t->nslots ? t->nslots * 2 : 16))
		return -1;
	if (cfn_grow(&t->off, &t->off_cap, t->n + 1, sizeof(*t->off), 16))
		return -1;
	if (t->pool_len + len > t->pool_cap) {
		size_t cap = t->pool_cap ? t->pool_cap * 2 : 256;
		char *pool;

		while (cap < t->pool_len + len)
			cap *= 2;
		pool = realloc(t->pool, cap);
		if (!pool)
			return -1;
		t->pool = pool;
		t->pool_cap = cap;
	}
	memcpy(t->pool + t->pool_len, key, klen);
	t->pool[t->pool_len + klen] = '\0';
	t->off[t->n] = (uint32_t)t->pool_len;
	t->pool_len += len;
	mask = t->nslots - 1;
	for (i = hash_key(key, klen) & mask; t->slots[i]; i = (i + 1) & mask)
		;
	t->slots[i] = t->n + 1;
	return t->n++;
}

int64_t cfn_names_find(const struct cfn_names *t, const char *key)
{
	return cfn_names_findn(t, key, strlen(key));
}

int64_t cfn_names_add(struct cfn_names *t, const char *key)
{
	return cfn_names_addn(t, key, strlen(key));
}

const char *cfn_names_print(const struct cfn_names *t, uint32_t i, char *buf,
			    size_t buflen)
{
	size_t len, o = 0;
	const unsigned char *k =
		(const unsigned char *)cfn_names_getn(t, i, &len);
	bool text = len > 0;

	for (size_t j = 0; j < len && text; j++)
		text = k[j] >= 0x20 && k[j] < 0x7f;
	if (text)
		return (const char *)k;
	for (size_t j = 0; j < len && o + 3 <= buflen; j++)
		o += snprintf(buf + o, buflen - o, "%02x", k[j]);
	if (buflen)
		buf[o < buflen ? o : buflen - 1] = '\0';
	return buf;
}

size_t cfn_names_memory(const struct cfn_names *t)
{
	return t->pool_cap + (size_t)t->off_cap * sizeof(*t->off) +
	       (size_t)t->nslots * sizeof(*t->slots);
}
