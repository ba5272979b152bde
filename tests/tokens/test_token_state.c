// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Property test of the token state machine against an independent model
 * (plain arrays and linear scans, written from doc/tokens.md, sharing no
 * code with ledger/token_state.c).  TOKEN_PROP_OPS random operations
 * (default 100000) from 40 accounts: valid, invalid, replayed, badly
 * signed, out of time order and expired.  After every step: the verdict
 * and its reason equal the model's, a rejection changed nothing, every
 * balance and lock equals the model's, and the invariants hold.  At the
 * end the accepted log is replayed in random batches, with "restarts"
 * (a fresh state replaying the prefix), and must give the same state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "record.h"
#include "token_state.h"
#include "token_test_keys.h"

#define NACCT 40
#define NISSUER 3 /* accounts 1..3; 0 is the log key */
#define NROUTER 4 /* ingress routers r1..r4 */
#define NSITE 4	  /* site routers s1..s4 */
#define NSVC 3
#define T0 1795521600

static struct note_key *key[NACCT];
static const char *const svc[NSVC] = {"203.0.113.10/32", "203.0.113.0/28",
				      "2001:db8::/48"};

/* ---- the model ---- */
struct m_order {
	uint64_t index;
	int ent, prov;
	uint64_t units, price, escrow;
	int64_t expires;
	int state; /* 0 open, 1 settled, 2 expired */
};

static struct {
	bool genesis;
	uint64_t bal[NACCT], lock[NACCT], supply;
	uint8_t *used[NACCT]; /* used[a][nonce] */
	uint64_t next_nonce[NACCT];
	int dec[NROUTER][NSVC]; /* -1 none, -2 no site, else site */
	int prov[NSITE];	/* account or -1 */
	uint64_t price[NSITE];
	struct m_order *orders;
	size_t norders;
	int64_t now;
	uint64_t log_len;
} M;

static struct m_order *m_order(uint64_t index)
{
	for (size_t i = 0; i < M.norders; i++)
		if (M.orders[i].index == index)
			return &M.orders[i];
	return NULL;
}

/* An operation: what it is, for the model; its bytes, for the machine. */
struct op {
	int kind; /* token kind, or -1 decision */
	int who;
	uint64_t nonce;
	int64_t time;
	int to;
	uint64_t amount;
	int router, site, s; /* ingress / site / service */
	uint64_t units, maxp, order;
	int64_t expires;
	bool badsig, replay;
	uint8_t buf[RECORD_MAX_LEN];
	size_t len;
};

static int model_expect(const struct op *o)
{
	int64_t now = o->time > M.now ? o->time : M.now;
	struct m_order *mo;

	if (o->kind < 0)
		return TOKEN_ACCEPTED;
	if (o->badsig)
		return TOKEN_R_SIGNATURE;
	if (o->kind == TOKEN_GENESIS)
		return M.genesis ? TOKEN_R_GENESIS_AGAIN : TOKEN_ACCEPTED;
	if (!M.genesis)
		return TOKEN_R_NO_GENESIS;
	if (o->nonce < M.next_nonce[o->who] && M.used[o->who][o->nonce])
		return TOKEN_R_NONCE;
	switch (o->kind) {
	case TOKEN_ISSUE:
		return o->who >= 1 && o->who <= NISSUER ? TOKEN_ACCEPTED
							: TOKEN_R_NOT_ISSUER;
	case TOKEN_TRANSFER:
		if (o->to == o->who)
			return TOKEN_R_SELF;
		return M.bal[o->who] >= o->amount ? TOKEN_ACCEPTED
						  : TOKEN_R_BALANCE;
	case TOKEN_PROVIDER:
		return M.prov[o->site] >= 0 && M.prov[o->site] != o->who
			       ? TOKEN_R_ROUTER_TAKEN
			       : TOKEN_ACCEPTED;
	case TOKEN_ORDER: {
		int d = M.dec[o->router][o->s];

		if (d == -1)
			return TOKEN_R_NO_DECISION;
		if (d == -2)
			return TOKEN_R_NO_SITE;
		if (M.prov[d] < 0)
			return TOKEN_R_NO_PROVIDER;
		if (M.price[d] > o->maxp)
			return TOKEN_R_PRICE;
		if (o->expires <= now)
			return TOKEN_R_EXPIRED;
		if (M.bal[o->who] < M.price[d] * o->units)
			return TOKEN_R_BALANCE;
		return TOKEN_ACCEPTED;
	}
	case TOKEN_RECEIPT:
	case TOKEN_EXPIRY:
		mo = m_order(o->order);
		if (!mo)
			return TOKEN_R_NO_ORDER;
		if (mo->state)
			return TOKEN_R_CLOSED;
		if (o->kind == TOKEN_EXPIRY)
			return now >= mo->expires ? TOKEN_ACCEPTED
						  : TOKEN_R_NOT_EXPIRED;
		if (mo->prov != o->who)
			return TOKEN_R_NOT_PROVIDER;
		if (now >= mo->expires)
			return TOKEN_R_EXPIRED;
		return o->units <= mo->units ? TOKEN_ACCEPTED : TOKEN_R_UNITS;
	}
	return -1;
}

static void model_apply(const struct op *o)
{
	struct m_order *mo;
	uint64_t index = M.log_len++;

	if (o->kind < 0) {
		M.dec[o->router][o->s] = o->site;
		return;
	}
	if (o->time > M.now)
		M.now = o->time;
	M.used[o->who][o->nonce] = 1;
	switch (o->kind) {
	case TOKEN_GENESIS:
		M.genesis = true;
		break;
	case TOKEN_ISSUE:
		M.bal[o->to] += o->amount;
		M.supply += o->amount;
		break;
	case TOKEN_TRANSFER:
		M.bal[o->who] -= o->amount;
		M.bal[o->to] += o->amount;
		break;
	case TOKEN_PROVIDER:
		M.prov[o->site] = o->who;
		M.price[o->site] = o->amount;
		break;
	case TOKEN_ORDER: {
		int d = M.dec[o->router][o->s];

		M.orders = realloc(M.orders, (M.norders + 1) * sizeof(*mo));
		mo = &M.orders[M.norders++];
		mo->index = index;
		mo->ent = o->who;
		mo->prov = M.prov[d];
		mo->units = o->units;
		mo->price = M.price[d];
		mo->escrow = mo->units * mo->price;
		mo->expires = o->expires;
		mo->state = 0;
		M.bal[o->who] -= mo->escrow;
		M.lock[o->who] += mo->escrow;
		break;
	}
	case TOKEN_RECEIPT:
	case TOKEN_EXPIRY: {
		uint64_t paid;

		mo = m_order(o->order);
		paid = o->kind == TOKEN_RECEIPT ? o->units * mo->price : 0;
		mo->state = o->kind == TOKEN_RECEIPT ? 1 : 2;
		M.lock[mo->ent] -= mo->escrow;
		M.bal[mo->ent] += mo->escrow - paid;
		M.bal[mo->prov] += paid;
		break;
	}
	}
}

/* ---- generating operations ---- */

static uint64_t rnd(uint64_t n)
{
	return n ? (uint64_t)random() % n : 0;
}

static void encode_decision(struct op *o)
{
	struct record r;
	char err[160];
	int n;

	memset(&r, 0, sizeof(r));
	snprintf(r.origin, sizeof(r.origin), "r%d", o->router + 1);
	r.seq = o->nonce;
	r.time_s = o->time;
	token_parse_prefix(svc[o->s], &r.family, &r.plen, r.addr);
	if (o->site >= 0) {
		r.nsites = 1;
		snprintf(r.sites[0], sizeof(r.sites[0]), "s%d", o->site + 1);
	}
	n = record_encode(&r, o->buf, sizeof(o->buf), err, sizeof(err));
	assert_true(n > 0);
	o->len = (size_t)n;
}

static void encode_token(struct op *o)
{
	struct token_record t;
	char err[160];
	int n;

	memset(&t, 0, sizeof(t));
	t.kind = (uint8_t)o->kind;
	t.nonce = o->nonce;
	t.time_s = o->time;
	switch (o->kind) {
	case TOKEN_GENESIS:
		t.u.genesis.n = NISSUER;
		for (int i = 0; i < NISSUER; i++)
			memcpy(t.u.genesis.keys[i], key[1 + i]->pub, 32);
		break;
	case TOKEN_ISSUE:
	case TOKEN_TRANSFER:
		memcpy(t.u.pay.to, key[o->to]->pub, 32);
		t.u.pay.amount = o->amount;
		break;
	case TOKEN_PROVIDER:
		snprintf(t.u.provider.router, sizeof(t.u.provider.router),
			 "s%d", o->site + 1);
		snprintf(t.u.provider.site, sizeof(t.u.provider.site),
			 "site-%d", o->site + 1);
		t.u.provider.price = o->amount;
		break;
	case TOKEN_ORDER:
		token_parse_prefix(svc[o->s], &t.u.order.family,
				   &t.u.order.plen, t.u.order.addr);
		snprintf(t.u.order.ingress, sizeof(t.u.order.ingress), "r%d",
			 o->router + 1);
		t.u.order.units = o->units;
		t.u.order.max_price = o->maxp;
		t.u.order.expires_s = o->expires;
		break;
	case TOKEN_RECEIPT:
		t.u.close.order = o->order;
		t.u.close.units = o->units;
		break;
	case TOKEN_EXPIRY:
		t.u.close.order = o->order;
		break;
	}
	assert_int_equal(token_sign(&t, key[o->who], err, sizeof(err)), 0);
	n = token_encode(&t, o->buf, sizeof(o->buf), err, sizeof(err));
	assert_true(n > 0);
	o->len = (size_t)n;
	if (o->badsig)
		o->buf[o->len - 1 - rnd(64)] ^= (uint8_t)(1 + rnd(255));
}

static uint64_t fresh_nonce(int who)
{
	uint64_t n = M.next_nonce[who]++;

	M.used[who] = realloc(M.used[who], M.next_nonce[who]);
	M.used[who][n] = 0;
	return n;
}

/* An order id: mostly a real open or closed order, sometimes none. */
static uint64_t pick_order(void)
{
	if (!M.norders || rnd(10) == 0)
		return M.log_len + rnd(1000);
	if (rnd(2))
		return M.orders[M.norders - 1 -
				rnd(M.norders < 8 ? M.norders : 8)]
			.index;
	return M.orders[rnd(M.norders)].index;
}

static void gen(struct op *o, uint64_t step)
{
	int k = (int)rnd(100);

	memset(o, 0, sizeof(*o));
	o->time = M.now + (int64_t)rnd(50) - 20;
	if (o->time < T0)
		o->time = T0;
	if (step == 0 || rnd(20000) == 0) {
		o->kind = TOKEN_GENESIS;
		o->who = 0;
	} else if (k < 10) {
		o->kind = -1;
		o->router = (int)rnd(NROUTER);
		o->s = (int)rnd(NSVC);
		o->site = rnd(8) == 0 ? -2 : (int)rnd(NSITE);
		o->nonce = step;
		encode_decision(o);
		return;
	} else if (k < 20) {
		o->kind = TOKEN_ISSUE;
		o->who = rnd(6) ? 1 + (int)rnd(NISSUER) : (int)rnd(NACCT);
		o->to = (int)rnd(NACCT);
		o->amount = 1 + rnd(500);
	} else if (k < 35) {
		o->kind = TOKEN_TRANSFER;
		o->who = (int)rnd(NACCT);
		o->to = rnd(30) ? (int)rnd(NACCT) : o->who;
		o->amount = 1 + rnd(M.bal[o->who] * 3 / 2 + 2);
	} else if (k < 40) {
		o->kind = TOKEN_PROVIDER;
		o->who = 4 + (int)rnd(8);
		o->site = (int)rnd(NSITE);
		o->amount = rnd(6); /* price */
	} else if (k < 70) {
		o->kind = TOKEN_ORDER;
		o->who = 12 + (int)rnd(NACCT - 12);
		o->router = (int)rnd(NROUTER);
		o->s = (int)rnd(NSVC);
		o->units = 1 + rnd(20);
		o->maxp = rnd(7);
		o->expires = M.now + (int64_t)rnd(400) - 30;
	} else if (k < 88) {
		struct m_order *mo;

		o->kind = TOKEN_RECEIPT;
		o->order = pick_order();
		mo = m_order(o->order);
		o->who = mo && rnd(10) ? mo->prov : (int)rnd(NACCT);
		o->units = mo ? rnd(mo->units + 3) : rnd(5);
	} else {
		o->kind = TOKEN_EXPIRY;
		o->order = pick_order();
		o->who = (int)rnd(NACCT);
		o->time = M.now + (int64_t)rnd(300) - 20;
	}
	o->nonce = fresh_nonce(o->who);
	o->badsig = rnd(50) == 0;
	encode_token(o);
}

/* ---- the test ---- */

static void assert_same(const struct token_state *s)
{
	for (int a = 0; a < NACCT; a++) {
		const struct token_acct *x =
			token_state_account(s, key[a]->pub);

		assert_int_equal(x ? x->balance : 0, M.bal[a]);
		assert_int_equal(x ? x->locked : 0, M.lock[a]);
	}
	assert_int_equal(token_state_supply(s), M.supply);
	assert_int_equal(s->norders, M.norders);
}

static void assert_states_equal(const struct token_state *a,
				const struct token_state *b)
{
	assert_int_equal(a->naccts, b->naccts);
	assert_memory_equal(a->accts, b->accts, a->naccts * sizeof(*a->accts));
	assert_int_equal(a->norders, b->norders);
	assert_memory_equal(a->orders, b->orders,
			    a->norders * sizeof(*a->orders));
	assert_int_equal(a->now, b->now);
	assert_int_equal(a->issued_total, b->issued_total);
	assert_int_equal(a->records, b->records);
}

struct logent {
	uint8_t *data;
	size_t len;
};

static void test_property(void **state)
{
	const char *env = getenv("TOKEN_PROP_OPS");
	uint64_t nops = env ? strtoull(env, NULL, 10) : 100000;
	struct token_state s, r;
	struct logent *log = calloc(nops, sizeof(*log));
	struct op *o = malloc(sizeof(*o)), *prev = malloc(sizeof(*prev) * 64);
	uint64_t reasons[TOKEN_REASON_MAX + 1] = {0};
	char why[256];
	size_t nprev = 0;

	(void)state;
	srandom(19);
	memset(&M, 0, sizeof(M));
	memset(M.dec, 0xff, sizeof(M.dec)); /* -1: no decision */
	for (int i = 0; i < NSITE; i++)
		M.prov[i] = -1;
	M.now = T0;
	token_state_init(&s);
	for (uint64_t step = 0; step < nops; step++) {
		int want, got;

		if (nprev && rnd(40) == 0) {
			/* replay an earlier record, byte for byte */
			*o = prev[rnd(nprev)];
			o->replay = true;
		} else {
			gen(o, step);
		}
		want = o->replay ? (o->kind < 0 ? TOKEN_ACCEPTED
				    : o->kind == TOKEN_GENESIS
					    ? TOKEN_R_GENESIS_AGAIN
					    : TOKEN_R_NONCE)
				 : model_expect(o);
		if (o->replay && want == TOKEN_R_NONCE &&
		    !M.used[o->who][o->nonce])
			want = model_expect(o);
		got = token_state_apply(&s, M.log_len, o->buf, o->len,
					TOKEN_APPLY_VERIFY, why, sizeof(why));
		if (got != want)
			fail_msg("step %llu kind %d: got %s (%s), model %s",
				 (unsigned long long)step, o->kind,
				 token_reason_name(got), why,
				 token_reason_name(want));
		reasons[got]++;
		if (got == TOKEN_ACCEPTED) {
			log[M.log_len].data = malloc(o->len);
			memcpy(log[M.log_len].data, o->buf, o->len);
			log[M.log_len].len = o->len;
			model_apply(o);
			if (nprev < 64)
				prev[nprev++] = *o;
			else
				prev[rnd(64)] = *o;
		} else {
			assert_non_null(strstr(why, token_reason_name(got)));
		}
		assert_same(&s);
		if (token_state_check(&s, step % 1000 == 0, why, sizeof(why)))
			fail_msg("step %llu: invariant: %s",
				 (unsigned long long)step, why);
	}
	assert_int_equal(token_state_check(&s, true, why, sizeof(why)), 0);
	for (int i = 0; i <= TOKEN_REASON_MAX; i++)
		if (reasons[i])
			printf("  %-22s %llu\n", token_reason_name(i),
			       (unsigned long long)reasons[i]);
	/* every kind of outcome was exercised */
	for (int i = TOKEN_ACCEPTED; i < TOKEN_R_OVERFLOW; i++)
		if (i != TOKEN_R_MALFORMED && i != TOKEN_R_NO_GENESIS &&
		    nops >= 100000)
			assert_true(reasons[i] > 0);

	/* Replay: random batches, restarts (fresh state from the prefix). */
	token_state_init(&r);
	for (uint64_t i = 0; i < M.log_len;) {
		uint64_t batch = 1 + rnd(5000);

		if (rnd(4) == 0) {
			token_state_free(&r);
			token_state_init(&r);
			for (uint64_t j = 0; j < i; j++)
				assert_int_equal(token_state_apply(&r, j,
								   log[j].data,
								   log[j].len,
								   0, NULL, 0),
						 TOKEN_ACCEPTED);
		}
		for (uint64_t j = i; j < i + batch && j < M.log_len; j++)
			assert_int_equal(token_state_apply(&r, j, log[j].data,
							   log[j].len,
							   TOKEN_APPLY_VERIFY,
							   why, sizeof(why)),
					 TOKEN_ACCEPTED);
		i += batch;
	}
	s.rejected = 0;
	assert_states_equal(&s, &r);
	token_state_free(&r);
	token_state_free(&s);
	for (uint64_t i = 0; i < M.log_len; i++)
		free(log[i].data);
	for (int a = 0; a < NACCT; a++)
		free(M.used[a]);
	free(log);
	free(M.orders);
	free(o);
	free(prev);
}

/* Dry runs decide exactly like real applies and change nothing. */
static void test_dry_run(void **state)
{
	struct token_state s;
	struct op o;
	char why[256];

	(void)state;
	token_state_init(&s);
	memset(&o, 0, sizeof(o));
	o.kind = TOKEN_ISSUE;
	o.who = 1;
	o.to = 5;
	o.amount = 10;
	o.time = T0;
	encode_token(&o);
	assert_int_equal(token_state_apply(&s, 0, o.buf, o.len, TOKEN_APPLY_DRY,
					   why, sizeof(why)),
			 TOKEN_R_NO_GENESIS);
	assert_int_equal(s.records, 0);
	assert_int_equal(s.rejected, 0);
	token_state_free(&s);
}

static int setup(void **state)
{
	char name[16];

	(void)state;
	for (int i = 0; i < NACCT; i++) {
		snprintf(name, sizeof(name), "a%d", i);
		key[i] = test_key(name, (uint8_t)(0x40 + i));
		if (!key[i])
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NACCT; i++)
		note_key_free(key[i]);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_property),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
