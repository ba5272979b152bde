// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Canonical token records (doc/tokens.md).  One encoding per record: the
 * decoder rejects every byte string the encoder would not produce, so a
 * leaf hash names exactly one operation.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "token_record.h"
#include "util.h"

static const uint8_t magic[4] = {'C', 'F', 'N', 'T'};
#define TIME_MAX 253402300799LL /* 9999-12-31T23:59:59Z, as records */

static const char *const kind_names[] = {
	"genesis", "issue",   "transfer", "provider",
	"order",   "receipt", "expiry",
};

const char *token_kind_name(unsigned kind)
{
	return kind <= TOKEN_KIND_MAX ? kind_names[kind] : "unknown";
}

bool token_record_is(const uint8_t *buf, size_t len)
{
	return len >= 5 && !memcmp(buf, magic, 4) && buf[4] == TOKEN_VERSION;
}

void token_account_id(const token_account a, char out[64])
{
	char b[64];
	int n = note_b64_encode(a, NOTE_ED25519_PUB, b, sizeof(b));

	/* RFC 4648 section 5: base64url without padding. */
	for (int i = 0; i < n; i++)
		b[i] = b[i] == '+' ? '-' : b[i] == '/' ? '_' : b[i];
	memcpy(out, b, TOKEN_ACCOUNT_ID_LEN);
	out[TOKEN_ACCOUNT_ID_LEN] = '\0';
}

int token_account_parse(const char *id, token_account a)
{
	char b[48], back[64];

	if (strlen(id) != TOKEN_ACCOUNT_ID_LEN)
		return -1;
	for (int i = 0; i < TOKEN_ACCOUNT_ID_LEN; i++) {
		char c = id[i];

		if (c == '+' || c == '/' || c == '=')
			return -1;
		b[i] = c == '-' ? '+' : c == '_' ? '/' : c;
	}
	b[TOKEN_ACCOUNT_ID_LEN] = '=';
	if (note_b64_decode(b, TOKEN_ACCOUNT_ID_LEN + 1, a, NOTE_ED25519_PUB) !=
	    NOTE_ED25519_PUB)
		return -1;
	/* Canonical: the unused low bits of the last character are zero. */
	token_account_id(a, back);
	return strcmp(back, id) ? -1 : 0;
}

int token_parse_prefix(const char *s, uint8_t *family, uint8_t *plen,
		       uint8_t addr[16])
{
	char buf[64], *slash, *end;
	unsigned long len;
	unsigned bits;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1)
		*family = 4;
	else if (inet_pton(AF_INET6, buf, addr) == 1)
		*family = 6;
	else
		return -1;
	bits = *family == 4 ? 32 : 128;
	len = strtoul(slash + 1, &end, 10);
	if (!slash[1] || *end || len > bits)
		return -1;
	*plen = (uint8_t)len;
	for (unsigned i = 0; i < bits / 8; i++) {
		unsigned first = i * 8;

		if (first + 8 <= len)
			continue;
		if (addr[i] & (first >= len ? 0xff : 0xff >> (len - first)))
			return -1;
	}
	return 0;
}

void token_format_prefix(uint8_t family, uint8_t plen, const uint8_t *addr,
			 char *out, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(family == 4 ? AF_INET : AF_INET6, addr, a, sizeof(a));
	snprintf(out, size, "%s/%u", a, plen);
}

/* ---- writing ---- */

struct wbuf {
	uint8_t *p;
	size_t len, size;
};

static void put(struct wbuf *w, const void *d, size_t n)
{
	if (w->len + n <= w->size)
		memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void put8(struct wbuf *w, uint8_t v)
{
	put(w, &v, 1);
}

static void put64(struct wbuf *w, uint64_t v)
{
	uint8_t b[8];

	put_be64(b, v);
	put(w, b, 8);
}

static void put_name(struct wbuf *w, const char *s)
{
	put8(w, (uint8_t)strlen(s));
	put(w, s, strlen(s));
}

static bool time_ok(int64_t t)
{
	return t >= 0 && t <= TIME_MAX;
}

static int check(const struct token_record *t, char *err, size_t errlen)
{
	switch (t->kind) {
	case TOKEN_GENESIS:
		if (t->u.genesis.n < 1 || t->u.genesis.n > TOKEN_ISSUERS_MAX)
			return cfn_err(err, errlen, "genesis: 1..%d issuers",
				       TOKEN_ISSUERS_MAX);
		break;
	case TOKEN_ISSUE:
	case TOKEN_TRANSFER:
		if (t->u.pay.amount < 1 || t->u.pay.amount > TOKEN_AMOUNT_MAX)
			return cfn_err(err, errlen, "amount out of range");
		break;
	case TOKEN_PROVIDER:
		if (!record_name_valid(t->u.provider.router) ||
		    !record_name_valid(t->u.provider.site))
			return cfn_err(err, errlen,
				       "invalid router or site name");
		if (t->u.provider.price > TOKEN_PRICE_MAX)
			return cfn_err(err, errlen, "price out of range");
		break;
	case TOKEN_ORDER: {
		uint8_t f, p, a[16];
		char s[64];

		if (t->u.order.family != 4 && t->u.order.family != 6)
			return cfn_err(err, errlen, "service family");
		if (t->u.order.plen > (t->u.order.family == 4 ? 32 : 128))
			return cfn_err(err, errlen, "service prefix length");
		token_format_prefix(t->u.order.family, t->u.order.plen,
				    t->u.order.addr, s, sizeof(s));
		if (token_parse_prefix(s, &f, &p, a) < 0 ||
		    memcmp(a, t->u.order.addr, 16))
			return cfn_err(err, errlen, "service prefix host bits");
		if (!record_name_valid(t->u.order.ingress))
			return cfn_err(err, errlen, "invalid ingress name");
		if (t->u.order.units < 1 || t->u.order.units > TOKEN_UNITS_MAX)
			return cfn_err(err, errlen, "units out of range");
		if (t->u.order.max_price > TOKEN_PRICE_MAX)
			return cfn_err(err, errlen, "max price out of range");
		if (!time_ok(t->u.order.expires_s))
			return cfn_err(err, errlen, "expiry out of range");
		break;
	}
	case TOKEN_RECEIPT:
		if (t->u.close.units > TOKEN_UNITS_MAX)
			return cfn_err(err, errlen, "units out of range");
		break;
	case TOKEN_EXPIRY:
		break;
	default:
		return cfn_err(err, errlen, "unknown token record kind %u",
			       t->kind);
	}
	if (!time_ok(t->time_s))
		return cfn_err(err, errlen, "time out of range");
	return 0;
}

/* Bytes covered by the signature; length or -1. */
static int encode_signed_part(const struct token_record *t, uint8_t *buf,
			      size_t size, char *err, size_t errlen)
{
	struct wbuf w = {buf, 0, size};
	char id[64];

	if (check(t, err, errlen) < 0)
		return -1;
	token_account_id(t->account, id);
	put(&w, magic, 4);
	put8(&w, TOKEN_VERSION);
	put8(&w, t->kind);
	put_name(&w, id);
	put64(&w, t->nonce);
	put64(&w, (uint64_t)t->time_s);
	switch (t->kind) {
	case TOKEN_GENESIS:
		put8(&w, t->u.genesis.n);
		for (unsigned i = 0; i < t->u.genesis.n; i++)
			put(&w, t->u.genesis.keys[i], NOTE_ED25519_PUB);
		break;
	case TOKEN_ISSUE:
	case TOKEN_TRANSFER:
		put(&w, t->u.pay.to, NOTE_ED25519_PUB);
		put64(&w, t->u.pay.amount);
		break;
	case TOKEN_PROVIDER:
		put_name(&w, t->u.provider.router);
		put_name(&w, t->u.provider.site);
		put64(&w, t->u.provider.price);
		break;
	case TOKEN_ORDER:
		put8(&w, t->u.order.family);
		put8(&w, t->u.order.plen);
		put(&w, t->u.order.addr, t->u.order.family == 4 ? 4 : 16);
		put_name(&w, t->u.order.ingress);
		put64(&w, t->u.order.units);
		put64(&w, t->u.order.max_price);
		put64(&w, (uint64_t)t->u.order.expires_s);
		break;
	case TOKEN_RECEIPT:
		put64(&w, t->u.close.order);
		put64(&w, t->u.close.units);
		break;
	case TOKEN_EXPIRY:
		put64(&w, t->u.close.order);
		break;
	}
	if (w.len + NOTE_ED25519_SIG > size)
		return cfn_err(err, errlen, "token record buffer too small");
	return (int)w.len;
}

int token_encode(const struct token_record *t, uint8_t *buf, size_t size,
		 char *err, size_t errlen)
{
	int n = encode_signed_part(t, buf, size, err, errlen);

	if (n < 0)
		return -1;
	memcpy(buf + n, t->sig, NOTE_ED25519_SIG);
	return n + NOTE_ED25519_SIG;
}

/* ---- reading ---- */

static void get_body(struct cfn_reader *r, struct token_record *t)
{
	switch (t->kind) {
	case TOKEN_GENESIS:
		t->u.genesis.n = cfn_rd_u8(r, "issuer count");
		if (!r->bad &&
		    (t->u.genesis.n < 1 || t->u.genesis.n > TOKEN_ISSUERS_MAX))
			r->bad = "issuer count";
		for (unsigned i = 0; !r->bad && i < t->u.genesis.n; i++)
			cfn_rd_bytes(r, t->u.genesis.keys[i], NOTE_ED25519_PUB,
				     "issuer key");
		break;
	case TOKEN_ISSUE:
	case TOKEN_TRANSFER:
		cfn_rd_bytes(r, t->u.pay.to, NOTE_ED25519_PUB, "recipient");
		t->u.pay.amount = cfn_rd_u64(r, "amount");
		break;
	case TOKEN_PROVIDER:
		record_read_name(r, t->u.provider.router, "router");
		record_read_name(r, t->u.provider.site, "site");
		t->u.provider.price = cfn_rd_u64(r, "price");
		break;
	case TOKEN_ORDER:
		t->u.order.family = cfn_rd_u8(r, "service");
		t->u.order.plen = cfn_rd_u8(r, "service");
		if (!r->bad && t->u.order.family != 4 && t->u.order.family != 6)
			r->bad = "service family";
		cfn_rd_bytes(r, t->u.order.addr,
			     t->u.order.family == 4 ? 4 : 16,
			     "service address");
		record_read_name(r, t->u.order.ingress, "ingress");
		t->u.order.units = cfn_rd_u64(r, "units");
		t->u.order.max_price = cfn_rd_u64(r, "max price");
		t->u.order.expires_s = (int64_t)cfn_rd_u64(r, "expiry");
		break;
	case TOKEN_RECEIPT:
		t->u.close.order = cfn_rd_u64(r, "order");
		t->u.close.units = cfn_rd_u64(r, "units");
		break;
	case TOKEN_EXPIRY:
		t->u.close.order = cfn_rd_u64(r, "order");
		break;
	default:
		r->bad = "kind";
	}
}

int token_decode(const uint8_t *buf, size_t len, struct token_record *t,
		 char *err, size_t errlen)
{
	struct cfn_reader r = {buf, len, 0, NULL};
	const uint8_t *p;
	char id[RECORD_NAME_MAX + 1];

	memset(t, 0, sizeof(*t));
	p = cfn_rd_take(&r, 4, "magic");
	if (p && memcmp(p, magic, 4) != 0)
		return cfn_err(err, errlen, "token: bad magic");
	if (cfn_rd_u8(&r, "version") != TOKEN_VERSION && !r.bad)
		return cfn_err(err, errlen, "token: unsupported version");
	t->kind = cfn_rd_u8(&r, "kind");
	if (!r.bad && t->kind > TOKEN_KIND_MAX)
		return cfn_err(err, errlen, "token: unknown kind %u", t->kind);
	record_read_name(&r, id, "account");
	if (!r.bad && token_account_parse(id, t->account) < 0)
		r.bad = "account id";
	t->nonce = cfn_rd_u64(&r, "nonce");
	t->time_s = (int64_t)cfn_rd_u64(&r, "time");
	get_body(&r, t);
	cfn_rd_bytes(&r, t->sig, NOTE_ED25519_SIG, "signature");
	if (r.bad)
		return cfn_err(err, errlen, "token: truncated or invalid %s",
			       r.bad);
	if (r.off != len)
		return cfn_err(err, errlen, "token: %zu trailing bytes",
			       len - r.off);
	if (check(t, err, errlen) < 0)
		return -1;
	return 0;
}

/* ---- signatures ---- */

int token_sign(struct token_record *t, const struct note_key *key, char *err,
	       size_t errlen)
{
	uint8_t buf[TOKEN_MAX_LEN];
	int n;

	if (!key->has_private)
		return cfn_err(err, errlen, "key %s is not a private key",
			       key->name);
	memcpy(t->account, key->pub, NOTE_ED25519_PUB);
	n = encode_signed_part(t, buf, sizeof(buf), err, errlen);
	if (n < 0)
		return -1;
	return note_ed25519_sign(key, buf, (size_t)n, t->sig, err, errlen);
}

int token_verify_bytes(const uint8_t *buf, size_t len, const uint8_t *pub,
		       char *err, size_t errlen)
{
	EVP_PKEY *pk;
	EVP_MD_CTX *ctx;
	int ok = 0;

	if (len < NOTE_ED25519_SIG)
		return cfn_err(err, errlen, "token: too short to be signed");
	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
					 NOTE_ED25519_PUB);
	ctx = EVP_MD_CTX_new();
	if (pk && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) == 1)
		ok = EVP_DigestVerify(ctx, buf + len - NOTE_ED25519_SIG,
				      NOTE_ED25519_SIG, buf,
				      len - NOTE_ED25519_SIG) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ok ? 0 : cfn_err(err, errlen, "bad signature");
}

int token_verify(const struct token_record *t, char *err, size_t errlen)
{
	uint8_t buf[TOKEN_MAX_LEN];
	int n = token_encode(t, buf, sizeof(buf), err, errlen);

	if (n < 0)
		return -1;
	return token_verify_bytes(buf, (size_t)n, t->account, err, errlen);
}

/* ---- JSON view ---- */

static void add_account(struct json_object *o, const char *k,
			const token_account a)
{
	char id[64];

	token_account_id(a, id);
	json_object_object_add(o, k, json_object_new_string(id));
}

static void add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

struct json_object *token_to_json_obj(const struct token_record *t)
{
	struct json_object *o = json_object_new_object(), *a;
	char s[64];

	if (!o)
		return NULL;
	json_object_object_add(
		o, "kind", json_object_new_string(token_kind_name(t->kind)));
	add_account(o, "account", t->account);
	add_u64(o, "nonce", t->nonce);
	json_object_object_add(o, "time", json_object_new_int64(t->time_s));
	switch (t->kind) {
	case TOKEN_GENESIS:
		a = json_object_new_array();
		for (unsigned i = 0; i < t->u.genesis.n; i++) {
			token_account_id(t->u.genesis.keys[i], s);
			json_object_array_add(a, json_object_new_string(s));
		}
		json_object_object_add(o, "issuers", a);
		break;
	case TOKEN_ISSUE:
	case TOKEN_TRANSFER:
		add_account(o, "to", t->u.pay.to);
		add_u64(o, "amount", t->u.pay.amount);
		break;
	case TOKEN_PROVIDER:
		json_object_object_add(
			o, "router",
			json_object_new_string(t->u.provider.router));
		json_object_object_add(
			o, "site", json_object_new_string(t->u.provider.site));
		add_u64(o, "price", t->u.provider.price);
		break;
	case TOKEN_ORDER:
		token_format_prefix(t->u.order.family, t->u.order.plen,
				    t->u.order.addr, s, sizeof(s));
		json_object_object_add(o, "service", json_object_new_string(s));
		json_object_object_add(
			o, "ingress",
			json_object_new_string(t->u.order.ingress));
		add_u64(o, "units", t->u.order.units);
		add_u64(o, "max_price", t->u.order.max_price);
		json_object_object_add(
			o, "expires",
			json_object_new_int64(t->u.order.expires_s));
		break;
	case TOKEN_RECEIPT:
		add_u64(o, "order", t->u.close.order);
		add_u64(o, "units", t->u.close.units);
		break;
	case TOKEN_EXPIRY:
		add_u64(o, "order", t->u.close.order);
		break;
	}
	return o;
}
