// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers of bench/bench-tokens:
 *
 *   bench_tokens verify N
 *     the baseline: raw Ed25519 verifications per second of one token
 *     record (OpenSSL, one core), printed as "verify_per_s X";
 *   bench_tokens genlog DIR N LOGKEY ROUTERKEY
 *     a ledger of N valid entries (genesis; then a mix of signed
 *     decisions, issues, transfers, provider registrations, orders,
 *     receipts and expiries from 64 accounts), and its checkpoint, for
 *     timing `cfn-ledger audit` on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkpoint.h"
#include "record.h"
#include "store.h"
#include "token_state.h"

#define NACCT 64
#define T0 1795521600

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct note_key *key(const char *name)
{
	struct note_key *k;
	char err[256];

	if (note_key_generate(name, &k, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_tokens: %s\n", err);
		exit(1);
	}
	return k;
}

static int verify(unsigned long n)
{
	struct note_key *k = key("a");
	struct token_record t = {.kind = TOKEN_TRANSFER, .time_s = T0};
	uint8_t buf[TOKEN_MAX_LEN];
	char err[256];
	double t0;
	int len;

	t.u.pay.amount = 1;
	token_sign(&t, k, err, sizeof(err));
	len = token_encode(&t, buf, sizeof(buf), err, sizeof(err));
	t0 = now_s();
	for (unsigned long i = 0; i < n; i++)
		if (token_verify_bytes(buf, (size_t)len, t.account, err,
				       sizeof(err)) < 0)
			return 1;
	printf("verify_per_s %.0f\n", n / (now_s() - t0));
	note_key_free(k);
	return 0;
}

struct gen {
	struct ledger_store *s;
	struct token_state st;
	struct note_key *acct[NACCT], *router;
	uint64_t nonce, seq;
	int64_t t;
	uint64_t *open; /* open order ids */
	size_t nopen;
};

/* Append when the state accepts it (the bench log is all valid). */
static int put(struct gen *g, const uint8_t *buf, size_t len)
{
	uint64_t index;
	char err[256];

	if (token_state_apply(&g->st, store_size(g->s), buf, len, 0, NULL, 0) !=
	    TOKEN_ACCEPTED)
		return 0;
	if (store_append(g->s, buf, len, &index, err, sizeof(err)) !=
	    STORE_OK) {
		fprintf(stderr, "bench_tokens: %s\n", err);
		exit(1);
	}
	return 1;
}

static int put_token(struct gen *g, struct token_record *t, int who)
{
	uint8_t buf[TOKEN_MAX_LEN];
	char err[256];
	int n;

	t->nonce = g->nonce++;
	t->time_s = g->t;
	token_sign(t, g->acct[who], err, sizeof(err));
	n = token_encode(t, buf, sizeof(buf), err, sizeof(err));
	return n > 0 && put(g, buf, (size_t)n);
}

static void put_decision(struct gen *g, int site)
{
	struct record r = {.seq = g->seq++,
			   .time_s = T0,
			   .family = 4,
			   .plen = 32,
			   .addr = {203, 0, 113, 10},
			   .nsites = 1};
	uint8_t buf[RECORD_MAX_LEN];
	char err[256];
	int n;

	strcpy(r.origin, "r1");
	snprintf(r.sites[0], sizeof(r.sites[0]), "s%d", site);
	record_sign(&r, g->router, err, sizeof(err));
	n = record_encode(&r, buf, sizeof(buf), err, sizeof(err));
	put(g, buf, (size_t)n);
}

static void step(struct gen *g)
{
	struct token_record t = {0};
	int k = rand() % 100, who = 8 + rand() % (NACCT - 8);

	g->t += rand() % 2;
	if (k < 10) {
		put_decision(g, rand() % 4);
	} else if (k < 20) {
		t.kind = TOKEN_ISSUE;
		memcpy(t.u.pay.to, g->acct[who]->pub, 32);
		t.u.pay.amount = 1000;
		put_token(g, &t, 1);
	} else if (k < 45) {
		t.kind = TOKEN_TRANSFER;
		memcpy(t.u.pay.to, g->acct[8 + rand() % (NACCT - 8)]->pub, 32);
		t.u.pay.amount = 1 + rand() % 10;
		put_token(g, &t, who);
	} else if (k < 70) {
		t.kind = TOKEN_ORDER;
		t.u.order.family = 4;
		t.u.order.plen = 32;
		memcpy(t.u.order.addr, (uint8_t[]){203, 0, 113, 10}, 4);
		strcpy(t.u.order.ingress, "r1");
		t.u.order.units = 1 + rand() % 10;
		t.u.order.max_price = 5;
		t.u.order.expires_s = g->t + 30 + rand() % 100;
		if (put_token(g, &t, who) && g->nopen < 100000)
			g->open[g->nopen++] = store_size(g->s) - 1;
	} else if (g->nopen) {
		size_t i = (size_t)rand() % g->nopen;
		const struct token_order *o =
			token_state_order(&g->st, g->open[i]);
		int prov;

		g->open[i] = g->open[--g->nopen];
		if (!o)
			return;
		for (prov = 0; prov < 4; prov++)
			if (!memcmp(g->acct[2 + prov]->pub,
				    g->st.accts[o->provider].key, 32))
				break;
		t.u.close.order = o->index;
		if (k < 95 && g->t < o->expires_s) {
			t.kind = TOKEN_RECEIPT;
			t.u.close.units = o->units - rand() % 2;
			put_token(g, &t, 2 + prov);
		} else {
			t.kind = TOKEN_EXPIRY;
			g->t = g->t > o->expires_s ? g->t : o->expires_s;
			put_token(g, &t, who);
		}
	}
}

static int genlog(const char *dir, uint64_t n, const char *logkey,
		  const char *routerkey)
{
	struct gen g = {.t = T0};
	struct note_key *lk;
	struct token_record t = {.kind = TOKEN_GENESIS};
	char err[256], name[16];

	if (note_key_load(logkey, &lk, err, sizeof(err)) < 0 ||
	    note_key_load(routerkey, &g.router, err, sizeof(err)) < 0 ||
	    store_open(dir, &g.s, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_tokens: %s\n", err);
		return 1;
	}
	srand(19);
	token_state_init(&g.st);
	g.open = malloc(100000 * sizeof(*g.open));
	g.acct[0] = lk;
	for (int i = 1; i < NACCT; i++) {
		snprintf(name, sizeof(name), "a%d", i);
		g.acct[i] = key(name);
	}
	t.u.genesis.n = 1;
	memcpy(t.u.genesis.keys[0], g.acct[1]->pub, 32);
	put_token(&g, &t, 0);
	for (int p = 0; p < 4; p++) {
		memset(&t, 0, sizeof(t));
		t.kind = TOKEN_PROVIDER;
		snprintf(t.u.provider.router, sizeof(t.u.provider.router),
			 "s%d", p);
		snprintf(t.u.provider.site, sizeof(t.u.provider.site),
			 "site-%d", p);
		t.u.provider.price = 1 + p;
		put_token(&g, &t, 2 + p);
	}
	while (store_size(g.s) < n)
		step(&g);
	if (store_sync(g.s, err, sizeof(err)) < 0 ||
	    checkpoint_publish(g.s, lk->name, lk, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_tokens: %s\n", err);
		return 1;
	}
	printf("entries %llu orders %zu settled %llu expired %llu\n",
	       (unsigned long long)store_size(g.s), g.st.norders,
	       (unsigned long long)g.st.orders_settled,
	       (unsigned long long)g.st.orders_expired);
	store_close(g.s);
	token_state_free(&g.st);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "verify"))
		return verify(strtoul(argv[2], NULL, 10));
	if (argc == 6 && !strcmp(argv[1], "genlog"))
		return genlog(argv[2], strtoull(argv[3], NULL, 10), argv[4],
			      argv[5]);
	fprintf(stderr,
		"usage: bench_tokens verify N | genlog DIR N LOGKEY "
		"ROUTERKEY\n");
	return 2;
}
