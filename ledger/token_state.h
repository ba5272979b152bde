// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The compute-token state machine, replayed deterministically from the
 * log: every entry (decision or token record) is applied in log order.
 * Decisions only update "the latest decision for (ingress, service)";
 * token records move tokens.  A rejected record changes nothing and gets
 * one of the reasons below.  Rules: doc/tokens.md.
 *
 * Time is the log's own: "now" is the largest token-record time applied
 * so far (cfn-ledgerd admits a record only when its time is within
 * TOKEN_CLOCK_SKEW of the ledger's clock), so replay gives the same
 * answers whenever and wherever it runs.
 */
#ifndef CFN_LEDGER_TOKEN_STATE_H
#define CFN_LEDGER_TOKEN_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "token_map.h"
#include "token_record.h"

#define TOKEN_CLOCK_SKEW 300 /* seconds, admission rule of cfn-ledgerd */

enum token_reason {
	TOKEN_ACCEPTED = 0,
	TOKEN_R_MALFORMED,     /* not a decodable record */
	TOKEN_R_SIGNATURE,     /* signature does not verify */
	TOKEN_R_NO_GENESIS,    /* token record before the genesis */
	TOKEN_R_GENESIS_AGAIN, /* a second genesis */
	TOKEN_R_NONCE,	       /* (account, nonce) already used */
	TOKEN_R_NOT_ISSUER,    /* issue by a non-issuer */
	TOKEN_R_BALANCE,       /* not enough available tokens */
	TOKEN_R_SELF,	       /* transfer to oneself */
	TOKEN_R_ROUTER_TAKEN,  /* router registered by another provider */
	TOKEN_R_NO_DECISION,   /* no decision for (ingress, service) */
	TOKEN_R_NO_SITE,       /* latest decision chose no site */
	TOKEN_R_NO_PROVIDER,   /* no provider registered for the site */
	TOKEN_R_PRICE,	       /* site price above the order's maximum */
	TOKEN_R_EXPIRED,       /* order expiry not after now */
	TOKEN_R_NO_ORDER,      /* receipt/expiry for an unknown order */
	TOKEN_R_CLOSED,	       /* order already settled or expired */
	TOKEN_R_NOT_PROVIDER,  /* receipt not by the bound provider */
	TOKEN_R_UNITS,	       /* receipt for more units than ordered */
	TOKEN_R_NOT_EXPIRED,   /* expiry before the order expires */
	TOKEN_R_OVERFLOW,      /* supply would exceed its bound */
	TOKEN_R_NOMEM,
	TOKEN_REASON_MAX = TOKEN_R_NOMEM,
};

const char *token_reason_name(enum token_reason r);

enum token_order_state {
	TOKEN_ORDER_OPEN = 0,
	TOKEN_ORDER_SETTLED = 1,
	TOKEN_ORDER_EXPIRED = 2,
};

struct token_acct {
	token_account key;
	uint64_t balance; /* available */
	uint64_t locked;  /* in escrow of open orders */
	/* flows, for the regulator's report */
	uint64_t issued, received, sent, escrowed, earned, refunded, spent;
};

struct token_order {
	uint64_t index;		       /* log index of the ORDER: its id */
	uint32_t enterprise, provider; /* account slots */
	char router[RECORD_NAME_MAX + 1], site[RECORD_NAME_MAX + 1];
	char ingress[RECORD_NAME_MAX + 1];
	uint8_t family, plen, addr[16];
	uint64_t units, price, escrow; /* escrow = units * price, paid in */
	int64_t expires_s;
	uint8_t state;
	uint64_t done, paid, refund; /* at settlement / expiry */
	uint64_t closed_by;	     /* log index of the receipt/expiry */
};

struct token_state {
	bool genesis;
	token_account issuers[TOKEN_ISSUERS_MAX];
	unsigned nissuers;
	token_account log_key; /* signer of the genesis */
	int64_t now;

	struct token_acct *accts;
	size_t naccts, accts_cap;
	struct token_order *orders;
	size_t norders, orders_cap;
	char (*sites)[RECORD_NAME_MAX + 1]; /* per decision key: site */
	size_t nsites, sites_cap;
	struct {
		uint32_t acct;
		uint64_t price;
		char site[RECORD_NAME_MAX + 1];
	} * provs;
	size_t nprovs, provs_cap;

	struct token_map acct_ix;  /* pubkey -> accts slot */
	struct token_map nonce_ix; /* pubkey||nonce -> log index */
	struct token_map dec_ix;   /* decision key -> sites slot */
	struct token_map prov_ix;  /* router name -> provs slot */
	struct token_map order_ix; /* log index -> orders slot */

	/* running totals, checked against the accounts by the invariants */
	uint64_t issued_total; /* supply: changes only by issuance */
	uint64_t escrow_open;  /* sum of open orders' escrow */
	uint64_t records, decisions, applied[TOKEN_KIND_MAX + 1];
	uint64_t rejected;
	uint64_t orders_open, orders_settled, orders_expired;
	uint32_t last_order; /* slot touched by the last record, or -1 */
};

enum token_apply_flags {
	TOKEN_APPLY_VERIFY = 1, /* check the token signature here */
	TOKEN_APPLY_DRY = 2,	/* only decide; change nothing */
};

void token_state_init(struct token_state *s);
void token_state_free(struct token_state *s);

/*
 * Apply log entry `index` (decision or token record).  Returns
 * TOKEN_ACCEPTED or the reason it was rejected (why says it in words,
 * with the numbers involved); a rejection changes nothing.  Entries that
 * are neither kind are TOKEN_R_MALFORMED.
 */
enum token_reason token_state_apply(struct token_state *s, uint64_t index,
				    const uint8_t *data, size_t len,
				    unsigned flags, char *why, size_t whylen);

/*
 * The invariants: supply == issued (changes only by issuance); per
 * account balance + locked sums to supply; the accounts' locks equal the
 * open orders' escrow; every order is in exactly one state, with
 * escrow == units * price, paid + refund == escrow once closed.  full:
 * every order and every account's lock against its own open orders;
 * otherwise the accounts and the order touched last.  0 ok, -1 with why.
 */
int token_state_check(const struct token_state *s, bool full, char *why,
		      size_t whylen);

const struct token_acct *token_state_account(const struct token_state *s,
					     const token_account a);
const struct token_order *token_state_order(const struct token_state *s,
					    uint64_t index);
uint64_t token_state_supply(const struct token_state *s);

#endif
