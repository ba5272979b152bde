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
};

/* A record received this iteration, waiting for its checks and append. */
struct ld_item {
	struct ld_conn *c;
	size_t off; /* of its bytes in ledgerd.arena */
	uint32_t len;
	uint64_t seq;
	bool ok;
	char err[200];
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
	/* scratch for decoding one batch */
	struct export_blob *blobs;
	/* records received this iteration, in arrival order */
	struct ld_item *items;
	size_t nitems, items_cap;
	struct export_buf arena;
	uint64_t syncs;
	uint64_t records_in, records_rejected;
};

/* Logging: stderr by default, syslog after ld_log_syslog(). */
void ld_log_syslog(void);
void ld_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Connections. */
struct ld_conn *ld_conn_new(struct ledgerd *d, int fd);
void ld_conn_free(struct ld_conn *c);
/* Read and handle what is available; -1 when the peer is gone. */
int ld_conn_read(struct ledgerd *d, struct ld_conn *c);
/* Write queued output; -1 when the connection should be closed. */
int ld_conn_write(struct ld_conn *c);
/* After store_sync(): queue ACKs (and checkpoint answers). */
int ld_conn_flush_acks(struct ledgerd *d, struct ld_conn *c);
/* Queue log entries for a subscriber, up to a buffer bound. */
int ld_conn_feed(struct ledgerd *d, struct ld_conn *c);
/* Queue an ERROR; fatal codes also mark the connection closing. */
void ld_conn_error(struct ld_conn *c, int code, uint64_t seq,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Check, then append in order, the records received this iteration. */
void ld_append_received(struct ledgerd *d);

/* Parallel record checks (ledgerd_verify.c); threads includes the caller. */
int ld_verify_init(unsigned threads);
void ld_verify_run(struct ledgerd *d, struct ld_item *items, size_t n);

/* Publish a checkpoint now; the signed note or NULL (malloc'd). */
char *ld_checkpoint(struct ledgerd *d);

#endif
