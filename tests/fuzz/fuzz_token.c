// SPDX-License-Identifier: GPL-2.0-or-later
// fuzz-sources: ledger/token_record.c ledger/token_state.c ledger/token_map.c
// fuzz-sources: ledger/util.c
/*
 * The strict token record decoder: never reads out of bounds, whatever it
 * accepts re-encodes to exactly the input, its (account, nonce) peeks
 * like a decision's (origin, seq), and the state machine takes it (after
 * a genesis naming its author as issuer) without breaking an invariant.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "token_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct token_record t;
	struct token_state s;
	struct json_object *o;
	uint8_t out[TOKEN_MAX_LEN];
	char origin[64], id[64], why[256];
	uint64_t seq;
	int n;

	if (token_decode(data, size, &t, NULL, 0) < 0)
		return 0;
	n = token_encode(&t, out, sizeof(out), NULL, 0);
	if (n < 0 || (size_t)n != size || memcmp(out, data, size) != 0)
		abort();
	token_account_id(t.account, id);
	if (record_peek_key(data, size, origin, &seq) < 0 ||
	    strcmp(origin, id) != 0 || seq != t.nonce)
		abort();
	o = token_to_json_obj(&t);
	if (!o)
		abort();
	json_object_put(o);
	/* Unsigned replay (no key here): the rules and invariants only. */
	token_state_init(&s);
	s.genesis = true;
	s.nissuers = 1;
	memcpy(s.issuers[0], t.account, sizeof(t.account));
	token_state_apply(&s, 0, data, size, 0, why, sizeof(why));
	if (token_state_check(&s, true, why, sizeof(why)) < 0)
		abort();
	token_state_free(&s);
	return 0;
}
