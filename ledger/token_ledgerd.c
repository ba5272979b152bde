// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd's token side (token_ledgerd.h).  The daemon keeps one token
 * state, replayed from the log at start and advanced with every append,
 * so that an operation is judged against exactly the log it joins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "ledgerd.h"
#include "store.h"
#include "token_ledgerd.h"
#include "token_state.h"

static struct token_state S;
static const char **issuer_paths;
static size_t nissuer_paths;

int ld_tokens_issuer_opt(const char *path)
{
	const char **n =
		realloc(issuer_paths, (nissuer_paths + 1) * sizeof(*n));

	if (!n)
		return -1;
	issuer_paths = n;
	issuer_paths[nissuer_paths++] = path;
	return 0;
}

static int load_issuers(struct token_record *g)
{
	char err[256];

	if (nissuer_paths > TOKEN_ISSUERS_MAX) {
		ld_log(LOG_ERR, "at most %d --issuer-key", TOKEN_ISSUERS_MAX);
		return -1;
	}
	memset(g, 0, sizeof(*g));
	g->kind = TOKEN_GENESIS;
	g->time_s = time(NULL);
	g->u.genesis.n = (uint8_t)nissuer_paths;
	for (size_t i = 0; i < nissuer_paths; i++) {
		struct note_key *k;

		if (note_key_load(issuer_paths[i], &k, err, sizeof(err)) < 0) {
			ld_log(LOG_ERR, "issuer key %s: %s", issuer_paths[i],
			       err);
			return -1;
		}
		memcpy(g->u.genesis.keys[i], k->pub, NOTE_ED25519_PUB);
		note_key_free(k);
	}
	return 0;
}

static int same_issuers(const struct token_record *g)
{
	if (g->u.genesis.n != S.nissuers)
		return 0;
	for (unsigned i = 0; i < S.nissuers; i++)
		if (memcmp(g->u.genesis.keys[i], S.issuers[i],
			   NOTE_ED25519_PUB))
			return 0;
	return 1;
}

static int append_genesis(struct ledgerd *d, struct token_record *g)
{
	uint8_t buf[TOKEN_MAX_LEN];
	char err[256];
	uint64_t index;
	int n;

	if (token_sign(g, d->key, err, sizeof(err)) < 0 ||
	    (n = token_encode(g, buf, sizeof(buf), err, sizeof(err))) < 0) {
		ld_log(LOG_ERR, "genesis: %s", err);
		return -1;
	}
	if (store_append(d->store, buf, (size_t)n, &index, err, sizeof(err)) !=
		    STORE_OK ||
	    store_sync(d->store, err, sizeof(err)) < 0) {
		ld_log(LOG_ERR, "genesis: %s", err);
		return -1;
	}
	token_state_apply(&S, index, buf, (size_t)n, 0, NULL, 0);
	ld_log(LOG_NOTICE, "genesis logged at index %llu: %u issuer(s)",
	       (unsigned long long)index, g->u.genesis.n);
	return 0;
}

int ld_tokens_open(struct ledgerd *d)
{
	struct token_record g;
	uint64_t n = store_size(d->store);
	char err[256];

	token_state_init(&S);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *data;
		size_t len;

		if (store_get(d->store, i, &data, &len, err, sizeof(err)) < 0) {
			ld_log(LOG_ERR, "tokens: entry %llu: %s",
			       (unsigned long long)i, err);
			return -1;
		}
		/* The writer logged only what it admitted; audit rechecks. */
		token_state_apply(&S, i, data, len, 0, NULL, 0);
		free(data);
	}
	if (!nissuer_paths)
		return 0;
	if (load_issuers(&g) < 0)
		return -1;
	if (S.genesis && !same_issuers(&g)) {
		ld_log(LOG_ERR,
		       "--issuer-key differs from the genesis "
		       "already in the log");
		return -1;
	}
	return S.genesis ? 0 : append_genesis(d, &g);
}

bool ld_tokens_hello(const char *origin)
{
	token_account a;

	return token_account_parse(origin, a) == 0;
}

void ld_tokens_check(struct ld_item *it)
{
	struct token_record t;
	char err[160], id[64];

	it->ok = false;
	if (token_decode(it->data, it->len, &t, err, sizeof(err)) < 0) {
		snprintf(it->err, sizeof(it->err), "undecodable: %s", err);
		return;
	}
	token_account_id(t.account, id);
	if (strcmp(id, it->origin) != 0) {
		snprintf(it->err, sizeof(it->err),
			 "account %s differs from the connection's %s", id,
			 it->origin);
		return;
	}
	if (token_verify_bytes(it->data, it->len, t.account, err, sizeof(err)) <
	    0) {
		snprintf(it->err, sizeof(it->err), "%s: signature rejected",
			 token_reason_name(TOKEN_R_SIGNATURE));
		return;
	}
	it->ok = true;
}

int ld_tokens_admit(struct ledgerd *d, const struct ld_item *it, char *err,
		    size_t errlen)
{
	struct token_record t;
	uint64_t prev;
	int64_t now = time(NULL);

	if (!token_record_is(it->data, it->len)) {
		/* a decision: judged by its router key alone */
		return 0;
	}
	if (token_decode(it->data, it->len, &t, err, errlen) < 0)
		return -1;
	if (t.kind == TOKEN_GENESIS) {
		snprintf(err, errlen, "genesis is written by the ledger only");
		return -1;
	}
	/* A resend of a logged record: the store answers it as duplicate. */
	if (store_lookup(d->store, it->origin, t.nonce, &prev)) {
		uint8_t *data;
		size_t len;
		int same;

		if (store_get(d->store, prev, &data, &len, err, errlen) < 0)
			return -1;
		same = len == it->len && !memcmp(data, it->data, len);
		free(data);
		if (same)
			return 0;
	}
	if (t.time_s < now - TOKEN_CLOCK_SKEW ||
	    t.time_s > now + TOKEN_CLOCK_SKEW) {
		snprintf(err, errlen,
			 "clock: record time %lld is more than %d s from the "
			 "ledger's %lld",
			 (long long)t.time_s, TOKEN_CLOCK_SKEW, (long long)now);
		return -1;
	}
	if (token_state_apply(&S, store_size(d->store), it->data, it->len,
			      TOKEN_APPLY_DRY, err, errlen) != TOKEN_ACCEPTED)
		return -1;
	return 0;
}

void ld_tokens_appended(const uint8_t *data, size_t len, uint64_t index)
{
	char why[256];

	if (token_state_apply(&S, index, data, len, 0, why, sizeof(why)) !=
	    TOKEN_ACCEPTED)
		ld_log(LOG_ERR,
		       "tokens: entry %llu admitted but not applied: %s",
		       (unsigned long long)index, why);
}

void ld_tokens_close(void)
{
	token_state_free(&S);
	free(issuer_paths);
	issuer_paths = NULL;
	nissuer_paths = 0;
}
