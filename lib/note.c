// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * C2SP signed notes with Ed25519, byte-compatible with
 * golang.org/x/mod/sumdb/note (keys, key IDs and note encoding).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "note.h"
#include "bytes.h"
#include "errfmt.h"

#define ALG_ED25519 0x01
#define SIG_PREFIX "\xe2\x80\x94 " /* U+2014 EM DASH, space */
#define MAX_SIGS 100

static const char b64chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int note_b64_encode(const uint8_t *in, size_t len, char *out, size_t size)
{
	size_t need = (len + 2) / 3 * 4, o = 0;

	if (need + 1 > size)
		return -1;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = b64chars[v >> 18 & 63];
		out[o++] = b64chars[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64chars[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? b64chars[v & 63] : '=';
	}
	out[o] = '\0';
	return (int)o;
}

static int b64val(char c)
{
	const char *p = c ? strchr(b64chars, c) : NULL;

	return p ? (int)(p - b64chars) : -1;
}

/* Strict: padded, no whitespace, unused bits zero (one encoding only). */
int note_b64_decode(const char *in, size_t len, uint8_t *out, size_t size)
{
	size_t o = 0;

	if (len % 4)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		int v[4], pad = 0;
		uint32_t w;

		for (int j = 0; j < 4; j++) {
			if (in[i + j] == '=' && i + 4 == len && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			if (pad)
				return -1;
			v[j] = b64val(in[i + j]);
			if (v[j] < 0)
				return -1;
		}
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		    (uint32_t)v[2] << 6 | (uint32_t)v[3];
		if ((pad == 1 && (w & 0xff)) || (pad == 2 && (w & 0xffff)))
			return -1;
		if (o + 3 - (size_t)pad > size)
			return -1;
		out[o++] = w >> 16;
		if (pad < 2)
			out[o++] = w >> 8 & 0xff;
		if (pad < 1)
			out[o++] = w & 0xff;
	}
	return (int)o;
}

/* One UTF-8 sequence at s (n bytes left): its length, 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static bool is_unicode_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	       c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

static bool name_valid_n(const char *name, size_t n)
{
	const unsigned char *s = (const unsigned char *)name;

	if (n == 0 || n > NOTE_NAME_MAX)
		return false;
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t l = utf8_len(s + i, n - i, &c);

		if (!l || c < 0x20 || c == 0x7f || c == '+' ||
		    is_unicode_space(c))
			return false;
		i += l;
	}
	return true;
}

bool note_name_valid(const char *name)
{
	return name && name_valid_n(name, strlen(name));
}

uint32_t note_key_id_alg(const char *name, uint8_t alg,
			 const uint8_t pub[NOTE_ED25519_PUB])
{
	uint8_t buf[NOTE_NAME_MAX + 2 + NOTE_ED25519_PUB];
	uint8_t h[32];
	size_t n = strlen(name);
	unsigned int hl;

	if (n > NOTE_NAME_MAX)
		return 0;
	memcpy(buf, name, n);
	buf[n] = '\n';
	buf[n + 1] = alg;
	memcpy(buf + n + 2, pub, NOTE_ED25519_PUB);
	if (!EVP_Digest(buf, n + 2 + NOTE_ED25519_PUB, h, &hl, EVP_sha256(),
			NULL))
		return 0;
	return get_be32(h);
}

uint32_t note_key_id(const char *name, const uint8_t pub[NOTE_ED25519_PUB])
{
	return note_key_id_alg(name, ALG_ED25519, pub);
}

static struct note_key *key_new(const char *name, size_t nlen)
{
	struct note_key *k = calloc(1, sizeof(*k));

	if (k) {
		memcpy(k->name, name, nlen);
		k->name[nlen] = '\0';
	}
	return k;
}

void note_key_free(struct note_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);
	OPENSSL_cleanse(key, sizeof(*key));
	free(key);
}

static int key_from_seed(struct note_key *k, const uint8_t seed[32], char *err,
			 size_t errlen)
{
	size_t plen = NOTE_ED25519_PUB;

	k->pkey =
		EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	if (!k->pkey || !EVP_PKEY_get_raw_public_key(k->pkey, k->pub, &plen) ||
	    plen != NOTE_ED25519_PUB)
		return cfn_err(err, errlen, "bad Ed25519 private key");
	k->has_private = true;
	k->id = note_key_id(k->name, k->pub);
	return 0;
}

int note_key_generate(const char *name, struct note_key **out, char *err,
		      size_t errlen)
{
	uint8_t seed[32];
	struct note_key *k;
	int rc;

	if (!note_name_valid(name))
		return cfn_err(err, errlen, "invalid key name '%s'", name);
	if (RAND_priv_bytes(seed, sizeof(seed)) != 1)
		return cfn_err(err, errlen, "no randomness for key generation");
	k = key_new(name, strlen(name));
	if (!k)
		return cfn_err(err, errlen, "out of memory");
	rc = key_from_seed(k, seed, err, errlen);
	OPENSSL_cleanse(seed, sizeof(seed));
	if (rc < 0) {
		note_key_free(k);
		return -1;
	}
	*out = k;
	return 0;
}

/* Split "NAME+HHHHHHHH+B64" (len n); key bytes decoded into raw. */
static int split_key(const char *s, size_t n, const char **name, size_t *nlen,
		     uint32_t *id, uint8_t *raw, size_t rawsize, int *rawlen)
{
	const char *p1 = memchr(s, '+', n), *p2;
	uint32_t v = 0;

	if (!p1)
		return -1;
	p2 = memchr(p1 + 1, '+', (size_t)(s + n - p1 - 1));
	if (!p2 || p2 - p1 - 1 != 8)
		return -1;
	for (int i = 0; i < 8; i++) {
		char c = p1[1 + i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint32_t)(c - 'a' + 10);
		else
			return -1;
	}
	*name = s;
	*nlen = (size_t)(p1 - s);
	*id = v;
	*rawlen =
		note_b64_decode(p2 + 1, (size_t)(s + n - p2 - 1), raw, rawsize);
	return name_valid_n(s, *nlen) && *rawlen >= 0 ? 0 : -1;
}

static size_t line_len(const char *text)
{
	size_t n = strcspn(text, "\n");

	return n;
}

int note_key_parse_vkey(const char *text, struct note_key **out, char *err,
			size_t errlen)
{
	size_t n = line_len(text), nlen;
	uint8_t raw[64];
	const char *name;
	struct note_key *k;
	uint32_t id;
	int rawlen;

	if (split_key(text, n, &name, &nlen, &id, raw, sizeof(raw), &rawlen) ||
	    rawlen != 1 + NOTE_ED25519_PUB || raw[0] != ALG_ED25519)
		return cfn_err(err, errlen, "malformed verifier key");
	k = key_new(name, nlen);
	if (!k)
		return cfn_err(err, errlen, "out of memory");
	memcpy(k->pub, raw + 1, NOTE_ED25519_PUB);
	k->id = note_key_id(k->name, k->pub);
	if (k->id != id) {
		note_key_free(k);
		return cfn_err(err, errlen,
			       "verifier key ID does not match key");
	}
	k->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, k->pub,
					      NOTE_ED25519_PUB);
	if (!k->pkey) {
		note_key_free(k);
		return cfn_err(err, errlen, "bad Ed25519 public key");
	}
	*out = k;
	return 0;
}

int note_key_parse_private(const char *text, struct note_key **out, char *err,
			   size_t errlen)
{
	static const char pfx[] = "PRIVATE+KEY+";
	size_t n = line_len(text), nlen;
	uint8_t raw[64];
	const char *name;
	struct note_key *k;
	uint32_t id;
	int rawlen;

	if (n < sizeof(pfx) || strncmp(text, pfx, sizeof(pfx) - 1) != 0 ||
	    split_key(text + sizeof(pfx) - 1, n - (sizeof(pfx) - 1), &name,
		      &nlen, &id, raw, sizeof(raw), &rawlen) ||
	    rawlen != 33 || raw[0] != ALG_ED25519) {
		OPENSSL_cleanse(raw, sizeof(raw));
		return cfn_err(err, errlen, "malformed private key");
	}
	k = key_new(name, nlen);
	if (!k)
		return cfn_err(err, errlen, "out of memory");
	if (key_from_seed(k, raw + 1, err, errlen) < 0 || k->id != id) {
		OPENSSL_cleanse(raw, sizeof(raw));
		note_key_free(k);
		return cfn_err(err, errlen,
			       "private key ID does not match key");
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	*out = k;
	return 0;
}

/* A key file is one short line: read at most 4 KiB of it. */
static int read_key_file(const char *path, char **out, char *err, size_t errlen)
{
	char *buf = calloc(1, NOTE_KEYFILE_MAX + 1);
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!buf)
		return cfn_err(err, errlen, "out of memory");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return cfn_err(err, errlen, "%s: %s", path, strerror(errno));
	}
	while (len < NOTE_KEYFILE_MAX &&
	       ((n = read(fd, buf + len, NOTE_KEYFILE_MAX - len)) > 0 ||
		(n < 0 && errno == EINTR)))
		if (n > 0)
			len += (size_t)n;
	close(fd);
	if (len == NOTE_KEYFILE_MAX) {
		OPENSSL_cleanse(buf, len);
		free(buf);
		return cfn_err(err, errlen, "%s: larger than %d bytes", path,
			       NOTE_KEYFILE_MAX);
	}
	*out = buf;
	return 0;
}

int note_key_load(const char *path, struct note_key **out, char *err,
		  size_t errlen)
{
	char *buf = NULL, e[256];
	int rc;

	if (read_key_file(path, &buf, err, errlen) < 0)
		return -1;
	if (strncmp(buf, "PRIVATE+KEY+", 12) == 0)
		rc = note_key_parse_private(buf, out, e, sizeof(e));
	else
		rc = note_key_parse_vkey(buf, out, e, sizeof(e));
	OPENSSL_cleanse(buf, strlen(buf));
	free(buf);
	if (rc < 0)
		return cfn_err(err, errlen, "%s: %s", path, e);
	return 0;
}

int note_key_format_private(const struct note_key *key, char *buf, size_t size,
			    char *err, size_t errlen)
{
	uint8_t raw[33];
	size_t slen = 32;
	char b64[64];
	int n;

	if (!key->has_private)
		return cfn_err(err, errlen, "key %s has no private part",
			       key->name);
	raw[0] = ALG_ED25519;
	if (!EVP_PKEY_get_raw_private_key(key->pkey, raw + 1, &slen) ||
	    slen != 32)
		return cfn_err(err, errlen, "cannot export private key");
	note_b64_encode(raw, sizeof(raw), b64, sizeof(b64));
	n = snprintf(buf, size, "PRIVATE+KEY+%s+%08x+%s\n", key->name, key->id,
		     b64);
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(b64, sizeof(b64));
	if (n < 0 || (size_t)n >= size)
		return cfn_err(err, errlen, "key line longer than %zu bytes",
			       size);
	return n;
}

int note_key_format_vkey(const struct note_key *key, char *buf, size_t size)
{
	uint8_t raw[1 + NOTE_ED25519_PUB];
	char b64[64];
	int n;

	raw[0] = ALG_ED25519;
	memcpy(raw + 1, key->pub, NOTE_ED25519_PUB);
	note_b64_encode(raw, sizeof(raw), b64, sizeof(b64));
	n = snprintf(buf, size, "%s+%08x+%s", key->name, key->id, b64);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int note_ed25519_sign(const struct note_key *key, const void *msg, size_t len,
		      uint8_t sig[NOTE_ED25519_SIG], char *err, size_t errlen)
{
	EVP_MD_CTX *ctx;
	size_t slen = NOTE_ED25519_SIG;
	int ok;

	if (!key->has_private)
		return cfn_err(err, errlen, "key %s cannot sign (public only)",
			       key->name);
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	     EVP_DigestSign(ctx, sig, &slen, msg, len) == 1 &&
	     slen == NOTE_ED25519_SIG;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : cfn_err(err, errlen, "Ed25519 signing failed");
}

bool note_ed25519_verify(const struct note_key *key, const void *msg,
			 size_t len, const uint8_t sig[NOTE_ED25519_SIG])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok;

	ok = ctx &&
	     EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	     EVP_DigestVerify(ctx, sig, NOTE_ED25519_SIG, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* The C2SP text rules: UTF-8, no control characters but '\n', ends '\n'. */
static int text_valid(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;

	if (len == 0 || text[len - 1] != '\n')
		return -1;
	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t l = utf8_len(s + i, len - i, &c);

		if (!l || (c < 0x20 && c != '\n') || c == 0x7f)
			return -1;
		i += l;
	}
	return 0;
}

int note_sign(const char *text, size_t len, struct note_key *const *keys,
	      size_t nkeys, char **out, char *err, size_t errlen)
{
	size_t cap = len + 2 + nkeys * (NOTE_NAME_MAX + 128), o;
	char *buf;

	if (text_valid(text, len) < 0)
		return cfn_err(
			err, errlen,
			"note text must be UTF-8 without control characters and end in a newline");
	if (nkeys == 0)
		return cfn_err(err, errlen, "no signing key");
	buf = malloc(cap);
	if (!buf)
		return cfn_err(err, errlen, "out of memory");
	memcpy(buf, text, len);
	buf[len] = '\n';
	o = len + 1;
	for (size_t i = 0; i < nkeys; i++) {
		uint8_t raw[4 + NOTE_ED25519_SIG];
		char b64[128];

		put_be32(raw, keys[i]->id);
		if (note_ed25519_sign(keys[i], text, len, raw + 4, err,
				      errlen) < 0) {
			free(buf);
			return -1;
		}
		note_b64_encode(raw, sizeof(raw), b64, sizeof(b64));
		o += (size_t)snprintf(buf + o, cap - o, SIG_PREFIX "%s %s\n",
				      keys[i]->name, b64);
	}
	buf[o] = '\0';
	*out = buf;
	return 0;
}

static const char *find_last_blank(const char *msg, size_t len)
{
	for (size_t i = len - 1; i > 0; i--)
		if (msg[i] == '\n' && msg[i - 1] == '\n')
			return msg + i - 1;
	return NULL;
}

int note_open(const char *msg, size_t len, struct note_key *const *keys,
	      size_t nkeys, size_t *text_len, bool *verified, char *err,
	      size_t errlen)
{
	const char *split, *p, *end = msg + len;
	size_t tlen, nsig = 0;
	bool any = false;

	if (verified)
		memset(verified, 0, nkeys * sizeof(*verified));
	if (len < 2 || !(split = find_last_blank(msg, len)))
		return cfn_err(err, errlen,
			       "malformed note: no signature block");
	tlen = (size_t)(split - msg) + 1;
	if (text_valid(msg, tlen) < 0)
		return cfn_err(err, errlen, "malformed note text");
	p = split + 2;
	if (p == end || end[-1] != '\n')
		return cfn_err(err, errlen, "malformed note: no signatures");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *name, *sp;
		uint8_t raw[4 + NOTE_ED25519_SIG + 64];
		size_t nlen;
		int rawlen;

		if (++nsig > MAX_SIGS)
			return cfn_err(err, errlen, "too many signatures");
		if ((size_t)(nl - p) < strlen(SIG_PREFIX) ||
		    memcmp(p, SIG_PREFIX, strlen(SIG_PREFIX)) != 0)
			return cfn_err(
				err, errlen,
				"malformed note: signature line without '— '");
		name = p + strlen(SIG_PREFIX);
		sp = memchr(name, ' ', (size_t)(nl - name));
		if (!sp || !name_valid_n(name, (size_t)(sp - name)))
			return cfn_err(err, errlen,
				       "malformed signature line (name)");
		nlen = (size_t)(sp - name);
		rawlen = note_b64_decode(sp + 1, (size_t)(nl - sp - 1), raw,
					 sizeof(raw));
		if (rawlen < 5)
			return cfn_err(err, errlen,
				       "malformed signature line (base64)");
		for (size_t i = 0; i < nkeys; i++) {
			const struct note_key *k = keys[i];

			if (strlen(k->name) != nlen ||
			    memcmp(k->name, name, nlen) != 0 ||
			    k->id != get_be32(raw))
				continue;
			if (rawlen != 4 + NOTE_ED25519_SIG ||
			    !note_ed25519_verify(k, msg, tlen, raw + 4))
				return cfn_err(err, errlen,
					       "invalid signature by %s+%08x",
					       k->name, k->id);
			if (verified)
				verified[i] = true;
			any = true;
		}
		p = nl + 1;
	}
	if (!any)
		return cfn_err(err, errlen, "no signature by a known key");
	*text_len = tlen;
	return 0;
}
