// SPDX-License-Identifier: GPL-2.0-or-later
/* Open addressing, linear probing, grown at 1/2 load; no deletion needed
 * (token state only ever grows). */
#include <stdlib.h>
#include <string.h>

#include "token_map.h"

void token_map_init(struct token_map *m, size_t klen)
{
	memset(m, 0, sizeof(*m));
	m->klen = klen;
}

void token_map_free(struct token_map *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	token_map_init(m, m->klen);
}

static uint64_t hash(const uint8_t *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static size_t slot(const struct token_map *m, const void *key, bool *found)
{
	size_t i = hash(key, m->klen) & (m->cap - 1);

	while (m->used[i]) {
		if (!memcmp(m->keys + i * m->klen, key, m->klen)) {
			*found = true;
			return i;
		}
		i = (i + 1) & (m->cap - 1);
	}
	*found = false;
	return i;
}

bool token_map_get(const struct token_map *m, const void *key, uint64_t *val)
{
	bool found;
	size_t i;

	if (!m->cap)
		return false;
	i = slot(m, key, &found);
	if (found && val)
		*val = m->vals[i];
	return found;
}

static int grow(struct token_map *m)
{
	struct token_map n;

	token_map_init(&n, m->klen);
	n.cap = m->cap ? m->cap * 2 : 64;
	n.keys = malloc(n.cap * n.klen);
	n.vals = malloc(n.cap * sizeof(*n.vals));
	n.used = calloc(n.cap, 1);
	if (!n.keys || !n.vals || !n.used) {
		token_map_free(&n);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->used[i])
			token_map_put(&n, m->keys + i * m->klen, m->vals[i]);
	token_map_free(m);
	*m = n;
	return 0;
}

int token_map_put(struct token_map *m, const void *key, uint64_t val)
{
	bool found;
	size_t i;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	i = slot(m, key, &found);
	if (!found) {
		memcpy(m->keys + i * m->klen, key, m->klen);
		m->used[i] = 1;
		m->n++;
	}
	m->vals[i] = val;
	return 0;
}
