// SPDX-License-Identifier: GPL-2.0-or-later
/* C2SP tlog-cosignature cosignature/v1 (Ed25519).  See cosig.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cosig.h"
#include "util.h"

#define SIG_PREFIX "\xe2\x80\x94 " /* U+2014 EM DASH, space */
#define HEADER "cosignature/v1\ntime "

uint32_t cosig_key_id(const char *name, const uint8_t pub[NOTE_ED25519_PUB])
{
	return note_key_id_alg(name, COSIG_ALG_ED25519, pub);
}

void cosig_key_adopt(struct note_key *key)
{
	key->id = cosig_key_id(key->name, key->pub);
}

static int hex32(const char *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			*v = *v << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (uint32_t)(c - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

int cosig_key_parse_vkey(const char *text, size_t n, struct note_key **out,
			 char *err, size_t errlen)
{
	const char *p1 = memchr(text, '+', n), *b64;
	uint8_t raw[64];
	char name[NOTE_NAME_MAX + 1], vk01[NOTE_VKEY_MAX], enc[64];
	struct note_key *k;
	uint32_t id;
	int rawlen;

	if (!p1 || p1 == text || (size_t)(p1 - text) > NOTE_NAME_MAX ||
	    (size_t)(text + n - p1) < 10 || p1[9] != '+' ||
	    hex32(p1 + 1, &id) < 0)
		return cfn_err(err, errlen, "malformed cosigner vkey");
	b64 = p1 + 10;
	rawlen = note_b64_decode(b64, (size_t)(text + n - b64), raw,
				 sizeof(raw));
	memcpy(name, text, (size_t)(p1 - text));
	name[p1 - text] = '\0';
	if (rawlen != 1 + NOTE_ED25519_PUB || !note_name_valid(name))
		return cfn_err(err, errlen, "malformed cosigner vkey");
	if (raw[0] != COSIG_ALG_ED25519)
		return cfn_err(err, errlen,
			       "vkey %s has signature type 0x%02x, not 0x04 "
			       "(cosignature/v1 Ed25519; cfn-witness "
			       "--print-vkey prints it)",
			       name, raw[0]);
	/* Let note.c build the key from the type-0x01 spelling, then give
	 * it the cosigner identity. */
	raw[0] = 0x01;
	note_b64_encode(raw, (size_t)rawlen, enc, sizeof(enc));
	snprintf(vk01, sizeof(vk01), "%s+%08x+%s", name,
		 note_key_id(name, raw + 1), enc);
	if (note_key_parse_vkey(vk01, &k, err, errlen) < 0)
		return -1;
	cosig_key_adopt(k);
	if (k->id != id) {
		note_key_free(k);
		return cfn_err(err, errlen, "cosigner vkey %s: key ID mismatch",
			       name);
	}
	*out = k;
	return 0;
}

int cosig_key_format_vkey(const struct note_key *key, char *buf, size_t size)
{
	uint8_t raw[1 + NOTE_ED25519_PUB];
	char b64[64];
	int n;

	raw[0] = COSIG_ALG_ED25519;
	memcpy(raw + 1, key->pub, NOTE_ED25519_PUB);
	note_b64_encode(raw, sizeof(raw), b64, sizeof(b64));
	n = snprintf(buf, size, "%s+%08x+%s", key->name,
		     cosig_key_id(key->name, key->pub), b64);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int cosig_message(const char *text, size_t len, uint64_t t, char **msg,
		  size_t *msglen)
{
	char hdr[64];
	int h = snprintf(hdr, sizeof(hdr), HEADER "%llu\n",
			 (unsigned long long)t);
	char *m = malloc((size_t)h + len);

	if (!m)
		return -1;
	memcpy(m, hdr, (size_t)h);
	memcpy(m + h, text, len);
	*msg = m;
	*msglen = (size_t)h + len;
	return 0;
}

int cosig_sign(const struct note_key *key, const char *text, size_t len,
	       uint64_t t, char *line, size_t size, char *err, size_t errlen)
{
	uint8_t raw[COSIG_RAW_LEN];
	char b64[128], *msg;
	size_t mlen;
	int n, rc;

	if (t > COSIG_TIME_MAX)
		return cfn_err(err, errlen, "cosignature time out of range");
	if (cosig_message(text, len, t, &msg, &mlen) < 0)
		return cfn_err(err, errlen, "out of memory");
	put_be32(raw, cosig_key_id(key->name, key->pub));
	put_be64(raw + 4, t);
	rc = note_ed25519_sign(key, msg, mlen, raw + 12, err, errlen);
	free(msg);
	if (rc < 0)
		return -1;
	note_b64_encode(raw, sizeof(raw), b64, sizeof(b64));
	n = snprintf(line, size, SIG_PREFIX "%s %s\n", key->name, b64);
	if (n < 0 || (size_t)n >= size)
		return cfn_err(err, errlen, "cosignature line too long");
	return n;
}

/* One signature line [p, nl): check it against the keys. */
static int check_line(const char *msg, size_t text_len, const char *p,
		      const char *nl, struct note_key *const *keys,
		      size_t nkeys, bool *signed_, uint64_t *times, char *err,
		      size_t errlen)
{
	size_t pl = strlen(SIG_PREFIX), nlen;
	const char *name, *sp;
	uint8_t raw[COSIG_RAW_LEN + 64];
	int rawlen;

	if ((size_t)(nl - p) < pl || memcmp(p, SIG_PREFIX, pl) != 0)
		return cfn_err(err, errlen, "malformed signature line");
	name = p + pl;
	sp = memchr(name, ' ', (size_t)(nl - name));
	if (!sp || sp == name)
		return cfn_err(err, errlen, "malformed signature line (name)");
	nlen = (size_t)(sp - name);
	rawlen = note_b64_decode(sp + 1, (size_t)(nl - sp - 1), raw,
				 sizeof(raw));
	if (rawlen < 5)
		return cfn_err(err, errlen,
			       "malformed signature line (base64)");
	for (size_t i = 0; i < nkeys; i++) {
		const struct note_key *k = keys[i];
		uint64_t t;
		char *m;
		size_t mlen;
		bool ok;

		if (strlen(k->name) != nlen || memcmp(k->name, name, nlen) ||
		    k->id != get_be32(raw))
			continue;
		if (rawlen != COSIG_RAW_LEN)
			return cfn_err(err, errlen,
				       "cosignature by %s: wrong length",
				       k->name);
		t = get_be64(raw + 4);
		if (t > COSIG_TIME_MAX)
			return cfn_err(
				err, errlen,
				"cosignature by %s: timestamp beyond 2^63-1",
				k->name);
		if (cosig_message(msg, text_len, t, &m, &mlen) < 0)
			return cfn_err(err, errlen, "out of memory");
		ok = note_ed25519_verify(k, m, mlen, raw + 12);
		free(m);
		if (!ok)
			return cfn_err(err, errlen,
				       "invalid cosignature by %s+%08x",
				       k->name, k->id);
		signed_[i] = true;
		if (times)
			times[i] = t;
	}
	return 0;
}

int cosig_verify_note(const char *msg, size_t len, size_t text_len,
		      struct note_key *const *keys, size_t nkeys, bool *signed_,
		      uint64_t *times, char *err, size_t errlen)
{
	const char *p, *end = msg + len;

	memset(signed_, 0, nkeys * sizeof(*signed_));
	if (text_len + 1 > len || msg[text_len] != '\n' || end[-1] != '\n')
		return cfn_err(err, errlen, "malformed note");
	for (p = msg + text_len + 1; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (check_line(msg, text_len, p, nl, keys, nkeys, signed_,
			       times, err, errlen) < 0)
			return -1;
		p = nl + 1;
	}
	return 0;
}
