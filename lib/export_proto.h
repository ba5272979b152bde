// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decision export protocol: length-framed messages between a router's
 * exporter (lib/export) and cfn-ledgerd over a local UNIX stream socket.
 * The format is specified in doc/export-protocol.md.
 *
 * Frame:  u32 body length (BE) | u8 version | u8 type | u16 flags (0) | body
 *
 * Pure encode/decode, no I/O.  Decoders check every length against the
 * bytes actually present and reject trailing garbage; they never read past
 * `len`.  Functions returning int give 0 on success and -1 on error with a
 * message in err (err may be NULL).
 */
#ifndef CFN_EXPORT_PROTO_H
#define CFN_EXPORT_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXPORT_PROTO_VERSION 1
#define EXPORT_HDR_LEN 8
#define EXPORT_BODY_MAX (1u << 20) /* bytes after the header */
#define EXPORT_BATCH_MAX 1024	   /* records per BATCH / ACK */
#define EXPORT_RECORD_MAX 16384	   /* bytes of one record blob */
#define EXPORT_NAME_MAX 255	   /* origin names */
#define EXPORT_REASON_MAX 1024	   /* ERROR reason text */

enum export_msg_type {
	EXPORT_MSG_HELLO = 1,
	EXPORT_MSG_BATCH = 2,
	EXPORT_MSG_ACK = 3,
	EXPORT_MSG_ERROR = 4,
	EXPORT_MSG_CHECKPOINT_REQ = 5,
	EXPORT_MSG_CHECKPOINT = 6,
	EXPORT_MSG_SUBSCRIBE = 7,
	EXPORT_MSG_ENTRY = 8,
	EXPORT_MSG_CHALLENGE = 9,
};
#define EXPORT_MSG_MAX EXPORT_MSG_CHALLENGE

/* CHALLENGE nonce and the HELLO signature over it (Ed25519). */
#define EXPORT_NONCE_LEN 32
#define EXPORT_SIG_LEN 64
/* What a client's HELLO signature covers, before the nonce. */
#define EXPORT_HELLO_CONTEXT "CFN export hello v1\n"

/* Per-record status in an ACK. */
enum export_ack_status {
	EXPORT_ACK_APPENDED = 0,  /* newly appended, durable */
	EXPORT_ACK_DUPLICATE = 1, /* (origin, seq) was already logged */
	EXPORT_ACK_REJECTED = 2,  /* not appended (see the ERROR before it) */
};

/* ERROR codes. */
enum export_err_code {
	EXPORT_ERR_PROTOCOL = 1, /* malformed frame or message; closes */
	EXPORT_ERR_VERSION = 2,	 /* unsupported version; closes */
	EXPORT_ERR_TOO_BIG = 3,	 /* frame over EXPORT_BODY_MAX; closes */
	EXPORT_ERR_PEER = 4,	 /* peer uid not allowed; closes */
	EXPORT_ERR_KEY = 5,	 /* hello key id not allowed; closes */
	EXPORT_ERR_STATE = 6,	 /* message not valid now; closes */
	EXPORT_ERR_RECORD = 7,	 /* one record rejected; stays open */
	EXPORT_ERR_INTERNAL = 8, /* server-side failure */
};

struct export_frame {
	uint8_t version;
	uint8_t type;
	uint16_t flags;
	const uint8_t *body; /* points into the parsed buffer */
	uint32_t len;
};

/*
 * Parse one frame at the start of buf.  Returns 1 with *f and *consumed
 * set, 0 if more bytes are needed, -1 on a fatal framing error (*code gets
 * the ERROR code to send back: version, too big, protocol).
 */
int export_frame_parse(const uint8_t *buf, size_t len, struct export_frame *f,
		       size_t *consumed, int *code, char *err, size_t errlen);

/* A growable output buffer; encoders append whole frames to it. */
struct export_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

void export_buf_free(struct export_buf *b);
int export_buf_reserve(struct export_buf *b, size_t more);
/* Drop the first n bytes (already written to the socket). */
void export_buf_consume(struct export_buf *b, size_t n);

struct export_hello {
	char name[EXPORT_NAME_MAX + 1]; /* origin (client) or log name */
	uint32_t key_id;		/* signing key id, note key id format */
	/* client: proof of the key, over export_hello_proof() */
	bool has_sig;
	uint8_t sig[EXPORT_SIG_LEN];
};

struct export_blob {
	const uint8_t *data;
	uint32_t len;
};

struct export_ack_ent {
	uint64_t seq;
	uint64_t index; /* log index; 0 when rejected */
	uint8_t status; /* enum export_ack_status */
};

struct export_ack {
	char origin[EXPORT_NAME_MAX + 1];
	uint64_t highest_seq; /* highest durable seq of origin, this batch */
	uint32_t count;
	struct export_ack_ent *ents; /* decode: caller array of count_max */
};

struct export_error {
	uint16_t code;
	uint64_t seq; /* record concerned, 0 if none */
	char reason[EXPORT_REASON_MAX + 1];
};

struct export_checkpoint {
	uint64_t size;
	const uint8_t *note; /* signed note, not NUL-terminated */
	uint32_t note_len;
};

struct export_entry {
	uint64_t index;
	const uint8_t *data;
	uint32_t len;
};

int export_enc_hello(struct export_buf *b, const struct export_hello *h);
/*
 * The bytes a client signs to prove it holds key h->key_id:
 *   EXPORT_HELLO_CONTEXT | nonce[32] | u8 n | name[n] | u32 key_id
 * Returns the length written to out (size >= 20 + 32 + 1 + 255 + 4), or
 * -1 for an invalid name.
 */
int export_hello_proof(const uint8_t nonce[EXPORT_NONCE_LEN],
		       const struct export_hello *h, uint8_t *out, size_t size);
#define EXPORT_HELLO_PROOF_MAX (sizeof(EXPORT_HELLO_CONTEXT) + 32 + 1 + 255 + 4)
int export_enc_challenge(struct export_buf *b,
			 const uint8_t nonce[EXPORT_NONCE_LEN]);
int export_dec_challenge(const struct export_frame *f,
			 uint8_t nonce[EXPORT_NONCE_LEN], char *err,
			 size_t errlen);
int export_dec_hello(const struct export_frame *f, struct export_hello *h,
		     char *err, size_t errlen);

/*
 * BATCH, built incrementally: begin, add each record, end.  add fails
 * (without changing the frame) when the record or the batch would exceed
 * the limits; the caller then ends this batch and starts another.
 */
int export_batch_begin(struct export_buf *b, size_t *start);
int export_batch_add(struct export_buf *b, size_t start, const uint8_t *data,
		     size_t len);
int export_batch_end(struct export_buf *b, size_t start);
/* Fills out[0..*count) (pointers into the frame body); max <= cap of out. */
int export_dec_batch(const struct export_frame *f, struct export_blob *out,
		     size_t max, size_t *count, char *err, size_t errlen);

int export_enc_ack(struct export_buf *b, const struct export_ack *a);
/* a->ents must hold EXPORT_BATCH_MAX entries. */
int export_dec_ack(const struct export_frame *f, struct export_ack *a,
		   char *err, size_t errlen);

int export_enc_error(struct export_buf *b, const struct export_error *e);
int export_dec_error(const struct export_frame *f, struct export_error *e,
		     char *err, size_t errlen);

int export_enc_checkpoint_req(struct export_buf *b);
int export_enc_checkpoint(struct export_buf *b,
			  const struct export_checkpoint *c);
int export_dec_checkpoint(const struct export_frame *f,
			  struct export_checkpoint *c, char *err,
			  size_t errlen);

int export_enc_subscribe(struct export_buf *b, uint64_t from_index);
int export_dec_subscribe(const struct export_frame *f, uint64_t *from_index,
			 char *err, size_t errlen);

int export_enc_entry(struct export_buf *b, const struct export_entry *e);
int export_dec_entry(const struct export_frame *f, struct export_entry *e,
		     char *err, size_t errlen);

const char *export_msg_name(int type);

#endif
