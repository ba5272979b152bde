// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small open-addressing hash map from fixed-size byte keys to u64
 * values, for the token state (accounts, nonces, decisions, providers,
 * orders).  libledger has no FRR dependency, so FRR's typesafe hash is not
 * available here; this is the minimum the state machine needs: get, put.
 */
#ifndef CFN_LEDGER_TOKEN_MAP_H
#define CFN_LEDGER_TOKEN_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct token_map {
	size_t klen;
	size_t cap, n; /* cap is 0 or a power of two */
	uint8_t *keys;
	uint64_t *vals;
	uint8_t *used;
};

void token_map_init(struct token_map *m, size_t klen);
void token_map_free(struct token_map *m);
bool token_map_get(const struct token_map *m, const void *key, uint64_t *val);
/* Insert or replace; -1 on allocation failure. */
int token_map_put(struct token_map *m, const void *key, uint64_t val);

#endif
