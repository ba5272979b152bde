// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd: one client connection.  Frames are handled as they arrive;
 * records go through the verification pipeline, are appended in arrival
 * order, and are answered only after the event loop's single store_sync()
 * for the iteration (group commit).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "checkpoint.h"
#include "ledgerd.h"
#include "store.h"
#include "token_ledgerd.h"

/* Per read call: keeps one busy client from starving the others. */
#define READ_CHUNK (256 * 1024)
/* A client that does not read its answers is cut off. */
#define OUT_MAX (16u << 20)
/* Rejected records logged one by one per connection, then counted. */
#define LOG_REJECTS_MAX 10
/* Subscribers are fed up to this much queued output. */
#define FEED_MAX (256 * 1024)

struct ld_conn *ld_conn_new(struct ledgerd *d, int fd)
{
	struct ld_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	c->id = ++d->next_id;
	return c;
}

void ld_conn_free(struct ld_conn *c)
{
	if (!c)
		return;
	close(c->fd);
	export_buf_free(&c->in);
	export_buf_free(&c->out);
	free(c->pend);
	free(c);
}

void ld_conn_error(struct ld_conn *c, int code, uint64_t seq, const char *fmt,
		   ...)
{
	struct export_error e = {.code = (uint16_t)code, .seq = seq};
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.reason, sizeof(e.reason), fmt, ap);
	va_end(ap);
	/* Every refusal is answered; the log gets the first ones and then a
	 * count now and then, so one client cannot flood it. */
	if (code == EXPORT_ERR_RECORD && ++c->rejected > LOG_REJECTS_MAX) {
		if (c->rejected % 1000 == 0)
			ld_log(LOG_WARNING,
			       "client %u (pid %d uid %u origin %s): %llu "
			       "records rejected so far",
			       c->id, (int)c->pid, (unsigned)c->uid, c->origin,
			       (unsigned long long)c->rejected);
	} else {
		ld_log(code == EXPORT_ERR_RECORD ? LOG_WARNING : LOG_ERR,
		       "client %u (pid %d uid %u%s%s): %s%s", c->id,
		       (int)c->pid, (unsigned)c->uid,
		       c->hello ? " origin " : "", c->hello ? c->origin : "",
		       e.reason,
		       code == EXPORT_ERR_RECORD ? ""
						 : "; dropping connection");
	}
	/* Best effort: the client may be gone already. */
	export_enc_error(&c->out, &e);
	if (code != EXPORT_ERR_RECORD)
		c->closing = true;
}

static int pend_add(struct ld_conn *c, uint64_t seq, uint64_t index,
		    uint8_t status)
{
	struct export_ack_ent *n;

	if (c->npend == c->pend_cap) {
		size_t cap = c->pend_cap ? c->pend_cap * 2 : 256;

		n = realloc(c->pend, cap * sizeof(*n));
		if (!n)
			return -1;
		c->pend = n;
		c->pend_cap = cap;
	}
	c->pend[c->npend].seq = seq;
	c->pend[c->npend].index = index;
	c->pend[c->npend].status = status;
	c->npend++;
	return 0;
}

static const struct note_key *allowed_key(struct ledgerd *d, uint32_t id)
{
	size_t i;

	for (i = 0; i < d->nallow; i++)
		if (d->allow[i]->id == id)
			return d->allow[i];
	return NULL;
}

static void on_hello(struct ledgerd *d, struct ld_conn *c,
		     const struct export_frame *f)
{
	struct export_hello h, me = {.key_id = d->key->id};
	const struct note_key *k;
	char err[256];

	if (c->hello) {
		ld_conn_error(c, EXPORT_ERR_STATE, 0, "second hello");
		return;
	}
	if (export_dec_hello(f, &h, err, sizeof(err)) < 0) {
		ld_conn_error(c, EXPORT_ERR_PROTOCOL, 0, "%s", err);
		return;
	}
	if (strlen(h.name) > RECORD_NAME_MAX || !record_name_valid(h.name)) {
		ld_conn_error(c, EXPORT_ERR_PROTOCOL, 0,
			      "hello: invalid origin name");
		return;
	}
	if (ld_tokens_hello(h.name)) /* a token account: doc/tokens.md */
		goto accepted;
	k = allowed_key(d, h.key_id);
	if (!k) {
		ld_conn_error(c, EXPORT_ERR_KEY, 0,
			      "hello: key %08x of origin %s is not allowed",
			      h.key_id, h.name);
		return;
	}
	/* A router signs only its own decisions (see record_verify()). */
	if (strcmp(k->name, h.name) != 0) {
		ld_conn_error(c, EXPORT_ERR_KEY, 0,
			      "hello: key %08x is %s's, not origin %s's",
			      h.key_id, k->name, h.name);
		return;
	}
accepted:
	c->hello = true;
	snprintf(c->origin, sizeof(c->origin), "%s", h.name);
	c->key_id = h.key_id;
	snprintf(me.name, sizeof(me.name), "%s", d->origin);
	export_enc_hello(&c->out, &me);
	ld_log(LOG_INFO, "client %u (pid %d uid %u): origin %s key %08x", c->id,
	       (int)c->pid, (unsigned)c->uid, c->origin, c->key_id);
}

void ld_append_ready(struct ledgerd *d)
{
	struct ld_item *it;
	char err[256];
	uint64_t index;
	int rc;

	while ((it = ld_pipe_front())) {
		d->records_in++;
		if (!it->ok) {
			ld_conn_error(it->c, EXPORT_ERR_RECORD, it->seq,
				      "record seq %llu: %s",
				      (unsigned long long)it->seq, it->err);
			goto reject;
		}
		if (ld_tokens_admit(d, it, err, sizeof(err)) < 0) {
			ld_conn_error(it->c, EXPORT_ERR_RECORD, it->seq,
				      "record seq %llu: %s",
				      (unsigned long long)it->seq, err);
			goto reject;
		}
		rc = store_append(d->store, it->data, it->len, &index, err,
				  sizeof(err));
		if (rc == STORE_FATAL) {
			ld_fatal("append failed: %s", err);
		}
		if (rc == STORE_INVALID) {
			ld_conn_error(it->c, EXPORT_ERR_RECORD, it->seq,
				      "record seq %llu: not storable: %s",
				      (unsigned long long)it->seq, err);
			goto reject;
		}
		if (rc == STORE_OK) {
			d->appended++;
			ld_tokens_appended(it->data, it->len, index);
		}
		if (pend_add(it->c, it->seq, index,
			     rc == STORE_DUP ? EXPORT_ACK_DUPLICATE
					     : EXPORT_ACK_APPENDED) < 0)
			goto nomem;
		goto next;
	reject:
		d->records_rejected++;
		if (pend_add(it->c, it->seq, 0, EXPORT_ACK_REJECTED) < 0)
			goto nomem;
		goto next;
	nomem:
		/* Appended perhaps, but unanswerable: the client resends on
		 * reconnect and gets it as a duplicate. */
		ld_conn_error(it->c, EXPORT_ERR_INTERNAL, it->seq,
			      "out of memory");
	next:
		ld_pipe_pop();
	}
}

static void on_batch(struct ledgerd *d, struct ld_conn *c,
		     const struct export_frame *f)
{
	char err[256];
	size_t n, i;

	if (!c->hello) {
		ld_conn_error(c, EXPORT_ERR_STATE, 0, "batch before hello");
		return;
	}
	if (export_dec_batch(f, d->blobs, EXPORT_BATCH_MAX, &n, err,
			     sizeof(err)) < 0) {
		ld_conn_error(c, EXPORT_ERR_PROTOCOL, 0, "%s", err);
		return;
	}
	for (i = 0; i < n; i++) {
		char origin[64];
		uint64_t seq = 0;

		if (record_peek_key(d->blobs[i].data, d->blobs[i].len, origin,
				    &seq) < 0)
			seq = 0;
		if (ld_pipe_push(c, d->blobs[i].data, d->blobs[i].len, seq) <
		    0) {
			ld_conn_error(c, EXPORT_ERR_INTERNAL, 0,
				      "out of memory");
			return;
		}
	}
}

static void on_frame(struct ledgerd *d, struct ld_conn *c,
		     const struct export_frame *f)
{
	char err[256];

	switch (f->type) {
	case EXPORT_MSG_HELLO:
		on_hello(d, c, f);
		return;
	case EXPORT_MSG_BATCH:
		on_batch(d, c, f);
		return;
	case EXPORT_MSG_CHECKPOINT_REQ:
		if (f->len != 0) {
			ld_conn_error(c, EXPORT_ERR_PROTOCOL, 0,
				      "checkpoint request with a body");
			return;
		}
		c->want_checkpoint = true;
		d->checkpoint_now = true;
		return;
	case EXPORT_MSG_SUBSCRIBE:
		if (export_dec_subscribe(f, &c->sub_next, err, sizeof(err)) <
		    0) {
			ld_conn_error(c, EXPORT_ERR_PROTOCOL, 0, "%s", err);
			return;
		}
		c->subscriber = true;
		return;
	default:
		ld_conn_error(c, EXPORT_ERR_STATE, 0,
			      "unexpected %s message from a client",
			      export_msg_name(f->type));
		return;
	}
}

int ld_conn_recv(struct ld_conn *c)
{
	ssize_t n;

	if (export_buf_reserve(&c->in, READ_CHUNK) < 0) {
		ld_log(LOG_ERR, "client %u: out of memory", c->id);
		return -1;
	}
	n = recv(c->fd, c->in.data + c->in.len, READ_CHUNK, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0) {
		ld_log(LOG_INFO, "client %u: %s", c->id, strerror(errno));
		return -1;
	}
	if (n == 0) {
		if (c->in.len)
			ld_log(LOG_WARNING,
			       "client %u: closed with a truncated frame "
			       "(%zu bytes) pending",
			       c->id, c->in.len);
		return -1;
	}
	c->in.len += (size_t)n;
	return 0;
}

bool ld_conn_parse(struct ledgerd *d, struct ld_conn *c)
{
	struct export_frame f;
	char err[256];
	size_t used, off = 0;
	int rc = 0, code;

	while (!c->closing && ld_pipe_room() &&
	       (rc = export_frame_parse(c->in.data + off, c->in.len - off, &f,
					&used, &code, err, sizeof(err))) == 1) {
		on_frame(d, c, &f);
		off += used;
	}
	if (!c->closing && rc < 0)
		ld_conn_error(c, code, 0, "%s", err);
	if (c->closing) {
		c->in.len = 0;
		return false;
	}
	export_buf_consume(&c->in, off);
	/* Stopped for lack of room with a whole frame waiting? */
	return !ld_pipe_room() &&
	       export_frame_parse(c->in.data, c->in.len, &f, &used, &code, NULL,
				  0) == 1;
}

int ld_conn_write(struct ld_conn *c)
{
	ssize_t n;

	while (c->out.len) {
		n = send(c->fd, c->out.data, c->out.len,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			return -1;
		export_buf_consume(&c->out, (size_t)n);
	}
	if (c->out.len > OUT_MAX) {
		ld_log(LOG_ERR, "client %u: not reading its answers; dropping",
		       c->id);
		return -1;
	}
	return c->closing && !c->out.len && !c->queued ? -1 : 0;
}

int ld_conn_flush_acks(struct ledgerd *d, struct ld_conn *c)
{
	struct export_ack a = {.highest_seq = 0};
	size_t i, n;

	snprintf(a.origin, sizeof(a.origin), "%s",
		 c->hello ? c->origin : d->origin);
	for (i = 0; i < c->npend; i += n) {
		n = c->npend - i;
		if (n > EXPORT_BATCH_MAX)
			n = EXPORT_BATCH_MAX;
		a.ents = c->pend + i;
		a.count = (uint32_t)n;
		for (size_t k = 0; k < n; k++)
			if (a.ents[k].status != EXPORT_ACK_REJECTED &&
			    a.ents[k].seq > a.highest_seq)
				a.highest_seq = a.ents[k].seq;
		if (export_enc_ack(&c->out, &a) < 0)
			return -1;
	}
	c->npend = 0;
	return 0;
}

int ld_conn_feed(struct ledgerd *d, struct ld_conn *c)
{
	uint64_t durable = store_durable_size(d->store);
	struct export_entry e;
	uint8_t *data;
	size_t len;
	char err[256];

	while (c->subscriber && c->sub_next < durable &&
	       c->out.len < FEED_MAX) {
		if (store_get(d->store, c->sub_next, &data, &len, err,
			      sizeof(err)) < 0) {
			ld_log(LOG_ERR, "subscriber %u: entry %llu: %s", c->id,
			       (unsigned long long)c->sub_next, err);
			return -1;
		}
		e.index = c->sub_next;
		e.data = data;
		e.len = (uint32_t)len;
		if (export_enc_entry(&c->out, &e) < 0) {
			free(data);
			return -1;
		}
		free(data);
		c->sub_next++;
	}
	return 0;
}
