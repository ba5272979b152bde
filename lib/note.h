// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys.
 *
 * Key ID: first 4 bytes (big-endian uint32) of
 *   SHA-256(name || 0x0A || 0x01 || pubkey).
 * Verifier key line:  NAME+KEYID(8 hex)+BASE64(0x01 || pubkey)
 * Private key file:   PRIVATE+KEY+NAME+KEYID(8 hex)+BASE64(0x01 || seed)
 *   (the golang.org/x/mod/sumdb/note format, so keys interoperate with Go
 *   tooling; one line, newline-terminated, file mode 0600).
 *
 * Functions returning int give 0 on success and -1 on error, with a message
 * in err.
 */
#ifndef CFN_NOTE_H
#define CFN_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NOTE_NAME_MAX 255
#define NOTE_ED25519_PUB 32
#define NOTE_ED25519_SIG 64
#define NOTE_VKEY_MAX 512
#define NOTE_KEYFILE_MAX 4096 /* bytes read of a key file */

struct note_key {
	char name[NOTE_NAME_MAX + 1];
	uint32_t id;
	uint8_t pub[NOTE_ED25519_PUB];
	bool has_private;
	void *pkey; /* EVP_PKEY *; private when has_private */
};

/* Names: non-empty, no whitespace, no '+', valid UTF-8 (C2SP rule). */
bool note_name_valid(const char *name);
uint32_t note_key_id(const char *name, const uint8_t pub[NOTE_ED25519_PUB]);
/*
 * The C2SP key ID, SHA-256(name || 0x0A || alg || key)[:4], for any
 * signature type byte (0x01 Ed25519 notes, 0x04 timestamped cosignatures).
 */
uint32_t note_key_id_alg(const char *name, uint8_t alg,
			 const uint8_t pub[NOTE_ED25519_PUB]);

int note_key_generate(const char *name, struct note_key **out, char *err,
		      size_t errlen);
/* Parse "PRIVATE+KEY+..." text or a verifier key line. */
int note_key_parse_private(const char *text, struct note_key **out, char *err,
			   size_t errlen);
int note_key_parse_vkey(const char *text, struct note_key **out, char *err,
			size_t errlen);
/* Read a file holding either form (first line used). */
int note_key_load(const char *path, struct note_key **out, char *err,
		  size_t errlen);
/* The private key file's line ("PRIVATE+KEY+...\n"); its length or -1.
 * Writing it is the ledger's job (ledger/note_file.h). */
int note_key_format_private(const struct note_key *key, char *buf, size_t size,
			    char *err, size_t errlen);
int note_key_format_vkey(const struct note_key *key, char *buf, size_t size);
void note_key_free(struct note_key *key);

/* Raw Ed25519 over arbitrary bytes (used for records, too). */
int note_ed25519_sign(const struct note_key *key, const void *msg, size_t len,
		      uint8_t sig[NOTE_ED25519_SIG], char *err, size_t errlen);
bool note_ed25519_verify(const struct note_key *key, const void *msg,
			 size_t len, const uint8_t sig[NOTE_ED25519_SIG]);

/*
 * Sign `text` (must be non-empty and end with '\n') with each key; *out is
 * a malloc'd NUL-terminated note: text, blank line, one signature line per
 * key "— NAME BASE64(keyid||sig)\n".
 */
int note_sign(const char *text, size_t len, struct note_key *const *keys,
	      size_t nkeys, char **out, char *err, size_t errlen);

/*
 * Parse and verify a note.  Fails if no signature from a key in `keys`
 * verifies or if any signature by a known key (same name and id) is bad.
 * Unknown signatures are ignored.  On success *text_len is the length of
 * the signed text (a prefix of msg); verified[i] (if non-NULL) is set for
 * each key that signed.
 */
int note_open(const char *msg, size_t len, struct note_key *const *keys,
	      size_t nkeys, size_t *text_len, bool *verified, char *err,
	      size_t errlen);

/* Standard base64 helpers (with padding); return output length or -1. */
int note_b64_encode(const uint8_t *in, size_t len, char *out, size_t size);
int note_b64_decode(const char *in, size_t len, uint8_t *out, size_t size);

#endif
