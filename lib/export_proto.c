// SPDX-License-Identifier: GPL-2.0-or-later
/* Decision export protocol codec; see export_proto.h. */
#include "export_proto.h"
#include "bytes.h"
#include "errfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *export_msg_name(int type)
{
	static const char *const names[] = {
		[EXPORT_MSG_HELLO] = "hello",
		[EXPORT_MSG_BATCH] = "batch",
		[EXPORT_MSG_ACK] = "ack",
		[EXPORT_MSG_ERROR] = "error",
		[EXPORT_MSG_CHECKPOINT_REQ] = "checkpoint-request",
		[EXPORT_MSG_CHECKPOINT] = "checkpoint",
		[EXPORT_MSG_SUBSCRIBE] = "subscribe",
		[EXPORT_MSG_ENTRY] = "entry",
	};

	if (type < 1 || type > EXPORT_MSG_MAX)
		return "unknown";
	return names[type];
}

int export_frame_parse(const uint8_t *buf, size_t len, struct export_frame *f,
		       size_t *consumed, int *code, char *err, size_t errlen)
{
	uint32_t blen;

	*code = EXPORT_ERR_PROTOCOL;
	if (len < EXPORT_HDR_LEN)
		return 0;
	blen = get_be32(buf);
	/* Judge the header before waiting for the body, so a peer cannot make
	 * us buffer an oversized or foreign frame. */
	if (buf[4] != EXPORT_PROTO_VERSION) {
		*code = EXPORT_ERR_VERSION;
		return cfn_err(err, errlen, "unsupported protocol version %u",
			       buf[4]);
	}
	if (buf[5] < 1 || buf[5] > EXPORT_MSG_MAX)
		return cfn_err(err, errlen, "unknown message type %u", buf[5]);
	if (get_be16(buf + 6) != 0)
		return cfn_err(err, errlen, "reserved flags 0x%04x set",
			       get_be16(buf + 6));
	if (blen > EXPORT_BODY_MAX) {
		*code = EXPORT_ERR_TOO_BIG;
		return cfn_err(err, errlen, "frame body of %u bytes exceeds %u",
			       blen, EXPORT_BODY_MAX);
	}
	if (len - EXPORT_HDR_LEN < blen)
		return 0;
	f->version = buf[4];
	f->type = buf[5];
	f->flags = 0;
	f->body = buf + EXPORT_HDR_LEN;
	f->len = blen;
	*consumed = EXPORT_HDR_LEN + (size_t)blen;
	return 1;
}

void export_buf_free(struct export_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int export_buf_reserve(struct export_buf *b, size_t more)
{
	size_t ncap;
	uint8_t *n;

	if (b->cap - b->len >= more)
		return 0;
	if (more > SIZE_MAX / 2 - b->len)
		return -1;
	ncap = b->cap ? b->cap : 256;
	while (ncap - b->len < more)
		ncap *= 2;
	n = realloc(b->data, ncap);
	if (!n)
		return -1;
	b->data = n;
	b->cap = ncap;
	return 0;
}

void export_buf_consume(struct export_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

/* Reserve header + body, write the header; returns the body pointer. */
static uint8_t *frame_start(struct export_buf *b, uint8_t type, size_t blen)
{
	uint8_t *p;

	if (blen > EXPORT_BODY_MAX ||
	    export_buf_reserve(b, EXPORT_HDR_LEN + blen) < 0)
		return NULL;
	p = b->data + b->len;
	put_be32(p, (uint32_t)blen);
	p[4] = EXPORT_PROTO_VERSION;
	p[5] = type;
	put_be16(p + 6, 0);
	b->len += EXPORT_HDR_LEN + blen;
	return p + EXPORT_HDR_LEN;
}

static bool name_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > EXPORT_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

int export_enc_hello(struct export_buf *b, const struct export_hello *h)
{
	size_t n = strnlen(h->name, sizeof(h->name));
	uint8_t *p;

	if (!name_ok(h->name, n))
		return -1;
	p = frame_start(b, EXPORT_MSG_HELLO, 1 + n + 4);
	if (!p)
		return -1;
	p[0] = (uint8_t)n;
	memcpy(p + 1, h->name, n);
	put_be32(p + 1 + n, h->key_id);
	return 0;
}

static int expect(const struct export_frame *f, int type, char *err,
		  size_t errlen)
{
	if (f->type != type)
		return cfn_err(err, errlen, "expected %s, got %s",
			       export_msg_name(type), export_msg_name(f->type));
	return 0;
}

int export_dec_hello(const struct export_frame *f, struct export_hello *h,
		     char *err, size_t errlen)
{
	size_t n;

	if (expect(f, EXPORT_MSG_HELLO, err, errlen) < 0)
		return -1;
	if (f->len < 1)
		return cfn_err(err, errlen, "hello: empty");
	n = f->body[0];
	if (f->len != 1 + n + 4)
		return cfn_err(err, errlen, "hello: length %u, expected %zu",
			       f->len, 1 + n + 4);
	if (!name_ok((const char *)f->body + 1, n))
		return cfn_err(err, errlen, "hello: invalid name");
	memcpy(h->name, f->body + 1, n);
	h->name[n] = '\0';
	h->key_id = get_be32(f->body + 1 + n);
	return 0;
}

int export_batch_begin(struct export_buf *b, size_t *start)
{
	*start = b->len;
	if (!frame_start(b, EXPORT_MSG_BATCH, 4))
		return -1;
	put_be32(b->data + *start + EXPORT_HDR_LEN, 0);
	return 0;
}

int export_batch_add(struct export_buf *b, size_t start, const uint8_t *data,
		     size_t len)
{
	uint8_t *hdr;
	uint32_t blen, count;

	if (len < 1 || len > EXPORT_RECORD_MAX)
		return -1;
	hdr = b->data + start;
	blen = get_be32(hdr);
	count = get_be32(hdr + EXPORT_HDR_LEN);
	if (count >= EXPORT_BATCH_MAX || blen + 4 + len > EXPORT_BODY_MAX)
		return -1;
	if (export_buf_reserve(b, 4 + len) < 0)
		return -1;
	hdr = b->data + start; /* may have moved */
	put_be32(b->data + b->len, (uint32_t)len);
	memcpy(b->data + b->len + 4, data, len);
	b->len += 4 + len;
	put_be32(hdr, blen + 4 + (uint32_t)len);
	put_be32(hdr + EXPORT_HDR_LEN, count + 1);
	return 0;
}

int export_batch_end(struct export_buf *b, size_t start)
{
	/* An empty batch is a protocol violation; take it back. */
	if (get_be32(b->data + start + EXPORT_HDR_LEN) == 0) {
		b->len = start;
		return -1;
	}
	return 0;
}

int export_dec_batch(const struct export_frame *f, struct export_blob *out,
		     size_t max, size_t *count, char *err, size_t errlen)
{
	uint32_t n, i, rl;
	size_t off = 4;

	if (expect(f, EXPORT_MSG_BATCH, err, errlen) < 0)
		return -1;
	if (f->len < 4)
		return cfn_err(err, errlen, "batch: truncated count");
	n = get_be32(f->body);
	if (n < 1 || n > EXPORT_BATCH_MAX || n > max)
		return cfn_err(err, errlen, "batch: bad record count %u", n);
	for (i = 0; i < n; i++) {
		if (f->len - off < 4)
			return cfn_err(err, errlen,
				       "batch: record %u: truncated length", i);
		rl = get_be32(f->body + off);
		off += 4;
		if (rl < 1 || rl > EXPORT_RECORD_MAX)
			return cfn_err(err, errlen,
				       "batch: record %u: bad length %u", i,
				       rl);
		if (f->len - off < rl)
			return cfn_err(err, errlen,
				       "batch: record %u: truncated", i);
		out[i].data = f->body + off;
		out[i].len = rl;
		off += rl;
	}
	if (off != f->len)
		return cfn_err(err, errlen, "batch: %zu trailing bytes",
			       f->len - off);
	*count = n;
	return 0;
}

int export_enc_ack(struct export_buf *b, const struct export_ack *a)
{
	size_t n = strnlen(a->origin, sizeof(a->origin));
	uint8_t *p;
	uint32_t i;

	if (!name_ok(a->origin, n) || a->count > EXPORT_BATCH_MAX)
		return -1;
	p = frame_start(b, EXPORT_MSG_ACK, 1 + n + 8 + 4 + 17 * a->count);
	if (!p)
		return -1;
	*p++ = (uint8_t)n;
	memcpy(p, a->origin, n);
	p += n;
	put_be64(p, a->highest_seq);
	put_be32(p + 8, a->count);
	p += 12;
	for (i = 0; i < a->count; i++, p += 17) {
		put_be64(p, a->ents[i].seq);
		put_be64(p + 8, a->ents[i].index);
		p[16] = a->ents[i].status;
	}
	return 0;
}

int export_dec_ack(const struct export_frame *f, struct export_ack *a,
		   char *err, size_t errlen)
{
	const uint8_t *p = f->body;
	size_t n;
	uint32_t i, cnt;

	if (expect(f, EXPORT_MSG_ACK, err, errlen) < 0)
		return -1;
	if (f->len < 1)
		return cfn_err(err, errlen, "ack: empty");
	n = p[0];
	if (f->len < 1 + n + 12)
		return cfn_err(err, errlen, "ack: truncated");
	if (!name_ok((const char *)p + 1, n))
		return cfn_err(err, errlen, "ack: invalid origin");
	memcpy(a->origin, p + 1, n);
	a->origin[n] = '\0';
	p += 1 + n;
	a->highest_seq = get_be64(p);
	cnt = get_be32(p + 8);
	p += 12;
	if (cnt > EXPORT_BATCH_MAX)
		return cfn_err(err, errlen, "ack: bad count %u", cnt);
	if (f->len != 1 + n + 12 + 17 * (size_t)cnt)
		return cfn_err(err, errlen,
			       "ack: length %u does not match %u entries",
			       f->len, cnt);
	for (i = 0; i < cnt; i++, p += 17) {
		a->ents[i].seq = get_be64(p);
		a->ents[i].index = get_be64(p + 8);
		a->ents[i].status = p[16];
		if (p[16] > EXPORT_ACK_REJECTED)
			return cfn_err(err, errlen,
				       "ack: entry %u: bad status %u", i,
				       p[16]);
	}
	a->count = cnt;
	return 0;
}

int export_enc_error(struct export_buf *b, const struct export_error *e)
{
	size_t n = strnlen(e->reason, sizeof(e->reason));
	uint8_t *p = frame_start(b, EXPORT_MSG_ERROR, 2 + 8 + 2 + n);

	if (!p)
		return -1;
	put_be16(p, e->code);
	put_be64(p + 2, e->seq);
	put_be16(p + 10, (uint16_t)n);
	memcpy(p + 12, e->reason, n);
	return 0;
}

int export_dec_error(const struct export_frame *f, struct export_error *e,
		     char *err, size_t errlen)
{
	size_t n, i;

	if (expect(f, EXPORT_MSG_ERROR, err, errlen) < 0)
		return -1;
	if (f->len < 12)
		return cfn_err(err, errlen, "error: truncated");
	n = get_be16(f->body + 10);
	if (n > EXPORT_REASON_MAX || f->len != 12 + n)
		return cfn_err(err, errlen, "error: bad reason length");
	e->code = get_be16(f->body);
	e->seq = get_be64(f->body + 2);
	for (i = 0; i < n; i++) {
		/* Reasons end up in logs: keep them printable. */
		uint8_t c = f->body[12 + i];

		e->reason[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	e->reason[n] = '\0';
	return 0;
}

int export_enc_checkpoint_req(struct export_buf *b)
{
	return frame_start(b, EXPORT_MSG_CHECKPOINT_REQ, 0) ? 0 : -1;
}

int export_enc_checkpoint(struct export_buf *b,
			  const struct export_checkpoint *c)
{
	uint8_t *p;

	if (c->note_len > EXPORT_BODY_MAX - 12)
		return -1;
	p = frame_start(b, EXPORT_MSG_CHECKPOINT, 12 + c->note_len);
	if (!p)
		return -1;
	put_be64(p, c->size);
	put_be32(p + 8, c->note_len);
	memcpy(p + 12, c->note, c->note_len);
	return 0;
}

int export_dec_checkpoint(const struct export_frame *f,
			  struct export_checkpoint *c, char *err, size_t errlen)
{
	if (expect(f, EXPORT_MSG_CHECKPOINT, err, errlen) < 0)
		return -1;
	if (f->len < 12 || f->len - 12 != get_be32(f->body + 8))
		return cfn_err(err, errlen, "checkpoint: bad length");
	c->size = get_be64(f->body);
	c->note_len = f->len - 12;
	c->note = f->body + 12;
	return 0;
}

int export_enc_subscribe(struct export_buf *b, uint64_t from_index)
{
	uint8_t *p = frame_start(b, EXPORT_MSG_SUBSCRIBE, 8);

	if (!p)
		return -1;
	put_be64(p, from_index);
	return 0;
}

int export_dec_subscribe(const struct export_frame *f, uint64_t *from_index,
			 char *err, size_t errlen)
{
	if (expect(f, EXPORT_MSG_SUBSCRIBE, err, errlen) < 0)
		return -1;
	if (f->len != 8)
		return cfn_err(err, errlen, "subscribe: bad length %u", f->len);
	*from_index = get_be64(f->body);
	return 0;
}

int export_enc_entry(struct export_buf *b, const struct export_entry *e)
{
	uint8_t *p;

	if (e->len > EXPORT_BODY_MAX - 12)
		return -1;
	p = frame_start(b, EXPORT_MSG_ENTRY, 12 + e->len);
	if (!p)
		return -1;
	put_be64(p, e->index);
	put_be32(p + 8, e->len);
	memcpy(p + 12, e->data, e->len);
	return 0;
}

int export_dec_entry(const struct export_frame *f, struct export_entry *e,
		     char *err, size_t errlen)
{
	if (expect(f, EXPORT_MSG_ENTRY, err, errlen) < 0)
		return -1;
	if (f->len < 12 || f->len - 12 != get_be32(f->body + 8))
		return cfn_err(err, errlen, "entry: bad length");
	e->index = get_be64(f->body);
	e->len = f->len - 12;
	e->data = f->body + 12;
	return 0;
}
