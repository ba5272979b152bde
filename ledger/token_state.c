// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The token state machine (token_state.h, doc/tokens.md).  Every rule is
 * decided in full before anything changes, so a rejection leaves the
 * state exactly as it was; the same log always gives the same state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "token_state.h"

#define SUPPLY_MAX (1ULL << 62)
#define DEC_KEY_LEN (RECORD_NAME_MAX + 1 + 2 + 16)

static const char *const reason_names[] = {
	[TOKEN_ACCEPTED] = "accepted",
	[TOKEN_R_MALFORMED] = "malformed",
	[TOKEN_R_SIGNATURE] = "bad-signature",
	[TOKEN_R_NO_GENESIS] = "no-genesis",
	[TOKEN_R_GENESIS_AGAIN] = "genesis-again",
	[TOKEN_R_NONCE] = "nonce-used",
	[TOKEN_R_NOT_ISSUER] = "not-issuer",
	[TOKEN_R_BALANCE] = "insufficient-balance",
	[TOKEN_R_SELF] = "self-transfer",
	[TOKEN_R_ROUTER_TAKEN] = "router-taken",
	[TOKEN_R_NO_DECISION] = "no-decision",
	[TOKEN_R_NO_SITE] = "no-site",
	[TOKEN_R_NO_PROVIDER] = "no-provider",
	[TOKEN_R_PRICE] = "price-above-maximum",
	[TOKEN_R_EXPIRED] = "expired",
	[TOKEN_R_NO_ORDER] = "no-such-order",
	[TOKEN_R_CLOSED] = "order-closed",
	[TOKEN_R_NOT_PROVIDER] = "not-bound-provider",
	[TOKEN_R_UNITS] = "units-above-ordered",
	[TOKEN_R_NOT_EXPIRED] = "not-expired",
	[TOKEN_R_OVERFLOW] = "supply-overflow",
	[TOKEN_R_NOMEM] = "out-of-memory",
};

const char *token_reason_name(enum token_reason r)
{
	return r <= TOKEN_REASON_MAX ? reason_names[r] : "unknown";
}

static enum token_reason reject(enum token_reason r, char *why, size_t whylen,
				const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum token_reason reject(enum token_reason r, char *why, size_t whylen,
				const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!why || !whylen)
		return r;
	n = snprintf(why, whylen, "%s: ", token_reason_name(r));
	if (n > 0 && (size_t)n < whylen) {
		va_start(ap, fmt);
		vsnprintf(why + n, whylen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return r;
}

void token_state_init(struct token_state *s)
{
	memset(s, 0, sizeof(*s));
	token_map_init(&s->acct_ix, NOTE_ED25519_PUB);
	token_map_init(&s->nonce_ix, NOTE_ED25519_PUB + 8);
	token_map_init(&s->dec_ix, DEC_KEY_LEN);
	token_map_init(&s->prov_ix, RECORD_NAME_MAX + 1);
	token_map_init(&s->order_ix, 8);
	s->last_order = UINT32_MAX;
}

void token_state_free(struct token_state *s)
{
	free(s->accts);
	free(s->orders);
	free(s->sites);
	free(s->provs);
	token_map_free(&s->acct_ix);
	token_map_free(&s->nonce_ix);
	token_map_free(&s->dec_ix);
	token_map_free(&s->prov_ix);
	token_map_free(&s->order_ix);
	memset(s, 0, sizeof(*s));
}

/* Grow a vector to hold one more element; -1 on allocation failure. */
static int reserve(void **v, size_t *cap, size_t n, size_t elem)
{
	void *p;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*v, c * elem);
	if (!p)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

static struct token_acct *acct_find(const struct token_state *s,
				    const token_account a)
{
	uint64_t i;

	return token_map_get(&s->acct_ix, a, &i) ? &s->accts[i] : NULL;
}

static struct token_acct *acct_get(struct token_state *s, const token_account a)
{
	struct token_acct *x = acct_find(s, a);

	if (x)
		return x;
	if (reserve((void **)&s->accts, &s->accts_cap, s->naccts,
		    sizeof(*s->accts)) < 0 ||
	    token_map_put(&s->acct_ix, a, s->naccts) < 0)
		return NULL;
	x = &s->accts[s->naccts++];
	memset(x, 0, sizeof(*x));
	memcpy(x->key, a, NOTE_ED25519_PUB);
	return x;
}

static uint64_t avail(const struct token_state *s, const token_account a)
{
	const struct token_acct *x = acct_find(s, a);

	return x ? x->balance : 0;
}

static void name_key(const char *name, uint8_t out[RECORD_NAME_MAX + 1])
{
	memset(out, 0, RECORD_NAME_MAX + 1);
	memcpy(out, name, strlen(name));
}

static void dec_key(const char *ingress, uint8_t family, uint8_t plen,
		    const uint8_t *addr, uint8_t out[DEC_KEY_LEN])
{
	name_key(ingress, out);
	out[RECORD_NAME_MAX + 1] = family;
	out[RECORD_NAME_MAX + 2] = plen;
	memcpy(out + RECORD_NAME_MAX + 3, addr, 16);
}

static void nonce_key(const token_account a, uint64_t nonce, uint8_t out[40])
{
	memcpy(out, a, NOTE_ED25519_PUB);
	for (int i = 0; i < 8; i++)
		out[NOTE_ED25519_PUB + i] = (uint8_t)(nonce >> (56 - 8 * i));
}

static bool is_issuer(const struct token_state *s, const token_account a)
{
	for (unsigned i = 0; i < s->nissuers; i++)
		if (!memcmp(s->issuers[i], a, NOTE_ED25519_PUB))
			return true;
	return false;
}

static enum token_reason apply_decision(struct token_state *s,
					const uint8_t *data, size_t len,
					bool dry, char *why, size_t whylen)
{
	struct record r;
	uint8_t key[DEC_KEY_LEN];
	char err[160];
	uint64_t slot;

	if (record_decode(data, len, &r, err, sizeof(err)) < 0)
		return reject(TOKEN_R_MALFORMED, why, whylen, "%s", err);
	if (dry)
		return TOKEN_ACCEPTED;
	dec_key(r.origin, r.family, r.plen, r.addr, key);
	if (!token_map_get(&s->dec_ix, key, &slot)) {
		if (reserve((void **)&s->sites, &s->sites_cap, s->nsites,
			    sizeof(*s->sites)) < 0 ||
		    token_map_put(&s->dec_ix, key, s->nsites) < 0)
			return reject(TOKEN_R_NOMEM, why, whylen, "decision");
		slot = s->nsites++;
	}
	/* UCMP decisions bind orders to their first (preferred) site. */
	snprintf(s->sites[slot], sizeof(s->sites[0]), "%s",
		 r.nsites ? r.sites[0] : "");
	s->decisions++;
	s->records++;
	return TOKEN_ACCEPTED;
}

/* The binding of an order: decided before anything moves. */
struct binding {
	const char *router, *site;
	uint32_t provider;
	uint64_t price;
};

static enum token_reason bind_order(const struct token_state *s,
				    const struct token_record *t, int64_t now,
				    struct binding *b, char *why, size_t whylen)
{
	uint8_t key[DEC_KEY_LEN], rkey[RECORD_NAME_MAX + 1];
	char svc[64];
	uint64_t slot, pslot, need;

	token_format_prefix(t->u.order.family, t->u.order.plen, t->u.order.addr,
			    svc, sizeof(svc));
	dec_key(t->u.order.ingress, t->u.order.family, t->u.order.plen,
		t->u.order.addr, key);
	if (!token_map_get(&s->dec_ix, key, &slot))
		return reject(TOKEN_R_NO_DECISION, why, whylen,
			      "no decision of %s for %s in the log",
			      t->u.order.ingress, svc);
	b->router = s->sites[slot];
	if (!b->router[0])
		return reject(TOKEN_R_NO_SITE, why, whylen,
			      "the latest decision of %s for %s chose no site",
			      t->u.order.ingress, svc);
	name_key(b->router, rkey);
	if (!token_map_get(&s->prov_ix, rkey, &pslot))
		return reject(TOKEN_R_NO_PROVIDER, why, whylen,
			      "no provider registered for site router %s",
			      b->router);
	b->provider = s->provs[pslot].acct;
	b->price = s->provs[pslot].price;
	b->site = s->provs[pslot].site;
	if (b->price > t->u.order.max_price)
		return reject(TOKEN_R_PRICE, why, whylen,
			      "site %s price %llu above maximum %llu", b->site,
			      (unsigned long long)b->price,
			      (unsigned long long)t->u.order.max_price);
	if (t->u.order.expires_s <= now)
		return reject(TOKEN_R_EXPIRED, why, whylen,
			      "expires at %lld, ledger time is %lld",
			      (long long)t->u.order.expires_s, (long long)now);
	need = b->price * t->u.order.units;
	if (avail(s, t->account) < need)
		return reject(TOKEN_R_BALANCE, why, whylen,
			      "order needs %llu, available %llu",
			      (unsigned long long)need,
			      (unsigned long long)avail(s, t->account));
	return TOKEN_ACCEPTED;
}

static enum token_reason check_close(const struct token_state *s,
				     const struct token_record *t, int64_t now,
				     char *why, size_t whylen)
{
	const struct token_order *o = token_state_order(s, t->u.close.order);
	static const char *const st[] = {"open", "settled", "expired"};

	if (!o)
		return reject(TOKEN_R_NO_ORDER, why, whylen,
			      "no order at index %llu",
			      (unsigned long long)t->u.close.order);
	if (o->state != TOKEN_ORDER_OPEN)
		return reject(TOKEN_R_CLOSED, why, whylen,
			      "order %llu is already %s",
			      (unsigned long long)o->index, st[o->state]);
	if (t->kind == TOKEN_EXPIRY) {
		if (now < o->expires_s)
			return reject(TOKEN_R_NOT_EXPIRED, why, whylen,
				      "order %llu expires at %lld, ledger "
				      "time is %lld",
				      (unsigned long long)o->index,
				      (long long)o->expires_s, (long long)now);
		return TOKEN_ACCEPTED;
	}
	if (memcmp(s->accts[o->provider].key, t->account, NOTE_ED25519_PUB))
		return reject(TOKEN_R_NOT_PROVIDER, why, whylen,
			      "order %llu is bound to another provider",
			      (unsigned long long)o->index);
	if (now >= o->expires_s)
		return reject(TOKEN_R_EXPIRED, why, whylen,
			      "order %llu expired at %lld, ledger time is %lld",
			      (unsigned long long)o->index,
			      (long long)o->expires_s, (long long)now);
	if (t->u.close.units > o->units)
		return reject(TOKEN_R_UNITS, why, whylen,
			      "%llu units reported, %llu ordered",
			      (unsigned long long)t->u.close.units,
			      (unsigned long long)o->units);
	return TOKEN_ACCEPTED;
}

/* Everything a token record must satisfy, without changing anything. */
static enum token_reason decide(const struct token_state *s,
				const struct token_record *t, int64_t now,
				struct binding *b, char *why, size_t whylen)
{
	uint8_t nk[40];
	uint64_t prev;
	const struct token_acct *a;

	if (t->kind == TOKEN_GENESIS)
		return s->genesis ? reject(TOKEN_R_GENESIS_AGAIN, why, whylen,
					   "the genesis is already logged")
				  : TOKEN_ACCEPTED;
	if (!s->genesis)
		return reject(TOKEN_R_NO_GENESIS, why, whylen,
			      "no genesis (issuers) in the log yet");
	nonce_key(t->account, t->nonce, nk);
	if (token_map_get(&s->nonce_ix, nk, &prev))
		return reject(TOKEN_R_NONCE, why, whylen,
			      "nonce %llu already used by entry %llu",
			      (unsigned long long)t->nonce,
			      (unsigned long long)prev);
	switch (t->kind) {
	case TOKEN_ISSUE:
		if (!is_issuer(s, t->account))
			return reject(TOKEN_R_NOT_ISSUER, why, whylen,
				      "signer is not a genesis issuer");
		if (s->issued_total + t->u.pay.amount > SUPPLY_MAX)
			return reject(TOKEN_R_OVERFLOW, why, whylen,
				      "supply would exceed 2^62");
		return TOKEN_ACCEPTED;
	case TOKEN_TRANSFER:
		if (!memcmp(t->u.pay.to, t->account, NOTE_ED25519_PUB))
			return reject(TOKEN_R_SELF, why, whylen,
				      "transfer to the sender itself");
		if (avail(s, t->account) < t->u.pay.amount)
			return reject(TOKEN_R_BALANCE, why, whylen,
				      "transfer of %llu, available %llu",
				      (unsigned long long)t->u.pay.amount,
				      (unsigned long long)avail(s, t->account));
		return TOKEN_ACCEPTED;
	case TOKEN_PROVIDER: {
		uint8_t rkey[RECORD_NAME_MAX + 1];
		uint64_t p;

		name_key(t->u.provider.router, rkey);
		if (token_map_get(&s->prov_ix, rkey, &p) &&
		    (a = &s->accts[s->provs[p].acct]) &&
		    memcmp(a->key, t->account, NOTE_ED25519_PUB))
			return reject(TOKEN_R_ROUTER_TAKEN, why, whylen,
				      "router %s is registered by another "
				      "provider",
				      t->u.provider.router);
		return TOKEN_ACCEPTED;
	}
	case TOKEN_ORDER:
		return bind_order(s, t, now, b, why, whylen);
	case TOKEN_RECEIPT:
	case TOKEN_EXPIRY:
		return check_close(s, t, now, why, whylen);
	}
	return reject(TOKEN_R_MALFORMED, why, whylen, "unknown kind");
}

static int do_provider(struct token_state *s, const struct token_record *t,
		       struct token_acct *a)
{
	uint8_t rkey[RECORD_NAME_MAX + 1];
	uint64_t p;

	name_key(t->u.provider.router, rkey);
	if (!token_map_get(&s->prov_ix, rkey, &p)) {
		if (reserve((void **)&s->provs, &s->provs_cap, s->nprovs,
			    sizeof(*s->provs)) < 0 ||
		    token_map_put(&s->prov_ix, rkey, s->nprovs) < 0)
			return -1;
		p = s->nprovs++;
	}
	s->provs[p].acct = (uint32_t)(a - s->accts);
	s->provs[p].price = t->u.provider.price;
	snprintf(s->provs[p].site, sizeof(s->provs[p].site), "%s",
		 t->u.provider.site);
	return 0;
}

static int do_order(struct token_state *s, const struct token_record *t,
		    uint64_t index, struct token_acct *ent,
		    const struct binding *b)
{
	struct token_order *o;
	uint64_t k = index;

	if (reserve((void **)&s->orders, &s->orders_cap, s->norders,
		    sizeof(*s->orders)) < 0 ||
	    token_map_put(&s->order_ix, &k, s->norders) < 0)
		return -1;
	s->last_order = (uint32_t)s->norders;
	o = &s->orders[s->norders++];
	memset(o, 0, sizeof(*o));
	o->index = index;
	o->enterprise = (uint32_t)(ent - s->accts);
	o->provider = b->provider;
	snprintf(o->router, sizeof(o->router), "%s", b->router);
	snprintf(o->site, sizeof(o->site), "%s", b->site);
	snprintf(o->ingress, sizeof(o->ingress), "%s", t->u.order.ingress);
	o->family = t->u.order.family;
	o->plen = t->u.order.plen;
	memcpy(o->addr, t->u.order.addr, 16);
	o->units = t->u.order.units;
	o->price = b->price;
	o->escrow = o->units * o->price;
	o->expires_s = t->u.order.expires_s;
	o->state = TOKEN_ORDER_OPEN;
	ent->balance -= o->escrow;
	ent->locked += o->escrow;
	ent->escrowed += o->escrow;
	s->escrow_open += o->escrow;
	s->orders_open++;
	return 0;
}

static void do_close(struct token_state *s, const struct token_record *t,
		     uint64_t index)
{
	uint64_t slot;
	struct token_order *o;
	struct token_acct *ent, *prov;

	token_map_get(&s->order_ix, &t->u.close.order, &slot);
	o = &s->orders[slot];
	s->last_order = (uint32_t)slot;
	ent = &s->accts[o->enterprise];
	prov = &s->accts[o->provider];
	o->closed_by = index;
	o->done = t->kind == TOKEN_RECEIPT ? t->u.close.units : 0;
	o->paid = o->done * o->price;
	o->refund = o->escrow - o->paid;
	o->state = t->kind == TOKEN_RECEIPT ? TOKEN_ORDER_SETTLED
					    : TOKEN_ORDER_EXPIRED;
	ent->locked -= o->escrow;
	ent->balance += o->refund;
	ent->refunded += o->refund;
	ent->spent += o->paid;
	prov->balance += o->paid;
	prov->earned += o->paid;
	s->escrow_open -= o->escrow;
	s->orders_open--;
	if (o->state == TOKEN_ORDER_SETTLED)
		s->orders_settled++;
	else
		s->orders_expired++;
}

static enum token_reason apply_token(struct token_state *s, uint64_t index,
				     const uint8_t *data, size_t len,
				     unsigned flags, char *why, size_t whylen)
{
	struct token_record t;
	struct binding b = {NULL};
	struct token_acct *a, *to;
	enum token_reason r;
	uint8_t nk[40];
	char err[160];
	int64_t now;

	if (token_decode(data, len, &t, err, sizeof(err)) < 0)
		return reject(TOKEN_R_MALFORMED, why, whylen, "%s", err);
	if ((flags & TOKEN_APPLY_VERIFY) &&
	    token_verify_bytes(data, len, t.account, err, sizeof(err)) < 0)
		return reject(TOKEN_R_SIGNATURE, why, whylen,
			      "%s %s signature does not verify",
			      token_kind_name(t.kind), "token record");
	now = t.time_s > s->now ? t.time_s : s->now;
	r = decide(s, &t, now, &b, why, whylen);
	if (r != TOKEN_ACCEPTED || (flags & TOKEN_APPLY_DRY))
		return r;

	/* Accepted: from here on only allocation can fail. */
	a = acct_get(s, t.account);
	to = (t.kind == TOKEN_ISSUE || t.kind == TOKEN_TRANSFER)
		     ? acct_get(s, t.u.pay.to)
		     : NULL;
	/* acct_get may have moved the vector: look the author up again */
	a = acct_find(s, t.account);
	nonce_key(t.account, t.nonce, nk);
	if (!a ||
	    ((t.kind == TOKEN_ISSUE || t.kind == TOKEN_TRANSFER) && !to) ||
	    token_map_put(&s->nonce_ix, nk, index) < 0)
		return reject(TOKEN_R_NOMEM, why, whylen, "accounts");
	s->last_order = UINT32_MAX;
	switch (t.kind) {
	case TOKEN_GENESIS:
		s->genesis = true;
		s->nissuers = t.u.genesis.n;
		memcpy(s->issuers, t.u.genesis.keys, sizeof(s->issuers));
		memcpy(s->log_key, t.account, NOTE_ED25519_PUB);
		break;
	case TOKEN_ISSUE:
		to->balance += t.u.pay.amount;
		to->issued += t.u.pay.amount;
		s->issued_total += t.u.pay.amount;
		break;
	case TOKEN_TRANSFER:
		a->balance -= t.u.pay.amount;
		a->sent += t.u.pay.amount;
		to->balance += t.u.pay.amount;
		to->received += t.u.pay.amount;
		break;
	case TOKEN_PROVIDER:
		if (do_provider(s, &t, a) < 0)
			return reject(TOKEN_R_NOMEM, why, whylen, "providers");
		break;
	case TOKEN_ORDER:
		if (do_order(s, &t, index, a, &b) < 0)
			return reject(TOKEN_R_NOMEM, why, whylen, "orders");
		break;
	case TOKEN_RECEIPT:
	case TOKEN_EXPIRY:
		do_close(s, &t, index);
		break;
	}
	s->now = now;
	s->applied[t.kind]++;
	s->records++;
	return TOKEN_ACCEPTED;
}

enum token_reason token_state_apply(struct token_state *s, uint64_t index,
				    const uint8_t *data, size_t len,
				    unsigned flags, char *why, size_t whylen)
{
	enum token_reason r;

	if (token_record_is(data, len))
		r = apply_token(s, index, data, len, flags, why, whylen);
	else
		r = apply_decision(s, data, len, flags & TOKEN_APPLY_DRY, why,
				   whylen);
	if (r != TOKEN_ACCEPTED && !(flags & TOKEN_APPLY_DRY))
		s->rejected++;
	return r;
}

/* ---- invariants ---- */

static int check_order(const struct token_state *s, const struct token_order *o,
		       char *why, size_t whylen)
{
	unsigned long long ix = (unsigned long long)o->index;

	if (o->escrow != o->units * o->price)
		return snprintf(why, whylen,
				"order %llu: escrow %llu is not "
				"units x price",
				ix, (unsigned long long)o->escrow),
		       -1;
	switch (o->state) {
	case TOKEN_ORDER_OPEN:
		if (o->paid || o->refund || o->done || o->closed_by)
			return snprintf(why, whylen,
					"order %llu: open but paid out", ix),
			       -1;
		return 0;
	case TOKEN_ORDER_SETTLED:
	case TOKEN_ORDER_EXPIRED:
		if (o->paid + o->refund != o->escrow || o->done > o->units ||
		    o->paid != o->done * o->price ||
		    (o->state == TOKEN_ORDER_EXPIRED && o->paid))
			return snprintf(why, whylen,
					"order %llu: paid %llu + refund %llu "
					"!= escrow %llu",
					ix, (unsigned long long)o->paid,
					(unsigned long long)o->refund,
					(unsigned long long)o->escrow),
			       -1;
		return 0;
	}
	return snprintf(why, whylen, "order %llu: state %u", ix, o->state), -1;
}

int token_state_check(const struct token_state *s, bool full, char *why,
		      size_t whylen)
{
	uint64_t bal = 0, lock = 0, issued = 0, n[3] = {0, 0, 0};
	uint64_t *per = NULL;

	for (size_t i = 0; i < s->naccts; i++) {
		const struct token_acct *a = &s->accts[i];

		/* u64 wrap-around is how a negative balance would show */
		if (a->balance > SUPPLY_MAX || a->locked > SUPPLY_MAX)
			return snprintf(why, whylen,
					"account %zu negative balance or lock",
					i),
			       -1;
		if (a->locked > a->escrowed)
			return snprintf(why, whylen,
					"account %zu locks more than it paid "
					"in",
					i),
			       -1;
		bal += a->balance;
		lock += a->locked;
		issued += a->issued;
	}
	if (issued != s->issued_total || bal + lock != s->issued_total)
		return snprintf(why, whylen,
				"supply %llu (balances %llu + locks %llu) "
				"differs from issuance %llu",
				(unsigned long long)(bal + lock),
				(unsigned long long)bal,
				(unsigned long long)lock,
				(unsigned long long)s->issued_total),
		       -1;
	if (lock != s->escrow_open)
		return snprintf(why, whylen,
				"locks %llu differ from open escrow %llu",
				(unsigned long long)lock,
				(unsigned long long)s->escrow_open),
		       -1;
	if (s->orders_open + s->orders_settled + s->orders_expired !=
	    s->norders)
		return snprintf(why, whylen, "order states do not add up"), -1;
	if (!full)
		return s->last_order == UINT32_MAX
			       ? 0
			       : check_order(s, &s->orders[s->last_order], why,
					     whylen);
	per = calloc(s->naccts ? s->naccts : 1, sizeof(*per));
	if (!per)
		return snprintf(why, whylen, "out of memory"), -1;
	for (size_t i = 0; i < s->norders; i++) {
		const struct token_order *o = &s->orders[i];

		if (check_order(s, o, why, whylen) < 0) {
			free(per);
			return -1;
		}
		n[o->state]++;
		if (o->state == TOKEN_ORDER_OPEN)
			per[o->enterprise] += o->escrow;
	}
	for (size_t i = 0; i < s->naccts; i++)
		if (per[i] != s->accts[i].locked) {
			free(per);
			return snprintf(why, whylen,
					"account %zu lock differs from its "
					"open orders",
					i),
			       -1;
		}
	free(per);
	if (n[0] != s->orders_open || n[1] != s->orders_settled ||
	    n[2] != s->orders_expired)
		return snprintf(why, whylen, "order counts differ"), -1;
	return 0;
}

const struct token_acct *token_state_account(const struct token_state *s,
					     const token_account a)
{
	return acct_find(s, a);
}

const struct token_order *token_state_order(const struct token_state *s,
					    uint64_t index)
{
	uint64_t slot;

	return token_map_get(&s->order_ix, &index, &slot) ? &s->orders[slot]
							  : NULL;
}

uint64_t token_state_supply(const struct token_state *s)
{
	return s->issued_total;
}
