// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compute-token records (magic CFNT): the canonical binary form of every
 * token operation logged beside the routing decisions (CFNR).  Layout and
 * rules: doc/tokens.md.
 *
 * The header has the same shape as a decision record's (magic, version,
 * one byte, a name, a u64), so the store's (origin, seq) index and the
 * export protocol's acknowledgements treat a token record as (account id,
 * nonce) without knowing anything else about it.
 *
 * An account is an Ed25519 public key; its id (the record's "origin") is
 * the key in unpadded base64url (43 characters).  Every record is signed
 * by its account over all bytes before the signature.
 */
#ifndef CFN_LEDGER_TOKEN_RECORD_H
#define CFN_LEDGER_TOKEN_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "note.h"
#include "record.h"

#define TOKEN_VERSION 1
#define TOKEN_ACCOUNT_ID_LEN 43 /* base64url(32 bytes), no padding */
#define TOKEN_ISSUERS_MAX 16
/* Bounds keep every product and sum far from u64 overflow. */
#define TOKEN_AMOUNT_MAX 1000000000000000ULL /* 1e15 tokens */
#define TOKEN_UNITS_MAX 1000000000ULL	     /* 1e9 units per order */
#define TOKEN_PRICE_MAX 1000000ULL	     /* 1e6 tokens per unit */
#define TOKEN_MAX_LEN 512

enum token_kind {
	TOKEN_GENESIS = 0,  /* the log key names the issuers */
	TOKEN_ISSUE = 1,    /* an issuer creates tokens */
	TOKEN_TRANSFER = 2, /* an account pays another */
	TOKEN_PROVIDER = 3, /* a provider registers a site it runs */
	TOKEN_ORDER = 4,    /* an enterprise locks tokens for compute */
	TOKEN_RECEIPT = 5,  /* the bound provider reports units done */
	TOKEN_EXPIRY = 6,   /* anyone closes an expired order: refund */
	TOKEN_KIND_MAX = TOKEN_EXPIRY,
};

typedef uint8_t token_account[NOTE_ED25519_PUB];

struct token_record {
	uint8_t kind;
	token_account account; /* author; signs the record */
	uint64_t nonce;	       /* unique per account */
	int64_t time_s;	       /* author's clock, Unix seconds UTC */
	union {
		struct {
			uint8_t n;
			token_account keys[TOKEN_ISSUERS_MAX];
		} genesis;
		struct {
			token_account to;
			uint64_t amount;
		} pay; /* ISSUE, TRANSFER */
		struct {
			char router[RECORD_NAME_MAX + 1];
			char site[RECORD_NAME_MAX + 1];
			uint64_t price; /* tokens per unit */
		} provider;
		struct {
			uint8_t family; /* 4 or 6 */
			uint8_t plen;
			uint8_t addr[16];
			char ingress[RECORD_NAME_MAX + 1];
			uint64_t units;
			uint64_t max_price;
			int64_t expires_s; /* absolute, Unix seconds */
		} order;
		struct {
			uint64_t order; /* log index of the ORDER */
			uint64_t units; /* RECEIPT: units done */
		} close;		/* RECEIPT, EXPIRY */
	} u;
	uint8_t sig[NOTE_ED25519_SIG];
};

const char *token_kind_name(unsigned kind);
/* True when buf starts like a token record (magic and version). */
bool token_record_is(const uint8_t *buf, size_t len);

/* Account ids: out gets TOKEN_ACCOUNT_ID_LEN chars + NUL. */
void token_account_id(const token_account a, char out[64]);
int token_account_parse(const char *id, token_account a);

/* Encode the whole record (with sig); length or -1 with err. */
int token_encode(const struct token_record *t, uint8_t *buf, size_t size,
		 char *err, size_t errlen);
/* Strict: accepts exactly what token_encode produces. */
int token_decode(const uint8_t *buf, size_t len, struct token_record *t,
		 char *err, size_t errlen);
/* Sets account from key, signs (key must be private). */
int token_sign(struct token_record *t, const struct note_key *key, char *err,
	       size_t errlen);
/* Ed25519 check under t->account; 0 ok, -1 with err. */
int token_verify(const struct token_record *t, char *err, size_t errlen);
/* Verify the signature of encoded bytes (decoded as t) without re-encoding. */
int token_verify_bytes(const uint8_t *buf, size_t len, const uint8_t *pub,
		       char *err, size_t errlen);

/* "203.0.113.10/32" -> family/plen/addr with host bits zero; -1 if bad. */
int token_parse_prefix(const char *s, uint8_t *family, uint8_t *plen,
		       uint8_t addr[16]);
void token_format_prefix(uint8_t family, uint8_t plen, const uint8_t *addr,
			 char *out, size_t size);

struct json_object;
/* Decoded view for the CLI and docs (caller json_object_put()s). */
struct json_object *token_to_json_obj(const struct token_record *t);

#endif
