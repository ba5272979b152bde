// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decision export client: hands signed records to cfn-ledgerd without ever
 * blocking the routing daemon.  See doc/export-client.md.
 *
 * Records are opaque, already-signed byte blobs with their (origin, seq);
 * encoding and signing are the caller's (lib/record.h).  Records are
 * delivered in submission order; each is resent until the ledger
 * acknowledges it as durable (the ledger deduplicates by (origin, seq)).
 *
 * Event-loop use: after every call, re-read export_fd() (it changes on
 * reconnect), register it for reading when export_want_read() and for
 * writing when export_want_write(), call the on_* handlers when ready, and
 * call export_tick() at least every export_tick() milliseconds.
 */
#ifndef CFN_EXPORT_H
#define CFN_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct export;
struct export_tls_cfg;

struct export_cfg {
	const char *socket_path;
	/* TLS over TCP instead of the UNIX socket (lib/export_tls.h) */
	const struct export_tls_cfg *tls;
	const char *origin;	/* sent in HELLO; must match the records */
	uint32_t key_id;	/* signing key id, sent in HELLO */
	const char *spool_path; /* NULL: memory only */
	size_t queue_max;	/* records in memory; default 4096 */
	uint64_t spool_max;	/* spool file bytes; default 64 MiB */
	uint32_t batch_max;	/* records per batch; default 256 */
	uint32_t window;	/* records in flight; default 4 batches */
	/* prio: syslog levels (LOG_ERR, LOG_WARNING, LOG_INFO). */
	void (*log)(void *arg, int prio, const char *msg);
	/* Called once per record when the ledger answered for it. */
	void (*on_ack)(void *arg, uint64_t seq, uint64_t index, int status);
	void *arg;
};

struct export_stats {
	uint64_t submitted;
	uint64_t acked;	     /* appended or duplicate: durable */
	uint64_t duplicates; /* of acked, already in the log */
	uint64_t rejected;   /* refused by the ledger (bad signature...) */
	uint64_t dropped;    /* not accepted: queue and spool full */
	uint64_t queued;     /* in memory, not acknowledged */
	uint64_t spooled;    /* in the spool, not acknowledged */
	uint64_t spool_bytes;
	uint64_t inflight;
	uint64_t connects;
	uint64_t disconnects;
	uint64_t last_seq; /* of the last acknowledged record */
	uint64_t last_index;
	bool connected;
};

/* Opens (and replays) the spool; does not connect yet. NULL with err. */
struct export *export_new(const struct export_cfg *cfg, char *err,
			  size_t errlen);
/* Spools what is still in memory (when a spool is configured), closes. */
void export_free(struct export *e);

/*
 * Take a record; never blocks on the network.  0 accepted, -1 dropped
 * (counted in stats.dropped and logged) when memory and spool are full.
 */
int export_submit(struct export *e, uint64_t seq, const uint8_t *rec,
		  size_t len);

int export_fd(const struct export *e); /* -1 when not connected */
bool export_want_read(const struct export *e);
bool export_want_write(const struct export *e);
void export_on_readable(struct export *e);
void export_on_writable(struct export *e);
/*
 * Periodic work: reconnect with backoff, spool while disconnected, fsync
 * the spool.  now_ms: a monotonic clock.  Returns the milliseconds until
 * it wants to be called again.
 */
int export_tick(struct export *e, uint64_t now_ms);

void export_get_stats(const struct export *e, struct export_stats *st);
/* Nothing queued, spooled or in flight. */
bool export_idle(const struct export *e);

/* Blocking helpers (CLI, tests): one poll round of at most timeout_ms. */
void export_poll(struct export *e, int timeout_ms);
/* Run until idle; 0, or -1 after timeout_ms (<0: forever). */
int export_drain(struct export *e, int timeout_ms);
uint64_t export_now_ms(void);

#endif
