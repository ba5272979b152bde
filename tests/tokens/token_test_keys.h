// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deterministic Ed25519 test keys (seed = 32 bytes of `fill`), so signed
 * token records in tests and doc examples are reproducible.
 */
#ifndef CFN_TESTS_TOKEN_TEST_KEYS_H
#define CFN_TESTS_TOKEN_TEST_KEYS_H

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "note.h"

static inline struct note_key *test_key(const char *name, uint8_t fill)
{
	uint8_t seed[33], pub[32];
	size_t publen = sizeof(pub);
	char b64[64], text[512], err[128];
	struct note_key *k = NULL;
	EVP_PKEY *pk;

	memset(seed, fill, sizeof(seed));
	seed[0] = 0x01; /* algorithm byte, then the 32-byte seed */
	pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed + 1, 32);
	if (!pk || EVP_PKEY_get_raw_public_key(pk, pub, &publen) != 1)
		return NULL;
	EVP_PKEY_free(pk);
	note_b64_encode(seed, sizeof(seed), b64, sizeof(b64));
	snprintf(text, sizeof(text), "PRIVATE+KEY+%s+%08x+%s\n", name,
		 note_key_id(name, pub), b64);
	if (note_key_parse_private(text, &k, err, sizeof(err)) < 0) {
		fprintf(stderr, "test_key: %s\n", err);
		return NULL;
	}
	return k;
}

#endif
