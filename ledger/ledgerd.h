// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfn-ledgerd internals: the daemon state shared by the event loop
 * (ledgerd.c), the connection handling (ledgerd_conn.c) and logging
 * (ledgerd_log.c).
 */
#ifndef CFN_LEDGERD_H
#define CFN_LEDGERD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "export_proto.h"
#include "note.h"
#include "record.h"

struct ledger_store;

struct ld_conn {
	int fd;
	unsigned id;
	pid_t pid;
	uid_t uid;
	struct export_buf in, out;
	bool hello;
	char origin[RECORD_NAME_MAX + 1];
	uint32_t key_id;
	bool closing; /* send what is queued, then close */
	/* answers for records appended this iteration, sent after fsync */
	struct export_ack_ent *pend;
	size_t npend, pend_cap;
	bool want_checkpoint;
	bool subscriber;
	uint64_t sub_next;
	size_t queued;	   /* records in the pipeline; freed only at 0 */
	uint64_t rejected; /* records refused on this connection */
	bool gone;	   /* peer gone: discard output */
	uint64_t born_ms;  /* accepted at (monotonic) */
	uint8_t nonce[EXPORT_NONCE_LEN]; /* the HELLO must sign it */
	uint64_t rx_ms; /* last bytes received or frame handled */
};

/*
 * Limits that keep one local client from freezing the daemon: connection
 * caps (total and per uid), the time to say HELLO, idle and mid-frame
 * stall timeouts, input buffered before HELLO.
 */
struct ld_limits {
	unsigned max_clients, max_per_uid;
	unsigned hello_ms, idle_ms, stall_ms;
};

#define LD_MAX_CLIENTS 256
#define LD_MAX_PER_UID 64
#define LD_HELLO_MS 5000
#define LD_IDLE_MS 600000
#define LD_STALL_MS 10000
/* Input buffered per client before we stop reading from it; before HELLO
 * (or SUBSCRIBE) much less: an unknown client cannot hold memory. */
#define LD_IN_MAX (2u << 20)
#define LD_PREHELLO_IN_MAX 4096
/* Checkpoints signed at most this often; requests in between wait. */
#define LD_CHECKPOINT_MIN_MS 200

/* Records waiting for their checks or their append, at most. */
#define LD_PIPE_MAX 16384

/* A received record on its way through the verification pipeline. */
struct ld_item {
	struct ld_conn *c;
	uint64_t seq;
	uint32_t len;
	bool done; /* checked (atomic: set by a worker) */
	bool ok;
	char origin[RECORD_NAME_MAX + 1];
	char err[200];
	uint8_t data[];
};

struct ledgerd {
	struct ledger_store *store;
	struct note_key *key; /* checkpoint signing key */
	struct note_key **allow;
	size_t nallow;
	const char *origin; /* log name in checkpoints */
	uid_t *uids;
	size_t nuids;
	struct ld_conn **conns;
	size_t nconns;
	unsigned next_id;
	uint64_t appended; /* since the last store_sync() */
	bool checkpoint_now;
	uint64_t checkpoint_size; /* tree size of the last checkpoint */
	char *checkpoint_note;	  /* its signed note, answered again */
	uint64_t checkpoint_ms;	  /* when it was signed */
	struct ld_limits lim;
	/* scratch for decoding one batch */
	struct export_blob *blobs;
	uint64_t syncs;
	uint64_t records_in, records_rejected;
};

uint64_t ld_now_ms(void); /* CLOCK_MONOTONIC */

/* Logging: stderr by default, syslog after ld_log_syslog(). */
void ld_log_syslog(void);
void ld_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Log "FATAL: ..." and exit 1 at once: after a failed write or fsync the
 * disk state is unknown, nothing more may be acknowledged, and the
 * verifier threads must not race exit-time library cleanup.
 */
void ld_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* Connections. */
struct ld_conn *ld_conn_new(struct ledgerd *d, int fd);
void ld_conn_free(struct ld_conn *c);
size_t ld_conn_in_max(const struct ld_conn *c);
/* Send the CHALLENGE a HELLO must answer; -1 if no randomness. */
int ld_conn_challenge(struct ld_conn *c);
/* Receive what is available, up to ld_conn_in_max(); -1 when the peer is
 * gone. */
int ld_conn_recv(struct ld_conn *c);
/* Handle buffered frames while the pipeline has room; true if some
 * complete frames are left for later. */
bool ld_conn_parse(struct ledgerd *d, struct ld_conn *c);
/* Write queued output; -1 when the connection should be closed. */
int ld_conn_write(struct ld_conn *c);
/* After store_sync(): queue ACKs (and checkpoint answers). */
int ld_conn_flush_acks(struct ledgerd *d, struct ld_conn *c);
/* Queue log entries for a subscriber, up to a buffer bound. */
int ld_conn_feed(struct ledgerd *d, struct ld_conn *c);
/* Queue an ERROR; fatal codes also mark the connection closing. */
void ld_conn_error(struct ld_conn *c, int code, uint64_t seq, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));
/* Append the checked records at the front of the pipeline, in order. */
void ld_append_ready(struct ledgerd *d);

/* The verification pipeline (ledgerd_verify.c). */
int ld_pipe_init(struct ledgerd *d, unsigned threads);
int ld_pipe_fd(void); /* readable when items were checked */
size_t ld_pipe_len(void);
bool ld_pipe_room(void); /* room for a whole batch */
int ld_pipe_push(struct ld_conn *c, const uint8_t *data, uint32_t len,
		 uint64_t seq);
struct ld_item *ld_pipe_front(void); /* checked front item or NULL */
void ld_pipe_pop(void);

/* Publish a checkpoint now; the signed note or NULL (malloc'd). */
char *ld_checkpoint(struct ledgerd *d);

#endif
