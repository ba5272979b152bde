// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decision export client.  The records not yet acknowledged form one
 * ordered sequence: spool[ack_off, end) followed by the memory queue.  The
 * first `nflight` of them have been sent; acknowledgements arrive in order
 * and retire them from the front.  On disconnect everything unacknowledged
 * is sent again from the front (the ledger deduplicates).
 */
#include "export.h"
#include "export_tls.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "export_proto.h"
#include "export_spool.h"

#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 2000
#define SPOOL_SYNC_MS 100

struct qent {
	uint64_t seq;
	uint32_t len;
	uint8_t *data;
};

struct flight {
	uint64_t seq;
	uint64_t spool_end; /* from the spool: offset after it */
	bool spool;
};

struct export
{
	struct export_cfg cfg;
	char *socket_path, *origin, *spool_path;

	/* memory queue, a ring */
	struct qent *q;
	size_t qhead, qlen, qsent; /* qsent: queue entries in flight */

	/* in flight, a ring of cfg.window */
	struct flight *fl;
	size_t flhead, nflight;

	struct export_spool *spool;
	uint64_t spool_ack;  /* offset of the oldest unacknowledged */
	uint64_t spool_send; /* offset of the next to send */
	uint64_t spool_recs; /* records in [spool_ack, end) */
	bool spool_dirty;    /* appended since the last fsync */
	uint64_t spool_synced_ms;
	uint8_t *scratch; /* one record read back from the spool */

	int fd;
	struct export_tls *tls; /* NULL: the UNIX socket */
	struct export_buf out, in;
	struct export_ack_ent *ackents;
	uint64_t now_ms, next_connect_ms;
	uint32_t backoff_ms;
	bool drop_logged;

	struct export_stats st;
};

static void elog(struct export *e, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void elog(struct export *e, int prio, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!e->cfg.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e->cfg.log(e->cfg.arg, prio, msg);
}

uint64_t export_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct qent *qat(struct export *e, size_t i)
{
	return &e->q[(e->qhead + i) % e->cfg.queue_max];
}

static struct flight *flat(struct export *e, size_t i)
{
	return &e->fl[(e->flhead + i) % e->cfg.window];
}

struct export *export_new(const struct export_cfg *cfg, char *err,
			  size_t errlen)
{
	struct export *e;
	uint64_t recs, size, dropped;

	if ((!cfg->socket_path && !cfg->tls) || !cfg->origin) {
		snprintf(err, errlen, "export: socket path and origin needed");
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		goto nomem;
	e->cfg = *cfg;
	if (!e->cfg.queue_max)
		e->cfg.queue_max = 4096;
	if (!e->cfg.spool_max)
		e->cfg.spool_max = 64ull << 20;
	if (!e->cfg.batch_max || e->cfg.batch_max > EXPORT_BATCH_MAX)
		e->cfg.batch_max = 256;
	if (!e->cfg.window)
		e->cfg.window = 4 * e->cfg.batch_max;
	e->fd = -1;
	e->backoff_ms = BACKOFF_MIN_MS;
	if (cfg->tls) {
		e->tls = export_tls_new(cfg->tls, err, errlen);
		if (!e->tls) {
			export_free(e);
			return NULL;
		}
	}
	e->socket_path =
		strdup(e->tls ? export_tls_peer(e->tls) : cfg->socket_path);
	e->origin = strdup(cfg->origin);
	e->q = calloc(e->cfg.queue_max, sizeof(*e->q));
	e->fl = calloc(e->cfg.window, sizeof(*e->fl));
	e->scratch = malloc(EXPORT_RECORD_MAX);
	e->ackents = calloc(EXPORT_BATCH_MAX, sizeof(*e->ackents));
	if (!e->socket_path || !e->origin || !e->q || !e->fl || !e->scratch ||
	    !e->ackents)
		goto nomem;
	e->cfg.socket_path = e->socket_path;
	e->cfg.origin = e->origin;
	if (cfg->spool_path) {
		e->spool_path = strdup(cfg->spool_path);
		if (!e->spool_path)
			goto nomem;
		e->cfg.spool_path = e->spool_path;
		if (export_spool_open(e->spool_path, &e->spool, &recs, &size,
				      &dropped, err, errlen) < 0) {
			export_free(e);
			return NULL;
		}
		e->spool_recs = recs;
		if (dropped)
			elog(e, LOG_WARNING,
			     "export: spool %s: truncated %llu bytes of torn tail",
			     e->spool_path, (unsigned long long)dropped);
		if (recs)
			elog(e, LOG_INFO,
			     "export: spool %s: %llu records to replay",
			     e->spool_path, (unsigned long long)recs);
	}
	return e;
nomem:
	snprintf(err, errlen, "export: out of memory");
	export_free(e);
	return NULL;
}

static void disconnect(struct export *e, const char *why)
{
	if (e->fd < 0)
		return;
	elog(e, LOG_WARNING, "export: disconnected from %s: %s", e->socket_path,
	     why);
	if (e->tls)
		export_tls_close(e->tls);
	else
		close(e->fd);
	e->fd = -1;
	e->out.len = 0;
	e->in.len = 0;
	/* Everything unacknowledged goes again, from the front. */
	e->nflight = 0;
	e->qsent = 0;
	e->spool_send = e->spool_ack;
	e->st.disconnects++;
	e->next_connect_ms = e->now_ms + e->backoff_ms;
}

/* Move the first n queue entries to the spool (order kept). */
static size_t spill(struct export *e, size_t n)
{
	char err[256];
	struct qent *q;
	uint64_t end;
	size_t i, conv = 0;
	/* queue entries in flight are the last qsent flights */
	size_t first_mem = e->nflight - e->qsent;

	if (!e->spool)
		return 0;
	if (n > e->qlen)
		n = e->qlen;
	for (i = 0; i < n; i++) {
		q = qat(e, 0);
		if (export_spool_size(e->spool) + EXPORT_SPOOL_HDR + q->len >
		    e->cfg.spool_max)
			break;
		if (export_spool_append(e->spool, q->seq, q->data, q->len, &end,
					err, sizeof(err)) < 0) {
			elog(e, LOG_ERR, "export: %s", err);
			break;
		}
		if (conv < e->qsent) {
			struct flight *f = flat(e, first_mem + conv);

			f->spool = true;
			f->spool_end = end;
			e->spool_send = end;
			conv++;
		}
		free(q->data);
		e->qhead = (e->qhead + 1) % e->cfg.queue_max;
		e->qlen--;
		e->spool_recs++;
		e->spool_dirty = true;
	}
	e->qsent -= conv;
	return i;
}

static void drop(struct export *e, uint64_t seq)
{
	e->st.dropped++;
	if (!e->drop_logged) {
		elog(e, LOG_ERR,
		     "export: queue%s full, dropping records (first seq %llu)",
		     e->spool ? " and spool" : "", (unsigned long long)seq);
		e->drop_logged = true;
	}
}

int export_submit(struct export *e, uint64_t seq, const uint8_t *rec,
		  size_t len)
{
	struct qent *q;

	if (len < 1 || len > EXPORT_RECORD_MAX) {
		elog(e, LOG_ERR, "export: record seq %llu: bad length %zu",
		     (unsigned long long)seq, len);
		e->st.dropped++;
		return -1;
	}
	if (e->qlen == e->cfg.queue_max && spill(e, e->qlen) == 0) {
		drop(e, seq);
		return -1;
	}
	q = qat(e, e->qlen);
	q->data = malloc(len);
	if (!q->data) {
		drop(e, seq);
		return -1;
	}
	memcpy(q->data, rec, len);
	q->len = (uint32_t)len;
	q->seq = seq;
	e->qlen++;
	e->st.submitted++;
	return 0;
}

static bool unsent(const struct export *e)
{
	return (e->spool && e->spool_send < export_spool_size(e->spool)) ||
	       e->qsent < e->qlen;
}

/* Queue BATCH frames while the window allows. */
static void fill(struct export *e)
{
	char err[256];
	size_t start, len;
	uint64_t seq, next;
	uint32_t n;
	struct flight *f;
	struct qent *q;

	while (e->fd >= 0 && unsent(e) && e->nflight < e->cfg.window) {
		if (export_batch_begin(&e->out, &start) < 0)
			return;
		for (n = 0; n < e->cfg.batch_max && e->nflight < e->cfg.window;
		     n++) {
			f = flat(e, e->nflight);
			if (e->spool &&
			    e->spool_send < export_spool_size(e->spool)) {
				if (export_spool_read(
					    e->spool, e->spool_send, &seq,
					    e->scratch, EXPORT_RECORD_MAX, &len,
					    &next, err, sizeof(err)) < 0) {
					/* Can't happen short of disk
					 * corruption under us; stop sending
					 * rather than skip records. */
					elog(e, LOG_ERR, "export: %s", err);
					export_batch_end(&e->out, start);
					disconnect(e, "spool unreadable");
					e->next_connect_ms = e->now_ms + 10000;
					return;
				}
				if (export_batch_add(&e->out, start, e->scratch,
						     len) < 0)
					break;
				f->spool = true;
				f->spool_end = next;
				e->spool_send = next;
			} else if (e->qsent < e->qlen) {
				q = qat(e, e->qsent);
				if (export_batch_add(&e->out, start, q->data,
						     q->len) < 0)
					break;
				seq = q->seq;
				f->spool = false;
				e->qsent++;
			} else {
				break;
			}
			f->seq = seq;
			e->nflight++;
		}
		if (export_batch_end(&e->out, start) < 0)
			return;
	}
}

static int retire(struct export *e, const struct export_ack_ent *a)
{
	struct flight *f;
	char err[256];

	if (!e->nflight)
		return -1;
	f = flat(e, 0);
	if (f->seq != a->seq)
		return -1;
	if (f->spool) {
		e->spool_ack = f->spool_end;
		e->spool_recs--;
	} else {
		struct qent *q = qat(e, 0);

		free(q->data);
		q->data = NULL;
		e->qhead = (e->qhead + 1) % e->cfg.queue_max;
		e->qlen--;
		e->qsent--;
	}
	e->flhead = (e->flhead + 1) % e->cfg.window;
	e->nflight--;

	if (a->status == EXPORT_ACK_REJECTED) {
		e->st.rejected++;
	} else {
		e->st.acked++;
		if (a->status == EXPORT_ACK_DUPLICATE)
			e->st.duplicates++;
		e->st.last_seq = a->seq;
		e->st.last_index = a->index;
		e->drop_logged = false;
	}
	if (e->cfg.on_ack)
		e->cfg.on_ack(e->cfg.arg, a->seq, a->index, a->status);

	if (e->spool && e->spool_ack == export_spool_size(e->spool) &&
	    e->spool_ack > 0) {
		if (export_spool_reset(e->spool, err, sizeof(err)) < 0) {
			/* Harmless: a restart would resend duplicates. */
			elog(e, LOG_ERR, "export: %s", err);
		} else {
			e->spool_ack = e->spool_send = 0;
			e->spool_dirty = false;
		}
	}
	return 0;
}

static void handle_frame(struct export *e, const struct export_frame *f)
{
	char err[256];
	struct export_hello h;
	struct export_error er;
	struct export_ack a = {.ents = e->ackents};
	uint32_t i;

	switch (f->type) {
	case EXPORT_MSG_HELLO:
		if (export_dec_hello(f, &h, err, sizeof(err)) < 0) {
			disconnect(e, err);
			return;
		}
		elog(e, LOG_INFO, "export: connected to ledger %s", h.name);
		e->backoff_ms = BACKOFF_MIN_MS;
		return;
	case EXPORT_MSG_ACK:
		if (export_dec_ack(f, &a, err, sizeof(err)) < 0) {
			disconnect(e, err);
			return;
		}
		for (i = 0; i < a.count; i++)
			if (retire(e, &a.ents[i]) < 0) {
				disconnect(e, "acknowledgement out of order");
				return;
			}
		return;
	case EXPORT_MSG_ERROR:
		if (export_dec_error(f, &er, err, sizeof(err)) < 0) {
			disconnect(e, err);
			return;
		}
		if (er.code == EXPORT_ERR_RECORD) {
			elog(e, LOG_ERR, "export: ledger rejected seq %llu: %s",
			     (unsigned long long)er.seq, er.reason);
			return;
		}
		elog(e, LOG_ERR, "export: ledger error %u: %s", er.code,
		     er.reason);
		disconnect(e, "error from ledger");
		/* A refusal (key, peer, version) won't fix itself quickly. */
		e->next_connect_ms = e->now_ms + BACKOFF_MAX_MS;
		return;
	default:
		disconnect(e, "unexpected message");
		return;
	}
}

void export_on_readable(struct export *e)
{
	struct export_frame f;
	size_t used, off;
	ssize_t n;
	int code, rc;
	char err[256];

	while (e->fd >= 0) {
		if (export_buf_reserve(&e->in, 65536) < 0) {
			disconnect(e, "out of memory");
			return;
		}
		n = export_io_recv(e->tls, e->fd, e->in.data + e->in.len,
				   e->in.cap - e->in.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			disconnect(e, n == 0   ? "closed by ledger"
				      : e->tls ? export_tls_error(e->tls)
					       : strerror(errno));
			return;
		}
		e->in.len += (size_t)n;
		off = 0;
		while (e->fd >= 0 &&
		       (rc = export_frame_parse(
				e->in.data + off, e->in.len - off, &f, &used,
				&code, err, sizeof(err))) == 1) {
			handle_frame(e, &f);
			off += used;
		}
		if (e->fd < 0)
			return;
		if (rc < 0) {
			disconnect(e, err);
			return;
		}
		export_buf_consume(&e->in, off);
	}
}

void export_on_writable(struct export *e)
{
	ssize_t n;

	fill(e);
	while (e->fd >= 0 && e->out.len) {
		n = export_io_send(e->tls, e->fd, e->out.data, e->out.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			disconnect(e, e->tls ? export_tls_error(e->tls)
					     : strerror(errno));
			return;
		}
		export_buf_consume(&e->out, (size_t)n);
		fill(e);
	}
}

static void try_connect(struct export *e)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct export_hello h = {.key_id = e->cfg.key_id};
	char err[300];
	int fd;

	if (e->tls) {
		fd = export_tls_connect(e->tls, err, sizeof(err));
		if (fd < 0) {
			elog(e, LOG_WARNING, "export: %s", err);
			e->next_connect_ms = e->now_ms + e->backoff_ms;
			if (e->backoff_ms < BACKOFF_MAX_MS)
				e->backoff_ms *= 2;
			return;
		}
		goto connected;
	}
	if (strlen(e->socket_path) >= sizeof(sa.sun_path))
		return;
	strcpy(sa.sun_path, e->socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		/* EAGAIN: the listen backlog is full; retry later. */
		close(fd);
		e->next_connect_ms = e->now_ms + e->backoff_ms;
		if (e->backoff_ms < BACKOFF_MAX_MS)
			e->backoff_ms *= 2;
		return;
	}
connected:
	e->fd = fd;
	e->st.connects++;
	snprintf(h.name, sizeof(h.name), "%s", e->origin);
	if (export_enc_hello(&e->out, &h) < 0) {
		disconnect(e, "cannot encode hello (bad origin name?)");
		e->next_connect_ms = e->now_ms + BACKOFF_MAX_MS;
		return;
	}
	if (e->spool_recs)
		elog(e, LOG_INFO, "export: replaying %llu spooled records",
		     (unsigned long long)e->spool_recs);
}

int export_tick(struct export *e, uint64_t now_ms)
{
	char err[256];
	int wait = 1000;

	e->now_ms = now_ms;
	if (e->fd < 0) {
		/* The ledger is away: keep the queue on disk so a restart
		 * of the routing daemon does not lose it. */
		if (e->spool && e->qlen)
			spill(e, e->qlen);
		if (now_ms >= e->next_connect_ms)
			try_connect(e);
		if (e->fd < 0)
			wait = (int)(e->next_connect_ms > now_ms
					     ? e->next_connect_ms - now_ms
					     : 0);
	}
	if (e->spool_dirty && now_ms - e->spool_synced_ms >= SPOOL_SYNC_MS) {
		if (export_spool_sync(e->spool, err, sizeof(err)) < 0)
			elog(e, LOG_ERR, "export: %s", err);
		else
			e->spool_dirty = false;
		e->spool_synced_ms = now_ms;
	}
	if (e->spool_dirty && wait > SPOOL_SYNC_MS)
		wait = SPOOL_SYNC_MS;
	return wait;
}

int export_fd(const struct export *e)
{
	return e->fd;
}

bool export_want_read(const struct export *e)
{
	return e->fd >= 0;
}

bool export_want_write(const struct export *e)
{
	if (e->tls && e->fd >= 0 && export_tls_want_write(e->tls))
		return true;
	if (e->tls && export_tls_write_blocked(e->tls))
		return false; /* TLS handshake: waiting to read */
	return e->fd >= 0 &&
	       (e->out.len || (unsent(e) && e->nflight < e->cfg.window));
}

void export_get_stats(const struct export *e, struct export_stats *st)
{
	*st = e->st;
	st->queued = e->qlen;
	st->spooled = e->spool_recs;
	st->spool_bytes = e->spool ? export_spool_size(e->spool) : 0;
	st->inflight = e->nflight;
	st->connected = e->fd >= 0;
}

bool export_idle(const struct export *e)
{
	return e->qlen == 0 && e->spool_recs == 0 && e->nflight == 0;
}

void export_poll(struct export *e, int timeout_ms)
{
	struct pollfd p;
	int wait;

	wait = export_tick(e, export_now_ms());
	if (wait > timeout_ms && timeout_ms >= 0)
		wait = timeout_ms;
	if (e->fd < 0) {
		poll(NULL, 0, wait);
		return;
	}
	p.fd = e->fd;
	p.events = POLLIN | (export_want_write(e) ? POLLOUT : 0);
	p.revents = 0;
	if (poll(&p, 1, wait) <= 0)
		return;
	if (p.revents & (POLLIN | POLLHUP | POLLERR))
		export_on_readable(e);
	if (e->fd >= 0 && (p.revents & POLLOUT))
		export_on_writable(e);
}

int export_drain(struct export *e, int timeout_ms)
{
	uint64_t end = export_now_ms() + (uint64_t)timeout_ms;
	uint64_t now;

	while (!export_idle(e)) {
		now = export_now_ms();
		if (timeout_ms >= 0 && now >= end)
			return -1;
		export_poll(e, timeout_ms < 0 ? 1000 : (int)(end - now));
	}
	return 0;
}

void export_free(struct export *e)
{
	char err[256];
	size_t i;

	if (!e)
		return;
	if (e->fd >= 0) {
		if (!e->tls)
			close(e->fd);
		e->fd = -1;
		e->nflight = e->qsent = 0;
	}
	export_tls_free(e->tls); /* closes its connection */
	if (e->spool) {
		if (e->qlen && e->q)
			spill(e, e->qlen);
		if (export_spool_sync(e->spool, err, sizeof(err)) < 0)
			elog(e, LOG_ERR, "export: %s", err);
		export_spool_close(e->spool);
	}
	if (e->q)
		for (i = 0; i < e->qlen; i++)
			free(qat(e, i)->data);
	free(e->q);
	free(e->fl);
	free(e->scratch);
	free(e->ackents);
	export_buf_free(&e->out);
	export_buf_free(&e->in);
	free(e->socket_path);
	free(e->origin);
	free(e->spool_path);
	free(e);
}
