// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature) cosignature/v1
 * with Ed25519: what a witness signs, and how a verifier checks it.
 *
 * Key ID:  SHA-256(name || 0x0A || 0x04 || pubkey)[:4]
 * vkey:    NAME+KEYID(8 hex)+BASE64(0x04 || pubkey)
 * Signed message:
 *   "cosignature/v1\n" "time " DECIMAL(t) "\n" || checkpoint note text
 * Signature line (a signed-note signature):
 *   "— NAME BASE64(keyid(4) || timestamp(8, BE) || ed25519 sig(64))\n"
 *
 * A witness key is an ordinary note key (cfn-ledger keygen) whose ID is
 * recomputed with the cosignature algorithm byte 0x04: the same Ed25519
 * key, a different identity, so a cosignature can never be mistaken for a
 * checkpoint signature and vice versa.
 */
#ifndef CFN_LEDGER_COSIG_H
#define CFN_LEDGER_COSIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "note.h"

#define COSIG_ALG_ED25519 0x04
#define COSIG_RAW_LEN (4 + 8 + NOTE_ED25519_SIG)
#define COSIG_LINE_MAX (NOTE_NAME_MAX + 128)
/* The spec: the timestamp MUST NOT exceed 2^63 - 1. */
#define COSIG_TIME_MAX ((uint64_t)INT64_MAX)

uint32_t cosig_key_id(const char *name, const uint8_t pub[NOTE_ED25519_PUB]);
/* Re-identify a note key (private or public) as a cosigner key. */
void cosig_key_adopt(struct note_key *key);
/* Parse a cosignature/v1 vkey (type 0x04) of n bytes. */
int cosig_key_parse_vkey(const char *text, size_t n, struct note_key **out,
			 char *err, size_t errlen);
int cosig_key_format_vkey(const struct note_key *key, char *buf, size_t size);

/* The signed message for note text `text` at time t (malloc'd). */
int cosig_message(const char *text, size_t len, uint64_t t, char **msg,
		  size_t *msglen);

/*
 * Cosign the note text (a checkpoint body, with its extension lines) at
 * time t: writes the signature line, newline-terminated, into line.
 * Returns the line length or -1.
 */
int cosig_sign(const struct note_key *key, const char *text, size_t len,
	       uint64_t t, char *line, size_t size, char *err, size_t errlen);

/*
 * Check the signature lines of a signed note (msg, len; text_len is the
 * length of its text, from note_open()) against the cosigner keys.  For
 * each key with a valid cosignature, signed_[i] is set and times[i] (if
 * non-NULL) gets its timestamp.  Lines by unknown keys are ignored, as the
 * spec says; a line with a known name and key ID that does not verify, a
 * timestamp beyond 2^63-1 or a malformed line is an error (-1).
 */
int cosig_verify_note(const char *msg, size_t len, size_t text_len,
		      struct note_key *const *keys, size_t nkeys, bool *signed_,
		      uint64_t *times, char *err, size_t errlen);

#endif
