// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The canonical binary decision record: the exact bytes that become a
 * Merkle leaf.  Layout (big-endian) is documented in doc/ledger-record.md.
 * One encoding per record (canonical): the decoder rejects anything the
 * encoder would not produce.
 *
 * Each record carries its signer's Ed25519 signature (the exporting
 * router's key) over the bytes that precede the signature.
 */
#ifndef CFN_LEDGER_RECORD_H
#define CFN_LEDGER_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "note.h"
#include "reader.h"

#define RECORD_VERSION 1
#define RECORD_NAME_MAX 63 /* router / site names, bytes */
#define RECORD_SITES_MAX 16
#define RECORD_PATH_MAX 64
/* Upper bound on an encoded record. */
#define RECORD_MAX_LEN                                                         \
	(64 +                                                                  \
	 (1 + RECORD_NAME_MAX) * (1 + RECORD_SITES_MAX + RECORD_PATH_MAX) +    \
	 4 + NOTE_ED25519_SIG)

struct record {
	char origin[RECORD_NAME_MAX + 1];
	uint64_t seq;	  /* per-origin sequence number */
	int64_t time_s;	  /* Unix seconds, UTC */
	uint32_t time_ns; /* 0..999999999 */
	uint8_t family;	  /* 4 or 6 */
	uint8_t plen;
	uint8_t addr[16]; /* host bits zero */
	uint8_t nsites;
	char sites[RECORD_SITES_MAX][RECORD_NAME_MAX + 1];
	uint32_t cost;	   /* combined route cost */
	uint32_t net_dist; /* network distance */
	uint32_t compute;  /* compute metric */
	uint8_t npath;	   /* path nodes; edges are consecutive pairs */
	char path[RECORD_PATH_MAX][RECORD_NAME_MAX + 1];
	bool signed_;	 /* signer/sig present */
	uint32_t signer; /* note key id of the signing key */
	uint8_t sig[NOTE_ED25519_SIG];
};

bool record_name_valid(const char *s);
/*
 * Reads a length-prefixed name (1..RECORD_NAME_MAX printable bytes) as every
 * record kind encodes its names; marks the reader bad on any other form.
 */
void record_read_name(struct cfn_reader *r, char out[RECORD_NAME_MAX + 1],
		      const char *what);

/*
 * Encode into buf; returns the length or -1 (err set).  The signed part is
 * the first record_signed_len() bytes.
 */
int record_encode(const struct record *r, uint8_t *buf, size_t size, char *err,
		  size_t errlen);
/* Strict decoder: 0 ok, -1 with err on any malformed/non-canonical input. */
int record_decode(const uint8_t *buf, size_t len, struct record *r, char *err,
		  size_t errlen);
/* Cheap key extraction for the duplicate index (no full decode). */
int record_peek_key(const uint8_t *buf, size_t len, char origin[64],
		    uint64_t *seq);

/* Sign in place with key (sets signer, sig, signed_). */
int record_sign(struct record *r, const struct note_key *key, char *err,
		size_t errlen);
/*
 * Verify the signature with the key among keys whose id == r->signer;
 * 0 ok, -1 (unsigned, unknown signer, or bad signature) with err.
 */
int record_verify(const struct record *r, struct note_key *const *keys,
		  size_t nkeys, char *err, size_t errlen);

/*
 * JSON <-> record.  Accepts {"origin","seq","time"(RFC 3339 UTC),
 * "service"("a.b.c.d/len" or IPv6), "sites":[..], "cost", "path":[..]},
 * optional "net_dist", "compute", "signer"(8 hex), "sig"(base64).
 */
int record_from_json(const char *json, struct record *r, char *err,
		     size_t errlen);
struct json_object;
int record_from_json_obj(struct json_object *obj, struct record *r, char *err,
			 size_t errlen);
/* New json object (caller json_object_put()s), NULL on allocation error. */
struct json_object *record_to_json_obj(const struct record *r);
/* malloc'd compact JSON string. */
char *record_to_json(const struct record *r);

#endif
